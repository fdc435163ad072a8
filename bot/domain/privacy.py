"""A family erases what the bot keeps about it (/forget): what would go, then all of it, in one
transaction. Children are minors: nothing of theirs may outlive the family's wish."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from bot.domain.programs import Program
from storage import erasure, repo
from storage.db import Database
from storage.erasure import Kept

CONFIRM_MINUTES = 10  # how long /forget's "Yes" stays good


@dataclass(frozen=True)
class Erased:
    kept: Kept  # what was erased


@dataclass(frozen=True)
class ConfirmationExpired:
    """The "Yes" was pressed long after /forget asked: nothing was erased."""


@dataclass(frozen=True)
class NothingKept:
    """Nothing of the chat is kept (never joined, or erased already)."""


class Privacy:
    def __init__(self, db: Database, programs: Mapping[str, Program] | None = None,
                 now: Callable[[], dt.datetime] = repo.utcnow) -> None:
        self.db = db
        self.programs = programs or {}
        self.now = now

    async def forget_old_askers(self) -> int:
        """Questions kept for organizers forget who asked them once the program's retention
        period (`question_asker_days`) is over; how many did now."""
        async with self.db.session() as session, session.begin():
            return sum([await repo.forget_askers(
                session, slug, self.now() - dt.timedelta(days=program.question_asker_days))
                for slug, program in self.programs.items()])

    async def kept(self, chat_id: int) -> Kept:
        async with self.db.session() as session:
            return await erasure.kept(session, chat_id)

    def asked_now(self) -> int:
        """The minute /forget asks, carried by its "Yes" button."""
        return int(self.now().timestamp() // 60)

    async def erase(self, chat_id: int, through_update: int, asked: int | None = None
                    ) -> Erased | NothingKept | ConfirmationExpired:
        """Erase the chat's family: its children and their miles, its questions, the messages
        queued or sent to it, its conversation state, its settings and the updates it sent
        (the one asking for this among them). `asked`: the minute the question was asked; an
        answer after `CONFIRM_MINUTES` erases nothing (the family may have logged since)."""
        if asked is not None and not 0 <= self.asked_now() - asked <= CONFIRM_MINUTES:
            return ConfirmationExpired()
        async with self.db.session() as session, session.begin():
            kept = await erasure.kept(session, chat_id)
            erased = await erasure.erase_chat(session, chat_id, through_update)
        return Erased(kept) if erased else NothingKept()
