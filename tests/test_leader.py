"""One leader runs the scheduled jobs and sends: on PostgreSQL one worker of several, taken
over when it lets go or loses its database; on SQLite the one process."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import text

from bot import scheduler
from bot.leader import Leadership
from storage import repo, updates
from storage.db import Database
from storage.updates import Incoming

ON_POSTGRESQL = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)


@pytest.fixture
async def workers(database_url: str) -> AsyncIterator[list[Database]]:
    """Two workers' databases (each its own engine and connections), one shared database."""
    first, second = Database(database_url), Database(database_url)
    yield [first, second]
    await first.dispose()
    await second.dispose()


@ON_POSTGRESQL
async def test_only_one_of_two_workers_leads_and_the_other_takes_over(workers) -> None:  # type: ignore[no-untyped-def]
    one, two = Leadership(workers[0]), Leadership(workers[1])
    try:
        assert await one.try_to_lead() is True
        assert await two.try_to_lead() is False
        assert (one.leading(), two.leading()) == (True, False)
        assert await one.try_to_lead() is True  # still leading: it keeps the lead
        assert await two.try_to_lead() is False
        await one.stop()  # a worker shutting down lets go
        assert one.leading() is False
        assert await two.try_to_lead() is True
        assert await one.try_to_lead() is False
    finally:
        await one.stop()
        await two.stop()


@ON_POSTGRESQL
async def test_a_leader_that_loses_its_connection_stops_leading(workers) -> None:  # type: ignore[no-untyped-def]
    one, two = Leadership(workers[0]), Leadership(workers[1])
    try:
        await one.start()
        assert one.leading()
        async with workers[1].engine.connect() as admin:  # the database drops its session
            await admin.execute(text(
                "SELECT pg_terminate_backend(pid) FROM pg_locks "
                "WHERE locktype = 'advisory' AND classid = 17997 AND objid = 1"))
            await admin.commit()
        assert await two.try_to_lead() is True
        assert await one.try_to_lead() is False  # finds its connection gone, and the lead
        assert not one.leading()
    finally:
        await one.stop()
        await two.stop()


async def test_on_sqlite_the_one_process_always_leads(tmp_path) -> None:  # type: ignore[no-untyped-def]
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    leadership = Leadership(db)
    await leadership.start()
    assert leadership.leading() and await leadership.try_to_lead()
    await leadership.stop()
    await db.dispose()


def job_context(db: Database, leads: bool, data: Any = None) -> Any:
    """What PTB hands a job: its data, the bot data with the runtime, the services."""
    runtime = SimpleNamespace(leads=lambda: leads)
    return SimpleNamespace(bot_data={"runtime": runtime}, job=SimpleNamespace(data=data),
                           services=SimpleNamespace(db=db))


async def test_handled_updates_are_pruned_after_the_retention_by_the_leader_only(db) -> None:  # type: ignore[no-untyped-def]
    now = repo.utcnow()
    async with db.session() as session, session.begin():
        await updates.store(session, [Incoming(1, 10, "{}"), Incoming(2, 10, "{}"),
                                      Incoming(3, 11, "{}")], now - dt.timedelta(days=9))
        await updates.mark_handled(session, [1], now - dt.timedelta(days=8))
        await updates.mark_handled(session, [2], now - dt.timedelta(days=2))
    week = dt.timedelta(days=7)
    await scheduler.prune(job_context(db, leads=False, data=week))
    async with db.session() as session:
        assert set(await updates.outcomes(session)) == {1, 2, 3}  # a follower prunes nothing
    await scheduler.prune(job_context(db, leads=True, data=week))
    async with db.session() as session:
        # handled 8 days ago: gone; 2 days ago: kept; never handled: kept however old
        assert await updates.outcomes(session) == {2: updates.HANDLED, 3: None}


async def test_a_follower_runs_no_scheduled_job(db) -> None:  # type: ignore[no-untyped-def]
    """The jobs return before touching anything (their services here would fail if used)."""
    context = job_context(db, leads=False)
    context.services = None
    await scheduler.deliver(context)
    await scheduler.remind(context)
