"""End to end: organizers add schools to their program's list; /addkid offers them, and a
school typed with a typo counts as the listed one."""

from __future__ import annotations

from tests.chat import labels, presses, says
from tests.fake_bot_api import FakeBotApi
from tests.test_e2e_help import ORGANIZER


async def test_organizers_add_schools_and_a_typed_name_counts_as_the_listed_one(  # type: ignore[no-untyped-def]
        fake_api: FakeBotApi, running_bot) -> None:
    await says(fake_api, "/start kroc", chat=ORGANIZER)
    [empty] = await says(fake_api, "/schools", chat=ORGANIZER)
    assert empty["text"].startswith("KROC has no list of schools")
    [added] = await says(fake_api, "/addschool Lincoln Elementary", chat=ORGANIZER)
    assert added["text"].startswith("✅ Lincoln Elementary is on the list (1 schools)")
    await says(fake_api, "/addschool Adams Elementary", chat=ORGANIZER)
    [again] = await says(fake_api, "/addschool  lincoln ELEMENTARY", chat=ORGANIZER)
    assert again["text"] == "Lincoln Elementary is on the list already."

    await says(fake_api, "/start kroc")
    [refused] = await says(fake_api, "/addschool Oak Middle")
    assert refused["text"].startswith("Only this program's organizers add schools")
    [listed] = await says(fake_api, "/schools")
    assert listed["text"].splitlines()[1:] == ["• Lincoln Elementary", "• Adams Elementary"]

    [ask_grade] = await says(fake_api, "/addkid Emma")
    [ask_school] = await presses(fake_api, ask_grade, "2")
    assert labels(ask_school) == ["Lincoln Elementary", "Adams Elementary", "Other", "Skip"]
    [typed] = await presses(fake_api, ask_school, "Other")
    assert typed["text"] == "Type the school's name, please."
    [done] = await says(fake_api, "lincon elementry")
    assert done["text"].startswith("✅ Emma (grade 2, Lincoln Elementary) is on your team!")

    [ask_grade] = await says(fake_api, "/addkid Jack")
    [ask_school] = await presses(fake_api, ask_grade, "3")
    [done] = await presses(fake_api, ask_school, "Adams Elementary")
    assert done["text"].startswith("✅ Jack (grade 3, Adams Elementary) is on your team!")


async def test_announcing_to_a_school_offers_the_list_and_warns_of_no_recipients(  # type: ignore[no-untyped-def]
        fake_api: FakeBotApi, running_bot, cli_env) -> None:
    from tests.test_e2e_coach import cli

    await says(fake_api, "/start kroc", chat=ORGANIZER)
    await says(fake_api, "/addschool Lincoln Elementary", chat=ORGANIZER)
    await says(fake_api, "/announce", chat=ORGANIZER)
    [audience] = await says(fake_api, "Practice is on!", chat=ORGANIZER)
    [school] = await presses(fake_api, audience, "One school", chat=ORGANIZER)
    assert school["text"] == "Which school? Type its name: Lincoln Elementary."
    [preview] = await says(fake_api, "lincoln elem", chat=ORGANIZER)
    assert preview["text"].startswith("⚠️ No family would get this today.")
    assert "families of Lincoln Elementary (0 chats today)" in preview["text"]

    code, _ = await cli("announce", "--program", "kroc", "--school", "Lincoln Elementary",
                        "--text", "Practice is on!")
    assert code == 2  # nobody there yet: nothing was sent
