"""The FAQ learns from parents and organizers: a wording several families asked and then picked
the same suggestion for becomes a candidate alternate of that entry; organizers accept (maybe
edited) or reject candidates, attach a group of unanswered questions to an entry, or write a
new entry. What they accept is a layer over the YAML (storage/learned.py) that the running bot
uses at once (bot.domain.faq_library), and `finalmile faq export` writes back to the file.

Every organizer action goes through the access table ("/review"), as figures do.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.domain.access import Allowed
from bot.domain.faq_library import FaqLibrary, MakeMatcher
from bot.domain.figures import NotAnOrganizerHere
from bot.domain.programs import Program
from faq.kb import Entry, KnowledgeBase
from faq.match import Matcher
from storage.db import Database

__all__ = ["Accepted", "Attached", "Candidate", "EntryAdded", "Gone", "Incomplete", "Learning",
           "NotAnOrganizerHere", "Rejected", "Review", "ReviewGroup", "UnknownEntry"]

REVIEW = "/review"  # the access table's action for every organizer step here


@dataclass(frozen=True)
class Candidate:
    """A wording parents of `families` different chats asked and then picked `entry_id` for."""

    id: int  # stable: the learned row's id (button data, `faq review --accept ID`)
    entry_id: str
    entry_question: str
    text: str  # the wording asked most often
    families: int
    wordings: tuple[str, ...]  # other wordings of the same question, most asked first


@dataclass(frozen=True)
class ReviewGroup:
    """Questions the FAQ did not answer, or whose answer a parent said was not it ("not what I
    asked"), or where a parent pressed "None of these": one question however typed."""

    key: int  # the id of the group's first question: stable while that question waits
    text: str  # the wording asked most often
    count: int
    families: int
    wordings: tuple[str, ...]  # different wordings, most asked first (the text among them)
    not_this: tuple[str, ...] = ()  # entries answered that parents said were not it


@dataclass(frozen=True)
class Review:
    program: Program
    candidates: tuple[Candidate, ...]  # most families first
    groups: tuple[ReviewGroup, ...]  # biggest first
    kb: KnowledgeBase  # the FAQ as it stands now (YAML + learned), to choose an entry from
    auto_accept: bool  # the program accepts candidates as they qualify


@dataclass(frozen=True)
class Accepted:
    candidate_id: int
    entry_id: str
    text: str  # the phrasing now answered outright (edited, if it was)


@dataclass(frozen=True)
class Rejected:
    candidate_id: int
    entry_id: str
    text: str


@dataclass(frozen=True)
class Attached:
    """The group's wording is an accepted alternate of the entry; its questions left review."""

    entry_id: str
    text: str
    questions: int


@dataclass(frozen=True)
class EntryAdded:
    entry: Entry
    questions: int  # the group's questions it answers (0 without `from_group`)


@dataclass(frozen=True)
class Gone:
    """The candidate or group was decided meanwhile (another organizer, another worker)."""


@dataclass(frozen=True)
class UnknownEntry:
    """No entry with this id in the program's FAQ."""

    entry_id: str


@dataclass(frozen=True)
class Incomplete:
    """A new entry or an edited phrasing that cannot be used: which fields are missing or too
    long (names: "topic", "question", "answer", "text")."""

    fields: tuple[str, ...]


ReviewResult = Review | NotAnOrganizerHere
AcceptResult = Accepted | Gone | Incomplete | NotAnOrganizerHere
RejectResult = Rejected | Gone | NotAnOrganizerHere
AttachResult = Attached | Gone | UnknownEntry | NotAnOrganizerHere
AddEntryResult = EntryAdded | Gone | Incomplete | NotAnOrganizerHere


class Learning:
    def __init__(self, db: Database, programs: Mapping[str, Program],
                 kbs: Mapping[str, KnowledgeBase], make_matcher: MakeMatcher = Matcher,
                 allowed: Allowed | None = None, library: FaqLibrary | None = None) -> None:
        """`kbs`: the YAML knowledge bases; `library`: the programs' current FAQs (YAML +
        learned layer), shared with Asking (built from `kbs` and `make_matcher` when not
        given); `allowed`: the access table, None (the CLI, on the server) lets anyone."""
        self.db = db
        self.programs = programs
        self.library = library or FaqLibrary(db, kbs, make_matcher)
        self.allowed = allowed

    async def picked(self, program: str, entry_id: str) -> None:
        """A parent picked this entry among suggestions: the wordings picked for it by enough
        families become candidates (accepted at once where the program says so)."""
        return None

    async def review(self, program: str, user_id: int | None = None) -> ReviewResult:
        """What waits for the program's organizers: candidates, then groups of questions."""
        raise NotImplementedError

    async def accept(self, program: str, user_id: int | None, candidate_id: int,
                     text: str | None = None) -> AcceptResult:
        """Accept a candidate, as asked or as edited (`text`): answered outright from now."""
        raise NotImplementedError

    async def reject(self, program: str, user_id: int | None, candidate_id: int
                     ) -> RejectResult:
        """Reject a candidate (or take back an accepted one): it is not proposed again."""
        raise NotImplementedError

    async def attach(self, program: str, user_id: int | None, group_key: int, entry_id: str
                     ) -> AttachResult:
        """The group's wording becomes an accepted alternate of the entry; its questions
        leave the review."""
        raise NotImplementedError

    async def add_entry(self, program: str, user_id: int | None, topic: str, question: str,
                        answer: str, from_group: int | None = None) -> AddEntryResult:
        """A new entry written by an organizer; `from_group`: the group it answers (its
        wordings become the entry's alternates, its questions leave the review)."""
        raise NotImplementedError
