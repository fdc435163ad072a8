"""The logbook and the three families of mile messages: a running total is checked against the
child's real total (what is missing is offered on a button, never logged by itself), a bike
ride is refused, and a run beside a ride is logged with a word on the ride. SQLite and
PostgreSQL."""

import pytest

from bot.domain.log_results import (
    ChildTotal,
    Logged,
    NotLogged,
    Rejected,
    TotalCheck,
)
from bot.domain.logbook import Logbook
from bot.domain.miles import Reason, Why
from bot.domain.programs import Program
from bot.texts.totals import total_check
from storage import families, mile_logs
from storage.db import Database
from tests.test_logbook import family, logged, plain


async def totals(db: Database, chat_id: int = 1) -> dict[int, float]:
    async with db.session() as session:
        family_id = await families.family_id(session, chat_id)
        assert family_id is not None
        return {k: v / 100 for k, v in (await mile_logs.totals(session, family_id)).items()}


async def with_miles(db: Database, program: Program, *logs: str) -> Logbook:
    """Emma and Jack's family, with these messages logged."""
    await family(db, 1, "Emma", "Jack")
    logbook = Logbook(db, milestone_text=plain)
    for text in logs:
        assert isinstance(await logbook.log_message(program, 1, None, text), Logged), text
    return logbook


@pytest.mark.parametrize(("stated", "more", "offered"), [
    ("Jack's at 14 miles so far", 2.5, True), ("that makes 12 for Jack", 0.5, True),
    ("Jack is at 11.5 miles", 0.0, False), ("Jack has done 10 miles total", -1.5, False),
    ("Jack has 25 miles so far", 13.5, False),  # more than a day's miles: day by day
])
async def test_a_stated_total_is_answered_with_the_real_one_and_only_a_days_gap_is_offered(  # type: ignore[no-untyped-def]
        db: Database, programs, stated: str, more: float, offered: bool) -> None:
    program = programs["kroc"]
    logbook = await with_miles(db, program, "Jack ran 6 miles yesterday", "Jack ran 5.5 miles")
    before = await totals(db)
    check = await logbook.log_message(program, 1, None, stated)
    assert isinstance(check, TotalCheck)
    [row] = check.children
    assert (row.name, row.logged, row.more, check.named) == ("Jack", 11.5, more, True)
    assert (check.token is not None) == offered
    assert await totals(db) == before  # nothing is logged until the button


async def test_the_button_logs_the_missing_miles_for_today_and_the_total_then_matches(  # type: ignore[no-untyped-def]
        db: Database, programs) -> None:
    program = programs["kroc"]
    logbook = await with_miles(db, program, "Jack ran 6 miles yesterday", "Jack ran 5.5 miles")
    check = await logbook.log_message(program, 1, None, "Jack's at 14 miles so far")
    assert isinstance(check, TotalCheck) and check.token is not None
    done = await logbook.confirmed(program, 1, check.token, str(check.children[0].child_id))
    assert logged(done) == [("Jack", 2.5)]
    assert isinstance(done, Logged) and done.entries[0].day == logbook.today(program)
    assert [t.miles for t in done.totals] == [14.0]
    again = await logbook.log_message(program, 1, None, "Jack's at 14 miles so far")
    assert isinstance(again, TotalCheck) and again.children[0].more == 0
    assert again.token is None


async def test_no_on_the_offer_logs_nothing(  # type: ignore[no-untyped-def]
        db: Database, programs) -> None:
    program = programs["kroc"]
    logbook = await with_miles(db, program, "Jack ran 2 miles")
    check = await logbook.log_message(program, 1, None, "Jack's at 3 miles so far")
    assert isinstance(check, TotalCheck) and check.token is not None
    assert await logbook.confirmed(program, 1, check.token, "no") == NotLogged()
    assert sum((await totals(db)).values()) == 2.0


async def test_a_total_without_a_name_shows_each_child_and_the_family_picks_who(  # type: ignore[no-untyped-def]
        db: Database, programs) -> None:
    program = programs["kroc"]
    logbook = await with_miles(db, program, "Emma ran 3 miles", "Jack ran 1 mile")
    check = await logbook.log_message(program, 1, None, "we're up to 4 miles")
    assert isinstance(check, TotalCheck) and check.token is not None and not check.named
    emma, jack = check.children
    assert (emma, jack) == (ChildTotal(emma.child_id, "Emma", "Emma", 3.0, 1.0, 4.0),
                            ChildTotal(jack.child_id, "Jack", "Jack", 1.0, 3.0, 4.0))
    done = await logbook.confirmed(program, 1, check.token, str(jack.child_id))
    assert logged(done) == [("Jack", 3.0)]  # Jack's gap only, not Emma's too


async def test_a_total_for_two_named_children_checks_each(  # type: ignore[no-untyped-def]
        db: Database, programs) -> None:
    program = programs["kroc"]
    logbook = await with_miles(db, program, "Emma ran 3 miles", "Jack ran 1 mile")
    check = await logbook.log_message(program, 1, None, "Emma and Jack are at 3 miles each")
    assert isinstance(check, TotalCheck) and check.named and check.token is not None
    assert [(r.name, r.more) for r in check.children] == [("Emma", 0.0), ("Jack", 2.0)]
    done = await logbook.confirmed(program, 1, check.token, str(check.children[1].child_id))
    assert logged(done) == [("Jack", 2.0)]


async def test_a_bike_ride_is_refused_and_nothing_is_logged(  # type: ignore[no-untyped-def]
        db: Database, programs) -> None:
    program = programs["kroc"]
    logbook = await with_miles(db, program)
    result = await logbook.log_message(program, 1, None, "Emma biked 3 miles")
    assert result == Rejected(Why(Reason.NOT_COUNTED, ("Emma",), activity="bike"))
    assert await totals(db) == {}


async def test_a_run_beside_a_ride_logs_the_run_with_a_word_on_the_ride(  # type: ignore[no-untyped-def]
        db: Database, programs) -> None:
    program = programs["kroc"]
    logbook = await with_miles(db, program)
    result = await logbook.log_message(program, 1, None, "Emma ran 1 mile and biked 3")
    assert logged(result) == [("Emma", 1.0)]
    assert isinstance(result, Logged)
    assert result.note == Why(Reason.PART_NOT_COUNTED, ("Emma",), activity="bike")


async def test_two_totals_in_one_message_are_each_checked_for_their_own_child(  # type: ignore[no-untyped-def]
        db: Database, programs) -> None:
    program = programs["kroc"]
    logbook = await with_miles(db, program, "Emma ran 3 miles", "Jack ran 6 miles yesterday",
                               "Jack ran 6 miles")
    check = await logbook.log_message(program, 1, None,
                                      "Jack's at 14 miles and Emma's at 4 miles so far")
    assert isinstance(check, TotalCheck) and check.named and check.token is not None
    assert sorted((r.name, r.logged, r.more) for r in check.children) == [
        ("Emma", 3.0, 1.0), ("Jack", 12.0, 2.0)]
    jack = next(r for r in check.children if r.name == "Jack")
    done = await logbook.confirmed(program, 1, check.token, str(jack.child_id))
    assert logged(done) == [("Jack", 2.0)]


async def test_two_children_short_of_their_totals_can_both_be_logged_with_one_press(  # type: ignore[no-untyped-def]
        db: Database, programs) -> None:
    program = programs["kroc"]
    logbook = await with_miles(db, program, "Emma ran 3 miles", "Jack ran 1 mile")
    check = await logbook.log_message(program, 1, None, "Emma and Jack are at 4 miles each")
    assert isinstance(check, TotalCheck) and check.token is not None
    labels = {b.label: b.data for row in total_check(check).buttons for b in row}
    done = await logbook.confirmed(program, 1, check.token, labels["Log all of these"].choice)
    assert sorted(logged(done)) == [("Emma", 1.0), ("Jack", 3.0)]


@pytest.mark.parametrize("stated", ["Jack's at 4 miles so far", "Jack is at 4 miles so far",
                                    "Lily has 4 miles so far"])
async def test_a_total_of_a_child_the_family_has_not_added_is_never_offered_to_another(  # type: ignore[no-untyped-def]
        db: Database, programs, stated: str) -> None:
    program = programs["kroc"]
    await family(db, 1, "Emma")
    logbook = Logbook(db, milestone_text=plain)
    assert isinstance(await logbook.log_message(program, 1, None, "Emma ran 2 miles"), Logged)
    check = await logbook.log_message(program, 1, None, stated)
    assert isinstance(check, TotalCheck) and check.token is None
    reply = total_check(check)
    assert reply.text.startswith(f"I don't know {stated.split()[0].removesuffix(chr(39) + 's')}")
    assert "Log" not in " ".join(b.label for row in reply.buttons for b in row)


async def test_thats_a_total_is_the_only_childs(  # type: ignore[no-untyped-def]
        db: Database, programs) -> None:
    program = programs["kroc"]
    await family(db, 1, "Emma")
    logbook = Logbook(db, milestone_text=plain)
    check = await logbook.log_message(program, 1, None, "That's 3 miles so far")
    assert isinstance(check, TotalCheck) and check.unknown == ()
    assert [(r.name, r.more) for r in check.children] == [("Emma", 3.0)]
