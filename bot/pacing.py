"""Sending turns 1/rate apart, shared by everything the bot sends, replies first.

Each send waits for its turn. A waiting reply takes the next free turn ahead of waiting outbox
messages, and a reply sent outside the outbox (`take_now`) uses a turn at once. Turns are
spaced evenly, so no second holds more than the rate; and a turn is handed out the moment it
comes, so nothing waits while there is room (the outbox fills whatever replies leave).
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time

FIRST, NEXT = 0, 1  # priorities: replies, then everything else


class Pacer:
    def __init__(self, rate: float) -> None:
        self.rate = rate
        self.gap = 1.0 / rate
        self._next = 0.0  # time.monotonic() of the next free turn
        self._waiting: list[tuple[int, int, asyncio.Future[bool]]] = []
        self._order = itertools.count()
        self._runner: asyncio.Task[None] | None = None

    def take_now(self) -> None:
        """A message went out without waiting (a reply sent directly): it used a turn."""
        self._next = max(time.monotonic(), self._next) + self.gap

    def booked_until(self) -> float:
        """When the turns already promised, to sends waiting now included, run out."""
        waiting = sum(not future.done() for _, _, future in self._waiting)
        return max(time.monotonic(), self._next) + waiting * self.gap

    async def turn(self, priority: int, within: float) -> bool:
        """Wait for this send's turn; False when none came within `within` seconds (the
        caller then gives its claim back rather than hold it)."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[bool] = loop.create_future()
        heapq.heappush(self._waiting, (priority, next(self._order), future))
        if self._runner is None or self._runner.done():
            self._runner = asyncio.create_task(self._hand_out())
        # A timer rather than asyncio.wait: this runs once per message sent.
        timer = loop.call_later(within, _too_late, future)
        try:
            return await future  # cancelled with its waiter: the turn goes to the next
        finally:
            timer.cancel()

    async def _hand_out(self) -> None:
        while self._waiting:
            delay = self._next - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
                continue  # look again: a reply may have come meanwhile
            _, _, future = heapq.heappop(self._waiting)
            if future.done():  # gave up waiting
                continue
            future.set_result(True)
            now = time.monotonic()
            # A sleep wakes a little late: keep to the schedule (or each turn would lose that
            # much), unless the turns had lapsed (nothing waited) and start again from now.
            self._next = (self._next if now - self._next < self.gap / 2 else now) + self.gap


def _too_late(future: asyncio.Future[bool]) -> None:
    """No turn came in time: the sender gives up waiting (`turn` returns False)."""
    if not future.done():
        future.set_result(False)
