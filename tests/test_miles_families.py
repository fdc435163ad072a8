"""Three kinds of mile messages the parser used to misread, each read as a family of phrasings:
miles that were not run or walked, a running total told as if it were one day's miles, and
loops told as repeats ("round the block twice"). Today is Monday 23 November 2026.
"""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.miles import Reason, Rules, Why
from bot.texts.parsing import reason_text, to_json
from tests.test_miles import KIDS, TODAY, assert_sane, code, entries, parse

# --- the programs count miles run or walked ----------------------------------------------------

NOT_RUN = [
    ("cycled 3 miles", "bike"), ("Emma biked 3 miles", "bike"), ("Emma cycled 2 miles", "bike"),
    ("Jack rode his bike 5 miles", "bike"), ("Jack rode 5 miles", "ride"),
    ("Emma did 3 miles on her bike", "bike"), ("Jack 2 miles on his bike", "bike"),
    ("Emma 2 miles on the bicycle", "bike"), ("Jack 1 biking", "bike"),
    ("Emma 1 swimming", "swim"), ("🚴 Emma 3 miles", "bike"),
    ("Emma went for a 2 mile bike ride", "bike"), ("Jack did 4 miles cycling", "bike"),
    ("a mile in the pool", "swim"), ("swam 2 laps", "swim"), ("Emma swam a mile", "swim"),
    ("Jack swimming 1 mile", "swim"), ("rode his scooter 1 mile", "scooter"),
    ("Jack scootered 2 miles", "scooter"), ("Emma 1 mile on her scooter", "scooter"),
    ("Emma rollerbladed 2 miles", "skate"), ("Jack skated 1 mile", "skate"),
    ("Emma went rollerblading, 2 miles", "skate"), ("Jack 1 mile skateboarding", "skate"),
    ("Emma went horse riding for 2 miles", "horse"), ("Emma rode her pony 1 mile", "horse"),
    ("Jack kayaked 2 miles", "paddle"), ("Emma skied 3 miles", "ski"),
    ("Emma biked 2 miles yesterday", "bike"), ("Emma and Jack biked 3 miles", "bike"),
]


@pytest.mark.parametrize(("text", "activity"), NOT_RUN, ids=[t for t, _ in NOT_RUN])
def test_miles_not_run_or_walked_are_refused_with_the_reason_and_how_to_log_runs(
        text: str, activity: str) -> None:
    parsed = parse(text)
    assert (parsed.kind, code(parsed), parsed.claims) == ("rejected", Reason.NOT_COUNTED, ())
    assert parsed.reason is not None and parsed.reason.activity == activity
    words = reason_text(parsed) or ""
    assert "counts the miles kids run or walk" in words
    assert "ran 1 mile”" in words  # how to log what they did run or walk
    assert_sane(parsed)


def test_the_refusal_names_the_child_and_the_way_they_moved() -> None:
    parsed = parse("Emma biked 3 miles")
    assert parsed.reason == Why(Reason.NOT_COUNTED, ("Emma",), activity="bike")
    assert reason_text(parsed) == (
        "The program counts the miles kids run or walk, not bike rides. If Emma also ran or "
        "walked, send those miles, like “Emma ran 1 mile”.")


STILL_COUNTED = [
    ("Emma hiked 3 miles", "hike"), ("Jack ran 2 miles on the treadmill", "treadmill"),
    ("Emma jogged 1 mile", "jog"), ("Emma sprinted 4 laps", "run"),
    ("Jack walked the dog 1 mile", "walk"), ("Emma walked 2 miles with the dog", "walk"),
    ("Emma ran 2 miles on the bike path", "run"), ("Jack walked 1 mile on the bike trail", "walk"),
    ("Emma 2 miles on the treadmill", "treadmill"), ("Jack 1 mile at soccer", "soccer"),
    ("Emma walked 1 mile to the skate park", "walk"),
    ("Jack ran 2 miles past the bike shop", "run"),
    ("Emma ran 1 mile to the pool", None),
]


@pytest.mark.parametrize(("text", "activity"), STILL_COUNTED, ids=[t for t, _ in STILL_COUNTED])
def test_hiking_the_treadmill_jogging_and_walking_the_dog_still_count(
        text: str, activity: str | None) -> None:
    parsed = parse(text)
    if activity is None:  # running to the pool: run and swim both said, so asked first
        assert (parsed.kind, code(parsed)) == ("confirm", Reason.RUN_OR_RIDE)
        return
    assert (parsed.kind, parsed.reason) == ("log", None)
    assert [c.activity for c in parsed.claims] == [activity]


MIXED = [
    ("Emma ran 1 mile and biked 3", [("Emma", 1.0, TODAY)], ("Emma",)),
    ("Emma ran 1 mile, Jack biked 2", [("Emma", 1.0, TODAY)], ("Jack",)),
    ("Jack biked 3 miles and walked 1", [("Jack", 1.0, TODAY)], ("Jack",)),
    ("Emma 1 mile running, Jack 2 on his scooter", [("Emma", 1.0, TODAY)], ("Jack",)),
    ("Emma walked 2 miles. Jack swam 1 mile", [("Emma", 2.0, TODAY)], ("Jack",)),
    ("Jack 1 jog, Emma 2 bike ride", [("Jack", 1.0, TODAY)], ("Emma",)),
    ("Emma 1, Jack 2 scooter", [("Emma", 1.0, TODAY)], ("Jack",)),
]


@pytest.mark.parametrize(("text", "expected", "left_out"), MIXED, ids=[t for t, _, _ in MIXED])
def test_a_run_beside_a_ride_logs_the_run_and_says_the_ride_was_not_counted(
        text: str, expected: list[tuple[str, float, date]], left_out: tuple[str, ...]) -> None:
    parsed = parse(text)
    assert (parsed.kind, entries(parsed)) == ("log", expected)
    assert parsed.reason is not None and parsed.reason.code is Reason.PART_NOT_COUNTED
    assert parsed.reason.names == left_out
    assert f"I didn't count {left_out[0]}'s" in (reason_text(parsed) or "")
    assert to_json(parsed)["reason"] == reason_text(parsed)  # the CLI says so too


def test_an_unnamed_run_beside_a_ride_still_asks_which_child_and_says_what_was_left_out() -> None:
    parsed = parse("ran 1 mile and biked 3")
    assert (parsed.kind, code(parsed), entries(parsed)) == (
        "confirm", Reason.WHICH_CHILD, [(None, 1.0, TODAY)])
    assert reason_text(parsed) == ("Which child ran these miles: Emma or Jack? I didn't count "
                                   "the bike ride: the program counts the miles kids run or walk.")


@pytest.mark.parametrize("text", ["Jack walked his bike 2 miles", "Emma ran beside Jack's bike "
                                  "for 2 miles", "walked his bike 2 miles"])
def test_running_or_walking_beside_a_ride_is_asked_about_first(text: str) -> None:
    parsed = parse(text)
    assert (parsed.kind, code(parsed)) == ("confirm", Reason.RUN_OR_RIDE)
    assert (reason_text(parsed) or "").startswith("Were these miles run or walked?")
    assert_sane(parsed)


def test_the_question_names_the_children_when_the_message_does_not() -> None:
    assert reason_text(parse("walked his bike 2 miles")) == (
        "Were these miles run or walked? The program counts the miles kids run or walk, not "
        "bike rides. If so, who: Emma or Jack?")


@pytest.mark.parametrize("text", ["can Emma bike 2 miles?", "we will bike 3 miles tomorrow",
                                  "the bike path is 2 miles", "Emma wants to swim a mile"])
def test_plans_and_questions_about_rides_are_still_no_log(text: str) -> None:
    assert parse(text).kind == "not_a_log"


# --- a running total is checked, never logged as a day ----------------------------------------

TOTALS = [
    ("Jack's at 14 miles so far", "Jack", 14.0), ("Emma has done 10 miles total", "Emma", 10.0),
    ("that makes 20 for Jack", "Jack", 20.0), ("Emma is at 12 miles", "Emma", 12.0),
    ("Emma has run 12 miles so far!", "Emma", 12.0), ("Emma hit 10 miles total", "Emma", 10.0),
    ("Jack 14 miles so far", "Jack", 14.0), ("Emma's total is 14 miles", "Emma", 14.0),
    ("Emma now has 14 miles", "Emma", 14.0), ("Emma has 8 miles", "Emma", 8.0),
    ("Jack's up to 14 miles", "Jack", 14.0), ("Emma 14 miles total", "Emma", 14.0),
    ("14 miles for Emma so far", "Emma", 14.0), ("Emma has logged 14 miles", "Emma", 14.0),
    ("Emma has run 14 miles in total", "Emma", 14.0), ("Emma total 14", "Emma", 14.0),
    ("Jack has done 6 miles altogether", "Jack", 6.0), ("Jack reached 5 miles!", "Jack", 5.0),
    ("Emma made it to 14 miles", "Emma", 14.0), ("That brings Emma to 14 miles", "Emma", 14.0),
    ("Jack is now at 20 miles", "Jack", 20.0), ("Emma: 14 miles total so far", "Emma", 14.0),
    ("Emma is at 40 laps so far", "Emma", 10.0), ("Jack's at 4.5 miles so far", "Jack", 4.5),
    ("Emma has done 6 miles total 🎉", "Emma", 6.0),
]


@pytest.mark.parametrize(("text", "child", "total"), TOTALS, ids=[t for t, _, _ in TOTALS])
def test_a_running_total_is_asked_about_with_the_total_stated_never_logged_as_a_day(
        text: str, child: str, total: float) -> None:
    parsed = parse(text)
    assert (parsed.kind, code(parsed)) == ("confirm", Reason.RUNNING_TOTAL)
    assert entries(parsed) == [(child, total, TODAY)]
    assert f"That sounds like {child}'s total so far" in (reason_text(parsed) or "")
    assert_sane(parsed)


@pytest.mark.parametrize("text", ["we're up to 12 miles", "she's at 20 miles total",
                                  "we are at 12 miles so far"])
def test_a_running_total_without_a_name_leaves_the_child_to_the_family(text: str) -> None:
    parsed = parse(text)
    assert (parsed.kind, code(parsed)) == ("confirm", Reason.RUNNING_TOTAL)
    assert [c.child for c in parsed.claims] == [None]
    assert parsed.reason is not None and parsed.reason.names == KIDS
    assert entries(parse(text, children=("Emma",)))[0][0] == "Emma"


def test_a_total_for_two_children_named_is_a_claim_for_each() -> None:
    parsed = parse("Emma and Jack are at 10 miles each")
    assert (parsed.kind, code(parsed)) == ("confirm", Reason.RUNNING_TOTAL)
    assert entries(parsed) == [("Emma", 10.0, TODAY), ("Jack", 10.0, TODAY)]


@pytest.mark.parametrize("text", [
    "Jack's at 9 miles and Emma's at 4 miles so far", "Jack is at 9 miles so far, Emma is at 4",
    "Jack's at 9 miles and Emma's at 4", "Jack has 9 miles so far, Emma 4"])
def test_each_childs_own_total_is_their_claim_and_none_is_logged_as_a_day(text: str) -> None:
    parsed = parse(text)
    assert (parsed.kind, code(parsed)) == ("confirm", Reason.RUNNING_TOTAL)
    assert entries(parsed) == [("Jack", 9.0, TODAY), ("Emma", 4.0, TODAY)]


def test_the_cli_reports_a_running_total_as_confirm_with_the_total_as_the_entry() -> None:
    assert to_json(parse("Jack's at 14 miles so far")) == {
        "text": "Jack's at 14 miles so far", "kind": "confirm",
        "entries": [{"child": "Jack", "miles": 14.0, "date": "2026-11-23"}],
        "reason": "That sounds like Jack's total so far, not one day's miles: I'll compare it "
                  "with the miles logged."}


NOT_TOTALS = [
    ("Emma ran 2 miles, 14 total!", "log"), ("Emma ran 2 miles today, that makes 14", "log"),
    ("Emma has 5 miles left", "not_a_log"), ("only 3 miles to go!", "not_a_log"),
    ("Emma's goal is 25 miles", "not_a_log"), ("practice is at 3", "not_a_log"),
    ("Emma's practice is at 3", "not_a_log"), ("how many miles so far?", "not_a_log"),
    ("why is Jack at 12 miles", "not_a_log"), ("Emma wants to hit 20 miles", "not_a_log"),
    ("I'm at 14 miles so far", "not_a_log"), ("she runs 2 miles a day", "not_a_log"),
    ("Emma has biked 14 miles so far", "rejected"), ("Jack has 3 miles today", "log"),
    ("Emma ran 2 miles, she is at 14 miles now", "log"),
]


@pytest.mark.parametrize(("text", "kind"), NOT_TOTALS, ids=[t for t, _ in NOT_TOTALS])
def test_remainders_goals_plans_and_a_days_log_beside_a_total_are_not_running_totals(
        text: str, kind: str) -> None:
    parsed = parse(text)
    assert parsed.kind == kind
    assert code(parsed) is not Reason.RUNNING_TOTAL


# --- loops told as repeats ---------------------------------------------------------------------

LOOPS = [
    ("Jack went round the block twice", 0.5), ("Emma went around the block 3 times", 0.75),
    ("Jack ran twice around the track", 0.5), ("Emma 4 times round the track", 1.0),
    ("Jack did 2 loops of the block", 0.5), ("Emma ran the block five times", 1.25),
    ("Emma walked around the block once", 0.25), ("Jack ran around the track 8 times", 2.0),
    ("Emma did three laps of the block", 0.75), ("Jack walked round the block x3", 0.75),
    ("Emma ran 3x around the track", 0.75), ("Jack jogged the track twice", 0.5),
    ("Emma and I went round the block twice", 0.5), ("Emma did a loop of the track", 0.25),
    ("Jack ran around the school track 4 times", 1.0), ("Emma ran 4 laps around the field", 1.0),
    ("Emma walked around the block a couple of times", 0.5),
]


@pytest.mark.parametrize(("text", "miles"), LOOPS, ids=[t for t, _ in LOOPS])
def test_loops_told_as_repeats_are_blocks_or_laps_at_the_programs_distance(
        text: str, miles: float) -> None:
    parsed = parse(text)
    assert (parsed.kind, [c.miles for c in parsed.claims]) == ("log", [miles])
    assert len({c.child for c in parsed.claims}) == 1


def test_a_loop_is_as_long_as_the_programs_block_or_lap() -> None:
    rules = Rules(lap_miles=0.2, block_miles=0.1)
    assert entries(parse("Jack went round the block twice", rules=rules)) == [
        ("Jack", 0.2, TODAY)]
    assert entries(parse("Emma ran twice around the track", rules=rules)) == [
        ("Emma", 0.4, TODAY)]


def test_a_loop_without_a_name_asks_which_child_like_any_miles() -> None:
    parsed = parse("ran 3 times around the block")
    assert (parsed.kind, code(parsed), entries(parsed)) == (
        "confirm", Reason.WHICH_CHILD, [(None, 0.75, TODAY)])


UNKNOWN_LOOPS = [
    ("Jack ran round the park twice", "the park"),
    ("Emma walked 3 times around the lake", "the lake"),
    ("Emma did 2 loops of the playground", "the playground"),
    ("Jack ran around the neighborhood twice", "the neighborhood"),
    ("Emma ran 3 laps around the park", "the park"), ("Emma ran 3 loops", ""), ("Jack 1 loop", ""),
    ("Emma ran the loop twice", ""),
    # 2 miles a loop, or in all? Never logged as the 2 miles alone.
    ("Emma ran 2 miles around the lake twice", "the lake"),
    ("Emma ran 2 laps around the field twice", "the field"),
]


@pytest.mark.parametrize(("text", "place"), UNKNOWN_LOOPS, ids=[t for t, _ in UNKNOWN_LOOPS])
def test_a_loop_of_a_place_with_no_known_distance_asks_how_far(text: str, place: str) -> None:
    parsed = parse(text)
    assert (parsed.kind, code(parsed)) == ("rejected", Reason.UNKNOWN_LOOP)
    assert parsed.reason is not None and parsed.reason.place == place
    assert reason_text(parsed) == (
        f"How far is one loop{' of ' + place if place else ''}? I only know a track lap and a "
        f"city block, so send the miles, like “{text.split()[0]} ran 1.5 miles”.")


@pytest.mark.parametrize("text", [
    "can we go round the block twice?", "we'll walk round the block twice tomorrow",
    "she can't run round the block twice yet", "round the block twice a day is our goal",
    "Emma did the dishes twice", "Jack ran 2 times",
])
def test_plans_questions_and_other_repeats_are_no_log(text: str) -> None:
    assert parse(text).kind == "not_a_log"


REPEATED = [
    ("Emma ran a mile twice", 2.0), ("Jack ran 1 mile three times", 3.0),
    ("Emma ran 0.5 miles 3x", 1.5), ("Jack did the 1 mile loop twice", 2.0),
    ("Emma ran 2 laps twice", 1.0), ("Jack walked 2 blocks 3 times", 1.5),
    ("Emma ran 1 mile twice today", 2.0), ("Jack ran a mile a couple of times", 2.0),
]


@pytest.mark.parametrize(("text", "miles"), REPEATED, ids=[t for t, _ in REPEATED])
def test_a_known_distance_told_as_repeats_is_the_distance_times_the_count(
        text: str, miles: float) -> None:
    assert entries(parse(text)) == [(text.split()[0], miles, TODAY)]


@pytest.mark.parametrize(("text", "at_most"), [
    ("Emma ran 2 miles twice this week", 2.0),
    ("Emma ran 1 mile twice, once on Sunday and once today", 1.0)])
def test_repeats_on_other_days_are_never_all_logged_for_today(text: str, at_most: float) -> None:
    assert sum(c.miles for c in parse(text).claims if c.day == TODAY) <= at_most


def test_round_the_block_twice_is_never_two_miles() -> None:
    for text in ("went round the block twice", "Emma went round the block twice"):
        assert all(c.miles == 0.5 for c in parse(text).claims)


# --- every phrasing of a family, generated -----------------------------------------------------

COUNT_WORDS = {1: "once", 2: "twice", 3: "three times", 4: "4 times", 5: "5x"}
LOOP_ORDERS = ["{verb} round the {place} {times}", "{verb} {times} around the {place}",
               "{verb} the {place} {times}", "{verb} around the {place} {times}"]


@pytest.mark.parametrize("order", LOOP_ORDERS)
@pytest.mark.parametrize("verb", ["ran", "walked", "jogged", "went", "did"])
@pytest.mark.parametrize(("place", "unit"), [("block", 0.25), ("track", 0.2)])
def test_every_order_of_a_known_loop_is_its_count_of_blocks_or_laps(
        order: str, verb: str, place: str, unit: float) -> None:
    rules = Rules(lap_miles=0.2, block_miles=0.25)
    for n, times in COUNT_WORDS.items():
        if order.startswith("{verb} the") and verb == "went":
            continue  # "went the block twice" is not English
        text = "Emma " + order.format(verb=verb, place=place, times=times)
        parsed = parse(text, rules=rules)
        assert entries(parsed) == [("Emma", round(n * unit, 2), TODAY)], text


TOTAL_SAYINGS = ["{name}'s at {n} miles so far", "{name} has done {n} miles total",
                 "that makes {n} for {name}", "{name} is up to {n} miles",
                 "{name} has {n} miles", "{name} hit {n} miles!", "{n} miles so far for {name}",
                 "{name} has run {n} miles altogether", "{name} is now at {n} miles 🎉"]


@pytest.mark.parametrize("saying", TOTAL_SAYINGS)
def test_no_way_of_stating_a_total_logs_it_as_a_day(saying: str) -> None:
    for n in (1, 2.5, 9, 14, 24.75):
        for name in KIDS:
            parsed = parse(saying.format(name=name, n=n))
            assert (parsed.kind, code(parsed)) == ("confirm", Reason.RUNNING_TOTAL), saying
            assert entries(parsed) == [(name, float(n), TODAY)]


RIDES = ["biked {n} miles", "rode her bike {n} miles", "swam {n} laps", "did {n} miles on the "
         "scooter", "skated {n} miles", "cycled {n} km", "went {n} miles on rollerblades",
         "{n} miles biking"]


@pytest.mark.parametrize("ride", RIDES)
def test_no_ride_is_logged_alone_and_beside_a_run_only_the_run_is(ride: str) -> None:
    for n in (1, 2, 3.5):
        for name in KIDS:
            alone = parse(f"{name} {ride.format(n=n)}")
            assert (alone.kind, code(alone)) == ("rejected", Reason.NOT_COUNTED), alone.text
            mixed = parse(f"{name} ran 1 mile and {ride.format(n=n)}")
            assert (mixed.kind, entries(mixed)) == ("log", [(name, 1.0, TODAY)]), mixed.text
            assert mixed.reason is not None and mixed.reason.names == (name,)
