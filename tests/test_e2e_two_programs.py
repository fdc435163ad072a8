"""End to end: children belong to a program. A family in two programs sees each program's
children, progress and export on its own, and hears each program's announcements; "both" with
three children asks which two."""

from __future__ import annotations

from storage import announcements, program_miles
from tests.chat import labels, presses, says
from tests.fake_bot_api import FakeBotApi
from tests.test_e2e_conversations import children
from tests.test_e2e_miles import add_kid, family_totals


async def exported(app, program: str) -> list[tuple[str, int]]:  # type: ignore[no-untyped-def]
    async with app.bot_data["services"].db.session() as session:
        rows = await program_miles.export_rows(session, program)
    return [(r.child.name, r.total_hundredths) for r in rows]


async def test_a_family_in_two_programs_sees_the_right_children_in_each(  # type: ignore[no-untyped-def]
        fake_api: FakeBotApi, running_bot) -> None:
    await says(fake_api, "/start kroc")
    await add_kid(fake_api, "Emma", "2", None)
    [logged] = await says(fake_api, "ran 2 miles")
    assert logged["text"].startswith("✅ Logged 2 miles for Emma")

    [welcome] = await says(fake_api, "/program little-rockers")
    assert "Start by adding your child: /addkid" in welcome["text"]  # Emma is KROC's
    [kids] = await says(fake_api, "/kids")
    assert "Emma" not in kids["text"]
    await add_kid(fake_api, "Jack", "K", None)
    [logged] = await says(fake_api, "ran 1 mile")  # Jack is this program's only child
    assert logged["text"].startswith("✅ Logged 1 mile for Jack")
    assert await children(running_bot) == ["Jack"]
    assert await family_totals(running_bot) == {"Jack": 1.0}

    [welcome] = await says(fake_api, "/program kroc")
    assert "Emma" in welcome["text"] and "Jack" not in welcome["text"]
    [logged] = await says(fake_api, "walked half a mile")
    assert logged["text"].startswith("✅ Logged 0.5 miles for Emma")
    assert await family_totals(running_bot) == {"Emma": 2.5}
    [history] = await says(fake_api, "/history")
    assert "Emma" in history["text"] and "Jack" not in history["text"]

    assert await exported(running_bot, "kroc") == [("Emma", 250)]
    assert await exported(running_bot, "little-rockers") == [("Jack", 100)]
    async with running_bot.bot_data["services"].db.session() as session:
        for program in ("kroc", "little-rockers"):  # the family hears from both programs
            assert await announcements.recipients(session, program) == [501]


async def test_both_with_three_children_asks_which_two(  # type: ignore[no-untyped-def]
        fake_api: FakeBotApi, running_bot) -> None:
    await says(fake_api, "/start kroc")
    for name in ("Emma", "Jack", "Lily"):
        await add_kid(fake_api, name, "2", None)
    [which] = await says(fake_api, "both kids walked half a mile")
    assert which["text"].startswith("Which two ran these miles: Emma, Jack or Lily?")
    assert labels(which) == ["Emma & Jack", "Emma & Lily", "Jack & Lily", "All of them",
                             "Cancel"]
    assert await family_totals(running_bot) == {}
    [logged] = await presses(fake_api, which, "Emma & Lily")
    assert "Emma" in logged["text"] and "Lily" in logged["text"]
    assert await family_totals(running_bot) == {"Emma": 0.5, "Lily": 0.5}


async def test_both_with_two_children_logs_both(  # type: ignore[no-untyped-def]
        fake_api: FakeBotApi, running_bot) -> None:
    await says(fake_api, "/start kroc")
    for name in ("Emma", "Jack"):
        await add_kid(fake_api, name, "2", None)
    await says(fake_api, "both kids walked half a mile")
    assert await family_totals(running_bot) == {"Emma": 0.5, "Jack": 0.5}


async def test_undo_takes_back_this_programs_last_log_only(  # type: ignore[no-untyped-def]
        fake_api: FakeBotApi, running_bot) -> None:
    await says(fake_api, "/start kroc")
    await add_kid(fake_api, "Emma", "2", None)
    await says(fake_api, "ran 2 miles")
    await says(fake_api, "/program little-rockers")
    await add_kid(fake_api, "Jack", "K", None)
    [undone] = await says(fake_api, "/undo")  # nothing logged in this program yet
    assert "Emma" not in undone["text"]
    await says(fake_api, "/program kroc")
    assert await family_totals(running_bot) == {"Emma": 2.0}
