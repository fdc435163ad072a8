"""The matcher answers only what an entry explains; a shared common word is not enough."""

from __future__ import annotations

from dataclasses import replace

import pytest

from faq.kb import KnowledgeBase
from faq.match import Matcher


@pytest.fixture(scope="module")
def kroc(kbs: dict[str, KnowledgeBase]) -> Matcher:
    return Matcher(kbs["kroc"])


@pytest.mark.parametrize(
    ("question", "looked_like", "why"),
    [
        # "long drive to the race" shares both words, but nobody asked how long it is
        ("how long is the race", "living-far-away", "asks-otherwise"),
        # the practices entry covers rain at practice, not on race day
        ("what if it rains on race day", "practice-details", "unexplained"),
        # the arrival entry says to come early for parking, not where it is
        ("wheres parking", "arrival-time", "asks-otherwise"),
        # ... nor what parking costs: no phrasing of it asks "how much"
        ("how much is parking", "arrival-time", "asks-otherwise"),
        ("how do i volunteer on race day", "become-a-coach", "unexplained"),
    ],
)
def test_a_question_near_an_entry_is_not_answered_with_it(
        kroc: Matcher, question: str, looked_like: str, why: str) -> None:
    result = kroc.match(question)
    assert not result.confident
    assert result.best is not None and result.best.entry.id == looked_like
    assert result.withheld == why


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("what time should we get there on race day", "arrival-time"),
        ("where is practice", "practice-details"),
        ("is practice still on when it rains", "practice-details"),
        ("we homeschool, can my kids do the final mile without a school coach",
         "school-without-coach"),
        ("who do i email to become a coach", "become-a-coach"),
    ],
)
def test_questions_the_entry_explains_are_still_answered(
        kroc: Matcher, question: str, entry: str) -> None:
    result = kroc.match(question)
    assert result.entry is not None and result.entry.id == entry


def test_a_withheld_entry_is_still_offered_to_choose(kroc: Matcher) -> None:
    result = kroc.match("wheres parking")
    assert result.outcome == "suggest"
    assert [s.entry.id for s in result.suggestions] == ["arrival-time"]


def test_a_wrapper_can_ask_why_an_entry_would_be_a_guess(kroc: Matcher) -> None:
    far_away = kroc.kb.entry("living-far-away")
    assert far_away is not None
    assert kroc.doubt("how long is the race", far_away) == "asks-otherwise"
    assert kroc.doubt("we live really far from the race", far_away) is None


def test_a_learned_phrasing_lets_the_entry_answer(kbs: dict[str, KnowledgeBase]) -> None:
    """Organizers decide the arrival tip answers "where do we park": a new Matcher over the
    knowledge base with that alternate answers it, the YAML untouched."""
    kb = kbs["kroc"]
    entries = tuple(
        replace(e, alternates=(*e.alternates, "where do we park")) if e.id == "arrival-time"
        else e for e in kb.entries)
    learned = Matcher(KnowledgeBase(kb.slug, entries, kb.source))
    assert Matcher(kb).match("wheres parking").entry is None
    result = learned.match("wheres parking")
    assert result.entry is not None and result.entry.id == "arrival-time"
