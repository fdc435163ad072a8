"""Use cases behind announcements: schedule one, list and cancel them, and (on each tick)
queue the due ones and report finished ones to the organizer who sent them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.programs import Program
from bot.domain.progress import compute_progress
from storage import announcements, mile_logs, outbox, repo
from storage.announcements import AnnouncementRecord
from storage.db import Database


@dataclass(frozen=True)
class DeliveryReport:
    """An announcement whose delivery has finished: what its organizer is told."""

    announcement: AnnouncementRecord
    program_name: str
    sent: int
    blocked: int  # the family blocked the bot
    failed: int


ReportRenderer = Callable[[DeliveryReport], str]  # the report's wording (bot.texts.announce)


def behind_pace(days: list[tuple[dt.date, int]], program: Program, today: dt.date) -> bool:
    """Whether a child is behind the 9-12 week plan counted from their first logged mile
    (bot.domain.progress defines "behind"). A child with no miles yet has not started, so is
    not behind."""
    start = min((day for day, _ in days), default=today)
    progress = compute_progress("", [(day, amount / 100) for day, amount in days],
                                goal=program.goal_miles, milestones=program.milestones,
                                start=start, today=today, min_weeks=program.min_weeks,
                                max_weeks=program.max_weeks)
    return progress.pace == "behind"


class Announcing:
    """Use cases behind /announce and /announcements, and the tick that queues due ones."""

    def __init__(self, db: Database, programs: dict[str, Program] | None = None, *,
                 render_report: ReportRenderer,
                 now: Callable[[], dt.datetime] = repo.utcnow) -> None:
        self.db = db
        self.programs = programs or {}
        self.render_report = render_report
        self.now = now

    async def schedule(self, program: str, text: str, due_at: dt.datetime | None = None,
                       school: str | None = None, created_by: int | None = None,
                       audience: str | None = None) -> tuple[int, int]:
        """Schedule (or, without `due_at`, send at the next tick); (id, recipients now)."""
        async with self.db.session() as session, session.begin():
            announcement = await announcements.create(session, program, text,
                                                      due_at or self.now(), school, created_by,
                                                      audience)
        return announcement, await self.audience_size(program, school, audience)

    def _name(self, slug: str) -> str:
        program = self.programs.get(slug)
        return program.short_name if program else slug

    async def audience_size(self, program: str, school: str | None = None,
                            audience: str | None = None) -> int:
        record = AnnouncementRecord(0, program, audience or announcements.ALL, school, "",
                                    self.now(), None, announcements.SCHEDULED, 0)
        async with self.db.session() as session:
            return len(await self._recipients(session, record))

    async def scheduled(self, program: str | None = None) -> list[AnnouncementRecord]:
        async with self.db.session() as session:
            return await announcements.scheduled(session, program)

    async def cancel(self, announcement_id: int) -> AnnouncementRecord | None:
        async with self.db.session() as session, session.begin():
            return await announcements.cancel(session, announcement_id)

    async def _recipients(self, session: AsyncSession, record: AnnouncementRecord
                          ) -> list[int]:
        if record.audience != announcements.BEHIND:
            return await announcements.recipients(session, record.program, record.school)
        program = self.programs.get(record.program)
        if program is None:
            return []
        by_chat = await mile_logs.program_children_days(session, record.program)
        today = self.now().astimezone(ZoneInfo(program.timezone)).date()
        return [chat for chat, kids in by_chat.items()
                if any(behind_pace(days, program, today) for _child, days in kids)]

    async def process_due(self) -> list[AnnouncementRecord]:
        """Queue the announcements that are due; report those whose delivery has finished.

        Claiming, choosing recipients and queueing share one transaction, so an announcement
        is queued whole or not at all, and two workers never queue the same one."""
        now = self.now()
        queued = []
        async with self.db.session() as session, session.begin():
            for record in await announcements.claim_due(session, now):
                chats = await self._recipients(session, record)
                queued.append(await announcements.queue(session, record, chats, now))
        async with self.db.session() as session, session.begin():
            reports = [outbox.NewMessage(record.created_by, "report",
                                         self.render_report(self._report(record, counts)), now,
                                         f"report:{record.id}")
                       for record, counts in await announcements.finished(session)
                       if record.created_by is not None]
            await outbox.enqueue(session, reports)
        return queued

    def _report(self, record: AnnouncementRecord, counts: dict[str, int]) -> DeliveryReport:
        return DeliveryReport(record, self._name(record.program), counts.get(outbox.SENT, 0),
                              counts.get(outbox.BLOCKED, 0), counts.get(outbox.FAILED, 0))
