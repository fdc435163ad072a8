"""The received-updates table: store what Telegram sent, find what is left to handle, in each
chat's order, and mark it handled. The caller owns the transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import changed_rows, on_postgresql
from storage.models import ReceivedUpdate, table

HANDLED, FAILED = "handled", "failed"


@dataclass(frozen=True)
class Incoming:
    update_id: int
    chat_id: int  # 0 for an update without a chat
    payload: str  # JSON


async def store(session: AsyncSession, received: Sequence[Incoming], now: dt.datetime) -> None:
    """Keep updates; one already stored (Telegram sent it again) is left as it is."""
    if not received:
        return
    dialect = postgresql if on_postgresql(session) else sqlite
    await session.execute(
        dialect.insert(table(ReceivedUpdate)).on_conflict_do_nothing(
            index_elements=[ReceivedUpdate.update_id]),
        [{"update_id": u.update_id, "chat_id": u.chat_id, "payload": u.payload,
          "received_at": now} for u in received])


async def waiting_chats(session: AsyncSession, limit: int) -> list[int]:
    """Chats with unhandled updates, the one waiting longest first."""
    first = func.min(ReceivedUpdate.update_id)
    query = (select(ReceivedUpdate.chat_id).where(ReceivedUpdate.handled_at.is_(None))
             .group_by(ReceivedUpdate.chat_id).order_by(first).limit(limit))
    return list((await session.scalars(query)).all())


async def claim_chats(session: AsyncSession, chat_ids: Sequence[int], limit: int) -> list[int]:
    """Take up to `limit` of these chats, in their order, for this transaction, so no other
    worker handles their updates meanwhile (a chat another one has is passed over), in one
    statement. SQLite has one process: the first `limit`."""
    if not on_postgresql(session):
        return list(chat_ids[:limit])
    if not chat_ids:
        return []
    # The scan goes in the list's order and the LIMIT stops it (no sort, which would read
    # every row first): no chat past the last one taken is locked.
    rows = await session.scalars(text(
        "SELECT chat FROM unnest(CAST(:chats AS bigint[])) AS c(chat) "
        "WHERE pg_try_advisory_xact_lock(chat) LIMIT :limit"),
        {"chats": list(chat_ids), "limit": limit})
    return list(rows.all())


async def get(session: AsyncSession, update_id: int) -> Incoming | None:
    """An unhandled update by id."""
    row = (await session.execute(
        select(ReceivedUpdate.chat_id, ReceivedUpdate.payload)
        .where(ReceivedUpdate.update_id == update_id, ReceivedUpdate.handled_at.is_(None))
    )).first()
    return Incoming(update_id, row[0], row[1]) if row else None


async def next_in_chats(session: AsyncSession, chat_ids: Sequence[int]) -> list[Incoming]:
    """Each chat's oldest unhandled update (read after claiming the chats), the one waiting
    longest first: one query for a whole round."""
    if not chat_ids:
        return []
    first = (select(func.min(ReceivedUpdate.update_id).label("update_id"))
             .where(ReceivedUpdate.chat_id.in_(chat_ids), ReceivedUpdate.handled_at.is_(None))
             .group_by(ReceivedUpdate.chat_id).subquery())
    rows = await session.execute(
        select(ReceivedUpdate.update_id, ReceivedUpdate.chat_id, ReceivedUpdate.payload)
        .join(first, ReceivedUpdate.update_id == first.c.update_id)
        .order_by(ReceivedUpdate.update_id))
    return [Incoming(update_id, chat_id, payload) for update_id, chat_id, payload in rows.all()]


async def mark_handled(session: AsyncSession, update_ids: Sequence[int], now: dt.datetime,
                       outcome: str = HANDLED) -> None:
    if update_ids:
        await session.execute(update(table(ReceivedUpdate))
                              .where(ReceivedUpdate.update_id.in_(update_ids))
                              .values(handled_at=now, outcome=outcome))


async def unhandled(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(ReceivedUpdate)
                                    .where(ReceivedUpdate.handled_at.is_(None))) or 0)


async def outcomes(session: AsyncSession) -> dict[int, str | None]:
    """update id -> outcome (None: not handled yet), for tests and tooling."""
    rows = await session.execute(select(ReceivedUpdate.update_id, ReceivedUpdate.outcome))
    return {update_id: outcome for update_id, outcome in rows.all()}


async def prune(session: AsyncSession, handled_before: dt.datetime) -> int:
    """Forget updates handled before then (unhandled ones are never pruned)."""
    return await changed_rows(session, delete(ReceivedUpdate).where(
        ReceivedUpdate.handled_at < handled_before))
