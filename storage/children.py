"""A family's children: added, listed, renamed and removed. The caller owns the transaction.

A removed child keeps their row (and their logged miles, in `storage.mile_logs`); only the
current children are listed.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Child, Family, utcnow


@dataclass(frozen=True)
class ChildRecord:
    id: int
    family_id: int
    first_name: str
    last_initial: str | None
    grade: str
    school: str | None

    @property
    def name(self) -> str:
        """How the bot calls the child: "Emma", or "Emma R." when a last initial was given."""
        return f"{self.first_name} {self.last_initial}." if self.last_initial else self.first_name


def child_record(row: Child) -> ChildRecord:
    """The plain record of a child row."""
    return ChildRecord(row.id, row.family_id, row.first_name, row.last_initial, row.grade,
                       row.school)


async def add_child(session: AsyncSession, family: int, first_name: str,
                    last_initial: str | None, grade: str, school: str | None) -> ChildRecord:
    row = Child(family_id=family, first_name=first_name, last_initial=last_initial, grade=grade,
                school=school)
    session.add(row)
    await session.flush()
    return child_record(row)


async def children(session: AsyncSession, family: int) -> list[ChildRecord]:
    """The family's current children, in the order they were added."""
    rows = await session.scalars(
        select(Child).where(Child.family_id == family, Child.removed_at.is_(None))
        .order_by(Child.id)
    )
    return [child_record(r) for r in rows]


async def children_of_chat(session: AsyncSession, chat_id: int) -> list[ChildRecord]:
    """The current children of the chat's family (none when it has no family yet)."""
    rows = await session.scalars(
        select(Child).join(Family, Child.family_id == Family.id)
        .where(Family.chat_id == chat_id, Child.removed_at.is_(None)).order_by(Child.id)
    )
    return [child_record(r) for r in rows]


async def _own_child(session: AsyncSession, family: int, child_id: int) -> Child | None:
    row = await session.get(Child, child_id)
    if row is None or row.family_id != family or row.removed_at is not None:
        return None
    return row


async def rename_child(session: AsyncSession, family: int, child_id: int, first_name: str,
                       last_initial: str | None) -> ChildRecord | None:
    row = await _own_child(session, family, child_id)
    if row is None:
        return None
    row.first_name, row.last_initial = first_name, last_initial
    await session.flush()
    return child_record(row)


async def remove_child(session: AsyncSession, family: int, child_id: int) -> ChildRecord | None:
    """Take a child off the family's list; their logged miles stay on record."""
    row = await _own_child(session, family, child_id)
    if row is None:
        return None
    row.removed_at = utcnow()
    await session.flush()
    return child_record(row)
