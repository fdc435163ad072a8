"""Benchmark: an announcement to 10,000 chats through the real bot process, against a fake Bot
API that allows 30 messages per second and answers 429 (retry_after 1) beyond it.

The bot runs as its own process (`python -m bot.cli run`, polling the fake server, delivering
the outbox on its job queue), exactly as in production. The fake server counts what it
accepted per chat. Printed: the achieved rate as a fraction of the limit, messages lost,
duplicates, 429s; then the same with the bot killed (SIGKILL) halfway and started again.

    python bench/broadcast.py [--chats 10000] [--rate 30] [--only normal|kill]

Targets: rate >= 0.95 of the limit, 0 lost, 0 duplicates.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import logging
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from bot.domain.announcing import Announcing  # noqa: E402
from bot.texts.announce import report  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.models import Chat, utcnow  # noqa: E402
from tests.fake_bot_api import ApiError, FakeBotApi  # noqa: E402

ORGANIZER = 1


class LimitedBotApi(FakeBotApi):
    """The fake Bot API, enforcing an overall limit of `rate` messages per second."""

    def __init__(self, rate: float) -> None:
        super().__init__()
        self.rate = rate
        self.window: collections.deque[float] = collections.deque()
        self.accepted: collections.Counter[int] = collections.Counter()
        self.first = self.last = 0.0
        self.too_many = 0  # 429s answered

    async def handle(self, method: str, params: dict[str, Any]) -> Any:
        if method == "sendMessage":
            now = time.monotonic()
            while self.window and self.window[0] <= now - 1.0:
                self.window.popleft()
            if len(self.window) >= self.rate:
                self.too_many += 1
                raise ApiError(429, "Too Many Requests: retry after 1", retry_after=1)
            self.window.append(now)
            chat = int(params["chat_id"])
            if chat != ORGANIZER:
                self.accepted[chat] += 1
                self.first = self.first or now
                self.last = now
            return self._result(method, params)  # not kept in `calls`: 10,000s of them
        return await super().handle(method, params)


async def seed(url: str, chats: int) -> None:
    db = Database(url)
    await db.upgrade()
    now = utcnow()
    async with db.session() as session, session.begin():
        await session.execute(insert(Chat), [
            {"id": chat_id, "kind": "private", "program": "kroc", "active": True,
             "created_at": now, "updated_at": now} for chat_id in range(1, chats + 2)])
    await Announcing(db, render_report=report).schedule("kroc", "Race day is Saturday! 🏃",
                                                        created_by=ORGANIZER)
    await db.dispose()


def start_bot(api: FakeBotApi, url: str, folder: str, rate: float) -> subprocess.Popen[bytes]:
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": api.token, "TELEGRAM_API_BASE_URL": api.base_url,
           "DATABASE_URL": url, "LOG_LEVEL": "WARNING", "SEND_RATE_LIMIT": str(rate),
           "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "bot.cli", "run"], cwd=folder, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


async def run(chats: int, rate: float, kill: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{folder}/broadcast.db"
        await seed(url, chats)
        api = LimitedBotApi(rate)
        await api.start()
        bot = start_bot(api, url, folder, rate)
        deadline = time.monotonic() + chats / rate * 2 + 180
        killed = False
        try:
            while len(api.accepted) < chats and time.monotonic() < deadline:
                await asyncio.sleep(0.2)
                if kill and not killed and len(api.accepted) >= chats // 2:
                    bot.send_signal(signal.SIGKILL)
                    bot.wait()
                    killed = True
                    bot = start_bot(api, url, folder, rate)
            await asyncio.sleep(3)  # anything sent twice would arrive now
        finally:
            bot.terminate()
            try:
                bot.wait(timeout=20)
            except subprocess.TimeoutExpired:
                bot.kill()
            await api.stop()
    delivered = len(api.accepted)
    sent = sum(api.accepted.values())
    achieved = (sent - 1) / (api.last - api.first) if sent > 1 else 0.0
    label = "killed halfway and restarted" if kill else "uninterrupted"
    print(f"{label}: {chats:,} chats, limit {rate:g}/s")
    print(f"  achieved {achieved:.2f} messages/s = {achieved / rate:.3f} of the limit "
          f"(first to last accepted message, {api.last - api.first:.0f} s)")
    print(f"  lost {chats - delivered}, duplicates {sent - delivered}, "
          f"429s answered {api.too_many}")


async def main() -> None:
    logging.getLogger("tornado.access").setLevel(logging.ERROR)  # 429s are expected here
    parser = argparse.ArgumentParser()
    parser.add_argument("--chats", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=30.0)
    parser.add_argument("--only", choices=["normal", "kill"])
    args = parser.parse_args()
    for kill in (False, True):
        if args.only in (None, "kill" if kill else "normal"):
            await run(args.chats, args.rate, kill)


if __name__ == "__main__":
    asyncio.run(main())
