"""What the FAQ learned goes back into its YAML file as an organizer would have written it:
nothing else in the file changes, nothing is written twice, and what `faq check` would refuse
stays out."""

from __future__ import annotations

from faq.export import Learned, export_checked
from faq.kb import CONTENT_DIR, Entry

SOURCE = (CONTENT_DIR / "kroc.yaml").read_text(encoding="utf-8")


def new_lines(text: str) -> list[str]:
    old = SOURCE.splitlines()
    return [line for line in text.splitlines() if line not in old]


def test_nothing_learned_leaves_the_file_as_it_was() -> None:
    assert export_checked(SOURCE, []).text == SOURCE


def test_an_alternate_goes_under_its_entry_once() -> None:
    rows = [Learned("a:1", "spectators", "can the whole family come cheer"),
            Learned("a:2", "spectators", "Can the whole family come cheer?"),
            Learned("a:3", "spectators", "can grandma watch")]  # in the file already
    done = export_checked(SOURCE, rows)
    assert new_lines(done.text) == ['      - "can the whole family come cheer"']
    assert done.written == ("a:1", "a:2", "a:3") and done.misleading == ()


def test_a_learned_phrasing_closer_to_another_entry_is_held_back() -> None:
    rows = [Learned("a:1", "spectators", "how much does the program cost")]
    done = export_checked(SOURCE, rows)
    assert done.text == SOURCE and done.written == ()
    assert done.misleading


def test_a_written_entry_short_of_alternates_is_held_back() -> None:
    entry = Entry("race-shirts", "Race day", "Do the kids get a race shirt?", "Yes.",
                  ("is there a shirt",))
    done = export_checked(SOURCE, [Learned("e:1", entry.id, entry=entry)])
    assert done.text == SOURCE and done.held_back == ("race-shirts",)
