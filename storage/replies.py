"""Replies to a family's own messages, queued in the outbox in the same transaction as what
they report, so one that fails to send is retried rather than lost. The caller owns the
transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import on_postgresql
from storage.models import Chat, Outbox

REPLY = "reply"


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
    await session.execute(dialect.insert(Chat).values(
        id=chat_id, kind=chat_kind, active=True, created_at=now, updated_at=now,
    ).on_conflict_do_nothing(index_elements=[Chat.id]))
    ids = []
    for reply in replies:  # one by one: the ids come back in order on both databases
        ids.append(await session.scalar(insert(Outbox).values(
            chat_id=chat_id, kind=REPLY, text=reply.text, buttons=reply.buttons,
            photo=reply.photo, edit_message_id=reply.edit_message_id, due_at=now,
            state="pending", attempts=0, created_at=now).returning(Outbox.id)))
    return [i for i in ids if i is not None]
