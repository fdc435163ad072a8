"""Deliver the outbox within Telegram's limits, and record what happened to each message.

Ticks come four times a second and claim what can be sent in the next second; every send gets
its own slot 1/rate apart, across ticks too, so messages leave evenly instead of in bursts
that Telegram would answer with 429. Replies to people chatting with the bot take slots first,
so they go out at once while a broadcast runs. A private chat gets at most one message a
second and a group one every 3 seconds (Telegram's limits: 1/s and 20/minute). Outcomes:

- sent: marked sent in the database, the moment Telegram accepts it;
- 429 (flood control): the message waits exactly the `retry_after` Telegram asked for (the
  attempt does not count), and the outbox pauses that long;
- 403 (the bot was blocked, kicked) or "chat not found": the chat is marked inactive and
  nothing more is sent to it;
- a network error, timeout or 5xx: retried with growing waits, then given up as failed;
- any other refusal (e.g. a text Telegram rejects): failed, with the reason.

The guarantee: a queued message is sent at least once, and at most once unless the process
dies in the one window between Telegram accepting a message and its outcome being committed
(milliseconds, for the messages on the wire at that moment). Such a claim is taken up again
after its lease expires and that message may arrive twice; nothing is ever lost.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.warnings import PTBDeprecationWarning

from bot.callbacks import rows_from_json
from bot.keyboards import keyboard
from bot.texts.reply import CAPTION_LIMIT, fit
from storage import outbox, repo
from storage.db import Database
from storage.replies import REPLY

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

log = logging.getLogger(__name__)

LEASE = dt.timedelta(seconds=30)  # a claim older than this was left by a process that died
MAX_ATTEMPTS = 6
INTERVAL = 0.25  # seconds between ticks
HEADROOM = 0.99  # of the rate: a little slack for timing jitter on either side
PER_CHAT = 1.0  # seconds between two messages to one private chat
PER_GROUP = 3.0  # ... and to one group (Telegram allows 20 a minute there)
# A reminder is queued in the daytime; one held up past this (an outage, a long 429) would
# arrive at a bad hour, so it is dropped: the next one comes in its time.
REMINDER_SHELF_LIFE = dt.timedelta(hours=1)
TOO_LATE = "too late for a reminder: it would arrive at a bad hour"
LOOKAHEAD = 1.0  # seconds of sending a tick claims ahead, so sending never waits for a tick


@dataclass
class TickReport:
    sent: int = 0
    blocked: int = 0
    failed: int = 0
    retried: int = 0
    paused_for: dt.timedelta | None = None


def _retry_after(exc: RetryAfter) -> dt.timedelta:
    with warnings.catch_warnings():  # PTB 22 is moving this attribute from int to timedelta
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value if isinstance(value, dt.timedelta) else dt.timedelta(seconds=float(value))


def backoff(attempts: int) -> dt.timedelta:
    """2 s, 4 s, 8 s ... up to 10 minutes."""
    return dt.timedelta(seconds=min(600, 2 ** attempts))


def _gone(exc: TelegramError) -> bool:
    return isinstance(exc, Forbidden) or (
        isinstance(exc, BadRequest) and "chat not found" in str(exc).lower())


class Delivery:
    def __init__(self, db: Database, *, rate: float = 30.0,
                 now: Callable[[], dt.datetime] = repo.utcnow,
                 pictures: Callable[[str], Awaitable[bytes | None]] | None = None) -> None:
        """`pictures` draws a message's picture (e.g. "log:<child>") when it is sent."""
        self.db = db
        self.now = now
        self.pictures = pictures
        self.rate = rate * HEADROOM
        self.paused_until: dt.datetime | None = None
        self._last_sent: dict[int, dt.datetime] = {}
        self._next_slot = 0.0  # time.monotonic() of the next free sending slot

    def note_reply(self) -> None:
        """A reply to someone chatting went out: it takes its place in the rate first."""
        self._reserve_slot()

    def _reserve_slot(self) -> float:
        """Seconds to wait before the next send: sends go out evenly 1/rate apart, across
        ticks too, so no second ever holds more than the rate."""
        now = time.monotonic()
        slot = max(now, self._next_slot)
        self._next_slot = slot + 1.0 / self.rate
        return slot - now

    def budget(self) -> int:
        """Messages this tick may claim: the free sending slots of the next second."""
        now = time.monotonic()
        free = now + LOOKAHEAD - max(now, self._next_slot)
        return max(0, int(free * self.rate))

    def _recently_sent(self, chat_id: int, now: dt.datetime) -> bool:
        if len(self._last_sent) > 50_000:  # forget chats not written to for a while
            self._last_sent = {c: t for c, t in self._last_sent.items()
                               if now - t < dt.timedelta(seconds=PER_GROUP)}
        last = self._last_sent.get(chat_id)
        gap = dt.timedelta(seconds=PER_GROUP if chat_id < 0 else PER_CHAT)
        return last is not None and now - last < gap

    async def tick(self, bot: Bot) -> TickReport:
        """Send what is due now; called by the job queue four times a second.

        `bot` is a plain Bot, not the Application's: the tick paces itself and handles a 429
        for the whole outbox, so no rate limiter may hold a message back and retry it out of
        turn (replies do go through PTB's limiter, and count against the same rate here).
        """
        report = TickReport()
        now = self.now()
        if self.paused_until and now < self.paused_until:
            return report
        budget = self.budget()
        if budget == 0:
            return report
        async with self.db.session() as session, session.begin():
            claimed = await outbox.claim_due(session, now, budget, LEASE)
        first_per_chat: dict[int, outbox.OutboxRecord] = {}
        replies: dict[int, list[outbox.OutboxRecord]] = {}
        later: list[outbox.OutboxRecord] = []
        for message in claimed:
            if message.kind == REPLY:  # answers to a family's message: all of them, in order
                replies.setdefault(message.chat_id, []).append(message)
            elif message.chat_id in first_per_chat or self._recently_sent(message.chat_id, now):
                later.append(message)
            else:
                first_per_chat[message.chat_id] = message
        async with self.db.session() as session, session.begin():
            for message in later:  # too soon for that chat: try again shortly
                await outbox.retry_at(session, message.id, now + dt.timedelta(seconds=PER_CHAT),
                                      "", count_attempt=False)
        # Each outcome is recorded the moment it is known: a crash can only repeat messages
        # that were on the wire right then.
        sends = [self._send_in_order(bot, chat_replies, now, report)
                 for chat_replies in replies.values()]
        sends += [self._send_and_record(bot, m, now, report, self._reserve_slot())
                  for m in first_per_chat.values()]
        results = await asyncio.gather(*sends, return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException):  # its outcome could not even be recorded
                log.error("Outbox delivery failed", exc_info=result)
        return report

    async def _send_in_order(self, bot: Bot, messages: list[outbox.OutboxRecord],
                             now: dt.datetime, report: TickReport) -> None:
        for message in messages:
            await self._send_and_record(bot, message, now, report, self._reserve_slot())

    async def _send_and_record(self, bot: Bot, message: outbox.OutboxRecord,
                               now: dt.datetime, report: TickReport, delay: float) -> None:
        """Send one message after `delay` seconds and record its outcome at once."""
        self._last_sent[message.chat_id] = now + dt.timedelta(seconds=delay)  # when it leaves
        if delay:
            await asyncio.sleep(delay)
        outcome = await self._send(bot, message)
        if isinstance(outcome, dt.timedelta):  # flood control: the whole outbox waits
            self.paused_until = max(self.paused_until or now, self.now() + outcome)
            report.paused_for = outcome
        async with self.db.session() as session, session.begin():
            await self._record(session, message, outcome, now, report)

    async def _send(self, bot: Bot, message: outbox.OutboxRecord
                    ) -> dt.timedelta | TelegramError | str | None:
        """None when sent; the wait Telegram asked for; the error; or why it was not tried."""
        if not message.chat_active:
            return "the chat blocked the bot or was left"
        if (message.kind == "reminder" and message.due_at is not None
                and self.now() - message.due_at > REMINDER_SHELF_LIFE):
            return TOO_LATE
        try:
            markup = keyboard(rows_from_json(message.buttons))
            photo = await self._picture(message)
            if photo is not None:
                await bot.send_photo(message.chat_id, photo,
                                     caption=fit(message.text, CAPTION_LIMIT), reply_markup=markup)
            else:
                await bot.send_message(message.chat_id, message.text, reply_markup=markup)
        except RetryAfter as exc:
            return _retry_after(exc)
        except TelegramError as exc:
            return exc
        except Exception as exc:  # a bug of ours (bad buttons...): counted, then given up
            log.exception("Could not send outbox message %s", message.id)
            return NetworkError(f"{exc.__class__.__name__}: {exc}")
        return None

    async def _picture(self, message: outbox.OutboxRecord) -> bytes | None:
        """The message's picture; None (plain text) when it has none or drawing it fails."""
        if not message.picture or self.pictures is None:
            return None
        try:
            return await self.pictures(message.picture)
        except Exception:
            log.exception("Could not draw %s; sending the text alone", message.picture)
            return None

    async def _record(self, session: AsyncSession, message: outbox.OutboxRecord,
                      outcome: dt.timedelta | TelegramError | str | None, now: dt.datetime,
                      report: TickReport) -> None:
        if outcome is None:
            await outbox.mark_sent(session, [message.id], now)
            report.sent += 1
        elif isinstance(outcome, dt.timedelta):
            await outbox.retry_at(session, message.id, self.now() + outcome, "flood control",
                                  count_attempt=False)
            report.retried += 1
        elif outcome is TOO_LATE:
            await outbox.mark_done(session, message.id, outbox.FAILED, TOO_LATE)
            report.failed += 1
        elif isinstance(outcome, str) or _gone(outcome):
            await repo.set_chat_active(session, message.chat_id, False)
            await outbox.mark_done(session, message.id, outbox.BLOCKED, str(outcome))
            report.blocked += 1
        elif isinstance(outcome, NetworkError) and message.attempts < MAX_ATTEMPTS:
            await outbox.retry_at(session, message.id, now + backoff(message.attempts),
                                  str(outcome))
            report.retried += 1
        else:
            log.warning("Gave up on outbox message %s: %s", message.id, outcome)
            await outbox.mark_done(session, message.id, outbox.FAILED, str(outcome))
            report.failed += 1
