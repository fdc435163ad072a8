"""End to end, a coach's journey: an organizer's invite link (the CLI's last line), the coach
opens it and becomes coach of one school, /roster shows that school's children only, and the
link works once."""

from __future__ import annotations

import asyncio
import io

import pytest

from bot.cli import main
from bot.config import Settings
from tests.chat import presses, says
from tests.fake_bot_api import FakeBotApi
from tests.test_e2e_miles import add_kid

COACH, OTHER_FAMILY = 700, 502


async def cli(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = await asyncio.to_thread(main, list(args), stdout=out)
    return code, out.getvalue()


async def test_an_invited_coach_sees_their_schools_roster_only(  # type: ignore[no-untyped-def]
        fake_api: FakeBotApi, running_bot, cli_env) -> None:
    await says(fake_api, "/start kroc")
    await add_kid(fake_api, "Emma", "2", "Lincoln Elementary")
    await says(fake_api, "ran 2 miles")
    await says(fake_api, "/start kroc", chat=OTHER_FAMILY)
    await add_kid_in(fake_api, OTHER_FAMILY, "Jack", "Adams Elementary")

    code, printed = await cli("invite", "--program", "kroc", "--school",
                              "Lincoln Elementary", "--role", "coach")
    assert code == 0
    link = printed.strip().splitlines()[-1]
    assert link.startswith("https://t.me/FinalMileBot?start=join-")
    payload = link.split("?start=")[1]
    assert len(payload) <= 64 and payload.replace("-", "").replace("_", "").isalnum()

    [welcome] = await says(fake_api, f"/start {payload}", chat=COACH)
    assert welcome["text"].startswith("Welcome, coach! 👟 You coach Lincoln Elementary in "
                                      "Kids Run the OC")  # and the chat is in that program
    [roster] = await says(fake_api, "/roster", chat=COACH)
    assert roster["text"].startswith("📋 Lincoln Elementary: 1 child")
    assert "Emma (grade 2): 2 of 25.2 mi" in roster["text"] and "Jack" not in roster["text"]

    [long] = await says(fake_api, "/notice " + "Rain! " * 1000, chat=COACH)
    assert long["text"].startswith("That's 5,999 characters, and one Telegram message holds")
    [sent] = await says(fake_api, "/notice Rain delay: practice moves to Thursday.",
                        chat=COACH)
    assert sent["text"] == ("📣 Sent to the 1 family of Lincoln Elementary. A delivery report "
                            "follows.")
    parent_before = len(fake_api.sent(501))
    await fake_api.wait_until(lambda: any(
        m["text"] == "Rain delay: practice moves to Thursday." for m in fake_api.sent(501)))
    await fake_api.wait_until(lambda: any("is out" in m["text"] for m in fake_api.sent(COACH)))
    [report] = [m for m in fake_api.sent(COACH) if "is out" in m["text"]]
    assert report["text"].startswith("📣 Your announcement “Rain delay: practice moves to "
                                     "Thursday.” to")
    assert "is out: 1 sent, 0 blocked the bot, 0 failed." in report["text"]
    assert not any("Rain delay" in m["text"] for m in fake_api.sent(OTHER_FAMILY))
    assert len(fake_api.sent(501)) == parent_before + 1  # once

    [later] = await says(fake_api, "/notice at tomorrow 6:30am\nNo practice: the field is wet.",
                         chat=COACH)
    assert later["text"].startswith("🕒 Scheduled for the families of Lincoln Elementary at ")
    assert later["text"].endswith("6:30 AM. A delivery report follows then.")
    scheduled = await running_bot.bot_data["services"].announcing.scheduled("kroc")
    assert [(a.text, a.school) for a in scheduled] == [
        ("No practice: the field is wet.", "Lincoln Elementary")]
    [past] = await says(fake_api, "/notice at yesterday 6:30am\nToo late.", chat=COACH)
    assert past["text"].startswith("I couldn't read that time, or it has passed.")

    [shared] = await says(fake_api, "/contact Coach Kim, kim@lincoln.org. Practice Tue & Thu "
                          "3:15 at the back field.", chat=COACH)
    assert shared["text"].startswith("✅ Families of Lincoln Elementary asking who their coach")
    coach_line = ("👟 Your coach at Lincoln Elementary: Coach Kim, kim@lincoln.org. Practice "
                  "Tue & Thu 3:15 at the back field.")
    for question in ("who is our coach, how do i reach them?", "rain delay?"):
        [answer] = await says(fake_api, question)
        assert answer["text"].endswith(coach_line), question  # on top of the FAQ's wording
        [other] = await says(fake_api, question, chat=OTHER_FAMILY)  # Adams: no coach yet
        assert "👟" not in other["text"] and other["text"].startswith("❓")
    [off] = await says(fake_api, "/contact off", chat=COACH)
    assert off["text"] == "OK, I no longer share a contact for Lincoln Elementary."
    [answer] = await says(fake_api, "rain delay?")
    assert "👟" not in answer["text"]

    [again] = await says(fake_api, f"/start {payload}", chat=COACH + 1)  # used: once only
    assert again["text"].startswith("This invite link has expired or was used already")
    [parent] = await says(fake_api, "/roster")
    assert parent["text"].startswith("/roster is for the program's coaches and organizers")


async def add_kid_in(api: FakeBotApi, chat: int, name: str, school: str) -> None:
    [ask_grade] = await says(api, f"/addkid {name}", chat=chat)
    await presses(api, ask_grade, "3", chat=chat)
    await says(api, school, chat=chat)


async def test_the_cli_refuses_an_unknown_program_and_a_coach_without_a_school(  # type: ignore[no-untyped-def]
        settings: Settings, cli_env, capsys: pytest.CaptureFixture[str]) -> None:
    assert (await cli("invite", "--program", "marathon-of-doom", "--role", "organizer"))[0] == 2
    assert "There is no program “marathon-of-doom”" in capsys.readouterr().err
    assert (await cli("invite", "--program", "kroc", "--role", "coach"))[0] == 2
    assert "needs --school" in capsys.readouterr().err


async def test_an_invited_organizer_announces_in_their_own_program_only(  # type: ignore[no-untyped-def]
        fake_api: FakeBotApi, running_bot, cli_env) -> None:
    organizer = 800
    code, printed = await cli("invite", "--program", "little-rockers", "--role", "organizer")
    assert code == 0
    payload = printed.strip().splitlines()[-1].split("?start=")[1]
    [welcome] = await says(fake_api, f"/start {payload}", chat=organizer)
    assert welcome["text"].startswith("Welcome! You're now an organizer of Little Rockers")
    [write] = await says(fake_api, "/announce", chat=organizer)
    assert "What should the announcement to Little Rockers families say?" in write["text"]
    await says(fake_api, "/cancel", chat=organizer)
    await says(fake_api, "/program kroc", chat=organizer)
    [refused] = await says(fake_api, "/announce", chat=organizer)
    assert refused["text"].startswith("Sorry, announcements are for this program's organizers")
    [invite] = await says(fake_api, "/invite coach Lincoln", chat=organizer)  # not in KROC
    assert invite["text"].startswith("Only the program's organizers can invite")


async def test_an_organizer_cannot_send_to_another_program_by_switching_mid_announcement(  # type: ignore[no-untyped-def]
        fake_api: FakeBotApi, running_bot, cli_env) -> None:
    await says(fake_api, "/start kroc")
    await add_kid(fake_api, "Emma", "2", "Lincoln Elementary")
    organizer = 800
    _, printed = await cli("invite", "--program", "little-rockers", "--role", "organizer")
    await says(fake_api, f"/start {printed.strip().splitlines()[-1].split('?start=')[1]}",
               chat=organizer)
    await says(fake_api, "/announce", chat=organizer)
    [audience] = await says(fake_api, "A message for Little Rockers", chat=organizer)
    # A program button (from an older /program message) switches the chat, the flow open.
    before = len(fake_api.sent(organizer))
    fake_api.user_presses_data(organizer, audience, "program:kroc")
    await fake_api.wait_for_messages(organizer, before + 1)
    [preview] = await presses(fake_api, audience, "Everyone in Little Rockers", chat=organizer)
    [refused] = await presses(fake_api, preview, "Send now", chat=organizer)
    assert refused["text"].startswith("This chat switched program since /announce started")
    await says(fake_api, "/help")  # the family's next message: nothing came before it
    assert not any("Little Rockers" in m["text"] for m in fake_api.sent(501))


async def test_a_coach_is_invited_to_a_school_as_the_program_lists_it(  # type: ignore[no-untyped-def]
        fake_api: FakeBotApi, running_bot, cli_env, capsys: pytest.CaptureFixture[str]) -> None:
    await says(fake_api, "/start kroc", chat=777)  # an organizer of ORGANIZER_IDS
    await says(fake_api, "/addschool Lincoln Elementary", chat=777)
    code, printed = await cli("invite", "--program", "kroc", "--school", "lincoln elem",
                              "--role", "coach")
    assert code == 0 and "coach of Lincoln Elementary" in printed
    assert (await cli("invite", "--program", "kroc", "--school", "Oak Middle",
                      "--role", "coach"))[0] == 2
    assert "not one of the program's schools: Lincoln Elementary" in capsys.readouterr().err
