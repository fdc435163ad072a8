"""/progress replies: each child's progress text with the colored training log, and the chart.

Pictures take a few hundred milliseconds of CPU, so callers render them in a worker thread.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from bot.callbacks import WeeklyChart
from bot.domain.progress import Progress, format_miles, percent, progress_bar, round_miles
from bot.domain.standings import ChildProgress
from bot.pictures import training_log_png, weekly_chart_png
from bot.texts.amounts import mile_word
from bot.texts.reply import Button, Reply

EARLY_COMPLETION = "Early completion of the program is not recommended."
WEEKENDS = ("Saturdays and Sundays are there for make-up days, or to give you a rest day "
            "during the week.")


def child_progress(found: ChildProgress) -> Reply:
    """The progress text as the caption of the child's colored training log."""
    child, program = found.child, found.program
    picture = training_log_png(child.name, found.progress.total, goal=program.goal_miles,
                               milestones=program.milestones)
    return Reply(progress_text(found.progress),
                 ((chart_button(child.id, child.name),),),
                 photo=picture)


def weekly_chart(found: ChildProgress) -> Reply:
    program = found.program
    picture = weekly_chart_png(found.child.name, found.days, start=found.start,
                               today=found.today, max_weeks=program.max_weeks,
                               min_weeks=program.min_weeks, goal=program.goal_miles)
    return Reply(f"{found.child.name}'s miles per week", photo=picture)


def no_children() -> Reply:
    return Reply("No children on your list yet. Add one with /addkid, then log their miles.")


def _join(values: Sequence[float]) -> str:
    words = [format_miles(v) for v in values]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _pace_lines(p: Progress) -> list[str]:
    plan = f"{p.min_weeks}-{p.max_weeks} week plan"
    week = f" (week {p.week})" if p.week else ""
    # Shown rounded up to a tenth, so following the advice really does finish in time.
    per_week = format_miles(math.ceil(round_miles((p.per_week_needed or 0) * 10)) / 10)
    plan_over = p.days_training >= p.max_weeks * 7
    if p.pace == "done":
        return [f"Congratulations, {p.child}! All {format_miles(p.goal)} miles are done.",
                "The final mile is run at the event: see you at the finish line!"]
    if p.pace == "not_started":
        lines = ["Ready for mile 1? Run or walk it, color it in, and tell me: every mile counts!"]
        if p.week > 1:
            lines.append(f"About {per_week} miles a week will finish within {p.max_weeks} weeks.")
        return lines
    if p.pace == "behind":
        if plan_over:
            return [f"Pace: past the {p.max_weeks}-week plan, and every mile still counts. "
                    f"Be patient and keep trying: {format_miles(p.remaining)} "
                    f"{mile_word(p.remaining)} to go."]
        return [f"Pace: a little behind the {plan}{week}. Be patient and keep trying: "
                f"about {per_week} miles a week will still finish within {p.max_weeks} weeks."]
    if p.pace == "on_track":
        return [f"Pace: on track for a {plan}{week}."]
    if p.pace == "ahead":
        return [f"Pace: ahead of the {plan}{week}. Great work! Just remember to not overdo it."]
    return [f"Pace: way ahead of the {plan}{week}. Great work, and slow down a little!",
            f"{EARLY_COMPLETION} {WEEKENDS}"]


def progress_text(p: Progress) -> str:
    """The /progress message for one child, in plain text (no markup)."""
    lines = [
        f"{p.child}: {format_miles(p.total)} of {format_miles(p.goal)} miles",
        f"{progress_bar(p.fraction)} {percent(p.fraction)}%",
    ]
    awards = [m for m in p.reached if round_miles(m) < round_miles(p.goal)]
    if awards:
        lines.append(f"Awards earned at {_join(awards)} miles.")
    if p.next_milestone is not None and p.to_next is not None:
        lines.append(f"Next milestone: {format_miles(p.next_milestone)} miles "
                     f"({format_miles(p.to_next)} to go)")
    lines.extend(_pace_lines(p))
    return "\n".join(lines)


def chart_button(child_id: int, name: str) -> Button:
    """The weekly-chart button, under /progress and under a milestone's picture."""
    return Button(f"📈 {name}'s weekly miles", WeeklyChart(child_id))
