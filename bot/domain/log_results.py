"""What the logbook's use cases answer: typed results, no chat text.

bot.texts.miles words each of them; rule tests assert them. Miles are in miles here (the
logbook stores hundredths), names are how the bot calls the child ("Emma R.").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from bot.domain.miles import Claim, Why
from bot.domain.programs import Program
from storage.children import ChildRecord
from storage.mile_logs import EntryRecord


@dataclass(frozen=True)
class LoggedEntry:
    """Miles one child ran on one day, as logged (or taken back)."""

    child_id: int
    name: str
    miles: float
    day: dt.date
    activity: str | None = None


@dataclass(frozen=True)
class Total:
    """A child's total miles after a log or an undo."""

    child_id: int
    name: str
    miles: float


# --- logging a message, and the buttons on its question ---------------------------------------
@dataclass(frozen=True)
class Logged:
    log_id: int  # for the undo button
    entries: tuple[LoggedEntry, ...]
    totals: tuple[Total, ...]  # each child of the log once, in the order first logged
    program: Program
    today: dt.date
    note: Why | None = None  # what the message had that was not logged (a bike ride...)


@dataclass(frozen=True)
class NeedsChild:
    """Miles without a child (or with one not on the list): ask which child ran them."""

    claims: tuple[Claim, ...]
    kids: tuple[ChildRecord, ...]
    token: str  # the answer's buttons carry it
    reason: Why | None  # the parser's question, when it has one
    today: dt.date


@dataclass(frozen=True)
class NeedsConfirmation:
    """Every child is known but the message may not mean miles: "Log these?" yes or no."""

    claims: tuple[Claim, ...]
    token: str
    reason: Why | None
    today: dt.date


@dataclass(frozen=True)
class ChildTotal:
    """A child's logged miles beside a total the family stated for them."""

    child_id: int
    name: str
    first_name: str
    logged: float
    more: float  # the stated total less the logged miles (negative: more is logged)
    stated: float = 0.0  # the total stated for this child (0: the check's own `stated`)


@dataclass(frozen=True)
class TotalCheck:
    """ "Jack's at 14 miles so far": what is logged, and a button to log what is missing for
    today (`token`, None when nothing is missing or it is more than a day's miles)."""

    stated: float
    children: tuple[ChildTotal, ...]  # the child named, or every child when none was
    named: bool
    token: str | None
    cap: float  # the program's miles per child per day
    unknown: tuple[str, ...] = ()  # names in the message that are not the family's children


@dataclass(frozen=True)
class Repeat:
    """The same miles as a log a few minutes ago: log them again?"""

    token: str


@dataclass(frozen=True)
class OverCap:
    """The log would pass the program's miles per child per day: nothing was logged."""

    name: str
    day: dt.date
    total: float  # the child's miles that day, had it been logged
    cap: float
    today: dt.date


@dataclass(frozen=True)
class Rejected:
    """About miles, but not loggable (100 miles, minutes instead of distance...)."""

    reason: Why | None  # the parser's reason, passed on untouched


@dataclass(frozen=True)
class TooMany:
    limit: int  # entries per message


@dataclass(frozen=True)
class NoChildren:
    """Miles, but the family has no child on its list yet."""


@dataclass(frozen=True)
class NotALog:
    """No miles in the message: a question or chat for the FAQ (after /log: how to log)."""


@dataclass(frozen=True)
class Expired:
    """A question's button whose question is gone (answered, forgotten, another chat's)."""


@dataclass(frozen=True)
class NotLogged:
    """ "No" on a question: nothing was logged."""


Asked = NeedsChild | NeedsConfirmation | Repeat | TotalCheck
Refused = OverCap | Rejected | TooMany | NoChildren
LogResult = Logged | Asked | Refused | NotALog | Expired | NotLogged


# --- undo, history and deleting ---------------------------------------------------------------
@dataclass(frozen=True)
class Undone:
    entries: tuple[LoggedEntry, ...]
    totals: tuple[Total, ...]
    program: Program


@dataclass(frozen=True)
class NothingToUndo:
    already: bool  # the log named was undone before


UndoResult = Undone | NothingToUndo


@dataclass(frozen=True)
class History:
    """One page of the family's entries, newest first; page 0 is the newest."""

    entries: tuple[EntryRecord, ...]
    page: int
    pages: int  # at least 1

    @property
    def older(self) -> bool:
        return self.page + 1 < self.pages

    @property
    def newer(self) -> bool:
        return self.page > 0


@dataclass(frozen=True)
class SureToDelete:
    """🗑 was pressed: ask once before the entry goes."""

    entry: EntryRecord


@dataclass(frozen=True)
class Deleted:
    entry: EntryRecord


@dataclass(frozen=True)
class AlreadyGone:
    """The entry was deleted or undone already, or is not this family's."""


DeleteResult = SureToDelete | Deleted | AlreadyGone


# --- what the outbox sends on its own -----------------------------------------------------------
@dataclass(frozen=True)
class Milestone:
    """A child just crossed one of the program's milestones (the goal being the last)."""

    child_id: int
    name: str
    miles: float
    program: Program


@dataclass(frozen=True)
class Notice:
    """A message the outbox sends: its text and its buttons, packed as the outbox stores them."""

    text: str
    buttons: str | None = None


MilestoneText = Callable[[Milestone], Notice]
"""Words a milestone's congratulation (bot.texts.miles); the domain writes no copy itself."""


@dataclass(frozen=True)
class Standing:
    """A child's total now, for their training-log picture."""

    child_id: int
    name: str
    miles: float
    program: Program
