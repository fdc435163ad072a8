"""End to end: a family adds children, logs miles in its own words, undoes, sees its progress."""

from __future__ import annotations

import asyncio
from typing import Any

from storage import children, families, mile_logs, repo
from tests.chat import PARENT, labels, presses, says, text_of
from tests.fake_bot_api import WAIT_SECONDS, FakeBotApi


async def add_kid(api: FakeBotApi, name: str, grade: str, school: str | None) -> dict[str, Any]:
    [ask_grade] = await says(api, f"/addkid {name}")
    assert labels(ask_grade)[:3] == ["K", "1", "2"]
    [ask_school] = await presses(api, ask_grade, grade)
    assert "Which school" in ask_school["text"]
    if school is None:
        [done] = await presses(api, ask_school, "Skip")
    else:
        [done] = await says(api, school)
    return done


async def moved_to(app, chat_id: int) -> None:  # type: ignore[no-untyped-def]
    """Wait (up to the usual reply wait) until the chat exists in storage."""
    db = app.bot_data["services"].db
    async with asyncio.timeout(WAIT_SECONDS):
        while True:
            async with db.session() as session:
                if await repo.get_chat(session, chat_id):
                    return
            await asyncio.sleep(0.01)


async def family_totals(app) -> dict[str, float]:  # type: ignore[no-untyped-def]
    db = app.bot_data["services"].db
    async with db.session() as session:
        family = await families.family_id(session, PARENT)
        if family is None:  # no child added yet
            return {}
        kids = {c.id: c.first_name for c in await children.children(session, family)}
        return {kids[k]: v / 100 for k, v in (await mile_logs.totals(session, family)).items()}


async def test_a_family_adds_two_children_and_logs_for_both_in_one_message(  # type: ignore[no-untyped-def]
        fake_api, running_bot) -> None:
    await says(fake_api, "/start little-rockers")
    [ask_name] = await says(fake_api, "/addkid")
    assert "first name" in ask_name["text"]
    [ask_grade] = await says(fake_api, "emma r.")
    assert ask_grade["text"] == "Which grade is Emma in?"
    [ask_school] = await presses(fake_api, ask_grade, "2")
    assert ask_school["text"] == "Which school does Emma go to? Type its name, or press Skip."
    [added] = await says(fake_api, "Lincoln Elementary")
    assert added["text"].startswith("✅ Emma R. (grade 2, Lincoln Elementary) is on your team!")
    added = await add_kid(fake_api, "Jack", "K", None)
    assert added["text"].startswith("✅ Jack (Kindergarten) is on your team!")
    [kids] = await says(fake_api, "/kids")
    assert "• Emma R. (grade 2, Lincoln Elementary)" in kids["text"]

    [logged] = await says(fake_api, "Emma 1 mile, Jack 2 🏃")
    assert "✅ Logged 1 mile for Emma R., today." in logged["text"]
    assert "✅ Logged 2 miles for Jack, today." in logged["text"]
    assert labels(logged) == ["↩️ Undo"]
    assert await family_totals(running_bot) == {"Emma": 1.0, "Jack": 2.0}

    [undone] = await presses(fake_api, logged, "↩️ Undo")
    assert undone["text"].startswith("↩️ Undone: 1 mile for Emma R., 2 miles for Jack.")
    assert await family_totals(running_bot) == {}


async def test_a_question_that_mentions_miles_is_answered_not_logged(  # type: ignore[no-untyped-def]
        fake_api, running_bot) -> None:
    await says(fake_api, "/start little-rockers")
    await add_kid(fake_api, "Emma", "2", None)
    [answer] = await says(fake_api, "can my kid run more than 1 mile a day?")
    assert "more than a mile per day, great!" in answer["text"]
    assert await family_totals(running_bot) == {}


async def test_miles_in_minutes_get_the_reason_and_a_question_about_minutes_the_faq(  # type: ignore[no-untyped-def]
        fake_api, running_bot) -> None:
    await says(fake_api, "/start little-rockers")
    await add_kid(fake_api, "Emma", "2", None)
    [refused] = await says(fake_api, "emma ran for 20 minutes")  # the FAQ would suggest
    assert refused["text"] == ("🤔 I count distance (miles, laps, blocks or km), not minutes. "
                               "Nothing was logged.")
    assert labels(refused) == []
    [answer] = await says(fake_api, "how many minutes should they run?")
    assert "not minutes" not in answer["text"] and "Nothing was logged" not in answer["text"]
    assert await family_totals(running_bot) == {}


async def test_unclear_child_is_asked_with_buttons_and_a_repeat_is_not_counted_twice(  # type: ignore[no-untyped-def]
        fake_api, running_bot) -> None:
    await says(fake_api, "/start kroc")
    await add_kid(fake_api, "Emma", "2", None)
    await add_kid(fake_api, "Jack", "3", None)
    [which] = await says(fake_api, "ran 4 laps yesterday")
    assert labels(which) == ["Emma", "Jack", "All of them", "Cancel"]
    [logged] = await presses(fake_api, which, "Jack")
    assert "✅ Logged 1 mile for Jack, yesterday." in logged["text"]
    [again] = await says(fake_api, "Jack ran 4 laps yesterday")
    assert again["text"].startswith("You logged exactly these miles a few minutes ago.")
    [no] = await presses(fake_api, again, "No, it was a repeat")
    assert no["text"] == "OK, nothing was logged."
    assert await family_totals(running_bot) == {"Jack": 1.0}


async def test_absurd_amounts_are_refused_with_the_reason(fake_api, running_bot) -> None:  # type: ignore[no-untyped-def]
    await says(fake_api, "/start kroc")
    await add_kid(fake_api, "Emma", "2", None)
    [refused] = await says(fake_api, "Emma ran 100 miles")
    assert "Nothing was logged." in refused["text"]
    await says(fake_api, "/log 6")
    [capped] = await says(fake_api, "/log 5")
    assert "more than the program's 10 miles a day" in capped["text"]
    assert await family_totals(running_bot) == {"Emma": 6.0}


async def test_progress_sends_the_colored_training_log_and_history_deletes(  # type: ignore[no-untyped-def]
        fake_api, running_bot) -> None:
    await says(fake_api, "/start little-rockers")
    await add_kid(fake_api, "Emma", "2", None)
    await says(fake_api, "/log 1.5")
    await says(fake_api, "Emma walked half a mile yesterday")
    [progress] = await says(fake_api, "/progress")
    assert "photo" in progress
    assert text_of(progress).startswith("Emma: 2 of 25.2 miles")
    photo = fake_api.calls[-1].params["photo"]
    assert photo[:8] == b"\x89PNG\r\n\x1a\n"
    [chart] = await presses(fake_api, progress, "📈 Emma's weekly miles")
    assert "photo" in chart and text_of(chart) == "Emma's miles per week"
    [history] = await says(fake_api, "/history")
    assert len(labels(history)) == 2
    [sure] = await presses(fake_api, history, labels(history)[0])
    [deleted] = await presses(fake_api, sure, "Yes, delete it")
    assert deleted["text"].startswith("🗑 Deleted 1.5 miles for Emma")
    [undo] = await says(fake_api, "/undo")
    assert undo["text"].startswith("↩️ Undone: 0.5 miles for Emma")
    assert await family_totals(running_bot) == {}


async def test_removing_and_renaming_a_child(fake_api, running_bot) -> None:  # type: ignore[no-untyped-def]
    await says(fake_api, "/start kroc")
    await add_kid(fake_api, "Emma", "2", None)
    await add_kid(fake_api, "Jack", "3", None)
    [kids] = await says(fake_api, "/kids")
    [ask] = await presses(fake_api, kids, "✏️ Jack")
    assert ask["text"].startswith("What should I call Jack")
    [renamed] = await says(fake_api, "Jackson T")
    assert renamed["text"] == "✅ Renamed: Jackson T. (grade 3)."
    [sure] = await presses(fake_api, kids, "🗑 Emma")
    [gone] = await presses(fake_api, sure, "Yes, remove Emma")
    assert gone["text"].startswith("Emma is off your list.")
    [kids] = await says(fake_api, "/kids")
    assert "Emma" not in kids["text"] and "Jackson T." in kids["text"]


async def test_an_edited_log_message_is_not_counted_again(fake_api, running_bot) -> None:  # type: ignore[no-untyped-def]
    await says(fake_api, "/start kroc")
    await add_kid(fake_api, "Emma", "2", None)
    await says(fake_api, "/log 1")
    fake_api.user_edits(PARENT, "/log 2")
    [kids] = await says(fake_api, "/kids")  # the edit was handled before this, in order
    assert "Emma" in kids["text"]
    assert await family_totals(running_bot) == {"Emma": 1.0}


async def test_walking_away_from_addkid_lets_questions_and_commands_through(  # type: ignore[no-untyped-def]
        fake_api, running_bot) -> None:
    await says(fake_api, "/start kroc")
    await add_kid(fake_api, "Emma", "2", None)
    await says(fake_api, "/addkid")
    [answer] = await says(fake_api, "can grandma come watch the race?")
    assert "Family and friends are welcome" in answer["text"]
    await says(fake_api, "/addkid")
    [kids] = await says(fake_api, "/kids")
    assert kids["text"].startswith("Your children:")
    [ask_grade] = await says(fake_api, "/addkid Jack")
    [ask_school] = await presses(fake_api, ask_grade, "3")
    assert "Which school" in ask_school["text"]
    added, logged = await says(fake_api, "Emma ran 1 mile", replies=2)
    assert added["text"].startswith("✅ Jack (grade 3) is on your team!")
    assert logged["text"].startswith("✅ Logged 1 mile for Emma, today.")


async def test_two_children_cannot_share_a_first_name(fake_api, running_bot) -> None:  # type: ignore[no-untyped-def]
    await says(fake_api, "/start kroc")
    await add_kid(fake_api, "Emma", "2", None)
    refused = await add_kid(fake_api, "Émma S.", "4", None)
    assert refused["text"].startswith("I couldn't add that child: Emma is already on your list")


async def test_undo_after_deleting_from_history_undoes_the_log_before(  # type: ignore[no-untyped-def]
        fake_api, running_bot) -> None:
    await says(fake_api, "/start kroc")
    await add_kid(fake_api, "Emma", "2", None)
    await says(fake_api, "/log 1")
    await says(fake_api, "/log 2")
    [history] = await says(fake_api, "/history")
    [sure] = await presses(fake_api, history, labels(history)[0])  # the newest: 2 miles
    await presses(fake_api, sure, "Yes, delete it")
    [undo] = await says(fake_api, "/undo")
    assert undo["text"].startswith("↩️ Undone: 1 mile for Emma.")
    assert await family_totals(running_bot) == {}


async def test_buttons_from_another_chat_or_with_junk_data_change_nothing(  # type: ignore[no-untyped-def]
        fake_api, running_bot) -> None:
    await says(fake_api, "/start kroc")
    await add_kid(fake_api, "Emma", "2", None)
    await add_kid(fake_api, "Jack", "3", None)
    [which] = await says(fake_api, "ran 2 miles")
    stranger = 999
    await says(fake_api, "/start kroc", chat=stranger)
    forged = next(b["callback_data"] for row in which["reply_markup"]["inline_keyboard"]
                  for b in row if b["text"] == "Emma")
    in_their_chat = {**which, "chat": {"id": stranger, "type": "private"}}
    for data in (forged, "del:²", "delyes:1", "undo:99999999999999999999", "chart:-1",
                 "kidremove:1:yes"):
        before = len(fake_api.sent(stranger))
        fake_api.user_presses_data(stranger, in_their_chat, data)
        [reply] = (await fake_api.wait_for_messages(stranger, before + 1))[before:]
        assert "Logged" not in reply["text"] and "Emma" not in reply["text"], data
    [logged] = await presses(fake_api, which, "Emma")  # the family's own button still works
    assert logged["text"].startswith("✅ Logged 2 miles for Emma, today.")


async def test_a_family_group_that_becomes_a_supergroup_keeps_its_children(  # type: ignore[no-untyped-def]
        fake_api, running_bot) -> None:
    group, supergroup, mom = -200, -1002000000000, 77
    in_group: dict[str, Any] = {"chat": group, "chat_type": "group", "user_id": mom}
    await says(fake_api, "/start kroc", **in_group)
    [ask_grade] = await says(fake_api, "/addkid Emma", **in_group)
    [ask_school] = await presses(fake_api, ask_grade, "2", chat=group, user_id=mom)
    [added] = await presses(fake_api, ask_school, "Skip", chat=group, user_id=mom)
    assert added["text"].startswith("✅ Emma (grade 2) is on your team!")
    fake_api.push({"message": {"message_id": 9000, "date": 0, "migrate_to_chat_id": supergroup,
                               "chat": {"id": group, "type": "group", "title": "Family"},
                               "from": {"id": mom, "is_bot": False, "first_name": "Mom"}}})
    await moved_to(running_bot, supergroup)  # chats run concurrently: wait for this one
    [kids] = await says(fake_api, "/kids", chat=supergroup, chat_type="supergroup", user_id=mom)
    assert "• Emma (grade 2)" in kids["text"]


async def test_reminders_can_be_turned_off_and_on(fake_api, running_bot) -> None:  # type: ignore[no-untyped-def]
    await says(fake_api, "/start kroc")
    [first] = await says(fake_api, "/reminders off")
    assert first["text"].startswith("Reminders are about your children's miles")
    await add_kid(fake_api, "Emma", "2", None)
    [off] = await says(fake_api, "/reminders off")
    assert off["text"].startswith("🔕 Reminders are off.")
    [on] = await says(fake_api, "/reminders on")
    assert on["text"] == "🔔 Reminders are on."
    [usage] = await says(fake_api, "/reminders")
    assert "/reminders off stops them" in usage["text"]


async def test_a_child_not_on_the_list_is_named_and_the_others_miles_offered(  # type: ignore[no-untyped-def]
        fake_api, running_bot) -> None:
    await says(fake_api, "/start kroc")
    await add_kid(fake_api, "Emma", "2", None)
    [ask] = await says(fake_api, "Emma and Lily walked a mile")
    assert ask["text"] == ("I don't know Lily (/addkid adds a child). Log these miles for Emma "
                           "only?")
    assert labels(ask) == ["Yes, log it", "No"]
    [logged] = await presses(fake_api, ask, "Yes, log it")
    assert logged["text"].startswith("✅ Logged 1 mile for Emma, today.")


async def test_miles_the_bot_cannot_read_for_one_child_are_asked_about_not_dropped(  # type: ignore[no-untyped-def]
        fake_api, running_bot) -> None:
    await says(fake_api, "/start kroc")
    await add_kid(fake_api, "Emma", "2", None)
    await add_kid(fake_api, "Jack", "K", None)
    [logged] = await says(fake_api, "Emma 1 mile, Jack 0.5 walking")
    assert "✅ Logged 1 mile for Emma, today" in logged["text"]
    assert "✅ Logged 0.5 miles for Jack, today" in logged["text"]
    [ask] = await says(fake_api, "Emma 1 mile, Jack 0.5 soccer")
    assert ask["text"] == "I couldn't read the miles for Jack. Log these miles for Emma only?"
    assert labels(ask) == ["Yes, log it", "No"]
    [again] = await presses(fake_api, ask, "Yes, log it")
    assert again["text"].startswith("✅ Logged 1 mile for Emma, today.")
    assert await family_totals(running_bot) == {"Emma": 2.0, "Jack": 0.5}


async def test_a_running_total_gets_the_real_total_and_a_button_for_the_missing_miles(  # type: ignore[no-untyped-def]
        fake_api, running_bot) -> None:
    await says(fake_api, "/start kroc")
    await add_kid(fake_api, "Emma", "2", None)
    await add_kid(fake_api, "Jack", "3", None)
    await says(fake_api, "Jack ran 6 miles yesterday")
    await says(fake_api, "Jack ran 5.5 miles")
    [offer] = await says(fake_api, "Jack's at 14 miles so far")
    assert offer["text"].startswith("Jack has 11.5 miles logged so far, 2.5 miles short of 14. "
                                    "Log the other 2.5 miles for today?")
    assert labels(offer) == ["Log 2.5 more for Jack", "No"]
    assert await family_totals(running_bot) == {"Jack": 11.5}  # nothing logged by itself
    [logged] = await presses(fake_api, offer, "Log 2.5 more for Jack")
    assert "✅ Logged 2.5 miles for Jack, today." in logged["text"]
    assert "Jack: 14 of 25.2 miles" in logged["text"]
    assert await family_totals(running_bot) == {"Jack": 14.0}
    [same] = await says(fake_api, "that makes 14 for Jack")
    assert same["text"] == "✅ Jack is up to date: 14 miles logged so far. Great work! 🎉"
    assert labels(same) == []
    [below] = await says(fake_api, "Jack has 12 miles total")
    assert below["text"].startswith("Jack has 14 miles logged so far, more than 12, so there's "
                                    "nothing to add.")
    assert labels(below) == []
    [which] = await says(fake_api, "we're up to 3 miles")
    assert which["text"].startswith("Which child is at 3 miles? Logged so far:\n"
                                    "• Emma: 0 miles (3 miles short)\n• Jack: 14 miles")
    assert labels(which) == ["Log 3 more for Emma", "No"]
    [no] = await presses(fake_api, which, "No")
    assert no["text"] == "OK, nothing was logged."
    assert await family_totals(running_bot) == {"Jack": 14.0}


async def test_a_bike_ride_is_refused_with_the_reason_and_a_run_beside_it_is_logged(  # type: ignore[no-untyped-def]
        fake_api, running_bot) -> None:
    await says(fake_api, "/start kroc")
    await add_kid(fake_api, "Emma", "2", None)
    await add_kid(fake_api, "Jack", "3", None)
    [refused] = await says(fake_api, "Jack rode his bike 5 miles")
    assert refused["text"] == (
        "🤔 The program counts the miles kids run or walk, not bike rides. If Jack also ran or "
        "walked, send those miles, like “Jack ran 1 mile”. Nothing was logged.")
    assert labels(refused) == []
    assert await family_totals(running_bot) == {}
    [mixed] = await says(fake_api, "Emma ran 1 mile and biked 3")
    assert mixed["text"].startswith(
        "✅ Logged 1 mile for Emma, today.\nI didn't count Emma's bike ride: the program counts "
        "the miles kids run or walk.\n\nEmma: 1 of 25.2 miles")
    [loops] = await says(fake_api, "Jack went round the block twice")
    assert loops["text"].startswith("✅ Logged 0.5 miles for Jack, today.")
    [park] = await says(fake_api, "Jack ran round the park twice")
    assert park["text"].startswith("🤔 How far is one loop of the park?")
    assert await family_totals(running_bot) == {"Emma": 1.0, "Jack": 0.5}
