"""Coaches and organizers: invite links that make them, who someone is in a program, and a
coach's roster. Who may use what is decided by the table in bot/domain/access.py."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from bot.domain.access import Person, Role, may
from bot.domain.announcing import behind_pace
from bot.domain.programs import Program
from storage import program_miles, repo, staff
from storage.db import Database
from storage.staff import StaffRole

INVITE_PREFIX = "join-"  # a /start payload that is an invite, not a program's slug
INVITE_LIFETIME = dt.timedelta(days=7)


@dataclass(frozen=True)
class InviteMade:
    code: str  # the /start payload: at most 64 characters of [A-Za-z0-9_-]
    role: StaffRole
    expires_at: dt.datetime


@dataclass(frozen=True)
class UnknownProgram:
    slug: str


@dataclass(frozen=True)
class UnknownSchool:
    school: str
    schools: tuple[str, ...]  # the program's list


@dataclass(frozen=True)
class NotAllowed:
    """The user may not do this in this program."""


@dataclass(frozen=True)
class Joined:
    role: StaffRole
    program: Program


@dataclass(frozen=True)
class InviteGone:
    """Unknown, used already, or expired."""


@dataclass(frozen=True)
class RosterChild:
    name: str  # first name and last initial
    grade: str
    school: str | None
    miles: float
    last_logged: dt.date | None
    behind: bool


@dataclass(frozen=True)
class Roster:
    program: Program
    schools: tuple[str, ...]  # the coach's; () for an organizer: every school
    children: tuple[RosterChild, ...]


class Staffing:
    def __init__(self, db: Database, programs: Mapping[str, Program],
                 organizer_ids: frozenset[int] = frozenset(),
                 now: Callable[[], dt.datetime] = repo.utcnow) -> None:
        self.db = db
        self.programs = programs
        self.organizer_ids = organizer_ids
        self.now = now

    async def person(self, user_id: int | None) -> Person:
        roles: list[StaffRole] = []
        if user_id is not None:
            async with self.db.session() as session:
                roles = await staff.roles_of(session, user_id)
        return Person(user_id, tuple(roles), user_id in self.organizer_ids)

    async def may(self, user_id: int | None, action: str, program: str | None) -> bool:
        return may(await self.person(user_id), action, program)

    async def invite(self, slug: str, role: Role, school: str = "",
                     by: int | None = None) -> InviteMade | UnknownProgram | UnknownSchool \
            | NotAllowed:
        """A one-time link's code for a coach of `school` or an organizer of the program.
        `by`: the organizer asking in chat (None: the CLI, run on the server)."""
        program = self.programs.get(slug)
        if program is None:
            return UnknownProgram(slug)
        if by is not None and not await self.may(by, "/invite", slug):
            return NotAllowed()
        if role == Role.COACH:
            school = school.strip()
            listed = {s.casefold(): s for s in program.schools}
            if not school or (listed and school.casefold() not in listed):
                return UnknownSchool(school, program.schools)
            school = listed.get(school.casefold(), school)
        else:
            school = ""
        now = self.now()
        made = InviteMade(INVITE_PREFIX + secrets.token_urlsafe(24),
                          StaffRole(slug, role.value, school), now + INVITE_LIFETIME)
        async with self.db.session() as session, session.begin():
            await staff.add_invite(session, made.code, made.role, now, made.expires_at)
        return made

    async def join(self, code: str, user_id: int) -> Joined | InviteGone:
        async with self.db.session() as session, session.begin():
            role = await staff.redeem(session, code, user_id, self.now())
        program = self.programs.get(role.program) if role else None
        return Joined(role, program) if role and program else InviteGone()

    async def roster(self, user_id: int | None, program: Program | None
                     ) -> Roster | NotAllowed:
        """A coach's school(s) children, or an organizer's whole program; with miles, the day
        they last logged and whether they are behind the plan."""
        if program is None:
            return NotAllowed()
        person = await self.person(user_id)
        if not may(person, "/roster", program.slug):
            return NotAllowed()
        schools = person.schools_in(program.slug)
        organizer = Role.ORGANIZER in person.roles_in(program.slug)
        async with self.db.session() as session:
            rows = await program_miles.roster(session, program.slug,
                                              None if organizer else schools)
        today = self.now().date()
        return Roster(program, () if organizer else schools, tuple(
            RosterChild(r.child.name, r.child.grade, r.child.school,
                        sum(h for _, h in r.days) / 100,
                        max((d for d, _ in r.days), default=None),
                        behind_pace(r.days, program, today)) for r in rows))
