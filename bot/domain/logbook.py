"""Use cases behind logging miles: log a message, confirm, undo, history, progress.

The parser (bot.domain.miles) says what a message claims; this module checks it against the family
(which children, the per-day cap, a repeat of the same message) and writes one transaction.
Questions and chat are not logs: `log_message` returns None and the FAQ takes the message.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import secrets
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.domain.batching import Batcher
from bot.domain.miles import Claim, Rules, parse_miles
from bot.domain.programs import Program
from bot.domain.progress import crossed_milestones
from bot.pictures import training_log_png
from bot.texts import miles as log_replies
from bot.texts.faq import Reply
from storage import families, outbox, repo
from storage.db import Database
from storage.families import ChildRecord, NewEntry

REPEAT_WINDOW = dt.timedelta(minutes=10)  # the same miles again this soon: ask first
MILESTONE_DELAY = dt.timedelta(minutes=1)  # time for an undo before a congratulation goes
PENDING_LIMIT = 10_000  # confirmations waiting for a button press, oldest dropped first
MAX_ENTRIES = 10  # per message: more is a paste or a prank, and too long to answer
ALL = "all"


@dataclass(frozen=True)
class _Request:
    """One message's miles, resolved to child ids, waiting to be written."""

    family_id: int
    text: str
    user_id: int | None
    entries: tuple[NewEntry, ...]
    cap: int  # hundredths of a mile per child per day
    allow_repeat: bool
    chat_id: int
    program: Program
    names: dict[int, str]  # child id -> name, for the milestone congratulations


@dataclass(frozen=True)
class _Logged:
    log_id: int
    totals: dict[int, int]  # hundredths per child of this log, after it


@dataclass(frozen=True)
class _OverCap:
    child_id: int
    day: dt.date
    total: int


@dataclass(frozen=True)
class _Repeat:
    pass


_Outcome = _Logged | _OverCap | _Repeat


@dataclass(frozen=True)
class Pending:
    """A message waiting for a button: which child, or "log it again?"."""

    chat_id: int
    user_id: int | None
    text: str
    claims: tuple[Claim, ...]


def hundredths(miles: float) -> int:
    return round(miles * 100)


def fingerprint(entries: Sequence[NewEntry]) -> str:
    """Two messages are "the same" when they claim the same miles for the same children/days."""
    key = "|".join(sorted(f"{e.child_id}:{e.hundredths}:{e.day.isoformat()}" for e in entries))
    return hashlib.sha256(key.encode()).hexdigest()


class Logbook:
    def __init__(self, db: Database, now: Callable[[], dt.datetime] = repo.utcnow,
                 programs: dict[str, Program] | None = None) -> None:
        self.db = db
        self.now = now
        self.programs = programs or {}
        self._pending: OrderedDict[str, Pending] = OrderedDict()
        self._writer: Batcher[_Request, _Outcome] = Batcher(self._write_batch)
        self._reader: Batcher[int, tuple[str | None, list[ChildRecord]]] = Batcher(
            self._read_batch)

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
                          ) -> Reply | None:
        """Log the miles in a message; None when the message is not a log at all.

        `kids` saves a read when the caller already has the family's children.
        """
        kids = kids if kids is not None else (await self.chat(chat_id))[1]
        today = self.today(program)
        parsed = parse_miles(text, today=today, children=[c.first_name for c in kids],
                             rules=_rules(program), explicit=explicit)
        if parsed.kind == "not_a_log":
            return log_replies.log_help() if explicit else None
        if parsed.kind == "rejected":
            return log_replies.rejected(parsed.reason)
        if len(parsed.claims) > MAX_ENTRIES:
            return log_replies.too_many(MAX_ENTRIES)
        if not kids:
            return log_replies.add_a_child_first()
        unnamed = any(c.child is None for c in parsed.claims)
        if parsed.kind == "confirm" or (unnamed and len(kids) > 1):
            token = self._remember(Pending(chat_id, user_id, text, parsed.claims))
            return log_replies.confirm(parsed.reason, parsed.claims, kids, token, today)
        return await self._write(program, chat_id, user_id, text, parsed.claims, kids)

    def looks_like_miles(self, text: str) -> bool:
        """Whether a message reads as a mile log at all (with any child's name)."""
        parsed = parse_miles(text, today=self.now().date())
        return parsed.kind != "not_a_log"

    async def confirmed(self, program: Program, chat_id: int, token: str, choice: str,
                        ) -> Reply:
        """A button on a confirmation: a child's id, "all", "yes" (as parsed) or "no"."""
        pending = self._pending.get(token)
        if pending is None or pending.chat_id != chat_id:  # another chat's button: not theirs
            return log_replies.expired()
        del self._pending[token]
        if choice == "no":
            return log_replies.not_logged()
        _program, kids = await self.chat(chat_id)
        claims = _assign(pending.claims, choice, kids)
        if claims is None:
            return log_replies.expired()
        return await self._write(program, chat_id, pending.user_id, pending.text, claims, kids,
                                 allow_repeat=choice == "again")

    async def _write(self, program: Program, chat_id: int, user_id: int | None, text: str,
                     claims: Sequence[Claim], kids: list[ChildRecord], *,
                     allow_repeat: bool = False) -> Reply:
        by_name = {c.first_name.lower(): c for c in kids}  # first names are unique in a family
        only = kids[0] if len(kids) == 1 else None
        entries: list[NewEntry] = []
        for claim in claims:
            # A named child must still be on the list (not removed while a button waited).
            child = by_name.get(claim.child.lower()) if claim.child else only
            if child is None:
                return log_replies.expired()
            entries.append(NewEntry(child.id, hundredths(claim.miles), claim.day, claim.activity))
        names = {c.id: c.name for c in kids}
        request = _Request(kids[0].family_id, text[:500], user_id, tuple(entries),
                           hundredths(program.daily_cap_miles), allow_repeat, chat_id, program,
                           names)
        outcome = await self._writer(request)
        if isinstance(outcome, _OverCap):
            return log_replies.over_cap(names[outcome.child_id], outcome.day,
                                        outcome.total / 100, program.daily_cap_miles,
                                        self.today(program))
        if isinstance(outcome, _Repeat):
            token = self._remember(Pending(chat_id, user_id, text, tuple(
                Claim(names[e.child_id].split()[0], e.hundredths / 100, e.day, e.activity)
                for e in entries)))
            return log_replies.repeat(token)
        return log_replies.logged(outcome.log_id, entries, names, outcome.totals, program,
                                  self.today(program))

    async def _write_batch(self, requests: list[_Request]) -> list[_Outcome | Exception]:
        """Write a batch in one transaction; if that fails, each alone, so one bad log
        fails only its own message and never leaves another half-written."""
        try:
            return list(await self._write_together(requests))
        except Exception:
            if len(requests) == 1:
                raise
        outcomes: list[_Outcome | Exception] = []
        for request in requests:
            try:
                outcomes.extend(await self._write_together([request]))
            except Exception as exc:
                outcomes.append(exc)
        return outcomes

    async def _write_together(self, requests: list[_Request]) -> list[_Outcome]:
        """Check each log against the cap and recent repeats, in arrival order (a log sees the
        ones before it, in this batch too), and write the accepted ones."""
        child_ids = sorted({e.child_id for r in requests for e in r.entries})
        family_ids = [r.family_id for r in requests]
        async with self.db.session() as session, session.begin():
            # One family's logs in turn, across processes too (PostgreSQL row locks).
            await families.lock_families(session, family_ids)
            stored = await families.day_totals(session, child_ids)
            seen = await families.recent_fingerprints(session, family_ids,
                                                      self.now() - REPEAT_WINDOW)
            child_totals: dict[int, int] = {}
            for (child_id, _day), amount in stored.items():
                child_totals[child_id] = child_totals.get(child_id, 0) + amount
            outcomes: list[_Outcome] = []
            accepted: list[tuple[int, families.NewLog]] = []
            congratulations: list[outbox.NewMessage] = []
            for request in requests:
                over = _over_cap(stored, request.entries, request.cap)
                key = fingerprint(request.entries)
                if over:
                    outcomes.append(_OverCap(*over))
                    continue
                if not request.allow_repeat and (request.family_id, key) in seen:
                    outcomes.append(_Repeat())
                    continue
                seen.add((request.family_id, key))
                before = {e.child_id: child_totals.get(e.child_id, 0) for e in request.entries}
                for e in request.entries:
                    stored[(e.child_id, e.day)] = stored.get((e.child_id, e.day), 0) + e.hundredths
                    child_totals[e.child_id] = child_totals.get(e.child_id, 0) + e.hundredths
                accepted.append((len(outcomes), families.NewLog(
                    request.family_id, request.text, key, request.user_id, request.entries)))
                outcomes.append(_Logged(0, {e.child_id: child_totals[e.child_id]
                                            for e in request.entries}))
                congratulations += self._milestones(request, before, child_totals)
            ids = await families.add_logs(session, [log for _, log in accepted])
            # In the same transaction as the miles: queued once per child and milestone, ever.
            await outbox.enqueue(session, congratulations)
        for (position, _log), log_id in zip(accepted, ids, strict=True):
            outcomes[position] = _Logged(log_id, outcomes[position].totals)  # type: ignore[union-attr]
        return outcomes

    def _milestones(self, request: _Request, before: dict[int, int], after: dict[int, int]
                    ) -> list[outbox.NewMessage]:
        """A congratulation for each milestone a child of this log just crossed. Sent after a
        short wait, so an immediate undo can still take it back."""
        program, due = request.program, self.now() + MILESTONE_DELAY
        return [
            outbox.NewMessage(request.chat_id, "milestone",
                              log_replies.milestone(request.names[child_id], m, program), due,
                              milestone_key(child_id, m), picture=f"log:{child_id}",
                              buttons=log_replies.chart_button(child_id,
                                                               request.names[child_id]))
            for child_id, was in before.items()
            for m in crossed_milestones(was / 100, after[child_id] / 100, program.milestones)
        ]

    async def undo(self, program: Program, chat_id: int, log_id: int | None = None) -> Reply:
        """Take back a whole message's miles (the latest one when no id is given)."""
        async with self.db.session() as session, session.begin():
            family = await families.family_id(session, chat_id)
            log = await families.get_log(session, family, log_id) if family else None
            if log is None or log.undone or not log.entries or not await families.undo_log(
                    session, family, log.id):
                return log_replies.nothing_to_undo(already=log is not None)
            totals = await families.totals(session, family)
            await _withdraw_milestones(session, program, {e.child_id for e in log.entries},
                                       totals)
        return log_replies.undone(log, totals, program)

    async def history(self, chat_id: int) -> Reply:
        async with self.db.session() as session:
            family = await families.family_id(session, chat_id)
            entries = await families.recent_entries(session, family) if family else []
        return log_replies.history(entries)

    async def delete(self, program: Program, chat_id: int, entry_id: int) -> Reply:
        async with self.db.session() as session, session.begin():
            family = await families.family_id(session, chat_id)
            entry = await families.delete_entry(session, family, entry_id) if family else None
            if entry is not None:
                totals = await families.totals(session, family, [entry.child_id])
                await _withdraw_milestones(session, program, {entry.child_id}, totals)
        return log_replies.deleted(entry)

    async def picture(self, key: str) -> bytes | None:
        """Draw an outbox message's picture: "log:<child>" is the child's training log now."""
        kind, _, child_id = key.partition(":")
        if kind != "log" or not child_id.isdigit():
            return None
        async with self.db.session() as session:
            found = await families.child_standing(session, int(child_id))
        program = self.programs.get(found[1]) if found and found[1] else None
        if found is None or program is None:
            return None
        child, _, total = found
        return await asyncio.to_thread(
            training_log_png, child.name, total / 100, goal=program.goal_miles,
            milestones=program.milestones)

    async def children_progress(self, chat_id: int
                                ) -> list[tuple[ChildRecord, list[tuple[dt.date, float]]]]:
        """Each child with their (day, miles) entries, for /progress and its pictures."""
        async with self.db.session() as session:
            kids = await families.children_of_chat(session, chat_id)
            return [(c, [(d, h / 100) for d, h in await families.child_days(session, c.id)])
                    for c in kids]

    def _remember(self, pending: Pending) -> str:
        """Keep a confirmation; its token is random, so an old or forged button finds nothing."""
        token = secrets.token_urlsafe(9)
        self._pending[token] = pending
        while len(self._pending) > PENDING_LIMIT:
            self._pending.popitem(last=False)
        return token


def _over_cap(stored: dict[tuple[int, dt.date], int], entries: Sequence[NewEntry], cap: int
              ) -> tuple[int, dt.date, int] | None:
    """The first (child, day, new total) that would pass the per-day cap, if any."""
    added: dict[tuple[int, dt.date], int] = {}
    for e in entries:
        added[(e.child_id, e.day)] = added.get((e.child_id, e.day), 0) + e.hundredths
    for key, amount in added.items():
        if stored.get(key, 0) + amount > cap:
            return key[0], key[1], stored.get(key, 0) + amount
    return None


def milestone_key(child_id: int, milestone: float) -> str:
    return f"milestone:{child_id}:{round(milestone * 100)}"


async def _withdraw_milestones(session, program: Program, child_ids: set[int],  # type: ignore[no-untyped-def]
                               totals: dict[int, int]) -> None:
    """Congratulations not sent yet for milestones a child is now below again are dropped;
    crossing again queues one anew, so it still arrives once."""
    await outbox.cancel_pending(session, [
        milestone_key(child_id, m) for child_id in child_ids for m in program.milestones
        if round(m * 100) > totals.get(child_id, 0)])


def _rules(program: Program) -> Rules:
    return Rules(lap_miles=program.lap_miles, block_miles=program.block_miles,
                 daily_cap=program.daily_cap_miles)


def _assign(claims: Sequence[Claim], choice: str, kids: list[ChildRecord]
            ) -> tuple[Claim, ...] | None:
    """The claims with the chosen child filled in (every child for "all")."""
    if choice in ("yes", "again"):
        return tuple(claims)
    chosen = kids if choice == ALL else [c for c in kids if str(c.id) == choice]
    if not chosen:
        return None
    out: list[Claim] = []
    for claim in claims:
        if claim.child is not None:
            out.append(claim)
            continue
        out.extend(Claim(c.first_name, claim.miles, claim.day, claim.activity) for c in chosen)
    return tuple(out)
