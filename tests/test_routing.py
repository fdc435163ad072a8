"""Questions go to the FAQ, never into the training log: every parent question of the FAQ
evaluation sets, sent by a family with two children, must read as "not a log"."""

import datetime as dt
from pathlib import Path

import pytest
import yaml

from bot.domain.miles import parse_miles

DATA = Path(__file__).parent / "data"
QUESTIONS = [c["q"] for name in ("faq_eval_dev.yaml", "faq_eval_test.yaml")
             for c in yaml.safe_load((DATA / name).read_text())]


@pytest.mark.parametrize("question", QUESTIONS)
def test_no_parent_question_is_taken_for_a_mile_log(question: str) -> None:
    parsed = parse_miles(question, today=dt.date(2026, 11, 23), children=["Emma", "Jack"])
    assert parsed.kind == "not_a_log", parsed
