"""Mile logs and their entries: what a family logged, undone, deleted and added up.

Miles are stored as whole hundredths of a mile so totals are exact ("0.1 + 0.2" is 30, never
29.999...). An entry counts while `deleted_at` is empty; undoing a log marks all its entries.
The caller owns the transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.children import ChildRecord, child_record, in_chats_program
from storage.db import changed_rows
from storage.models import Chat, Child, Family, MileEntry, MileLog, table, utcnow


@dataclass(frozen=True)
class NewEntry:
    child_id: int
    hundredths: int
    day: dt.date
    activity: str | None = None


@dataclass(frozen=True)
class EntryRecord:
    id: int
    log_id: int
    child_id: int
    child_name: str
    hundredths: int
    day: dt.date
    activity: str | None


@dataclass(frozen=True)
class LogRecord:
    id: int
    family_id: int
    text: str
    logged_at: dt.datetime
    undone: bool
    entries: tuple[EntryRecord, ...]


@dataclass(frozen=True)
class NewLog:
    family_id: int
    text: str
    fingerprint: str
    logged_by: int | None
    entries: tuple[NewEntry, ...]


def _name(child: Child) -> str:
    return child_record(child).name


async def recent_fingerprints(session: AsyncSession, family_ids: Sequence[int],
                              since: dt.datetime) -> set[tuple[int, str]]:
    """(family, fingerprint) of the logs since `since` that still count."""
    rows = await session.execute(
        select(MileLog.family_id, MileLog.fingerprint).where(
            MileLog.family_id.in_(family_ids), MileLog.logged_at >= since,
            MileLog.undone_at.is_(None)))
    return {(family, fingerprint) for family, fingerprint in rows.all()}


async def add_logs(session: AsyncSession, logs: Sequence[NewLog]) -> list[int]:
    """Write several messages' logs and entries; their ids, in order.

    A plain multi-row INSERT and one SELECT of the new ids is far quicker than RETURNING in
    parameter order (row by row on SQLite). The rows are found again by their shared
    `logged_at`; no one else writes these families' logs meanwhile (one writer on SQLite, the
    family rows locked on PostgreSQL), and two logs with the same family and fingerprint carry
    the same entries, so their order among themselves does not matter.
    """
    if not logs:
        return []
    now = utcnow()
    await session.execute(insert(table(MileLog)), [
        {"family_id": log.family_id, "text": log.text, "fingerprint": log.fingerprint,
         "logged_by": log.logged_by, "logged_at": now} for log in logs])
    found: dict[tuple[int, str], list[int]] = {}
    for log_id, family, fingerprint in (await session.execute(
            select(MileLog.id, MileLog.family_id, MileLog.fingerprint)
            .where(MileLog.family_id.in_({log.family_id for log in logs}),
                   MileLog.logged_at == now).order_by(MileLog.id))).all():
        found.setdefault((family, fingerprint), []).append(log_id)
    ids = [found[(log.family_id, log.fingerprint)].pop(0) for log in logs]
    await session.execute(insert(table(MileEntry)), [
        {"log_id": log_id, "child_id": e.child_id, "hundredths": e.hundredths, "day": e.day,
         "activity": e.activity}
        for log_id, log in zip(ids, logs, strict=True) for e in log.entries])
    return ids


async def add_log(session: AsyncSession, family: int, text: str, fingerprint: str,
                  logged_by: int | None, entries: Sequence[NewEntry]) -> int:
    """Write one message's miles: a log row and its entries."""
    [log_id] = await add_logs(session, [NewLog(family, text, fingerprint, logged_by,
                                               tuple(entries))])
    return log_id


async def get_log(session: AsyncSession, family: int, log_id: int | None = None
                  ) -> LogRecord | None:
    """One of the family's logs with its entries that still count, or (`log_id` None) the
    latest log that has any."""
    query = select(MileLog).where(MileLog.family_id == family)
    if log_id is None:  # the latest log that still has miles counting, in the chat's program
        counting = (select(MileEntry.id).join(Child, MileEntry.child_id == Child.id)
                    .where(MileEntry.log_id == MileLog.id, MileEntry.deleted_at.is_(None),
                           in_chats_program()).exists())
        query = query.where(MileLog.undone_at.is_(None), counting).order_by(
            MileLog.id.desc()).limit(1)
    else:
        query = query.where(MileLog.id == log_id)
    log = await session.scalar(query)
    if log is None:
        return None
    rows = await session.execute(
        select(MileEntry, Child).join(Child, MileEntry.child_id == Child.id)
        .where(MileEntry.log_id == log.id, MileEntry.deleted_at.is_(None)).order_by(MileEntry.id)
    )
    entries = tuple(
        EntryRecord(e.id, e.log_id, e.child_id, _name(c), e.hundredths, e.day, e.activity)
        for e, c in rows.all()
    )
    return LogRecord(log.id, log.family_id, log.text, log.logged_at, log.undone_at is not None,
                     entries)


async def undo_log(session: AsyncSession, family: int, log_id: int) -> bool:
    """Take a whole message's miles back; False when it is not the family's or already undone."""
    now = utcnow()
    undone = await changed_rows(
        session, update(MileLog).where(MileLog.id == log_id, MileLog.family_id == family,
                                       MileLog.undone_at.is_(None))
        .values(undone_at=now)
    )
    if undone != 1:
        return False
    await session.execute(
        update(MileEntry).where(MileEntry.log_id == log_id, MileEntry.deleted_at.is_(None))
        .values(deleted_at=now)
    )
    return True


def _counting(family: int) -> Select[MileEntry, Child]:
    """The family's entries that still count, of its children in its chat's program, each
    with its child."""
    return (
        select(MileEntry, Child).join(Child, MileEntry.child_id == Child.id)
        .where(Child.family_id == family, MileEntry.deleted_at.is_(None), in_chats_program())
    )


def _entry(e: MileEntry, c: Child) -> EntryRecord:
    return EntryRecord(e.id, e.log_id, e.child_id, _name(c), e.hundredths, e.day, e.activity)


async def recent_entries(session: AsyncSession, family: int, limit: int = 10, offset: int = 0
                         ) -> list[EntryRecord]:
    """The family's counting entries, newest day first; `offset` skips that many newer ones."""
    rows = await session.execute(
        _counting(family).order_by(MileEntry.day.desc(), MileEntry.id.desc())
        .offset(offset).limit(limit)
    )
    return [_entry(e, c) for e, c in rows.all()]


async def count_entries(session: AsyncSession, family: int) -> int:
    """How many of the family's entries still count (for paging through them)."""
    return await session.scalar(
        select(func.count(MileEntry.id)).join(Child, MileEntry.child_id == Child.id)
        .where(Child.family_id == family, MileEntry.deleted_at.is_(None), in_chats_program())
    ) or 0


async def counting_entry(session: AsyncSession, family: int, entry_id: int
                         ) -> EntryRecord | None:
    """One of the family's entries, while it still counts."""
    row = (await session.execute(_counting(family).where(MileEntry.id == entry_id))).first()
    return _entry(*row) if row is not None else None


async def delete_entry(session: AsyncSession, family: int, entry_id: int) -> EntryRecord | None:
    row = (await session.execute(_counting(family).where(MileEntry.id == entry_id))).first()
    if row is None:
        return None
    entry, child = row
    entry.deleted_at = utcnow()
    await session.flush()
    return _entry(entry, child)


async def totals(session: AsyncSession, family: int,
                 child_ids: Sequence[int] | None = None) -> dict[int, int]:
    """Hundredths of a mile per child id (children with no miles are absent).

    `child_ids` narrows it to those children (already known to be the family's).
    """
    query = select(MileEntry.child_id, func.sum(MileEntry.hundredths)).where(
        MileEntry.deleted_at.is_(None))
    if child_ids is not None:
        query = query.where(MileEntry.child_id.in_(child_ids))
    else:
        query = query.join(Child, MileEntry.child_id == Child.id).where(
            Child.family_id == family, in_chats_program())
    rows = await session.execute(query.group_by(MileEntry.child_id))
    return {child: int(total) for child, total in rows.all()}


async def day_totals(session: AsyncSession, child_ids: Sequence[int]
                     ) -> dict[tuple[int, dt.date], int]:
    """Hundredths logged per (child, day) for these children: the per-day cap and, summed, the
    totals, in one query."""
    if not child_ids:
        return {}
    rows = await session.execute(
        select(MileEntry.child_id, MileEntry.day, func.sum(MileEntry.hundredths))
        .where(MileEntry.child_id.in_(child_ids), MileEntry.deleted_at.is_(None))
        .group_by(MileEntry.child_id, MileEntry.day)
    )
    return {(child, day): int(total) for child, day, total in rows.all()}


async def child_days(session: AsyncSession, child_id: int) -> list[tuple[dt.date, int]]:
    """(day, hundredths) of every counting entry of one child, oldest first."""
    rows = await session.execute(
        select(MileEntry.day, MileEntry.hundredths)
        .where(MileEntry.child_id == child_id, MileEntry.deleted_at.is_(None))
        .order_by(MileEntry.day, MileEntry.id)
    )
    return [(day, hundredths) for day, hundredths in rows.all()]


async def child_standing(session: AsyncSession, child_id: int
                         ) -> tuple[ChildRecord, str | None, int] | None:
    """A child, their program and their total hundredths (for a picture)."""
    row = (await session.execute(
        select(Child, func.coalesce(Child.program, Chat.program))
        .join(Family, Child.family_id == Family.id)
        .join(Chat, Family.chat_id == Chat.id).where(Child.id == child_id))).first()
    if row is None:
        return None
    child, program = row
    total = await totals(session, child.family_id, [child_id])
    return child_record(child), program, total.get(child_id, 0)
