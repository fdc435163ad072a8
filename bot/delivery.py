"""Deliver the outbox within Telegram's limits, and record what happened to each message.

Ticks come four times a second. Each claims only what fills the sending turns of its own
interval (plus a little, so a late tick leaves no gap) and hands every claimed message to the
pacer (bot/pacing.py): turns 1/rate apart, replies first. A row is `sending` only from its
claim until its outcome is recorded, well under a second plus the request itself, so a crash
can repeat only the requests then in flight. `send_now` is the fast path for replies: it
claims exactly the rows it is given and sends them at once, ahead of everything waiting.

A private chat gets at most one outbox message a second and a group one every 3 seconds
(Telegram's limits: 1/s and 20/minute); replies are exempt, as a reply to a message always
was, but count against them. Outcomes (bot/delivery_outcomes.py):

- sent: marked sent the moment Telegram accepts it;
- 429 (flood control): the message waits exactly the `retry_after` Telegram asked for (the
  attempt does not count), and the whole outbox pauses that long;
- 403 (the bot was blocked, kicked) or "chat not found": the chat is marked inactive and
  nothing more is sent to it (replies and an organizer's report are still tried);
- a timeout once the request may have left: a reply is sent again (at-least-once: the family
  must learn their message was stored); anything else becomes `unknown`, never resent;
- a network error, a pool or connect timeout, or a 5xx: retried with growing waits, then
  given up as failed;
- any other refusal (e.g. a text Telegram rejects): failed, with the reason.

The lease: a live process holds a claim for at most SLOT_WAIT (waiting for its turn), the
picture drawing (DRAW_TIMEOUT), one request (SEND_TIMEOUT, a hard cap over PTB's own timeouts)
and the write of its outcome: about 13 s, under LEASE. Only a claim older than that was left
by a process that died, and is taken up again.
"""

from __future__ import annotations

import asyncio
import collections
import datetime as dt
import logging
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence

from telegram import Bot

from bot import delivery_outcomes
from bot.delivery_outcomes import INACTIVE, TOO_LATE, Later, Outcome, TickReport
from bot.domain.batching import Batcher, together_or_alone
from bot.pacing import FIRST, NEXT, Pacer
from storage import outbox, repo
from storage.db import Database

__all__ = ["INTERVAL", "LEASE", "Delivery", "TickReport"]

log = logging.getLogger(__name__)

LEASE = dt.timedelta(seconds=15)  # a claim older than this was left by a process that died
SEND_TIMEOUT = 10.0  # seconds one request may take before it counts as timed out
SLOT_WAIT = 1.5  # seconds a claimed message waits for its turn before giving the claim back
DRAW_TIMEOUT = 1.5  # seconds for drawing a message's picture; then the text goes alone
INTERVAL = 0.25  # seconds between ticks
AHEAD = 0.1  # seconds of turns a tick claims beyond its own interval
HEADROOM = 0.99  # of the rate: a little slack for timing jitter on either side
PER_CHAT = 1.0  # seconds between two messages to one private chat
PER_GROUP = 3.0  # ... and to one group (Telegram allows 20 a minute there)
# A reminder is queued in the daytime; one held up past this (an outage, a long 429) would
# arrive at a bad hour, so it is dropped: the next one comes in its time.
REMINDER_SHELF_LIFE = dt.timedelta(hours=1)
ALWAYS_TRIED = frozenset({outbox.REPLY, "report"})  # even to a chat marked inactive


class Delivery:
    def __init__(self, db: Database, *, rate: float = 30.0,
                 now: Callable[[], dt.datetime] = repo.utcnow,
                 pictures: Callable[[str], Awaitable[bytes | None]] | None = None,
                 send_timeout: float = SEND_TIMEOUT) -> None:
        """`pictures` draws a message's picture (e.g. "log:<child>") when it is sent."""
        self.db = db
        self.now = now
        self.pictures = pictures
        self.send_timeout = send_timeout
        self.pacer = Pacer(rate * HEADROOM)
        self.paused_until: dt.datetime | None = None
        self._last_sent: dict[int, dt.datetime] = {}
        self._busy: collections.Counter[int] = collections.Counter()  # chats with a message
        # waiting for its turn or on the wire
        self._in_order: dict[int, asyncio.Lock] = {}  # a chat's messages go one after another
        # Held from a claim until its messages are handed over, so a tick and `send_now` hand
        # a chat's replies over in the order they were claimed.
        self._claiming = asyncio.Lock()
        self._tasks: set[asyncio.Task[None]] = set()
        self._report = TickReport()  # outcomes since the last tick returned
        self._recorder: Batcher[tuple[outbox.OutboxRecord, Outcome], TickReport] = Batcher(
            self._record)

    def note_reply(self) -> None:
        """A reply to someone chatting went out: it takes its place in the rate first."""
        self.pacer.take_now()

    def budget(self) -> int:
        """Messages this tick may claim: the free turns until the next tick, and a little."""
        free = time.monotonic() + INTERVAL + AHEAD - self.pacer.booked_until()
        return max(0, int(free * self.pacer.rate))

    def _paused(self, now: dt.datetime) -> bool:
        return self.paused_until is not None and now < self.paused_until

    def _too_soon(self, chat_id: int, now: dt.datetime) -> bool:
        if self._busy[chat_id]:
            return True
        if len(self._last_sent) > 50_000:  # forget chats not written to for a while
            self._last_sent = {c: t for c, t in self._last_sent.items()
                               if now - t < dt.timedelta(seconds=PER_GROUP)}
        last = self._last_sent.get(chat_id)
        gap = dt.timedelta(seconds=PER_GROUP if chat_id < 0 else PER_CHAT)
        return last is not None and now - last < gap

    async def tick(self, bot: Bot, *, wait: bool = True) -> TickReport:
        """Claim what fills this tick's turns and start sending it; called by the job queue
        four times a second with `wait=False` (the sends go on while the next tick comes).
        Returns the outcomes recorded since the last tick (with `wait`, its own included).

        `bot` is a plain Bot, not the Application's: delivery paces itself and handles a 429
        for the whole outbox, so no rate limiter may hold a message back and retry it out of
        turn (replies sent directly count against the same rate, through `note_reply`).
        """
        now = self.now()
        budget = 0 if self._paused(now) else self.budget()
        if budget:
            async with self._claiming:
                async with self.db.writing() as session:
                    claimed = await outbox.claim_due(session, now, budget, LEASE)
                ready: list[outbox.OutboxRecord] = []
                later: list[outbox.OutboxRecord] = []
                for message in claimed:  # replies keep no gap: they queue behind the chat's
                    if message.kind != outbox.REPLY and (
                            self._too_soon(message.chat_id, now)
                            or any(m.chat_id == message.chat_id for m in ready)):
                        later.append(message)
                    else:
                        ready.append(message)
                self._start(bot, ready, [self._report])
            if later:  # too soon for that chat: try again shortly
                async with self.db.writing() as session:
                    for message in later:
                        await outbox.retry_at(session, message.id,
                                              now + dt.timedelta(seconds=PER_CHAT), "",
                                              count_attempt=False)
        if wait:
            await self.settle()
        report, self._report = self._report, TickReport()
        return report

    async def send_now(self, bot: Bot, ids: Sequence[int]) -> TickReport:
        """Send these rows at once (replies just committed), ahead of everything waiting, and
        record their outcomes. Rows no longer pending, or held by a 429 pause, are left to
        the ticks. A chat's rows go out in their order, one after the other."""
        report = TickReport()
        now = self.now()
        if not ids or self._paused(now):
            return report
        async with self._claiming:
            async with self.db.writing() as session:
                claimed = await outbox.claim(session, ids, now)
            started = self._start(bot, claimed, [self._report, report])
        await asyncio.gather(*started)
        return report

    async def settle(self) -> None:
        """Wait until every message handed to the pacer has its outcome recorded."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def close(self) -> None:
        """Before shutdown: let the messages on their way finish and record their outcome."""
        await self.settle()

    def _start(self, bot: Bot, messages: Iterable[outbox.OutboxRecord],
               reports: list[TickReport]) -> list[asyncio.Task[None]]:
        by_chat: dict[int, list[outbox.OutboxRecord]] = {}
        for message in messages:
            by_chat.setdefault(message.chat_id, []).append(message)
        tasks = []
        for chat_id, queue in by_chat.items():
            self._busy[chat_id] += 1
            self._in_order.setdefault(chat_id, asyncio.Lock())
            task = asyncio.create_task(self._deliver_in_turn(bot, chat_id, queue, reports))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
            tasks.append(task)
        return tasks

    async def _deliver_in_turn(self, bot: Bot, chat_id: int,
                               queue: list[outbox.OutboxRecord],
                               reports: list[TickReport]) -> None:
        try:
            async with self._in_order[chat_id]:  # FIFO: after what was handed over before
                await self._deliver_all(bot, queue, reports)
        finally:
            self._busy[chat_id] -= 1
            if not self._busy[chat_id]:
                del self._busy[chat_id], self._in_order[chat_id]

    async def _deliver_all(self, bot: Bot, queue: list[outbox.OutboxRecord],
                           reports: list[TickReport]) -> None:
        held: Later | None = None  # a reply to this chat is not through: the next ones wait
        for message in queue:
            try:
                if held is not None and message.kind == outbox.REPLY:
                    outcome: Outcome = held
                else:
                    outcome = await self._attempt(bot, message)
                if isinstance(outcome, Later) and outcome.flood:  # the whole outbox waits
                    self.paused_until = max(self.paused_until or outcome.until, outcome.until)
                    for total in reports:
                        total.paused_for = outcome.flood
                if outcome is not None and held is None and message.kind == outbox.REPLY:
                    held = Later(outcome.until if isinstance(outcome, Later)
                                 else self.now() + delivery_outcomes.backoff(message.attempts))
                # Recorded the moment it is known: a crash can only repeat the messages on
                # the wire right then (and those whose outcome waits for the write before).
                report = await self._recorder((message, outcome))
                for total in reports:
                    _add(total, report)
            except Exception:  # its outcome could not even be recorded: the lease ends it
                log.exception("Outbox delivery of message %s failed", message.id)

    async def _record(self, done: list[tuple[outbox.OutboxRecord, Outcome]]
                      ) -> list[TickReport | Exception]:
        """Outcomes that came in while the previous ones were written share one transaction
        (a group commit: one write per burst of replies, not one per reply). If it fails,
        each is written alone, so one bad row holds up no other."""
        return await together_or_alone(done, self._write_outcomes)

    async def _write_outcomes(self, done: list[tuple[outbox.OutboxRecord, Outcome]]
                              ) -> list[TickReport]:
        reports = [TickReport() for _ in done]
        now = self.now()
        async with self.db.writing() as session:
            await outbox.mark_sent(session, [m.id for m, outcome in done if outcome is None], now)
            for (message, outcome), report in zip(done, reports, strict=True):
                if outcome is None:
                    report.sent += 1
                else:
                    await delivery_outcomes.record(session, message, outcome, now, report)
        return reports

    async def _attempt(self, bot: Bot, message: outbox.OutboxRecord) -> Outcome:
        """Wait for the message's turn and send it; or say why it was not sent."""
        if not message.chat_active and message.kind not in ALWAYS_TRIED:
            return INACTIVE
        if (message.kind == "reminder" and message.due_at is not None
                and self.now() - message.due_at > REMINDER_SHELF_LIFE):
            return TOO_LATE
        photo = message.photo or await self._picture(message)
        if not await self.pacer.turn(FIRST if message.kind == outbox.REPLY else NEXT,
                                     SLOT_WAIT):
            return Later(self.now())  # replies took every turn: give the claim back
        now = self.now()
        if self.paused_until is not None and now < self.paused_until:  # a 429 meanwhile
            return Later(self.paused_until)
        self._last_sent[message.chat_id] = now
        return await delivery_outcomes.send(bot, message, photo, self.send_timeout, self.now)

    async def _picture(self, message: outbox.OutboxRecord) -> bytes | None:
        """The message's picture; None (plain text) when it has none or drawing it fails."""
        if not message.picture or self.pictures is None:
            return None
        try:
            return await asyncio.wait_for(self.pictures(message.picture), DRAW_TIMEOUT)
        except Exception:
            log.exception("Could not draw %s; sending the text alone", message.picture)
            return None


def _add(total: TickReport, one: TickReport) -> None:
    total.sent += one.sent
    total.blocked += one.blocked
    total.failed += one.failed
    total.retried += one.retried
    total.unknown += one.unknown
