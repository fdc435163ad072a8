"""Families: one per chat, the unit that children, miles and reminders belong to.

The caller owns the transaction. A family's children live in `storage.children`, its miles in
`storage.mile_logs`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.children import ChildRecord, child_record
from storage.db import changed_rows, on_postgresql
from storage.models import Chat, Child, Family, MileLog, Outbox, utcnow


async def family_id(session: AsyncSession, chat_id: int) -> int | None:
    return await session.scalar(select(Family.id).where(Family.chat_id == chat_id))


async def ensure_family(session: AsyncSession, chat_id: int) -> int:
    """The chat's family id, created on first use (safe when two processes race)."""
    dialect = postgresql if on_postgresql(session) else sqlite
    await session.execute(
        dialect.insert(Family).values(chat_id=chat_id, created_at=utcnow())
        .on_conflict_do_nothing(index_elements=[Family.chat_id])
    )
    found = await family_id(session, chat_id)
    assert found is not None
    return found


async def lock_families(session: AsyncSession, family_ids: Sequence[int]) -> None:
    """Hold these families' rows until the transaction ends, so two processes log one family
    in turn. PostgreSQL only: SQLite has one writer at a time anyway."""
    if on_postgresql(session) and family_ids:
        await session.execute(select(Family.id).where(Family.id.in_(sorted(set(family_ids))))
                              .order_by(Family.id).with_for_update())


async def chats_with_children(session: AsyncSession, chat_ids: Sequence[int]
                              ) -> dict[int, tuple[str | None, list[ChildRecord]]]:
    """For each known chat: its program and its family's current children in that program
    (two queries)."""
    programs = dict((await session.execute(
        select(Chat.id, Chat.program).where(Chat.id.in_(chat_ids)))).all())
    found: dict[int, tuple[str | None, list[ChildRecord]]] = {
        chat_id: (program, []) for chat_id, program in programs.items()}
    rows = await session.execute(
        select(Family.chat_id, Child).join(Family, Child.family_id == Family.id)
        .join(Chat, Family.chat_id == Chat.id)
        .where(Family.chat_id.in_(chat_ids), Child.removed_at.is_(None),
               Child.program == Chat.program).order_by(Child.id)
    )
    for chat_id, child in rows.all():
        found[chat_id][1].append(child_record(child))
    return found


async def set_reminders(session: AsyncSession, chat_id: int, on: bool) -> bool:
    """Turn the family's reminders on or off; False when the chat has no family."""
    return await changed_rows(session, update(Family).where(Family.chat_id == chat_id)
                              .values(reminders=on)) == 1


async def quiet_families(session: AsyncSession, program: str, since: dt.datetime,
                         reminded_since: dt.datetime) -> list[tuple[int, int, list[str]]]:
    """(family, chat, children's first names) of the program's families that want reminders,
    have logged nothing since `since` (counting from when they joined) and were not reminded
    since `reminded_since`."""
    reminded = (select(Outbox.id).where(Outbox.chat_id == Family.chat_id,  # queued then
                                        Outbox.kind == "reminder",
                                        Outbox.due_at >= reminded_since).exists())
    last = (select(MileLog.family_id, func.max(MileLog.logged_at).label("last"))
            .where(MileLog.undone_at.is_(None)).group_by(MileLog.family_id).subquery())
    rows = await session.execute(
        select(Family.id, Family.chat_id, Child.first_name)
        .join(Chat, Family.chat_id == Chat.id)
        .join(Child, Child.family_id == Family.id)
        .outerjoin(last, last.c.family_id == Family.id)
        .where(Chat.program == program, Child.program == program, Chat.active.is_(True),
               Family.reminders.is_(True), Child.removed_at.is_(None), ~reminded,
               func.coalesce(last.c.last, Family.created_at) < since)
        .order_by(Family.id, Child.id))
    found: dict[int, tuple[int, int, list[str]]] = {}
    for family, chat_id, name in rows.all():
        found.setdefault(family, (family, chat_id, []))[2].append(name)
    return list(found.values())
