"""The engine and sessions, and applying migrations, for SQLite (default) or PostgreSQL."""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Executable, event, text
from sqlalchemy.engine import Connection, CursorResult, ExceptionContext, NestedTransaction
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import SAWarning
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm.session import JoinTransactionMode
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


def _no_driver_transactions(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry
                            ) -> None:
    """sqlite3 opens transactions on its own, late, and then SAVEPOINT misbehaves: leave
    BEGIN to `_begin_immediate` (SQLAlchemy's documented recipe for SQLite savepoints)."""
    dbapi_connection.isolation_level = None


def _begin_immediate(connection: Connection) -> None:
    """Take SQLite's write lock when the transaction starts, not at its first write: a
    transaction that read and then writes could otherwise fail at once (its snapshot went
    stale) instead of waiting its turn."""
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str, *, savepoints: bool = False) -> AsyncEngine:
    """Build the engine; SQLite gets WAL and enforced foreign keys on every connection
    (`savepoints`: and transactions that nest, for units of work).

    No personal data in logs: errors name their statement without its parameters
    (`hide_parameters`) and without PostgreSQL's row details, and aiosqlite's DEBUG lines,
    which print every call with its parameters, stay off."""
    engine = create_async_engine(url, pool_pre_ping=not url.startswith("sqlite"),
                                 hide_parameters=True)
    event.listen(engine.sync_engine, "handle_error", _hide_row_values)
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        logging.getLogger("aiosqlite").setLevel(logging.INFO)
        if savepoints:
            event.listen(engine.sync_engine, "connect", _no_driver_transactions)
            event.listen(engine.sync_engine, "begin", _begin_immediate)
    return engine


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


MIGRATION_LOCK = (0x464D, 2)  # ("FM", 2): one migrating process at a time (bot/leader.py has 1)


def _upgrade(connection: Connection, revision: str) -> None:
    """On PostgreSQL, workers started together migrate one after another: the lock, held to
    the end of the transaction, makes the others wait and then find nothing left to do."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:a, :b)"),
                           {"a": MIGRATION_LOCK[0], "b": MIGRATION_LOCK[1]})
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


_unit: ContextVar[AsyncConnection | None] = ContextVar("unit_of_work", default=None)
_side_by_side: ContextVar[bool] = ContextVar("side_by_side", default=False)
_savepoint: ContextVar[NestedTransaction | None] = ContextVar("savepoint", default=None)


class UnitUndone(Exception):
    """A unit of work (or an update's savepoint in it) was rolled back while its work went on:
    what comes after must not be written, the unit's owner does the work again."""


def _undone(_connection: Connection) -> None:
    raise UnitUndone("the unit of work was rolled back; it is done again")


class Database:
    """The engine plus a session factory; the caller of a use case owns the transaction,
    unless a unit of work is open: then every session joins it."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        self._unit_engine = (make_engine(url, savepoints=True)
                             if self.engine.dialect.name == "sqlite" else self.engine)
        # SQLite has one writer at a time, and its busy handler is no queue: a writer that
        # waits polls with growing sleeps, so back-to-back rounds of the handling loop could
        # starve the intake and the outbox past the busy timeout ("database is locked"). The
        # process's own writers take turns here instead, first come first served.
        self._writes = asyncio.Lock() if self.engine.dialect.name == "sqlite" else None

    @property
    def on_postgresql(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    def session(self) -> AsyncSession:
        """A new session; inside a unit of work, one that joins it: as a SAVEPOINT of its own
        (its commit only releases the savepoint, its rollback undoes only its own work), or,
        within an update's savepoint (`savepoint`) or side by side (`side_by_side`), as part
        of that savepoint or of the unit's transaction. Its commit then leaves them to their
        owner, and its rollback undoes the whole savepoint or unit: an update whose write
        fails is failed whole. That spares each session two statements, a third of what
        handling a mile log takes. Once undone, no session may join it again (UnitUndone)."""
        connection = _unit.get()
        if connection is None:
            return self.sessions()
        savepoint = _savepoint.get()
        mode: JoinTransactionMode = "create_savepoint"
        if savepoint is not None or _side_by_side.get():
            sync = connection.sync_connection
            joined = savepoint or (sync.get_transaction() if sync is not None else None)
            if joined is None or not joined.is_active:
                raise UnitUndone("this work was already undone; it is done again")
            mode = "rollback_only"
        return AsyncSession(bind=connection, join_transaction_mode=mode,
                            expire_on_commit=False)

    @asynccontextmanager
    async def savepoint(self, session: AsyncSession) -> AsyncIterator[None]:
        """One update's work inside the unit (`session` is the unit's): sessions opened
        inside join this savepoint, and the first one to roll back undoes all of it."""
        transaction = await session.begin_nested()
        connection = (await session.connection()).sync_connection  # SAVEPOINT now: its
        assert connection is not None  # work is done on other sessions
        savepoint = connection.get_nested_transaction()
        token = _savepoint.set(savepoint)
        try:
            yield
        except BaseException:
            with warnings.catch_warnings():  # a session inside may have rolled it back
                warnings.filterwarnings("ignore", "nested transaction already deassociated",
                                        SAWarning)
                await transaction.rollback()
            raise
        finally:
            _savepoint.reset(token)
        if savepoint is None or not savepoint.is_active:
            raise UnitUndone("this update's work was undone, though nothing failed")
        await transaction.commit()

    def in_unit_of_work(self) -> bool:
        return _unit.get() is not None

    def one_at_a_time(self) -> bool:
        """In a unit of work whose work is not done side by side (`side_by_side`): what
        would wait to be batched with others must run at once, in the caller's savepoint."""
        return _unit.get() is not None and not _side_by_side.get()

    @contextmanager
    def side_by_side(self) -> Iterator[None]:
        """Inside a unit of work: what runs here (tasks started here too) runs side by side
        on the unit's connection, without savepoints. Sessions opened join the unit's
        transaction as they are, and a failure of any of them undoes the whole unit (their
        rollback is its rollback): the caller then does the work again, one at a time."""
        token = _side_by_side.set(True)
        try:
            yield
        finally:
            _side_by_side.reset(token)

    @asynccontextmanager
    async def writing(self) -> AsyncIterator[AsyncSession]:
        """A session in a transaction committed at the end, for the busy writers (the intake,
        the outbox): on SQLite it waits its turn among this process's writers."""
        async with self._turn(), self.session() as session, session.begin():
            yield session

    @asynccontextmanager
    async def _turn(self) -> AsyncIterator[None]:
        if self._writes is None or self.in_unit_of_work():  # a unit already has its turn
            yield
            return
        async with self._writes:
            yield

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[AsyncSession]:
        """One transaction that everything done inside joins, committed at the end: handling
        an update, its effects and its "handled" mark commit or roll back together.

        Sessions opened inside (`session()`) become savepoints of it. The session given here
        belongs to the caller: its `begin_nested()` marks off one update's work."""
        async with self._turn(), self._unit_engine.connect() as connection:
            transaction = await connection.begin()
            # A session that rolled back took the unit's transaction with it: nothing may then
            # start a new one on this connection and commit it as if it were the unit's.
            event.listen(connection.sync_connection, "begin", _undone)
            token = _unit.set(connection)
            try:
                async with AsyncSession(bind=connection, join_transaction_mode="rollback_only",
                                        expire_on_commit=False) as session:
                    yield session
            except BaseException:
                if transaction.is_active:
                    await transaction.rollback()
                raise
            finally:
                _unit.reset(token)
            if not transaction.is_active:
                raise UnitUndone("the unit of work was undone, though nothing failed")
            await transaction.commit()

    async def upgrade(self) -> None:
        await upgrade(self.engine)

    async def dispose(self) -> None:
        await self.engine.dispose()
        if self._unit_engine is not self.engine:
            await self._unit_engine.dispose()
