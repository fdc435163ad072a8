"""Coaches and organizers: invite links that make them, who someone is in a program, and a
coach's roster. Who may use what is decided by the table in bot/domain/access.py."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.domain.access import Person, Role, may
from bot.domain.announcing import (
    Announcing,
    BadTime,
    TooLong,
    announcement_text,
    behind_pace,
)
from bot.domain.programs import Program
from bot.domain.roles import Identity
from bot.domain.schools import Schools, listed_as
from storage import program_miles, repo, staff
from storage.db import Database
from storage.staff import StaffRole

INVITE_PREFIX = "join-"  # a /start payload that is an invite, not a program's slug
INVITE_LIFETIME = dt.timedelta(days=7)
CONTACT_LIMIT = 500  # characters of a coach's shared contact


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
class NoticeSent:
    """Queued for the school's families (each chat once); a delivery report follows."""

    school: str
    recipients: int  # chats it reaches now (counted again when it goes out)
    due: dt.datetime | None = None  # None: now


@dataclass(frozen=True)
class NoRecipients:
    """No family has a child at the school yet: nothing was sent."""

    school: str


@dataclass(frozen=True)
class NoSchool:
    """The user coaches no school in this program (organizers announce with /announce)."""


@dataclass(frozen=True)
class ContactShared:
    """Families of these schools now get the contact (None: no longer) in answers about
    coaches and practices."""

    schools: tuple[str, ...]
    contact: str | None


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
                 now: Callable[[], dt.datetime] = repo.utcnow,
                 announcing: Announcing | None = None) -> None:
        """`announcing` sends coaches' notices (as announcements to their school)."""
        self.db = db
        self.programs = programs
        self.organizer_ids = organizer_ids
        self.now = now
        self.announcing = announcing
        self.schools: Schools | None = None  # the program's list (set by the services)

    async def person(self, user_id: int | None) -> Person:
        roles: list[StaffRole] = []
        if user_id is not None:
            async with self.db.session() as session:
                roles = await staff.roles_of(session, user_id)
        return Person(user_id, tuple(roles), user_id in self.organizer_ids)

    async def may(self, user_id: int | None, action: str, program: str | None) -> bool:
        return may(await self.person(user_id), action, program)

    async def identify(self, user_id: int | None, chat_id: int, chat_kind: str,
                       program: Program | None) -> Identity:
        """/whoami: the sender's id (the group's too, in a group), and whether they already
        organize the chat's program."""
        return Identity(user_id, None if chat_kind == "private" else chat_id,
                        user_id is not None and await self.may(
                            user_id, "/announce", program.slug if program else None))

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
        if role == Role.COACH:  # a school of the list, as the list spells it (families' too)
            listed = await self.schools.of(program) if self.schools else program.schools
            school = listed_as(school.strip(), listed) if school.strip() else ""
            if not school or (listed and school not in listed):
                return UnknownSchool(school, listed)
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

    async def notice(self, user_id: int | None, program: Program | None, text: str
                     ) -> list[NoticeSent | NoRecipients] | NoSchool | NotAllowed | TooLong \
            | BadTime:
        """A coach's notice (a rain delay) to the families of each school they coach, through
        the outbox like an announcement, with its delivery report; a school without families
        yet is told, and nothing goes to it now. A first line "at TIME" (the program's clock)
        sends it then, to the families of that moment."""
        if program is None or self.announcing is None:
            return NotAllowed()
        person = await self.person(user_id)
        if not may(person, "/notice", program.slug):
            return NotAllowed()
        schools = person.schools_in(program.slug)
        if not schools:
            return NoSchool()
        first, _, rest = text.partition("\n")
        due: dt.datetime | None = None
        if first.lower().startswith("at ") and rest.strip():
            when = self.announcing.when(program, first[3:])
            if isinstance(when, BadTime):
                return when
            due, text = when, rest
        checked = announcement_text(text)  # the rule announcements keep: one message
        if isinstance(checked, TooLong):
            return checked
        sent: list[NoticeSent | NoRecipients] = []
        for school in schools:
            reach = await self.announcing.audience_size(program.slug, school)
            if not reach and due is None:
                sent.append(NoRecipients(school))
                continue
            scheduled = await self.announcing.schedule(program.slug, text.strip(), due,
                                                       school=school, created_by=user_id)
            sent.append(NoticeSent(school, scheduled.recipients, due))
        return sent

    async def share_contact(self, user_id: int | None, program: Program | None,
                            contact: str | None) -> ContactShared | NoSchool | NotAllowed:
        """A coach shares how families reach them, or (None) stops sharing it."""
        if program is None or user_id is None or not await self.may(
                user_id, "/contact", program.slug):
            return NotAllowed()
        contact = contact.strip()[:CONTACT_LIMIT] if contact else None
        async with self.db.session() as session, session.begin():
            schools = await staff.set_contact(session, user_id, program.slug, contact)
        return ContactShared(tuple(schools), contact) if schools else NoSchool()

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
        today = self.now().astimezone(ZoneInfo(program.timezone)).date()
        return Roster(program, () if organizer else schools, tuple(
            RosterChild(r.child.name, r.child.grade, r.child.school,
                        sum(h for _, h in r.days) / 100,
                        max((d for d, _ in r.days), default=None),
                        behind_pace(r.days, program, today)) for r in rows))
