"""Let calls that arrive while the database is busy share the next round trip.

A mile log costs a few statements; under load most of that cost is the round trips, not the
rows. A `Batcher` runs the first call at once and gathers the calls that arrive meanwhile into
the next batch, so many families' messages share one transaction. Alone, a call waits for
nobody; nothing is delayed on purpose.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

log = logging.getLogger(__name__)


async def together_or_alone(items: list[T], write: Callable[[list[T]], Awaitable[Sequence[R]]]
                            ) -> list[R | Exception]:
    """Write the items in one transaction (`write` answers each, in order); if that fails,
    each alone, so one bad item fails only itself and never leaves another half-written."""
    if len(items) > 1:
        try:
            return list(await write(items))
        except Exception:
            log.warning("Writing %s together failed; one by one", len(items), exc_info=True)
    results: list[R | Exception] = []
    for item in items:
        try:
            results.extend(await write([item]))
        except Exception as exc:
            results.append(exc)
    return results


class Batcher(Generic[T, R]):
    def __init__(self, run_batch: Callable[[list[T]], Awaitable[Sequence[R | Exception]]],
                 max_size: int = 256, alone: Callable[[], bool] = lambda: False) -> None:
        """`run_batch` gets the items in arrival order and answers each, in the same order,
        with a result or an exception (that item's own failure). While `alone()` says so
        (a unit of work is open: its transaction must hold the call), a call runs by itself,
        in the caller's own task."""
        self._run_batch = run_batch
        self._max_size = max_size
        self._alone = alone
        self._queue: list[tuple[T, asyncio.Future[R]]] = []
        self._task: asyncio.Task[None] | None = None

    async def __call__(self, item: T) -> R:
        if self._alone():
            (result,) = await self._run_batch([item])
            if isinstance(result, Exception):
                raise result
            return result
        future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._queue.append((item, future))
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        while self._queue:
            batch, self._queue = self._queue[: self._max_size], self._queue[self._max_size:]
            try:
                results = await self._run_batch([item for item, _ in batch])
            except Exception as exc:  # the whole batch failed: every caller hears why
                results = [exc] * len(batch)
            for (_, future), result in zip(batch, results, strict=True):
                if future.done():  # the caller gave up (cancelled)
                    continue
                if isinstance(result, Exception):
                    future.set_exception(result)
                else:
                    future.set_result(result)
