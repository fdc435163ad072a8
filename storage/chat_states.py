"""Chats' conversation state between updates, as an opaque blob the bot packs and unpacks.
The caller owns the transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import on_postgresql
from storage.models import ChatState, table


async def load(session: AsyncSession, chat_id: int) -> bytes | None:
    return await session.scalar(select(ChatState.state).where(ChatState.chat_id == chat_id))


async def load_many(session: AsyncSession, chat_ids: Sequence[int]) -> dict[int, bytes]:
    """The saved states of these chats (chats waiting for nothing have none)."""
    if not chat_ids:
        return {}
    rows = await session.execute(select(ChatState.chat_id, ChatState.state)
                                 .where(ChatState.chat_id.in_(chat_ids)))
    return {chat_id: state for chat_id, state in rows.all()}


async def save(session: AsyncSession, chat_id: int, state: bytes | None, now: dt.datetime
               ) -> None:
    """Keep the chat's state; None: it waits for nothing, so its row goes."""
    await save_many(session, {chat_id: state}, now)


async def save_many(session: AsyncSession, states: Mapping[int, bytes | None], now: dt.datetime
                    ) -> None:
    """Keep these chats' states (None: the chat waits for nothing, its row goes), in at most
    two statements whatever their number (a handling round's chats)."""
    gone = sorted(chat_id for chat_id, state in states.items() if state is None)
    kept = [{"chat_id": chat_id, "state": state, "updated_at": now}
            for chat_id, state in sorted(states.items()) if state is not None]
    if gone:
        await session.execute(delete(ChatState).where(ChatState.chat_id.in_(gone)))
    if kept:  # many rows to one cached statement: building a multi-row VALUES costs more
        dialect = postgresql if on_postgresql(session) else sqlite
        insert = dialect.insert(table(ChatState))
        await session.execute(insert.on_conflict_do_update(
            index_elements=[ChatState.chat_id],
            set_={"state": insert.excluded.state, "updated_at": insert.excluded.updated_at}),
            kept)
