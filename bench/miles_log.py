"""Benchmark: mile messages parsed per second, and logs persisted per second end to end.

Three figures, each next to a baseline measured in the same run:

1. Parsing: `parse_miles` over a corpus of family messages, against a bare regex that only
   finds a number (what the parser costs beyond the cheapest possible look).
2. Logging through the real handler path: each message is a Telegram update handed to the real
   Application (`process_update`), which parses it, checks the family, the cap and repeats,
   writes the log and sends the reply (to a request object that records it instead of calling
   Telegram): one at a time, and chats concurrently (up to 256 at once, their logs written
   together), as the bot ran before updates were stored first. Baseline: the same rows written
   with one bare INSERT transaction per log, the least a durable log can cost on that database.
3. The durable path (`bench_durable`): the same burst stored by the intake, handled by the
   handling loop, replies sent from the outbox; baseline: the concurrent direct path just
   measured (the path the durable one replaced).
4. The same on PostgreSQL when one is reachable (TEST_POSTGRES_URL or 127.0.0.1:5432/test).

    python bench/miles_log.py [--logs 2000] [--postgres URL]

Targets: >= 1,000 logs/s persisted on SQLite through the handler path; the durable path
>= 0.8 of the concurrent direct one.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import itertools
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select, text
from telegram.ext import SimpleUpdateProcessor

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.app import build_application
from bot.config import load_settings
from bot.console import ConsoleRequest
from bot.domain.miles import parse_miles
from bot.pacing import Pacer
from bot.runtime import running
from storage import children, families, mile_logs, outbox, repo, updates
from storage.db import Database
from storage.models import MileEntry, MileLog, Outbox

MESSAGES = [
    "ran 4 laps", "Emma 1 mile", "half a mile yesterday", "Emma ran 1.5 miles 🏃", "2 miles",
    "walked a mile and a quarter on monday", "did 3 laps at the track", "1/2 mile", "5k!!",
    "can we run 2 miles a day?", "how many miles left?", "my kid is 7", "thanks!",
    "Emma walked 2 blocks after school", "soccer practice, about 2 miles",
]
TODAY = dt.date(2026, 11, 23)
POLL_BATCH = 100  # updates one getUpdates brings at most
BEFORE_DURABLE_CONCURRENCY = 256  # chats the bot handled at once before the durable path


def bench_parsing(rounds: int) -> None:
    number = re.compile(r"\d+(?:\.\d+)?")
    for name, fn in (("parse_miles", lambda m: parse_miles(m, today=TODAY, children=["Emma"])),
                     ("baseline: bare number regex", number.findall)):
        start = time.perf_counter()
        for _ in range(rounds):
            for message in MESSAGES:
                fn(message)
        seconds = time.perf_counter() - start
        print(f"  {name:<34} {rounds * len(MESSAGES) / seconds:12,.0f} messages/s")


def _payload(chat_id: int, update_id: int, message: str) -> dict[str, Any]:
    """A text message as Telegram sends it, or a sticker when `message` is empty."""
    content = {"text": message} if message else {"sticker": {
        "file_id": "s", "file_unique_id": "s", "width": 1, "height": 1, "is_animated": False,
        "is_video": False, "type": "regular"}}
    return {"update_id": update_id, "message": {
        "message_id": update_id, "date": int(time.time()), **content,
        "chat": {"id": chat_id, "type": "private", "first_name": "P"},
        "from": {"id": chat_id, "is_bot": False, "first_name": "P"}}}


def _update(app, payload: dict[str, Any]):  # type: ignore[no-untyped-def]
    from telegram import Update

    return Update.de_json(payload, app.bot)


async def _seed(db: Database, n: int) -> list[int]:
    """n families (chats 1..n in 'kroc') with one child each; returns the child ids. As one
    of the bot's own writers (`writing`), so the running handling loop waits its turn."""
    ids = []
    async with db.writing() as session:
        for chat_id in range(1, n + 1):
            await repo.save_chat(session, chat_id, "private", "kroc")
            family = await families.ensure_family(session, chat_id)
            ids.append((await children.add_child(session, family, "Emma", None, "2", None)).id)
    return ids


async def bench_logging(url: str, logs: int, label: str, rounds: int = 3) -> float:
    """Log through the real Application: `logs` families, one message each per round."""
    settings = load_settings({"DATABASE_URL": url, "TELEGRAM_BOT_TOKEN": "1:bench"})
    request = ConsoleRequest(out=lambda _line: None)
    # Without Telegram's 30 messages/s limiter: this measures the bot's own cost per log.
    app = build_application(settings, request=request,
                            rate_limit=False)
    services = app.bot_data["services"]
    update_ids = itertools.count(1)

    def messages(text: str, chats: range) -> list:  # type: ignore[type-arg]
        return [_update(app, _payload(chat_id, next(update_ids), text)) for chat_id in chats]

    async with app:
        await services.db.upgrade()
        child_ids = await _seed(services.db, logs)
        quarter = range(1, logs // 4 + 1)
        start = time.perf_counter()
        for update in messages("ran half a mile", quarter):
            await app.process_update(update)
        sequential = len(quarter) / (time.perf_counter() - start)
        # As the bot ran before updates were stored first (what the durable path replaced):
        # every update a task, up to 256 chats at once, their logs written together.
        processor = SimpleUpdateProcessor(BEFORE_DURABLE_CONCURRENCY)
        concurrent = []
        for r in range(1, rounds + 1):  # a new amount each round: not a repeat, under the cap
            payloads = [_payload(c, next(update_ids), f"ran {r} miles") for c in range(1, logs + 1)]
            start = time.perf_counter()
            # Decoded from Telegram's JSON inside the timing, as the running bot must (the
            # durable path below decodes what it stored).
            updates = [_update(app, p) for p in payloads]
            await asyncio.gather(*(processor.process_update(u, app.process_update(u))
                                   for u in updates))
            concurrent.append(logs / (time.perf_counter() - start))
        async with services.db.session() as session:
            logged = [sum((await mile_logs.totals(session, f)).values())
                      for f in range(1, logs + 1)]
        start = time.perf_counter()
        for child_id in child_ids:
            async with services.db.session() as session, session.begin():
                log_id = (await session.execute(insert(MileLog).values(
                    family_id=1, text="ran 1 mile", fingerprint="x", logged_by=None,
                    logged_at=repo.utcnow()).returning(MileLog.id))).scalar_one()
                await session.execute(insert(MileEntry).values(
                    log_id=log_id, child_id=child_id, hundredths=100, day=TODAY))
        baseline = logs / (time.perf_counter() - start)
        # The framework's own floor: a sticker, answered without touching the database.
        start = time.perf_counter()
        for update in messages("", range(1, logs + 1)):
            await app.process_update(update)
        floor = logs / (time.perf_counter() - start)
        await services.db.dispose()
    per_round = sum(range(1, rounds + 1)) * 100
    expected = [per_round + (50 if f in quarter else 0) for f in range(1, logs + 1)]
    assert logged == expected, "every benchmarked message must be logged, once"
    print(f"  {label}: handler path, one at a time        {sequential:8,.0f} logs/s "
          f"({1000 / sequential:.2f} ms each, reply included)")
    print(f"  {label}: handler path, chats concurrently {statistics.median(concurrent):8,.0f}"
          f" logs/s median of {rounds} rounds (range {min(concurrent):,.0f}-"
          f"{max(concurrent):,.0f}; up to {processor.max_concurrent_updates} updates at once)")
    print(f"  {label}: baseline, bare INSERT transactions {baseline:8,.0f} logs/s "
          f"({1000 / baseline:.2f} ms each)")
    print(f"  {label}: floor, a sticker answered without the database {floor:8,.0f} updates/s")
    return statistics.median(concurrent)


async def bench_durable(url: str, logs: int, label: str, direct: float, rounds: int = 3
                        ) -> None:
    """The same burst through the durable path, as `finalmile run` handles it: stored by the
    intake in batches of POLL_BATCH (one getUpdates each), handled by the handling loop, each
    reply queued in the outbox and sent by `send_now` after the commit (to the recording
    request, through the outbox's own Bot). The pacer's 30/s is lifted, as `rate_limit=False`
    lifts PTB's limiter for the direct path: this measures the bot's own cost per log."""
    settings = load_settings({"DATABASE_URL": url, "TELEGRAM_BOT_TOKEN": "1:bench"})
    request = ConsoleRequest(out=lambda _line: None)
    app = build_application(settings, request=request, rate_limit=False)
    services = app.bot_data["services"]
    services.delivery.pacer = Pacer(1e9)
    update_ids = itertools.count(1)
    async with running(app) as runtime:
        await _seed(services.db, logs)
        figures = []
        for r in range(1, rounds + 1):
            burst = [_payload(c, next(update_ids), f"walked {r} miles") for c in range(1, logs + 1)]
            start = time.perf_counter()
            for i in range(0, len(burst), POLL_BATCH):
                await runtime.intake.receive(burst[i:i + POLL_BATCH])
            await runtime.loop.until_idle(0.001)
            await services.delivery.settle()  # replies a tick took up (it may, meanwhile)
            figures.append(logs / (time.perf_counter() - start))
        async with services.db.session() as session:
            logged = [sum((await mile_logs.totals(session, f)).values())
                      for f in range(1, logs + 1)]
            left = await updates.unhandled(session)
            unsent = await session.scalar(select(func.count()).select_from(Outbox)
                                          .where(Outbox.kind == outbox.REPLY,
                                                 Outbox.state != outbox.SENT))
    per_round = sum(range(1, rounds + 1)) * 100
    assert logged == [per_round] * logs, "every benchmarked message must be logged, once"
    assert not left and not unsent, f"{left} updates unhandled, {unsent} replies not sent"
    median = statistics.median(figures)
    print(f"  {label}: durable path (intake, handling loop, outbox) {median:8,.0f} logs/s "
          f"median of {rounds} rounds (range {min(figures):,.0f}-{max(figures):,.0f}); "
          f"{median / direct:.2f} of the concurrent direct path above (target >= 0.8)")


async def _postgres(url: str) -> str | None:
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
        return url
    except Exception as exc:  # no server: say so and skip
        print(f"  PostgreSQL skipped: {url} not reachable ({exc.__class__.__name__})")
        return None
    finally:
        await engine.dispose()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--logs", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=500)
    parser.add_argument("--postgres", default=os.environ.get(
        "TEST_POSTGRES_URL", "postgresql+asyncpg://root@127.0.0.1:5432/test"))
    args = parser.parse_args()
    print(f"parsing ({len(MESSAGES)} messages x {args.rounds}):")
    bench_parsing(args.rounds)
    print(f"logging ({args.logs} families, each sending its own messages):")
    with tempfile.TemporaryDirectory() as folder:
        direct = await bench_logging(f"sqlite+aiosqlite:///{folder}/bench.db", args.logs,
                                     "SQLite")
        await bench_durable(f"sqlite+aiosqlite:///{folder}/durable.db", args.logs, "SQLite",
                            direct)
    url = await _postgres(args.postgres)
    if url:
        direct = await bench_logging(url, args.logs, "PostgreSQL")
        if await _postgres(args.postgres):
            await bench_durable(url, args.logs, "PostgreSQL", direct)


if __name__ == "__main__":
    asyncio.run(main())
