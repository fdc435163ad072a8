"""Replies through the outbox: they go before a running broadcast, `send_now` sends them the
moment they are stored, a reply row may carry a picture or edit a message already sent, and a
chat's replies keep their order whichever worker queued them."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from bot.delivery import Delivery
from storage import outbox, repo
from storage.db import Database
from storage.models import Outbox
from tests.clock import T0, Clock
from tests.fake_bot_api import ApiError, FakeBotApi

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


async def store(db: Database, *messages: outbox.NewMessage) -> list[int]:
    """Queue messages as the handling loop does: in one transaction, chats known."""
    async with db.session() as session, session.begin():
        for chat_id in sorted({m.chat_id for m in messages}):
            if await repo.get_chat(session, chat_id) is None:
                await repo.save_chat(session, chat_id, "private", "kroc")
        return await outbox.enqueue(session, list(messages))


def reply(chat_id: int, text: str, **extra: object) -> outbox.NewMessage:
    return outbox.NewMessage(chat_id, outbox.REPLY, text, T0, **extra)  # type: ignore[arg-type]


def order(api: FakeBotApi) -> list[str]:
    return [c.params.get("text") or c.params.get("caption", "") for c in api.calls
            if c.method in ("sendMessage", "sendPhoto")]


async def test_a_reply_queued_during_a_broadcast_goes_before_the_waiting_copies(  # type: ignore[no-untyped-def]
        db, bot, fake_api: FakeBotApi) -> None:
    await store(db, *(outbox.NewMessage(chat_id, "announcement", f"news {chat_id}", T0)
                      for chat_id in range(10, 40)))
    delivery = Delivery(db, rate=10, now=Clock())  # a tick claims 3: one goes, two wait
    await delivery.tick(bot, wait=False)
    [stored] = await store(db, reply(1, "✅ Logged 2 miles for Emma"))
    report = await delivery.send_now(bot, [stored])
    assert report.sent == 1
    await delivery.settle()
    assert order(fake_api)[:4] == ["news 10", "✅ Logged 2 miles for Emma", "news 11", "news 12"]


async def test_leftover_replies_are_claimed_before_older_messages(  # type: ignore[no-untyped-def]
        db, bot, fake_api: FakeBotApi) -> None:
    await store(db, *(outbox.NewMessage(chat_id, "announcement", f"news {chat_id}", T0)
                      for chat_id in range(10, 40)))
    await store(db, reply(1, "first reply"), reply(1, "second reply"))  # send_now never came
    await Delivery(db, rate=10, now=Clock()).tick(bot)
    assert order(fake_api) == ["first reply", "second reply", "news 10"]


async def test_send_now_sends_only_what_is_still_pending(  # type: ignore[no-untyped-def]
        db, bot, fake_api: FakeBotApi) -> None:
    clock = Clock()
    delivery = Delivery(db, now=clock)
    ids = await store(db, reply(1, "one"), reply(2, "two"))
    assert (await delivery.tick(bot)).sent == 2  # the tick was quicker
    assert (await delivery.send_now(bot, ids)).sent == 0
    assert order(fake_api) == ["one", "two"]


async def test_a_tick_and_send_now_at_the_same_moment_send_each_reply_once(  # type: ignore[no-untyped-def]
        db, bot, fake_api: FakeBotApi) -> None:
    delivery = Delivery(db, now=Clock())
    ids = await store(db, *(reply(chat_id, f"logged {chat_id}") for chat_id in range(1, 21)))
    await asyncio.gather(delivery.tick(bot), delivery.send_now(bot, ids),
                         delivery.send_now(bot, ids))
    await delivery.settle()
    assert sorted(order(fake_api)) == sorted(f"logged {chat_id}" for chat_id in range(1, 21))


async def test_a_reply_with_a_picture_goes_out_as_a_photo_and_its_bytes_are_dropped(  # type: ignore[no-untyped-def]
        db, bot, fake_api: FakeBotApi) -> None:
    ids = await store(db, reply(1, "x" * 2000, photo=PNG, buttons='[[["More", "m"]]]'))
    assert (await Delivery(db, now=Clock()).send_now(bot, ids)).sent == 1
    [call] = [c for c in fake_api.calls if c.method == "sendPhoto"]
    assert call.params["photo"] == PNG
    assert len(call.params["caption"]) == 1024 and call.params["caption"].endswith("…")
    assert call.params["reply_markup"]["inline_keyboard"][0][0]["text"] == "More"
    async with db.session() as session:
        assert (await session.execute(select(Outbox.state, Outbox.photo))).all() == [
            (outbox.SENT, None)]


async def test_an_edit_row_edits_its_message(db, bot, fake_api: FakeBotApi) -> None:  # type: ignore[no-untyped-def]
    ids = await store(db, reply(1, "✅ Undone", edit_message_id=41),
                      reply(1, "", edit_message_id=42),  # buttons taken off
                      reply(1, "", edit_message_id=43, buttons='[[["Undo", "u"]]]'))
    assert (await Delivery(db, now=Clock()).send_now(bot, ids)).sent == 3
    edits = [(c.method, c.params["message_id"], c.params.get("text"),
              c.params.get("reply_markup")) for c in fake_api.calls if c.method.startswith("edit")]
    assert edits == [
        ("editMessageText", 41, "✅ Undone", None),
        ("editMessageReplyMarkup", 42, None, None),
        ("editMessageReplyMarkup", 43, None,
         {"inline_keyboard": [[{"text": "Undo", "callback_data": "u"}]]})]
    assert fake_api.sent(1) == []  # nothing new in the chat


async def test_an_edit_that_cannot_be_made_is_sent_or_counts_as_done(  # type: ignore[no-untyped-def]
        db, bot, fake_api: FakeBotApi) -> None:
    fake_api.fail_next(1, ApiError(400, "Bad Request: message is not modified: specified new "
                                        "message content and reply markup are exactly the same"))
    fake_api.fail_next(2, ApiError(400, "Bad Request: message to edit not found"))
    fake_api.fail_next(3, ApiError(400, "Bad Request: message can't be edited"))
    fake_api.fail_next(4, ApiError(400, "Bad Request: message to edit not found"))
    ids = await store(db, reply(1, "same as before", edit_message_id=41),
                      reply(2, "deleted meanwhile", edit_message_id=42),
                      reply(3, "too old", edit_message_id=43),
                      reply(4, "", edit_message_id=44))  # only buttons: nothing to send
    report = await Delivery(db, now=Clock()).send_now(bot, ids)
    assert (report.sent, report.failed) == (3, 1)
    assert [m["text"] for m in fake_api.sent()] == ["deleted meanwhile", "too old"]


async def test_a_blocked_chat_is_still_sent_a_reply(db, bot, fake_api: FakeBotApi) -> None:  # type: ignore[no-untyped-def]
    """The chat was marked inactive, but the family just wrote: the bot is not blocked."""
    async with db.session() as session, session.begin():
        await repo.save_chat(session, 1, "private", "kroc")
        await repo.set_chat_active(session, 1, False)
    ids = await store(db, reply(1, "Welcome back"))
    assert (await Delivery(db, now=Clock()).send_now(bot, ids)).sent == 1
    assert [m["text"] for m in fake_api.sent(1)] == ["Welcome back"]


async def test_replies_to_one_chat_arrive_in_their_order(  # type: ignore[no-untyped-def]
        db, bot, fake_api: FakeBotApi) -> None:
    delivery = Delivery(db, now=Clock())
    first = await store(db, reply(1, "one"), reply(1, "two"))
    second = await store(db, reply(1, "three"))
    await asyncio.gather(delivery.send_now(bot, first), delivery.send_now(bot, second))
    assert order(fake_api) == ["one", "two", "three"]


async def test_send_now_sends_a_reply_another_worker_left_pending_first(  # type: ignore[no-untyped-def]
        db, bot, fake_api: FakeBotApi) -> None:
    """A follower queued the reply to a chat's first message (the leader's tick would send
    it); the leader then handles the second message and sends its reply at once."""
    delivery = Delivery(db, now=Clock())
    await store(db, reply(1, "✅ Logged 1 mile for Emma"), reply(2, "another family's"))
    later = await store(db, reply(1, "↩️ Undone: 1 mile for Emma"))
    assert (await delivery.send_now(bot, later)).sent == 2
    assert order(fake_api) == ["✅ Logged 1 mile for Emma", "↩️ Undone: 1 mile for Emma"]


async def test_a_reply_the_tick_finds_behind_one_on_the_wire_keeps_its_place(  # type: ignore[no-untyped-def]
        db, bot, fake_api: FakeBotApi) -> None:
    """The leader is still sending a chat's first reply when its tick picks up the second (a
    follower queued it), and the family's third message is answered meanwhile: all three
    arrive in order."""
    fake_api.send_delay = 0.3
    delivery = Delivery(db, now=Clock())
    first = await store(db, reply(1, "✅ Logged 1 mile"))
    on_the_wire = asyncio.create_task(delivery.send_now(bot, first))
    await asyncio.sleep(0.1)
    await store(db, reply(1, "↩️ Undone"))
    await delivery.tick(bot, wait=False)
    third = await store(db, reply(1, "✅ Logged 2 miles"))
    await asyncio.gather(on_the_wire, delivery.send_now(bot, third))
    await delivery.settle()
    assert order(fake_api) == ["✅ Logged 1 mile", "↩️ Undone", "✅ Logged 2 miles"]


async def test_a_tick_and_send_now_racing_keep_a_chats_replies_in_order(  # type: ignore[no-untyped-def]
        db, bot, fake_api: FakeBotApi) -> None:
    """The leader's tick picks up the reply a follower queued while the leader sends the
    reply to the chat's next message: whichever claims first, they arrive in order."""
    for _ in range(5):
        fake_api.calls.clear()
        delivery = Delivery(db, now=Clock())
        await store(db, *(reply(chat_id, "✅ Logged 1 mile") for chat_id in range(1, 11)))
        later = await store(db, *(reply(chat_id, "↩️ Undone") for chat_id in range(1, 11)))
        await asyncio.gather(delivery.tick(bot), delivery.send_now(bot, later))
        await delivery.settle()
        for chat_id in range(1, 11):
            assert [m["text"] for m in fake_api.sent(chat_id)][-2:] == [
                "✅ Logged 1 mile", "↩️ Undone"]


async def test_a_reply_that_must_be_retried_holds_back_the_chats_next_ones(  # type: ignore[no-untyped-def]
        db, bot, fake_api: FakeBotApi) -> None:
    clock = Clock()
    delivery = Delivery(db, now=clock)
    fake_api.fail_next(1, ApiError(502, "Bad Gateway"))
    first = await store(db, reply(1, "one"), reply(1, "two"))
    report = await delivery.send_now(bot, first)
    assert (report.sent, report.retried) == (0, 2)
    assert fake_api.sent(1) == []
    [third] = await store(db, reply(1, "three"))  # the family wrote again meanwhile
    assert (await delivery.send_now(bot, [third])).sent == 3
    assert order(fake_api) == ["one", "two", "three"]


async def test_a_tick_keeps_a_reply_behind_an_earlier_one_waiting_for_its_retry(  # type: ignore[no-untyped-def]
        db, bot, fake_api: FakeBotApi) -> None:
    """The first reply to a chat failed and waits 2 s for its retry; the second is due
    now, but a tick leaves it until the first has gone."""
    clock = Clock()
    delivery = Delivery(db, now=clock)
    fake_api.fail_next(1, ApiError(502, "Bad Gateway"))
    [first] = await store(db, reply(1, "one"))
    assert (await delivery.send_now(bot, [first])).retried == 1
    await store(db, reply(1, "two"))  # queued by a worker that does not send
    assert (await delivery.tick(bot)).sent == 0
    clock.advance(3)
    await delivery.tick(bot)
    assert order(fake_api) == ["one", "two"]
