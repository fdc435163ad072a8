"""Delivering the outbox against the fake Bot API: once, within limits, through 429/403/500.

Time is injected: a tick is called with the clock where the test puts it, never by sleeping.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from telegram import Bot
from telegram.error import TimedOut

from bot.delivery import INTERVAL, LEASE, Delivery
from bot.delivery_outcomes import maybe_delivered
from storage import outbox, repo
from storage.db import Database
from storage.models import Outbox
from tests.clock import T0, Clock
from tests.fake_bot_api import ApiError, FakeBotApi


class SlowBotApi(FakeBotApi):
    """A Bot API that takes `latency` seconds to answer a message (to the chats in `slow`, or
    all). A message counts as arrived when the request comes in, as on Telegram."""

    def __init__(self, latency: float, slow: set[int] | None = None) -> None:
        super().__init__()
        self.latency, self.slow = latency, slow
        self.arrived: Counter[int] = Counter()

    async def handle(self, method: str, params: dict[str, Any]) -> Any:
        if method in ("sendMessage", "sendPhoto"):
            chat = int(params["chat_id"])
            self.arrived[chat] += 1
            if self.slow is None or chat in self.slow:
                await asyncio.sleep(self.latency)
        return await super().handle(method, params)


@pytest.fixture
async def slow_api() -> AsyncIterator[SlowBotApi]:
    api = SlowBotApi(latency=1.0)
    await api.start()
    yield api
    await api.stop()


@pytest.fixture
async def slow_bot(slow_api: SlowBotApi) -> AsyncIterator[Bot]:
    async with Bot(slow_api.token, base_url=f"{slow_api.base_url}/bot") as bot:
        yield bot


async def states(db: Database) -> dict[int, str]:
    """Each chat's outbox row state (one row per chat in these tests)."""
    async with db.session() as session:
        return dict((await session.execute(select(Outbox.chat_id, Outbox.state))).all())


async def queue(db: Database, *messages: tuple[int, str], due: dt.datetime = T0,
                new_chats: bool = True) -> None:
    async with db.session() as session, session.begin():
        for chat_id, _ in messages if new_chats else ():
            await repo.save_chat(session, chat_id, "private", "kroc")
        await outbox.enqueue(session, [outbox.NewMessage(chat_id, "announcement", text, due)
                                       for chat_id, text in messages])


def texts(api: FakeBotApi, chat_id: int) -> list[str]:
    return [m["text"] for m in api.sent(chat_id)]


async def test_due_messages_are_sent_once_and_later_ones_when_due(  # type: ignore[no-untyped-def]
        db, bot, fake_api) -> None:
    clock = Clock()
    await queue(db, (1, "now for 1"), (2, "now for 2"))
    await queue(db, (3, "later for 3"), due=T0 + dt.timedelta(hours=1))
    delivery = Delivery(db, now=clock)
    assert (await delivery.tick(bot)).sent == 2
    assert (await delivery.tick(bot)).sent == 0  # nothing twice
    clock.advance(3600)
    assert (await delivery.tick(bot)).sent == 1
    assert (texts(fake_api, 1), texts(fake_api, 2), texts(fake_api, 3)) == (
        ["now for 1"], ["now for 2"], ["later for 3"])


async def test_a_private_chat_gets_at_most_one_message_per_tick(db, bot, fake_api) -> None:  # type: ignore[no-untyped-def]
    clock = Clock()
    await queue(db, (1, "first"), (1, "second"), (1, "third"))
    delivery = Delivery(db, now=clock)
    sent = []
    for _ in range(5):
        sent.append((await delivery.tick(bot)).sent)
        clock.advance(0.75)
    assert sent == [1, 0, 1, 0, 1]  # at t=0, 1.5 and 3: never two within a second
    assert texts(fake_api, 1) == ["first", "second", "third"]


async def test_a_429_waits_exactly_its_retry_after(db, bot, fake_api) -> None:  # type: ignore[no-untyped-def]
    clock = Clock()
    fake_api.fail_next(1, ApiError(429, "Too Many Requests: retry after 7", retry_after=7))
    await queue(db, (1, "hello"))
    delivery = Delivery(db, now=clock)
    report = await delivery.tick(bot)
    assert (report.sent, report.retried, report.paused_for) == (0, 1, dt.timedelta(seconds=7))
    await queue(db, (2, "hi"))
    assert (await delivery.send_now(bot, [2])).sent == 0  # not even a reply, while paused
    clock.advance(6.9)
    assert (await delivery.tick(bot)).sent == 0  # still paused
    clock.advance(0.1)
    assert (await delivery.tick(bot)).sent == 2
    assert texts(fake_api, 1) == ["hello"] and texts(fake_api, 2) == ["hi"]


async def test_a_blocked_bot_stops_sending_to_that_chat(db, bot, fake_api) -> None:  # type: ignore[no-untyped-def]
    clock = Clock()
    fake_api.fail_next(1, ApiError(403, "Forbidden: bot was blocked by the user"))
    fake_api.fail_next(2, ApiError(400, "Bad Request: chat not found"))
    await queue(db, (1, "one"), (2, "two"))
    delivery = Delivery(db, now=clock)
    assert (await delivery.tick(bot)).blocked == 2
    await queue(db, (1, "again"), new_chats=False)  # e.g. an announcement to everyone
    clock.advance(1)
    calls = len(fake_api.calls)
    assert (await delivery.tick(bot)).blocked == 1
    assert len(fake_api.calls) == calls  # not even tried
    async with db.session() as session:
        assert not (await repo.get_chat(session, 1)).active
        assert await outbox.counts(session) == {outbox.BLOCKED: 3}


async def test_server_errors_are_retried_with_backoff(db, bot, fake_api) -> None:  # type: ignore[no-untyped-def]
    clock = Clock()
    fake_api.fail_next(1, ApiError(500, "Internal Server Error"),
                       ApiError(502, "Bad Gateway"))
    await queue(db, (1, "hello"))
    delivery = Delivery(db, now=clock)
    assert (await delivery.tick(bot)).retried == 1  # attempt 1 failed: wait 2 s
    clock.advance(1)
    assert (await delivery.tick(bot)).sent == 0
    clock.advance(1)
    assert (await delivery.tick(bot)).retried == 1  # attempt 2 failed: wait 4 s
    clock.advance(4)
    assert (await delivery.tick(bot)).sent == 1
    assert texts(fake_api, 1) == ["hello"]


async def test_a_process_killed_mid_tick_loses_nothing(db, bot, fake_api) -> None:  # type: ignore[no-untyped-def]
    clock = Clock()
    await queue(db, *((chat_id, f"news for {chat_id}") for chat_id in range(1, 6)))
    async with db.session() as session, session.begin():  # a tick claims, then the process dies
        claimed = await outbox.claim_due(session, clock(), 3, LEASE)
    assert len(claimed) == 3
    delivery = Delivery(db, now=clock)  # the restarted process
    assert (await delivery.tick(bot)).sent == 2  # the unclaimed ones
    clock.advance(LEASE.total_seconds() + 1)
    assert (await delivery.tick(bot)).sent == 3  # the dead process's claims, once the lease ends
    clock.advance(1)
    assert (await delivery.tick(bot)).sent == 0
    assert all(texts(fake_api, c) == [f"news for {c}"] for c in range(1, 6))


async def test_a_milestone_arrives_as_the_childs_training_log_with_a_button(  # type: ignore[no-untyped-def]
        db, bot, fake_api, programs) -> None:
    from bot.domain.logbook import Logbook
    from bot.domain.standings import Standings
    from bot.services import outbox_pictures
    from bot.texts.miles import milestone
    from storage import children, families

    clock = Clock()
    async with db.session() as session, session.begin():
        await repo.save_chat(session, 1, "private", "kroc")
        family = await families.ensure_family(session, 1)
        await children.add_child(session, family, "Emma", None, "2", None, "kroc")
    logbook = Logbook(db, now=clock, milestone_text=milestone)
    await logbook.log_message(programs["kroc"], 1, None, "Emma ran 5 miles")
    clock.advance(120)
    delivery = Delivery(db, now=clock, pictures=outbox_pictures(Standings(db, programs)))
    assert (await delivery.tick(bot)).sent == 1
    [photo] = fake_api.sent(1)
    assert photo["caption"].startswith("🎉 Emma reached 5 miles! Time to present an award")
    call = next(c for c in fake_api.calls if c.method == "sendPhoto")
    assert call.params["photo"][:4] == b"\x89PNG"
    [[button]] = call.params["reply_markup"]["inline_keyboard"]
    assert button["text"] == "📈 Emma's weekly miles"


async def test_a_group_gets_at_most_one_message_every_three_seconds(  # type: ignore[no-untyped-def]
        db, bot, fake_api) -> None:
    clock = Clock()
    await queue(db, (-100, "one"), (-100, "two"))
    delivery = Delivery(db, now=clock)
    sent = []
    for _ in range(4):
        sent.append((await delivery.tick(bot)).sent)
        clock.advance(1)
    assert sent == [1, 0, 0, 1]
    assert texts(fake_api, -100) == ["one", "two"]


async def test_a_message_whose_picture_fails_goes_out_as_text_and_a_broken_one_gives_up(  # type: ignore[no-untyped-def]
        db, bot, fake_api) -> None:
    clock = Clock()
    async with db.session() as session, session.begin():
        for chat_id in (1, 2):
            await repo.save_chat(session, chat_id, "private", "kroc")
        await outbox.enqueue(session, [
            outbox.NewMessage(1, "milestone", "🎉 5 miles!", T0, picture="log:1"),
            outbox.NewMessage(2, "milestone", "broken", T0, buttons="not json")])

    async def failing_picture(_key: str) -> bytes:
        raise RuntimeError("the drawing broke")

    delivery = Delivery(db, now=clock, pictures=failing_picture)
    for _ in range(8):  # the broken one is retried with backoff, then given up
        await delivery.tick(bot)
        clock.advance(700)
    assert texts(fake_api, 1) == ["🎉 5 miles!"] and texts(fake_api, 2) == []
    async with db.session() as session:
        assert await outbox.counts(session) == {outbox.SENT: 1, outbox.FAILED: 1}


async def test_a_crash_with_a_slow_api_repeats_at_most_the_messages_then_in_flight(  # type: ignore[no-untyped-def]
        db, slow_api: SlowBotApi, slow_bot: Bot) -> None:
    clock = Clock()
    await queue(db, *((chat_id, f"news for {chat_id}") for chat_id in range(1, 41)))
    delivery = Delivery(db, rate=20, now=clock)
    while sum(slow_api.arrived.values()) < 15:  # the job queue ticking, each request 1 s long
        await delivery.tick(slow_bot, wait=False)
        await asyncio.sleep(INTERVAL)
    for task in list(delivery._tasks):  # SIGKILL: nothing more is sent or recorded
        task.cancel()
    await asyncio.gather(*delivery._tasks, return_exceptions=True)
    at_crash = await states(db)
    in_flight = {chat for chat in slow_api.arrived if at_crash[chat] != outbox.SENT}
    claimed = {chat for chat, state in at_crash.items() if state == outbox.SENDING}
    assert in_flight  # requests on the wire: Telegram may have them
    assert len(claimed - in_flight) <= 20 * 0.35 + 1  # claimed, not sent: one tick's turns
    slow_api.latency = 0
    restarted = Delivery(db, rate=20, now=clock)
    assert (await restarted.tick(slow_bot)).sent > 0  # the unclaimed ones go on at once
    clock.advance(LEASE.total_seconds() + 1)  # then the dead process's claims
    for _ in range(10):
        await restarted.tick(slow_bot)
    assert set((await states(db)).values()) == {outbox.SENT}
    assert set(slow_api.arrived) == set(range(1, 41))  # nothing lost
    twice = {chat for chat, count in slow_api.arrived.items() if count > 1}
    assert twice <= in_flight  # only what was on the wire when the process died


async def test_a_timed_out_announcement_is_unknown_and_a_timed_out_reply_is_sent_again(  # type: ignore[no-untyped-def]
        db, slow_api: SlowBotApi, slow_bot: Bot) -> None:
    clock = Clock()
    slow_api.slow = {1, 2}
    async with db.session() as session, session.begin():
        for chat_id in (1, 2, 3):
            await repo.save_chat(session, chat_id, "private", "kroc")
        await outbox.enqueue(session, [
            outbox.NewMessage(1, "announcement", "Race day is Saturday", T0),
            outbox.NewMessage(2, outbox.REPLY, "✅ Logged 2 miles for Emma", T0),
            outbox.NewMessage(3, "milestone", "🎉 Emma reached 5 miles", T0)])
    delivery = Delivery(db, now=clock, send_timeout=0.6)  # the slow chats answer after 1 s
    report = await delivery.tick(slow_bot)
    assert (report.sent, report.unknown, report.retried) == (1, 1, 1)
    slow_api.slow = set()  # Telegram answers again
    for _ in range(3):
        clock.advance(2)  # the reply's retry waits 2 s
        await delivery.tick(slow_bot)
    assert await states(db) == {1: outbox.UNKNOWN, 2: outbox.SENT, 3: outbox.SENT}
    # The announcement probably arrived once and is not repeated; the reply, which tells
    # a family their miles were stored, arrives at least once.
    assert slow_api.arrived == {1: 1, 2: 2, 3: 1}


def test_a_request_that_timed_out_before_it_left_is_retried_not_unknown() -> None:
    never_left = TimedOut("Pool timeout")
    never_left.__cause__ = httpx.PoolTimeout("all connections busy")
    read = TimedOut()
    read.__cause__ = httpx.ReadTimeout("no answer")
    assert (maybe_delivered(never_left), maybe_delivered(read)) == (False, True)
