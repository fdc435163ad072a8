"""What the FAQ's learning (bot.domain.learning) returns: the organizers' review and the result
of each of their steps. Facts only; the bot's texts word them."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.figures import NotAnOrganizerHere
from bot.domain.programs import Program
from faq.kb import Entry, KnowledgeBase


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
    # Taken back after `finalmile faq export` wrote it into the YAML file: the file still has it
    in_file: bool = False


@dataclass(frozen=True)
class Attached:
    """The group's wording is an accepted alternate of the entry; its questions left review."""

    entry_id: str
    text: str
    questions: int


@dataclass(frozen=True)
class Dismissed:
    """The group is not for the FAQ to answer (the weather, a dog): its questions left review."""

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
DismissResult = Dismissed | Gone | NotAnOrganizerHere
AddEntryResult = EntryAdded | Gone | Incomplete | NotAnOrganizerHere
