"""Logging miles by chat: what families type, and what the bot makes of it.

Every case is a message as a parent or a kid would send it, with what should happen: logged for
which child, how far and on which day; asked about first; refused with a reason; or left alone.
Today is Monday 23 November 2026 throughout.
"""

from __future__ import annotations

import json
import math
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.miles import DEFAULT_RULES, Claim, Parsed, Reason, Rules, Why, parse_miles
from bot.texts.parsing import reason_text, to_json

TODAY = date(2026, 11, 23)  # a Monday
KIDS = ("Emma", "Jack")


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


Y = ago(1)


def parse(text: str, children: tuple[str, ...] = KIDS, **kw: object) -> Parsed:
    return parse_miles(text, today=TODAY, children=children, **kw)  # type: ignore[arg-type]


def entries(parsed: Parsed) -> list[tuple[str | None, float, date]]:
    return [(c.child, c.miles, c.day) for c in parsed.claims]


def code(parsed: Parsed) -> Reason | None:
    return parsed.reason.code if parsed.reason else None


def assert_sane(parsed: Parsed, children: tuple[str, ...] = KIDS) -> None:
    """What must hold for any message at all."""
    assert parsed.kind in ("log", "not_a_log", "rejected", "confirm")
    for claim in parsed.claims:
        assert isinstance(claim.miles, float)
        assert math.isfinite(claim.miles) and claim.miles > 0
        assert claim.miles == round(claim.miles, 2)
        assert claim.child is None or claim.child in children
    if parsed.kind in ("log", "confirm"):
        assert parsed.claims
    else:
        assert parsed.claims == ()
    if parsed.kind in ("rejected", "confirm"):
        assert parsed.reason


# --- logged straight away (two children, Emma and Jack) -----------------------------------------

LOGS: list[tuple[str, list[tuple[str | None, float, date]]]] = [
    ("Emma ran 2 miles #run4fun", [("Emma", 2.0, TODAY)]),
    ("Jack 1 mile, pics at https://example.com/run/12345 @coach4", [("Jack", 1.0, TODAY)]),
    ("Emma 1 mile 🏃", [("Emma", 1.0, TODAY)]),
    ("Emma 1, Jack 2", [("Emma", 1.0, TODAY), ("Jack", 2.0, TODAY)]),
    ("Emma 1 mile, Jack 2", [("Emma", 1.0, TODAY), ("Jack", 2.0, TODAY)]),
    ("Emma 1 mile, Jack 1 mile", [("Emma", 1.0, TODAY), ("Jack", 1.0, TODAY)]),
    ("emma 1 jack 2", [("Emma", 1.0, TODAY), ("Jack", 2.0, TODAY)]),
    ("Emma: 1.5 / Jack: 2", [("Emma", 1.5, TODAY), ("Jack", 2.0, TODAY)]),
    ("Emma - 2 miles, Jack - 1", [("Emma", 2.0, TODAY), ("Jack", 1.0, TODAY)]),
    ("Emma 1.5mi Jack 2mi", [("Emma", 1.5, TODAY), ("Jack", 2.0, TODAY)]),
    ("Emma ran 1 mile\nJack ran 2 miles", [("Emma", 1.0, TODAY), ("Jack", 2.0, TODAY)]),
    ("Emma 2 laps, Jack 3", [("Emma", 0.5, TODAY), ("Jack", 0.75, TODAY)]),
    ("Emma and Jack walked a mile", [("Emma", 1.0, TODAY), ("Jack", 1.0, TODAY)]),
    ("Emma & Jack 1 mile each", [("Emma", 1.0, TODAY), ("Jack", 1.0, TODAY)]),
    ("Emma and Jack: 2 laps each", [("Emma", 0.5, TODAY), ("Jack", 0.5, TODAY)]),
    ("Emma ran 2 miles and Jack did 1.5", [("Emma", 2.0, TODAY), ("Jack", 1.5, TODAY)]),
    ("Emma ran 1 mile with Jack", [("Emma", 1.0, TODAY), ("Jack", 1.0, TODAY)]),
    ("1 mile for Emma, 2 for Jack", [("Emma", 1.0, TODAY), ("Jack", 2.0, TODAY)]),
    ("both kids ran a mile", [("Emma", 1.0, TODAY), ("Jack", 1.0, TODAY)]),
    ("Both walked 1 mile to school", [("Emma", 1.0, TODAY), ("Jack", 1.0, TODAY)]),
    ("they each ran 2", [("Emma", 2.0, TODAY), ("Jack", 2.0, TODAY)]),
    ("the kids ran 2 miles", [("Emma", 2.0, TODAY), ("Jack", 2.0, TODAY)]),
    ("we all ran 2 miles", [("Emma", 2.0, TODAY), ("Jack", 2.0, TODAY)]),
    ("2 miles each", [("Emma", 2.0, TODAY), ("Jack", 2.0, TODAY)]),
    ("Jack and I ran 2 miles", [("Jack", 2.0, TODAY)]),
    ("Great job Jack! Emma ran 2 miles", [("Emma", 2.0, TODAY)]),
    ("Emma ran 2 miles. Great job Emma!", [("Emma", 2.0, TODAY)]),
    ("Emma's 2 miles today", [("Emma", 2.0, TODAY)]),
    ("emma's 1 mile walk with grandma", [("Emma", 1.0, TODAY)]),
    ("EMMA RAN 2 MILES", [("Emma", 2.0, TODAY)]),
    ("Emma: 2 miles", [("Emma", 2.0, TODAY)]),
    ("Emma 2 miles!!!", [("Emma", 2.0, TODAY)]),
    ("Emma ran 2 miles 🏃‍♀️🎉", [("Emma", 2.0, TODAY)]),
    ("🏃 Emma 1 mile", [("Emma", 1.0, TODAY)]),
    ("Emma 7", [("Emma", 7.0, TODAY)]),
    ("Jack 2", [("Jack", 2.0, TODAY)]),
    ("Jack - 1.5", [("Jack", 1.5, TODAY)]),
    ("Jack 5K", [("Jack", 3.11, TODAY)]),
    ("Jack ran 1.25 miles", [("Jack", 1.25, TODAY)]),
    ("Emma .5 mile", [("Emma", 0.5, TODAY)]),
    ("Emma ran 0.5 miles", [("Emma", 0.5, TODAY)]),
    ("Emma 1,5 miles", [("Emma", 1.5, TODAY)]),
    ("Emma ran ２ miles", [("Emma", 2.0, TODAY)]),
    ("Emma 1mi", [("Emma", 1.0, TODAY)]),
    ("Emma 1 mi.", [("Emma", 1.0, TODAY)]),
    ("Emma x 2 miles", [("Emma", 2.0, TODAY)]),
    ("Jack +1", [("Jack", 1.0, TODAY)]),
    ("Add 1 mile for Jack", [("Jack", 1.0, TODAY)]),
    ("Logged 2 for Emma", [("Emma", 2.0, TODAY)]),
    ("Emma did a 2 mile walk", [("Emma", 2.0, TODAY)]),
    ("2 mile walk with Emma", [("Emma", 2.0, TODAY)]),
    ("Emma ran a mile!!! So proud 😭", [("Emma", 1.0, TODAY)]),
    ("Emma ran 2 miles, Jack was sick", [("Emma", 2.0, TODAY)]),
    ("Emma didn't run today, Jack ran 2", [("Jack", 2.0, TODAY)]),
    ("Emma ran 2 miles, what a champ!", [("Emma", 2.0, TODAY)]),
    ("Emma ran 2 miles, how cool is that", [("Emma", 2.0, TODAY)]),
    ("Jack ran 1 mile but Emma didn't", [("Jack", 1.0, TODAY)]),
    ("Jack 2 miles, Emma too", [("Jack", 2.0, TODAY), ("Emma", 2.0, TODAY)]),
    ("Emma ran 2 miles and so did Jack", [("Emma", 2.0, TODAY), ("Jack", 2.0, TODAY)]),
    ("ran 1 mile with both kids", [("Emma", 1.0, TODAY), ("Jack", 1.0, TODAY)]),
    ("Emma and Jack each did 1.5 miles today", [("Emma", 1.5, TODAY), ("Jack", 1.5, TODAY)]),
    ("Emma ran 2 miles, Jack ran 1. Both walked another mile tonight",
     [("Emma", 2.0, TODAY), ("Jack", 1.0, TODAY), ("Emma", 1.0, TODAY), ("Jack", 1.0, TODAY)]),
    # an activity word right after a bare amount
    ("Emma 1 mile, Jack 0.5 walking", [("Emma", 1.0, TODAY), ("Jack", 0.5, TODAY)]),
    ("Emma 1, Jack 0.5 walking", [("Emma", 1.0, TODAY), ("Jack", 0.5, TODAY)]),
    ("Emma 1 mile running, Jack 2 walking", [("Emma", 1.0, TODAY), ("Jack", 2.0, TODAY)]),
    ("Jack 0.5 walking and Emma 1 running", [("Jack", 0.5, TODAY), ("Emma", 1.0, TODAY)]),
    ("Emma ran 1, Jack walked 0.5", [("Emma", 1.0, TODAY), ("Jack", 0.5, TODAY)]),
    ("Emma 1 walk", [("Emma", 1.0, TODAY)]),
    ("Jack 0.5 jogging yesterday", [("Jack", 0.5, Y)]),
    ("Emma 1; Jack 2 hiking", [("Emma", 1.0, TODAY), ("Jack", 2.0, TODAY)]),
    ("Emma 1 hiking & Jack 0.5 walk", [("Emma", 1.0, TODAY), ("Jack", 0.5, TODAY)]),
    ("Emma 1 mile, Jack 0.5 walked", [("Emma", 1.0, TODAY), ("Jack", 0.5, TODAY)]),
    ("Emma 1 ran, Jack 0.5 ran", [("Emma", 1.0, TODAY), ("Jack", 0.5, TODAY)]),
    ("Emma: 1 walked", [("Emma", 1.0, TODAY)]),
    ("1 mile for Emma, 0.5 walking for Jack", [("Emma", 1.0, TODAY), ("Jack", 0.5, TODAY)]),
    ("Emma 1 but Jack 0.5", [("Emma", 1.0, TODAY), ("Jack", 0.5, TODAY)]),
    ("1 mile for Emma but 0.5 for Jack", [("Emma", 1.0, TODAY), ("Jack", 0.5, TODAY)]),
    ("Emma ran 8 laps = 2 miles", [("Emma", 2.0, TODAY)]),
    ("Emma ran 2 miles (8 laps)", [("Emma", 2.0, TODAY)]),
    # fractions and words
    ("Emma ran ½ mile", [("Emma", 0.5, TODAY)]),
    ("Emma ran 1½ miles", [("Emma", 1.5, TODAY)]),
    ("Jack ran ¾ of a mile", [("Jack", 0.75, TODAY)]),
    ("Emma ran 1/4 mile", [("Emma", 0.25, TODAY)]),
    ("Emma ran 3/4", [("Emma", 0.75, TODAY)]),
    ("Emma 1 1/2", [("Emma", 1.5, TODAY)]),
    ("Jack ran 2 1/4 miles", [("Jack", 2.25, TODAY)]),
    ("Emma did 1 and a half", [("Emma", 1.5, TODAY)]),
    ("Jack ran a mile and a half", [("Jack", 1.5, TODAY)]),
    ("Jack walked a mile and a quarter", [("Jack", 1.25, TODAY)]),
    ("Emma ran three quarters of a mile", [("Emma", 0.75, TODAY)]),
    ("Emma ran a quarter mile", [("Emma", 0.25, TODAY)]),
    ("Emma ran a quarter of a mile", [("Emma", 0.25, TODAY)]),
    ("Emma walked half a mile", [("Emma", 0.5, TODAY)]),
    ("Emma walked a half mile", [("Emma", 0.5, TODAY)]),
    ("Emma did a half-mile", [("Emma", 0.5, TODAY)]),
    ("Jack ran one and a half miles", [("Jack", 1.5, TODAY)]),
    ("Jack ran one mile", [("Jack", 1.0, TODAY)]),
    ("Jack ran three miles", [("Jack", 3.0, TODAY)]),
    ("Emma ran twelve laps", [("Emma", 3.0, TODAY)]),
    ("Emma ran twenty five laps", [("Emma", 6.25, TODAY)]),
    ("Emma ran twenty-five laps", [("Emma", 6.25, TODAY)]),
    ("Emma ran two and a half laps", [("Emma", 0.63, TODAY)]),
    ("Emma ran a couple of miles", [("Emma", 2.0, TODAY)]),
    # units
    ("Emma 10 blocks", [("Emma", 2.5, TODAY)]),
    ("Emma walked a block", [("Emma", 0.25, TODAY)]),
    ("Jack ran 3 km", [("Jack", 1.86, TODAY)]),
    ("Jack ran 2 kilometers", [("Jack", 1.24, TODAY)]),
    ("Emma ran a 5k!", [("Emma", 3.11, TODAY)]),
    ("Emma ran the 5k!", [("Emma", 3.11, TODAY)]),
    ("Emma ran 400m", [("Emma", 0.25, TODAY)]),
    ("Emma ran 800 meters", [("Emma", 0.5, TODAY)]),
    ("Emma did 4 laps around the track", [("Emma", 1.0, TODAY)]),
    ("Emma ran 26 laps", [("Emma", 6.5, TODAY)]),
    ("Jack did 6 laps at PE today", [("Jack", 1.5, TODAY)]),
    ("Jack finished 3 laps at recess", [("Jack", 0.75, TODAY)]),
    ("Emma 3 laps at recess and 2 at PE", [("Emma", 0.75, TODAY), ("Emma", 0.5, TODAY)]),
    ("Emma ran 2 miles and 3 laps", [("Emma", 2.0, TODAY), ("Emma", 0.75, TODAY)]),
    # other numbers around the miles
    ("Jack ran 2 more miles", [("Jack", 2.0, TODAY)]),
    ("Emma ran 1 mile in 10 minutes", [("Emma", 1.0, TODAY)]),
    ("Emma ran a mile in 9:30", [("Emma", 1.0, TODAY)]),
    ("Emma ran 2 miles at 3:30", [("Emma", 2.0, TODAY)]),
    ("Emma ran 2 miles with her 3 friends", [("Emma", 2.0, TODAY)]),
    ("Emma ran 2 miles, 14 total!", [("Emma", 2.0, TODAY)]),
    ("Emma ran 3.1 miles in the fun run", [("Emma", 3.1, TODAY)]),
    ("Emma ran 2 miles, she wants to do 3 tomorrow", [("Emma", 2.0, TODAY)]),
    ("week 3: Emma 2 miles", [("Emma", 2.0, TODAY)]),
    # days
    ("Emma ran 2 miles yesterday", [("Emma", 2.0, Y)]),
    ("Emma walked 2 miles last night", [("Emma", 2.0, Y)]),
    ("Emma jogged 1.5 miles this morning", [("Emma", 1.5, TODAY)]),
    ("Yesterday: Emma 1, Jack 2", [("Emma", 1.0, Y), ("Jack", 2.0, Y)]),
    ("Emma 1, Jack 2 yesterday", [("Emma", 1.0, Y), ("Jack", 2.0, Y)]),
    ("Mon: Emma 1, Jack 1", [("Emma", 1.0, TODAY), ("Jack", 1.0, TODAY)]),
    ("Emma 1 mile Monday, Jack 2 miles Tuesday", [("Emma", 1.0, TODAY), ("Jack", 2.0, ago(6))]),
    ("Emma ran a mile yesterday and 2 today", [("Emma", 1.0, Y), ("Emma", 2.0, TODAY)]),
    ("Jack hiked 3 miles on Saturday", [("Jack", 3.0, ago(2))]),
    ("Emma ran 1 mile at practice on Thursday", [("Emma", 1.0, ago(4))]),
    ("Emma: Mon 1, Tue 2", [("Emma", 1.0, TODAY), ("Emma", 2.0, ago(6))]),
    ("Emma 1 mile and Jack 1 mile yesterday", [("Emma", 1.0, Y), ("Jack", 1.0, Y)]),
    ("Emma ran 1 mile. Jack ran 2 miles yesterday.", [("Emma", 1.0, TODAY), ("Jack", 2.0, Y)]),
    ("Yesterday\nEmma 1\nJack 2", [("Emma", 1.0, Y), ("Jack", 2.0, Y)]),
    ("Monday:\nEmma 1\nJack 2\nTuesday:\nEmma 2",
     [("Emma", 1.0, TODAY), ("Jack", 2.0, TODAY), ("Emma", 2.0, ago(6))]),
    ("Yesterday was rainy. Emma ran 1 mile", [("Emma", 1.0, TODAY)]),
    ("Emma ran 1 mile on 11/21 and 2 miles on 11/22",
     [("Emma", 1.0, ago(2)), ("Emma", 2.0, ago(1))]),
    ("Emma ran a mile on tues", [("Emma", 1.0, ago(6))]),
    ("Jack ran 2 miles 2 days ago", [("Jack", 2.0, ago(2))]),
    ("Emma ran 1.5 miles on 11/3", [("Emma", 1.5, date(2026, 11, 3))]),
    ("11/3 Emma 2 miles", [("Emma", 2.0, date(2026, 11, 3))]),
    ("2026-11-03 Jack 1 mile", [("Jack", 1.0, date(2026, 11, 3))]),
    ("Emma ran 2 miles on Nov 20", [("Emma", 2.0, date(2026, 11, 20))]),
    ("Emma ran 2 miles on November 20th", [("Emma", 2.0, date(2026, 11, 20))]),
    ("Emma ran 1 mile 11/20/2026", [("Emma", 1.0, date(2026, 11, 20))]),
    ("Emma ran 1 mile on 11/20/26", [("Emma", 1.0, date(2026, 11, 20))]),
]


@pytest.mark.parametrize(("text", "expected"), LOGS, ids=[t for t, _ in LOGS])
def test_a_family_message_logs_the_miles_each_child_ran(
        text: str, expected: list[tuple[str | None, float, date]]) -> None:
    parsed = parse(text)
    assert (parsed.kind, entries(parsed)) == ("log", expected), parsed.reason
    assert parsed.reason is None
    assert_sane(parsed)


# --- asked about first --------------------------------------------------------------------------

CONFIRMS: list[tuple[str, Reason, str, list[tuple[str | None, float, date]]]] = [
    ("2", Reason.WHICH_CHILD, "Log 2 miles?", [(None, 2.0, TODAY)]),
    ("7", Reason.WHICH_CHILD, "Log 7 miles?", [(None, 7.0, TODAY)]),
    ("1.5", Reason.WHICH_CHILD, "Log 1.5 miles?", [(None, 1.5, TODAY)]),
    ("ran 4 laps!!", Reason.WHICH_CHILD, "Which child", [(None, 1.0, TODAY)]),
    ("4 laps", Reason.WHICH_CHILD, "Which child", [(None, 1.0, TODAY)]),
    ("ran a mile and a half", Reason.WHICH_CHILD, "Which child", [(None, 1.5, TODAY)]),
    ("half a mile", Reason.WHICH_CHILD, "Which child", [(None, 0.5, TODAY)]),
    ("3 km", Reason.WHICH_CHILD, "Which child", [(None, 1.86, TODAY)]),
    ("We ran 2 miles", Reason.WHICH_CHILD, "Which child", [(None, 2.0, TODAY)]),
    ("did 2.5 miles on the treadmill", Reason.WHICH_CHILD, "Which child", [(None, 2.5, TODAY)]),
    ("🏃 2", Reason.WHICH_CHILD, "Which child", [(None, 2.0, TODAY)]),
    ("ran 2 miles yesterday and 1 today", Reason.WHICH_CHILD,
     "Which child", [(None, 2.0, Y), (None, 1.0, TODAY)]),
    ("Lily ran 2 miles", Reason.UNKNOWN_CHILD, "I don't know Lily", [(None, 2.0, TODAY)]),
    ("Sophie did 3 laps", Reason.UNKNOWN_CHILD, "I don't know Sophie", [(None, 0.75, TODAY)]),
    ("Emma and Lily ran 2 miles", Reason.UNKNOWN_BESIDE_KNOWN,
     "I don't know Lily", [("Emma", 2.0, TODAY)]),
    ("Emma 1, Lily 2", Reason.UNKNOWN_CHILD,
     "I don't know Lily", [("Emma", 1.0, TODAY), (None, 2.0, TODAY)]),
    ("2 miles for Noah", Reason.UNKNOWN_CHILD, "I don't know Noah", [(None, 2.0, TODAY)]),
    ("2.5 Emma", Reason.BARE_NUMBER, "Log 2.5 miles?", [("Emma", 2.5, TODAY)]),
    ("1", Reason.WHICH_CHILD, "Log 1 mile?", [(None, 1.0, TODAY)]),
    ("Our family walked 3 miles together", Reason.WHICH_CHILD,
     "Which child", [(None, 3.0, TODAY)]),
    ("I'm 35 and I ran 3 miles", Reason.ADULT, "Were these miles for", [(None, 3.0, TODAY)]),
    ("I ran 5 miles this morning", Reason.ADULT, "Were these miles for", [(None, 5.0, TODAY)]),
    ("Dad ran 3 miles", Reason.ADULT, "Were these miles for", [(None, 3.0, TODAY)]),
    # one child's amount sits where miles go but can't be read: never log the other's alone
    ("Emma 1 mile, Jack 0.5 soccer", Reason.UNREAD_BESIDE_READ,
     "I couldn't read the miles for Jack", [("Emma", 1.0, TODAY)]),
    ("Emma 1 treadmill, Jack 0.5", Reason.UNREAD_BESIDE_READ,
     "I couldn't read the miles for Emma", [("Jack", 0.5, TODAY)]),
    ("Emma 1, Jack 0.5 walking the dog", Reason.UNREAD_BESIDE_READ,
     "Log these miles for Emma only?", [("Emma", 1.0, TODAY)]),
    ("Emma ran 2 miles, Jack did 2 sets of stairs", Reason.UNREAD_BESIDE_READ,
     "I couldn't read the miles for Jack", [("Emma", 2.0, TODAY)]),
    ("1 mile for Emma, 0.5 soccer for Jack", Reason.UNREAD_BESIDE_READ,
     "I couldn't read the miles for Jack", [("Emma", 1.0, TODAY)]),
    ("1 treadmill for Emma, 0.5 for Jack", Reason.UNREAD_BESIDE_READ,
     "I couldn't read the miles for Emma", [("Jack", 0.5, TODAY)]),
    ("1 for Emma, 0.5 soccer for Jack", Reason.UNREAD_BESIDE_READ,
     "Log 1 mile? I couldn't read the miles for Jack", [("Emma", 1.0, TODAY)]),
]


@pytest.mark.parametrize(("text", "why", "asks", "expected"), CONFIRMS,
                         ids=[t for t, _, _, _ in CONFIRMS])
def test_a_message_that_leaves_a_doubt_is_asked_about_before_logging(
        text: str, why: Reason, asks: str, expected: list[tuple[str | None, float, date]]
) -> None:
    parsed = parse(text)
    assert (parsed.kind, code(parsed)) == ("confirm", why)
    assert asks in (reason_text(parsed) or "")
    assert entries(parsed) == expected
    assert_sane(parsed)


def test_which_child_names_the_children_so_the_family_can_pick() -> None:
    parsed = parse("ran 2 miles")
    assert parsed.reason == Why(Reason.WHICH_CHILD, ("Emma", "Jack"))
    assert reason_text(parsed) == "Which child ran these miles: Emma or Jack?"
    assert reason_text(parse("ran 2 miles", children=("Emma", "Jack", "Leo"))) == (
        "Which child ran these miles: Emma, Jack or Leo?")


def test_an_unknown_name_is_named_in_the_question_with_the_children_the_bot_knows() -> None:
    parsed = parse("Lily ran 2 miles")
    assert parsed.reason == Why(Reason.UNKNOWN_CHILD, ("Emma", "Jack"), ("Lily",))
    assert reason_text(parsed) == "I don't know Lily. I know Emma and Jack. Who ran these miles?"


def test_an_unknown_name_beside_a_known_child_offers_the_known_childs_miles() -> None:
    parsed = parse("Emma and Lily walked a mile")
    assert parsed.reason == Why(Reason.UNKNOWN_BESIDE_KNOWN, ("Emma",), ("Lily",))
    assert reason_text(parsed) == ("I don't know Lily (/addkid adds a child). Log these miles "
                                   "for Emma only?")


def test_a_child_whose_miles_could_not_be_read_is_named_and_the_others_miles_offered() -> None:
    parsed = parse("Emma 1 mile, Jack 0.5 soccer")
    assert parsed.reason == Why(Reason.UNREAD_BESIDE_READ, ("Emma",), unread=("Jack",))
    assert reason_text(parsed) == ("I couldn't read the miles for Jack. Log these miles for Emma "
                                   "only?")


def test_a_bare_number_asks_to_log_it_and_which_child_in_one_question() -> None:
    assert parse("2").reason == Why(Reason.WHICH_CHILD, ("Emma", "Jack"), miles=2.0)
    assert reason_text(parse("2")) == "Log 2 miles? Which child ran these miles: Emma or Jack?"
    assert parse("2", children=("Emma",)).reason == Why(Reason.BARE_NUMBER, miles=2.0)
    assert reason_text(parse("2", children=("Emma",))) == "Log 2 miles?"


# --- questions and chat are never logged --------------------------------------------------------

QUESTIONS = [
    "can we run 2 miles a day?",
    "Can we run 2 miles a day",
    "how many miles left?",
    "how many miles left",
    "is 3 miles too much for a 6 year old",
    "Is 3 miles too much for a 6 year old?",
    "What time is the 5k?",
    "when is the final mile run",
    "where do we log 2 miles",
    "should Emma run 2 miles",
    "are 4 laps a mile?",
    "do laps count as miles",
    "does 1 lap = 0.25 miles?",
    "will it rain on the 5k day",
    "why is Jack at 12 miles",
    "could we do 3 laps instead",
    "would 2 miles be ok",
    "Emma ran 2 miles?",
    "did you get my 2 miles?",
    "ran 2 miles, does that count? 🤔",
    "what's 4 laps in miles",
    "Which day do we run 3 miles",
    "Emma 1, Jack 2?",
    "my 6 yr old cant run 26 miles, how is this a kids marathon",
    "she gets tired after like a block, what do we do",
    "my son isnt very active and gave up after half a mile, should we start sooner",
    "Emma ran 2 miles, is that ok",
]


@pytest.mark.parametrize("text", QUESTIONS)
def test_a_question_about_miles_is_never_logged(text: str) -> None:
    parsed = parse(text)
    assert parsed.kind == "not_a_log"
    assert parsed.claims == ()
    assert code(parsed) is Reason.QUESTION
    assert reason_text(parsed) == "That looks like a question, so I didn't log any miles."


CHAT = [
    "my kid is 7",
    "she is in 2nd grade",
    "Jack is in grade 2",
    "Emma is 7 years old",
    "call me at 555-123-4567",
    "call me at (555) 123-4567",
    "we live 2 miles from school",
    "the school is 2 miles away",
    "we drive 5 miles to practice",
    "practice is at 3",
    "practice at 3:30",
    "practice at 4pm",
    "room 12",
    "bus 14 is late",
    "the shirt was $29",
    "since 2025",
    "50% done",
    "thanks!",
    "hello",
    "🎉🎉🎉",
    "",
    "   ",
    "Emma has 5 miles left",
    "only 3 miles to go!",
    "Emma's goal is 25 miles",
    "she runs 2 miles a day",
    "we will run 2 miles tomorrow",
    "I hope she runs 3 miles tomorrow",
    "Jack wants to do a 5k next week",
    "let's do 2 miles after school",
    "we're going to walk 2 miles later",
    "Emma finished mile 12!",
    "Mile 5 done",
    "1 2 3 go",
    "we have 3 kids",
    "Good luck at the 5k on Saturday",
    "see you at the 5k",
    "ran the mile",
    "her first mile!",
    "thanks 2 you",
    "Emma ran 1 mile each day this week",
    "The race starts at 8",
    "See you Saturday at 9!",
    "We'll be there by 7:45",
    "Emma needs a size 8 shirt",
    "Jack is 6 and Emma is 8",
    "My 2 kids love it",
    "We did it!",
    "Thanks coach, we ran a lot this week",
    "Emma lost 2 teeth today",
    "Emma got 3 stickers",
    "Emma got her 5 mile award!",
    "Day 12 of training",
    "Only 2 more weeks",
    "Emma's bib number is 1234",
    "the track is 4 laps to a mile",
    "Jack ran 2 times",
    "Jack did 2 sets of stairs",
    "Emma did 10 pushups",
    "Emma scored 2 goals at soccer",
    "text me at 5551234567",
    "Pickup at 3 pm",
    "2 of my kids ran",
    "she can't run 3 miles yet",
    "after 2 laps she was tired",
    "Emma 2 running shoes",
    "we have 3 kids, 2 ran",
    "Emma 2 ran away",
]


@pytest.mark.parametrize("text", CHAT)
def test_chat_with_numbers_in_it_is_not_a_log(text: str) -> None:
    parsed = parse(text)
    assert (parsed.kind, parsed.claims) == ("not_a_log", ())


@pytest.mark.parametrize(("text", "why", "reason"), [
    ("ran 20 minutes", Reason.MINUTES, "not minutes"),
    ("Emma played soccer for 1 hour", Reason.MINUTES, "not minutes"),
    ("Emma walked for half an hour", Reason.MINUTES, "not minutes"),
    ("10k steps today", Reason.STEPS, "steps"),
    ("Emma did 8000 steps", Reason.STEPS, "steps"),
    ("Emma ran 2-3 miles", Reason.RANGE, "one number"),
])
def test_time_steps_and_ranges_are_not_logged_and_the_reason_says_why(text: str, why: Reason,
                                                                       reason: str) -> None:
    parsed = parse(text)
    assert (parsed.kind, code(parsed)) == ("not_a_log", why)
    assert reason in (reason_text(parsed) or "")


# --- refused, with a friendly reason ------------------------------------------------------------

REJECTED: list[tuple[str, Reason, str]] = [
    ("-2 miles", Reason.NOT_POSITIVE, "more than zero"),
    ("Emma ran -2 miles", Reason.NOT_POSITIVE, "more than zero"),
    ("Emma -2", Reason.NOT_POSITIVE, "more than zero"),
    ("minus 1 mile", Reason.NOT_POSITIVE, "more than zero"),
    ("0 miles", Reason.NOT_POSITIVE, "more than zero"),
    ("Emma 0 miles", Reason.NOT_POSITIVE, "more than zero"),
    ("Jack ran zero miles", Reason.NOT_POSITIVE, "more than zero"),
    ("Emma ran 0.001 miles", Reason.TOO_SMALL, "too small"),
    ("ran 100 miles", Reason.OVER_CAP, "That's more than 10 miles in a day"),
    ("Emma ran 26.2 miles today", Reason.OVER_CAP, "That's more than 10 miles in a day for Emma"),
    ("Emma 11 miles", Reason.OVER_CAP, "That's more than 10 miles in a day for Emma"),
    ("Emma ran 6 miles this morning and 5 more tonight", Reason.OVER_CAP,
     "more than 10 miles in a day for Emma"),
    ("both kids ran 12 miles", Reason.OVER_CAP, "That's more than 10 miles in a day"),
    ("Jack ran 50 laps", Reason.OVER_CAP, "That's more than 10 miles in a day for Jack"),
    ("a hundred miles", Reason.OVER_CAP, "That's more than 10 miles in a day"),
    ("ran a million miles lol", Reason.OVER_CAP, "That's more than 10 miles in a day"),
    ("1,000 miles", Reason.OVER_CAP, "That's more than 10 miles in a day"),
    ("1e309 miles", Reason.UNREADABLE, "couldn't read that number"),
    ("NaN miles", Reason.UNREADABLE, "couldn't read that number"),
    ("inf miles", Reason.UNREADABLE, "couldn't read that number"),
    ("Emma ran infinity miles", Reason.UNREADABLE, "couldn't read that number"),
    ("99999999999999999999 miles", Reason.UNREADABLE, "couldn't read that number"),
    ("Emma 1/0 miles", Reason.UNREADABLE, "couldn't read that number"),
    ("Emma ran 2 miles tomorrow", Reason.FUTURE, "in the future"),
    ("Emma ran 2 miles on 11/25", Reason.FUTURE, "Wed Nov 25 is in the future"),
    ("tomorrow 2 miles", Reason.FUTURE, "Tue Nov 24 is in the future"),
    ("Emma ran 1 mile on 2026-12-01", Reason.FUTURE, "in the future"),
    ("Emma ran 2 miles on 11/30", Reason.FUTURE, "Mon Nov 30 is in the future"),
    ("Emma ran 2 miles on 3/1", Reason.TOO_OLD, "more than 120 days ago"),
    ("Emma ran 1 mile on 2026-01-05", Reason.TOO_OLD, "more than 120 days ago"),
    ("12/25 1 mile", Reason.TOO_OLD, "Thu Dec 25, 2025 is more than 120 days ago"),
    ("Emma ran 1 mile on 7/25", Reason.TOO_OLD, "more than 120 days ago"),
    ("Emma ran 1 mile on 2026-02-30", Reason.BAD_DATE, "couldn't read that date"),
    ("Emma ran 1 mile on 2/30", Reason.BAD_DATE, "couldn't read that date"),
]


@pytest.mark.parametrize(("text", "why", "reason"), REJECTED, ids=[t for t, _, _ in REJECTED])
def test_implausible_miles_and_days_are_refused_with_a_friendly_reason(text: str, why: Reason,
                                                                     reason: str) -> None:
    parsed = parse(text)
    assert (parsed.kind, code(parsed)) == ("rejected", why)
    assert reason in (reason_text(parsed) or "")
    assert parsed.claims == ()


def test_the_reason_for_too_many_miles_states_the_programs_cap() -> None:
    parsed = parse("Emma ran 6 miles", rules=Rules(daily_cap=5))
    assert parsed.kind == "rejected"
    assert parsed.reason == Why(Reason.OVER_CAP, cap=5, child="Emma")
    assert "That's more than 5 miles in a day for Emma" in (reason_text(parsed) or "")


def test_exactly_the_daily_cap_is_still_logged() -> None:
    assert entries(parse("Emma ran 10 miles")) == [("Emma", 10.0, TODAY)]
    assert parse("Emma ran 10.01 miles").kind == "rejected"


def test_the_cap_counts_each_child_and_each_day_separately() -> None:
    assert parse("Emma 6 miles, Jack 6 miles").kind == "log"
    assert parse("Emma ran 6 miles yesterday and 6 today").kind == "log"


def test_a_program_with_a_higher_cap_logs_a_half_marathon() -> None:
    assert entries(parse("Emma ran 13.1 miles", rules=Rules(daily_cap=30))) == [
        ("Emma", 13.1, TODAY)]


def test_a_day_exactly_120_days_back_is_the_oldest_that_is_logged() -> None:
    assert entries(parse("Emma ran 1 mile on 7/26")) == [("Emma", 1.0, ago(120))]
    assert parse("Emma ran 1 mile on 7/25").kind == "rejected"


# --- which day ----------------------------------------------------------------------------------

DAYS = [
    ("today", TODAY), ("tonight", TODAY), ("this morning", TODAY), ("this afternoon", TODAY),
    ("yesterday", Y), ("last night", Y), ("yesterday morning", Y),
    ("the day before yesterday", ago(2)), ("3 days ago", ago(3)), ("a week ago", ago(7)),
    ("on Monday", TODAY), ("monday", TODAY), ("last Monday", ago(7)), ("Sunday", ago(1)),
    ("on sat", ago(2)), ("Saturday", ago(2)), ("on tues", ago(6)), ("wednesday", ago(5)),
    ("on Thurs", ago(4)), ("fri", ago(3)), ("on 11/3", date(2026, 11, 3)),
    ("on 11/03", date(2026, 11, 3)), ("11/21", date(2026, 11, 21)),
    ("on 2026-11-03", date(2026, 11, 3)), ("on Nov 3", date(2026, 11, 3)),
    ("on 8/1", date(2026, 8, 1)),
]


@pytest.mark.parametrize(("when", "day"), DAYS, ids=[w for w, _ in DAYS])
def test_the_day_written_in_the_message_is_the_day_logged(when: str, day: date) -> None:
    assert entries(parse(f"Emma ran 1 mile {when}")) == [("Emma", 1.0, day)]
    assert entries(parse(f"{when.capitalize()} Emma ran 1 mile")) == [("Emma", 1.0, day)]


def test_sat_and_sun_alone_are_words_not_days() -> None:
    assert entries(parse("Emma sat out, Jack ran 1 mile")) == [("Jack", 1.0, TODAY)]
    assert entries(parse("Emma ran 1 mile in the sun")) == [("Emma", 1.0, TODAY)]


# --- activities ---------------------------------------------------------------------------------

ACTIVITIES = [
    ("Emma ran 2 miles", "run"), ("Emma walked 1 mile", "walk"), ("Emma jogged 1 mile", "jog"),
    ("Emma hiked 3 miles", "hike"), ("Emma sprinted 4 laps", "run"),
    ("Emma 2 miles on the treadmill", "treadmill"),
    ("Emma ran 2 miles on the treadmill", "treadmill"), ("Emma 1 mile at soccer", "soccer"),
    ("Emma played basketball, 1 mile", "basketball"), ("Emma 4 laps at recess", "recess"),
    ("Emma 4 laps in PE", "pe"), ("Emma 4 laps in P.E.", "pe"), ("🏃 Emma 1 mile", "run"),
    ("⚽ Emma 1 mile", "soccer"), ("Emma 2 miles", None), ("Jack 0.5 walking", "walk"),
    ("Emma 1 walk", "walk"), ("Jack 0.5 jogging yesterday", "jog"), ("Emma 1 hiking", "hike"),
    ("Jack 2 hiking", "hike"), ("Emma: 1 walked", "walk"), ("Jack 1 run", "run"),
]


@pytest.mark.parametrize(("text", "activity"), ACTIVITIES, ids=[t for t, _ in ACTIVITIES])
def test_the_activity_is_kept_with_the_miles(text: str, activity: str | None) -> None:
    parsed = parse(text)
    assert parsed.kind == "log"
    assert [c.activity for c in parsed.claims] == [activity]


EACH_ACTIVITY = [
    ("Emma 1 mile at soccer, Jack 2 on the treadmill", [("Emma", "soccer"), ("Jack", "treadmill")]),
    ("Emma 1 mile running, Jack 2 walking", [("Emma", "run"), ("Jack", "walk")]),
    ("Jack 0.5 walking and Emma 1 running", [("Jack", "walk"), ("Emma", "run")]),
    ("Emma ran 1, Jack walked 0.5", [("Emma", "run"), ("Jack", "walk")]),
    ("Emma 1 jogging, Jack 0.5 walked", [("Emma", "jog"), ("Jack", "walk")]),
    ("Emma 1, Jack 0.5 walking", [("Emma", None), ("Jack", "walk")]),
    ("Emma 1 mile, Jack 2 on the treadmill", [("Emma", None), ("Jack", "treadmill")]),
    ("🏃 Emma 1, Jack 2", [("Emma", "run"), ("Jack", "run")]),
    ("Walking: Emma 1, Jack 2", [("Emma", "walk"), ("Jack", "walk")]),
]


@pytest.mark.parametrize(("text", "activities"), EACH_ACTIVITY, ids=[t for t, _ in EACH_ACTIVITY])
def test_each_child_keeps_the_activity_written_next_to_their_miles(
        text: str, activities: list[tuple[str, str]]) -> None:
    parsed = parse(text)
    assert [(c.child, c.activity) for c in parsed.claims] == activities


def test_an_activity_after_the_second_childs_miles_is_that_childs_only() -> None:
    parsed = parse("Emma 1 mile, Jack 0.5 walking")
    assert [(c.child, c.miles, c.activity) for c in parsed.claims] == [("Emma", 1.0, None),
                                                                        ("Jack", 0.5, "walk")]


# --- one child, no roster, /log -----------------------------------------------------------------

ONE_CHILD = [
    ("ran 4 laps!!", "log", [("Emma", 1.0, TODAY)]),
    ("2 miles", "log", [("Emma", 2.0, TODAY)]),
    ("we walked a mile", "log", [("Emma", 1.0, TODAY)]),
    ("both kids ran a mile", "log", [("Emma", 1.0, TODAY)]),
    ("Great run today, 2 miles 🏃", "log", [("Emma", 2.0, TODAY)]),
    ("1.5 yesterday", "confirm", [("Emma", 1.5, Y)]),
    ("Mon 1 mile\nTue 2 miles\nWed 1.5", "log",
     [("Emma", 1.0, TODAY), ("Emma", 2.0, ago(6)), ("Emma", 1.5, ago(5))]),
    ("Jack ran 2 miles", "confirm", [(None, 2.0, TODAY)]),
]


@pytest.mark.parametrize(("text", "kind", "expected"), ONE_CHILD, ids=[t for t, _, _ in ONE_CHILD])
def test_with_one_child_unnamed_miles_are_that_childs(
        text: str, kind: str, expected: list[tuple[str | None, float, date]]) -> None:
    parsed = parse(text, children=("Emma",))
    assert (parsed.kind, entries(parsed)) == (kind, expected)
    assert_sane(parsed, ("Emma",))


THREE = ("Emma", "Jack", "Lily")


@pytest.mark.parametrize(("text", "expected"), [
    ("both kids walked half a mile", [(None, 0.5, TODAY)]),  # which two? asked, not guessed
    ("all three ran a mile", [("Emma", 1.0, TODAY), ("Jack", 1.0, TODAY), ("Lily", 1.0, TODAY)]),
    ("the kids ran a mile", [("Emma", 1.0, TODAY), ("Jack", 1.0, TODAY), ("Lily", 1.0, TODAY)]),
    ("Emma and Lily both ran a mile", [("Emma", 1.0, TODAY), ("Lily", 1.0, TODAY)]),
])
def test_both_means_two_children_and_with_three_it_is_asked_which(
        text: str, expected: list[tuple[str | None, float, date]]) -> None:
    parsed = parse(text, children=THREE)
    assert entries(parsed) == expected
    assert_sane(parsed, THREE)


NO_ROSTER = [
    ("ran 4 laps!!", "log", [(None, 1.0, TODAY)]),
    ("Lily ran 2 miles", "log", [(None, 2.0, TODAY)]),
    ("1.5 miles yesterday", "log", [(None, 1.5, Y)]),
    ("both kids ran a mile", "log", [(None, 1.0, TODAY)]),
    ("2", "confirm", [(None, 2.0, TODAY)]),
    ("my kid is 7", "not_a_log", []),
]


@pytest.mark.parametrize(("text", "kind", "expected"), NO_ROSTER, ids=[t for t, _, _ in NO_ROSTER])
def test_without_a_list_of_children_claims_have_no_child(
        text: str, kind: str, expected: list[tuple[str | None, float, date]]) -> None:
    parsed = parse(text, children=())
    assert (parsed.kind, entries(parsed)) == (kind, expected)


EXPLICIT = [
    ("1.5", [("Emma", 1.5, TODAY)]), ("2", [("Emma", 2.0, TODAY)]),
    (".5", [("Emma", 0.5, TODAY)]), ("1 1/2", [("Emma", 1.5, TODAY)]),
    ("½", [("Emma", 0.5, TODAY)]), ("one", [("Emma", 1.0, TODAY)]),
    ("2 yesterday", [("Emma", 2.0, Y)]), ("Emma 2", [("Emma", 2.0, TODAY)]),
    ("4 laps", [("Emma", 1.0, TODAY)]), ("a mile", [("Emma", 1.0, TODAY)]),
]


@pytest.mark.parametrize(("text", "expected"), EXPLICIT, ids=[t for t, _ in EXPLICIT])
def test_after_slash_log_a_bare_number_is_miles(
        text: str, expected: list[tuple[str | None, float, date]]) -> None:
    parsed = parse(text, children=("Emma",), explicit=True)
    assert (parsed.kind, entries(parsed)) == ("log", expected)


def test_slash_log_with_nothing_after_it_explains_how_to_use_it() -> None:
    parsed = parse("", children=("Emma",), explicit=True)
    assert parsed.kind == "not_a_log"
    assert code(parsed) is Reason.NO_AMOUNT
    assert "/log 1.5" in (reason_text(parsed) or "")


def test_slash_log_still_refuses_a_question_and_an_absurd_number() -> None:
    assert parse("how many?", explicit=True).kind == "not_a_log"
    assert parse("100", children=("Emma",), explicit=True).kind == "rejected"


def test_without_slash_log_a_bare_number_too_big_for_miles_is_just_a_number() -> None:
    assert parse("25", children=("Emma",)).kind == "not_a_log"


# --- names --------------------------------------------------------------------------------------

def test_names_match_regardless_of_case_accents_and_possessives() -> None:
    kids = ("Zoë", "Mary-Kate", "O'Brien")
    assert entries(parse("zoe ran 2 miles", children=kids)) == [("Zoë", 2.0, TODAY)]
    assert entries(parse("Mary Kate ran 1 mile", children=kids)) == [("Mary-Kate", 1.0, TODAY)]
    assert entries(parse("obrien's 3 laps", children=kids)) == [("O'Brien", 0.75, TODAY)]
    assert entries(parse("Zoë’s 1 mile", children=kids)) == [("Zoë", 1.0, TODAY)]


def test_a_child_named_like_a_word_counts_only_when_the_name_is_capitalized() -> None:
    kids = ("Will", "Emma")
    assert entries(parse("Will ran 2 miles", children=kids)) == [("Will", 2.0, TODAY)]
    assert parse("we will run 2 miles tomorrow", children=kids).kind == "not_a_log"
    assert parse("Will ran 2 miles?", children=kids).kind == "not_a_log"


# --- rules and the JSON contract ----------------------------------------------------------------

def test_laps_and_blocks_follow_the_programs_rules() -> None:
    rules = Rules(lap_miles=0.1, block_miles=0.05)
    assert entries(parse("Emma 4 laps", rules=rules)) == [("Emma", 0.4, TODAY)]
    assert entries(parse("Emma 10 blocks", rules=rules)) == [("Emma", 0.5, TODAY)]
    assert Rules(lap_miles=0.25, block_miles=0.25, daily_cap=10.0) == DEFAULT_RULES


def test_broken_rules_never_produce_a_broken_claim() -> None:
    for rules in (Rules(lap_miles=float("nan")), Rules(lap_miles=-1), Rules(lap_miles=math.inf)):
        parsed = parse("Emma 4 laps", rules=rules)
        assert parsed.kind == "rejected"
        assert_sane(parsed)


def test_the_json_for_the_cli_has_exactly_the_agreed_fields() -> None:
    parsed = parse("Emma 1, Jack 2.5 yesterday 🏃")
    assert to_json(parsed) == {
        "text": "Emma 1, Jack 2.5 yesterday 🏃", "kind": "log", "reason": None,
        "entries": [{"child": "Emma", "miles": 1.0, "date": "2026-11-22"},
                    {"child": "Jack", "miles": 2.5, "date": "2026-11-22"}]}
    json.dumps(to_json(parsed))  # plain JSON types only


def test_the_json_of_a_refusal_has_no_entries_and_a_reason() -> None:
    out = to_json(parse("ran 100 miles"))
    assert list(out) == ["text", "kind", "entries", "reason"]
    assert (out["kind"], out["entries"]) == ("rejected", [])
    assert isinstance(out["reason"], str)


def test_claims_and_results_are_immutable_values() -> None:
    parsed = parse("Emma 1 mile")
    assert parsed == parse("Emma 1 mile")
    assert parsed.claims == (Claim("Emma", 1.0, TODAY, None),)
    with pytest.raises(AttributeError):
        parsed.kind = "rejected"  # type: ignore[misc]


# --- abuse --------------------------------------------------------------------------------------

ABUSE = [
    "", " ", "\n\n\n", "a" * 5000, "1 mile " * 700, "🏃" * 2000, "Emma " * 1000,
    "and " * 1000 + "2 miles", "½" * 1000, "½ ¼ ¾ ⅞ miles", "9" * 5000 + " miles",
    "0." + "0" * 4000 + "1 miles", "1." + "5" * 4400 + " miles", "1e999999999 miles",
    "-inf miles", "0/0 miles", "1/0", "\x00\ue000D99\ue001 2 miles", "\ue000W\ue001 miles",
    "2\u200b miles", "\u202eselim 2", "𝟐 miles", "две мили", "エマは2マイル走った", "٢ ميل",
    "٣٣٣ miles", "Emma ran ⁵ miles", "(((((((((((2)))))))))))", "2 " * 2000, "1/" * 2000,
    "Monday " * 500 + "1 mile", "11/3 " * 1000, "a half of a quarter of a mile",
    "a million million million billion miles", "Emma ran " + "hundred " * 1000 + "miles",
    "??????", "!!!!! 2 miles !!!!!", "Emma\n\n\n\n1\n\n\nJack\n\n2", "$$$ 2 miles",
]


@pytest.mark.parametrize("text", ABUSE, ids=range(len(ABUSE)))
def test_strange_input_never_crashes_or_claims_a_broken_amount(text: str) -> None:
    for explicit in (False, True):
        for children in (KIDS, ("Emma",), ()):
            assert_sane(parse(text, children=children, explicit=explicit), children)


# --- properties ---------------------------------------------------------------------------------

VOCAB = ["Emma", "Jack", "Lily", "ran", "walked", "did", "mile", "miles", "laps", "blocks", "k",
         "km", "a", "an", "and", "half", "quarter", "quarters", "of", "each", "both", "with", "for",
         "-", "/", ":", ",", ".", "?", "1", "2", "0", "1.5", ".5", "1/2", "1 1/2", "½", "11/3",
         "yesterday", "monday", "on", "today", "tomorrow", "is", "at", "total", "left", "minutes",
         "steps", "twenty", "five", "hundred", "minus", "🏃", "1e309", "99999999999", "we", "all",
         "the", "first", "2026-11-03", "2/30", "Will", "will"]


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=400), st.booleans())
def test_any_text_never_crashes_and_never_claims_a_nonpositive_or_infinite_amount(
        text: str, explicit: bool) -> None:
    assert_sane(parse(text, explicit=explicit))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_text_after_slash_log_is_just_as_safe(text: str) -> None:
    assert_sane(parse(text, children=("Emma",), explicit=True), ("Emma",))


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(VOCAB), max_size=14).map(" ".join), st.booleans(),
       st.sampled_from([KIDS, ("Emma",), ()]))
def test_any_jumble_of_logging_words_is_safe(text: str, explicit: bool,
                                             children: tuple[str, ...]) -> None:
    assert_sane(parse(text, children=children, explicit=explicit), children)


@given(st.integers(min_value=1, max_value=10), st.sampled_from(KIDS),
       st.sampled_from(["ran", "walked", "jogged", "did"]))
def test_a_child_who_ran_n_miles_gets_exactly_n_miles(n: int, child: str, verb: str) -> None:
    parsed = parse(f"{child} {verb} {n} miles")
    assert (parsed.kind, entries(parsed)) == ("log", [(child, float(n), TODAY)])


NUMBER_WORDS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


@given(st.integers(min_value=1, max_value=10))
def test_miles_written_as_words_are_the_same_as_digits(n: int) -> None:
    assert entries(parse(f"Emma ran {NUMBER_WORDS[n - 1]} miles")) == [("Emma", float(n), TODAY)]


@given(st.decimals(min_value="0.01", max_value="10", places=2))
def test_decimal_miles_are_logged_to_the_hundredth(x: object) -> None:
    assert entries(parse(f"Jack walked {x} miles")) == [("Jack", float(str(x)), TODAY)]


@given(st.integers(min_value=1, max_value=40))
def test_laps_are_a_quarter_mile_each(n: int) -> None:
    assert entries(parse(f"Emma ran {n} laps")) == [("Emma", round(n * 0.25, 2), TODAY)]


@given(st.integers(min_value=1, max_value=9), st.integers(min_value=1, max_value=9))
def test_two_children_with_two_numbers_each_get_their_own(a: int, b: int) -> None:
    assert entries(parse(f"Emma {a}, Jack {b}")) == [("Emma", float(a), TODAY),
                                                    ("Jack", float(b), TODAY)]


# One child's part of a message: "{name} {lead}{amount}{unit}{activity}" ("Jack ran 0.5 walking").
LEADS = ["", "ran ", "walked ", "did ", ": ", "- "]
UNITS = ["", " mile", " miles", " laps"]
AFTER = ["", " walking", " running", " jogging", " biking", " hiking", " walk", " run", " jog",
         " walked", " ran", " jogged", " on the treadmill", " at recess", " at soccer", " in PE",
         " treadmill", " soccer", " yesterday", " today", " 🏃", "!", " too", " each",
         " walking the dog", " sets"]
CONNECTORS = [", ", " and ", "; ", ". ", "\n", " ", ", and ", " & ", " but ", " then ", " / "]
half = st.tuples(st.sampled_from(LEADS), st.sampled_from(UNITS), st.sampled_from(AFTER))


def miles_of(amount: float, unit: str) -> float:
    """The amount in miles, rounded half up to hundredths like every claim (0.5 laps: 0.13)."""
    miles = Decimal(str(amount)) * (Decimal("0.25") if unit == " laps" else 1)
    return float(miles.quantize(Decimal("0.01"), ROUND_HALF_UP))


@settings(max_examples=1500, deadline=None)
@given(half, st.sampled_from(CONNECTORS), half, st.booleans(), st.booleans())
def test_a_message_naming_two_children_never_logs_one_and_silently_drops_the_other(
        a: tuple[str, str, str], connector: str, b: tuple[str, str, str], jack_first: bool,
        names_after: bool) -> None:
    """Both are logged, each with their own miles, or the family is asked about the one left out."""
    first, second = ("Jack", "Emma") if jack_first else ("Emma", "Jack")
    amounts = {first: 1.0, second: 0.5}
    units = {first: a[1] or b[1], second: b[1] or a[1]}  # "Emma 2 laps, Jack 3": 3 laps

    def part(name: str, lead: str, unit: str, after: str) -> str:
        number = f"{amounts[name]:g}"
        if names_after:  # "1 mile walking for Emma"
            return f"{number}{unit}{after} for {name}"
        return f"{name} {lead}{number}{unit}{after}".replace(" :", ":")

    text = part(first, *a) + connector + part(second, *b)
    parsed = parse(text)
    assert_sane(parsed)
    named = {c.child for c in parsed.claims}
    if parsed.reason is not None and parsed.reason.activity:
        return  # a bike ride or a swim is not counted, and the reply says so (its own tests)
    if parsed.kind == "log":
        assert named == {"Emma", "Jack"}, text
        for claim in parsed.claims:
            who = claim.child or ""
            assert claim.miles == miles_of(amounts[who], units[who]), text
    elif parsed.kind == "confirm" and named != {"Emma", "Jack"}:
        assert parsed.reason is not None and parsed.reason.code is Reason.UNREAD_BESIDE_READ
        assert set(parsed.reason.unread) | named == {"Emma", "Jack"}, text


@given(st.integers(min_value=0, max_value=120))
def test_any_month_and_day_in_the_last_120_days_is_that_day(back: int) -> None:
    day = ago(back)
    assert entries(parse(f"Emma ran 1 mile on {day.month}/{day.day}")) == [("Emma", 1.0, day)]


@given(st.sampled_from(["how", "what", "when", "where", "can", "should", "is", "are", "do",
                        "does", "will", "why", "could", "would"]),
       st.integers(min_value=1, max_value=10))
def test_a_message_starting_with_a_question_word_is_never_logged(word: str, n: int) -> None:
    for text in (f"{word} Emma ran {n} miles", f"{word.capitalize()} {n} miles for Jack"):
        assert parse(text).kind == "not_a_log"


CHATTER_BEFORE = ["", "Great day! ", "Update: ", "🎉 ", "Hi coach, ", "Yesterday was rainy. ",
                  "So proud!! ", "ok so "]
CHATTER_AFTER = ["", "!", " 🏃‍♀️🎉", " so proud", ". She loved it", " at the park",
                 " with grandma", " in the rain", ", yay"]


@given(st.integers(min_value=1, max_value=10), st.sampled_from(CHATTER_BEFORE),
       st.sampled_from(CHATTER_AFTER))
def test_friendly_chatter_around_a_log_does_not_change_it(n: int, before: str, after: str) -> None:
    parsed = parse(f"{before}Emma ran {n} miles{after}")
    assert (parsed.kind, entries(parsed)) == ("log", [("Emma", float(n), TODAY)])
