"""`finalmile faq review` and `finalmile faq export` as an organizer meets them: what families
taught the FAQ waits for a decision, each step is one scriptable command, and the export puts
the accepted wordings into the YAML file, which `faq check` still accepts."""

from __future__ import annotations

import asyncio
import io
import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import Settings
from bot.domain.asking import Answered, Suggested
from bot.domain.learning import EntryAdded
from bot.services import build_services
from faq.kb import CONTENT_DIR
from storage import learned
from storage.types import utcnow

WATER = ("do they need a water bottle at practice", "does my kid need a water bottle at practice",
         "do they need a water bottle at practice?")
SHIRT = ("is there a shirt", "is there a shirt?", "do kids get a shirt")


def families_ask(settings: Settings) -> None:
    """Three families pick the practice entry for the water-bottle question; three more ask
    about shirts, which the FAQ does not answer."""
    async def run() -> None:
        async with build_services(settings, sending=False) as services:
            kroc = services.programs["kroc"]
            for chat_id, text in enumerate(WATER, start=1):
                result = await services.asking.ask(kroc, chat_id, "private", text)
                assert isinstance(result, Suggested)
                await services.asking.pick(chat_id, result.question_id, "practice-details")
            for chat_id, text in enumerate(SHIRT, start=10):
                await services.asking.ask(kroc, chat_id, "private", text)

    asyncio.run(run())


def answer_to(settings: Settings, text: str) -> str | None:
    async def run() -> str | None:
        async with build_services(settings, sending=False) as services:
            result = await services.asking.ask(services.programs["kroc"], 99, "private", text)
            return result.entry.id if isinstance(result, Answered) else None

    return asyncio.run(run())


def finalmile(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    status = main(list(argv), stdin=io.StringIO(), stdout=out)
    return status, out.getvalue()


def review_items(kind: str) -> list[dict]:
    status, out = finalmile("faq", "review", "--program", "kroc", "--json")
    assert status == 0
    return [item for item in map(json.loads, out.splitlines()) if item["kind"] == kind]


@pytest.fixture
def asked(settings: Settings, cli_env: None) -> Settings:
    families_ask(settings)
    return settings


def test_the_review_lists_the_candidate_and_the_group_and_accepting_answers_it(
        asked: Settings) -> None:
    status, out = finalmile("faq", "review", "--program", "kroc")
    assert status == 0
    assert "1 candidate(s), 1 group(s)" in out
    [candidate] = review_items("candidate")
    assert (candidate["entry"], candidate["families"]) == ("practice-details", 3)
    assert f"candidate #{candidate['id']}" in out and "-> practice-details" in out
    status, out = finalmile("faq", "review", "--program", "kroc", "--accept",
                            str(candidate["id"]))
    assert status == 0 and "Accepted" in out
    assert answer_to(asked, candidate["text"]) == "practice-details"
    assert review_items("candidate") == []
    assert finalmile("faq", "review", "--program", "kroc", "--accept",
                     str(candidate["id"]))[0] == 1  # decided already


def test_a_group_attached_to_an_entry_leaves_the_review(asked: Settings) -> None:
    [group] = review_items("group")
    assert (group["count"], group["families"]) == (3, 3)
    status, _ = finalmile("faq", "review", "--program", "kroc", "--attach", str(group["key"]),
                          "--entry", "no-such-entry")
    assert status == 1
    status, out = finalmile("faq", "review", "--program", "kroc", "--attach", str(group["key"]),
                            "--entry", "program-cost")
    assert status == 0 and "3 question(s) left the review" in out
    assert review_items("group") == []
    assert answer_to(asked, group["text"]) == "program-cost"


def test_a_dismissed_group_leaves_the_review_and_the_unanswered_list_for_good(
        asked: Settings) -> None:
    [group] = review_items("group")
    assert group["text"] in finalmile("faq", "unanswered", "--program", "kroc")[1]
    status, out = finalmile("faq", "review", "--program", "kroc", "--dismiss", str(group["key"]))
    assert status == 0 and f'Dismissed "{group["text"]}"; 3 question(s)' in out
    assert review_items("group") == []
    assert group["text"] not in finalmile("faq", "unanswered", "--program", "kroc")[1]
    assert answer_to(asked, group["text"]) is None  # dismissed, not answered
    assert finalmile("faq", "review", "--program", "kroc", "--dismiss",
                     str(group["key"]))[0] == 1  # gone already


def test_a_rejected_candidate_is_gone_and_an_unknown_program_is_refused(asked: Settings
                                                                       ) -> None:
    [candidate] = review_items("candidate")
    assert finalmile("faq", "review", "--program", "kroc", "--reject",
                     str(candidate["id"]))[0] == 0
    assert review_items("candidate") == []
    assert finalmile("faq", "review", "--program", "nope")[0] == 2
    assert finalmile("faq", "review", "--program", "kroc", "--attach", "1")[0] == 2


def test_the_export_writes_accepted_wordings_into_the_yaml_once_and_faq_check_accepts_it(
        asked: Settings, tmp_path: Path) -> None:
    [candidate] = review_items("candidate")
    finalmile("faq", "review", "--program", "kroc", "--accept", str(candidate["id"]), "--text",
              "Does my child need a water bottle at practice?")
    out_file = tmp_path / "kroc.yaml"
    status, out = finalmile("faq", "export", "--program", "kroc", "--out", str(out_file))
    assert status == 0 and "Wrote 1 alternate(s) and 0 entry(ies)" in out
    source = (CONTENT_DIR / "kroc.yaml").read_text(encoding="utf-8")
    written = out_file.read_text(encoding="utf-8")
    added = [line for line in written.splitlines() if line not in source.splitlines()]
    assert added == ['      - "Does my child need a water bottle at practice?"']
    assert written.count("# ") == source.count("# ")  # the comments stay
    assert finalmile("faq", "check", str(out_file)) == (0, "All knowledge bases are valid.\n")
    status, out = finalmile("faq", "export", "--program", "kroc", "--out", str(out_file))
    assert "Wrote 0 alternate(s)" in out  # marked exported: not written twice
    assert out_file.read_text(encoding="utf-8") == written  # ... nor lost from the file


def test_taking_back_an_exported_wording_says_the_file_still_has_it(
        asked: Settings, tmp_path: Path) -> None:
    [candidate] = review_items("candidate")
    finalmile("faq", "review", "--program", "kroc", "--accept", str(candidate["id"]))
    finalmile("faq", "export", "--program", "kroc", "--out", str(tmp_path / "kroc.yaml"))
    status, out = finalmile("faq", "review", "--program", "kroc", "--reject",
                            str(candidate["id"]))
    assert status == 0 and "remove it from the YAML file too" in out


def test_an_entry_written_in_the_bot_is_exported_once_it_has_the_alternates_check_asks_for(
        asked: Settings, tmp_path: Path) -> None:
    async def write_entry() -> str:
        async with build_services(asked, sending=False) as services:
            added = await services.learning.add_entry(
                "kroc", 777, "Race day", "Do the kids get a race shirt?",
                "Yes: every registered child gets a KROC shirt at packet pickup.")
            assert isinstance(added, EntryAdded)
            return added.entry.id

    async def accept(entry_id: str, texts: tuple[str, ...]) -> None:
        async with (build_services(asked, sending=False) as services,
                    services.db.session() as session, session.begin()):
            for text in texts:
                await learned.accept_wording(session, "kroc", entry_id, text, 3, None,
                                             utcnow())

    entry_id = asyncio.run(write_entry())
    asyncio.run(accept(entry_id, SHIRT))
    out_file = tmp_path / "kroc.yaml"
    status, out = finalmile("faq", "export", "--program", "kroc", "--out", str(out_file))
    assert status == 0 and "Held back" in out and entry_id in out
    assert entry_id not in out_file.read_text(encoding="utf-8")
    asyncio.run(accept(entry_id, ("race shirt?", "do kids get t-shirts",
                                  "will my son get a shirt", "when do kids get their race shirts")))
    status, out = finalmile("faq", "export", "--program", "kroc", "--out", str(out_file))
    assert status == 0 and "and 1 entry(ies)" in out, out
    written = out_file.read_text(encoding="utf-8")
    assert f"  - id: {entry_id}\n    topic: Race day\n" in written
    assert finalmile("faq", "check", str(out_file)) == (0, "All knowledge bases are valid.\n")
    assert answer_to(asked, "race shirt?") == entry_id


class Terminal(io.StringIO):
    """Standard input as a person at a terminal types it."""

    def isatty(self) -> bool:
        return True


def test_at_a_terminal_the_review_asks_about_each_item_in_turn(asked: Settings) -> None:
    out = io.StringIO()
    typed = Terminal("e\nShould my child bring a water bottle to practice?\nprogram-cost\n")
    assert main(["faq", "review", "--program", "kroc"], stdin=typed, stdout=out) == 0
    assert "[a]ccept, [e]dit, [r]eject" in out.getvalue()
    assert "attach to entry id" in out.getvalue()
    assert review_items("candidate") == [] and review_items("group") == []
    assert answer_to(asked, "Should my child bring a water bottle to practice?") == (
        "practice-details")
    assert answer_to(asked, SHIRT[0]) == "program-cost"


def test_at_a_terminal_a_dash_dismisses_a_group(asked: Settings) -> None:
    out = io.StringIO()
    assert main(["faq", "review", "--program", "kroc"], stdin=Terminal("\n-\n"), stdout=out) == 0
    assert "- dismisses" in out.getvalue() and "Dismissed" in out.getvalue()
    assert review_items("group") == [] and len(review_items("candidate")) == 1


def test_piped_input_is_never_read_as_answers(asked: Settings) -> None:
    out = io.StringIO()
    assert main(["faq", "review", "--program", "kroc"], stdin=io.StringIO("a\n"),
                stdout=out) == 0
    assert "[a]ccept" not in out.getvalue() and len(review_items("candidate")) == 1
