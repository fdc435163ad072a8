"""Who may use what: one table for every command and button, by role, in the program the
chat is in. The handlers' use cases ask `may`; tests/test_access.py walks the whole table.

Roles hold in one program: a coach of KROC's Lincoln Elementary is a parent anywhere else. A
coach's school narrows what they see (their roster, their notices), not what they may use.
ORGANIZER_IDS (settings) are organizers of every program; others are made by invite links.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum

from storage.staff import StaffRole


class Role(StrEnum):
    PARENT = "parent"
    COACH = "coach"
    ORGANIZER = "organizer"


Allowed = Callable[[int | None, str, str | None], Awaitable[bool]]  # user, action, program
ANYONE = frozenset(Role)
STAFF = frozenset({Role.COACH, Role.ORGANIZER})
ORGANIZERS = frozenset({Role.ORGANIZER})

# Every command, and every button by its callback prefix (bot/callbacks.py): who may use it.
ACCESS: dict[str, frozenset[Role]] = {
    # a family's own things
    "/start": ANYONE, "/program": ANYONE, "/help": ANYONE, "/faq": ANYONE, "/kids": ANYONE,
    "/addkid": ANYONE, "/log": ANYONE, "/undo": ANYONE, "/history": ANYONE,
    "/progress": ANYONE, "/reminders": ANYONE, "/privacy": ANYONE, "/forget": ANYONE,
    "/cancel": ANYONE, "/whoami": ANYONE,
    "program": ANYONE, "faq": ANYONE, "topic": ANYONE, "entry": ANYONE, "pick": ANYONE,
    "none": ANYONE, "logok": ANYONE, "undo": ANYONE, "del": ANYONE, "delyes": ANYONE,
    "delno": ANYONE, "hist": ANYONE, "chart": ANYONE, "grade": ANYONE, "school": ANYONE,
    "kidrename": ANYONE, "kidremove": ANYONE, "kidremoveyes": ANYONE, "kidkeep": ANYONE,
    "forgetyes": ANYONE, "forgetno": ANYONE,
    "notthis": ANYONE,  # "not what I asked" (the domain checks it is the asker's chat)
    # coaches: their school's children, and notices to their families
    "/roster": STAFF, "/notice": STAFF, "/contact": STAFF,
    # organizers: announcements and invites
    "/announce": ORGANIZERS, "/announcements": ORGANIZERS, "/invite": ORGANIZERS,
    "/figures": ORGANIZERS, "/addschool": ORGANIZERS, "/schools": ANYONE,
    "/review": ORGANIZERS,  # the FAQ's review (bot.domain.learning): every step of it
    "rvdec": ORGANIZERS, "rvwrite": ORGANIZERS, "rvatt": ORGANIZERS, "rvtop": ORGANIZERS,
    "rvdis": ORGANIZERS, "rvent": ORGANIZERS, "rvtopic": ORGANIZERS, "rvsave": ORGANIZERS,
    "aud": ORGANIZERS, "ann": ORGANIZERS, "anncancel": ORGANIZERS,
}


@dataclass(frozen=True)
class Person:
    """A user as the access table sees them: their staff roles, in any program."""

    user_id: int | None
    staff: tuple[StaffRole, ...] = ()
    super_organizer: bool = False  # in ORGANIZER_IDS

    def roles_in(self, program: str | None) -> frozenset[Role]:
        """Their roles in this program (everyone is a parent)."""
        held = {Role(s.role) for s in self.staff if s.program == program}
        if self.super_organizer and self.user_id is not None:
            held.add(Role.ORGANIZER)
        return frozenset({Role.PARENT, *held})

    def schools_in(self, program: str | None) -> tuple[str, ...]:
        """The schools they coach in this program."""
        return tuple(s.school for s in self.staff
                     if s.program == program and s.role == Role.COACH)


def may(person: Person, action: str, program: str | None) -> bool:
    """Whether the person may use this command ("/announce") or button (its prefix) in a
    chat of this program. An action missing from the table is refused."""
    allowed = ACCESS.get(action, frozenset())
    return bool(allowed & person.roles_in(program))
