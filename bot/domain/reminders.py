"""Nudge families who have not logged for a few days: at a friendly local hour, at most once a
week, never between 20:00 and 08:00, and never again after /reminders off."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.domain.programs import Program
from storage import families, outbox, repo
from storage.db import Database

SEND_FROM, SEND_UNTIL = 9, 19  # local hours: a reminder is queued from 9:00 to 18:59
WEEK = dt.timedelta(days=7)  # at most one reminder in any seven days
ReminderRenderer = Callable[[list[str]], str]  # the children's names -> the nudge's wording


@dataclass(frozen=True)
class RemindersOn:
    pass


@dataclass(frozen=True)
class RemindersOff:
    pass


@dataclass(frozen=True)
class NoFamily:
    """No child was ever added in this chat: there are no miles to remind about."""


SwitchResult = RemindersOn | RemindersOff | NoFamily


def day_key(family_id: int, local: dt.datetime) -> str:
    return f"reminder:{family_id}:{local.date().isoformat()}"


class Reminders:
    def __init__(self, db: Database, programs: dict[str, Program], *,
                 render: ReminderRenderer,
                 now: Callable[[], dt.datetime] = repo.utcnow) -> None:
        self.db = db
        self.programs = programs
        self.render = render  # bot.texts.reminders, wired in bot/services.py
        self.now = now

    async def queue_due(self) -> int:
        """Queue this hour's reminders; how many. Safe to run often: one per family in any
        seven days (the week's count is taken from the outbox itself)."""
        now, queued = self.now(), 0
        for program in self.programs.values():
            local = now.astimezone(ZoneInfo(program.timezone))
            if not SEND_FROM <= local.hour < SEND_UNTIL:
                continue
            since = now - dt.timedelta(days=program.reminder_days)
            async with self.db.session() as session, session.begin():
                quiet = await families.quiet_families(session, program.slug, since,
                                                      now - WEEK)
                await outbox.enqueue(session, [
                    outbox.NewMessage(chat_id, "reminder", self.render(names), now,
                                      day_key(family, local))
                    for family, chat_id, names in quiet])
            queued += len(quiet)
        return queued

    async def set(self, chat_id: int, on: bool) -> SwitchResult:
        """/reminders on or off, for this chat's family."""
        async with self.db.session() as session, session.begin():
            if not await families.set_reminders(session, chat_id, on):
                return NoFamily()
        return RemindersOn() if on else RemindersOff()
