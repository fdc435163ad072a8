"""The engine and sessions, and applying migrations, for SQLite (default) or PostgreSQL."""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Executable, event
from sqlalchemy.engine import Connection, CursorResult, ExceptionContext
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import ConnectionPoolEntry

MIGRATIONS = Path(__file__).parent / "migrations"
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///finalmile.db"


def _sqlite_pragmas(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # WAL + NORMAL: a commit survives the process crashing (the bot's failure mode); only a
    # power cut can lose the last commits. FULL would fsync every log message.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _hide_row_values(context: ExceptionContext) -> None:
    """PostgreSQL explains a failed statement with the row or key it refused ("DETAIL: Failing
    row contains (..., Emma, ...)"), and asyncpg's exception prints it: drop that detail, so a
    logged traceback carries no child's name or message text (the error itself stays)."""
    seen: set[int] = set()
    error: BaseException | None = context.original_exception
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if getattr(error, "detail", None):
            error.detail = None  # type: ignore[attr-defined]
        error = error.__cause__ or error.__context__


def make_engine(url: str) -> AsyncEngine:
    """Build the engine; SQLite gets WAL and enforced foreign keys on every connection.

    No personal data in logs: errors name their statement without its parameters
    (`hide_parameters`) and without PostgreSQL's row details, and aiosqlite's DEBUG lines,
    which print every call with its parameters, stay off."""
    engine = create_async_engine(url, pool_pre_ping=not url.startswith("sqlite"),
                                 hide_parameters=True)
    event.listen(engine.sync_engine, "handle_error", _hide_row_values)
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        logging.getLogger("aiosqlite").setLevel(logging.INFO)
    return engine


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def _upgrade(connection: Connection, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Apply pending migrations over the app's own engine (safe to call on every start)."""
    async with engine.begin() as connection:
        await connection.run_sync(_upgrade, revision)


def on_postgresql(session: AsyncSession) -> bool:
    """Whether the session talks to PostgreSQL (row locks, SKIP LOCKED) rather than SQLite."""
    return session.get_bind().dialect.name == "postgresql"


async def changed_rows(session: AsyncSession, statement: Executable) -> int:
    """Run an UPDATE or DELETE; how many rows it changed."""
    result = await session.execute(statement)
    assert isinstance(result, CursorResult)  # what SQLAlchemy returns for DML
    return result.rowcount


class Database:
    """The engine plus a session factory; the caller of a use case owns the transaction."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    def session(self) -> AsyncSession:
        return self.sessions()

    async def upgrade(self) -> None:
        await upgrade(self.engine)

    async def dispose(self) -> None:
        await self.engine.dispose()
