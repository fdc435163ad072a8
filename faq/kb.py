"""Load and validate the programs' FAQ knowledge bases (YAML files under faq/content/).

A knowledge base is the organizers' content: a mistake in it (a missing answer, two entries with
one id) must be reported with the file and entry named, not discovered by a parent.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

CONTENT_DIR = Path(__file__).parent / "content"
MIN_ALTERNATES = 6
# Both travel in button data, which Telegram caps at 64 bytes ("entry:<slug>:<id>").
MAX_SLUG = 20
MAX_ENTRY_ID = 32
_SLUG = re.compile(rf"^[a-z0-9][a-z0-9-]{{0,{MAX_SLUG - 1}}}$")
_ENTRY_ID = re.compile(rf"^[a-z0-9][a-z0-9-]{{0,{MAX_ENTRY_ID - 1}}}$")


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
    lap_miles: float = 0.25  # a high-school track lap
    block_miles: float = 0.25  # a city block
    daily_cap_miles: float = 10.0  # more than this per child per day is refused
    min_weeks: int = 9  # the training plan: 25.2 miles over 9 to 12 weeks
    max_weeks: int = 12
    reminder_days: int = 4  # a nudge after this many days without a log


@dataclass(frozen=True)
class Entry:
    id: str
    topic: str
    question: str
    answer: str
    alternates: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()

    @property
    def phrasings(self) -> tuple[str, ...]:
        """Every way of asking for this entry that the matcher compares against."""
        return (self.question, *self.alternates, *self.keywords)


@dataclass(frozen=True)
class KnowledgeBase:
    program: Program
    entries: tuple[Entry, ...]
    source: str = ""
    _by_id: dict[str, Entry] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_id.update({e.id: e for e in self.entries})

    def entry(self, entry_id: str) -> Entry | None:
        return self._by_id.get(entry_id)

    @property
    def topics(self) -> tuple[str, ...]:
        """Topics in the order they first appear in the file (the organizers' order)."""
        return tuple(dict.fromkeys(e.topic for e in self.entries))

    def entries_in(self, topic: str) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.topic == topic)


@dataclass(frozen=True)
class Problem:
    file: str
    entry: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: entry '{self.entry}'" if self.entry else self.file
        return f"{where}: {self.message}"


class KnowledgeBaseError(ValueError):
    """Raised when a knowledge base file cannot be used; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _strings(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (_text(value),)
    return tuple(_text(v) for v in value if _text(v))


def _parse_program(raw: Any, file: str, problems: list[Problem]) -> Program | None:
    if not isinstance(raw, dict):
        problems.append(Problem(file, None, "missing 'program' section"))
        return None
    missing = [k for k in ("slug", "name", "fallback_contact") if not raw.get(k)]
    if missing:
        problems.append(Problem(file, None, f"program: missing field(s) {', '.join(missing)}"))
        return None
    slug = str(raw["slug"])
    if not _SLUG.match(slug):
        problems.append(Problem(file, None, f"program: slug '{slug}' must be a-z, 0-9 and -, "
                                            f"at most {MAX_SLUG} characters"))
    event_date = raw.get("event_date")
    if event_date is not None and not isinstance(event_date, dt.date):
        problems.append(Problem(file, None, "program: event_date must be a date (YYYY-MM-DD)"))
        event_date = None
    goal = float(raw.get("goal_miles", 25.2))
    milestones = tuple(float(m) for m in raw.get("milestones", [5, 10, 15, 20, goal]))
    if list(milestones) != sorted(set(milestones)) or any(m <= 0 for m in milestones):
        problems.append(Problem(file, None, "program: milestones must be positive and increasing"))
    contacts = tuple(
        Contact(name=_text(c.get("name")), role=_text(c.get("role")), email=c.get("email"))
        for c in raw.get("contacts") or []
        if isinstance(c, dict) and c.get("name")
    )
    numbers: dict[str, float] = {}
    for key, default in (("lap_miles", 0.25), ("block_miles", 0.25),
                         ("daily_cap_miles", 10.0), ("min_weeks", 9), ("max_weeks", 12),
                         ("reminder_days", 4)):
        try:
            numbers[key] = float(raw.get(key, default))
        except (TypeError, ValueError):
            numbers[key] = float("nan")
        if not 0 < numbers[key] < 1000:
            problems.append(Problem(file, None, f"program: {key} must be a positive number"))
            numbers[key] = float(default)
    if numbers["min_weeks"] > numbers["max_weeks"]:
        problems.append(Problem(file, None, "program: min_weeks must not exceed max_weeks"))
    return Program(
        slug=slug,
        name=_text(raw["name"]),
        short_name=_text(raw.get("short_name") or raw["name"]),
        event_name=_text(raw.get("event_name") or raw["name"]),
        event_date=event_date,
        timezone=str(raw.get("timezone") or "UTC"),
        goal_miles=goal,
        milestones=milestones,
        contacts=contacts,
        fallback_contact=_text(raw["fallback_contact"]),
        schools=_strings(raw.get("schools")),
        lap_miles=numbers["lap_miles"],
        block_miles=numbers["block_miles"],
        daily_cap_miles=numbers["daily_cap_miles"],
        min_weeks=int(numbers["min_weeks"]),
        max_weeks=int(numbers["max_weeks"]),
        reminder_days=int(numbers["reminder_days"]),
    )


def _parse_entries(raw: Any, file: str, problems: list[Problem]) -> list[Entry]:
    if not isinstance(raw, list) or not raw:
        problems.append(Problem(file, None, "missing 'entries' list"))
        return []
    entries: list[Entry] = []
    seen: set[str] = set()
    for position, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            problems.append(Problem(file, f"#{position}", "entry is not a mapping"))
            continue
        entry_id = str(item.get("id") or f"#{position}")
        missing = [k for k in ("id", "topic", "question", "answer") if not _text(item.get(k))]
        if missing:
            problems.append(Problem(file, entry_id, f"missing field(s) {', '.join(missing)}"))
            continue
        if not _ENTRY_ID.match(entry_id):
            problems.append(Problem(file, entry_id, "id must be lowercase a-z, 0-9, -, at "
                                                    f"most {MAX_ENTRY_ID} characters"))
        if entry_id in seen:
            problems.append(Problem(file, entry_id, "duplicate id"))
            continue
        seen.add(entry_id)
        alternates = _strings(item.get("alternates"))
        if len(alternates) < MIN_ALTERNATES:
            problems.append(
                Problem(
                    file,
                    entry_id,
                    f"has {len(alternates)} alternate phrasing(s), needs at least {MIN_ALTERNATES}",
                )
            )
        entries.append(
            Entry(
                id=entry_id,
                topic=_text(item["topic"]),
                question=_text(item["question"]),
                answer=_text(item["answer"]),
                alternates=alternates,
                keywords=_strings(item.get("keywords")),
            )
        )
    return entries


def parse_knowledge_base(data: Any, file: str) -> tuple[KnowledgeBase | None, list[Problem]]:
    """Turn parsed YAML into a knowledge base, collecting every problem instead of stopping."""
    problems: list[Problem] = []
    if not isinstance(data, dict):
        return None, [Problem(file, None, "not a mapping with 'program' and 'entries'")]
    program = _parse_program(data.get("program"), file, problems)
    entries = _parse_entries(data.get("entries"), file, problems)
    if program is None or not entries:
        return None, problems
    return KnowledgeBase(program=program, entries=tuple(entries), source=file), problems


def read_knowledge_base(path: Path) -> tuple[KnowledgeBase | None, list[Problem]]:
    """Read one YAML file; YAML syntax errors become problems too."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        return None, [Problem(path.name, None, f"cannot read: {exc}")]
    return parse_knowledge_base(data, path.name)


def knowledge_base_files(directory: Path = CONTENT_DIR) -> list[Path]:
    return sorted(directory.glob("*.yaml"))


def load_knowledge_bases(paths: Iterable[Path] | None = None) -> dict[str, KnowledgeBase]:
    """Load every program's knowledge base, keyed by slug; refuse to start on any problem."""
    kbs: dict[str, KnowledgeBase] = {}
    problems: list[Problem] = []
    for path in paths if paths is not None else knowledge_base_files():
        kb, found = read_knowledge_base(path)
        problems.extend(found)
        if kb is None:
            continue
        if kb.program.slug in kbs:
            problems.append(Problem(path.name, None, f"program slug '{kb.program.slug}' repeated"))
        kbs[kb.program.slug] = kb
    if problems:
        raise KnowledgeBaseError(problems)
    return kbs
