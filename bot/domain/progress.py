"""One child's progress: totals, milestones, pace and the text progress bar.

Pure: no Telegram, no database, no matplotlib. The pictures live in `bot.pictures`, the
/progress text in `bot.texts.progress`.

Children run or walk the first 25.2 miles one mile at a time over a 9-12 week plan, then run
the final mile at the event. Parents present an "award" at 5, 10, 15 and 20 miles.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

DEFAULT_GOAL = 25.2
DEFAULT_MILESTONES: tuple[float, ...] = (5, 10, 15, 20, 25.2)

BEHIND_GRACE = 1.0  # miles below the 12-week plan still counted as on track
FAR_AHEAD_MARGIN = 5.0  # miles above the 9-week plan that count as far ahead
FAST_FINISH_WEEKS = 6  # on course to finish faster than this: far ahead
FAST_FINISH_MIN_DAYS = 14  # ...judged only after two weeks (one keen first day is no trend)

Pace = Literal["not_started", "behind", "on_track", "ahead", "far_ahead", "done"]

def round_miles(x: float) -> float:
    """Round to hundredths of a mile, the precision everything is compared at (no -0.0)."""
    return round(x, 2) + 0.0


def format_miles(x: float) -> str:
    """Miles as people write them: 7.5, 10, 25.2, 0.25 (never 7.500000001 or 10.0)."""
    text = f"{round_miles(x):.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


@dataclass(frozen=True)
class Progress:
    child: str
    total: float  # miles, sum of entries, rounded to 2 decimals (never below 0)
    goal: float  # e.g. 25.2
    remaining: float  # max(0, goal - total)
    fraction: float  # 0..1
    reached: tuple[float, ...]  # milestones reached, ascending
    next_milestone: float | None
    to_next: float | None  # miles to the next milestone
    days_training: int  # since start, inclusive (0 before the start day)
    pace: Pace
    expected_range: tuple[float, float]  # miles expected by today: (12-week plan, 9-week plan)
    per_week_needed: float | None  # miles a week to finish within max_weeks (None when done)
    min_weeks: int = 9
    max_weeks: int = 12

    @property
    def week(self) -> int:
        """The training week today falls in (1 on the start day; 0 before it)."""
        return (self.days_training + 6) // 7


def crossed_milestones(before: float, after: float,
                       milestones: Sequence[float] = DEFAULT_MILESTONES) -> tuple[float, ...]:
    """Milestones m with before < m <= after, ascending, compared at hundredths of a mile.

    So 0.1 + 0.1 + 0.1 reaches a 0.3 milestone, and going down (an undo) crosses nothing:
    crossed_milestones(9.5, 10.5) == (10,) and crossed_milestones(10.5, 9.5) == ().
    """
    b, a = round_miles(before), round_miles(after)
    return tuple(m for m in sorted(milestones) if b < round_miles(m) <= a)


def _pace(total: float, goal: float, days: int, expected_12: float, expected_9: float) -> Pace:
    if total <= 0:
        return "not_started"
    if total >= round_miles(goal):
        return "done"
    fast_line = goal * days / (FAST_FINISH_WEEKS * 7)
    if total >= round_miles(expected_9 + FAR_AHEAD_MARGIN) or (
            days >= FAST_FINISH_MIN_DAYS and total >= round_miles(fast_line)):
        return "far_ahead"
    if total > round_miles(expected_9):
        return "ahead"
    if total < round_miles(expected_12 - BEHIND_GRACE):
        return "behind"
    return "on_track"


def compute_progress(child: str, entries: Sequence[tuple[date, float]], *,
                     goal: float = DEFAULT_GOAL,
                     milestones: Sequence[float] = DEFAULT_MILESTONES,
                     start: date, today: date, min_weeks: int = 9,
                     max_weeks: int = 12) -> Progress:
    """Where one child stands today.

    `total` is the sum of every entry's miles (whatever its date), rounded to hundredths and
    never below 0. `days_training` counts days since `start` inclusive: 1 on the start day,
    0 before it.

    Pace compares the total with the miles a steady plan would have reached by today:

    - expected on the 12-week plan = goal * days / 84, on the 9-week plan = goal * days / 63
      (days capped at the plan's length; the weeks come from `max_weeks` and `min_weeks`);
      `expected_range` is that pair, (12-week, 9-week);
    - ``not_started``: no miles yet (total 0), whatever the date;
    - ``done``: total >= goal;
    - ``far_ahead``: total >= 9-week expected + 5 miles, or, from day 14 on, on course to finish
      within 6 weeks (total >= goal * days / 42). This is where the program says "Early
      completion of the program is not recommended.";
    - ``ahead``: above the 9-week expected;
    - ``behind``: below the 12-week expected by more than a 1-mile grace;
    - ``on_track``: everything between.

    `per_week_needed` is the miles a week that would still finish by the end of week
    `max_weeks`, counting today as a day left to train and never fewer than 7 days left
    (so after the plan's end it is simply the miles remaining). None when done.
    """
    if goal <= 0:
        raise ValueError("goal must be positive")
    if not 0 < min_weeks <= max_weeks:
        raise ValueError("need 0 < min_weeks <= max_weeks")
    total = max(0.0, round_miles(math.fsum(miles for _, miles in entries)))
    remaining = max(0.0, round_miles(goal - total))
    fraction = min(1.0, total / goal)

    ordered = sorted(milestones)
    reached = tuple(m for m in ordered if round_miles(m) <= total)
    upcoming = [m for m in ordered if round_miles(m) > total]
    next_milestone = upcoming[0] if upcoming else None
    to_next = round_miles(next_milestone - total) if next_milestone is not None else None

    days = max(0, (today - start).days + 1)
    long_days, short_days = max_weeks * 7, min_weeks * 7
    expected_12 = round_miles(goal * min(days, long_days) / long_days)
    expected_9 = round_miles(goal * min(days, short_days) / short_days)
    pace = _pace(total, goal, days, expected_12, expected_9)

    if pace == "done":
        per_week: float | None = None
    else:
        days_left = max(long_days - max(days, 1) + 1, 7)
        per_week = round_miles(remaining * 7 / days_left)

    return Progress(
        child=child, total=total, goal=goal, remaining=remaining, fraction=fraction,
        reached=reached, next_milestone=next_milestone, to_next=to_next,
        days_training=days, pace=pace, expected_range=(expected_12, expected_9),
        per_week_needed=per_week, min_weeks=min_weeks, max_weeks=max_weeks,
    )


def progress_bar(fraction: float, width: int = 12) -> str:
    """A text bar like ▓▓▓▓░░░░░░░░; fraction is clamped to 0..1.

    Any progress shows at least one block, and the bar is full only when the goal is reached.
    """
    if width < 1:
        raise ValueError("width must be at least 1")
    f = fraction if math.isfinite(fraction) else 0.0
    f = min(1.0, max(0.0, f))
    filled = round(f * width)
    if f > 0:
        filled = max(filled, 1)
    if f < 1:
        filled = min(filled, width - 1)
    return "▓" * filled + "░" * (width - filled)


def percent(fraction: float) -> int:
    """Whole percent for display: 0 only with no miles, 100 only at the goal."""
    f = min(1.0, max(0.0, fraction if math.isfinite(fraction) else 0.0))
    value = round(f * 100)
    if f > 0:
        value = max(value, 1)
    if f < 1:
        value = min(value, 99)
    return value
