"""One leader among the workers: the one process that runs the scheduled jobs and sends.

On PostgreSQL, leading is holding a session-level advisory lock on a connection kept for it
(the two-int form, `pg_try_advisory_lock(int, int)`: its keys never meet the bigint chat
claims of bot/handling.py). The lock lives as long as that connection: a leader that crashes
or loses its database link lets go, and another worker, trying every `RETRY` seconds, takes
over. The leader looks at its connection every `CHECK` seconds; when it is gone, so is the
lead (the server dropped the lock with the session).

On SQLite there is one process (bot/single.py makes sure), and it always leads.
"""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.db import Database

log = logging.getLogger(__name__)

LOCK = (0x464D, 1)  # ("FM", 1): the scheduler's lead
RETRY = 5.0  # seconds between a follower's tries
CHECK = 5.0  # seconds between a leader's looks at its connection


class Leadership:
    def __init__(self, db: Database, *, retry: float = RETRY, check: float = CHECK,
                 key: tuple[int, int] = LOCK) -> None:
        self.db = db
        self.retry = retry
        self.check = check
        self.key = key
        self._connection: AsyncConnection | None = None
        self._task: asyncio.Task[None] | None = None
        self._always = not db.on_postgresql

    def leading(self) -> bool:
        """Whether this process leads now (SQLite: always)."""
        return self._always or self._connection is not None

    async def try_to_lead(self) -> bool:
        """One try (the leader: one look that it still holds the lock); whether it leads."""
        if self._always:
            return True
        if self._connection is not None:
            if await self._alive(self._connection):
                return True
            log.warning("Lost the database connection that held the lead; no longer leading")
            await self._drop()
        connection: AsyncConnection | None = None
        try:
            connection = await self.db.engine.connect()
            connection = await connection.execution_options(isolation_level="AUTOCOMMIT")
            got = bool(await connection.scalar(
                text("SELECT pg_try_advisory_lock(:a, :b)"), {"a": self.key[0], "b": self.key[1]}))
        except Exception:  # the database is away: try again later
            log.warning("Could not try for the lead (database unreachable?)", exc_info=True)
            got = False
        if not got:
            if connection is not None:  # holds nothing: back to the pool
                await _close(connection, invalidate=False)
            return False
        self._connection = connection
        log.info("Leading: this process runs the scheduled jobs and sends the outbox")
        return True

    async def start(self) -> None:
        """Try at once (a lone process leads from its first tick), then keep trying or
        checking in the background."""
        if self._always:
            return
        await self.try_to_lead()
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        """Stop trying, and let go of the lead (another worker takes over at its next try)."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        await self.release()

    async def release(self) -> None:
        connection = self._connection
        if connection is None:
            return
        try:
            await connection.execute(text("SELECT pg_advisory_unlock(:a, :b)"),
                                     {"a": self.key[0], "b": self.key[1]})
        except Exception:  # closing the connection lets go of it all the same
            log.debug("Could not unlock the lead; closing its connection", exc_info=True)
        await self._drop()
        log.info("No longer leading")

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.check if self.leading() else self.retry)
            await self.try_to_lead()

    @staticmethod
    async def _alive(connection: AsyncConnection) -> bool:
        try:
            await asyncio.wait_for(connection.execute(text("SELECT 1")), 10)
            return True
        except Exception:
            return False

    async def _drop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            await _close(connection)


async def _close(connection: AsyncConnection, *, invalidate: bool = True) -> None:
    """`invalidate`: never back to the pool, since its session may still hold the lock."""
    try:
        if invalidate:
            await connection.invalidate()
        await connection.close()
    except Exception:
        log.debug("Closing a lead connection failed", exc_info=True)
