"""End to end: /history pages back through every entry, and 🗑 asks once before deleting."""

from __future__ import annotations

from typing import Any

from tests.chat import PARENT, labels, presses, says
from tests.fake_bot_api import FakeBotApi
from tests.test_e2e_conversations import questions_kept
from tests.test_e2e_miles import add_kid, family_totals


def edits(api: FakeBotApi) -> list[dict[str, Any]]:
    return [c.params["_result"] for c in api.calls if c.method == "editMessageText"]


async def turns_page(api: FakeBotApi, message: dict[str, Any], label: str) -> dict[str, Any]:
    """Press « Older or Newer » and return the /history message as it reads then."""
    before = len(edits(api))
    api.user_presses(PARENT, message, label)
    await api.wait_until(lambda: len(edits(api)) > before)
    return edits(api)[-1]


def entries(history: dict[str, Any]) -> list[str]:
    return [line for line in history["text"].splitlines() if line.startswith("• ")]


async def test_paging_through_25_entries_reaches_the_oldest_and_comes_back(  # type: ignore[no-untyped-def]
        fake_api, running_bot) -> None:
    await says(fake_api, "/start kroc")
    await add_kid(fake_api, "Emma", "2", None)
    for hundredths in range(1, 26):
        [logged] = await says(fake_api, f"/log {hundredths / 100}")
        assert logged["text"].startswith("✅ Logged"), logged["text"]
    [newest] = await says(fake_api, "/history")
    assert len(entries(newest)) == 10 and entries(newest)[0].endswith("0.25 miles")
    assert labels(newest)[-1] == "« Older" and "Newer »" not in labels(newest)
    middle = await turns_page(fake_api, newest, "« Older")
    assert middle["text"].startswith("Older miles, page 2 of 3")
    assert labels(middle)[-2:] == ["« Older", "Newer »"]
    oldest = await turns_page(fake_api, middle, "« Older")
    assert len(entries(oldest)) == 5 and entries(oldest)[-1].endswith("0.01 miles")
    assert labels(oldest)[-1] == "Newer »" and "« Older" not in labels(oldest)
    back = await turns_page(fake_api, oldest, "Newer »")
    assert back["text"] == middle["text"]


async def test_no_keep_deletes_nothing(fake_api, running_bot) -> None:  # type: ignore[no-untyped-def]
    await says(fake_api, "/start kroc")
    await add_kid(fake_api, "Emma", "2", None)
    await says(fake_api, "/log 1")
    [history] = await says(fake_api, "/history")
    [sure] = await presses(fake_api, history, labels(history)[0])
    assert sure["text"].startswith("Delete 1 mile for Emma on ")
    assert labels(sure) == ["Yes, delete it", "No, keep it"]
    [kept] = await presses(fake_api, sure, "No, keep it")
    assert kept["text"] == "OK, nothing was deleted."
    assert await family_totals(running_bot) == {"Emma": 1.0}


async def test_pressing_the_confirmation_twice_deletes_once(fake_api, running_bot) -> None:  # type: ignore[no-untyped-def]
    await says(fake_api, "/start kroc")
    await add_kid(fake_api, "Emma", "2", None)
    await says(fake_api, "/log 1")
    await says(fake_api, "/log 2")
    [history] = await says(fake_api, "/history")
    [sure] = await presses(fake_api, history, labels(history)[0])  # the newest: 2 miles
    [deleted] = await presses(fake_api, sure, "Yes, delete it")
    assert deleted["text"].startswith("🗑 Deleted 2 miles for Emma")
    [again] = await presses(fake_api, sure, "Yes, delete it")
    assert again["text"] == "That entry is already gone. /history shows what's logged."
    assert await family_totals(running_bot) == {"Emma": 1.0}


async def test_newer_typed_after_paging_is_answered_as_a_button_not_asked(  # type: ignore[no-untyped-def]
        fake_api, running_bot) -> None:
    await says(fake_api, "/start kroc")
    await add_kid(fake_api, "Emma", "2", None)
    for miles in range(1, 12):
        await says(fake_api, f"/log {miles / 100}")
    [newest] = await says(fake_api, "/history")
    older = await turns_page(fake_api, newest, "« Older")
    assert "Newer »" in labels(older)  # a button only the edited message has
    [reply] = await says(fake_api, "Newer")
    assert reply["text"].startswith("“Newer »” is a button: typing it doesn't press it.")
    assert "/history lists your entries" in reply["text"]
    assert await questions_kept(running_bot) == []
    assert await family_totals(running_bot) == {"Emma": 0.66}  # 0.01 + ... + 0.11
