"""The rules for a family's children: names as families call them, one first name each, at most
twelve children, and a child gone from the list stays gone. Results, not wording."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.domain.kids import (
    MAX_CHILDREN,
    OTHER,
    SKIPPED,
    Added,
    AtSchool,
    FamilyFull,
    Gone,
    Kids,
    NameIssue,
    NameProblem,
    NameTaken,
    NoSchool,
    NotAGrade,
    NotAnAnswer,
    NotASchool,
    OtherSchool,
    Removed,
    Renamed,
    parse_grade,
    parse_name,
    read_grade,
    read_name,
    read_school,
    school_chosen,
)
from bot.domain.log_writer import milestone_key
from storage import families, mile_logs, outbox, repo
from storage.db import Database

FAMILY = 501


async def kids_of_a_kroc_family(db: Database) -> Kids:
    """The use cases, for a family whose chat joined KROC (children join its program)."""
    async with db.session() as session, session.begin():
        await repo.save_chat(session, FAMILY, "private", "kroc")
    return Kids(db)
TODAY = dt.date(2026, 11, 23)
SCHOOLS = ("Lincoln Elementary", "Adams Elementary")


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
    kids = await kids_of_a_kroc_family(db)
    added = await kids.add(FAMILY, "private", "Emma", "R", "2", "Lincoln")
    assert isinstance(added, Added) and added.child.name == "Emma R."
    assert await kids.add(FAMILY, "private", "émma", "S", "4", None) == NameTaken("Emma")
    assert [c.name for c in await kids.current(FAMILY)] == ["Emma R."]


async def test_a_family_is_full_at_twelve_children(db: Database) -> None:
    kids = await kids_of_a_kroc_family(db)
    for n in range(MAX_CHILDREN):
        assert isinstance(await kids.add(FAMILY, "private", f"Kid{'abcdefghijkl'[n]}", None,
                                         "2", None), Added)
    assert await kids.add(FAMILY, "private", "Zoe", None, "2", None) == FamilyFull(MAX_CHILDREN)


async def test_renaming_keeps_first_names_unique_and_a_removed_child_is_gone(
        db: Database) -> None:
    kids = await kids_of_a_kroc_family(db)
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


async def test_a_child_is_found_only_on_its_own_familys_list(db: Database) -> None:
    kids = await kids_of_a_kroc_family(db)
    emma = await kids.add(FAMILY, "private", "Emma", None, "2", None)
    assert isinstance(emma, Added)
    assert await kids.child(FAMILY, emma.child.id) == emma.child
    assert await kids.child(404, emma.child.id) == Gone()  # a button from another chat
    await kids.remove(FAMILY, emma.child.id)
    assert await kids.child(FAMILY, emma.child.id) == Gone()


@pytest.mark.parametrize(("typed", "read"), [
    ("emma r.", ("Emma", "R")),
    ("Emma Rodriguez", NameProblem(NameIssue.NOT_A_NAME)),  # could be a name: ask again
    ("how do I add my kid", NotAnAnswer()),  # a sentence: the parent moved on
    ("Emma?", NotAnAnswer()),
])
def test_a_typed_name_is_a_name_a_problem_or_no_answer_at_all(
        typed: str, read: object) -> None:
    assert read_name(typed) == read


def test_a_grade_typed_as_a_sentence_is_no_answer_but_a_button_always_is() -> None:
    assert read_grade("2nd") == "2"
    assert read_grade("12") == NotAGrade()
    assert read_grade("when is the race?") == NotAnAnswer()
    assert read_grade("my son is in second grade") == NotAnAnswer()
    assert read_grade("", typed=False) == NotAGrade()  # an unreadable button asks again


def test_a_school_button_is_the_programs_school_at_its_position() -> None:
    assert school_chosen(SCHOOLS, "1") == AtSchool("Adams Elementary")
    assert school_chosen(SCHOOLS, OTHER) == OtherSchool()
    assert school_chosen(SCHOOLS, SKIPPED) == NoSchool()
    assert school_chosen(SCHOOLS, "7") == NoSchool()  # from an older list: no wrong school
    assert school_chosen((), "0") == NoSchool()


@pytest.mark.parametrize(("typed", "read"), [
    ("  lincoln   elementary ", AtSchool("lincoln elementary")),
    ("None", NoSchool()),
    ("idk", NoSchool()),
    ("Other", NoSchool()),  # the button's label, typed
    ("123", NotASchool()),
    ("what time is practice?", NotAnAnswer()),  # a question: answered as usual
    ("Emma ran 2 miles", NotAnAnswer()),  # miles: logged as usual
])
def test_a_typed_school_is_a_school_none_or_something_else(typed: str, read: object) -> None:
    assert read_school(typed, TODAY) == read


async def test_removing_a_child_erases_their_miles_and_withdraws_their_congratulation(
        db: Database) -> None:
    kids = await kids_of_a_kroc_family(db)
    emma, jack = [await kids.add(FAMILY, "private", name, None, "2", None)
                  for name in ("Emma", "Jack")]
    assert isinstance(emma, Added) and isinstance(jack, Added)
    day, now = dt.date(2026, 11, 30), repo.utcnow()
    async with db.session() as session, session.begin():
        family = await families.family_id(session, FAMILY)
        assert family is not None
        await mile_logs.add_log(session, family, "Emma ran 5", "a", None,
                                [mile_logs.NewEntry(emma.child.id, 500, day)])
        await mile_logs.add_log(session, family, "both ran 1", "b", None,
                                [mile_logs.NewEntry(emma.child.id, 100, day),
                                 mile_logs.NewEntry(jack.child.id, 100, day)])
        await outbox.enqueue(session, [outbox.NewMessage(
            FAMILY, "milestone", "Emma reached 5 miles!", now,
            dedupe_key=milestone_key(emma.child.id, 5))])
    assert await kids.remove(FAMILY, emma.child.id) == Removed(emma.child)
    async with db.session() as session:
        assert await mile_logs.totals(session, family) == {jack.child.id: 100}
        assert [e.child_name for e in await mile_logs.recent_entries(session, family)] == ["Jack"]
        assert await mile_logs.get_log(session, family) is not None  # Jack's miles stay
        assert await outbox.counts(session) == {}  # the congratulation is withdrawn
