"""A program's own settings: name, contacts, event, goal and milestones, lap length, time zone,
the training plan and reminders. They sit in the `program:` section of its YAML file, beside its
FAQ, but they are the rules of the program, not of the FAQ.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from faq.kb import (
    KnowledgeBaseError,
    Problem,
    clean_strings,
    clean_text,
    knowledge_base_files,
)


@dataclass(frozen=True)
class Contact:
    name: str
    role: str = ""
    email: str | None = None


@dataclass(frozen=True)
class Program:
    slug: str
    name: str
    short_name: str
    event_name: str
    event_date: dt.date | None
    timezone: str
    goal_miles: float
    milestones: tuple[float, ...]
    contacts: tuple[Contact, ...]
    fallback_contact: str
    schools: tuple[str, ...] = ()  # empty: families type their school's name
    # FAQ entries a coach's shared contact is added to, for families of their school
    coach_topics: tuple[str, ...] = ()
    lap_miles: float = 0.25  # a high-school track lap
    block_miles: float = 0.25  # a city block
    daily_cap_miles: float = 10.0  # more than this per child per day is refused
    min_weeks: int = 9  # the training plan: 25.2 miles over 9 to 12 weeks
    max_weeks: int = 12
    reminder_days: int = 4  # a nudge after this many days without a log
    question_asker_days: int = 180  # a kept question forgets who asked it after this long
    # The FAQ learns a wording once this many families picked the same entry for it, and
    # the organizers' review accepts it (or, with faq_auto_accept, it is accepted at once).
    faq_learn_families: int = 3
    faq_auto_accept: bool = False


def parse_program(raw: Any, file: str, problems: list[Problem],
                  default_timezone: str = "UTC") -> Program | None:
    """A program's settings; `default_timezone` (the TIMEZONE setting) when it names none."""
    if not isinstance(raw, dict):
        problems.append(Problem(file, None, "missing 'program' section"))
        return None
    missing = [k for k in ("slug", "name", "fallback_contact") if not raw.get(k)]
    if missing:
        problems.append(Problem(file, None, f"program: missing field(s) {', '.join(missing)}"))
        return None
    slug = str(raw["slug"])  # checked with the FAQ (faq.kb), which shares the file
    event_date = raw.get("event_date")
    if event_date is not None and not isinstance(event_date, dt.date):
        problems.append(Problem(file, None, "program: event_date must be a date (YYYY-MM-DD)"))
        event_date = None
    goal = float(raw.get("goal_miles", 25.2))
    milestones = tuple(float(m) for m in raw.get("milestones", [5, 10, 15, 20, goal]))
    if list(milestones) != sorted(set(milestones)) or any(m <= 0 for m in milestones):
        problems.append(Problem(file, None, "program: milestones must be positive and increasing"))
    contacts = tuple(
        Contact(name=clean_text(c.get("name")), role=clean_text(c.get("role")),
                email=c.get("email"))
        for c in raw.get("contacts") or []
        if isinstance(c, dict) and c.get("name")
    )
    numbers: dict[str, float] = {}
    for key, default in (("lap_miles", 0.25), ("block_miles", 0.25),
                         ("daily_cap_miles", 10.0), ("min_weeks", 9), ("max_weeks", 12),
                         ("reminder_days", 4), ("question_asker_days", 180),
                         ("faq_learn_families", 3)):
        try:
            numbers[key] = float(raw.get(key, default))
        except (TypeError, ValueError):
            numbers[key] = float("nan")
        if not 0 < numbers[key] < 1000:
            problems.append(Problem(file, None, f"program: {key} must be a positive number"))
            numbers[key] = float(default)
    auto_accept = raw.get("faq_auto_accept", False)
    if not isinstance(auto_accept, bool):
        problems.append(Problem(file, None, "program: faq_auto_accept must be true or false"))
        auto_accept = False
    if numbers["min_weeks"] > numbers["max_weeks"]:
        problems.append(Problem(file, None, "program: min_weeks must not exceed max_weeks"))
    return Program(
        slug=slug,
        name=clean_text(raw["name"]),
        short_name=clean_text(raw.get("short_name") or raw["name"]),
        event_name=clean_text(raw.get("event_name") or raw["name"]),
        event_date=event_date,
        timezone=_timezone(raw.get("timezone"), default_timezone, file, problems),
        goal_miles=goal,
        milestones=milestones,
        contacts=contacts,
        fallback_contact=clean_text(raw["fallback_contact"]),
        schools=clean_strings(raw.get("schools")),
        coach_topics=clean_strings(raw.get("coach_topics")),
        lap_miles=numbers["lap_miles"],
        block_miles=numbers["block_miles"],
        daily_cap_miles=numbers["daily_cap_miles"],
        min_weeks=int(numbers["min_weeks"]),
        max_weeks=int(numbers["max_weeks"]),
        reminder_days=int(numbers["reminder_days"]),
        question_asker_days=int(numbers["question_asker_days"]),
        faq_learn_families=int(numbers["faq_learn_families"]),
        faq_auto_accept=auto_accept,
    )


def _timezone(value: Any, default: str, file: str, problems: list[Problem]) -> str:
    """The program's IANA time zone: reminders, "today" and announcement times use it."""
    name = str(value or default)
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(Problem(file, None, f"program: unknown timezone '{name}'"))
        return "UTC"
    return name


def read_programs(paths: Iterable[Path] | None = None, default_timezone: str = "UTC"
                  ) -> tuple[dict[str, Program], list[Problem]]:
    """Every program in the content files, keyed by slug, and the problems found in them."""
    programs: dict[str, Program] = {}
    problems: list[Problem] = []
    for path in paths if paths is not None else knowledge_base_files():
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError):
            continue  # reported by faq.kb, which reads the same file
        raw = data.get("program") if isinstance(data, dict) else None
        if not isinstance(raw, dict):
            continue  # reported by faq.kb too
        program = parse_program(raw, path.name, problems, default_timezone)
        if program is not None:
            programs[program.slug] = program
    return programs, problems


def load_programs(paths: Iterable[Path] | None = None, default_timezone: str = "UTC"
                  ) -> dict[str, Program]:
    """Every program, keyed by slug; refuse to start on any problem."""
    programs, problems = read_programs(paths, default_timezone)
    if problems:
        raise KnowledgeBaseError(problems)
    return programs
