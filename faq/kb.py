"""Load and validate the programs' FAQ knowledge bases (YAML files under faq/content/).

Each file also holds its program's settings (`program:`); bot.domain.programs reads those.

A knowledge base is the organizers' content: a mistake in it (a missing answer, two entries with
one id) must be reported with the file and entry named, not discovered by a parent.
"""

from __future__ import annotations

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
    """One program's FAQ: its entries, keyed to the program by slug."""

    slug: str
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


def clean_text(value: Any) -> str:
    """A YAML value as one line of text (None: empty)."""
    return " ".join(str(value).split()) if value is not None else ""


def clean_strings(value: Any) -> tuple[str, ...]:
    """A YAML string or list of strings, each cleaned, empties dropped."""
    if value is None:
        return ()
    if isinstance(value, str):
        return (clean_text(value),)
    return tuple(clean_text(v) for v in value if clean_text(v))


def _parse_slug(raw: Any, file: str, problems: list[Problem]) -> str | None:
    """The program's slug: the FAQ belongs to it (the rest of the section is the program's
    own settings, read by bot.domain.programs)."""
    if not isinstance(raw, dict):
        problems.append(Problem(file, None, "missing 'program' section"))
        return None
    if not raw.get("slug"):
        return None  # reported with the program's other fields
    slug = str(raw["slug"])
    if not _SLUG.match(slug):
        problems.append(Problem(file, None, f"program: slug '{slug}' must be a-z, 0-9 and -, "
                                            f"at most {MAX_SLUG} characters"))
    return slug


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
        missing = [k for k in ("id", "topic", "question", "answer") if not clean_text(item.get(k))]
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
        alternates = clean_strings(item.get("alternates"))
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
                topic=clean_text(item["topic"]),
                question=clean_text(item["question"]),
                answer=clean_text(item["answer"]),
                alternates=alternates,
                keywords=clean_strings(item.get("keywords")),
            )
        )
    return entries


def parse_knowledge_base(data: Any, file: str) -> tuple[KnowledgeBase | None, list[Problem]]:
    """Turn parsed YAML into a knowledge base, collecting every problem instead of stopping."""
    problems: list[Problem] = []
    if not isinstance(data, dict):
        return None, [Problem(file, None, "not a mapping with 'program' and 'entries'")]
    slug = _parse_slug(data.get("program"), file, problems)
    entries = _parse_entries(data.get("entries"), file, problems)
    if slug is None or not entries:
        return None, problems
    return KnowledgeBase(slug=slug, entries=tuple(entries), source=file), problems


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
        if kb.slug in kbs:
            problems.append(Problem(path.name, None, f"program slug '{kb.slug}' repeated"))
        kbs[kb.slug] = kb
    if problems:
        raise KnowledgeBaseError(problems)
    return kbs
