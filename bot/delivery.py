"""Deliver the outbox within Telegram's limits, and record what happened to each message.

Every tick (about once a second) claims the due messages and sends at most one per chat
(Telegram allows about one message a second to a private chat). It takes what is left of the
overall limit after the replies sent in the last second, so people chatting with the bot are
answered at once while a broadcast runs. Outcomes:

- sent: marked sent in the database;
- 429 (flood control): this and every message not yet sent this tick wait exactly the
  `retry_after` Telegram asked for, and the attempt does not count;
- 403 (the bot was blocked, kicked) or "chat not found": the chat is marked inactive and
  nothing more is sent to it;
- a network error, timeout or 5xx: retried with growing waits, then given up as failed;
- any other refusal (e.g. a text Telegram rejects): failed, with the reason.

The guarantee: a queued message is sent at least once, and at most once unless the process
dies in the one window between Telegram accepting a message and the tick recording it as sent
(at most the messages of one tick). Such a claim is taken up again after its lease expires
and that message may arrive twice; nothing is ever lost.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
import warnings
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.warnings import PTBDeprecationWarning

from storage import outbox, repo
from storage.db import Database

log = logging.getLogger(__name__)

LEASE = dt.timedelta(minutes=2)  # a claim older than this was left by a process that died
MAX_ATTEMPTS = 6
REPLY_HEADROOM = 1  # messages per second always left for a reply that comes mid-tick


@dataclass
class TickReport:
    sent: int = 0
    blocked: int = 0
    failed: int = 0
    retried: int = 0
    paused_for: dt.timedelta | None = None
    sent_ids: list[int] = field(default_factory=list)


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
                 now: Callable[[], dt.datetime] = repo.utcnow) -> None:
        self.db = db
        self.now = now
        self.rate = rate
        self.paused_until: dt.datetime | None = None
        self._replies: deque[float] = deque()

    def note_reply(self) -> None:
        """A reply to someone chatting went out: the outbox leaves room for it."""
        self._replies.append(time.monotonic())

    def budget(self) -> int:
        """Messages this tick may send: the overall rate less the last second's replies."""
        cutoff = time.monotonic() - 1.0
        while self._replies and self._replies[0] < cutoff:
            self._replies.popleft()
        return max(1, int(self.rate) - REPLY_HEADROOM - len(self._replies))

    async def tick(self, bot: Bot) -> TickReport:
        """Send what is due now; called by the job queue about once a second."""
        report = TickReport()
        now = self.now()
        if self.paused_until and now < self.paused_until:
            return report
        async with self.db.session() as session, session.begin():
            claimed = await outbox.claim_due(session, now, self.budget(), LEASE)
        first_per_chat: dict[int, outbox.OutboxRecord] = {}
        later: list[outbox.OutboxRecord] = []
        for message in claimed:
            if message.chat_id in first_per_chat:
                later.append(message)
            else:
                first_per_chat[message.chat_id] = message
        outcomes = await asyncio.gather(*(self._send(bot, m) for m in first_per_chat.values()))
        pause = max((o for o in outcomes if isinstance(o, dt.timedelta)), default=None)
        async with self.db.session() as session, session.begin():
            for message, outcome in zip(first_per_chat.values(), outcomes, strict=True):
                await self._record(session, message, outcome, now, pause, report)
            for message in later:  # one message per chat per tick: the next one, next tick
                await outbox.retry_at(session, message.id, now + dt.timedelta(seconds=1), "",
                                      count_attempt=False)
        if pause is not None:
            self.paused_until = now + pause
            report.paused_for = pause
        return report

    async def _send(self, bot: Bot, message: outbox.OutboxRecord
                    ) -> dt.timedelta | TelegramError | str | None:
        """None when sent; the wait Telegram asked for; the error; or why it was not tried."""
        if not message.chat_active:
            return "the chat blocked the bot or was left"
        try:
            await bot.send_message(message.chat_id, message.text)
        except RetryAfter as exc:
            return _retry_after(exc)
        except TelegramError as exc:
            return exc
        return None

    async def _record(self, session, message: outbox.OutboxRecord,  # type: ignore[no-untyped-def]
                      outcome: dt.timedelta | TelegramError | str | None, now: dt.datetime,
                      pause: dt.timedelta | None, report: TickReport) -> None:
        if outcome is None:
            await outbox.mark_sent(session, [message.id], now)
            report.sent += 1
            report.sent_ids.append(message.id)
        elif isinstance(outcome, dt.timedelta) or (pause is not None
                                                    and isinstance(outcome, NetworkError)):
            await outbox.retry_at(session, message.id, now + (pause or outcome),
                                  "flood control", count_attempt=False)
            report.retried += 1
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
