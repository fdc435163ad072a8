"""A program's figures for its organizers: per school and for the whole program, families,
children, miles, milestones reached and how many children are behind the plan."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.domain.access import Allowed
from bot.domain.announcing import behind_pace
from bot.domain.programs import Program
from bot.domain.schools import school_key, usual_spelling
from storage import program_miles, repo
from storage.db import Database

NO_SCHOOL = ""  # children whose family gave no school


@dataclass(frozen=True)
class SchoolFigures:
    school: str  # NO_SCHOOL for children without one; the program's name for the total
    families: int
    children: int
    miles: float
    milestones: int  # milestones reached, all children counted
    behind: int  # children behind the 9-12 week plan


@dataclass(frozen=True)
class Figures:
    program: Program
    schools: tuple[SchoolFigures, ...]  # biggest first
    total: SchoolFigures


@dataclass(frozen=True)
class NotAnOrganizerHere:
    """Figures are for the program's organizers."""


class ProgramFigures:
    def __init__(self, db: Database, programs: Mapping[str, Program],
                 allowed: Allowed | None = None,
                 now: Callable[[], dt.datetime] = repo.utcnow) -> None:
        """`allowed`: the access table; None (the CLI, on the server) lets anyone."""
        self.db = db
        self.programs = programs
        self.allowed = allowed
        self.now = now

    async def of(self, program: Program | None, user_id: int | None = None
                 ) -> Figures | NotAnOrganizerHere:
        if program is None or (self.allowed is not None and not await self.allowed(
                user_id, "/figures", program.slug)):
            return NotAnOrganizerHere()
        async with self.db.session() as session:
            rows = await program_miles.roster(session, program.slug)
        today = self.now().astimezone(ZoneInfo(program.timezone)).date()
        by_school: dict[str, list[program_miles.RosterRow]] = {}
        for row in rows:  # schools as typed: "lincoln elementary" is Lincoln Elementary
            by_school.setdefault(school_key(row.child.school), []).append(row)
        names = {key: usual_spelling([r.child.school for r in group]) or NO_SCHOOL
                 for key, group in by_school.items()}

        def count(school: str, group: list[program_miles.RosterRow]) -> SchoolFigures:
            totals = [sum(h for _, h in r.days) / 100 for r in group]
            return SchoolFigures(
                school, len({r.child.family_id for r in group}), len(group),
                round(sum(totals), 2),
                sum(1 for t in totals for m in program.milestones if t >= m),
                sum(1 for r in group if behind_pace(r.days, program, today)))

        schools = sorted((count(names[k], g) for k, g in by_school.items()),
                         key=lambda f: (-f.children, f.school.casefold()))
        return Figures(program, tuple(schools), count(program.short_name, rows))
