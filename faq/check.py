"""`finalmile faq check`: what is wrong in the knowledge-base files, file and entry named.

Beyond the structure (kb.py), it asks the matcher whether each phrasing would still find its
own entry if it were left out: a phrasing closer to another entry misleads the matcher.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from faq.kb import KnowledgeBase, Problem, knowledge_base_files, read_knowledge_base
from faq.match import Matcher, Scored


@dataclass(frozen=True)
class Misleading:
    """A phrasing that, left out, would find another entry before its own."""

    entry_id: str
    phrasing: str
    other: Scored
    own: float


def misleading(kb: KnowledgeBase, matcher: Matcher | None = None) -> list[Misleading]:
    matcher = matcher or Matcher(kb)
    found: list[Misleading] = []
    for i, entry in enumerate(kb.entries):
        for position, phrasing in enumerate(entry.phrasings):
            ranked = matcher.rank(phrasing, exclude=(i, position))
            if not ranked:
                continue
            own = next((s.score for s in ranked if s.entry.id == entry.id), 0.0)
            other = next((s for s in ranked if s.entry.id != entry.id), None)
            if other and other.score > own:
                found.append(Misleading(entry.id, phrasing, other, own))
    return found


def phrasing_problems(kb: KnowledgeBase, matcher: Matcher | None = None) -> list[Problem]:
    return [Problem(kb.source, m.entry_id,
                    f"phrasing “{m.phrasing}” is closer to entry '{m.other.entry.id}' "
                    f"({m.other.score:.2f}) than to its own ({m.own:.2f})")
            for m in misleading(kb, matcher)]


def check_files(paths: list[Path] | None = None) -> list[Problem]:
    problems: list[Problem] = []
    slugs: dict[str, str] = {}
    for path in paths if paths is not None else knowledge_base_files():
        kb, found = read_knowledge_base(path)
        problems.extend(found)
        if kb is None:
            continue
        if kb.slug in slugs:
            problems.append(Problem(path.name, None, f"program slug '{kb.slug}' is also "
                                                     f"used by {slugs[kb.slug]}"))
        slugs[kb.slug] = path.name
        problems.extend(phrasing_problems(kb))
    return problems
