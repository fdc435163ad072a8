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
from storage.models import Chat, table
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
    return (await queue_many(session, [(chat_id, chat_kind, replies)], now))[0]


async def queue_many(session: AsyncSession,
                     groups: Sequence[tuple[int, str, Sequence[NewReply]]], now: dt.datetime
                     ) -> list[list[int]]:
    """Queue groups of replies, each (chat id, chat kind, replies), due now and in order, in
    two statements whatever their number (a handling round's replies); each group's ids."""
    chats = {chat_id: kind for chat_id, kind, replies in groups if replies}
    if not chats:
        return [[] for _ in groups]
    dialect = postgresql if on_postgresql(session) else sqlite
    await session.execute(  # a reply's chat may be new
        dialect.insert(table(Chat)).on_conflict_do_nothing(index_elements=[Chat.id]),
        [{"id": chat_id, "kind": kind, "active": True, "created_at": now, "updated_at": now}
         for chat_id, kind in sorted(chats.items())])
    # Replies have no dedupe key: each is queued, and ids rise in the order given.
    ids = iter(sorted(await outbox.enqueue(session, [
        outbox.NewMessage(chat_id, REPLY, r.text, now, buttons=r.buttons, photo=r.photo,
                          edit_message_id=r.edit_message_id)
        for chat_id, _, replies in groups for r in replies])))
    return [[next(ids) for _ in replies] for _, _, replies in groups]
