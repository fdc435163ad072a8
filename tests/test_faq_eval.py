"""Held-out evaluation: parent questions written apart from the knowledge base.

Each question is counted right (confident, correct entry), wrong (confident, wrong entry, or
any confident answer to an out-of-scope question) or abstained (choices offered or no answer).
A wrong confident answer is the worst outcome, so the bars below are tightest on it.
The dev set was used to tune the matcher's thresholds; the test set only measures. The held-out
set, written later and apart from both, is only checked for shape here: it is measured once, at
the end of the work, so that nothing is tuned on it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from faq.match import Matcher

DATA = Path(__file__).parent / "data"
HELD_OUT = "faq_eval_heldout.yaml"  # measured once, at the end of the work
REPORT: list[str] = []  # printed at the end of the run by conftest.pytest_terminal_summary


@dataclass
class Tally:
    right: int = 0
    wrong: int = 0
    abstained: int = 0
    offered: int = 0  # abstained, but the right entry was among the choices
    out_answered: int = 0
    out_total: int = 0
    mistakes: list[str] = field(default_factory=list)

    @property
    def in_total(self) -> int:
        return self.right + self.wrong + self.abstained


def evaluate(cases: list[dict], matchers: dict[str, Matcher]) -> Tally:
    tally = Tally()
    for case in cases:
        expect = case["expect"]
        expected = set(expect) if isinstance(expect, list) else {expect} if expect else set()
        result = matchers[case["program"]].match(case["q"])
        if not expected:
            tally.out_total += 1
            if result.confident:
                tally.out_answered += 1
                tally.mistakes.append(f"out of scope, answered {result.entry.id}: {case['q']}")
        elif result.confident and result.entry.id in expected:
            tally.right += 1
        elif result.confident:
            tally.wrong += 1
            tally.mistakes.append(f"{result.entry.id} instead of {expect}: {case['q']}")
        else:
            tally.abstained += 1
            if expected & {s.entry.id for s in result.suggestions}:
                tally.offered += 1
    return tally


@pytest.fixture(scope="module")
def matchers(kbs) -> dict[str, Matcher]:  # type: ignore[no-untyped-def]
    return {slug: Matcher(kb) for slug, kb in kbs.items()}


def load(name: str) -> list[dict]:
    return yaml.safe_load((DATA / name).read_text())


def report(name: str, t: Tally) -> None:
    n = t.in_total
    REPORT.append(
        f"{name}: in scope {n}: right {t.right} ({t.right / n:.0%}), wrong {t.wrong} "
        f"({t.wrong / n:.1%}), abstained {t.abstained} (right one offered in {t.offered}); "
        f"out of scope {t.out_total}: answered {t.out_answered}"
    )
    REPORT.extend(f"  {m}" for m in t.mistakes)


def expected_ids(case: dict) -> list[str]:
    expect = case["expect"]
    return expect if isinstance(expect, list) else [expect] if expect else []


def kind(case: dict) -> str | None:
    """In scope, or for a question no entry answers: near (about the program) or far."""
    return "in scope" if case["expect"] else case.get("kind")


def test_the_evaluation_sets_are_large_and_apart_from_the_knowledge_base(kbs) -> None:  # type: ignore[no-untyped-def]
    test, dev, held = (load(n) for n in ("faq_eval_test.yaml", "faq_eval_dev.yaml", HELD_OUT))
    assert sum(1 for c in test if c["expect"]) >= 100
    assert sum(1 for c in test if not c["expect"]) >= 30
    phrasings = {p.lower().strip() for kb in kbs.values() for e in kb.entries for p in e.phrasings}
    assert not [c["q"] for c in test + dev + held if c["q"].lower().strip() in phrasings]
    assert not {c["q"] for c in test} & {c["q"] for c in dev}
    asked_before = {c["q"].lower().strip() for c in test + dev}
    assert not [c["q"] for c in held if c["q"].lower().strip() in asked_before]
    assert len({c["q"].lower().strip() for c in held}) == len(held)
    assert not [(c["program"], i) for c in held for i in expected_ids(c)
                if kbs[c["program"]].entry(i) is None]


def test_the_held_out_set_covers_both_programs_in_and_out_of_scope(kbs) -> None:  # type: ignore[no-untyped-def]
    """Only its shape is checked here; it is measured once, at the end, not on every run."""
    held = load(HELD_OUT)
    kinds = Counter(kind(c) for c in held)
    assert kinds["in scope"] >= 100 and kinds["near"] >= 60 and kinds["far"] >= 30
    assert set(kinds) == {"in scope", "near", "far"}
    assert not [c["q"] for c in held if c["expect"] and "kind" in c]
    for slug in kbs:
        assert {kind(c) for c in held if c["program"] == slug} == set(kinds)


@pytest.mark.parametrize("name", ["faq_eval_dev.yaml", "faq_eval_test.yaml"])
def test_the_matcher_would_rather_abstain_than_answer_wrongly(name: str, matchers) -> None:  # type: ignore[no-untyped-def]
    t = evaluate(load(name), matchers)
    report(name, t)
    assert t.right / t.in_total >= MIN_RIGHT
    assert t.wrong / t.in_total <= MAX_WRONG
    assert t.out_answered / t.out_total <= MAX_OUT_OF_SCOPE_ANSWERED


MIN_RIGHT = 0.65
MAX_WRONG = 0.03
MAX_OUT_OF_SCOPE_ANSWERED = 0.05
