"""Use cases behind announcements: schedule one, list and cancel them, and (on each tick)
queue the due ones and report finished ones to the organizer who sent them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from storage import announcements, outbox, repo
from storage.announcements import AnnouncementRecord
from storage.db import Database


def report_text(record: AnnouncementRecord, counts: dict[str, int]) -> str:
    who = f"families of {record.school}" if record.school else f"all {record.program} families"
    preview = record.text if len(record.text) <= 60 else record.text[:59] + "…"
    return (f"📣 Your announcement “{preview}” to {who} is out: "
            f"{counts.get(outbox.SENT, 0)} sent, {counts.get(outbox.BLOCKED, 0)} blocked the "
            f"bot, {counts.get(outbox.FAILED, 0)} failed.")


class Announcing:
    def __init__(self, db: Database, now: Callable[[], dt.datetime] = repo.utcnow) -> None:
        self.db = db
        self.now = now

    async def schedule(self, program: str, text: str, due_at: dt.datetime | None = None,
                       school: str | None = None, created_by: int | None = None
                       ) -> tuple[int, int]:
        """Schedule (or, without `due_at`, send at the next tick); (id, recipients now)."""
        async with self.db.session() as session, session.begin():
            announcement = await announcements.create(session, program, text,
                                                      due_at or self.now(), school, created_by)
            count = len(await announcements.recipients(session, program, school))
        return announcement, count

    async def audience_size(self, program: str, school: str | None = None) -> int:
        async with self.db.session() as session:
            return len(await announcements.recipients(session, program, school))

    async def scheduled(self, program: str | None = None) -> list[AnnouncementRecord]:
        async with self.db.session() as session:
            return await announcements.scheduled(session, program)

    async def cancel(self, announcement_id: int) -> AnnouncementRecord | None:
        async with self.db.session() as session, session.begin():
            return await announcements.cancel(session, announcement_id)

    async def process_due(self) -> list[AnnouncementRecord]:
        """Queue the announcements that are due; report those whose delivery has finished."""
        now = self.now()
        async with self.db.session() as session, session.begin():
            queued = await announcements.expand_due(session, now)
        async with self.db.session() as session, session.begin():
            reports = [
                outbox.NewMessage(record.created_by, "report", report_text(record, counts), now,
                                  f"report:{record.id}")
                for record, counts in await announcements.finished(session)
                if record.created_by is not None
            ]
            await outbox.enqueue(session, reports)
        return queued
