"""End to end: what a parent sends before the chat has chosen a program is handled once it
has one, as it would have been: /addkid adds the child, miles are logged, questions answered.
Nothing of it ends up among the organizers' unanswered questions."""

from __future__ import annotations

from sqlalchemy import update

from storage.models import Chat
from tests.chat import PARENT, labels, presses, says
from tests.fake_bot_api import FakeBotApi
from tests.test_e2e_conversations import children, questions_kept
from tests.test_e2e_miles import add_kid, family_totals

KROC = "Kids Run the OC (KROC)"
PICK = "Which program is your child in?"


async def retire_the_program(app) -> None:  # type: ignore[no-untyped-def]
    """The chat's program went away: the family (children, miles) stays, the program is asked."""
    async with app.bot_data["services"].db.session() as session, session.begin():
        await session.execute(update(Chat).where(Chat.id == PARENT).values(program="retired"))


async def test_addkid_before_a_program_asks_the_name_once_the_program_is_pressed(  # type: ignore[no-untyped-def]
        fake_api: FakeBotApi, running_bot) -> None:
    [picker] = await says(fake_api, "/addkid")
    assert picker["text"] == PICK and KROC in labels(picker)
    welcome, ask_name = await presses(fake_api, picker, KROC, replies=2)
    assert welcome["text"].startswith(f"Welcome to {KROC}!")
    assert "/addkid" not in welcome["text"]  # the flow goes on at once: no "start with /addkid"
    assert ask_name["text"].startswith("Let's add your child! 👟 What's their first name?")
    [ask_grade] = await says(fake_api, "Emma")
    assert ask_grade["text"] == "Which grade is Emma in?"
    [ask_school] = await presses(fake_api, ask_grade, "2")
    [added] = await presses(fake_api, ask_school, "Skip")
    assert added["text"].startswith("✅ Emma (grade 2) is on your team!")
    assert await children(running_bot) == ["Emma"]
    assert await questions_kept(running_bot) == []


async def test_a_name_typed_before_the_program_is_pressed_is_the_childs(  # type: ignore[no-untyped-def]
        fake_api: FakeBotApi, running_bot) -> None:
    await says(fake_api, "/addkid")
    [picker] = await says(fake_api, "Emma")
    assert picker["text"] == "Thanks! First, which program is Emma in?"
    assert KROC in labels(picker)
    welcome, ask_grade = await presses(fake_api, picker, KROC, replies=2)
    assert welcome["text"].startswith(f"Welcome to {KROC}!")
    assert ask_grade["text"] == "Which grade is Emma in?"
    [ask_school] = await presses(fake_api, ask_grade, "3")
    [added] = await presses(fake_api, ask_school, "Skip")
    assert added["text"].startswith("✅ Emma (grade 3) is on your team!")
    assert await children(running_bot) == ["Emma"]
    assert await questions_kept(running_bot) == []


async def test_a_question_asked_after_addkid_is_answered_and_the_child_still_added(  # type: ignore[no-untyped-def]
        fake_api: FakeBotApi, running_bot) -> None:
    await says(fake_api, "/addkid Jack")
    [picker] = await says(fake_api, "how do i measure a route?")
    assert picker["text"] == PICK
    _welcome, answer, ask_grade = await presses(fake_api, picker, "Little Rockers Kids Marathon",
                                                replies=3)
    assert "A high school track is 1/4 mile around." in answer["text"]
    assert ask_grade["text"] == "Which grade is Jack in?"
    [ask_school] = await presses(fake_api, ask_grade, "K")
    assert "Which school" in ask_school["text"]
    [added] = await says(fake_api, "skip")
    assert added["text"].startswith("✅ Jack (Kindergarten) is on your team!")
    assert await questions_kept(running_bot) == ["how do i measure a route?"]


async def test_a_program_pressed_after_addkid_was_cancelled_only_joins(  # type: ignore[no-untyped-def]
        fake_api: FakeBotApi, running_bot) -> None:
    [picker] = await says(fake_api, "/addkid")
    [stopped] = await says(fake_api, "/cancel")
    assert stopped["text"] == "OK, stopped. Nothing was changed."
    [welcome] = await presses(fake_api, picker, KROC)
    assert welcome["text"].startswith(f"Welcome to {KROC}!")
    [kids] = await says(fake_api, "/kids")  # the next message: no name was asked in between
    assert kids["text"].startswith("No children on your list yet.")
    [reply] = await says(fake_api, "Emma")
    assert not reply["text"].startswith("Which grade")
    assert await children(running_bot) == []


async def test_miles_sent_before_a_program_are_logged_once_it_is_chosen(  # type: ignore[no-untyped-def]
        fake_api: FakeBotApi, running_bot) -> None:
    await says(fake_api, "/start kroc")
    await add_kid(fake_api, "Emma", "2", None)
    await retire_the_program(running_bot)
    [picker] = await says(fake_api, "Emma ran 2 miles")
    assert picker["text"] == PICK
    _welcome, logged = await presses(fake_api, picker, KROC, replies=2)
    assert logged["text"].startswith("✅ Logged 2 miles for Emma, today.")
    assert await family_totals(running_bot) == {"Emma": 2.0}
    assert await questions_kept(running_bot) == []


async def test_miles_sent_before_a_program_and_a_child_ask_for_the_child(  # type: ignore[no-untyped-def]
        fake_api: FakeBotApi, running_bot) -> None:
    [picker] = await says(fake_api, "Emma ran 2 miles")
    _welcome, who = await presses(fake_api, picker, KROC, replies=2)
    assert who["text"].startswith("Who's running? Add your child first with /addkid")
    assert await family_totals(running_bot) == {}
    assert await questions_kept(running_bot) == []


async def test_faq_with_a_question_before_a_program_is_asked_not_logged(  # type: ignore[no-untyped-def]
        fake_api: FakeBotApi, running_bot) -> None:
    await says(fake_api, "/start kroc")
    await add_kid(fake_api, "Emma", "2", None)
    await retire_the_program(running_bot)
    [picker] = await says(fake_api, "/faq 2 miles")
    _welcome, answer = await presses(fake_api, picker, KROC, replies=2)
    assert "Logged" not in answer["text"]
    assert await family_totals(running_bot) == {}
    assert await questions_kept(running_bot) == ["2 miles"]


async def test_cancel_lets_a_message_waiting_for_the_program_go(  # type: ignore[no-untyped-def]
        fake_api: FakeBotApi, running_bot) -> None:
    await says(fake_api, "/start kroc")
    await add_kid(fake_api, "Emma", "2", None)
    await retire_the_program(running_bot)
    [picker] = await says(fake_api, "Emma ran 2 miles")
    [cancelled] = await says(fake_api, "/cancel")
    assert cancelled["text"] == "OK, I'll let your last message go: nothing was logged or asked."
    [welcome] = await presses(fake_api, picker, KROC)
    assert welcome["text"].startswith(f"Welcome to {KROC}!")
    [kids] = await says(fake_api, "/kids")  # the next message: the miles were not handled
    assert "Emma" in kids["text"]
    assert await family_totals(running_bot) == {}
    assert await questions_kept(running_bot) == []


async def test_in_a_group_another_adult_may_press_the_program_and_the_name_still_counts(  # type: ignore[no-untyped-def]
        fake_api: FakeBotApi, running_bot) -> None:
    group, mom, dad = -100, 601, 602
    [picker] = await says(fake_api, "/addkid", chat=group, chat_type="group", user_id=mom)
    [welcome] = await presses(fake_api, picker, KROC, chat=group, user_id=dad)  # only joins
    assert welcome["text"].startswith(f"Welcome to {KROC}!")
    [ask_grade] = await says(fake_api, "Emma", chat=group, chat_type="group", user_id=mom)
    assert ask_grade["text"] == "Which grade is Emma in?"
    [ask_school] = await presses(fake_api, ask_grade, "2", chat=group, user_id=mom)
    [added] = await presses(fake_api, ask_school, "Skip", chat=group, user_id=mom)
    assert added["text"].startswith("✅ Emma (grade 2) is on your team!")
    assert await questions_kept(running_bot, group) == []
