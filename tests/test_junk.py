"""What is left out of the organizers' unanswered list, and what must stay in it."""

import pytest

from bot.domain.junk import MAX_QUESTION_CHARS, Junk, junk

# Words parents of this program typed into /addkid: children's names and schools.
NAMES = ("Emma", "Jack", "Sofia", "Lincoln Elementary", "Adams Middle School")


@pytest.mark.parametrize("text", [
    "wheres parking",
    "where is parking?",
    "Where do we park",
    "bathrooms",
    "are there bathrooms at the venue",
    "is there wifi",
    "stroller ok?",
    "can grandma watch from the finish line",
    "my son lost his jacket at practice",
    "Is Emma registered?",
    "does Lincoln Elementary have a team this year",
    "what grade do you have to be in",
    "can a 2nd grader run with her 5th grade brother",
    "Jack's medal never arrived",
    "first aid tent?",
    "5k on saturday?",
    "can I select a shirt size from the list?",
    "Can we select sizes, or it's one size?",
    "can we drop off kids early and update the school later?",
    "I need to change the school on my account",
    "what if it rains, do we still run?!",
    "race day = saturday or sunday?",
    "how much does it cost (per child)?",
    "¿Dónde se estaciona?",
    "Medal engraving",
    "x" * MAX_QUESTION_CHARS,
])
def test_a_question_stays(text: str) -> None:
    assert junk(text, NAMES) is None


@pytest.mark.parametrize(("text", "why"), [
    ("x" * (MAX_QUESTION_CHARS + 1), Junk.TOO_LONG),
    ("Dear organizers, " + "we loved the race and " * 20, Junk.TOO_LONG),
    ("a" * 5000, Junk.TOO_LONG),
    ("'; DROP TABLE children; --", Junk.CODE),
    ("Robert'); DROP TABLE Students;--", Junk.CODE),
    ("SELECT * FROM questions", Junk.CODE),
    ("select first_name, grade from children where id = 1", Junk.CODE),
    ("SELECT first_name FROM children", Junk.CODE),
    ("1' OR '1'='1", Junk.CODE),
    ("admin' or 1=1 --", Junk.CODE),
    ("UNION SELECT password FROM users", Junk.CODE),
    ("<script>alert('hi')</script>", Junk.CODE),
    ('<img src=x onerror="alert(1)">', Junk.CODE),
    ("{{7*7}}", Junk.CODE),
    ("${jndi:ldap://example.com/a}", Junk.CODE),
    ("console.log(document.cookie)", Junk.CODE),
    ("def main():\n    print('hello')", Junk.CODE),
    ("function f() { return 1 }", Junk.CODE),
    ("const x = require('fs');", Junk.CODE),
    ("```python\nimport os\n```", Junk.CODE),
    ("../../etc/passwd", Junk.CODE),
    ("rm -rf /", Junk.CODE),
    ("ok", Junk.NOT_A_QUESTION),
    ("OK", Junk.NOT_A_QUESTION),
    ("okay thanks", Junk.NOT_A_QUESTION),
    ("thanks!", Junk.NOT_A_QUESTION),
    ("Thank you so much", Junk.NOT_A_QUESTION),
    ("hi", Junk.NOT_A_QUESTION),
    ("good morning", Junk.NOT_A_QUESTION),
    ("👍", Junk.NOT_A_QUESTION),
    ("🏃‍♀️🎉🎉", Junk.NOT_A_QUESTION),
    ("   ", Junk.NOT_A_QUESTION),
    ("?", Junk.NOT_A_QUESTION),
    ("lol", Junk.NOT_A_QUESTION),
    ("bye", Junk.NOT_A_QUESTION),
    ("Emma", Junk.TYPED_INTO_A_FLOW),
    ("emma", Junk.TYPED_INTO_A_FLOW),
    ("Emma R", Junk.TYPED_INTO_A_FLOW),
    ("Emma R.", Junk.TYPED_INTO_A_FLOW),
    ("Jack and Emma", Junk.TYPED_INTO_A_FLOW),
    ("Sofia?", Junk.TYPED_INTO_A_FLOW),
    ("Emma Rodriguez", Junk.TYPED_INTO_A_FLOW),
    ("Zelda Fitzgerald", Junk.TYPED_INTO_A_FLOW),
    ("Lincoln Elementary", Junk.TYPED_INTO_A_FLOW),
    ("lincoln", Junk.TYPED_INTO_A_FLOW),
    ("Roosevelt Elementary", Junk.TYPED_INTO_A_FLOW),
    ("2", Junk.TYPED_INTO_A_FLOW),
    ("K", Junk.TYPED_INTO_A_FLOW),
    ("3rd", Junk.TYPED_INTO_A_FLOW),
    ("2nd grade", Junk.TYPED_INTO_A_FLOW),
    ("kindergarten", Junk.TYPED_INTO_A_FLOW),
])
def test_junk_is_left_out_with_its_reason(text: str, why: Junk) -> None:
    assert junk(text, NAMES) == why


def test_a_name_no_family_gave_is_a_question_word_like_any_other() -> None:
    """Without the program's names, a lone lower-case word may be a topic ("stroller")."""
    assert junk("emma") is None
    assert junk("emma", ["Emma"]) == Junk.TYPED_INTO_A_FLOW
