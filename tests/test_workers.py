"""Two webhook workers on one PostgreSQL behind a round-robin load balancer behave like one bot:
real `finalmile run` processes, each on its own port, a proxy in front that sends each POST to
the next worker in turn, and the test playing Telegram (tests/webhook_workers.py)."""

from __future__ import annotations

import asyncio
import itertools
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.texts.common import something_went_wrong
from storage import children
from storage.db import Database
from tests.chat import labels
from tests.conftest import POSTGRES_URL, _postgres_reachable
from tests.fake_bot_api import FakeBotApi
from tests.test_processes import STARTUP, environment
from tests.webhook_workers import Workers, all_handled, miles_of, seed_families, started, texts

APOLOGY = something_went_wrong().text


@pytest.fixture
async def workers(tmp_path: Path, fake_api: FakeBotApi, request: pytest.FixtureRequest
                  ) -> AsyncIterator[Workers]:
    """Two workers started together on an empty database, the proxy in front of them, and
    Telegram pointed at the proxy (PostgreSQL only: skipped without one)."""
    reason = await _postgres_reachable(POSTGRES_URL)
    if reason:
        pytest.skip(reason)
    async with started(tmp_path, fake_api, POSTGRES_URL, 2, proxy=True,
                       **getattr(request, "param", {})) as running:
        yield running


async def test_every_update_is_applied_once_in_each_chats_order(workers: Workers) -> None:
    api, chats = workers.api, range(1001, 1021)
    await seed_families(workers.url, chats)
    for chat in chats:  # in quick succession: the next before the last is answered
        for said in ("ran 1 mile", "/undo", "walked 2 miles"):
            api.user_says(chat, said)
    await workers.telegram.deliver()
    assert {port for port, _ in workers.proxy.routed} == set(workers.proxy.ports)

    async def answered() -> bool:
        return all(len(api.sent(chat)) >= 3 for chat in chats)

    await workers.until(answered, "every message answered")
    await asyncio.sleep(1)  # anything answered twice would be sent by now
    for chat in chats:
        got = texts(api, chat)
        assert len(got) == 3, got
        assert got[0].startswith("✅ Logged 1 mile for Emma, today."), got
        assert got[1].startswith("↩️ Undone: 1 mile for Emma."), got
        assert got[2].startswith("✅ Logged 2 miles for Emma, today."), got
        assert APOLOGY not in got
    assert await miles_of(workers.url, chats) == {chat: (200, 2) for chat in chats}
    assert await all_handled(workers.url, 60)


async def test_addkid_started_on_one_worker_finishes_on_the_other(workers: Workers) -> None:
    api, chat = workers.api, 2001

    async def says(what: str, message: dict[str, Any] | None = None) -> dict[str, Any]:
        before = len(api.sent(chat))
        if message is None:
            api.user_says(chat, what)
        else:
            api.user_presses(chat, message, what)
        await workers.telegram.deliver()
        replies = (await api.wait_for_messages(chat, before + 1))[before:]
        assert len(replies) == 1, [texts(api, chat)]
        return replies[0]

    await says("/start kroc")
    ask_name = await says("/addkid")
    assert "first name" in ask_name["text"]
    ask_grade = await says("Emma")
    assert ask_grade["text"] == "Which grade is Emma in?"
    ask_school = await says("3", ask_grade)
    assert "Which school" in ask_school["text"] and "Skip" in labels(ask_school)
    added = await says("Lincoln Elementary")
    assert added["text"].startswith("✅ Emma (grade 3, Lincoln Elementary) is on your team!")
    ports = [port for port, _ in workers.proxy.routed]  # each step went to the other worker
    assert len(ports) == 5 and all(a != b for a, b in itertools.pairwise(ports))
    db = Database(workers.url)
    async with db.session() as session:
        kids = await children.children_of_chat(session, chat)
    await db.dispose()
    assert [(k.first_name, k.grade, k.school) for k in kids] == [
        ("Emma", "3", "Lincoln Elementary")]


RATE = 20
WINDOW = 3.0  # seconds over which the shared rate is read


@pytest.mark.parametrize("workers", [{"SEND_RATE_LIMIT": str(RATE)}], indirect=True)
async def test_an_announcement_reaches_each_family_once_within_the_shared_rate(
        workers: Workers, tmp_path: Path) -> None:
    api, families_, askers = workers.api, range(3001, 3061), range(3101, 3121)
    await seed_families(workers.url, families_)
    env = environment(tmp_path, api, DATABASE_URL=workers.url)
    announce = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "announce", "--program", "kroc", "--text",
        "Packet pickup is Friday", cwd=tmp_path, env=env, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE)
    _out, err = await asyncio.wait_for(announce.communicate(), STARTUP)
    assert announce.returncode == 0, err.decode()
    await asyncio.sleep(0.5)  # the broadcast is under way
    for chat in askers:  # meanwhile parents write, to both workers: one budget for all
        api.user_says(chat, "/start little-rockers")  # another program: not in the audience
    await workers.telegram.deliver()

    async def delivered() -> bool:
        return all(api.sent(chat) for chat in [*families_, *askers])

    await workers.until(delivered, "the announcement and the replies sent")
    await asyncio.sleep(1)
    for chat in families_:
        assert texts(api, chat) == ["Packet pickup is Friday"]
    for chat in askers:
        assert len(api.sent(chat)) == 1
    stamps = sorted(workers.sent_at)
    # The pacer keeps to RATE per second where the bot sends. The fake notes arrivals, which a
    # loaded machine bunches (a worker that waited for a core sends what was due meanwhile
    # together), so the rate is read over three seconds: two budgets, one per worker, would
    # put about twice as many there.
    busiest = max(sum(1 for t in stamps[i:] if t < start + WINDOW)
                  for i, start in enumerate(stamps))
    assert busiest <= RATE * WINDOW + 2, busiest
    assert len(stamps) == len(families_) + len(askers)


LOGS = ("ran half a mile", "ran 1 mile", "ran 1.5 miles", "ran 2 miles", "ran 2.5 miles")


async def test_killing_a_worker_mid_burst_loses_nothing(workers: Workers) -> None:
    api, chats = workers.api, range(4001, 4041)
    await seed_families(workers.url, chats)
    for chat in chats:
        for said in LOGS:
            api.user_says(chat, said)
    leader = workers.leader()
    burst = asyncio.create_task(workers.telegram.deliver())
    while len(workers.telegram.acknowledged) < 60:  # noqa: ASYNC110 (a third in: kill it)
        await asyncio.sleep(0.005)
    workers.processes[leader].send_signal(signal.SIGKILL)
    await workers.processes[leader].wait()
    await burst
    assert len(workers.telegram.acknowledged) == len(chats) * len(LOGS)
    assert workers.telegram.resent > 0  # some requests reached the dead worker

    async def handled() -> bool:
        return await all_handled(workers.url, len(chats) * len(LOGS))

    await workers.until(handled, "every acknowledged update handled")
    assert await miles_of(workers.url, chats) == {chat: (750, 5) for chat in chats}

    logged = {"✅ Logged 0.5 miles for Emma", "✅ Logged 1 mile for Emma",
              "✅ Logged 1.5 miles for Emma", "✅ Logged 2 miles for Emma",
              "✅ Logged 2.5 miles for Emma"}

    def firsts(chat: int) -> set[str]:
        return {t.split("\n")[0].split(",")[0] for t in texts(api, chat)}

    async def answered() -> bool:  # each log's reply, though some came twice
        return all(logged <= firsts(chat) for chat in chats)

    await workers.until(answered, "every log answered")
    for chat in chats:
        assert firsts(chat) == logged  # and nothing else: no apology
    # Replies are at least once: a leader killed mid-send may have had replies on the wire,
    # or sent with their outcomes waiting for one shared write, which its successor repeats:
    # never more than the sender's 32 connections.
    assert sum(len(api.sent(chat)) for chat in chats) - len(chats) * len(LOGS) <= 32
