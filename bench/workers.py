"""Benchmark: scaling out. One webhook worker against two, on one PostgreSQL.

Real `finalmile run` processes in webhook mode, a fake Bot API with no rate limit, and
SEND_RATE_LIMIT=1000 so sending is not the cap. Families (one child each) send a burst of mile
logs and questions; the driver plays Telegram and POSTs them (each chat's in order, up to
`--connections` requests at once, alternating between the workers). Capacity is updates/s from
the first POST to the moment the updates table has all of them handled.

All of it shares this machine's cores: the driver (with the fake Bot API in the same process),
PostgreSQL and the workers. The CPU seconds each used during the burst are printed (from
/proc), so the ratio can be read against where the time went.

    python bench/workers.py [--updates 2000] [--chats 500] [--postgres URL]

Target: two workers >= 1.6x one worker.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from storage.db import Database  # noqa: E402
from storage.models import ReceivedUpdate  # noqa: E402
from tests.fake_bot_api import FakeBotApi  # noqa: E402
from tests.webhook_workers import Workers, seed_families, started  # noqa: E402

MESSAGES = ("ran 1 mile", "what time should we arrive", "walked 2 miles",
            "can grandma come watch the race")
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def postgres_pids() -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def cpu_snapshot(workers: Workers) -> dict[str, float]:
    """CPU seconds by process: each worker, PostgreSQL's (one per connection), this driver."""
    times = os.times()
    snapshot = {f"worker {i + 1}": cpu_seconds(p.pid) for i, p in enumerate(workers.processes)}
    snapshot.update({f"postgres {pid}": cpu_seconds(pid) for pid in postgres_pids()})
    snapshot["driver + fake Bot API"] = times.user + times.system
    return snapshot


def cpu_used(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    """CPU seconds each part used between the snapshots (PostgreSQL's processes summed; one
    that ended meanwhile is left out, one that started counts from 0)."""
    used: dict[str, float] = {"PostgreSQL": 0.0}
    for name, seconds in after.items():
        spent = seconds - before.get(name, 0.0)
        if name.startswith("postgres "):
            used["PostgreSQL"] += spent
        else:
            used[name] = spent
    return used


async def handled_count(db: Database) -> int:
    async with db.session() as session:
        return int(await session.scalar(
            select(func.count()).select_from(ReceivedUpdate)
            .where(ReceivedUpdate.handled_at.is_not(None))) or 0)


async def burst(workers: Workers, chats: range, per_chat: int) -> tuple[float, dict[str, float]]:
    """POST the burst; the seconds until all of it was handled, and the CPU each part used."""
    api = workers.api
    for chat in chats:
        for i in range(per_chat):
            api.user_says(chat, MESSAGES[i % len(MESSAGES)])
    total = len(chats) * per_chat
    db = Database(workers.url)
    before = await handled_count(db)
    cpu_before = cpu_snapshot(workers)
    start = time.perf_counter()
    posting = asyncio.create_task(workers.telegram.deliver())
    while await handled_count(db) < before + total:  # noqa: ASYNC110 (polls the database)
        await asyncio.sleep(0.05)
    seconds = time.perf_counter() - start
    await posting
    cpu_after = cpu_snapshot(workers)
    await db.dispose()
    return seconds, cpu_used(cpu_before, cpu_after)


async def run(url: str, count: int, updates: int, chats: int, connections: int
              ) -> tuple[float, float, dict[str, float]]:
    with tempfile.TemporaryDirectory() as folder:
        api = FakeBotApi()
        await api.start()
        try:
            async with started(Path(folder), api, url, count, proxy=False,
                               SEND_RATE_LIMIT="1000", LOG_LEVEL="WARNING") as workers:
                workers.telegram.connections = asyncio.Semaphore(connections)
                await seed_families(url, range(1, chats + 101))
                await burst(workers, range(chats + 1, chats + 101), 1)  # warm up: connections
                seconds, cpu = await burst(workers, range(1, chats + 1), updates // chats)
        finally:
            await api.stop()
    return updates / seconds, seconds, cpu


def report(label: str, rate: float, seconds: float, cpu: dict[str, float]) -> None:
    used = sum(cpu.values())
    print(f"{label}: {rate:,.0f} updates/s ({seconds:.2f} s)")
    parts = ", ".join(f"{part} {value:.2f} s ({value / seconds:.0%})"
                      for part, value in cpu.items())
    cores = os.cpu_count() or 1
    print(f"  CPU during the burst: {parts}; in all {used:.2f} s of the "
          f"{seconds * cores:.2f} s {cores} cores had ({used / seconds:.2f} cores busy)")


async def main() -> None:
    logging.getLogger("tornado.access").setLevel(logging.ERROR)
    parser = argparse.ArgumentParser()
    parser.add_argument("--updates", type=int, default=2000)
    parser.add_argument("--chats", type=int, default=500)
    parser.add_argument("--connections", type=int, default=80,
                        help="requests in flight at once (Telegram's default is 40 a bot)")
    parser.add_argument("--postgres", default=os.environ.get(
        "TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"))
    args = parser.parse_args()
    print(f"{args.updates:,} updates from {args.chats} chats (mile logs and questions), "
          f"{os.cpu_count()} cores, PostgreSQL at {args.postgres.rsplit('@', 1)[-1]}")
    rates = []
    for count in (1, 2):
        rate, seconds, cpu = await run(args.postgres, count, args.updates, args.chats,
                                       args.connections)
        report(f"{count} worker{'s' if count > 1 else ''}", rate, seconds, cpu)
        rates.append(rate)
    print(f"two workers / one worker: {rates[1] / rates[0]:.2f}x (target >= 1.6x)")


if __name__ == "__main__":
    asyncio.run(main())
