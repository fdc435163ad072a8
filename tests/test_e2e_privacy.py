"""End to end: a parent reads what is kept (/privacy) and erases the family (/forget): after
the confirmation, no row of the family is left in any table, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select, update

from bot.domain.privacy import Privacy
from bot.runtime import runtime_of
from storage import (
    chat_states,
    children,
    erasure,
    families,
    mile_logs,
    outbox,
    replies,
    repo,
    updates,
)
from storage.db import Database
from storage.models import Announcement, Base, Outbox, Question
from storage.replies import NewReply
from storage.updates import Incoming
from tests.chat import PARENT, labels, says
from tests.fake_bot_api import FakeBotApi
from tests.test_e2e_miles import add_kid, family_totals

FAMILY_TABLES = ("chats", "families", "children", "mile_logs", "mile_entries", "questions",
                 "outbox", "chat_states", "updates")


async def rows_per_table(db: Database) -> dict[str, int]:
    async with db.session() as session:
        return {name: int(await session.scalar(
            select(func.count()).select_from(Base.metadata.tables[name])) or 0)
            for name in FAMILY_TABLES}


async def test_privacy_says_what_is_kept_why_and_for_how_long(  # type: ignore[no-untyped-def]
        fake_api: FakeBotApi, running_bot) -> None:
    await says(fake_api, "/start kroc")
    [privacy] = await says(fake_api, "/privacy")
    for said in ("first names, last initial, grade and school", "Kept until you remove",
                 "never who asked", "kept 7 days", "/forget"):
        assert said in privacy["text"]


async def test_forget_asks_first_then_erases_every_row_of_the_family(  # type: ignore[no-untyped-def]
        fake_api: FakeBotApi, running_bot) -> None:
    db = running_bot.bot_data["services"].db
    await says(fake_api, "/start kroc")
    await add_kid(fake_api, "Emma", "2", "Lincoln Elementary")
    await says(fake_api, "ran 2 miles")
    await says(fake_api, "what time should we arrive")
    [ask] = await says(fake_api, "/forget")
    assert ask["text"].startswith("This erases everything I keep about your family: your "
                                  "children (Emma) and their 1 mile entry; the 1 question you "
                                  "asked; your program and reminder settings, and what this "
                                  "chat sent me. It can't be undone.")
    assert labels(ask) == ["Yes, erase everything", "No, keep it"]
    fake_api.user_presses(PARENT, ask, "No, keep it")
    kept = await fake_api.wait_for_call("editMessageText")  # the question becomes the answer
    assert kept.params["text"] == "OK, nothing was erased."
    assert await family_totals(running_bot) == {"Emma": 2.0}

    [ask] = await says(fake_api, "/forget")
    fake_api.user_presses(PARENT, ask, "Yes, erase everything")

    def popups() -> list[dict[str, object]]:  # the "No" press had no pop-up
        return [c.params for c in fake_api.calls
                if c.method == "answerCallbackQuery" and c.params.get("text")]

    await fake_api.wait_until(lambda: bool(popups()))
    [popup] = popups()
    assert str(popup["text"]).startswith("Done: everything I kept about your family is erased")
    assert popup["show_alert"] in (True, "true", "True")
    await runtime_of(running_bot).loop.until_idle()
    assert await rows_per_table(db) == dict.fromkeys(FAMILY_TABLES, 0)

    [welcome] = await says(fake_api, "/start kroc")  # a new start, as a new family
    assert "Start by adding your child" in welcome["text"]


async def test_erasing_a_chat_leaves_no_row_of_it_and_touches_no_other(db: Database) -> None:
    now = repo.utcnow()
    async with db.session() as session, session.begin():
        for chat in (1, 2):
            await repo.save_chat(session, chat, "private", "kroc")
            family = await families.ensure_family(session, chat)
            child = await children.add_child(session, family, "Emma", "R", "2", "Lincoln",
                                             "kroc")
            await mile_logs.add_log(session, family, "Emma ran 2", "f", chat, [
                mile_logs.NewEntry(child.id, 200, dt.date(2026, 11, 30))])
            await repo.record_question(session, chat_id=chat, program="kroc",
                                       text="when is the race", outcome="unanswered")
            await outbox.enqueue(session, [outbox.NewMessage(chat, "reminder", "Hi Emma", now)])
            await replies.queue(session, chat, "private", [NewReply("Logged")], now)
            await chat_states.save(session, chat, b"state", now)
            await updates.store(session, [Incoming(10 + chat, chat, "{}"),
                                          Incoming(20 + chat, chat, "{}")], now)
    async with db.session() as session, session.begin():
        assert await erasure.erase_chat(session, 1, through_update=11)
    left = await rows_per_table(db)
    assert left == {"chats": 1, "families": 1, "children": 1, "mile_logs": 1, "mile_entries": 1,
                    "questions": 1, "outbox": 2, "chat_states": 1, "updates": 3}
    async with db.session() as session:
        for table in FAMILY_TABLES:  # what is left is chat 2's, and chat 1's later update
            columns = Base.metadata.tables[table].c
            key = columns.get("chat_id", columns.get("id"))
            if table in ("chats", "outbox", "questions", "chat_states", "updates"):
                found = set((await session.scalars(select(key))).all())
                assert found == ({2, 1} if table == "updates" else {2}), table
        # chat 1's update 21 came after the /forget one: it is still to be handled
        assert await updates.next_in_chats(session, [1]) == [Incoming(21, 1, "{}")]
    async with db.session() as session, session.begin():
        assert not await erasure.erase_chat(session, 1, through_update=11)


async def test_kept_questions_forget_who_asked_after_the_programs_period(  # type: ignore[no-untyped-def]
        db: Database, programs) -> None:
    now = repo.utcnow()
    async with db.session() as session, session.begin():
        await repo.save_chat(session, PARENT, "private", "kroc")
        for days_ago, text in ((181, "is there parking"), (179, "can grandma run")):
            await repo.record_question(session, chat_id=PARENT, program="kroc", text=text,
                                       outcome="unanswered")
            await session.execute(update(Question).where(Question.text == text).values(
                asked_at=now - dt.timedelta(days=days_ago)))
    assert programs["kroc"].question_asker_days == 180
    assert await Privacy(db, programs, now=lambda: now).forget_old_askers() == 1
    async with db.session() as session:
        kept = {q.text: q.chat_id for q in await repo.open_questions(session, "kroc")}
    assert kept == {"is there parking": None, "can grandma run": PARENT}
    async with db.session() as session, session.begin():  # /forget: the family's own go
        await erasure.erase_chat(session, PARENT, through_update=0)
    async with db.session() as session:
        assert [q.text for q in await repo.open_questions(session, "kroc")] == [
            "is there parking"]


async def test_a_report_to_a_chat_erased_since_is_dropped_and_jams_nothing(  # type: ignore[no-untyped-def]
        db: Database, programs) -> None:
    from bot.domain.announcing import Announcing

    async with db.session() as session, session.begin():
        for chat in (PARENT, 900, 901):  # a family, then two organizers' chats
            await repo.save_chat(session, chat, "private", "kroc")
    announcing = Announcing(db, programs, render_report=lambda report: "report")
    await announcing.schedule("kroc", "Hello", None, created_by=900)
    await Privacy(db, programs).erase(900, through_update=0)  # the organizer: /forget
    await announcing.schedule("kroc", "Second", None, created_by=901)
    await announcing.process_due()
    async with db.session() as session, session.begin():  # every copy delivered
        await session.execute(update(Outbox).values(state=outbox.SENT))
    await announcing.process_due()  # reports: the erased chat gets none, the other its own
    async with db.session() as session:
        assert [m for m in await outbox.messages_to(session, 901) if m[0] == "report"] == [
            ("report", "pending", "report")]
        assert await announcing.scheduled("kroc") == []
        states = (await session.scalars(select(Announcement.state))).all()
    assert states == ["done", "done"]


async def test_an_old_yes_erases_nothing(db: Database, programs) -> None:  # type: ignore[no-untyped-def]
    from bot.domain.privacy import ConfirmationExpired

    async with db.session() as session, session.begin():
        await repo.save_chat(session, PARENT, "private", "kroc")
    privacy = Privacy(db, programs)
    asked = privacy.asked_now() - 11  # "Yes" pressed eleven minutes after /forget asked
    assert await privacy.erase(PARENT, through_update=0, asked=asked) == ConfirmationExpired()
    async with db.session() as session:
        assert await repo.get_chat(session, PARENT) is not None
