"""The migrations build exactly the schema the models describe (no drift), on each database,
and workers starting together migrate one after another."""

import asyncio
import os
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from storage.db import Database
from storage.models import Base

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
