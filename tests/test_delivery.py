"""Delivering the outbox against the fake Bot API: once, within limits, through 429/403/500.

Time is injected: a tick is called with the clock where the test puts it, never by sleeping.
"""

from __future__ import annotations

import datetime as dt

from bot.delivery import LEASE, Delivery
from storage import outbox, repo
from storage.db import Database
from tests.clock import T0, Clock
from tests.fake_bot_api import ApiError, FakeBotApi


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
        await children.add_child(session, family, "Emma", None, "2", None)
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
