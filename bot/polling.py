"""Long polling that acknowledges an update only once it is stored.

python-telegram-bot's own Updater hands updates to memory and asks for the next ones at
once, which tells Telegram the earlier ones arrived: a crash then loses them. Here the next
`getUpdates` (whose offset is the acknowledgement) is only sent after `Intake.receive` has
committed the batch. Updates fetched but not yet stored when the process stops come again.

Failures that a retry cannot fix end the loop with an exception, so the process exits
non-zero and a supervisor restarts it or alerts: an invalid token (401) at once, a conflict
(another process polling, or a webhook set) once it has lasted `CONFLICT_GRACE`.
"""

from __future__ import annotations

import asyncio
import logging
import time
import warnings
from typing import Any

from telegram import Bot, Update
from telegram.error import (
    Conflict,
    EndPointNotFound,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)

from bot.delivery_outcomes import retry_after
from bot.intake import Intake

log = logging.getLogger(__name__)

POLL_TIMEOUT = 10  # seconds Telegram holds a getUpdates open when there is nothing new
CONFLICT_GRACE = 60.0  # a rolling restart overlaps for moments; longer is a real conflict
MAX_BACKOFF = 30.0


class PollingFailed(Exception):
    """Polling cannot go on (bad token, a lasting conflict): the process should exit."""


class Poller:
    def __init__(self, bot: Bot, intake: Intake, *, timeout: int = POLL_TIMEOUT,
                 conflict_grace: float = CONFLICT_GRACE) -> None:
        self.bot = bot
        self.intake = intake
        self.timeout = timeout
        self.conflict_grace = conflict_grace
        self.offset: int | None = None

    async def run(self, stop: asyncio.Event) -> None:
        """Fetch, store, acknowledge, until `stop` is set (or a fatal failure)."""
        await self.bot.delete_webhook(drop_pending_updates=False)  # polling and webhooks exclude
        backoff = 0.0
        conflict_since: float | None = None
        while not stop.is_set():
            fetch = asyncio.ensure_future(self._fetch())
            stopped = asyncio.ensure_future(stop.wait())
            await asyncio.wait({fetch, stopped}, return_when=asyncio.FIRST_COMPLETED)
            if not fetch.done():  # stopping: what it would bring comes again next time
                fetch.cancel()
                await asyncio.gather(fetch, return_exceptions=True)
                break
            stopped.cancel()
            try:
                payloads = fetch.result()
            except (InvalidToken, EndPointNotFound) as exc:  # `do_api_request` reports a 401
                # as EndPointNotFound (the method might not exist); getUpdates does
                raise PollingFailed("Telegram refused the bot token (401): check "
                                    "TELEGRAM_BOT_TOKEN") from exc
            except Conflict as exc:
                conflict_since = conflict_since or time.monotonic()
                if time.monotonic() - conflict_since > self.conflict_grace:
                    raise PollingFailed(
                        "Another process is getting this bot's updates (or a webhook is set) "
                        f"for over {self.conflict_grace:.0f} s: {exc.message}") from exc
                backoff = await self._pause(backoff, "a conflict with another poller")
                continue
            except RetryAfter as exc:
                await asyncio.sleep(retry_after(exc).total_seconds())
                continue
            except (NetworkError, TelegramError) as exc:
                backoff = await self._pause(backoff, exc.__class__.__name__)
                continue
            conflict_since, backoff = None, 0.0
            if payloads:
                await self.intake.receive(payloads)  # stored: the next offset may confirm them
                self.offset = max(p["update_id"] for p in payloads) + 1

    async def _fetch(self) -> list[dict[str, Any]]:
        """The updates as Telegram sent them (raw JSON: stored as is, parsed when handled)."""
        with warnings.catch_warnings():  # PTB suggests get_updates, which parses them
            warnings.filterwarnings("ignore", message="Please use 'Bot.getUpdates'")
            result = await self.bot.do_api_request(
                "getUpdates", api_kwargs={"offset": self.offset, "timeout": self.timeout,
                                          "allowed_updates": Update.ALL_TYPES},
                read_timeout=self.timeout + 10)
        return list(result or [])

    @staticmethod
    async def _pause(backoff: float, why: str) -> float:
        backoff = min(MAX_BACKOFF, max(1.0, backoff * 2))
        log.warning("getUpdates failed (%s); trying again in %.0f s", why, backoff)
        await asyncio.sleep(backoff)
        return backoff

