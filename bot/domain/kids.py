"""A family's children: adding, listing, renaming and removing them.

A child is named the way a family calls them ("Emma", or "Emma R." when two share a name),
has a grade from K to 8 and, optionally, a school. Pure checks first, then one transaction.
The answers typed during /addkid are read here too: a name, a grade, a school, or a message
that is no answer at all (the parent moved on to something else).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from bot.domain.log_writer import milestone_key
from bot.domain.miles import looks_like_miles
from bot.domain.programs import Program
from bot.domain.progress import DEFAULT_MILESTONES
from storage import children, families, outbox, repo
from storage.children import ChildRecord
from storage.db import Database

GRADES = ("K", "1", "2", "3", "4", "5", "6", "7", "8")
MAX_CHILDREN = 12
MAX_SCHOOL_CHARS = 120
MAX_ANSWER_WORDS = 3  # a name or a grade; more words are a sentence about something else
NO_SCHOOL = frozenset({"skip", "none", "no", "n/a", "na", "-", "other", "dont know", "idk"})
OTHER, SKIPPED = "other", "skip"  # the school buttons' choices, besides a school's position
_NAME = re.compile(r"^([^\W\d_][^\W\d_'’-]{0,29}(?:[-'’][^\W\d_]{1,20})?)(?:\s+([^\W\d_])\.?)?$")


class NameIssue(StrEnum):
    EMPTY = "empty"  # nothing typed
    NOT_A_NAME = "not_a_name"  # digits, a full last name, a sentence...


@dataclass(frozen=True)
class NameProblem:
    issue: NameIssue


def parse_name(text: str) -> tuple[str, str | None] | NameProblem:
    """ "emma r." -> ("Emma", "R"). A first name and an optional last initial, nothing more
    (no full last names: a child's data stays private)."""
    cleaned = " ".join(text.split())
    if not cleaned:
        return NameProblem(NameIssue.EMPTY)
    match = _NAME.match(cleaned)
    if match is None:
        return NameProblem(NameIssue.NOT_A_NAME)
    first, initial = match.group(1), match.group(2)
    first = first[0].upper() + first[1:]
    return first, initial.upper() if initial else None


@dataclass(frozen=True)
class NotAnAnswer:
    """A question, or more words than the step asks for: the parent moved on to something else
    (the message goes on to the usual handlers)."""


def is_an_answer(text: str) -> bool:
    return "?" not in text and len(text.split()) <= MAX_ANSWER_WORDS


def read_name(text: str) -> tuple[str, str | None] | NameProblem | NotAnAnswer:
    """A typed answer to "what's their name?"."""
    parsed = parse_name(text)
    if isinstance(parsed, NameProblem) and not is_an_answer(text):
        return NotAnAnswer()
    return parsed


def read_waiting_name(text: str, today: dt.date) -> tuple[str, str | None] | NotAnAnswer:
    """A name typed while the program buttons wait (the program comes first); a question,
    miles or anything not a name is something else, answered as usual."""
    parsed = parse_name(text)
    if isinstance(parsed, NameProblem) or not is_an_answer(text) or looks_like_miles(text, today):
        return NotAnAnswer()
    return parsed


@dataclass(frozen=True)
class NotAGrade:
    """Not K to 8: ask again."""


def read_grade(text: str, typed: bool = True) -> str | NotAGrade | NotAnAnswer:
    """A grade button's value, or a typed answer to "which grade?"."""
    grade = parse_grade(text)
    if grade is not None:
        return grade
    return NotAnAnswer() if typed and not is_an_answer(text) else NotAGrade()


def parse_grade(text: str) -> str | None:
    """ "k", "kinder", "2nd", "grade 3" -> "K", "2", "3"; None when it is not K-8."""
    cleaned = text.strip().lower().removeprefix("grade").strip()
    if cleaned in ("k", "tk", "kinder", "kindergarten"):
        return "K"
    digits = re.sub(r"(st|nd|rd|th)$", "", cleaned)
    return digits if digits in GRADES else None


def clean_school(text: str) -> str | None:
    """A typed school name, tidied; None when there is nothing usable."""
    cleaned = " ".join(text.split())[:MAX_SCHOOL_CHARS]
    return cleaned if any(c.isalpha() for c in cleaned) else None


@dataclass(frozen=True)
class AtSchool:
    name: str


@dataclass(frozen=True)
class NoSchool:
    """Skipped: the child is added without a school."""


@dataclass(frozen=True)
class OtherSchool:
    """Not among the program's schools: ask for its name."""


@dataclass(frozen=True)
class NotASchool:
    """Typed, but nothing usable as a school's name: ask again."""


def school_chosen(schools: Sequence[str], choice: str) -> AtSchool | NoSchool | OtherSchool:
    """A school button: the program's school at that position, "other" or "skip" (a position
    past the list, from an older one, or unreadable data: no school rather than a guess)."""
    if choice == OTHER:
        return OtherSchool()
    if choice.isdigit() and int(choice) < len(schools):
        return AtSchool(schools[int(choice)])
    return NoSchool()


def read_school(text: str, today: dt.date) -> AtSchool | NoSchool | NotASchool | NotAnAnswer:
    """A typed answer to "which school?". A question or miles is something else entirely: the
    child is kept without a school, and the message answered as usual."""
    if text.strip().lower() in NO_SCHOOL:
        return NoSchool()
    if "?" in text or looks_like_miles(text, today):
        return NotAnAnswer()
    school = clean_school(text)
    return NotASchool() if school is None else AtSchool(school)


def _folded(name: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", name.lower())
                   if not unicodedata.combining(c))


def same_first_name(first_name: str, others: list[ChildRecord]
                    ) -> ChildRecord | None:
    """The child who already has this first name: families log by first name, so each must be
    unique (accents and case aside)."""
    return next((c for c in others if _folded(c.first_name) == _folded(first_name)), None)


@dataclass(frozen=True)
class Added:
    child: ChildRecord


@dataclass(frozen=True)
class Renamed:
    child: ChildRecord


@dataclass(frozen=True)
class Removed:
    child: ChildRecord


@dataclass(frozen=True)
class NameTaken:
    """Another child of the family already has this first name."""

    other: str


@dataclass(frozen=True)
class FamilyFull:
    limit: int


@dataclass(frozen=True)
class Gone:
    """The child is not (or no longer) on this family's list."""


AddResult = Added | NameTaken | FamilyFull
RenameResult = Renamed | NameTaken | Gone
RemoveResult = Removed | Gone


class Kids:
    """Use cases behind /addkid and /kids. Each call is one transaction."""

    def __init__(self, db: Database, now: Callable[[], dt.datetime] = repo.utcnow,
                 programs: Mapping[str, Program] | None = None) -> None:
        """`programs`: whose milestones a removed child's congratulations are for."""
        self.db = db
        self.now = now
        self.programs = programs or {}

    def read_school(self, text: str) -> AtSchool | NoSchool | NotASchool | NotAnAnswer:
        return read_school(text, self.now().date())

    def read_waiting_name(self, text: str) -> tuple[str, str | None] | NotAnAnswer:
        return read_waiting_name(text, self.now().date())

    async def child(self, chat_id: int, child_id: int) -> ChildRecord | Gone:
        """The child with this id, if on this chat's list (a button may come from elsewhere)."""
        found = next((c for c in await self.current(chat_id) if c.id == child_id), None)
        return Gone() if found is None else found

    async def current(self, chat_id: int) -> list[ChildRecord]:
        async with self.db.session() as session:
            family = await families.family_id(session, chat_id)
            return await children.children(session, family) if family else []

    async def add(self, chat_id: int, chat_kind: str, first_name: str,
                  last_initial: str | None, grade: str, school: str | None) -> AddResult:
        async with self.db.session() as session, session.begin():
            chat = await repo.save_chat(session, chat_id, chat_kind)
            if chat.program is None:  # /addkid asks for the program first
                raise ValueError("a child is added to the chat's program")
            family = await families.ensure_family(session, chat_id)
            current = await children.children(session, family)
            if len(current) >= MAX_CHILDREN:
                return FamilyFull(MAX_CHILDREN)
            clash = same_first_name(first_name, current)
            if clash:
                return NameTaken(clash.first_name)
            return Added(await children.add_child(session, family, first_name, last_initial,
                                                  grade, school, chat.program))

    async def rename(self, chat_id: int, child_id: int, first_name: str,
                     last_initial: str | None) -> RenameResult:
        async with self.db.session() as session, session.begin():
            family = await families.family_id(session, chat_id)
            if family is None:
                return Gone()
            others = [c for c in await children.children(session, family) if c.id != child_id]
            clash = same_first_name(first_name, others)
            if clash:
                return NameTaken(clash.first_name)
            child = await children.rename_child(session, family, child_id, first_name,
                                                last_initial)
            return Renamed(child) if child else Gone()

    async def remove(self, chat_id: int, child_id: int) -> RemoveResult:
        """Take the child off the list and erase their miles; a congratulation for them that
        is not sent yet is withdrawn."""
        async with self.db.session() as session, session.begin():
            family = await families.family_id(session, chat_id)
            child = await children.remove_child(session, family, child_id) if family else None
            if child is None:
                return Gone()
            program = self.programs.get(child.program or "")
            await outbox.cancel_pending(session, [milestone_key(child.id, m) for m in (
                program.milestones if program else DEFAULT_MILESTONES)])
            return Removed(child)
