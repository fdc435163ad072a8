"""A family's children: added, listed, renamed and removed. The caller owns the transaction.

A child belongs to a program. A family may take part in two, and a chat shows the children of
the program it is in now (`in_chats_program`): the others are kept, and shown again when the
chat goes back. A removed child is erased with their miles (children are minors: nothing of
theirs outlives the family's wish); rows from before that, with `removed_at` set, are not
listed.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Chat, Child, Family, MileEntry, MileLog


@dataclass(frozen=True)
class ChildRecord:
    id: int
    family_id: int
    first_name: str
    last_initial: str | None
    grade: str
    school: str | None
    program: str | None = None

    @property
    def name(self) -> str:
        """How the bot calls the child: "Emma", or "Emma R." when a last initial was given."""
        return f"{self.first_name} {self.last_initial}." if self.last_initial else self.first_name


def child_record(row: Child) -> ChildRecord:
    """The plain record of a child row."""
    return ChildRecord(row.id, row.family_id, row.first_name, row.last_initial, row.grade,
                       row.school, row.program)


def in_chats_program() -> ColumnElement[bool]:
    """The child is in the program their family's chat is in now (for any query over
    children: it looks the chat up itself)."""
    return Child.program == (select(Chat.program).join(Family, Family.chat_id == Chat.id)
                             .where(Family.id == Child.family_id).scalar_subquery())


async def add_child(session: AsyncSession, family: int, first_name: str,
                    last_initial: str | None, grade: str, school: str | None, program: str
                    ) -> ChildRecord:
    row = Child(family_id=family, first_name=first_name, last_initial=last_initial, grade=grade,
                school=school, program=program)
    session.add(row)
    await session.flush()
    return child_record(row)


async def adopt(session: AsyncSession, chat_id: int, program: str) -> None:
    """Children from before programs were kept per child, whose chat had none then, join the
    program the chat picks."""
    await session.execute(
        update(Child).where(Child.program.is_(None), Child.family_id.in_(
            select(Family.id).where(Family.chat_id == chat_id))).values(program=program))


async def children(session: AsyncSession, family: int) -> list[ChildRecord]:
    """The family's current children in its chat's program, in the order they were added."""
    rows = await session.scalars(
        select(Child).where(Child.family_id == family, Child.removed_at.is_(None),
                            in_chats_program()).order_by(Child.id)
    )
    return [child_record(r) for r in rows]


async def children_of_chat(session: AsyncSession, chat_id: int) -> list[ChildRecord]:
    """The current children of the chat's family in its program (none without a family)."""
    rows = await session.scalars(
        select(Child).join(Family, Child.family_id == Family.id)
        .join(Chat, Family.chat_id == Chat.id)
        .where(Family.chat_id == chat_id, Child.removed_at.is_(None),
               Child.program == Chat.program).order_by(Child.id)
    )
    return [child_record(r) for r in rows]


async def _own_child(session: AsyncSession, family: int, child_id: int) -> Child | None:
    """The family's child, current and in the chat's program (a button may be older)."""
    return await session.scalar(select(Child).where(
        Child.id == child_id, Child.family_id == family, Child.removed_at.is_(None),
        in_chats_program()))


async def rename_child(session: AsyncSession, family: int, child_id: int, first_name: str,
                       last_initial: str | None) -> ChildRecord | None:
    row = await _own_child(session, family, child_id)
    if row is None:
        return None
    row.first_name, row.last_initial = first_name, last_initial
    await session.flush()
    return child_record(row)


async def remove_child(session: AsyncSession, family: int, child_id: int) -> ChildRecord | None:
    """Take a child off the family's list and erase them: their row, their miles, and the
    family's logs left with no miles (their text names the child)."""
    row = await _own_child(session, family, child_id)
    if row is None:
        return None
    record = child_record(row)
    await session.execute(delete(MileEntry).where(MileEntry.child_id == child_id))
    await session.execute(delete(MileLog).where(
        MileLog.family_id == family,
        ~select(MileEntry.id).where(MileEntry.log_id == MileLog.id).exists()))
    await session.execute(delete(Child).where(Child.id == child_id)
                          .execution_options(synchronize_session=False))
    return record


async def names_in_program(session: AsyncSession, program: str) -> set[str]:
    """The children's first names and schools that families of a program have typed."""
    rows = await session.execute(
        select(Child.first_name, Child.school).where(Child.program == program).distinct())
    return {name for row in rows.all() for name in row if name}
