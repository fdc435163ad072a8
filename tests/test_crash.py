"""A crash in the middle of a burst loses nothing a family sent and applies nothing twice; a
reply that fails after its log was stored is retried, never turned into an apology."""

from __future__ import annotations

import asyncio
import collections
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.config import Settings, load_settings
from storage import children, families, outbox, repo, updates
from storage.db import Database
from storage.models import Family, MileEntry, MileLog, Outbox
from tests.chat import PARENT, says, text_of
from tests.fake_bot_api import ApiError, FakeBotApi
from tests.webhook_workers import seed_families

ROOT = Path(__file__).resolve().parent.parent
FAMILIES = 30
BURST = ("ran 1 mile", "walked 2 miles", "ran half a mile", "walked 1.5 miles")
HUNDREDTHS = [100, 200, 50, 150]  # what each message logs, in the order it was sent
KILL_AFTER = 40  # "Logged" replies seen before the SIGKILL (of FAMILIES * len(BURST))
LEASE_SECONDS = 5  # see `start_bot`
DEADLINE = 25.0  # seconds for the restarted bot to answer everything
SORRY = "something went wrong"
# `finalmile run` as its console script runs it, with a shorter outbox lease (see start_bot).
LAUNCH = ("import datetime, sys; import bot.delivery as d; "
          f"d.LEASE = datetime.timedelta(seconds={LEASE_SECONDS}); "
          "from bot.cli import main; sys.exit(main(['run']))")


@pytest.fixture
def settings(database_url: str) -> Settings:
    """The bot of `running_bot` on each database (SQLite, and PostgreSQL when reachable)."""
    return load_settings({"DATABASE_URL": database_url, "TELEGRAM_BOT_TOKEN": FakeBotApi.token})


class SlowBotApi(FakeBotApi):
    """Answers each message after a few milliseconds, as Telegram does: so a SIGKILL finds
    requests on the wire, whose rows are still `sending`."""

    async def handle(self, method: str, params: dict[str, Any]) -> Any:
        if method in ("sendMessage", "sendPhoto"):
            await asyncio.sleep(0.03)
        return await super().handle(method, params)


def start_bot(api: FakeBotApi, url: str, folder: Path) -> subprocess.Popen[bytes]:
    """A real `finalmile run` process. Its outbox lease is 5 s instead of 15: the lease must
    outlast a live claim (a turn's wait, 1.5 s, and one request), and this API answers in
    milliseconds; the full lease would only make the test wait 10 s longer."""
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": api.token, "TELEGRAM_API_BASE_URL": api.base_url,
           "DATABASE_URL": url, "LOG_LEVEL": "WARNING", "PYTHONPATH": str(ROOT)}
    with (folder / "bot.log").open("ab") as log:
        return subprocess.Popen([sys.executable, "-c", LAUNCH], cwd=folder, env=env,
                                stdout=log, stderr=log)


async def seed(url: str) -> list[int]:
    """FAMILIES families in 'kroc', one child each; their chat ids."""
    db = Database(url)
    await db.upgrade()
    await db.dispose()
    chats = list(range(1001, 1001 + FAMILIES))
    await seed_families(url, chats)
    return chats


def said(api: FakeBotApi) -> collections.Counter[tuple[int, str]]:
    """How many times each (chat, text) arrived."""
    return collections.Counter((int(m["chat"]["id"]), text_of(m)) for m in api.sent())


def logged(api: FakeBotApi) -> int:
    return sum(n for (_, text), n in said(api).items() if text.startswith("✅ Logged"))


async def still_sending(url: str) -> set[tuple[int, str]]:
    """Outbox rows claimed when the process died: their requests may or may not have left."""
    db = Database(url)
    async with db.session() as session:
        rows = await session.execute(select(Outbox.chat_id, Outbox.text)
                                     .where(Outbox.state == outbox.SENDING))
        claimed = {(int(chat), text) for chat, text in rows.all()}
    await db.dispose()
    return claimed


async def stored(db: Database) -> tuple[dict[int, list[int]], dict[int, str | None]]:
    """Each chat's logged amounts in the order they were stored; each update's outcome."""
    async with db.session() as session:
        rows = await session.execute(
            select(Family.chat_id, MileEntry.hundredths)
            .join(MileLog, MileLog.family_id == Family.id)
            .join(MileEntry, MileEntry.log_id == MileLog.id).order_by(MileLog.id))
        amounts: dict[int, list[int]] = collections.defaultdict(list)
        for chat_id, hundredths in rows.all():
            amounts[int(chat_id)].append(hundredths)
        return dict(amounts), await updates.outcomes(session)


async def test_a_sigkill_during_a_burst_of_mile_logs_loses_nothing_and_logs_nothing_twice(
        database_url: str, tmp_path: Path) -> None:
    """30 families send 4 mile logs each at once; the bot is killed (SIGKILL) after about a
    third of the replies went out, and started again.

    Every message is stored exactly once, in its chat's order, and answered. A reply can
    arrive twice only if its request was on the wire at the kill: its outbox row was still
    `sending` (claimed, outcome not recorded) though the API had received it. Those rows are
    read from the database right after the kill, so the duplicates are asserted exactly, not
    as a bound. Rows still `sending` whose request had not left are sent once, after the
    lease; everything handled but unsent is `pending`, and a round killed before its commit
    is handled again, whole, with no reply having left (replies leave after the commit).
    """
    chats = await seed(database_url)
    api = SlowBotApi()
    await api.start()
    for text in BURST:  # each family sends its four messages back to back
        for chat_id in chats:
            api.user_says(chat_id, text)
    total = len(chats) * len(BURST)
    bot = start_bot(api, database_url, tmp_path)
    try:
        await api.wait_until(lambda: logged(api) >= KILL_AFTER, DEADLINE)
        bot.send_signal(signal.SIGKILL)
        bot.wait()
        await asyncio.sleep(0.3)  # requests that reached the API before the kill finish
        before = said(api)
        in_flight = {k for k in await still_sending(database_url) if before[k]}
        assert 0 < logged(api) < total, "the kill must come in the middle of the burst"

        bot = start_bot(api, database_url, tmp_path)
        await api.wait_until(lambda: logged(api) >= total + len(in_flight), DEADLINE)
        await asyncio.sleep(0.5)  # anything sent once more would arrive now
        bot.send_signal(signal.SIGTERM)
        assert bot.wait(timeout=20) == 0
    finally:
        if bot.poll() is None:
            bot.kill()
            bot.wait()
        await api.stop()
        print((tmp_path / "bot.log").read_text(errors="replace")[-3000:])

    db = Database(database_url)
    amounts, outcomes = await stored(db)
    await db.dispose()
    assert amounts == {chat_id: HUNDREDTHS for chat_id in chats}
    assert len(outcomes) == total and set(outcomes.values()) == {updates.HANDLED}
    replies = said(api)
    assert not [t for _, t in replies if SORRY in t], "nothing may be apologised for"
    assert not [t for _, t in replies if "Log them again?" in t], "no repeat prompt"
    per_chat = collections.Counter(c for c, t in replies if t.startswith("✅ Logged"))
    assert per_chat == {chat_id: len(BURST) for chat_id in chats}  # distinct replies
    twice = {k: n for k, n in replies.items() if n > 1}
    assert twice == dict.fromkeys(in_flight, 2)


async def seeded_family(app) -> None:  # type: ignore[no-untyped-def]
    """The parent's family in 'kroc' with one child, Emma."""
    db = app.bot_data["services"].db
    async with db.session() as session, session.begin():
        await repo.save_chat(session, PARENT, "private", "kroc")
        family = await families.ensure_family(session, PARENT)
        await children.add_child(session, family, "Emma", None, "2", None, "kroc")


async def family_miles(app) -> list[int]:  # type: ignore[no-untyped-def]
    amounts, _ = await stored(app.bot_data["services"].db)
    return amounts.get(PARENT, [])


async def test_a_reply_that_fails_after_the_log_was_stored_is_sent_again_not_apologised(  # type: ignore[no-untyped-def]
        fake_api: FakeBotApi, running_bot) -> None:
    await seeded_family(running_bot)
    fake_api.fail_next(PARENT, ApiError(500, "Internal Server Error"))
    [reply] = await says(fake_api, "Emma ran 2 miles")
    assert reply["text"].startswith("✅ Logged 2 miles for Emma, today.")
    assert not fake_api.failures[PARENT], "the first attempt was refused"
    await asyncio.sleep(0.5)
    assert [text_of(m) for m in fake_api.sent(PARENT)] == [reply["text"]]
    assert await family_miles(running_bot) == [200]


async def test_a_message_with_a_nul_character_gets_a_normal_reply(  # type: ignore[no-untyped-def]
        fake_api: FakeBotApi, running_bot) -> None:
    await seeded_family(running_bot)
    [reply] = await says(fake_api, "Emma ran\x00 1 mile")
    assert reply["text"].startswith("✅ Logged 1 mile for Emma, today.")
    assert await family_miles(running_bot) == [100]
    [answer] = await says(fake_api, "how far is\x00 the final mile?")
    assert SORRY not in answer["text"]
