"""Replies leave right after their round's commit, in the order their updates were handled.

What fails here stays in the outbox, whose tick retries it: a reply is never lost to a failed
send, and never replaced by an apology.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from telegram import Bot

log = logging.getLogger(__name__)

Deliver = Callable[[list[int]], Awaitable[None]]
Answer = tuple[str, str | None]  # a button press's query id, and the text of a pop-up or None


class ReplySender:
    def __init__(self, bot: Bot, deliver: Deliver) -> None:
        """`deliver` sends queued replies by outbox id; `bot` answers button presses."""
        self.bot = bot
        self.deliver = deliver
        self._queue: asyncio.Queue[tuple[list[int], list[Answer]] | None] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None
        self._busy = 0

    @property
    def idle(self) -> bool:
        """Nothing waits to be sent and nothing is being sent."""
        return not self._busy and self._queue.empty()

    def put(self, ids: list[int], answered: list[Answer]) -> None:
        """Send these committed replies (outbox ids) and answer these button presses (with a
        pop-up when it has a text)."""
        self._queue.put_nowait((ids, answered))

    def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        """Send what was put before, then stop."""
        if self._task is not None:
            self._queue.put_nowait(None)
            await self._task
        self._task = None

    async def _run(self) -> None:
        """What queued up meanwhile (a round's replies, or several rounds') goes in one
        `deliver`: one claim for all, chats side by side."""
        stopping = False
        while not stopping:
            item = await self._queue.get()
            items = []
            while item is not None:
                items.append(item)
                if self._queue.empty():
                    break
                item = self._queue.get_nowait()
            stopping = item is None
            if not items:
                continue
            self._busy += 1
            try:
                await self._send([i for ids, _ in items for i in ids],
                                 [q for _, answered in items for q in answered])
            finally:
                self._busy -= 1

    async def _send(self, ids: list[int], answered: list[Answer]) -> None:
        for query_id, alert in answered:
            try:
                await self.bot.answer_callback_query(query_id, text=alert,
                                                     show_alert=alert is not None)
            except Exception:  # only a spinner: it stops by itself
                log.debug("Could not answer a button press", exc_info=True)
        if ids:
            try:
                await self.deliver(ids)
            except Exception:
                log.exception("Could not send replies at once; the outbox will")
