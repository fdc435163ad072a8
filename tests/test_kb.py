"""Knowledge-base files: the shipped ones are valid, and mistakes are named precisely."""

import json
from pathlib import Path

import pytest

from bot.domain.programs import load_programs
from faq.check import check_files
from faq.kb import MIN_ALTERNATES, KnowledgeBaseError, knowledge_base_files, load_knowledge_bases

GOOD_ENTRY = """
  - id: {id}
    topic: Race day
    question: {question}
    alternates: [{alternates}]
    answer: {answer}
"""


def write_kb(tmp_path: Path, entries: str, program: str | None = None) -> Path:
    program = program or (
        "program:\n  slug: demo\n  name: Demo Run\n  fallback_contact: the demo coach\n"
    )
    path = tmp_path / "demo.yaml"
    path.write_text(program + "entries:" + entries)
    return path


def entry(id: str, question: str, alternates: list[str], answer: str = "An answer.") -> str:
    quoted = ", ".join(json.dumps(a) for a in alternates)  # JSON strings are YAML strings
    return GOOD_ENTRY.format(id=id, question=question, alternates=quoted, answer=answer)


SIX = ["a one", "a two", "a three", "a four", "a five", "a six"]


def test_the_shipped_programs_load_with_every_seed_answer(kbs) -> None:  # type: ignore[no-untyped-def]
    assert set(kbs) == {"kroc", "little-rockers"}
    assert len(kbs["kroc"].entries) == 14  # 8 parent answers + 6 coach answers in the seed
    programs = load_programs()
    assert programs["kroc"].contacts[1].email == "adrienne@ocmarathon.com"
    assert programs["little-rockers"].goal_miles == 25.2
    assert programs["little-rockers"].milestones == (5, 10, 15, 20, 25.2)
    for kb in kbs.values():
        assert all(len(e.alternates) >= MIN_ALTERNATES for e in kb.entries)


def test_faq_check_passes_on_the_shipped_files() -> None:
    assert [str(p) for p in check_files(knowledge_base_files())] == []


def test_a_missing_answer_names_file_and_entry(tmp_path: Path) -> None:
    path = write_kb(tmp_path, "\n  - id: refunds\n    topic: Money\n    question: Refund?\n"
                              "    alternates: [a, b, c, d, e, f]\n")
    assert [str(p) for p in check_files([path])] == [
        "demo.yaml: entry 'refunds': missing field(s) answer"]


def test_a_duplicate_id_is_reported(tmp_path: Path) -> None:
    path = write_kb(tmp_path, entry("refunds", "Can I get a refund?", SIX)
                    + entry("refunds", "Is there a fee?", SIX))
    assert "demo.yaml: entry 'refunds': duplicate id" in [str(p) for p in check_files([path])]


def test_too_few_alternates_is_reported(tmp_path: Path) -> None:
    path = write_kb(tmp_path, entry("refunds", "Can I get a refund?", ["refund?"]))
    problems = [str(p) for p in check_files([path])]
    assert "demo.yaml: entry 'refunds': has 1 alternate phrasing(s), needs at least 6" in problems


def test_a_phrasing_closer_to_another_entry_is_reported(tmp_path: Path) -> None:
    refunds = entry("refunds", "Can I get a refund?",
                    ["money back?", "refund please", "reimbursement", "refund policy",
                     "refunds", "can we get refunded", "what does the fee cost"])
    cost = entry("cost", "How much is the fee?",
                 ["fee?", "price", "cost of the program", "what does it cost", "how expensive",
                  "fees for the event"])
    problems = [str(p) for p in check_files([write_kb(tmp_path, refunds + cost)])]
    assert len(problems) == 1
    assert problems[0].startswith(
        "demo.yaml: entry 'refunds': phrasing “what does the fee cost” is closer to entry 'cost'")


def test_a_broken_file_does_not_start_the_bot(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("program: [unclosed\n")
    with pytest.raises(KnowledgeBaseError) as error:
        load_knowledge_bases([bad])
    assert "bad.yaml: cannot read" in str(error.value)


def test_a_missing_program_section_is_reported(tmp_path: Path) -> None:
    path = write_kb(tmp_path, entry("refunds", "Refund?", SIX), program="title: oops\n")
    assert "demo.yaml: missing 'program' section" in [str(p) for p in check_files([path])]
