"""The organizers' /review as it reads: long reviews come five at a time, and every button of it
fits Telegram's limit."""

from __future__ import annotations

from bot.domain.learning import Candidate, NotAnOrganizerHere, Review, ReviewGroup
from bot.domain.programs import Program
from bot.texts import review as review_texts
from faq.kb import KnowledgeBase


def test_a_long_review_shows_five_of_each_and_says_more_come_next(
        programs: dict[str, Program], kbs: dict[str, KnowledgeBase]) -> None:
    kb = kbs["kroc"]
    candidates = tuple(Candidate(i, "grades", "What grades can take part in KROC?",
                                 f"can my {i}th grader join", 3, ()) for i in range(1, 8))
    groups = tuple(ReviewGroup(100 + i, f"question {i}", 2, 2, (f"question {i}",),
                               ("spectators",)) for i in range(6))
    heading, *items = review_texts.review(Review(programs["kroc"], candidates, groups, kb,
                                                 auto_accept=False))
    assert heading.text.startswith("📝 FAQ review for KROC: 7 wordings to accept or reject, "
                                   "6 groups of questions I couldn't answer.")
    assert "Here are the first 5 of each; /review shows the next ones" in heading.text
    assert len(items) == 10
    assert "Parents said my answer “Can family and friends come and watch?” was not what they " \
        "asked." in items[-1].text
    for reply in (heading, *items):
        for row in reply.buttons:
            for button in row:
                assert button.data.pack()  # refuses over 64 bytes


def test_a_program_that_accepts_on_its_own_says_so(programs: dict[str, Program],
                                                   kbs: dict[str, KnowledgeBase]) -> None:
    [heading] = review_texts.review(Review(programs["kroc"], (), (), kbs["kroc"],
                                           auto_accept=True))
    assert heading.text.startswith("📝 Nothing to review for KROC")
    assert "KROC accepts wordings on its own once enough families asked them" in heading.text


def test_anyone_else_is_refused() -> None:
    [refused] = review_texts.review(NotAnOrganizerHere())
    assert refused.text.startswith("Sorry, /review is for this program's organizers")


def test_taking_back_an_exported_wording_says_it_is_still_answered_from_the_file() -> None:
    from bot.domain.learning import Rejected
    from bot.texts.review import rejected

    assert "won't suggest" in rejected(Rejected(1, "refunds", "money back?")).text
    taken_back = rejected(Rejected(1, "refunds", "money back?", in_file=True)).text
    assert "exported into the FAQ file" in taken_back and "won't suggest" not in taken_back
