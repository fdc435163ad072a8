"""/progress replies: each child's progress text with the colored training log, and the chart.

Pictures take a few hundred milliseconds of CPU, so callers render them in a worker thread.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from bot.callbacks import WeeklyChart
from bot.domain.programs import Program
from bot.domain.progress import compute_progress, progress_text
from bot.pictures import training_log_png, weekly_chart_png
from bot.texts.reply import Button, Reply
from storage.families import ChildRecord

CAPTION_LIMIT = 1024  # Telegram's limit for a photo caption


def _start(entries: Sequence[tuple[dt.date, float]], today: dt.date) -> dt.date:
    """Training starts with the first logged mile (today when nothing is logged yet)."""
    return min((day for day, _ in entries), default=today)


def child_progress(child: ChildRecord, entries: Sequence[tuple[dt.date, float]],
                   program: Program, today: dt.date) -> Reply:
    """The progress text as the caption of the child's colored training log."""
    progress = compute_progress(child.name, entries, goal=program.goal_miles,
                                milestones=program.milestones, start=_start(entries, today),
                                today=today, min_weeks=program.min_weeks,
                                max_weeks=program.max_weeks)
    picture = training_log_png(child.name, progress.total, goal=program.goal_miles,
                               milestones=program.milestones)
    return Reply(progress_text(progress)[:CAPTION_LIMIT],
                 ((Button(f"📈 {child.name}'s weekly miles", WeeklyChart(child.id)),),),
                 photo=picture)


def weekly_chart(child: ChildRecord, entries: Sequence[tuple[dt.date, float]],
                 program: Program, today: dt.date) -> Reply:
    picture = weekly_chart_png(child.name, entries, start=_start(entries, today), today=today,
                               max_weeks=program.max_weeks, min_weeks=program.min_weeks,
                               goal=program.goal_miles)
    return Reply(f"{child.name}'s miles per week", photo=picture)


def no_children() -> Reply:
    return Reply("No children on your list yet. Add one with /addkid, then log their miles.")
