"""The logbook's one write: check logs against the daily cap and recent repeats, write the
accepted ones and queue their milestone congratulations, in one transaction.

Logs that arrive while the database is busy share the next transaction (bot.domain.batching),
in arrival order: each sees the ones before it, in the same batch too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.batching import Batcher, together_or_alone
from bot.domain.log_results import Milestone, MilestoneText
from bot.domain.programs import Program
from bot.domain.progress import crossed_milestones
from storage import families, mile_logs, outbox
from storage.db import Database
from storage.mile_logs import NewEntry

REPEAT_WINDOW = dt.timedelta(minutes=10)  # the same miles again this soon: ask first
MILESTONE_DELAY = dt.timedelta(minutes=1)  # time for an undo before a congratulation goes
PICTURE = "log"  # an outbox picture "log:<child id>": the child's training log when sent


@dataclass(frozen=True)
class WriteRequest:
    """One message's miles, resolved to child ids, waiting to be written."""

    family_id: int
    chat_id: int
    text: str
    user_id: int | None
    entries: tuple[NewEntry, ...]
    cap: int  # hundredths of a mile per child per day
    allow_repeat: bool
    program: Program
    names: dict[int, str]  # child id -> name, for the milestone congratulations


@dataclass(frozen=True)
class Written:
    log_id: int
    totals: dict[int, int]  # hundredths per child of this log, after it


@dataclass(frozen=True)
class OverDailyCap:
    child_id: int
    day: dt.date
    total: int  # hundredths that day, had it been written


@dataclass(frozen=True)
class Repeated:
    """The same miles for the same children and days were logged moments ago."""


Outcome = Written | OverDailyCap | Repeated
BatchObserver = Callable[[Sequence[WriteRequest]], None]


def fingerprint(entries: Sequence[NewEntry]) -> str:
    """Two messages are "the same" when they claim the same miles for the same children/days."""
    key = "|".join(sorted(f"{e.child_id}:{e.hundredths}:{e.day.isoformat()}" for e in entries))
    return hashlib.sha256(key.encode()).hexdigest()


def milestone_key(child_id: int, milestone: float) -> str:
    return f"milestone:{child_id}:{round(milestone * 100)}"


def picture_key(child_id: int) -> str:
    return f"{PICTURE}:{child_id}"


def pictured_child(key: str) -> int | None:
    """The child whose training log an outbox picture key names, if it names one."""
    kind, _, child_id = key.partition(":")
    return int(child_id) if kind == PICTURE and child_id.isdigit() else None


class LogWriter:
    def __init__(self, db: Database, now: Callable[[], dt.datetime],
                 milestone_text: MilestoneText, on_batch: BatchObserver | None = None) -> None:
        """`on_batch` hears each group of logs as it is written in one transaction."""
        self.db = db
        self.now = now
        self.milestone_text = milestone_text
        self.on_batch = on_batch
        self._batcher: Batcher[WriteRequest, Outcome] = Batcher(self._write_batch,
                                                                  alone=db.one_at_a_time)

    async def __call__(self, request: WriteRequest) -> Outcome:
        return await self._batcher(request)

    async def _write_batch(self, requests: list[WriteRequest]) -> list[Outcome | Exception]:
        """Write a batch in one transaction; if that fails, each alone, so one bad log
        fails only its own message and never leaves another half-written."""
        return await together_or_alone(requests, self._write_together)

    async def _write_together(self, requests: list[WriteRequest]) -> list[Outcome]:
        """Check each log against the cap and recent repeats, in arrival order (a log sees the
        ones before it, in this batch too), and write the accepted ones."""
        if self.on_batch is not None:
            self.on_batch(tuple(requests))
        child_ids = sorted({e.child_id for r in requests for e in r.entries})
        family_ids = [r.family_id for r in requests]
        async with self.db.session() as session, session.begin():
            # One family's logs in turn, across processes too (PostgreSQL row locks).
            await families.lock_families(session, family_ids)
            stored = await mile_logs.day_totals(session, child_ids)
            seen = await mile_logs.recent_fingerprints(session, family_ids,
                                                      self.now() - REPEAT_WINDOW)
            child_totals: dict[int, int] = {}
            for (child_id, _day), amount in stored.items():
                child_totals[child_id] = child_totals.get(child_id, 0) + amount
            outcomes: list[Outcome] = []
            accepted: list[tuple[int, mile_logs.NewLog]] = []
            congratulations: list[outbox.NewMessage] = []
            for request in requests:
                over = _over_cap(stored, request.entries, request.cap)
                key = fingerprint(request.entries)
                if over:
                    outcomes.append(over)
                    continue
                if not request.allow_repeat and (request.family_id, key) in seen:
                    outcomes.append(Repeated())
                    continue
                seen.add((request.family_id, key))
                before = {e.child_id: child_totals.get(e.child_id, 0) for e in request.entries}
                for e in request.entries:
                    stored[(e.child_id, e.day)] = stored.get((e.child_id, e.day), 0) + e.hundredths
                    child_totals[e.child_id] = child_totals.get(e.child_id, 0) + e.hundredths
                accepted.append((len(outcomes), mile_logs.NewLog(
                    request.family_id, request.text, key, request.user_id, request.entries)))
                outcomes.append(Written(0, {e.child_id: child_totals[e.child_id]
                                            for e in request.entries}))
                congratulations += self._milestones(request, before, child_totals)
            ids = await mile_logs.add_logs(session, [log for _, log in accepted])
            # In the same transaction as the miles: queued once per child and milestone, ever.
            await outbox.enqueue(session, congratulations)
        for (position, _log), log_id in zip(accepted, ids, strict=True):
            written = outcomes[position]
            assert isinstance(written, Written)
            outcomes[position] = Written(log_id, written.totals)
        return outcomes

    def _milestones(self, request: WriteRequest, before: dict[int, int], after: dict[int, int]
                    ) -> list[outbox.NewMessage]:
        """A congratulation for each milestone a child of this log just crossed. Sent after a
        short wait, so an immediate undo can still take it back."""
        program, due = request.program, self.now() + MILESTONE_DELAY
        messages = []
        for child_id, was in before.items():
            for miles in crossed_milestones(was / 100, after[child_id] / 100, program.milestones):
                notice = self.milestone_text(
                    Milestone(child_id, request.names[child_id], miles, program))
                messages.append(outbox.NewMessage(
                    request.chat_id, "milestone", notice.text, due,
                    milestone_key(child_id, miles), picture=picture_key(child_id),
                    buttons=notice.buttons))
        return messages


def _over_cap(stored: dict[tuple[int, dt.date], int], entries: Sequence[NewEntry], cap: int
              ) -> OverDailyCap | None:
    """The first child and day that would pass the per-day cap, if any."""
    added: dict[tuple[int, dt.date], int] = {}
    for e in entries:
        added[(e.child_id, e.day)] = added.get((e.child_id, e.day), 0) + e.hundredths
    for (child_id, day), amount in added.items():
        if stored.get((child_id, day), 0) + amount > cap:
            return OverDailyCap(child_id, day, stored.get((child_id, day), 0) + amount)
    return None


async def withdraw_milestones(session: AsyncSession, program: Program, child_ids: set[int],
                              totals: dict[int, int]) -> None:
    """Congratulations not sent yet for milestones a child is now below again are dropped;
    crossing again queues one anew, so it still arrives once."""
    await outbox.cancel_pending(session, [
        milestone_key(child_id, m) for child_id in child_ids for m in program.milestones
        if round(m * 100) > totals.get(child_id, 0)])
