"""A program's FAQ as it stands: the YAML knowledge base with what was learned since laid over
it (alternates parents' picks and organizers' review accepted, entries organizers wrote).

Pure. What the YAML already says wins: an alternate it already has, or a written entry whose id
it already uses (both happen once `finalmile faq export` wrote them into the file), is not
added twice.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping

from faq.kb import Entry, KnowledgeBase
from faq.normalize import clean


def layered(kb: KnowledgeBase, alternates: Mapping[str, Iterable[str]],
            entries: Iterable[Entry] = ()) -> KnowledgeBase:
    """`kb` with the written `entries` after its own and the learned `alternates` (by entry
    id) added to their entries; alternates of an entry that is gone are left out."""
    merged = list(kb.entries)
    ids = {e.id for e in merged}
    for entry in entries:
        if entry.id not in ids:
            merged.append(entry)
            ids.add(entry.id)
    if not alternates and len(merged) == len(kb.entries):
        return kb
    for position, entry in enumerate(merged):
        added = _new(entry, alternates.get(entry.id, ()))
        if added:
            merged[position] = dataclasses.replace(entry, alternates=(*entry.alternates, *added))
    return KnowledgeBase(slug=kb.slug, entries=tuple(merged), source=kb.source)


def _new(entry: Entry, alternates: Iterable[str]) -> tuple[str, ...]:
    """The alternates the entry does not have yet (compared as the matcher reads them)."""
    seen = {clean(p) for p in entry.phrasings}
    new: list[str] = []
    for text in alternates:
        key = clean(text)
        if key and key not in seen:
            seen.add(key)
            new.append(" ".join(text.split()))
    return tuple(new)
