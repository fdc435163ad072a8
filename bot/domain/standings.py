"""Use cases behind /progress, the weekly chart and a milestone's picture: where each child
stands, from their logged miles (bot.domain.progress computes it; bot.texts.progress and
bot.pictures show it)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.domain.log_results import NoChildren, Standing
from bot.domain.programs import Program
from bot.domain.progress import Progress, compute_progress
from storage import children, mile_logs, repo
from storage.children import ChildRecord
from storage.db import Database


@dataclass(frozen=True)
class ChildProgress:
    child: ChildRecord
    days: tuple[tuple[dt.date, float], ...]  # (day, miles) of every entry, oldest first
    start: dt.date  # training starts with the first logged mile (today when none yet)
    today: dt.date
    progress: Progress
    program: Program


@dataclass(frozen=True)
class FamilyProgress:
    children: tuple[ChildProgress, ...]  # at least one, in the order they were added


@dataclass(frozen=True)
class ChildGone:
    """A chart button for a child no longer on this family's list (or not theirs)."""


class Standings:
    def __init__(self, db: Database, programs: dict[str, Program],
                 now: Callable[[], dt.datetime] = repo.utcnow) -> None:
        self.db = db
        self.programs = programs
        self.now = now

    async def family(self, program: Program, chat_id: int) -> FamilyProgress | NoChildren:
        """Each child's progress, for /progress."""
        children = await self._children(program, chat_id)
        return FamilyProgress(children) if children else NoChildren()

    async def child(self, program: Program, chat_id: int, child_id: int
                    ) -> ChildProgress | ChildGone:
        """One child of the family, for their weekly chart."""
        found = [c for c in await self._children(program, chat_id) if c.child.id == child_id]
        return found[0] if found else ChildGone()

    async def standing(self, child_id: int) -> Standing | None:
        """A child's total now and their program (for their training-log picture)."""
        async with self.db.session() as session:
            found = await mile_logs.child_standing(session, child_id)
        program = self.programs.get(found[1]) if found and found[1] else None
        if found is None or program is None:
            return None
        child, _, total = found
        return Standing(child.id, child.name, total / 100, program)

    async def _children(self, program: Program, chat_id: int) -> tuple[ChildProgress, ...]:
        today = self.now().astimezone(ZoneInfo(program.timezone)).date()
        async with self.db.session() as session:
            kids = await children.children_of_chat(session, chat_id)
            logged = [(c, tuple((d, h / 100) for d, h in await mile_logs.child_days(session, c.id)))
                      for c in kids]
        return tuple(progress_of(child, days, program, today) for child, days in logged)


def progress_of(child: ChildRecord, days: tuple[tuple[dt.date, float], ...], program: Program,
                today: dt.date) -> ChildProgress:
    """Where a child stands today from their (day, miles), as /progress shows it (the pickup
    log reads its milestones from here too)."""
    start = min((day for day, _ in days), default=today)
    progress = compute_progress(child.name, days, goal=program.goal_miles,
                                milestones=program.milestones, start=start, today=today,
                                min_weeks=program.min_weeks, max_weeks=program.max_weeks)
    return ChildProgress(child, days, start, today, progress, program)
