"""End to end: a would-be organizer learns their Telegram id with /whoami, whoever runs the bot
puts it in ORGANIZER_IDS, and after the restart they may announce."""

from __future__ import annotations

import re
import time

from tests.chat import PARENT, says
from tests.conftest import bot_running
from tests.fake_bot_api import FakeBotApi
from tests.test_e2e_help import menu

ORGANIZER = 777  # in ORGANIZER_IDS (tests/conftest.py)
GROUP = -100123
ANONYMOUS_ADMIN = 1087968824  # the user Telegram puts on a message an admin sends as the group


def id_in(text: str) -> int:
    found = re.search(r"Your Telegram id is (-?\d+)\.", text)
    assert found, text
    return int(found[1])


async def test_anyone_learns_their_telegram_id_even_before_choosing_a_program(  # type: ignore[no-untyped-def]
        fake_api, running_bot) -> None:
    [who] = await says(fake_api, "/whoami")
    assert id_in(who["text"]) == PARENT
    assert "give this number to the person who runs this bot" in who["text"]
    assert "ORGANIZER_IDS" in who["text"]
    assert "group" not in who["text"]
    assert "whoami" in await menu(fake_api)


async def test_in_a_group_whoami_gives_the_senders_id_and_the_groups(  # type: ignore[no-untyped-def]
        fake_api, running_bot) -> None:
    [who] = await says(fake_api, "/whoami@FinalMileBot", chat=GROUP, chat_type="group",
                       user_id=888)
    assert id_in(who["text"]) == 888
    assert f"This group's id is {GROUP}." in who["text"]


async def test_an_organizer_is_told_they_are_one(fake_api, running_bot) -> None:  # type: ignore[no-untyped-def]
    [who] = await says(fake_api, "/whoami", chat=ORGANIZER)
    assert id_in(who["text"]) == ORGANIZER
    assert "You're one of the organizers already" in who["text"]
    assert "To become an organizer" not in who["text"]


async def test_an_admin_writing_as_the_group_is_not_given_a_stand_ins_id(  # type: ignore[no-untyped-def]
        fake_api, running_bot) -> None:
    chat = {"id": GROUP, "type": "supergroup", "title": "Lincoln runners"}
    fake_api.push({"message": {
        "message_id": 1, "date": int(time.time()), "chat": chat, "sender_chat": chat,
        "from": {"id": ANONYMOUS_ADMIN, "is_bot": True, "first_name": "Group",
                 "username": "GroupAnonymousBot"},
        "text": "/whoami", "entities": [{"type": "bot_command", "offset": 0, "length": 7}]}})
    [who] = await fake_api.wait_for_messages(GROUP, 1)
    assert str(ANONYMOUS_ADMIN) not in who["text"]
    assert who["text"].startswith("I can't see your own Telegram id")
    assert "/whoami in a private chat" in who["text"]
    assert f"This group's id is {GROUP}." in who["text"]


async def test_the_id_whoami_gives_is_the_one_organizer_ids_goes_by(  # type: ignore[no-untyped-def]
        fake_api: FakeBotApi, settings, kbs) -> None:
    someone = 5150
    async with bot_running(fake_api, settings, kbs):
        await says(fake_api, "/start kroc", chat=someone)
        [refused] = await says(fake_api, "/announce", chat=someone)
        assert "(/whoami shows it)" in refused["text"]
        [who] = await says(fake_api, "/whoami", chat=someone)
    organizers = settings.organizer_ids | {id_in(who["text"])}
    async with bot_running(fake_api, settings.model_copy(update={"organizer_ids": organizers}),
                           kbs):
        [ask] = await says(fake_api, "/announce", chat=someone)
        assert ask["text"].startswith("📣 What should the announcement to KROC families say?")
