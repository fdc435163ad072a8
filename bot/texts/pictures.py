"""The words drawn into the progress pictures (bot/pictures): the Training Log's title, summary
and footer, and the weekly chart's titles, axes and legend. Names come in already made safe to
draw (bot.pictures.drawing.safe_text)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from bot.domain.progress import format_miles

# The Training Log
FINAL_MILE = "Final Mile\nat the event"  # the dashed last box, run at the event
FINISH = "finish"  # under the number of the last box before it


def possessive(name: str) -> str:
    return f"{name}'s" if name else "My"


def log_title(name: str) -> str:
    return f"{possessive(name)} Training Log"


def log_summary(total: float, goal: float, done: bool) -> str:
    summary = f"{format_miles(total)} of {format_miles(goal)} miles"
    return summary + " - all done!" if done else summary


def log_footer(awards: Sequence[float]) -> str:
    """How to color the log, and at which miles the starred awards are."""
    footer = "Color one box for every mile."
    if not awards:
        return footer
    miles = [format_miles(m) for m in awards]
    listed = miles[0] if len(miles) == 1 else ", ".join(miles[:-1]) + " and " + miles[-1]
    return footer + f"  Stars: an award at {listed} miles."


# The weekly chart
WEEK_MILES_AXIS = "Miles that week"
TOTAL_AXIS = "Total miles"
NO_MILES_YET = "No miles logged yet: mile 1 is waiting!"
LEGEND_WEEK = "miles that week"
LEGEND_THIS_WEEK = "this week so far"
LEGEND_TOTAL = "total so far"


def chart_title(name: str) -> str:
    return f"{name}: miles per week" if name else "Miles per week"


def week_axis(start: dt.date) -> str:
    return f"Training week (week 1 starts {start:%b} {start.day})"


def goal_line(goal: float) -> str:
    return f"goal {format_miles(goal)}"


def chart_summary(total: float, goal: float, current: int, max_weeks: int,
                  start: dt.date) -> str:
    """Miles so far, and where in the plan this week is (week 0: the plan has not started)."""
    if current == 0:
        when = f"starts {start:%b} {start.day}"
    elif current <= max_weeks:
        when = f"week {current} of {max_weeks}"
    else:
        when = f"week {current}"
    return f"{format_miles(total)} of {format_miles(goal)} miles, {when}"


def legend_plan(min_weeks: int, max_weeks: int, low: float, high: float) -> str:
    """The shaded band: the weekly miles of the 9-12 week plan."""
    return (f"{min_weeks}-{max_weeks} week plan: {format_miles(low)}-{format_miles(high)} "
            "miles a week")
