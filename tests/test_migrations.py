"""The migrations build exactly the schema the models describe (no drift), on each database,
keep the data they move, and workers starting together migrate one after another."""

import asyncio
import datetime as dt
import os
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select, text

from storage import children, mile_logs, repo
from storage.db import Database, upgrade
from storage.models import Base, Child

ROOT = Path(__file__).resolve().parents[1]


async def test_migrations_match_the_models(db: Database) -> None:
    def differences(connection):  # type: ignore[no-untyped-def]
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)

    async with db.engine.connect() as connection:
        assert await connection.run_sync(differences) == []


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_workers_migrating_an_empty_database_at_once_all_come_up(
        database_url: str, tmp_path: Path) -> None:
    """Workers started together (or restarted together onto a new migration) migrate one
    after another; none fails on the tables another is creating."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATABASE_")}
    env.update({"PYTHONPATH": str(ROOT),
                "DATABASE_URL": database_url})
    processes = [await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "db", "upgrade", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE) for _ in range(3)]
    results = [await asyncio.wait_for(p.communicate(), 60) for p in processes]
    assert [p.returncode for p in processes] == [0, 0, 0], [err.decode() for _, err in results]


async def test_children_go_to_their_chats_program_and_keep_their_miles(
        database_url: str) -> None:
    """Before children belonged to a program, a chat's children were its program's: the
    migration puts each in their chat's program then, and no mile is lost."""
    database = Database(database_url)
    try:
        await upgrade(database.engine, "0007")
        now = dt.datetime(2026, 11, 30, tzinfo=dt.UTC)
        async with database.engine.begin() as connection:
            for chat, program in ((1, "kroc"), (2, "little-rockers"), (3, None)):
                await connection.execute(text(
                    "INSERT INTO chats (id, kind, program, active, created_at, updated_at)"
                    " VALUES (:id, 'private', :program, true, :now, :now)"),
                    {"id": chat, "program": program, "now": now})
                await connection.execute(text(
                    "INSERT INTO families (id, chat_id, created_at) VALUES (:id, :chat, :now)"),
                    {"id": chat, "chat": chat, "now": now})
                await connection.execute(text(
                    "INSERT INTO children (id, family_id, first_name, grade, created_at)"
                    " VALUES (:id, :family, 'Kid', '2', :now)"),
                    {"id": chat, "family": chat, "now": now})
            await connection.execute(text(
                "INSERT INTO mile_logs (id, family_id, text, fingerprint, logged_at)"
                " VALUES (1, 1, 'ran 2 miles', 'f', :now)"), {"now": now})
            await connection.execute(text(
                "INSERT INTO mile_entries (log_id, child_id, hundredths, day)"
                " VALUES (1, 1, 200, '2026-11-30')"))
        await database.upgrade()
        async with database.session() as session:
            placed = dict((await session.execute(
                select(Child.id, Child.program).order_by(Child.id))).all())
            assert placed == {1: "kroc", 2: "little-rockers", 3: None}
            assert await mile_logs.totals(session, 1) == {1: 200}
            assert [c.name for c in await children.children_of_chat(session, 2)] == ["Kid"]
        async with database.session() as session, session.begin():
            await repo.save_chat(session, 3, "private", "kroc")  # picks a program: adopted
            await children.adopt(session, 3, "kroc")
        async with database.session() as session:
            assert [c.program for c in await children.children_of_chat(session, 3)] == ["kroc"]
    finally:
        await database.dispose()
