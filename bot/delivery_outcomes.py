"""One outbox message on the wire, and what its outcome does to its row.

Kept apart from the pacing and claiming in bot/delivery.py: this is where a Telegram answer
becomes sent, retried, blocked, failed or unknown.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import httpx
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.warnings import PTBDeprecationWarning

from bot.callbacks import rows_from_json
from bot.keyboards import keyboard
from bot.texts.reply import CAPTION_LIMIT, TEXT_LIMIT, fit
from storage import outbox, repo

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
TOO_LATE = "too late for a reminder: it would arrive at a bad hour"
INACTIVE = "the chat blocked the bot or was left"


@dataclass
class TickReport:
    sent: int = 0
    blocked: int = 0
    failed: int = 0
    retried: int = 0
    unknown: int = 0  # timed out: may have arrived, not sent again
    paused_for: dt.timedelta | None = None


@dataclass(frozen=True)
class Later:
    """Not sent, and no attempt: try again at `until` (flood control, or no turn came)."""

    until: dt.datetime
    flood: dt.timedelta | None = None  # Telegram's retry_after, when it asked to wait


Outcome = Later | TelegramError | str | None  # None: sent; str: not tried, and why


def retry_after(exc: RetryAfter) -> dt.timedelta:
    with warnings.catch_warnings():  # PTB 22 is moving this attribute from int to timedelta
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value if isinstance(value, dt.timedelta) else dt.timedelta(seconds=float(value))


def backoff(attempts: int) -> dt.timedelta:
    """2 s, 4 s, 8 s ... up to 10 minutes."""
    return dt.timedelta(seconds=min(600, 2 ** attempts))


def gone(exc: TelegramError) -> bool:
    return isinstance(exc, Forbidden) or (
        isinstance(exc, BadRequest) and "chat not found" in str(exc).lower())


def maybe_delivered(exc: TelegramError) -> bool:
    """A timeout after the request may have left: Telegram may have the message. A pool or
    connect timeout means it never left."""
    return isinstance(exc, TimedOut) and not isinstance(
        exc.__cause__, httpx.PoolTimeout | httpx.ConnectTimeout)


async def send(bot: Bot, message: outbox.OutboxRecord, photo: bytes | None,
               within: float, clock: Callable[[], dt.datetime]) -> Outcome:
    """Put the message on the wire; no answer within `within` seconds counts as a timeout."""
    try:
        async with asyncio.timeout(within):
            await _call(bot, message, photo)
    except TimeoutError:
        return TimedOut(f"no answer within {within:g} s")
    except RetryAfter as exc:
        wait = retry_after(exc)
        return Later(clock() + wait, wait)
    except TelegramError as exc:
        return exc
    except Exception as exc:  # a bug of ours (bad buttons...): counted, then given up
        log.exception("Could not send outbox message %s", message.id)
        return NetworkError(f"{exc.__class__.__name__}: {exc}")
    return None


async def _call(bot: Bot, message: outbox.OutboxRecord, photo: bytes | None) -> None:
    markup = keyboard(rows_from_json(message.buttons))
    if message.edit_message_id is not None:
        try:
            if message.text:
                await bot.edit_message_text(fit(message.text, TEXT_LIMIT), message.chat_id,
                                            message.edit_message_id, reply_markup=markup)
            else:
                await bot.edit_message_reply_markup(message.chat_id, message.edit_message_id,
                                                    reply_markup=markup)
            return
        except BadRequest as exc:
            reason = str(exc).lower()
            if "not modified" in reason:  # it already says this
                return
            if not (message.text and ("to edit not found" in reason
                                      or "can't be edited" in reason)):
                raise
        # the message is gone or too old to edit: the text goes out as a new message
    if photo is not None:
        await bot.send_photo(message.chat_id, photo, caption=fit(message.text, CAPTION_LIMIT),
                             reply_markup=markup)
    else:
        await bot.send_message(message.chat_id, fit(message.text, TEXT_LIMIT),
                               reply_markup=markup)


async def record(session: AsyncSession, message: outbox.OutboxRecord, outcome: Outcome,
                 now: dt.datetime, report: TickReport) -> None:
    """Write the outcome to the message's row (and to the chat, when it is gone)."""
    if outcome is None:
        await outbox.mark_sent(session, [message.id], now)
        report.sent += 1
    elif isinstance(outcome, Later):
        await outbox.retry_at(session, message.id, outcome.until,
                              "flood control" if outcome.flood else "", count_attempt=False)
        report.retried += 1
    elif outcome is TOO_LATE:
        await outbox.mark_done(session, message.id, outbox.FAILED, TOO_LATE)
        report.failed += 1
    elif isinstance(outcome, str) or gone(outcome):
        await repo.set_chat_active(session, message.chat_id, False)
        await outbox.mark_done(session, message.id, outbox.BLOCKED, str(outcome))
        report.blocked += 1
    elif maybe_delivered(outcome) and message.kind != outbox.REPLY:
        # At most once: sending it again could show it twice (see the README).
        log.warning("Outbox message %s timed out; it may have arrived, not resending",
                    message.id)
        await outbox.mark_done(session, message.id, outbox.UNKNOWN, str(outcome) or "timed out")
        report.unknown += 1
    elif (isinstance(outcome, NetworkError) and not isinstance(outcome, BadRequest)
          and message.attempts < MAX_ATTEMPTS):  # (a 400 would only be refused again)
        await outbox.retry_at(session, message.id, now + backoff(message.attempts),
                              str(outcome) or outcome.__class__.__name__)
        report.retried += 1
    else:
        log.warning("Gave up on outbox message %s: %s", message.id, outcome)
        state = outbox.UNKNOWN if maybe_delivered(outcome) else outbox.FAILED
        await outbox.mark_done(session, message.id, state, str(outcome))
        report.unknown += state == outbox.UNKNOWN
        report.failed += state == outbox.FAILED
