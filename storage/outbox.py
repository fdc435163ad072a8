"""The outbox table: queue messages with their cause, claim due ones, record what happened.

States: pending (waiting or due), sending (claimed as its request goes out), sent, blocked (the
chat blocked the bot or is gone), failed (gave up after retries), unknown (the request timed out:
it may have arrived, so it is not sent again). Rows of kind "reply" answer a family's own
message: they are claimed before any other kind. The caller owns the transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, exists, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement

from storage.db import changed_rows, on_postgresql
from storage.models import Chat, Outbox, table

PENDING, SENDING, SENT, BLOCKED, FAILED = "pending", "sending", "sent", "blocked", "failed"
UNKNOWN = "unknown"
REPLY = "reply"


@dataclass(frozen=True)
class NewMessage:
    chat_id: int
    kind: str
    text: str
    due_at: dt.datetime
    dedupe_key: str | None = None  # at most one message per key, ever (a milestone per child)
    picture: str | None = None  # what to draw when it is sent, e.g. "log:<child id>"
    buttons: str | None = None  # JSON: rows of [label, callback data]
    photo: bytes | None = None  # a picture to send as is (PNG), with `text` as its caption
    edit_message_id: int | None = None  # edit this message (text, or buttons alone if no text)


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
    photo: bytes | None = None
    edit_message_id: int | None = None


async def enqueue(session: AsyncSession, messages: Sequence[NewMessage]) -> list[int]:
    """Queue messages; one whose dedupe key was ever queued before is skipped. Returns the ids
    of the rows queued (for `Delivery.send_now`)."""
    if not messages:
        return []
    dialect = postgresql if on_postgresql(session) else sqlite
    rows = [{"chat_id": m.chat_id, "kind": m.kind, "text": m.text, "due_at": m.due_at,
             "dedupe_key": m.dedupe_key, "picture": m.picture, "buttons": m.buttons,
             "photo": m.photo, "edit_message_id": m.edit_message_id,
             "state": PENDING, "attempts": 0} for m in messages]
    # The table, not the ORM class: the ORM's bulk path costs more than the insert.
    insert = dialect.insert(table(Outbox)).on_conflict_do_nothing(
        index_elements=[Outbox.dedupe_key])
    return list((await session.scalars(insert.returning(Outbox.id), rows)).all())


async def cancel_pending(session: AsyncSession, keys: Sequence[str]) -> int:
    """Drop queued messages not sent yet (an undo took their milestone back); their keys free."""
    if not keys:
        return 0
    return await changed_rows(
        session, delete(Outbox).where(Outbox.dedupe_key.in_(keys), Outbox.state == PENDING))


async def claim_due(session: AsyncSession, now: dt.datetime, limit: int, lease: dt.timedelta
                    ) -> list[OutboxRecord]:
    """Claim up to `limit` due messages: replies first, in the order they were queued (a
    chat's replies keep theirs), then the rest, oldest first.

    A claim older than `lease` belongs to a process that died mid-send: it is due again. On
    PostgreSQL several processes claim side by side (FOR UPDATE SKIP LOCKED).
    """
    claimable = or_(Outbox.state == PENDING,
                    (Outbox.state == SENDING) & (Outbox.claimed_at < now - lease))
    # A reply waits while an earlier one to its chat waits for a retry (an earlier one that
    # is due is claimed with it, first; one on the wire from this process goes first, as the
    # chat's messages go one after another): a chat's replies keep their order. One left on
    # the wire by a process that died is not waited for: it is sent again after its lease,
    # and the family's newer replies do not wait that long.
    earlier = aliased(Outbox)
    in_turn = ~exists().where(
        earlier.chat_id == Outbox.chat_id, earlier.kind == REPLY, earlier.id < Outbox.id,
        earlier.state == PENDING, earlier.due_at > now)
    ids: list[int] = []
    for of_kind, oldest in (((Outbox.kind == REPLY) & in_turn, (Outbox.id,)),
                            (Outbox.kind != REPLY, (Outbox.due_at, Outbox.id))):
        if len(ids) >= limit:
            break
        query = (select(Outbox.id).where(of_kind, claimable, Outbox.due_at <= now)
                 .order_by(*oldest).limit(limit - len(ids)))
        if on_postgresql(session):
            query = query.with_for_update(skip_locked=True)
        ids += (await session.scalars(query)).all()
    return await _claim(session, ids, now, claimable)


async def claim(session: AsyncSession, ids: Sequence[int], now: dt.datetime
                ) -> list[OutboxRecord]:
    """Claim these messages, those still pending (due or not); the rest are skipped. Pending
    replies to the same chats queued before them come first, due or not: another worker queued
    them and left them to the leader's tick, or they wait for a retry, and a chat's replies
    keep their order."""
    if not ids:
        return []
    earlier = ((Outbox.kind == REPLY) & (Outbox.id < max(ids))
               & Outbox.chat_id.in_(select(Outbox.chat_id).where(Outbox.id.in_(ids))))
    query = (select(Outbox.id).where(Outbox.id.in_(ids) | earlier, Outbox.state == PENDING)
             .order_by(Outbox.id))
    if on_postgresql(session):
        query = query.with_for_update(skip_locked=True)
    return await _claim(session, list((await session.scalars(query)).all()), now,
                        Outbox.state == PENDING)


async def _claim(session: AsyncSession, ids: list[int], now: dt.datetime,
                 claimable: ColumnElement[bool]) -> list[OutboxRecord]:
    """Take the rows that are still claimable. The UPDATE checks again: on SQLite the SELECT
    took no lock, and a tick and `send_now` may have picked the same reply."""
    if not ids:
        return []
    taken = set((await session.scalars(
        update(table(Outbox)).where(Outbox.id.in_(ids), claimable)
        .values(state=SENDING, claimed_at=now, attempts=Outbox.attempts + 1)
        .returning(Outbox.id))).all())
    ids = [i for i in ids if i in taken]
    if not ids:
        return []
    rows = await session.execute(  # columns, not objects: nothing for the session to track
        select(Outbox.id, Outbox.chat_id, Outbox.kind, Outbox.text, Outbox.attempts,
               Chat.active, Outbox.picture, Outbox.buttons, Outbox.due_at, Outbox.photo,
               Outbox.edit_message_id).join(Chat, Outbox.chat_id == Chat.id)
        .where(Outbox.id.in_(ids)))
    order = {message_id: place for place, message_id in enumerate(ids)}
    return sorted((OutboxRecord(*row) for row in rows.all()),
                  key=lambda record: order[record.id])


async def mark_sent(session: AsyncSession, ids: Sequence[int], now: dt.datetime) -> None:
    """Sent: the picture a reply carried is no longer needed."""
    if ids:
        await session.execute(update(table(Outbox)).where(Outbox.id.in_(ids)).values(
            state=SENT, sent_at=now, last_error=None, photo=None))


async def mark_done(session: AsyncSession, message_id: int, state: str, error: str) -> None:
    """Give up on a message: `blocked`, `failed` or `unknown`, with the reason."""
    await session.execute(update(Outbox).where(Outbox.id == message_id).values(
        state=state, last_error=error[:500], photo=None))


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
