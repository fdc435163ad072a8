"""Use cases behind logging miles: log a message, confirm, undo, history, delete.

The parser (bot.domain.miles) says what a message claims; this module checks it against the
family (which children, the per-day cap, a repeat of the same message) and writes it
(bot.domain.log_writer). Every use case returns a typed result (bot.domain.log_results);
bot.texts.miles words them. Questions and chat are not logs: `log_message` answers NotALog
and the FAQ takes the message.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from bot.domain.batching import Batcher
from bot.domain.log_claims import assign, compare_total, missing_claims, wrong_unit_of_a_run
from bot.domain.log_results import (
    AlreadyGone,
    Deleted,
    Expired,
    History,
    Logged,
    LoggedEntry,
    LogResult,
    MilestoneText,
    NeedsChild,
    NeedsConfirmation,
    NoChildren,
    NotALog,
    NothingToUndo,
    NotLogged,
    OverCap,
    Rejected,
    Repeat,
    SureToDelete,
    TooMany,
    Total,
    TotalCheck,
    Undone,
    UndoResult,
)
from bot.domain.log_writer import (
    BatchObserver,
    LogWriter,
    OverDailyCap,
    Repeated,
    WriteRequest,
    withdraw_milestones,
)
from bot.domain.miles import Claim, Parsed, Reason, Rules, looks_like_miles, parse_miles
from bot.domain.programs import Program
from storage import families, mile_logs, repo
from storage.children import ChildRecord
from storage.db import Database
from storage.mile_logs import NewEntry

PENDING_LIMIT = 10_000  # confirmations waiting for a button press, oldest dropped first
MAX_ENTRIES = 10  # per message: more is a paste or a prank, and too long to answer
PAGE_SIZE = 10  # /history entries per page


@dataclass(frozen=True)
class Pending:
    """A message waiting for a button: which child, or "log it again?"."""

    chat_id: int
    user_id: int | None
    text: str
    claims: tuple[Claim, ...]


def hundredths(miles: float) -> int:
    return round(miles * 100)


class Logbook:
    def __init__(self, db: Database, *, milestone_text: MilestoneText,
                 now: Callable[[], dt.datetime] = repo.utcnow,
                 on_batch: BatchObserver | None = None) -> None:
        """`milestone_text` words the congratulations queued with the miles; `on_batch` hears
        each group of logs written together in one transaction."""
        self.db = db
        self.now = now
        self._pending: OrderedDict[str, Pending] = OrderedDict()
        self._writer = LogWriter(db, now, milestone_text, on_batch)
        self._reader: Batcher[int, tuple[str | None, list[ChildRecord]]] = Batcher(
            self._read_batch, alone=db.one_at_a_time)

    async def chat(self, chat_id: int) -> tuple[str | None, list[ChildRecord]]:
        """The chat's program and its children: one read, shared with other chats under load."""
        return await self._reader(chat_id)

    async def _read_batch(self, chat_ids: list[int]
                          ) -> list[tuple[str | None, list[ChildRecord]]]:
        async with self.db.session() as session:
            found = await families.chats_with_children(session, sorted(set(chat_ids)))
        return [(found.get(c, (None, []))[0], list(found.get(c, (None, []))[1]))
                for c in chat_ids]

    def today(self, program: Program) -> dt.date:
        return self.now().astimezone(ZoneInfo(program.timezone)).date()

    async def log_message(self, program: Program, chat_id: int, user_id: int | None, text: str,
                          *, explicit: bool = False, kids: list[ChildRecord] | None = None,
                          ) -> LogResult:
        """Log the miles in a message (`explicit`: the text after /log).

        `kids` saves a read when the caller already has the family's children.
        """
        kids = kids if kids is not None else (await self.chat(chat_id))[1]
        today = self.today(program)
        parsed = parse_miles(text, today=today, children=[c.first_name for c in kids],
                             rules=_rules(program), explicit=explicit)
        if parsed.kind == "not_a_log":
            if wrong_unit_of_a_run(parsed, text, kids, explicit):
                return Rejected(parsed.reason)
            return NotALog()
        if parsed.kind == "rejected":
            return Rejected(parsed.reason)
        if len(parsed.claims) > MAX_ENTRIES:
            return TooMany(MAX_ENTRIES)
        if not kids:
            return NoChildren()
        if parsed.reason is not None and parsed.reason.code is Reason.RUNNING_TOTAL:
            return await self._check_total(program, chat_id, user_id, text, parsed, kids)
        unnamed = any(c.child is None for c in parsed.claims)
        if parsed.kind == "confirm" or (unnamed and len(kids) > 1):
            token = self._remember(Pending(chat_id, user_id, text, parsed.claims))
            if unnamed:
                return NeedsChild(parsed.claims, tuple(kids), token, parsed.reason, today)
            return NeedsConfirmation(parsed.claims, token, parsed.reason, today)
        result = await self._write(program, chat_id, user_id, text, parsed.claims, kids)
        return replace(result, note=parsed.reason) if isinstance(result, Logged) else result

    async def _check_total(self, program: Program, chat_id: int, user_id: int | None,
                           text: str, parsed: Parsed, kids: list[ChildRecord]) -> TotalCheck:
        """A stated running total against the logbook; what is missing waits for a button."""
        async with self.db.session() as session:
            totals = await mile_logs.totals(session, kids[0].family_id)
        rows = compare_total(parsed.claims, kids, totals)
        named = all(c.child is not None for c in parsed.claims)
        unknown = parsed.reason.unknown if parsed.reason else ()
        # "Lily's at 4 miles" with no Lily in the family: nobody's gap to offer
        missing = () if unknown and not named else missing_claims(
            rows, self.today(program), program.daily_cap_miles)
        token = self._remember(Pending(chat_id, user_id, text, missing)) if missing else None
        return TotalCheck(parsed.claims[0].miles, rows, named, token,
                          program.daily_cap_miles, unknown)

    def looks_like_miles(self, text: str) -> bool:
        """Whether a message reads as a mile log at all (with any child's name), today."""
        return looks_like_miles(text, self.now().date())

    async def confirmed(self, program: Program, chat_id: int, token: str, choice: str,
                        ) -> LogResult:
        """A button on a question: a child's id, two joined by "-", "all", "yes", "again" or
        "no"."""
        pending = self._pending.get(token)
        if pending is None or pending.chat_id != chat_id:  # another chat's button: not theirs
            return Expired()
        del self._pending[token]
        if choice == "no":
            return NotLogged()
        _program, kids = await self.chat(chat_id)
        claims = assign(pending.claims, choice, kids)
        if claims is None:
            return Expired()
        return await self._write(program, chat_id, pending.user_id, pending.text, claims, kids,
                                 allow_repeat=choice == "again")

    async def _write(self, program: Program, chat_id: int, user_id: int | None, text: str,
                     claims: Sequence[Claim], kids: list[ChildRecord], *,
                     allow_repeat: bool = False) -> Logged | OverCap | Repeat | Expired:
        by_name = {c.first_name.lower(): c for c in kids}  # first names are unique in a family
        only = kids[0] if len(kids) == 1 else None
        entries: list[NewEntry] = []
        for claim in claims:
            # A named child must still be on the list (not removed while a button waited).
            child = by_name.get(claim.child.lower()) if claim.child else only
            if child is None:
                return Expired()
            entries.append(NewEntry(child.id, hundredths(claim.miles), claim.day, claim.activity))
        names = {c.id: c.name for c in kids}
        today = self.today(program)
        outcome = await self._writer(WriteRequest(
            kids[0].family_id, chat_id, text[:500], user_id, tuple(entries),
            hundredths(program.daily_cap_miles), allow_repeat, program, names))
        match outcome:
            case OverDailyCap(child_id=child_id, day=day, total=total):
                return OverCap(names[child_id], day, total / 100, program.daily_cap_miles, today)
            case Repeated():
                return Repeat(self._remember(Pending(chat_id, user_id, text, tuple(
                    Claim(names[e.child_id].split()[0], e.hundredths / 100, e.day, e.activity)
                    for e in entries))))
        logged = tuple(LoggedEntry(e.child_id, names[e.child_id], e.hundredths / 100, e.day,
                                   e.activity) for e in entries)
        return Logged(outcome.log_id, logged, _totals(logged, outcome.totals), program, today)

    async def undo(self, program: Program, chat_id: int, log_id: int | None = None
                   ) -> UndoResult:
        """Take back a whole message's miles (the latest one when no id is given)."""
        async with self.db.session() as session, session.begin():
            family = await families.family_id(session, chat_id)
            log = await mile_logs.get_log(session, family, log_id) if family else None
            if family is None or log is None or log.undone or not log.entries \
                    or not await mile_logs.undo_log(session, family, log.id):
                return NothingToUndo(already=log is not None)
            totals = await mile_logs.totals(session, family)
            await withdraw_milestones(session, program, {e.child_id for e in log.entries},
                                      totals)
        taken = tuple(LoggedEntry(e.child_id, e.child_name, e.hundredths / 100, e.day,
                                  e.activity) for e in log.entries)
        return Undone(taken, _totals(taken, totals), program)

    async def history(self, chat_id: int, page: int = 0) -> History:
        """One page of the family's entries, newest first (a page past the end: the last)."""
        async with self.db.session() as session:
            family = await families.family_id(session, chat_id)
            count = await mile_logs.count_entries(session, family) if family else 0
            pages = max(1, -(-count // PAGE_SIZE))
            page = min(max(page, 0), pages - 1)
            entries = await mile_logs.recent_entries(
                session, family, PAGE_SIZE, page * PAGE_SIZE) if family else []
        return History(tuple(entries), page, pages)

    async def ask_delete(self, chat_id: int, entry_id: int) -> SureToDelete | AlreadyGone:
        """🗑 on an entry: it is deleted only once the family says so."""
        async with self.db.session() as session:
            family = await families.family_id(session, chat_id)
            entry = await mile_logs.counting_entry(session, family, entry_id) if family else None
        return SureToDelete(entry) if entry is not None else AlreadyGone()

    async def delete(self, program: Program, chat_id: int, entry_id: int
                     ) -> Deleted | AlreadyGone:
        async with self.db.session() as session, session.begin():
            family = await families.family_id(session, chat_id)
            entry = await mile_logs.delete_entry(session, family, entry_id) if family else None
            if family is None or entry is None:
                return AlreadyGone()
            totals = await mile_logs.totals(session, family, [entry.child_id])
            await withdraw_milestones(session, program, {entry.child_id}, totals)
        return Deleted(entry)

    def pending_in(self, chat_id: int) -> dict[str, Pending]:
        """The chat's questions waiting for a button, by token (kept between updates)."""
        return {token: p for token, p in self._pending.items() if p.chat_id == chat_id}

    def restore_pending(self, waiting: dict[str, Pending]) -> None:
        self._pending.update(waiting)

    def cancel_pending(self, chat_id: int) -> int:
        """Drop the chat's questions waiting for a button (/cancel); how many there were.
        A button pressed on one later finds nothing: Expired."""
        tokens = [token for token, pending in self._pending.items() if pending.chat_id == chat_id]
        for token in tokens:
            del self._pending[token]
        return len(tokens)

    def _remember(self, pending: Pending) -> str:
        """Keep a confirmation; its token is random, so an old or forged button finds nothing."""
        token = secrets.token_urlsafe(9)
        self._pending[token] = pending
        while len(self._pending) > PENDING_LIMIT:
            self._pending.popitem(last=False)
        return token


def _totals(entries: Sequence[LoggedEntry], totals: dict[int, int]) -> tuple[Total, ...]:
    """Each child of these entries once, in order, with their total miles."""
    names = {e.child_id: e.name for e in entries}
    return tuple(Total(child_id, name, totals.get(child_id, 0) / 100)
                 for child_id, name in names.items())


def _rules(program: Program) -> Rules:
    return Rules(lap_miles=program.lap_miles, block_miles=program.block_miles,
                 daily_cap=program.daily_cap_miles)
