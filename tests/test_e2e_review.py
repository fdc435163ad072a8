"""End to end: organizers review the FAQ in the chat (/review) as they meet it, and the next
parent gets what they taught at once, with no restart."""

from __future__ import annotations

from typing import Any

from tests.chat import labels, presses, says
from tests.conftest import bot_running
from tests.fake_bot_api import FakeBotApi
from tests.test_e2e_help import ORGANIZER

THIRD_GRADER = "can my 3rd grader join"
GRADES = "What grades can take part in KROC?"


async def ask_and_pick(api: FakeBotApi, chat: int, text: str, label: str) -> None:
    """A family joins, asks, gets choices and picks one."""
    await says(api, "/start kroc", chat=chat)
    [choices] = await says(api, text, chat=chat)
    assert label in labels(choices), choices["text"]
    await presses(api, choices, label, chat=chat)


async def three_families_pick_grades(api: FakeBotApi) -> None:
    for chat in (501, 502, 503):
        await ask_and_pick(api, chat, THIRD_GRADER, GRADES)


async def review(api: FakeBotApi, replies: int) -> list[dict[str, Any]]:
    await says(api, "/start kroc", chat=ORGANIZER)
    return await says(api, "/review", chat=ORGANIZER, replies=replies)


async def edited(api: FakeBotApi, message: dict[str, Any], label: str) -> dict[str, Any]:
    """Press a button whose answer replaces its message; the message as edited."""
    before = len([c for c in api.calls if c.method == "editMessageText"])
    api.user_presses(ORGANIZER, message, label)
    await api.wait_until(lambda: len([c for c in api.calls
                                      if c.method == "editMessageText"]) > before)
    result: dict[str, Any] = [c for c in api.calls if c.method == "editMessageText"][-1].params
    return result["_result"]


def popups(api: FakeBotApi) -> list[str]:
    return [c.params["text"] for c in api.calls
            if c.method == "answerCallbackQuery" and c.params.get("text")]


async def test_an_organizer_accepts_a_candidate_with_one_tap_and_the_next_parent_is_answered(  # type: ignore[no-untyped-def]
        fake_api: FakeBotApi, running_bot) -> None:
    await three_families_pick_grades(fake_api)
    heading, candidate = await review(fake_api, replies=2)
    assert heading["text"].startswith("📝 FAQ review for KROC: 1 wording to accept or reject, "
                                      "0 groups of questions I couldn't answer.")
    assert candidate["text"].startswith(f"💬 “{THIRD_GRADER}”, asked by 3 families, who then "
                                        f"chose:\n❓ {GRADES}")
    assert labels(candidate) == ["✓ Accept", "✏️ Edit", "✗ Reject"]
    done = await edited(fake_api, candidate, "✓ Accept")
    assert done["text"] == (f"✓ Accepted: parents asking “{THIRD_GRADER}” now get the answer "
                            f"to “{GRADES}” outright.")
    assert labels(done) == []
    await says(fake_api, "/start kroc", chat=504)
    [answer] = await says(fake_api, THIRD_GRADER, chat=504)
    assert "available for kids grade K-8" in answer["text"]
    [heading] = await review(fake_api, replies=1)
    assert heading["text"].startswith("📝 Nothing to review for KROC")


async def test_an_organizer_edits_a_candidate_before_accepting_it(  # type: ignore[no-untyped-def]
        fake_api: FakeBotApi, running_bot) -> None:
    await three_families_pick_grades(fake_api)
    _heading, candidate = await review(fake_api, replies=2)
    [ask] = await presses(fake_api, candidate, "✏️ Edit", chat=ORGANIZER)
    assert ask["text"].startswith(f"✏️ Type “{THIRD_GRADER}” as parents would ask it")
    [done] = await says(fake_api, "can my 3rd grade kid join KROC", chat=ORGANIZER)
    assert done["text"].startswith("✓ Accepted: parents asking “can my 3rd grade kid join "
                                   "KROC” now get the answer")
    await says(fake_api, "/start kroc", chat=504)
    [answer] = await says(fake_api, "can my 3rd grade kid join KROC", chat=504)
    assert "available for kids grade K-8" in answer["text"]


async def test_a_rejected_candidate_is_not_proposed_again(  # type: ignore[no-untyped-def]
        fake_api: FakeBotApi, running_bot) -> None:
    await three_families_pick_grades(fake_api)
    _heading, candidate = await review(fake_api, replies=2)
    done = await edited(fake_api, candidate, "✗ Reject")
    assert done["text"] == f"✗ Rejected: I won't suggest “{THIRD_GRADER}” again."
    fake_api.user_presses(ORGANIZER, candidate, "✓ Accept")  # a double tap: a pop-up says so
    await fake_api.wait_until(lambda: bool(popups(fake_api)))
    assert popups(fake_api)[-1].startswith("That one was dealt with already")
    assert [c for c in fake_api.calls if c.method == "editMessageText"][-1].params["text"] == (
        done["text"])  # what the first tap said stays
    before, said = len(popups(fake_api)), len(fake_api.sent(ORGANIZER))
    fake_api.user_presses(ORGANIZER, candidate, "✏️ Edit")  # nothing left to edit
    await fake_api.wait_until(lambda: len(popups(fake_api)) > before)
    assert popups(fake_api)[-1].startswith("That one was dealt with already")
    assert len(fake_api.sent(ORGANIZER)) == said  # not asked to type anything
    [heading] = await review(fake_api, replies=1)
    assert heading["text"].startswith("📝 Nothing to review for KROC")


async def test_an_organizer_attaches_a_none_of_these_group_to_an_entry(  # type: ignore[no-untyped-def]
        fake_api: FakeBotApi, running_bot) -> None:
    water = "do they need a water bottle at practice"
    for chat in (501, 502):
        await ask_and_pick(fake_api, chat, water, "None of these")
    heading, group = await review(fake_api, replies=2)
    assert "1 group of questions I couldn't answer" in heading["text"]
    assert group["text"].startswith(f"❔ “{water}”, asked 2 times by 2 families")
    assert labels(group) == ["📎 Attach to an entry", "📝 Write a new entry", "🗑 Dismiss"]
    [topics] = await presses(fake_api, group, "📎 Attach to an entry", chat=ORGANIZER)
    assert labels(topics) == ["Race day", "Schools and coaches", "Registration and cost",
                              "For coaches"]
    entries = await edited(fake_api, topics, "Schools and coaches")
    assert "When and where are practices?" in labels(entries)
    assert labels(entries)[-1] == "« All topics"
    back = await edited(fake_api, entries, "« All topics")
    assert labels(back) == labels(topics)
    entries = await edited(fake_api, back, "Schools and coaches")
    done = await edited(fake_api, entries, "When and where are practices?")
    assert done["text"] == (f"📎 Attached: parents asking “{water}” now get the answer to "
                            "“When and where are practices?” outright (2 questions left the "
                            "review).")
    await says(fake_api, "/start kroc", chat=504)
    [answer] = await says(fake_api, water, chat=504)
    assert "contact your coach" in answer["text"]
    [heading] = await review(fake_api, replies=1)
    assert heading["text"].startswith("📝 Nothing to review for KROC")


async def test_an_organizer_dismisses_a_group_the_faq_should_not_answer(  # type: ignore[no-untyped-def]
        fake_api: FakeBotApi, running_bot) -> None:
    weather = "whats the weather tomorrow"
    for chat in (501, 502):
        await says(fake_api, "/start kroc", chat=chat)
        [reply] = await says(fake_api, weather, chat=chat)
        assert labels(reply) == [], reply["text"]  # nothing the FAQ could suggest
    _heading, group = await review(fake_api, replies=2)
    assert group["text"].startswith(f"❔ “{weather}”, asked 2 times by 2 families")
    assert "🗑 Dismiss if the FAQ should not answer it." in group["text"]
    # a parent pressing it (both in a family group, say) dismisses nothing
    [refused] = await presses(fake_api, group, "🗑 Dismiss", chat=ORGANIZER, user_id=501)
    assert refused["text"].startswith("Sorry, /review is for this program's organizers")
    _heading, group = await review(fake_api, replies=2)
    done = await edited(fake_api, group, "🗑 Dismiss")
    assert done["text"] == f"🗑 Dismissed: “{weather}” (2 questions) left the review."
    assert labels(done) == []
    fake_api.user_presses(ORGANIZER, group, "🗑 Dismiss")  # a double tap: a pop-up says so
    await fake_api.wait_until(lambda: bool(popups(fake_api)))
    assert popups(fake_api)[-1].startswith("That one was dealt with already")
    [heading] = await review(fake_api, replies=1)
    assert heading["text"].startswith("📝 Nothing to review for KROC")


async def test_an_organizer_writes_a_new_entry_and_a_parent_then_gets_it(  # type: ignore[no-untyped-def]
        fake_api: FakeBotApi, running_bot) -> None:
    await says(fake_api, "/start kroc")
    [sorry] = await says(fake_api, "where are the bathrooms at the venue")
    assert sorry["text"].startswith("Sorry, I don't have that answer.")
    _heading, group = await review(fake_api, replies=2)
    [ask] = await presses(fake_api, group, "📝 Write a new entry", chat=ORGANIZER)
    assert ask["text"].startswith("📝 A new FAQ entry, to answer “where are the bathrooms at "
                                  "the venue”. First, type its question")
    [ask] = await says(fake_api, "Where are the bathrooms on race day?", chat=ORGANIZER)
    assert ask["text"] == "Now type the answer to “Where are the bathrooms on race day?”."
    [topics] = await says(fake_api, "Restrooms are next to the start line, by the blue tent.",
                          chat=ORGANIZER)
    assert topics["text"].startswith("Which topic does it go under?")
    [preview] = await presses(fake_api, topics, "Race day", chat=ORGANIZER)
    assert preview["text"] == ("The new entry, under “Race day”:\n\n❓ Where are the bathrooms "
                               "on race day?\n\nRestrooms are next to the start line, by the "
                               "blue tent.")
    [added] = await presses(fake_api, preview, "✓ Add it", chat=ORGANIZER)
    assert added["text"] == ("✓ Added to the KROC FAQ under “Race day”: parents asking “Where "
                             "are the bathrooms on race day?” get its answer from now on. The "
                             "1 question it answers left the review.")
    await says(fake_api, "/start kroc", chat=504)
    [answer] = await says(fake_api, "where are the bathrooms at the venue", chat=504)
    assert "by the blue tent" in answer["text"]
    [topics] = await says(fake_api, "/faq", chat=504)  # browsing shows it too
    fake_api.user_presses(504, topics, "Race day")
    shown = await fake_api.wait_for_call("editMessageText")
    assert "Where are the bathrooms on race day?" in labels(shown.params["_result"])


async def test_a_new_entry_under_a_typed_topic_and_one_cancelled(  # type: ignore[no-untyped-def]
        fake_api: FakeBotApi, running_bot) -> None:
    [heading] = await review(fake_api, replies=1)
    assert labels(heading) == ["📝 Write a new entry"]
    [ask] = await presses(fake_api, heading, "📝 Write a new entry", chat=ORGANIZER)
    assert ask["text"].startswith("📝 A new FAQ entry.")
    await says(fake_api, "Do kids get a medal?", chat=ORGANIZER)
    await says(fake_api, "Yes: every finisher gets a medal.", chat=ORGANIZER)
    [preview] = await says(fake_api, "Medals and shirts", chat=ORGANIZER)
    assert preview["text"].startswith("The new entry, under “Medals and shirts”:")
    [typed] = await says(fake_api, "ok", chat=ORGANIZER)
    assert typed["text"] == "Please choose with the buttons above, or /cancel to stop."
    [added] = await presses(fake_api, preview, "✓ Add it", chat=ORGANIZER)
    assert added["text"].startswith("✓ Added to the KROC FAQ under “Medals and shirts”")
    await says(fake_api, "/start kroc")
    [answer] = await says(fake_api, "do kids get a medal")
    assert "every finisher gets a medal" in answer["text"]

    await presses(fake_api, heading, "📝 Write a new entry", chat=ORGANIZER)
    [cancelled] = await says(fake_api, "/cancel", chat=ORGANIZER)
    assert cancelled["text"] == "OK, nothing was changed. /review shows what is waiting."
    [answer] = await says(fake_api, "are there any snacks", chat=ORGANIZER)  # a question again
    assert not answer["text"].startswith("Now type the answer")


async def test_a_parent_typing_review_is_refused_politely(  # type: ignore[no-untyped-def]
        fake_api: FakeBotApi, running_bot) -> None:
    await three_families_pick_grades(fake_api)
    [refused] = await says(fake_api, "/review")
    assert refused["text"].startswith("Sorry, /review is for this program's organizers")
    _heading, candidate = await review(fake_api, replies=2)
    # a parent pressing the organizer's buttons (both in a family group, say) changes nothing
    parent = 501
    [refused] = await presses(fake_api, candidate, "✓ Accept", chat=ORGANIZER, user_id=parent)
    assert refused["text"].startswith("Sorry, /review is for this program's organizers")
    [refused] = await presses(fake_api, candidate, "✏️ Edit", chat=ORGANIZER, user_id=parent)
    assert refused["text"].startswith("Sorry, /review is for this program's organizers")
    [still] = await says(fake_api, "can my 3rd grade kid join KROC", chat=ORGANIZER,
                         user_id=parent)  # not taken as an edited wording
    assert not still["text"].startswith("✓ Accepted")
    [choices] = await says(fake_api, THIRD_GRADER, chat=503)
    assert labels(choices)[-1] == "None of these"  # not learned


async def test_not_what_i_asked_reaches_the_review(  # type: ignore[no-untyped-def]
        fake_api: FakeBotApi, running_bot) -> None:
    await says(fake_api, "/start kroc")
    [answer] = await says(fake_api, "can grandma come watch")
    await presses(fake_api, answer, "Not what I asked")
    _heading, group = await review(fake_api, replies=2)
    assert group["text"].startswith("❔ “can grandma come watch”, asked once by 1 family")
    assert ("Parents said my answer “Can family and friends come and watch?” was not what "
            "they asked.") in group["text"]


async def test_an_entry_begun_before_a_restart_is_finished_after_it(  # type: ignore[no-untyped-def]
        fake_api: FakeBotApi, settings, kbs) -> None:
    async with bot_running(fake_api, settings, kbs):
        [heading] = await review(fake_api, replies=1)
        await presses(fake_api, heading, "📝 Write a new entry", chat=ORGANIZER)
        await says(fake_api, "Do kids get a medal?", chat=ORGANIZER)
    async with bot_running(fake_api, settings, kbs):
        [topics] = await says(fake_api, "Yes: every finisher gets a medal.", chat=ORGANIZER)
        assert topics["text"].startswith("Which topic does it go under?")
        [preview] = await presses(fake_api, topics, "Race day", chat=ORGANIZER)
        [added] = await presses(fake_api, preview, "✓ Add it", chat=ORGANIZER)
        assert added["text"].startswith("✓ Added to the KROC FAQ under “Race day”")
    async with bot_running(fake_api, settings, kbs):
        await says(fake_api, "/start kroc")
        [answer] = await says(fake_api, "do kids get a medal")
        assert "every finisher gets a medal" in answer["text"]
