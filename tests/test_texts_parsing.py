"""How the bot words what the mile parser found: every reason has its sentence, once."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.miles import Parsed, Reason, Why, parse_miles
from bot.texts.parsing import reason_text

TODAY = date(2026, 11, 23)
WITH_DATA = {
    Reason.FUTURE: Why(Reason.FUTURE, day=date(2026, 11, 25), today=TODAY),
    Reason.TOO_OLD: Why(Reason.TOO_OLD, day=date(2025, 12, 25), today=TODAY),
    Reason.OVER_CAP: Why(Reason.OVER_CAP, cap=10.0, child="Emma"),
    Reason.ADULT: Why(Reason.ADULT, ("Emma", "Jack")),
    Reason.WHICH_CHILD: Why(Reason.WHICH_CHILD, ("Emma", "Jack")),
    Reason.WHICH_TWO: Why(Reason.WHICH_TWO, ("Emma", "Jack", "Lily")),
    Reason.UNKNOWN_CHILD: Why(Reason.UNKNOWN_CHILD, ("Emma", "Jack"), ("Lily",)),
    Reason.UNKNOWN_BESIDE_KNOWN: Why(Reason.UNKNOWN_BESIDE_KNOWN, ("Emma",), ("Lily",)),
    Reason.UNREAD_BESIDE_READ: Why(Reason.UNREAD_BESIDE_READ, ("Emma",), unread=("Jack",)),
    Reason.BARE_NUMBER: Why(Reason.BARE_NUMBER, miles=2.0),
    Reason.NOT_COUNTED: Why(Reason.NOT_COUNTED, ("Emma",), activity="bike"),
    Reason.RUN_OR_RIDE: Why(Reason.RUN_OR_RIDE, activity="swim"),
    Reason.PART_NOT_COUNTED: Why(Reason.PART_NOT_COUNTED, ("Jack",), activity="scooter"),
    Reason.UNKNOWN_LOOP: Why(Reason.UNKNOWN_LOOP, place="the park"),
    Reason.RUNNING_TOTAL: Why(Reason.RUNNING_TOTAL, ("Jack",)),
}


@pytest.mark.parametrize("reason", list(Reason))
def test_every_reason_the_parser_gives_is_put_in_words(reason: Reason) -> None:
    text = reason_text(WITH_DATA.get(reason, Why(reason)))
    assert text and text[0].isupper() and text.endswith((".", "?"))
    assert "None" not in text and "_" not in text


def test_each_reason_has_its_own_sentence() -> None:
    texts = [reason_text(WITH_DATA.get(r, Why(r))) for r in Reason]
    assert len(set(texts)) == len(texts)


def test_days_are_named_with_the_year_only_when_it_is_not_this_year() -> None:
    assert reason_text(WITH_DATA[Reason.FUTURE]) == (
        "Wed Nov 25 is in the future, so there's nothing to log yet.")
    assert reason_text(WITH_DATA[Reason.TOO_OLD]) == (
        "Thu Dec 25, 2025 is more than 120 days ago, too far back to log.")


def test_the_cap_is_said_as_the_program_sets_it() -> None:
    assert reason_text(Why(Reason.OVER_CAP, cap=12.5)) == (
        "That's more than 12.5 miles in a day, more than the program counts for one day. "
        "If it was over several days, log each day on its own.")


def test_a_bare_number_is_asked_about_before_the_question_of_who_ran() -> None:
    assert reason_text(Why(Reason.UNKNOWN_CHILD, ("Emma", "Jack", "Leo"), ("Lily", "Noah"),
                           miles=1.0)) == ("Log 1 mile? I don't know Lily or Noah. I know "
                                           "Emma, Jack and Leo. Who ran these miles?")


def test_a_logged_message_has_nothing_to_explain() -> None:
    parsed = parse_miles("Emma ran 2 miles", today=TODAY, children=("Emma",))
    assert (parsed.kind, reason_text(parsed)) == ("log", None)
    assert reason_text(Parsed("chat", "not_a_log")) is None
