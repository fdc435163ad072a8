"""`finalmile faq check`: what is wrong in the knowledge-base files, file and entry named.

Beyond the structure (kb.py), it asks the matcher whether each phrasing would still find its
own entry if it were left out: a phrasing closer to another entry misleads the matcher.
"""

from __future__ import annotations

from pathlib import Path

from faq.kb import KnowledgeBase, Problem, knowledge_base_files, read_knowledge_base
from faq.match import Matcher


def phrasing_problems(kb: KnowledgeBase, matcher: Matcher | None = None) -> list[Problem]:
    matcher = matcher or Matcher(kb)
    problems: list[Problem] = []
    for i, entry in enumerate(kb.entries):
        for position, phrasing in enumerate(entry.phrasings):
            ranked = matcher.rank(phrasing, exclude=(i, position))
            if not ranked:
                continue
            own = next((s.score for s in ranked if s.entry.id == entry.id), 0.0)
            other = next((s for s in ranked if s.entry.id != entry.id), None)
            if other and other.score > own:
                problems.append(Problem(
                    kb.source, entry.id,
                    f"phrasing “{phrasing}” is closer to entry '{other.entry.id}' "
                    f"({other.score:.2f}) than to its own ({own:.2f})",
                ))
    return problems


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
