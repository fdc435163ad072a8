"""Announcements: schedule, list, cancel, queue into the outbox when due, and report.

Who gets one is the domain's question (bot.domain.announcing): it claims the due ones here,
works out their recipients, and queues each here; storage never calls back up.
Queueing is idempotent: each recipient's outbox row carries the key
"announcement:<id>:<chat>", so a tick that runs twice (or two processes) queues each family once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage import outbox
from storage.db import changed_rows, on_postgresql
from storage.models import Announcement, Chat, Child, Family, Outbox

SCHEDULED, QUEUED, DONE, CANCELLED = "scheduled", "queued", "done", "cancelled"
ALL, SCHOOL, BEHIND = "all", "school", "behind"


@dataclass(frozen=True)
class AnnouncementRecord:
    id: int
    program: str
    audience: str
    school: str | None
    text: str
    due_at: dt.datetime
    created_by: int | None
    state: str
    recipients: int


def _record(row: Announcement) -> AnnouncementRecord:
    return AnnouncementRecord(row.id, row.program, row.audience, row.school, row.text,
                              row.due_at, row.created_by, row.state, row.recipients)


def outbox_key(announcement_id: int, chat_id: int) -> str:
    return f"announcement:{announcement_id}:{chat_id}"


async def recipients(session: AsyncSession, program: str, school: str | None = None
                     ) -> list[int]:
    """Active chats taking part in the program: in it now, or with a child in it (a family in
    two programs hears from both); with `school`, those with a child of the program there."""
    child_in_program = (select(Family.chat_id).join(Child, Child.family_id == Family.id)
                        .where(Child.program == program, Child.removed_at.is_(None)))
    audience: ColumnElement[bool]
    if school is not None:
        audience = Chat.id.in_(child_in_program.where(
            func.lower(Child.school) == school.strip().lower()))
    else:
        audience = (Chat.program == program) | Chat.id.in_(child_in_program)
    query = select(Chat.id).where(audience, Chat.active.is_(True))
    return list((await session.scalars(query.order_by(Chat.id))).all())


async def create(session: AsyncSession, program: str, text: str, due_at: dt.datetime,
                 school: str | None = None, created_by: int | None = None,
                 audience: str | None = None) -> int:
    audience = audience or (SCHOOL if school else ALL)
    row = Announcement(program=program, audience=audience, school=school,
                       text=text, due_at=due_at, created_by=created_by, state=SCHEDULED,
                       recipients=0)
    session.add(row)
    await session.flush()
    return row.id


async def scheduled(session: AsyncSession, program: str | None = None
                    ) -> list[AnnouncementRecord]:
    query = select(Announcement).where(Announcement.state == SCHEDULED)
    if program is not None:
        query = query.where(Announcement.program == program)
    return [_record(r) for r in await session.scalars(query.order_by(Announcement.due_at))]


async def cancel(session: AsyncSession, announcement_id: int, program: str | None = None
                 ) -> AnnouncementRecord | None:
    """Cancel one not sent yet (of this program, when given); None when it is gone, sent,
    being sent, or another program's."""
    scope = [Announcement.program == program] if program is not None else []
    done = await changed_rows(session,  # only if still scheduled: expansion may have just run
                              update(Announcement).where(Announcement.id == announcement_id,
                                                         Announcement.state == SCHEDULED,
                                                         *scope)
                              .values(state=CANCELLED))
    if done != 1:
        return None
    row = await session.get(Announcement, announcement_id)
    return _record(row) if row else None


async def claim_due(session: AsyncSession, now: dt.datetime) -> list[AnnouncementRecord]:
    """The scheduled announcements that are due, oldest first. On PostgreSQL their rows stay
    locked until the caller's transaction ends, and another worker skips them meanwhile."""
    query = (select(Announcement)
             .where(Announcement.state == SCHEDULED, Announcement.due_at <= now)
             .order_by(Announcement.due_at))
    if on_postgresql(session):
        query = query.with_for_update(skip_locked=True)
    return [_record(row) for row in (await session.scalars(query)).all()]


async def queue(session: AsyncSession, announcement: AnnouncementRecord, chats: list[int],
                now: dt.datetime) -> AnnouncementRecord:
    """Queue a claimed announcement to these chats (one outbox row each); it becomes queued."""
    await outbox.enqueue(session, [
        outbox.NewMessage(chat_id, "announcement", announcement.text, now,
                          outbox_key(announcement.id, chat_id))
        for chat_id in chats])
    await session.execute(update(Announcement).where(Announcement.id == announcement.id)
                          .values(state=QUEUED, recipients=len(chats)))
    return replace(announcement, state=QUEUED, recipients=len(chats))


async def finished(session: AsyncSession) -> list[tuple[AnnouncementRecord, dict[str, int]]]:
    """Queued announcements whose every message was delivered or given up, with the counts
    by outcome; they become done (so each is reported once)."""
    out = []
    for row in (await session.scalars(
            select(Announcement).where(Announcement.state == QUEUED))).all():
        counts = dict((await session.execute(
            select(Outbox.state, func.count()).where(  # a key range: the unique index serves
                Outbox.dedupe_key >= f"announcement:{row.id}:",
                Outbox.dedupe_key < f"announcement:{row.id};")
            .group_by(Outbox.state))).all())
        if counts.get(outbox.PENDING) or counts.get(outbox.SENDING):
            continue
        done = await changed_rows(session, update(Announcement).where(
            Announcement.id == row.id, Announcement.state == QUEUED).values(state=DONE))
        if done == 1:  # another process may have reported it just now
            out.append((_record(row), counts))
    return out

