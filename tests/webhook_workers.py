"""Webhook workers on PostgreSQL as a load balancer and Telegram meet them, for
tests/test_workers.py and bench/workers.py: real `finalmile run` processes, each on its own
port; a round-robin proxy in front (or none: Telegram then alternates between the workers
itself); and Telegram, which POSTs what users said to the fake Bot API, a chat's updates one
after another, and sends again whatever got no 200."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import signal
import socket
import sys
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.intake import chat_key
from bot.webhook import SECRET_HEADER
from storage import children, families, mile_logs, repo, updates
from storage.db import Database
from storage.models import Child, MileEntry
from tests.fake_bot_api import FakeBotApi
from tests.test_processes import STARTUP, environment, free_port

SECRET = "workers-test-secret"
PATH = "/telegram"
WAIT = 30.0  # seconds for everything sent to be handled and answered (a takeover takes ~5)


class RoundRobin:
    """The load balancer: each POST goes to the next worker in turn. A worker that does not
    answer (it died) gets its request a 502, which Telegram sends again later."""

    def __init__(self, ports: list[int]) -> None:
        self.ports = ports
        self.turn = itertools.count()
        self.client = httpx.AsyncClient(timeout=10)
        self.routed: list[tuple[int, int]] = []  # (port, status) per request

    async def forward(self, request: Request) -> Response:
        port = self.ports[next(self.turn) % len(self.ports)]
        try:
            answer = await self.client.post(
                f"http://127.0.0.1:{port}{request.url.path}", content=await request.body(),
                headers={SECRET_HEADER: request.headers.get(SECRET_HEADER, ""),
                         "Content-Type": "application/json"})
        except httpx.TransportError:
            self.routed.append((port, 502))
            return Response(status_code=502)
        self.routed.append((port, answer.status_code))
        return Response(answer.content, status_code=answer.status_code)


class _Server(uvicorn.Server):
    """uvicorn without its signal handlers (pytest keeps SIGINT)."""

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield


class Telegram:
    """What Telegram does with a webhook: POST each update, one chat's updates in order (the
    next after the last was acknowledged), different chats at once; without a 200, again."""

    def __init__(self, api: FakeBotApi, urls: list[str]) -> None:
        """`urls`: the load balancer's, or the workers' (then each POST goes to the next)."""
        self.api = api
        self.urls = itertools.cycle(urls)
        self.connections: asyncio.Semaphore | None = None  # at most this many at once
        self.client = httpx.AsyncClient(timeout=10)
        self.acknowledged: list[int] = []
        self.resent = 0

    async def deliver(self) -> None:
        """POST everything users said since the last call."""
        queued, self.api._updates = self.api._updates, []
        by_chat: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for update in queued:
            by_chat[chat_key(update)].append(update)
        await asyncio.gather(*(self._in_order(chat) for chat in by_chat.values()))

    async def _in_order(self, queued: list[dict[str, Any]]) -> None:
        for update in queued:
            while not await self._post(update):
                self.resent += 1
                await asyncio.sleep(0.05)
            self.acknowledged.append(update["update_id"])

    async def _post(self, update: dict[str, Any]) -> bool:
        async with self.connections or contextlib.nullcontext():
            try:
                answer = await self.client.post(next(self.urls), json=update,
                                                headers={SECRET_HEADER: SECRET})
            except httpx.TransportError:
                return False
        return answer.status_code == 200


@dataclass
class Workers:
    api: FakeBotApi
    url: str  # the database
    processes: list[asyncio.subprocess.Process]
    logs: list[Path]
    proxy: RoundRobin
    telegram: Telegram
    sent_at: list[float]  # when each message reached the fake Bot API

    def leader(self) -> int:
        """Which worker leads (the one whose log says so last)."""
        return next(i for i, log in enumerate(self.logs) if "Leading:" in log.read_text())

    async def until(self, done: Callable[[], Awaitable[bool]], what: str) -> None:
        """Poll `done()` (the database, the fake API) until it holds."""
        deadline = time.monotonic() + WAIT
        while not await done():
            if time.monotonic() > deadline:
                raise AssertionError(f"not within {WAIT:.0f} s: {what}")
            await asyncio.sleep(0.1)


async def reset(url: str) -> None:
    engine = create_async_engine(url)
    async with engine.begin() as connection:
        await connection.execute(text("DROP SCHEMA public CASCADE"))
        await connection.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


async def healthy(port: int, process: asyncio.subprocess.Process) -> bool:
    """Wait until the worker's health route answers 200; False if it stopped or never did."""
    async with httpx.AsyncClient() as client:
        deadline = time.monotonic() + STARTUP
        while time.monotonic() < deadline and process.returncode is None:
            with contextlib.suppress(httpx.TransportError):
                if (await client.get(f"http://127.0.0.1:{port}/healthz")).status_code == 200:
                    return True
            await asyncio.sleep(0.1)
    return False


def timed(api: FakeBotApi) -> list[float]:
    """Note when each message reaches the fake Bot API (monotonic seconds)."""
    sent_at: list[float] = []
    handle = api.handle

    async def noting(method: str, params: dict[str, Any]) -> Any:
        result = await handle(method, params)
        if method in ("sendMessage", "sendPhoto"):
            sent_at.append(time.monotonic())
        return result

    api.handle = noting  # type: ignore[method-assign]
    return sent_at


@contextlib.asynccontextmanager
async def started(folder: Path, api: FakeBotApi, url: str, count: int, *, proxy: bool,
                  **settings: str) -> AsyncIterator[Workers]:
    """`count` `finalmile run` workers, started together on the emptied database `url`, with
    `proxy`: a round-robin proxy in front; without: Telegram alternates between them."""
    await reset(url)
    sent_at = timed(api)
    proxy_socket = socket.socket()
    proxy_socket.bind(("127.0.0.1", 0))
    webhook_url = f"http://127.0.0.1:{proxy_socket.getsockname()[1]}{PATH}"
    ports = [free_port() for _ in range(count)]
    processes, logs = [], []
    for i, port in enumerate(ports):
        env = environment(folder, api, DATABASE_URL=url, WEBHOOK_URL=webhook_url,
                          WEBHOOK_SECRET=SECRET, WEBHOOK_LISTEN=f"127.0.0.1:{port}",
                          ORGANIZER_IDS="777", **settings)
        logs.append(folder / f"worker{i}.log")
        with logs[-1].open("w") as log:
            processes.append(await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot.cli", "run", cwd=folder, env=env,
                stdin=asyncio.subprocess.DEVNULL, stdout=log, stderr=log))
    balancer = RoundRobin(ports)
    server = _Server(uvicorn.Config(
        Starlette(routes=[Route(PATH, balancer.forward, methods=["POST"])]), log_config=None,
        access_log=False, lifespan="off"))
    serving = asyncio.create_task(server.serve([proxy_socket])) if proxy else None
    telegram = Telegram(api, [webhook_url] if proxy else
                        [f"http://127.0.0.1:{port}{PATH}" for port in ports])
    try:
        for process, port, path in zip(processes, ports, logs, strict=True):
            if not await healthy(port, process):
                raise AssertionError(f"a worker did not start: {path.read_text()}")
        yield Workers(api, url, processes, logs, balancer, telegram, sent_at)
    finally:
        for process in processes:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                await asyncio.wait_for(process.wait(), 30)
            except TimeoutError:
                process.kill()
                await process.wait()
        server.should_exit = True
        if serving is not None:
            await serving
        proxy_socket.close()
        await balancer.client.aclose()
        await telegram.client.aclose()


async def add_families(session: AsyncSession, chats: Iterable[int]) -> None:
    """Families in kroc with one child each (Emma, grade 2)."""
    for chat in chats:
        await repo.save_chat(session, chat, "private", "kroc")
        family = await families.ensure_family(session, chat)
        await children.add_child(session, family, "Emma", None, "2", None, "kroc")


async def seed_families(url: str, chats: Iterable[int]) -> None:
    """`add_families` on the database at `url`."""
    db = Database(url)
    async with db.session() as session, session.begin():
        await add_families(session, chats)
    await db.dispose()


async def miles_of(url: str, chats: range) -> dict[int, tuple[int, int]]:
    """chat -> (hundredths counted, entries ever written, undone ones included)."""
    db = Database(url)
    found = {}
    async with db.session() as session:
        for chat in chats:
            family = await families.family_id(session, chat)
            assert family is not None
            total = sum((await mile_logs.totals(session, family)).values())
            written = await session.scalar(
                select(func.count()).select_from(MileEntry).join(Child)
                .where(Child.family_id == family))
            found[chat] = (total, int(written or 0))
    await db.dispose()
    return found


async def all_handled(url: str, expected: int) -> bool:
    db = Database(url)
    try:
        async with db.session() as session:
            outcomes = await updates.outcomes(session)
    finally:
        await db.dispose()
    return len(outcomes) == expected and all(o is not None for o in outcomes.values())


def texts(api: FakeBotApi, chat: int) -> list[str]:
    return [m.get("text") or m.get("caption") or "" for m in api.sent(chat)]


