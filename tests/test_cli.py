"""The organizers' command line: `finalmile faq ask` and `finalmile faq check`."""

import io
import json

from bot.cli import main


def ask(*args: str, stdin: str = "") -> tuple[int, list[str]]:
    out = io.StringIO()
    code = main(["faq", "ask", *args], stdin=io.StringIO(stdin), stdout=out)
    return code, out.getvalue().splitlines()


def test_faq_ask_json_writes_one_object_per_question_line() -> None:
    code, lines = ask("--program", "kroc", "--json", "-",
                      stdin="refnd policy?\nwhere do i park my spaceship\n\ncoach\n")
    assert code == 0
    records = [json.loads(line) for line in lines]
    assert [r["question"] for r in records] == ["refnd policy?", "where do i park my spaceship",
                                                 "coach"]
    for r in records:
        assert set(r) == {"question", "answer", "entry", "score", "confident", "suggestions"}
    refund, spaceship, coach = records
    assert refund["confident"] and refund["entry"] == "refunds"
    assert refund["answer"].startswith("We have a no refund policy")
    assert not spaceship["confident"] and spaceship["answer"] is None
    assert spaceship["entry"] is None
    assert coach["answer"] is None and 1 <= len(coach["suggestions"]) <= 3
    assert {"entry", "question", "score"} == set(coach["suggestions"][0])


def test_faq_ask_gives_no_answer_to_small_talk_or_a_typed_button() -> None:
    code, lines = ask("--program", "kroc", "--json", "-", stdin="Cancel\nthanks!\n")
    assert code == 0
    for record in map(json.loads, lines):
        assert record["answer"] is None and not record["confident"]
        assert record["suggestions"] == []


def test_faq_ask_answers_a_question_given_as_arguments() -> None:
    code, lines = ask("--program", "little-rockers", "what", "shoes", "should", "she", "wear")
    assert code == 0
    assert lines[1].startswith("A: Wear running shoes or sneakers and socks.")


def test_faq_ask_refuses_an_unknown_program(capsys) -> None:  # type: ignore[no-untyped-def]
    code, _ = ask("--program", "nope", "-", stdin="refund?\n")
    assert code == 2
    assert "Unknown program 'nope'. Known: kroc, little-rockers" in capsys.readouterr().err


def test_faq_check_reports_valid_files() -> None:
    out = io.StringIO()
    assert main(["faq", "check"], stdout=out) == 0
    assert out.getvalue() == "All knowledge bases are valid.\n"
