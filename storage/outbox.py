"""The outbox table: queue messages with their cause, claim due ones, record what happened.

States: pending (waiting or due), sending (claimed by a delivery tick), sent, blocked (the chat
blocked the bot or is gone), failed (gave up after retries). The caller owns the transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import changed_rows, on_postgresql
from storage.models import Chat, Outbox

PENDING, SENDING, SENT, BLOCKED, FAILED = "pending", "sending", "sent", "blocked", "failed"


@dataclass(frozen=True)
class NewMessage:
    chat_id: int
    kind: str
    text: str
    due_at: dt.datetime
    dedupe_key: str | None = None  # at most one message per key, ever (a milestone per child)
    picture: str | None = None  # what to draw when it is sent, e.g. "log:<child id>"
    buttons: str | None = None  # JSON: rows of [label, callback data]


@dataclass(frozen=True)
class OutboxRecord:
    id: int
    chat_id: int
    kind: str
    text: str
    attempts: int
    chat_active: bool
    picture: str | None = None
    buttons: str | None = None
    due_at: dt.datetime | None = None


async def enqueue(session: AsyncSession, messages: Sequence[NewMessage]) -> None:
    """Queue messages; one whose dedupe key was ever queued before is skipped."""
    if not messages:
        return
    dialect = postgresql if on_postgresql(session) else sqlite
    await session.execute(
        dialect.insert(Outbox).on_conflict_do_nothing(index_elements=[Outbox.dedupe_key]),
        [{"chat_id": m.chat_id, "kind": m.kind, "text": m.text, "due_at": m.due_at,
          "dedupe_key": m.dedupe_key, "picture": m.picture, "buttons": m.buttons,
          "state": PENDING, "attempts": 0} for m in messages],
    )


async def cancel_pending(session: AsyncSession, keys: Sequence[str]) -> int:
    """Drop queued messages not sent yet (an undo took their milestone back); their keys free."""
    if not keys:
        return 0
    return await changed_rows(
        session, delete(Outbox).where(Outbox.dedupe_key.in_(keys), Outbox.state == PENDING))


async def claim_due(session: AsyncSession, now: dt.datetime, limit: int, lease: dt.timedelta
                    ) -> list[OutboxRecord]:
    """Claim up to `limit` due messages for this tick (oldest first).

    A claim older than `lease` belongs to a process that died mid-send: it is due again. On
    PostgreSQL several processes claim side by side (FOR UPDATE SKIP LOCKED).
    """
    stale = or_(Outbox.state == PENDING,
                (Outbox.state == SENDING) & (Outbox.claimed_at < now - lease))
    query = (select(Outbox.id).where(stale, Outbox.due_at <= now)
             .order_by(Outbox.due_at, Outbox.id).limit(limit))
    if on_postgresql(session):
        query = query.with_for_update(skip_locked=True)
    ids = list((await session.scalars(query)).all())
    if not ids:
        return []
    await session.execute(update(Outbox).where(Outbox.id.in_(ids)).values(
        state=SENDING, claimed_at=now, attempts=Outbox.attempts + 1))
    rows = await session.execute(
        select(Outbox, Chat.active).join(Chat, Outbox.chat_id == Chat.id)
        .where(Outbox.id.in_(ids)).order_by(Outbox.due_at, Outbox.id))
    return [OutboxRecord(o.id, o.chat_id, o.kind, o.text, o.attempts, active, o.picture,
                         o.buttons, o.due_at) for o, active in rows.all()]


async def mark_sent(session: AsyncSession, ids: Sequence[int], now: dt.datetime) -> None:
    if ids:
        await session.execute(update(Outbox).where(Outbox.id.in_(ids)).values(
            state=SENT, sent_at=now, last_error=None))


async def mark_done(session: AsyncSession, message_id: int, state: str, error: str) -> None:
    """Give up on a message: `blocked` or `failed`, with the reason."""
    await session.execute(update(Outbox).where(Outbox.id == message_id).values(
        state=state, last_error=error[:500]))


async def retry_at(session: AsyncSession, message_id: int, due_at: dt.datetime, error: str,
                   count_attempt: bool = True) -> None:
    """Put a message back in the queue for later (a 429 does not count as an attempt)."""
    values: dict[str, object] = {"state": PENDING, "due_at": due_at, "last_error": error[:500]}
    if not count_attempt:
        values["attempts"] = Outbox.attempts - 1
    await session.execute(update(Outbox).where(Outbox.id == message_id).values(**values))


async def counts(session: AsyncSession) -> dict[str, int]:
    """Messages per state (tests, tooling)."""
    return dict((await session.execute(
        select(Outbox.state, func.count()).group_by(Outbox.state))).all())


async def messages_to(session: AsyncSession, chat_id: int) -> list[tuple[str, str, str]]:
    """(kind, state, text) of a chat's queued messages, oldest first (tests, tooling)."""
    rows = await session.execute(select(Outbox.kind, Outbox.state, Outbox.text)
                                 .where(Outbox.chat_id == chat_id).order_by(Outbox.id))
    return [(kind, state, text) for kind, state, text in rows.all()]
