"""The authorization table: every command and button has its entry, and the walk over every
role, in its own and another program, gives what the table says, and nothing more."""

from __future__ import annotations

import itertools

import pytest
from telegram.ext import CommandHandler

from bot.app import build_application
from bot.callbacks import ALL_ACTIONS
from bot.config import Settings
from bot.domain.access import ACCESS, Person, Role, may
from storage.staff import StaffRole

OWN, OTHER = "kroc", "little-rockers"


def commands(settings: Settings) -> set[str]:
    app = build_application(settings)
    return {f"/{c}" for handlers in app.handlers.values() for h in handlers
            if isinstance(h, CommandHandler) for c in h.commands} | {"/addkid", "/announce"}


def test_every_command_and_button_has_an_entry_and_every_entry_is_one(settings: Settings
                                                                     ) -> None:
    actions = commands(settings) | {a.prefix for a in ALL_ACTIONS}
    assert actions - set(ACCESS) == set(), "say in bot/domain/access.py who may use these"
    assert set(ACCESS) - actions == set(), "entries for commands or buttons that are gone"


def person(role: Role, program: str, school: str = "Lincoln") -> Person:
    if role == Role.PARENT:
        return Person(1)
    return Person(1, (StaffRole(program, role.value, school if role == Role.COACH else ""),))


@pytest.mark.parametrize(("action", "role", "where"), list(itertools.product(
    sorted(ACCESS), list(Role), (OWN, OTHER))))
def test_the_table_walked_for_every_role_in_its_own_and_another_program(
        action: str, role: Role, where: str) -> None:
    """A role counts in its own program only; elsewhere its holder is a parent."""
    holder = person(role, OWN)
    effective = role if where == OWN else Role.PARENT
    assert may(holder, action, where) == (effective in ACCESS[action])


def test_the_settings_organizers_organize_every_program_and_nobody_else() -> None:
    listed = Person(7, (), super_organizer=True)
    assert may(listed, "/announce", OWN) and may(listed, "/announce", OTHER)
    assert not may(Person(None, (), super_organizer=True), "/announce", OWN)
    assert not may(Person(8), "/announce", OWN) and not may(Person(8), "/roster", OWN)
    assert not may(Person(8), "/no-such-command", OWN)  # not in the table: refused


def test_a_coach_sees_the_schools_they_coach_in_that_program_only() -> None:
    coach = Person(1, (StaffRole(OWN, "coach", "Lincoln"), StaffRole(OWN, "coach", "Adams"),
                       StaffRole(OTHER, "coach", "Oak")))
    assert coach.schools_in(OWN) == ("Lincoln", "Adams") and coach.schools_in(OTHER) == ("Oak",)
