"""The durable update path as a family meets it: what they send is handled once, in order,
across restarts, and a failure undoes its own work and says so."""

from __future__ import annotations

import asyncio
import json
import pickle

import pytest
import sqlalchemy

from bot.domain.log_writer import LogWriter
from bot.handlers import ask
from bot.handling import BATCH
from bot.outgoing import CURRENT
from bot.runtime import runtime_of
from storage import chat_states, families, mile_logs, updates
from tests.chat import PARENT, says
from tests.conftest import bot_running
from tests.fake_bot_api import FakeBotApi
from tests.test_e2e_miles import add_kid, family_totals
from tests.webhook_workers import add_families

pytestmark = pytest.mark.asyncio


@pytest.fixture
def durable_settings(settings, database_url):  # type: ignore[no-untyped-def]
    return settings.model_copy(update={"database_url": database_url})


async def outcomes(app) -> dict[int, str | None]:  # type: ignore[no-untyped-def]
    async with app.bot_data["services"].db.session() as session:
        return await updates.outcomes(session)


async def test_an_update_telegram_sends_twice_is_handled_once(  # type: ignore[no-untyped-def]
        fake_api: FakeBotApi, durable_settings, kbs) -> None:
    async with bot_running(fake_api, durable_settings, kbs) as app:
        await says(fake_api, "/start kroc")
        await add_kid(fake_api, "Emma", "2", None)
        update = {"update_id": 9000, "message": {
            "message_id": 9000, "date": 1, "text": "ran 2 miles",
            "chat": {"id": PARENT, "type": "private"}, "from": {"id": PARENT, "is_bot": False,
                                                             "first_name": "P"}}}
        before = len(fake_api.sent(PARENT))
        runtime = runtime_of(app)
        await runtime.intake.receive([update])
        await runtime.intake.receive([json.loads(json.dumps(update))])  # no answer came: again
        await fake_api.wait_for_messages(PARENT, before + 1)
        await runtime.loop.until_idle()
        assert len(fake_api.sent(PARENT)) == before + 1
        assert await family_totals(app) == {"Emma": 2.0}
        assert (await outcomes(app))[9000] == updates.HANDLED


async def test_a_failure_after_the_write_undoes_the_log_and_says_so(  # type: ignore[no-untyped-def]
        fake_api: FakeBotApi, durable_settings, kbs, monkeypatch) -> None:
    async with bot_running(fake_api, durable_settings, kbs) as app:
        app.remove_error_handler(app.error_handlers.copy().popitem()[0])  # this one is expected
        await says(fake_api, "/start kroc")
        await add_kid(fake_api, "Emma", "2", None)
        real = ask.reply_to

        def broken(result, programs):  # type: ignore[no-untyped-def]
            raise RuntimeError("the reply could not be worded")

        monkeypatch.setattr(ask, "reply_to", broken)
        [sorry] = await says(fake_api, "ran 2 miles")
        assert sorry["text"].startswith("Sorry")
        assert await family_totals(app) == {}  # the log was written, then rolled back
        monkeypatch.setattr(ask, "reply_to", real)
        [logged] = await says(fake_api, "ran 3 miles")  # the next message is handled as usual
        assert "3" in logged["text"]
        assert await family_totals(app) == {"Emma": 3.0}
        assert sorted((await outcomes(app)).values(), key=str).count(updates.FAILED) == 1


@pytest.mark.parametrize("breaks", ["reply", "write"])
async def test_a_failure_in_a_busy_round_fails_that_message_alone(  # type: ignore[no-untyped-def]
        fake_api: FakeBotApi, durable_settings, kbs, monkeypatch, breaks) -> None:
    """Ten families' logs wait while the bot is down, so they are handled in one round, side
    by side. For one family, the reply cannot be worded, or the database refuses a write
    while the logs are written together: that family hears sorry and its log is undone;
    every other log is stored once and answered once."""
    families_ = range(5001, 5011)
    async with bot_running(fake_api, durable_settings, kbs) as app:
        db = app.bot_data["services"].db
        async with db.session() as session, session.begin():
            await add_families(session, families_)
            broken = await families.ensure_family(session, 5005)
    real_reply, real_write = ask.reply_to, LogWriter._write_together

    def reply_failing_for_one(result, programs):  # type: ignore[no-untyped-def]
        if CURRENT.get().chat_id == 5005:
            raise RuntimeError("the reply could not be worded")
        return real_reply(result, programs)

    async def write_failing_for_one(self, requests):  # type: ignore[no-untyped-def]
        if any(r.family_id == broken for r in requests):
            async with self.db.session() as session, session.begin():
                await session.execute(sqlalchemy.text("SELECT no_such_column FROM chats"))
        return await real_write(self, requests)

    if breaks == "reply":
        monkeypatch.setattr(ask, "reply_to", reply_failing_for_one)
    else:
        monkeypatch.setattr(LogWriter, "_write_together", write_failing_for_one)
    for chat in families_:
        fake_api.user_says(chat, "ran 2 miles")
    async with bot_running(fake_api, durable_settings, kbs, errors_expected=True) as app:
        for chat in families_:
            await fake_api.wait_for_messages(chat, 1)
        await runtime_of(app).loop.until_idle()
        said = {chat: [m["text"][:25] for m in fake_api.sent(chat)] for chat in families_}
        miles = {}
        async with app.bot_data["services"].db.session() as session:
            for chat in families_:
                family = await families.ensure_family(session, chat)
                miles[chat] = sum((await mile_logs.totals(session, family)).values())
        failed = list((await outcomes(app)).values()).count(updates.FAILED)
    logged = ["✅ Logged 2 miles for Emma"]
    assert said == {chat: ["Sorry, something went wro"] if chat == 5005 else logged
                    for chat in families_}
    # Once each, though the round was handled twice: side by side, then one at a time.
    assert miles == {chat: 0 if chat == 5005 else 200 for chat in families_}
    assert failed == 1


async def test_addkid_started_before_a_restart_finishes_after_it(  # type: ignore[no-untyped-def]
        fake_api: FakeBotApi, durable_settings, kbs) -> None:
    async with bot_running(fake_api, durable_settings, kbs):
        await says(fake_api, "/start kroc")
        [asked] = await says(fake_api, "/addkid")
        assert asked["text"].startswith("Let's add your child!")
        await says(fake_api, "Emma")  # the name; the grade comes after the restart
    async with bot_running(fake_api, durable_settings, kbs) as app:
        [school] = await says(fake_api, "2")
        assert school["text"].startswith("Which school")
        await says(fake_api, "Lincoln")
        async with app.bot_data["services"].db.session() as session:
            _version, left = pickle.loads(await chat_states.load(session, PARENT))
        assert left.flows == {} and left.drafts == {}  # /addkid is over: nothing waits
    async with bot_running(fake_api, durable_settings, kbs) as app:
        [logged] = await says(fake_api, "ran 1 mile")
        assert "Emma" in logged["text"]


async def test_messages_sent_while_the_bot_was_down_are_handled_in_order(  # type: ignore[no-untyped-def]
        fake_api: FakeBotApi, durable_settings, kbs) -> None:
    async with bot_running(fake_api, durable_settings, kbs):
        await says(fake_api, "/start kroc")
        await add_kid(fake_api, "Emma", "2", None)
    before = len(fake_api.sent(PARENT))
    for text in ("ran 1 mile", "/undo", "walked 2 miles"):  # queued while it is down
        fake_api.user_says(PARENT, text)
    async with bot_running(fake_api, durable_settings, kbs) as app:
        replies = (await fake_api.wait_for_messages(PARENT, before + 3))[before:]
        assert not any(r["text"].startswith("Sorry") for r in replies)
        assert await family_totals(app) == {"Emma": 2.0}  # /undo took back the first only


async def test_an_update_that_breaks_its_transaction_is_given_up_and_others_go_on(  # type: ignore[no-untyped-def]
        fake_api: FakeBotApi, durable_settings, kbs, monkeypatch) -> None:
    from bot import handling

    real_load = handling.chat_states.load_many

    async def load(session, chat_ids):  # type: ignore[no-untyped-def]
        if PARENT in chat_ids:
            raise RuntimeError("this chat's row cannot be read")
        return await real_load(session, chat_ids)

    async with bot_running(fake_api, durable_settings, kbs) as app:
        monkeypatch.setattr(handling.chat_states, "load_many", load)
        fake_api.user_says(PARENT, "how much does it cost")
        [other] = await says(fake_api, "/start kroc", chat=777)  # another family is answered
        assert other["text"].startswith("Welcome")
        [sorry] = await fake_api.wait_for_messages(PARENT, 1)
        assert sorry["text"].startswith("Sorry")
        monkeypatch.setattr(handling.chat_states, "load_many", real_load)
        [welcome] = await says(fake_api, "/start kroc")
        assert welcome["text"].startswith("Welcome")
        assert list((await outcomes(app)).values()).count(updates.FAILED) == 1


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_a_family_is_answered_while_another_worker_holds_the_oldest_chats(  # type: ignore[no-untyped-def]
        fake_api: FakeBotApi, durable_settings, kbs) -> None:
    """Workers side by side take different chats: a round looks past those others hold."""
    async with bot_running(fake_api, durable_settings, kbs) as app:
        db = app.bot_data["services"].db
        busy = range(9001, 9001 + 2 * BATCH)  # more chats than one round takes
        async with db.engine.connect() as other, other.begin():  # another worker's round
            for chat in busy:
                await other.execute(sqlalchemy.text("SELECT pg_advisory_xact_lock(:chat)"),
                                    {"chat": chat})
                fake_api.user_says(chat, "/start kroc")
            while len(await outcomes(app)) < len(busy):  # noqa: ASYNC110 (stored, waiting)
                await asyncio.sleep(0.05)
            [welcome] = await says(fake_api, "/start kroc")
            assert "Welcome to Kids Run the OC" in welcome["text"]
            assert not any(fake_api.sent(chat) for chat in busy)
        for chat in busy:  # the other worker let go: they are answered too
            await fake_api.wait_for_messages(chat, 1)
