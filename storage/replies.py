"""Replies to a family's own messages, queued in the outbox in the same transaction as what
they report, so one that fails to send is retried rather than lost. The caller owns the
transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage import outbox
from storage.db import on_postgresql
from storage.models import Chat
from storage.outbox import REPLY


@dataclass(frozen=True)
class NewReply:
    text: str
    buttons: str | None = None  # JSON rows of [label, callback data]
    photo: bytes | None = None
    edit_message_id: int | None = None


async def queue(session: AsyncSession, chat_id: int, chat_kind: str,
                replies: Sequence[NewReply], now: dt.datetime) -> list[int]:
    """Queue the replies to one chat, due now and in order; their outbox ids."""
    if not replies:
        return []
    dialect = postgresql if on_postgresql(session) else sqlite
    await session.execute(dialect.insert(Chat).values(  # a reply's chat may be new
        id=chat_id, kind=chat_kind, active=True, created_at=now, updated_at=now,
    ).on_conflict_do_nothing(index_elements=[Chat.id]))
    return await outbox.enqueue(session, [
        outbox.NewMessage(chat_id, REPLY, r.text, now, buttons=r.buttons, photo=r.photo,
                          edit_message_id=r.edit_message_id) for r in replies])
