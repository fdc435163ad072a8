"""End to end: what the bot tells a family, and an organizer, that it can do."""

from __future__ import annotations

import re
from typing import Any

from tests.chat import PARENT, presses, says
from tests.fake_bot_api import FakeBotApi

ORGANIZER = 777  # in ORGANIZER_IDS (tests/conftest.py)
FAMILY_FEATURES = ("/addkid", "“Emma ran 1 mile”", "“4 laps yesterday”", "/progress",
                   "/history", "/undo", "/kids", "/reminders", "/faq", "/program")
ORGANIZER_FEATURES = ("/announce", "/announcements", "finalmile announce", "finalmile export",
                      "finalmile faq unanswered")


def commands_named(text: str) -> set[str]:
    return set(re.findall(r"(?<![\w/])/([a-z]+)\b", text))


async def add_max(api: FakeBotApi) -> None:
    [ask_grade] = await says(api, "/addkid Max")
    [ask_school] = await presses(api, ask_grade, "3")
    await presses(api, ask_school, "Skip")


async def menu(api: FakeBotApi, chat_id: int | None = None) -> set[str]:
    """The commands Telegram offers in this chat's menu (the default menu for None)."""
    await api.wait_for_call("setMyCommands")
    calls = [c.params for c in api.calls if c.method == "setMyCommands"]
    scope = {"type": "chat", "chat_id": chat_id} if chat_id else None
    commands: list[dict[str, Any]] = next(c for c in calls if c.get("scope") == scope)["commands"]
    return {c["command"] for c in commands}


async def test_a_parents_help_shows_the_training_log_and_no_organizer_tools(  # type: ignore[no-untyped-def]
        fake_api, running_bot) -> None:
    await says(fake_api, "/start kroc")
    [help_] = await says(fake_api, "/help")
    for feature in FAMILY_FEATURES:
        assert feature in help_["text"], feature
    assert "adrienne@ocmarathon.com" in help_["text"]
    assert "/announce" not in help_["text"]
    assert "finalmile" not in help_["text"]


async def test_a_family_without_a_child_is_told_to_start_with_addkid(  # type: ignore[no-untyped-def]
        fake_api, running_bot) -> None:
    [welcome] = await says(fake_api, "/start kroc")
    assert "Start by adding your child: /addkid" in welcome["text"]
    [help_] = await says(fake_api, "/help")
    assert "Start by adding your child: /addkid" in help_["text"]


async def test_once_a_child_is_added_help_and_welcome_use_their_name(  # type: ignore[no-untyped-def]
        fake_api, running_bot) -> None:
    await says(fake_api, "/start kroc")
    await add_max(fake_api)
    [welcome] = await says(fake_api, "/start")
    assert welcome["text"].startswith("Welcome back to Kids Run the OC (KROC)!")
    assert "Start by adding" not in welcome["text"]
    assert "“Max ran 1 mile”" in welcome["text"]
    [help_] = await says(fake_api, "/help")
    assert "Start by adding" not in help_["text"]
    assert "/addkid: add another child" in help_["text"]
    assert "“Max ran 1 mile”" in help_["text"]


async def test_the_welcome_after_pressing_a_program_shows_the_family_features(  # type: ignore[no-untyped-def]
        fake_api, running_bot) -> None:
    [picker] = await says(fake_api, "/start")
    [welcome] = await presses(fake_api, picker, "Kids Run the OC (KROC)")
    for feature in FAMILY_FEATURES:
        assert feature in welcome["text"], feature
    assert "Start by adding your child: /addkid" in welcome["text"]
    assert "adrienne@ocmarathon.com" in welcome["text"]


async def test_an_organizers_help_adds_announcements_and_the_tools(  # type: ignore[no-untyped-def]
        fake_api, running_bot) -> None:
    await says(fake_api, "/start kroc", chat=ORGANIZER)
    [help_] = await says(fake_api, "/help", chat=ORGANIZER)
    for feature in FAMILY_FEATURES + ORGANIZER_FEATURES:
        assert feature in help_["text"], feature
    assert "--program kroc" in help_["text"]


async def test_an_organizer_in_a_family_group_gets_the_family_help(  # type: ignore[no-untyped-def]
        fake_api, running_bot) -> None:
    group = -100
    await says(fake_api, "/start kroc", chat=group, chat_type="group", user_id=ORGANIZER)
    [help_] = await says(fake_api, "/help", chat=group, chat_type="group", user_id=ORGANIZER)
    assert "/progress" in help_["text"]
    assert "/announce" not in help_["text"]


async def test_every_command_help_names_is_in_that_persons_menu(  # type: ignore[no-untyped-def]
        fake_api, running_bot) -> None:
    await says(fake_api, "/start kroc")
    [parent_help] = await says(fake_api, "/help")
    await says(fake_api, "/start kroc", chat=ORGANIZER)
    [organizer_help] = await says(fake_api, "/help", chat=ORGANIZER)
    family_menu, organizer_menu = await menu(fake_api), await menu(fake_api, ORGANIZER)
    assert commands_named(parent_help["text"]) == family_menu
    assert commands_named(organizer_help["text"]) == organizer_menu
    assert organizer_menu - family_menu == {"announce", "announcements", "roster", "invite",
                                               "figures", "review"}


async def test_what_can_you_do_is_answered_with_the_help(fake_api, running_bot) -> None:  # type: ignore[no-untyped-def]
    await says(fake_api, "/start kroc")
    [about] = await says(fake_api, "what can you do?")
    assert about["text"].startswith("I answer parents' questions about KROC.")
    for feature in FAMILY_FEATURES:
        assert feature in about["text"], feature


async def test_small_talk_points_to_logging_miles(fake_api, running_bot) -> None:  # type: ignore[no-untyped-def]
    await says(fake_api, "/start kroc", chat=PARENT)
    [hello] = await says(fake_api, "hi!")
    assert hello["text"].startswith("Hi! 👋")
    assert "ran 1 mile" in hello["text"]
    assert "/help" in hello["text"]
    [unknown] = await says(fake_api, "/launch_rockets")
    assert unknown["text"].startswith("I don't know that command.")
    assert "/progress" in unknown["text"]
