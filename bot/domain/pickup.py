"""The printed packet-pickup log: every current child of a program (or of one school), grouped
by school, with grade, total against the goal, entries and the milestones reached.

Plain results: bot.pictures.pickup_log prints them, bot.texts.pickup holds their words. A child
appears as first name and last initial only, the only name the bot keeps. Families type their
school, so "Lincoln" and "lincoln " are one school, headed by its most common spelling; schools
come alphabetically and children without a school last. Milestones and the goal are read the
way /progress reads them (bot.domain.standings).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.domain.programs import Program
from bot.domain.schools import school_key, usual_spelling
from bot.domain.standings import progress_of
from storage import program_miles, repo
from storage.children import ChildRecord
from storage.db import Database
from storage.program_miles import EntryRow


@dataclass(frozen=True)
class PickupEntry:
    day: dt.date
    miles: float
    activity: str | None  # "run", "walk", "soccer"... as logged, or None


@dataclass(frozen=True)
class PickupChild:
    name: str  # "Emma R.": first name and last initial, never more
    grade: str  # "K", "1" .. "8"
    total: float  # miles
    done: bool  # the goal is reached
    reached: tuple[float, ...]  # milestones reached, ascending
    entries: tuple[PickupEntry, ...]  # oldest day first


@dataclass(frozen=True)
class SchoolSection:
    school: str | None  # None: no school given
    children: tuple[PickupChild, ...]  # by first name


@dataclass(frozen=True)
class PickupLog:
    program: Program
    school: str | None  # the one school asked for; None: the whole program
    today: dt.date  # the day it was made, in the program's time zone
    sections: tuple[SchoolSection, ...]  # none when the program (or school) has no children

    @property
    def children(self) -> int:
        return sum(len(section.children) for section in self.sections)


async def pickup_log(db: Database, program: Program, school: str | None = None,
                     now: Callable[[], dt.datetime] = repo.utcnow) -> PickupLog:
    """The pickup log of the program's current children (of one school, any case, if given)."""
    today = now().astimezone(ZoneInfo(program.timezone)).date()
    async with db.session() as session:
        rows = await program_miles.export_rows(session, program.slug, school)
        entries = await program_miles.program_entries(session, program.slug, school)
    groups: dict[str, list[tuple[ChildRecord, list[EntryRow]]]] = {}
    for row in rows:
        groups.setdefault(school_key(row.child.school), []).append(
            (row.child, entries.get(row.child.id, [])))
    sections = [SchoolSection(usual_spelling([child.school for child, _ in kids]) or None, tuple(
        _child(child, logged, program, today)
        for child, logged in sorted(kids, key=lambda found: _name_order(found[0]))))
        for _key, kids in sorted(groups.items(), key=lambda group: (not group[0], group[0]))]
    return PickupLog(program, school, today, tuple(sections))


def _name_order(child: ChildRecord) -> tuple[str, str, int]:
    return child.first_name.casefold(), child.last_initial or "", child.id


def _child(child: ChildRecord, logged: list[EntryRow], program: Program, today: dt.date
           ) -> PickupChild:
    days = tuple((entry.day, entry.hundredths / 100) for entry in logged)
    progress = progress_of(child, days, program, today).progress
    return PickupChild(
        name=child.name, grade=child.grade, total=progress.total,
        done=progress.pace == "done", reached=progress.reached,
        entries=tuple(PickupEntry(e.day, e.hundredths / 100, e.activity) for e in logged))
