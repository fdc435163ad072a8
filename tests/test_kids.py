"""The rules for a family's children: names as families call them, one first name each, at most
twelve children, and a child gone from the list stays gone. Results, not wording."""

from __future__ import annotations

import pytest

from bot.domain.kids import (
    MAX_CHILDREN,
    Added,
    FamilyFull,
    Gone,
    Kids,
    NameIssue,
    NameProblem,
    NameTaken,
    Removed,
    Renamed,
    parse_grade,
    parse_name,
)
from storage.db import Database

FAMILY = 501


@pytest.mark.parametrize(("typed", "name"), [
    ("emma", ("Emma", None)),
    ("  emma   r. ", ("Emma", "R")),
    ("Mary-Jane", ("Mary-Jane", None)),
    ("O'Neil S", ("O'Neil", "S")),
    ("Zoë", ("Zoë", None)),
])
def test_a_first_name_and_an_initial_are_read(typed: str, name: tuple[str, str | None]) -> None:
    assert parse_name(typed) == name


@pytest.mark.parametrize(("typed", "issue"), [
    ("", NameIssue.EMPTY),
    ("   ", NameIssue.EMPTY),
    ("Emma Rodriguez", NameIssue.NOT_A_NAME),
    ("emma2", NameIssue.NOT_A_NAME),
    ("how do I add my kid", NameIssue.NOT_A_NAME),
])
def test_what_is_not_a_name_says_why(typed: str, issue: NameIssue) -> None:
    assert parse_name(typed) == NameProblem(issue)


def test_grades_are_k_to_8_however_typed() -> None:
    assert [parse_grade(t) for t in ("k", "Kinder", "2nd", "grade 3", "8", "9", "")] == [
        "K", "K", "2", "3", "8", None, None]


async def test_a_child_is_added_unless_the_first_name_is_taken(db: Database) -> None:
    kids = Kids(db)
    added = await kids.add(FAMILY, "private", "Emma", "R", "2", "Lincoln")
    assert isinstance(added, Added) and added.child.name == "Emma R."
    assert await kids.add(FAMILY, "private", "émma", "S", "4", None) == NameTaken("Emma")
    assert [c.name for c in await kids.current(FAMILY)] == ["Emma R."]


async def test_a_family_is_full_at_twelve_children(db: Database) -> None:
    kids = Kids(db)
    for n in range(MAX_CHILDREN):
        assert isinstance(await kids.add(FAMILY, "private", f"Kid{'abcdefghijkl'[n]}", None,
                                         "2", None), Added)
    assert await kids.add(FAMILY, "private", "Zoe", None, "2", None) == FamilyFull(MAX_CHILDREN)


async def test_renaming_keeps_first_names_unique_and_a_removed_child_is_gone(
        db: Database) -> None:
    kids = Kids(db)
    emma = await kids.add(FAMILY, "private", "Emma", None, "2", None)
    jack = await kids.add(FAMILY, "private", "Jack", None, "3", None)
    assert isinstance(emma, Added) and isinstance(jack, Added)
    assert await kids.rename(FAMILY, jack.child.id, "EMMA", None) == NameTaken("Emma")
    renamed = await kids.rename(FAMILY, jack.child.id, "Jackson", "T")
    assert isinstance(renamed, Renamed) and renamed.child.name == "Jackson T."
    own = await kids.rename(FAMILY, emma.child.id, "Emma", "R")  # its own name is no clash
    assert isinstance(own, Renamed) and own.child.name == "Emma R."
    removed = await kids.remove(FAMILY, emma.child.id)
    assert isinstance(removed, Removed) and removed.child.first_name == "Emma"
    assert await kids.remove(FAMILY, emma.child.id) == Gone()
    assert await kids.rename(FAMILY, emma.child.id, "Emma", None) == Gone()
    assert await kids.remove(404, jack.child.id) == Gone()  # another family's child
