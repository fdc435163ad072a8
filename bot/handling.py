"""The handling loop: stored updates are handled from the database, in each chat's order.

A round takes the oldest unhandled update of up to `BATCH` chats (bot/intake.py stored them)
and handles them side by side in one transaction, each with its chat's conversation state put
back (bot/chat_state.py): their reads and writes are shared, as when the Application handled
chats concurrently (one read of the round's families, one write of its logs). Then the
round's states, its replies (queued in the outbox) and its "handled" marks are written, and
one commit makes all of it durable at once; only then do the replies leave (bot/outgoing.py,
bot/reply_sender.py). If any update of the round fails, the round is rolled back and handled
again one update at a time, each in its own savepoint, so that only that update fails.

- A crash before the commit leaves the round unhandled: it is handled again, whole, after
  the restart. After the commit nothing is handled again; unsent replies go via the outbox.
- A handler that fails has its savepoint rolled back: the family gets an apology for what
  really was not done, and the update is marked failed (never retried into a loop).
- On PostgreSQL, several workers run this loop side by side: each chat is claimed for the
  transaction (`pg_try_advisory_xact_lock`), so one chat's updates are handled by one worker
  at a time, in order. A worker also sweeps every `SWEEP` seconds for what others left.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import json
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.ext import Application

from bot.chat_state import ChatStates
from bot.outgoing import CURRENT, Outgoing
from bot.reply_sender import Deliver, ReplySender
from bot.texts import common as common_texts
from storage import chat_states, replies, repo, updates
from storage.db import Database
from storage.replies import NewReply
from storage.updates import Incoming

log = logging.getLogger(__name__)

BATCH = 128  # updates (of as many chats) handled in one transaction
LOOK_AHEAD = 4  # a round looks at this many times BATCH waiting chats (others hold some)
SWEEP = 1.0  # seconds between looks for updates nobody woke this worker for
GIVE_UP_AFTER = 3  # failures of an update's transaction on its own before it is marked failed
MAX_PAUSE = 5.0  # seconds, at most, between tries after failures


class _Failed(Exception):
    """A handler failed: undo the update's savepoint."""


class _OneByOne(Exception):
    """An update handled side by side with others failed: undo the round, and handle its
    updates one at a time."""


class _Unchanged(enum.Enum):
    UNCHANGED = enum.auto()  # the chat had no saved state and has none after the update


UNCHANGED = _Unchanged.UNCHANGED


@dataclass
class Handled:
    """One update of a round, handled: what the round writes and sends for it."""

    update_id: int
    chat_id: int
    state: bytes | _Unchanged | None  # the chat's conversation state to keep
    reply_to: tuple[int, str] | None  # the chat (id, kind) its replies go to
    said: list[NewReply]
    answered: list[tuple[str, str | None]]  # button presses to answer, with any pop-up
    outcome: str  # updates.HANDLED or FAILED


class UpdateLoop:
    def __init__(self, app: Application[Any, Any, Any, Any, Any, Any], db: Database,
                 states: ChatStates, deliver: Deliver, *, batch: int = BATCH) -> None:
        """`deliver` sends queued replies by outbox id, right after their commit."""
        self.app = app
        self.db = db
        self.states = states
        self.batch = batch
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self._replies = ReplySender(app.bot, deliver)
        self._busy = 0  # rounds in progress
        self._current: int | None = None  # the update being handled
        self._failed_alone: dict[int, int] = {}

    async def until_idle(self, poll: float = 0.01) -> None:
        """Wait until everything stored is handled and its replies have left (the console
        chat and tests: a typed line is answered before the next is read)."""
        while self._wake.is_set() or self._busy or not self._replies.idle:  # noqa: ASYNC110
            await asyncio.sleep(poll)

    def wake(self) -> None:
        self._wake.set()

    async def start(self) -> None:
        self._stopping = False
        self._replies.start()
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        """Finish the round in flight and send its replies, then stop."""
        self._stopping = True
        self._wake.set()
        if self._task is not None:
            await self._task
        await self._replies.stop()
        self._task = None

    async def _run(self) -> None:
        limit, failures = self.batch, 0
        while not self._stopping:
            self._wake.clear()
            self._busy += 1
            self._current = None
            try:
                handled = await self.handle_waiting(limit)
            except Exception:  # the round rolled back: go on one update at a time
                log.exception("A round of updates failed; trying them one by one")
                failures = await self._after_failure(limit, failures)
                limit = 1
                continue
            finally:
                self._busy -= 1
            limit, failures = self.batch, 0
            if handled:
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), SWEEP)

    async def handle_waiting(self, limit: int | None = None) -> int:
        """One round: the oldest unhandled update of up to `limit` chats; how many. The
        round's updates are handled side by side, sharing their reads and writes (one read of
        the round's families, one write of its logs); if any of them fails, the round is
        undone and handled again one update at a time, each in its own savepoint, so that
        the failure is that update's alone."""
        limit = limit or self.batch
        if limit > 1:
            try:
                return await self._round(limit, side_by_side=True)
            except _OneByOne:
                pass
        return await self._round(limit, side_by_side=False)

    async def _round(self, limit: int, *, side_by_side: bool) -> int:
        """The round's reads (its updates, their chats' states) and its writes after its
        handlers' (states, replies, "handled" marks) are a statement or two each, whatever
        its size. Other workers' rounds hold the oldest chats meanwhile: the round looks
        further, so that workers side by side take different chats rather than split the
        same few."""
        async with self.db.unit_of_work() as session:
            claimed = await updates.claim_chats(  # passing over those another worker has
                session, await updates.waiting_chats(session, limit * LOOK_AHEAD), limit)
            waiting = await updates.next_in_chats(session, claimed)
            if len(waiting) == 1:  # alone: a failure from here on is this update's
                self._current = waiting[0].update_id
            saved = await chat_states.load_many(session, claimed)
            decoded = [(incoming, Update.de_json(json.loads(incoming.payload), self.app.bot))
                       for incoming in waiting]
            if side_by_side and len(waiting) > 1:
                handled = await self._side_by_side(decoded, saved)
            else:
                handled = [await self._handle(session, incoming, update,
                                              saved.get(incoming.chat_id))
                           for incoming, update in decoded]
            now = repo.utcnow()
            await chat_states.save_many(session, {
                h.chat_id: h.state for h in handled if h.state is not UNCHANGED}, now)
            ids = await replies.queue_many(session, [
                (h.reply_to[0], h.reply_to[1], h.said) if h.reply_to else (0, "", [])
                for h in handled], now)
            for outcome in (updates.HANDLED, updates.FAILED):
                await updates.mark_handled(session, [
                    h.update_id for h in handled if h.outcome == outcome], now, outcome)
        for h, reply_ids in zip(handled, ids, strict=True):
            self._replies.put(reply_ids, h.answered)
        return len(handled)

    async def _side_by_side(self, decoded: list[tuple[Incoming, Update]],
                            saved: dict[int, bytes]) -> list[Handled]:
        """Handle the round's updates (each of another chat) side by side in the unit's
        transaction; _OneByOne if any of them failed (the unit is then rolled back), only
        once all of them are done. One person in two of the round's chats (a parent in their
        own chat and in a group) would share their user data between two handlers at once:
        such a round goes one update at a time."""
        users = [u.effective_user.id for _, u in decoded if u.effective_user is not None]
        if len(users) != len(set(users)):
            raise _OneByOne
        with self.db.side_by_side():
            results = await asyncio.gather(*(
                self._handle(None, incoming, update, saved.get(incoming.chat_id))
                for incoming, update in decoded), return_exceptions=True)
        handled = [r for r in results if isinstance(r, Handled)]
        if len(handled) < len(results):
            raise _OneByOne from next(r for r in results if isinstance(r, BaseException))
        if any(h.outcome == updates.FAILED for h in handled):
            raise _OneByOne
        return handled

    async def _handle(self, session: AsyncSession | None, incoming: Incoming, update: Update,
                      saved: bytes | None) -> Handled:
        """Handle one update (in a savepoint of `session`; None: side by side with others,
        without one): what it said and how, and its chat's state after it (written with
        the round's others)."""
        self._current = incoming.update_id
        chat = update.effective_chat
        outgoing = Outgoing(chat.id if chat is not None else incoming.chat_id)
        token = CURRENT.set(outgoing)
        state: bytes | _Unchanged | None = UNCHANGED
        try:
            state = await self._apply(session, incoming.chat_id, update, outgoing, saved)
        except _Failed:
            pass  # its savepoint is rolled back; `outgoing` holds the apology
        finally:
            CURRENT.reset(token)
        return Handled(
            incoming.update_id, incoming.chat_id, state,
            (chat.id, chat.type) if chat is not None else None,
            [NewReply(s.text, s.buttons, s.photo, s.edit_message_id) for s in outgoing.said],
            list(outgoing.answered.items()),
            updates.FAILED if outgoing.failed else updates.HANDLED)

    async def _apply(self, session: AsyncSession | None, chat_id: int, update: Update,
                     outgoing: Outgoing, saved: bytes | None) -> bytes | _Unchanged | None:
        """Handle one update, with its chat's state around it, inside a savepoint (unless
        side by side); the state to keep (UNCHANGED: none before, none after)."""
        now = repo.utcnow()
        async with contextlib.AsyncExitStack() as savepoint:
            if session is not None:
                await savepoint.enter_async_context(self.db.savepoint(session))
            self.states.put_back(chat_id, self.states.unpack(saved, now), now)
            try:
                await self.app.process_update(update)
            finally:
                after = ChatStates.pack(self.states.take_out(chat_id, now))
                if outgoing.erased:  # /forget: nothing of the chat is kept, its state neither
                    after = None
            if outgoing.failed:
                raise _Failed
        return after if saved is not None or after is not None else UNCHANGED

    async def _after_failure(self, limit: int, failures: int) -> int:
        """Wait a little longer after each failure (the database may be restarting). An
        update whose transaction failed alone `GIVE_UP_AFTER` times is given up; a failure
        before any update started (no connection) counts against none."""
        failures += 1
        suspect = self._current if limit == 1 else None
        if suspect is not None:
            self._failed_alone[suspect] = self._failed_alone.get(suspect, 0) + 1
            if self._failed_alone[suspect] >= GIVE_UP_AFTER:
                try:
                    await self._give_up_on(suspect)
                    del self._failed_alone[suspect]
                except Exception:
                    log.exception("Could not mark update %s failed", suspect)
        await asyncio.sleep(min(MAX_PAUSE, 0.1 * 2 ** failures))
        return failures

    async def _give_up_on(self, update_id: int) -> None:
        """An update whose transaction fails even alone is marked failed, with an apology,
        so it cannot hold up its chat for ever."""
        async with self.db.unit_of_work() as session:
            incoming = await updates.get(session, update_id)
            if incoming is None:
                return
            log.error("Gave up on update %s after it failed on its own", incoming.update_id)
            now = repo.utcnow()
            update = Update.de_json(json.loads(incoming.payload), self.app.bot)
            ids: list[int] = []
            if update.effective_chat is not None:
                ids = await replies.queue(
                    session, update.effective_chat.id, update.effective_chat.type,
                    [NewReply(common_texts.something_went_wrong().text)], now)
            await updates.mark_handled(session, [incoming.update_id], now, updates.FAILED)
        self._replies.put(ids, [])
