"""The FAQ's learned layer over the YAML: alternates (candidates, accepted, rejected) and entries
organizers wrote, and the per-program version every change moves. The caller owns the
transaction; each write here moves the version in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import on_postgresql
from storage.learned_models import LearnedAlternate, LearnedEntry, LearnedVersion
from storage.models import Question
from storage.repo import PICKED

CANDIDATE, ACCEPTED, REJECTED = "candidate", "accepted", "rejected"


@dataclass(frozen=True)
class LearnedAlternateRecord:
    id: int
    program: str
    entry_id: str
    asked: str  # as parents asked it
    text: str  # the phrasing (edited by an organizer, or as asked)
    status: str
    families: int
    decided_by: int | None
    decided_at: dt.datetime | None
    exported: bool


@dataclass(frozen=True)
class LearnedEntryRecord:
    id: int
    program: str
    entry_id: str
    topic: str
    question: str
    answer: str
    alternates: tuple[str, ...]
    created_by: int | None
    exported: bool


def _alternate(row: LearnedAlternate) -> LearnedAlternateRecord:
    return LearnedAlternateRecord(row.id, row.program, row.entry_id, row.asked, row.text,
                                  row.status, row.families, row.decided_by, row.decided_at,
                                  row.exported_at is not None)


def _entry(row: LearnedEntry) -> LearnedEntryRecord:
    return LearnedEntryRecord(row.id, row.program, row.entry_id, row.topic, row.question,
                              row.answer, tuple(json.loads(row.alternates or "[]")),
                              row.created_by, row.exported_at is not None)


async def version(session: AsyncSession, program: str) -> int:
    """The program's learned-layer version: 0 before anything was learned."""
    found = await session.scalar(select(LearnedVersion.version)
                                 .where(LearnedVersion.program == program))
    return found or 0


async def _lock(session: AsyncSession, program: str) -> None:
    """Writers of a program's layer take its version row first, before any row they change:
    one that changed a row and then waited for the version while another held the version and
    waited for that row would deadlock (a parent's pick learning beside an organizer's accept).
    SQLite runs one writer at a time anyway."""
    if not on_postgresql(session):
        return
    await session.execute(postgresql.insert(LearnedVersion).values(program=program, version=0)
                          .on_conflict_do_nothing())
    await session.execute(select(LearnedVersion.version)
                          .where(LearnedVersion.program == program).with_for_update())


async def _bump(session: AsyncSession, program: str) -> None:
    dialect = postgresql if on_postgresql(session) else sqlite
    await session.execute(dialect.insert(LearnedVersion).values(program=program, version=1)
                          .on_conflict_do_update(
                              index_elements=[LearnedVersion.program],
                              set_={"version": LearnedVersion.version + 1}))


async def alternates(session: AsyncSession, program: str, status: str | None = None
                     ) -> list[LearnedAlternateRecord]:
    """The program's learned alternates (of one status), oldest first."""
    query = select(LearnedAlternate).where(LearnedAlternate.program == program)
    if status is not None:
        query = query.where(LearnedAlternate.status == status)
    rows = await session.scalars(query.order_by(LearnedAlternate.id))
    return [_alternate(r) for r in rows]


async def alternate(session: AsyncSession, program: str, alternate_id: int
                    ) -> LearnedAlternateRecord | None:
    row = await session.get(LearnedAlternate, alternate_id)
    return _alternate(row) if row is not None and row.program == program else None


async def propose(session: AsyncSession, program: str, entry_id: str, asked: str,
                  families: int, now: dt.datetime, status: str = CANDIDATE,
                  decided_by: int | None = None) -> LearnedAlternateRecord | None:
    """A new learned alternate (a candidate, or accepted at once); None when this wording is
    already known for the entry, whatever its status (its family count is brought up to date
    while it is a candidate)."""
    await _lock(session, program)
    dialect = postgresql if on_postgresql(session) else sqlite
    decided = now if status != CANDIDATE else None
    inserted = await session.scalar(
        dialect.insert(LearnedAlternate).values(
            program=program, entry_id=entry_id, asked=asked, text=asked, status=status,
            families=families, created_at=now, decided_by=decided_by, decided_at=decided)
        .on_conflict_do_nothing().returning(LearnedAlternate.id))
    if inserted is None:
        await count_families(session, program, entry_id, [asked], families)
        return None
    await _bump(session, program)
    return await alternate(session, program, inserted)


async def count_families(session: AsyncSession, program: str, entry_id: str,
                         asked: list[str], families: int) -> None:
    """More families asked these candidates' question: their count goes up (never down)."""
    await _lock(session, program)
    await session.execute(update(LearnedAlternate).where(
        LearnedAlternate.program == program, LearnedAlternate.entry_id == entry_id,
        LearnedAlternate.asked.in_(asked), LearnedAlternate.status == CANDIDATE,
        LearnedAlternate.families < families).values(families=families))


async def decide(session: AsyncSession, program: str, alternate_id: int, status: str,
                 decided_by: int | None, now: dt.datetime, text: str | None = None,
                 only_from: tuple[str, ...] = (CANDIDATE,)) -> LearnedAlternateRecord | None:
    """Accept or reject a learned alternate that is still in one of `only_from` (another
    organizer may have decided it meanwhile: then None). `text`: the edited phrasing."""
    await _lock(session, program)
    values: dict[str, object] = {"status": status, "decided_by": decided_by, "decided_at": now}
    if text is not None:
        values["text"] = text
    changed = await session.execute(update(LearnedAlternate).where(
        LearnedAlternate.id == alternate_id, LearnedAlternate.program == program,
        LearnedAlternate.status.in_(only_from)).values(**values)
        .returning(LearnedAlternate.id))
    if changed.scalar() is None:
        return None
    await _bump(session, program)
    row = await session.get(LearnedAlternate, alternate_id, populate_existing=True)
    return _alternate(row) if row is not None else None


async def entries(session: AsyncSession, program: str) -> list[LearnedEntryRecord]:
    """The entries organizers wrote for the program, oldest first."""
    rows = await session.scalars(select(LearnedEntry).where(LearnedEntry.program == program)
                                 .order_by(LearnedEntry.id))
    return [_entry(r) for r in rows]


async def add_entry(session: AsyncSession, program: str, entry_id: str, topic: str,
                    question: str, answer: str, alternates: tuple[str, ...],
                    created_by: int | None, now: dt.datetime) -> LearnedEntryRecord | None:
    """A new entry; None when the program already has a learned entry with this id."""
    await _lock(session, program)
    dialect = postgresql if on_postgresql(session) else sqlite
    inserted = await session.scalar(
        dialect.insert(LearnedEntry).values(
            program=program, entry_id=entry_id, topic=topic, question=question, answer=answer,
            alternates=json.dumps(list(alternates), ensure_ascii=False),
            created_by=created_by, created_at=now)
        .on_conflict_do_nothing().returning(LearnedEntry.id))
    if inserted is None:
        return None
    await _bump(session, program)
    row = await session.get(LearnedEntry, inserted)
    return _entry(row) if row is not None else None


async def mark_exported(session: AsyncSession, program: str, alternate_ids: list[int],
                        entry_ids: list[int], now: dt.datetime) -> None:
    """These rows are in the YAML file now: a later export does not write them again."""
    if alternate_ids:
        await session.execute(update(LearnedAlternate).where(
            LearnedAlternate.program == program, LearnedAlternate.id.in_(alternate_ids))
            .values(exported_at=now))
    if entry_ids:
        await session.execute(update(LearnedEntry).where(
            LearnedEntry.program == program, LearnedEntry.id.in_(entry_ids))
            .values(exported_at=now))


async def picked_questions(session: AsyncSession, program: str, entry_id: str
                           ) -> list[tuple[int, int | None, str, dt.datetime]]:
    """(id, asker chat, text, asked at) of the questions parents resolved to this entry by
    picking it among suggestions, oldest first."""
    rows = await session.execute(
        select(Question.id, Question.chat_id, Question.text, Question.asked_at)
        .where(Question.program == program, Question.outcome == PICKED,
               Question.entry_id == entry_id)
        .order_by(Question.asked_at, Question.id))
    return [(r.id, r.chat_id, r.text, r.asked_at) for r in rows]


async def accept_wording(session: AsyncSession, program: str, entry_id: str, asked: str,
                         families: int, decided_by: int | None, now: dt.datetime
                         ) -> LearnedAlternateRecord | None:
    """An organizer answered this wording with this entry: an accepted alternate, whether it
    was new, a candidate or rejected before."""
    await _lock(session, program)
    dialect = postgresql if on_postgresql(session) else sqlite
    statement = dialect.insert(LearnedAlternate).values(
        program=program, entry_id=entry_id, asked=asked, text=asked, status=ACCEPTED,
        families=families, created_at=now, decided_by=decided_by, decided_at=now)
    row_id = await session.scalar(statement.on_conflict_do_update(
        index_elements=[LearnedAlternate.program, LearnedAlternate.entry_id,
                        LearnedAlternate.asked],
        set_={"status": ACCEPTED, "decided_by": decided_by, "decided_at": now})
        .returning(LearnedAlternate.id))
    await _bump(session, program)
    return await alternate(session, program, row_id) if row_id is not None else None


async def picked_entries(session: AsyncSession, program: str) -> list[str]:
    """The entries parents picked among suggestions at least once."""
    rows = await session.scalars(select(Question.entry_id).distinct().where(
        Question.program == program, Question.outcome == PICKED,
        Question.entry_id.is_not(None)))
    return sorted(e for e in rows if e)
