"""End to end: an organizer reads the program's figures per school, in chat (text and chart)
and from the CLI (as CSV on standard output); a parent may not."""

from __future__ import annotations

import csv
import io

from tests.chat import says
from tests.fake_bot_api import FakeBotApi
from tests.test_e2e_coach import add_kid_in, cli
from tests.test_e2e_help import ORGANIZER

FAMILIES = ((501, "Emma", "Lincoln Elementary", "ran 6 miles"),
            (502, "Jack", "lincoln elementary", "ran 2 miles"),  # typed another way
            (503, "Lily", "Adams Elementary", "ran 1 mile"))


async def families_logged(api: FakeBotApi) -> None:
    for chat, name, school, miles in FAMILIES:
        await says(api, "/start kroc", chat=chat)
        await add_kid_in(api, chat, name, school)
        await says(api, miles, chat=chat)


async def test_an_organizer_reads_figures_per_school_in_chat_and_from_the_cli(  # type: ignore[no-untyped-def]
        fake_api: FakeBotApi, running_bot, cli_env) -> None:
    await families_logged(fake_api)
    await says(fake_api, "/start kroc", chat=ORGANIZER)
    text, chart = await says(fake_api, "/figures", chat=ORGANIZER, replies=2)
    assert text["text"].splitlines() == [
        "📊 KROC: 3 families, 3 children, 9 mi, 1 milestones",
        "• Lincoln Elementary: 2 families, 2 children, 8 mi, 1 milestones",
        "• Adams Elementary: 1 family, 1 child, 1 mi, 0 milestones"]
    assert chart["caption"] == "Miles by school" and chart["photo"]

    [refused] = await says(fake_api, "/figures")
    assert refused["text"] == "/figures is for this program's organizers."

    code, printed = await cli("figures", "--program", "kroc", "--csv", "-")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(printed)))
    assert [(r["school"], r["children"], r["miles"]) for r in rows] == [
        ("Lincoln Elementary", "2", "8.00"), ("Adams Elementary", "1", "1.00"),
        ("KROC", "3", "9.00")]
