"""Shared fixtures: settings on a temporary SQLite file, the fake Bot API, the running bot."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from sqlalchemy import text
from telegram import Bot

from bot.app import build_application
from bot.config import Settings, load_settings
from bot.domain.programs import Program, load_programs
from bot.polling import Poller
from bot.runtime import running
from faq.kb import KnowledgeBase, load_knowledge_bases
from storage.db import Database
from tests.fake_bot_api import FakeBotApi

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL",
                              "postgresql+asyncpg://root@127.0.0.1:5432/test")


@pytest.fixture(scope="session")
def kbs() -> dict[str, KnowledgeBase]:
    return load_knowledge_bases()


@pytest.fixture(scope="session")
def programs() -> dict[str, Program]:
    return load_programs()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings({"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
                          "TELEGRAM_BOT_TOKEN": FakeBotApi.token,
                          "ORGANIZER_IDS": "777"})


@pytest.fixture
async def fake_api() -> AsyncIterator[FakeBotApi]:
    api = FakeBotApi()
    await api.start()
    yield api
    await api.stop()


@pytest.fixture
async def bot(fake_api: FakeBotApi) -> AsyncIterator[Bot]:
    """A bare Bot talking to the fake Bot API (for jobs that send on their own)."""
    async with Bot(fake_api.token, base_url=f"{fake_api.base_url}/bot") as bot:
        yield bot


@asynccontextmanager
async def bot_running(fake_api: FakeBotApi, settings: Settings, kbs,  # type: ignore[no-untyped-def]
                      errors_expected: bool = False):
    """The real bot as it runs: polling the fake Bot API over HTTP, every update stored before
    it is acknowledged, handled by the handling loop, replies sent through the outbox. A
    handler error fails the test, unless the test expects some."""
    settings = settings.model_copy(update={"telegram_api_base_url": fake_api.base_url})
    app = build_application(settings, kbs=kbs)
    errors: list[BaseException] = []

    async def record(_update: object, context) -> None:  # type: ignore[no-untyped-def]
        errors.append(context.error)

    app.add_error_handler(record)
    async with running(app) as runtime:
        stop = asyncio.Event()
        polling = asyncio.create_task(Poller(app.bot, runtime.intake, timeout=1).run(stop))
        try:
            yield app
        finally:
            stop.set()
            await polling
    assert errors_expected or not errors, f"a handler raised: {errors!r}"


@pytest.fixture
def cli_env(settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI on the running bot's database, knowing the bot's username (invite links)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("BOT_USERNAME", "FinalMileBot")


@pytest.fixture
async def running_bot(fake_api: FakeBotApi, settings: Settings, kbs):  # type: ignore[no-untyped-def]
    async with bot_running(fake_api, settings, kbs) as app:
        yield app


async def _postgres_reachable(url: str) -> str | None:
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            await connection.execute(text("select 1"))
        return None
    except Exception as exc:  # any failure means: no usable server here
        return f"no PostgreSQL reachable at {url}: {exc.__class__.__name__}"
    finally:
        await engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, migrated-from-nothing database URL of each kind (PostgreSQL skipped if absent)."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'storage.db'}"
    reason = await _postgres_reachable(POSTGRES_URL)
    if reason:
        pytest.skip(reason)
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(POSTGRES_URL)
    async with engine.begin() as connection:
        await connection.execute(text("DROP SCHEMA public CASCADE"))
        await connection.execute(text("CREATE SCHEMA public"))
    await engine.dispose()
    return POSTGRES_URL


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    """A migrated database of each kind, disposed after the test."""
    database = Database(database_url)
    await database.upgrade()
    yield database
    await database.dispose()


def pytest_terminal_summary(terminalreporter) -> None:  # type: ignore[no-untyped-def]
    """Print the FAQ evaluation figures (right / wrong / abstained) after the run."""
    from tests.test_faq_eval import REPORT

    if REPORT:
        terminalreporter.section("FAQ evaluation")
        for line in REPORT:
            terminalreporter.write_line(line)
