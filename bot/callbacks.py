"""Button data: one small frozen dataclass per action, packed into Telegram's callback data.

Texts build buttons with these, handlers unpack them, registration routes by their pattern and
outbox rows store them packed. Telegram allows 64 bytes of callback data; `pack` refuses more.
Unpacking never raises: data from an old message, an older version or a forged press gives None.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, fields
from typing import ClassVar, Self

MAX_BYTES = 64  # Telegram's limit for callback_data
_INT = re.compile(r"[0-9]{1,12}")
_TEXT = re.compile(r"[A-Za-z0-9_\-.]{0,60}")


@dataclass(frozen=True)
class ButtonData:
    """Base of every action. Subclasses are frozen dataclasses of int and str fields."""

    prefix: ClassVar[str]

    def pack(self) -> str:
        """The callback data; refuses what Telegram would refuse or `unpack` could not read, so
        a button never goes out dead."""
        values = [str(getattr(self, f.name)) for f in fields(self)]
        data = ":".join([self.prefix, *values])
        if len(data.encode()) > MAX_BYTES:
            raise ValueError(f"callback data over {MAX_BYTES} bytes: {data!r}")
        if self.unpack(data) != self:
            raise ValueError(f"callback data that would not unpack: {data!r}")
        return data

    @classmethod
    def unpack(cls, data: str | None) -> Self | None:
        """The action in `data`, or None when it is not this action or is malformed."""
        parts = (data or "").split(":")
        wanted = fields(cls)
        if parts[0] != cls.prefix or len(parts) != len(wanted) + 1:
            return None
        values: list[int | str] = []
        for field, raw in zip(wanted, parts[1:], strict=True):
            if field.type in (int, "int"):
                if not _INT.fullmatch(raw):
                    return None
                values.append(int(raw))
            elif _TEXT.fullmatch(raw):
                values.append(raw)
            else:
                return None
        return cls(*values)

    @classmethod
    def pattern(cls) -> str:
        """The routing pattern for CallbackQueryHandler: exactly this action's prefix."""
        return rf"^{re.escape(cls.prefix)}(:|$)"


# Programs and the FAQ
@dataclass(frozen=True)
class ChooseProgram(ButtonData):
    prefix: ClassVar[str] = "program"
    slug: str


@dataclass(frozen=True)
class AllTopics(ButtonData):
    prefix: ClassVar[str] = "faq"
    slug: str


@dataclass(frozen=True)
class Topic(ButtonData):
    prefix: ClassVar[str] = "topic"
    slug: str
    index: int


@dataclass(frozen=True)
class ShowEntry(ButtonData):
    prefix: ClassVar[str] = "entry"
    slug: str
    entry_id: str


@dataclass(frozen=True)
class PickSuggestion(ButtonData):
    prefix: ClassVar[str] = "pick"
    question_id: int
    entry_id: str


@dataclass(frozen=True)
class NoneOfThese(ButtonData):
    prefix: ClassVar[str] = "none"
    question_id: int


@dataclass(frozen=True)
class NotThis(ButtonData):
    prefix: ClassVar[str] = "notthis"  # "Not what I asked", under a confident answer
    question_id: int


# Logging miles
@dataclass(frozen=True)
class ConfirmLog(ButtonData):
    """An answer to "who ran?" or "log it again?": a child's id, two joined by "-" ("which
    two?"), all, yes, again or no."""

    prefix: ClassVar[str] = "logok"
    token: str
    choice: str


@dataclass(frozen=True)
class Undo(ButtonData):
    prefix: ClassVar[str] = "undo"
    log_id: int


@dataclass(frozen=True)
class DeleteEntry(ButtonData):
    prefix: ClassVar[str] = "del"  # 🗑 on /history: asks first
    entry_id: int


@dataclass(frozen=True)
class ConfirmDelete(ButtonData):
    prefix: ClassVar[str] = "delyes"
    entry_id: int


@dataclass(frozen=True)
class KeepEntry(ButtonData):
    prefix: ClassVar[str] = "delno"


@dataclass(frozen=True)
class HistoryPage(ButtonData):
    prefix: ClassVar[str] = "hist"
    page: int  # older entries of /history: the page number, 0 being the newest


@dataclass(frozen=True)
class WeeklyChart(ButtonData):
    prefix: ClassVar[str] = "chart"
    child_id: int


# Children
@dataclass(frozen=True)
class Grade(ButtonData):
    prefix: ClassVar[str] = "grade"
    grade: str


@dataclass(frozen=True)
class School(ButtonData):
    """A school of the program's list by position, or "other" / "skip"."""

    prefix: ClassVar[str] = "school"
    choice: str


@dataclass(frozen=True)
class RenameKid(ButtonData):
    prefix: ClassVar[str] = "kidrename"
    child_id: int


@dataclass(frozen=True)
class RemoveKid(ButtonData):
    prefix: ClassVar[str] = "kidremove"  # 🗑 on /kids: asks first
    child_id: int


@dataclass(frozen=True)
class ConfirmRemoveKid(ButtonData):
    prefix: ClassVar[str] = "kidremoveyes"
    child_id: int


@dataclass(frozen=True)
class KeepKid(ButtonData):
    prefix: ClassVar[str] = "kidkeep"


# Erasing the family (/forget)
@dataclass(frozen=True)
class ConfirmForget(ButtonData):
    """Asked at that minute (Unix minutes): an old confirmation does not erase."""

    prefix: ClassVar[str] = "forgetyes"
    asked: int


@dataclass(frozen=True)
class KeepFamily(ButtonData):
    prefix: ClassVar[str] = "forgetno"


# Announcements (organizers)
@dataclass(frozen=True)
class Audience(ButtonData):
    """all, school, behind or cancel."""

    prefix: ClassVar[str] = "aud"
    choice: str


@dataclass(frozen=True)
class SendChoice(ButtonData):
    """now, later or cancel, under the preview."""

    prefix: ClassVar[str] = "ann"
    choice: str


@dataclass(frozen=True)
class CancelAnnouncement(ButtonData):
    prefix: ClassVar[str] = "anncancel"
    announcement_id: int


# The FAQ's review (organizers): candidates by their id, groups of questions by their key
@dataclass(frozen=True)
class DecideCandidate(ButtonData):
    prefix: ClassVar[str] = "rvdec"
    choice: str  # ok (accept) or no (reject)
    candidate_id: int


@dataclass(frozen=True)
class WriteReview(ButtonData):
    """What an organizer types: edit (a candidate's wording, `key` its id, then accepted as
    typed) or new (an entry: question, answer, topic; `key` the group it answers, 0: none)."""

    prefix: ClassVar[str] = "rvwrite"
    kind: str
    key: int


@dataclass(frozen=True)
class AttachGroup(ButtonData):
    prefix: ClassVar[str] = "rvatt"  # attach a group to an entry: its topics, in a new message
    group_key: int


@dataclass(frozen=True)
class DismissGroup(ButtonData):
    prefix: ClassVar[str] = "rvdis"  # not for the FAQ to answer: the group leaves the review
    group_key: int


@dataclass(frozen=True)
class AttachTopic(ButtonData):
    prefix: ClassVar[str] = "rvtop"
    group_key: int
    index: int  # the topic's position in the current FAQ, from 1; 0: back to all topics


@dataclass(frozen=True)
class AttachEntry(ButtonData):
    prefix: ClassVar[str] = "rvent"
    group_key: int
    entry_id: str


@dataclass(frozen=True)
class EntryTopic(ButtonData):
    prefix: ClassVar[str] = "rvtopic"  # an existing topic for the entry being written
    index: int  # its position in the current FAQ


@dataclass(frozen=True)
class SaveEntry(ButtonData):
    prefix: ClassVar[str] = "rvsave"
    choice: str  # yes or no, under the new entry's preview


ALL_ACTIONS: tuple[type[ButtonData], ...] = tuple(ButtonData.__subclasses__())

Rows = tuple[tuple[tuple[str, ButtonData], ...], ...]


def rows_to_json(rows: Rows) -> str:
    """Buttons as an outbox row stores them: JSON rows of [label, packed data]."""
    return json.dumps([[[label, data.pack()] for label, data in row] for row in rows],
                      ensure_ascii=False)


def rows_from_json(stored: str | None) -> list[list[tuple[str, str]]]:
    """Stored outbox buttons back as rows of (label, packed data)."""
    if not stored:
        return []
    return [[(label, data) for label, data in row] for row in json.loads(stored)]
