"""A program's children and their miles across its families: the packet-pickup export, each
child's entries (for the printed pickup log) and the days each child logged (for the program's
announcements of pace). The caller owns the transaction.

A child counts in the program they belong to, whichever program their family's chat is in
now (a family may take part in two).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.children import ChildRecord, child_record
from storage.models import Chat, Child, Family, MileEntry


@dataclass(frozen=True)
class ExportRow:
    child: ChildRecord
    total_hundredths: int
    entries: int


@dataclass(frozen=True)
class EntryRow:
    day: dt.date
    hundredths: int
    activity: str | None


def _current(program: str, school: str | None) -> list[ColumnElement[bool]]:
    """The program's current children (of one school, any spelling case, when given)."""
    where = [Child.program == program, Child.removed_at.is_(None)]
    if school is not None:
        where.append(func.lower(Child.school) == school.lower())
    return where


async def export_rows(session: AsyncSession, program: str, school: str | None = None
                      ) -> list[ExportRow]:
    """Every current child of the program with total miles, for packet pickup."""
    counted = (
        select(MileEntry.child_id, func.sum(MileEntry.hundredths).label("total"),
               func.count(MileEntry.id).label("entries"))
        .where(MileEntry.deleted_at.is_(None)).group_by(MileEntry.child_id).subquery()
    )
    query = (
        select(Child, counted.c.total, counted.c.entries)
        .outerjoin(counted, counted.c.child_id == Child.id)
        .where(*_current(program, school))
        .order_by(func.coalesce(Child.school, ""), Child.first_name, Child.id)
    )
    rows = await session.execute(query)
    return [ExportRow(child_record(c), int(total or 0), int(entries or 0))
            for c, total, entries in rows]


async def program_entries(session: AsyncSession, program: str, school: str | None = None
                          ) -> dict[int, list[EntryRow]]:
    """The counting entries of the same children as `export_rows`, per child id, oldest day
    first (children with none are absent): one query for the whole pickup log."""
    rows = await session.execute(
        select(MileEntry.child_id, MileEntry.day, MileEntry.hundredths, MileEntry.activity)
        .join(Child, MileEntry.child_id == Child.id)
        .where(MileEntry.deleted_at.is_(None), *_current(program, school))
        .order_by(MileEntry.child_id, MileEntry.day, MileEntry.id))
    found: dict[int, list[EntryRow]] = {}
    for child_id, day, hundredths, activity in rows.all():
        found.setdefault(child_id, []).append(EntryRow(day, hundredths, activity))
    return found


async def program_children_days(session: AsyncSession, program: str
                                ) -> dict[int, list[tuple[int, list[tuple[dt.date, int]]]]]:
    """Per active chat with children in the program: each of them (current) with their
    (day, hundredths)."""
    rows = await session.execute(
        select(Family.chat_id, Child.id, MileEntry.day, MileEntry.hundredths)
        .join(Chat, Family.chat_id == Chat.id)
        .join(Child, Child.family_id == Family.id)
        .outerjoin(MileEntry, (MileEntry.child_id == Child.id) & MileEntry.deleted_at.is_(None))
        .where(Child.program == program, Chat.active.is_(True), Child.removed_at.is_(None))
        .order_by(Family.chat_id, Child.id))
    found: dict[int, dict[int, list[tuple[dt.date, int]]]] = {}
    for chat_id, child_id, day, amount in rows.all():
        days = found.setdefault(chat_id, {}).setdefault(child_id, [])
        if day is not None:
            days.append((day, amount))
    return {chat: list(kids.items()) for chat, kids in found.items()}


@dataclass(frozen=True)
class RosterRow:
    child: ChildRecord
    days: list[tuple[dt.date, int]]  # (day, hundredths) of each counting entry, oldest first


async def roster(session: AsyncSession, program: str, schools: Sequence[str] | None = None
                 ) -> list[RosterRow]:
    """The program's current children (at these schools, any case; None: all), by school and
    name, each with the miles they logged."""
    query = (select(Child, MileEntry.day, MileEntry.hundredths)
             .outerjoin(MileEntry, (MileEntry.child_id == Child.id)
                        & MileEntry.deleted_at.is_(None))
             .where(*_current(program, None))
             .order_by(func.coalesce(Child.school, ""), Child.first_name, Child.id,
                       MileEntry.day))
    if schools is not None:
        query = query.where(func.lower(Child.school).in_([s.lower() for s in schools]))
    found: dict[int, RosterRow] = {}
    for child, day, hundredths in (await session.execute(query)).all():
        row = found.setdefault(child.id, RosterRow(child_record(child), []))
        if day is not None:
            row.days.append((day, hundredths))
    return list(found.values())
