"""Grouping what parents asked so an organizer reads each question once, however it was typed."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot.domain.unanswered import (
    AskedQuestion,
    QuestionGroup,
    fold_typos,
    group_questions,
    similarity,
)
from faq.kb import KnowledgeBase
from faq.match import Matcher

LA = ZoneInfo("America/Los_Angeles")
START = dt.datetime(2026, 10, 1, 18, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def matcher(kbs: dict[str, KnowledgeBase]) -> Matcher:
    return Matcher(kbs["kroc"])


def grouped(matcher: Matcher, *texts: str) -> list[QuestionGroup]:
    """Each text asked by its own family, a day after the one before."""
    asked = [AskedQuestion(text, chat, START + dt.timedelta(days=chat))
             for chat, text in enumerate(texts)]
    return group_questions(asked, matcher.normalizer.terms, LA)


def wordings(groups: list[QuestionGroup]) -> list[set[str]]:
    return [set(g.wordings) for g in groups]


def test_parking_asked_three_ways_is_one_question(matcher: Matcher) -> None:
    [group] = grouped(matcher, "wheres parking", "where is parking?", "Where do we park")
    assert (group.count, group.families) == (3, 3)
    assert set(group.wordings) == {"wheres parking", "where is parking?", "Where do we park"}


@pytest.mark.parametrize("same", [
    ("can my dog come", "are dogs allowed", "bring the dog?"),
    ("medal engraving", "can they engrave the medals"),
    ("is there wifi", "wifi password?", "WIFI??"),
    ("are there bathrooms", "bathrooms at the venue?", "bathrom?"),
    ("strollers allowed?", "can we bring a stroller"),
    ("is there a t-shirt for parents", "parent shirts?"),
])
def test_one_question_typed_differently_is_one_group(matcher: Matcher,
                                                     same: tuple[str, ...]) -> None:
    assert wordings(grouped(matcher, *same)) == [set(same)]


def test_different_questions_stay_apart(matcher: Matcher) -> None:
    groups = grouped(matcher, "where is parking", "can my dog come", "is there wifi",
                     "are there bathrooms", "medal engraving", "who is our coach",
                     "is there parking for the stroller", "can we bring a stroller")
    assert len(groups) == 7
    assert {"is there parking for the stroller", "can we bring a stroller"} in wordings(groups)


def test_biggest_group_first_then_most_families_then_most_recent(matcher: Matcher) -> None:
    asked = [AskedQuestion("can my dog come", 1, START),
             AskedQuestion("dogs allowed?", 1, START + dt.timedelta(days=1)),
             AskedQuestion("is there wifi", 2, START),
             AskedQuestion("wifi password", None, START + dt.timedelta(days=1)),
             AskedQuestion("medal engraving", 3, START + dt.timedelta(days=5)),
             AskedQuestion("bathrooms?", 4, START + dt.timedelta(days=9)),
             AskedQuestion("where is parking", 5, START + dt.timedelta(days=2)),
             AskedQuestion("wheres parking", 6, START + dt.timedelta(days=3)),
             AskedQuestion("parking??", 5, START + dt.timedelta(days=4))]
    groups = group_questions(asked, matcher.normalizer.terms, LA)
    assert [(g.question, g.count, g.families) for g in groups] == [
        ("parking??", 3, 2), ("is there wifi", 2, 2), ("dogs allowed?", 2, 1),
        ("bathrooms?", 1, 1), ("medal engraving", 1, 1)]


def test_the_wording_shown_is_the_most_asked_then_spelled_as_most_spell_it(
        matcher: Matcher) -> None:
    [group] = grouped(matcher, "bathrom?", "are there bathrooms", "Are there bathrooms?")
    assert group.question == "are there bathrooms"  # asked twice (case and "?" aside)
    [group] = grouped(matcher, "bathrom?", "bathroooms?", "bathrooms?", "bathrooms at the venue")
    assert group.question == "bathrooms?"  # once each: the shortest spelled right


def test_first_and_last_seen_are_days_in_the_programs_time_zone(matcher: Matcher) -> None:
    evening_in_la = dt.datetime(2026, 11, 3, 2, 30, tzinfo=dt.UTC)  # Nov 2, 6:30 pm in LA
    week_later = evening_in_la + dt.timedelta(days=7)
    asked = [AskedQuestion("is there wifi", 1, week_later),
             AskedQuestion("wifi?", 2, evening_in_la)]
    [group] = group_questions(asked, matcher.normalizer.terms, LA)
    assert (group.first_seen, group.last_seen) == (dt.date(2026, 11, 2), dt.date(2026, 11, 9))


def test_askers_forgotten_after_the_retention_period_count_one_family_each(
        matcher: Matcher) -> None:
    asked = [AskedQuestion("is there wifi", None, START), AskedQuestion("wifi?", None, START),
             AskedQuestion("wifi password", 7, START), AskedQuestion("WIFI", 7, START)]
    [group] = group_questions(asked, matcher.normalizer.terms, LA)
    assert (group.count, group.families) == (4, 3)


def test_sharing_half_the_topic_weight_is_the_same_question() -> None:
    assert similarity({"park": 1.0}, {"park": 1.0}) == 1.0
    assert similarity({"bathroom": 1.0}, {"bathroom": 1.0, "venue": 1.0}) == 0.5
    assert similarity({"park": 0.6}, {"park": 0.6, "stroller": 1.0}) < 0.5
    assert similarity({}, {"park": 1.0}) == 0.0


def test_a_word_typed_two_ways_is_written_the_commoner_way() -> None:
    topics = [{"bathroom": 1.0}, {"bathrom": 1.0}, {"bathroom": 0.8, "venue": 1.0},
              {"park": 0.6}, {"pack": 0.7}]
    assert fold_typos(topics) == [{"bathroom": 1.0}, {"bathroom": 1.0},
                                  {"bathroom": 0.8, "venue": 1.0}, {"park": 0.6},
                                  {"pack": 0.7}]  # short words are not guessed at
