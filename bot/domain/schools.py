"""A program's list of schools: those in its YAML file, then those its organizers added.
/addkid offers them as buttons, and a school typed instead is matched to the list, typos,
case and a missing "Elementary" forgiven, so every family of a school counts under one name."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils

from bot.domain.access import Allowed
from bot.domain.kids import clean_school
from bot.domain.programs import Program
from storage import repo, schools
from storage.db import Database

SAME_SCHOOL = 88  # rapidfuzz WRatio from which a typed name is the listed school


def school_key(school: str | None) -> str:
    """One key per school however it was typed ("" for none): figures and the pickup log
    count "Lincoln" and "lincoln " as one school."""
    return " ".join((school or "").split()).casefold()


def usual_spelling(spellings: Sequence[str | None]) -> str | None:
    """A school's most common spelling among these (the first alphabetically on a tie)."""
    tidied = sorted(" ".join((s or "").split()) for s in spellings)
    return max(tidied, key=tidied.count) if tidied else None


def listed_as(typed: str, listed: Sequence[str]) -> str:
    """The listed school the typed name means, or the typed name when none is close."""
    found = process.extractOne(typed, listed, scorer=fuzz.WRatio,
                               processor=utils.default_process, score_cutoff=SAME_SCHOOL)
    return found[0] if found else typed


@dataclass(frozen=True)
class SchoolAdded:
    name: str
    schools: tuple[str, ...]  # the program's list now


@dataclass(frozen=True)
class AlreadyListed:
    name: str  # as the list has it


@dataclass(frozen=True)
class NotASchoolName:
    """Empty, or not a name (the kids' rules for a school's name)."""


@dataclass(frozen=True)
class NotAnOrganizerHere:
    """Only the program's organizers add schools."""


class Schools:
    def __init__(self, db: Database, allowed: Allowed | None = None,
                 now: Callable[[], dt.datetime] = repo.utcnow) -> None:
        self.db = db
        self.allowed = allowed
        self.now = now

    async def of(self, program: Program) -> tuple[str, ...]:
        async with self.db.session() as session:
            more = await schools.added(session, program.slug)
        known = {s.casefold() for s in program.schools}
        return (*program.schools, *(s for s in more if s.casefold() not in known))

    async def add(self, program: Program | None, name: str, user_id: int | None
                  ) -> SchoolAdded | AlreadyListed | NotASchoolName | NotAnOrganizerHere:
        if program is None or (self.allowed is not None and not await self.allowed(
                user_id, "/addschool", program.slug)):
            return NotAnOrganizerHere()
        cleaned = clean_school(name)
        if cleaned is None:
            return NotASchoolName()
        current = await self.of(program)
        same = next((s for s in current if s.casefold() == cleaned.casefold()), None)
        if same is not None:
            return AlreadyListed(same)
        async with self.db.session() as session, session.begin():
            await schools.add(session, program.slug, cleaned, self.now())
        return SchoolAdded(cleaned, (*current, cleaned))
