"""`finalmile run` and `finalmile console` as an operator meets them: real processes against
the fake Bot API. A bad token stops the process loudly, SIGTERM stops it cleanly after the
work in flight, and a second bot on the same SQLite file refuses to start."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest

from bot.webhook import SECRET_HEADER
from storage import updates
from storage.db import Database
from tests.fake_bot_api import FakeBotApi

ROOT = Path(__file__).resolve().parents[1]
SECRET = "process-test-secret"
STARTUP = 60.0  # seconds a process may take to start (imports, migrations) on a slow machine


def environment(tmp_path: Path, api: FakeBotApi, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TELEGRAM_", "DATABASE_", "WEBHOOK_", "ORGANIZER"))}
    env.update({"PYTHONPATH": str(ROOT), "LOG_LEVEL": "INFO", "TELEGRAM_BOT_TOKEN": api.token,
                "TELEGRAM_API_BASE_URL": api.base_url,
                "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}", **extra})
    return env


async def finalmile(tmp_path: Path, env: dict[str, str], *args: str
                    ) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", *args, cwd=tmp_path, env=env,
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE)


async def finished(process: asyncio.subprocess.Process, stdin: bytes = b""
                   ) -> tuple[int, str, str]:
    out, err = await asyncio.wait_for(process.communicate(stdin), STARTUP)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def until(done: Callable[[], bool], process: asyncio.subprocess.Process) -> None:
    """Wait until `done()` (failing if the process ends first)."""
    async def check() -> None:
        while not done():
            if process.returncode is not None:
                _, err = await process.communicate()
                pytest.fail(f"the bot stopped early: {err.decode()}")
            await asyncio.sleep(0.05)

    await asyncio.wait_for(check(), STARTUP)


def started(api: FakeBotApi) -> Callable[[], bool]:
    return lambda: any(c.method == "setMyCommands" for c in api.calls)


@pytest.fixture
async def bot_process(tmp_path: Path, fake_api: FakeBotApi
                      ) -> AsyncIterator[asyncio.subprocess.Process]:
    """`finalmile run` polling the fake Bot API on a SQLite file, started (commands out)."""
    process = await finalmile(tmp_path, environment(tmp_path, fake_api), "run")
    try:
        await until(started(fake_api), process)
        yield process
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


@pytest.mark.parametrize("method", ["getMe", "getUpdates"])
async def test_a_refused_token_stops_the_bot_with_one_clear_line(
        tmp_path: Path, fake_api: FakeBotApi, method: str) -> None:
    fake_api.refused.add(method)
    process = await finalmile(tmp_path, environment(tmp_path, fake_api), "run")
    code, _out, err = await finished(process)
    assert code != 0
    assert [line for line in err.splitlines() if "401" in line] == [
        "ERROR bot.runner: Stopping: Telegram refused the bot token (401): check "
        "TELEGRAM_BOT_TOKEN"]
    assert "Traceback" not in err


async def test_sigterm_finishes_the_updates_in_flight_and_exits_0(
        tmp_path: Path, fake_api: FakeBotApi, bot_process: asyncio.subprocess.Process
        ) -> None:
    chats = range(301, 311)
    for chat in chats:
        fake_api.user_says(chat, "/start kroc")
    await until(lambda: bool(fake_api.sent()), bot_process)
    bot_process.send_signal(signal.SIGTERM)
    code, _out, err = await finished(bot_process)
    assert code == 0, err
    assert "Stopped" in err
    db = Database(environment(tmp_path, fake_api)["DATABASE_URL"])
    try:
        async with db.session() as session:
            outcomes = await updates.outcomes(session)
    finally:
        await db.dispose()
    assert outcomes and set(outcomes.values()) == {updates.HANDLED}  # none left half done
    answered = {m["chat"]["id"] for m in fake_api.sent()}
    assert len(answered) == len(outcomes)  # each stored update's reply went out


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def test_webhook_mode_answers_after_storing_and_sigterm_exits_0(
        tmp_path: Path, fake_api: FakeBotApi) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram"
    env = environment(tmp_path, fake_api, WEBHOOK_URL=url, WEBHOOK_SECRET=SECRET,
                      WEBHOOK_LISTEN=f"127.0.0.1:{port}")
    process = await finalmile(tmp_path, env, "run")
    try:
        await until(lambda: fake_api.webhook.get("url") == url, process)
        assert fake_api.webhook["secret_token"] == SECRET
        fake_api.user_says(401, "/start kroc")  # taken from the queue, posted as Telegram does
        [payload] = fake_api._updates
        async with httpx.AsyncClient() as client:
            refused = await client.post(url, json=payload)
            answer = await client.post(url, json=payload, headers={SECRET_HEADER: SECRET})
            health = await client.get(f"http://127.0.0.1:{port}/healthz")
        assert (refused.status_code, answer.status_code, health.status_code) == (403, 200, 200)
        process.send_signal(signal.SIGTERM)  # at once: the update is in flight
        code, _out, err = await finished(process)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert code == 0, err
    [welcome] = fake_api.sent(401)
    assert "Welcome to Kids Run the OC" in welcome["text"]
    assert not [c for c in fake_api.calls if c.method == "deleteWebhook"]  # others go on


async def test_a_second_bot_on_the_same_sqlite_file_refuses_to_start(
        tmp_path: Path, fake_api: FakeBotApi, bot_process: asyncio.subprocess.Process
        ) -> None:
    env = environment(tmp_path, fake_api)
    for command in ("run", "console"):
        code, out, err = await finished(await finalmile(tmp_path, env, command))
        assert code != 0
        assert "already running on this SQLite database" in out + err
        assert f"(pid {bot_process.pid})" in out + err
    # The organizers' tools only queue work: they run beside the bot.
    code, out, err = await finished(await finalmile(
        tmp_path, env, "announce", "--program", "kroc", "--text", "Packet pickup is Friday"))
    assert code == 0, err
    assert bot_process.returncode is None


async def test_the_console_chat_shows_no_log_lines(tmp_path: Path, fake_api: FakeBotApi
                                                   ) -> None:
    env = environment(tmp_path, fake_api, TELEGRAM_BOT_TOKEN="", LOG_LEVEL="DEBUG")
    code, out, err = await finished(await finalmile(tmp_path, env, "console"),
                                    b"2\nwat shoes shud my son wear\n/quit\n")
    assert code == 0, err
    assert "Wear running shoes or sneakers and socks." in out
    assert err == ""
    for level in ("DEBUG", "INFO", "WARNING", "ERROR"):
        assert f"{level} " not in out
    assert "DEBUG" in (tmp_path / "finalmile.log").read_text()  # they went here


async def test_a_new_secret_alone_is_applied_with_webhook_set(tmp_path: Path,
                                                              fake_api: FakeBotApi) -> None:
    url = "https://bot.example.org/telegram"
    fake_api.webhook = {"url": url, "secret_token": "old-secret"}
    env = environment(tmp_path, fake_api, WEBHOOK_URL=url, WEBHOOK_SECRET="new-secret")
    code, out, err = await finished(await finalmile(tmp_path, env, "webhook", "set"))
    assert code == 0, err
    assert out.strip() == f"Webhook set to {url}."
    assert fake_api.webhook["secret_token"] == "new-secret"
    code, _out, err = await finished(await finalmile(
        tmp_path, environment(tmp_path, fake_api), "webhook", "set"))  # no WEBHOOK_URL
    assert code != 0
    assert "WEBHOOK_URL" in err
