"""End to end: guided conversations as a new parent really uses them: repeating /addkid,
/cancel and "cancel" at any time, and button labels typed instead of pressed. Each test checks
the reply and that nothing was kept that should not be (no question for the FAQ's organizers,
no child, no miles)."""

from __future__ import annotations

import datetime as dt
import pickle

from sqlalchemy import select, update

from storage import chat_states
from storage.models import Chat, Question
from tests.chat import PARENT, labels, presses, says
from tests.fake_bot_api import FakeBotApi
from tests.test_e2e_miles import add_kid, family_totals

OTHER = 502
ORGANIZER = 777
NOTHING_TO_CANCEL = ("There's nothing to cancel: you're not adding a child, and no miles "
                     "are waiting for your answer.")
CANCEL_BUTTON_HINT = "If you meant a Cancel button"


async def questions_kept(app, chat: int = PARENT) -> list[str]:  # type: ignore[no-untyped-def]
    """Every message of this chat the FAQ took as a question (answered or not)."""
    async with app.bot_data["services"].db.session() as session:
        return list(await session.scalars(select(Question.text).where(Question.chat_id == chat)))


async def children(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [c.name for c in await app.bot_data["services"].kids.current(PARENT)]


async def test_addkid_again_while_adding_asks_the_name_again(  # type: ignore[no-untyped-def]
        fake_api: FakeBotApi, running_bot) -> None:
    await says(fake_api, "/start kroc")
    await says(fake_api, "/addkid")
    [again] = await says(fake_api, "/addkid")
    assert again["text"].startswith("OK, starting over. What's their first name?")
    [ask_grade] = await says(fake_api, "Emma")
    assert ask_grade["text"] == "Which grade is Emma in?"
    assert await questions_kept(running_bot) == []


async def test_addkid_halfway_starts_over_and_the_old_buttons_add_nothing(  # type: ignore[no-untyped-def]
        fake_api: FakeBotApi, running_bot) -> None:
    await says(fake_api, "/start kroc")
    [ask_grade] = await says(fake_api, "/addkid Emma")
    [again] = await says(fake_api, "/addkid")
    assert again["text"].startswith("OK, starting over.")
    [stale] = await presses(fake_api, ask_grade, "2")
    assert stale["text"].startswith("That button is from an older message")
    [ask_grade] = await says(fake_api, "Jack")
    [ask_school] = await presses(fake_api, ask_grade, "3")
    [added] = await presses(fake_api, ask_school, "Skip")
    assert added["text"].startswith("✅ Jack (grade 3) is on your team!")
    assert await children(running_bot) == ["Jack"]


async def test_cancel_with_nothing_open_says_so(fake_api: FakeBotApi, running_bot) -> None:  # type: ignore[no-untyped-def]
    await says(fake_api, "/start kroc")
    [reply] = await says(fake_api, "/cancel")
    assert reply["text"].startswith(NOTHING_TO_CANCEL)
    [reply] = await says(fake_api, "cancel")
    assert reply["text"].startswith(NOTHING_TO_CANCEL)
    [reply] = await says(fake_api, "Stop")
    assert reply["text"].startswith(NOTHING_TO_CANCEL)
    assert "/reminders off" in reply["text"]
    assert await questions_kept(running_bot) == []


async def test_cancel_stops_adding_a_child_and_nothing_is_added(  # type: ignore[no-untyped-def]
        fake_api: FakeBotApi, running_bot) -> None:
    await says(fake_api, "/start kroc")
    [ask_grade] = await says(fake_api, "/addkid Emma")
    [ask_school] = await presses(fake_api, ask_grade, "2")
    [stopped] = await says(fake_api, "/cancel")
    assert stopped["text"] == "OK, stopped. Nothing was changed."
    [stale] = await presses(fake_api, ask_school, "Skip")
    assert stale["text"].startswith("That button is from an older message")
    [kids] = await says(fake_api, "/kids")
    assert kids["text"].startswith("No children on your list yet.")
    assert await children(running_bot) == []


async def test_cancel_or_stop_typed_inside_a_flow_cancels_it(  # type: ignore[no-untyped-def]
        fake_api: FakeBotApi, running_bot) -> None:
    await says(fake_api, "/start kroc")
    await says(fake_api, "/addkid")
    [stopped] = await says(fake_api, "cancel")
    assert stopped["text"] == "OK, stopped. Nothing was changed."
    await says(fake_api, "/addkid Emma")
    [stopped] = await says(fake_api, "Stop!")
    assert stopped["text"] == "OK, stopped. Nothing was changed."
    await add_kid(fake_api, "Jack", "3", None)
    [kids] = await says(fake_api, "/kids")
    [ask] = await presses(fake_api, kids, "✏️ Jack")
    assert ask["text"].startswith("What should I call Jack")
    [stopped] = await says(fake_api, "cancel")
    assert stopped["text"] == "OK, stopped. Nothing was changed."
    assert await children(running_bot) == ["Jack"]
    assert await questions_kept(running_bot) == []


async def test_cancel_typed_after_the_buttons_are_gone_is_not_a_question(  # type: ignore[no-untyped-def]
        fake_api: FakeBotApi, running_bot) -> None:
    await says(fake_api, "/start kroc")
    await add_kid(fake_api, "Emma", "2", None)
    await add_kid(fake_api, "Jack", "3", None)
    [which] = await says(fake_api, "ran 4 laps yesterday")
    assert "Cancel" in labels(which)
    await presses(fake_api, which, "Jack")
    [reply] = await says(fake_api, "Cancel")
    assert reply["text"].startswith(NOTHING_TO_CANCEL)
    assert CANCEL_BUTTON_HINT not in reply["text"]  # that question is answered: no such button
    assert "COVID" not in reply["text"] and "refund" not in reply["text"]
    assert await questions_kept(running_bot) == []
    assert await family_totals(running_bot) == {"Jack": 1.0}


async def test_a_button_label_typed_later_is_answered_as_a_button(  # type: ignore[no-untyped-def]
        fake_api: FakeBotApi, running_bot) -> None:
    await says(fake_api, "/start kroc")
    await add_kid(fake_api, "Emma", "2", None)
    [reply] = await says(fake_api, "skip")
    assert reply["text"].startswith("“Skip” is a button: typing it doesn't press it.")
    assert "/addkid adds a child" in reply["text"]
    [which] = await says(fake_api, "/log 1")  # one child: logged at once
    assert which["text"].startswith("✅ Logged 1 mile for Emma")
    [reply] = await says(fake_api, "↩️ undo")
    assert reply["text"].startswith("“↩️ Undo” is a button")
    assert await questions_kept(running_bot) == []
    assert await family_totals(running_bot) == {"Emma": 1.0}


async def test_a_label_that_is_also_miles_is_still_read_as_miles(  # type: ignore[no-untyped-def]
        fake_api: FakeBotApi, running_bot) -> None:
    await says(fake_api, "/start kroc")
    await add_kid(fake_api, "Emma", "2", None)  # "2" was a grade button
    [logged] = await says(fake_api, "2")
    assert "2 miles" in logged["text"] and "is a button" not in logged["text"]


async def test_a_question_asked_after_buttons_is_still_answered(  # type: ignore[no-untyped-def]
        fake_api: FakeBotApi, running_bot) -> None:
    await says(fake_api, "/start kroc")
    await add_kid(fake_api, "Emma", "2", None)
    [answer] = await says(fake_api, "can grandma come watch the race?")
    assert "Family and friends are welcome" in answer["text"]


async def test_a_grade_pressed_after_the_program_went_away_is_answered(  # type: ignore[no-untyped-def]
        fake_api: FakeBotApi, running_bot) -> None:
    await says(fake_api, "/start kroc")
    [ask_grade] = await says(fake_api, "/addkid Emma")
    async with running_bot.bot_data["services"].db.session() as session, session.begin():
        await session.execute(update(Chat).where(Chat.id == PARENT).values(program="retired"))
    [pick] = await presses(fake_api, ask_grade, "2")
    assert labels(pick)  # the program buttons, instead of silence
    assert await children(running_bot) == []


async def time_passes(app, how_long: dt.timedelta) -> None:  # type: ignore[no-untyped-def]
    """Age the chat's saved conversation state, as if it had waited that long."""
    db = app.bot_data["services"].db
    async with db.session() as session, session.begin():
        version, snapshot = pickle.loads(await chat_states.load(session, PARENT))
        snapshot.saved_at -= how_long
        await chat_states.save(session, PARENT, pickle.dumps((version, snapshot)),
                               snapshot.saved_at)


async def test_an_abandoned_addkid_times_out_and_forgets_the_child(  # type: ignore[no-untyped-def]
        fake_api: FakeBotApi, running_bot) -> None:
    await says(fake_api, "/start kroc")
    await says(fake_api, "/addkid Emma")
    before = len(fake_api.sent(PARENT))  # a photo, handled once /addkid is done with
    fake_api.user_sends(PARENT, photo=[{"file_id": "p", "file_unique_id": "p", "width": 1,
                                        "height": 1}])
    [not_text] = (await fake_api.wait_for_messages(PARENT, before + 1))[before:]
    assert not_text["text"].startswith("I can only read text")  # and the flow stays open
    await time_passes(running_bot, dt.timedelta(minutes=16))  # /addkid gives up after 15
    [reply] = await says(fake_api, "3")  # no longer taken as Emma's grade
    assert not reply["text"].startswith("Which school")
    [fresh] = await says(fake_api, "/addkid")
    assert fresh["text"].startswith("Let's add your child!")  # not "OK, starting over"
    assert await children(running_bot) == []


async def test_cancel_drops_the_question_which_child_ran_and_nothing_is_logged(  # type: ignore[no-untyped-def]
        fake_api: FakeBotApi, running_bot) -> None:
    await says(fake_api, "/start kroc")
    await add_kid(fake_api, "Emma", "2", None)
    await add_kid(fake_api, "Jack", "3", None)
    [which] = await says(fake_api, "ran 1 mile")
    assert which["text"] == "Which child ran these miles: Emma or Jack?"
    [cancelled] = await says(fake_api, "/cancel")
    assert cancelled["text"] == "OK, nothing was logged."
    [expired] = await presses(fake_api, which, "Jack")
    assert expired["text"] == "That question has expired. Please send the miles again."
    [nothing] = await says(fake_api, "/cancel")
    assert nothing["text"].startswith(NOTHING_TO_CANCEL)
    assert await family_totals(running_bot) == {}
    assert await questions_kept(running_bot) == []


async def test_stop_typed_drops_log_it_again_and_did_you_mean_miles(  # type: ignore[no-untyped-def]
        fake_api: FakeBotApi, running_bot) -> None:
    await says(fake_api, "/start kroc")
    await add_kid(fake_api, "Emma", "2", None)
    await says(fake_api, "Emma ran 1 mile")
    [again] = await says(fake_api, "Emma ran 1 mile")
    assert again["text"].startswith("You logged exactly these miles a few minutes ago.")
    [stopped] = await says(fake_api, "stop")
    assert stopped["text"] == "OK, nothing was logged."
    [expired] = await presses(fake_api, again, "Yes, log again")
    assert expired["text"].startswith("That question has expired.")
    [sure] = await says(fake_api, "5")
    assert sure["text"] == "Log 5 miles?"
    [cancelled] = await says(fake_api, "Cancel")
    assert cancelled["text"] == "OK, nothing was logged."
    [expired] = await presses(fake_api, sure, "Yes, log it")
    assert expired["text"].startswith("That question has expired.")
    assert await family_totals(running_bot) == {"Emma": 1.0}
    assert await questions_kept(running_bot) == []


async def test_cancel_in_one_chat_leaves_another_chats_question_waiting(  # type: ignore[no-untyped-def]
        fake_api: FakeBotApi, running_bot) -> None:
    await says(fake_api, "/start kroc")
    await add_kid(fake_api, "Emma", "2", None)
    [sure] = await says(fake_api, "5")
    [nothing] = await says(fake_api, "/cancel", chat=OTHER)
    assert nothing["text"].startswith(NOTHING_TO_CANCEL)
    [logged] = await presses(fake_api, sure, "Yes, log it")
    assert logged["text"].startswith("✅ Logged 5 miles for Emma")
    assert await family_totals(running_bot) == {"Emma": 5.0}


async def test_no_cancel_button_hint_right_after_an_announcement_is_cancelled(  # type: ignore[no-untyped-def]
        fake_api: FakeBotApi, running_bot) -> None:
    await says(fake_api, "/start kroc", chat=ORGANIZER)
    await says(fake_api, "/announce", chat=ORGANIZER)
    [audience] = await says(fake_api, "Pizza party Friday!", chat=ORGANIZER)
    assert "Cancel" in labels(audience)
    [stopped] = await says(fake_api, "/cancel", chat=ORGANIZER)
    assert stopped["text"] == "OK, nothing was sent."
    [reply] = await says(fake_api, "cancel", chat=ORGANIZER)
    assert reply["text"].startswith(NOTHING_TO_CANCEL)
    assert CANCEL_BUTTON_HINT not in reply["text"]
    assert await questions_kept(running_bot, ORGANIZER) == []
