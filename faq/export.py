"""Write what the FAQ learned back into its YAML file, for version control: accepted alternates
under their entries, entries organizers wrote at the end. The file's comments, quoting and
layout stay as they were (ruamel.yaml's round trip); only the new lines are added.

Pure: text in, text out. An entry still short of the alternates `faq check` asks for is held
back (it keeps working from the database) with its alternates, until it has enough.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, FoldedScalarString

from faq.check import misleading
from faq.kb import MIN_ALTERNATES, Entry, parse_knowledge_base
from faq.normalize import clean


@dataclass(frozen=True)
class Learned:
    """One learned row to export: its key (the caller's row id) and what it adds."""

    key: str  # the caller's, e.g. "alternate:12" or "entry:3"
    entry_id: str
    text: str = ""  # an alternate's phrasing
    entry: Entry | None = None  # an entry organizers wrote (then `text` is unused)


@dataclass(frozen=True)
class Exported:
    text: str  # the file's new content
    written: tuple[str, ...]  # keys now in the file (added, or there already)
    held_back: tuple[str, ...]  # written entries short of MIN_ALTERNATES, by id
    misleading: tuple[str, ...] = ()  # learned phrasings `faq check` would refuse, held back


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 96
    yaml.indent(mapping=2, sequence=4, offset=2)  # the content files' own layout
    yaml.representer.add_representer(
        type(None), lambda self, _d: self.represent_scalar("tag:yaml.org,2002:null", "null"))
    return yaml


def export_checked(text: str, rows: Sequence[Learned]) -> Exported:
    """`text` with the learned rows added, except those `faq check` would refuse: a learned
    phrasing closer to another entry than to its own (and a written entry with one) stays in
    the database, where it works as accepted, until an organizer rewords it."""
    kept = list(rows)
    refused: list[str] = []
    before, _ = parse_knowledge_base(yaml.safe_load(text), "")
    known = {(e.id, p) for e in before.entries for p in e.phrasings} if before else set()
    baseline = {(m.entry_id, m.phrasing) for m in misleading(before)} if before else set()
    for _ in range(5):  # each round leaves out what the last one flagged
        done = export(text, kept)
        kb, _problems = parse_knowledge_base(yaml.safe_load(done.text), "")
        found = [m for m in (misleading(kb) if kb else ())
                 if (m.entry_id, m.phrasing) not in baseline]
        flagged = {(m.entry_id, m.phrasing) for m in found
                   if (m.entry_id, m.phrasing) not in known}
        # a phrasing of the file now misled: what was learned for the entry it goes to
        culprits = {m.other.entry.id for m in found if (m.entry_id, m.phrasing) in known}
        if not found:
            return dataclasses.replace(done, misleading=tuple(refused))
        refused += [f"{p} ({e})" for e, p in sorted(flagged)]
        refused += [f"what was learned for {e}" for e in sorted(culprits)]
        entries = {e for e, _ in flagged} | culprits
        kept = [r for r in kept if (r.entry_id, r.text) not in flagged
                and r.entry_id not in culprits and (r.entry is None or r.entry.id not in entries)]
    return dataclasses.replace(export(text, kept), misleading=tuple(refused))


def export(text: str, rows: Sequence[Learned]) -> Exported:
    """`text` (a content file) with the learned rows added."""
    yaml = _yaml()
    data: Any = yaml.load(text)
    items: CommentedSeq = data["entries"]
    by_id = {str(item.get("id")): item for item in items if isinstance(item, dict)}
    written: list[str] = []
    held_back: list[str] = []
    for row in rows:
        if row.entry is None or row.entry.id in by_id:
            continue
        alternates = {clean(a): a for a in row.entry.alternates}
        for other in rows:
            if other.entry is None and other.entry_id == row.entry.id:
                alternates.setdefault(clean(other.text), other.text)
        alternates.pop(clean(row.entry.question), None)
        if len(alternates) < MIN_ALTERNATES:
            held_back.append(row.entry.id)
            continue
        item = CommentedMap()
        item["id"] = row.entry.id
        item["topic"] = row.entry.topic
        item["question"] = row.entry.question
        item["alternates"] = CommentedSeq(
            DoubleQuotedScalarString(a) for a in row.entry.alternates
            if clean(a) != clean(row.entry.question))  # learned ones follow, below
        item["answer"] = FoldedScalarString(row.entry.answer)
        items.append(item)
        by_id[row.entry.id] = item
        written.append(row.key)
    for row in rows:
        target = by_id.get(row.entry_id)
        if row.entry is not None or target is None:
            continue
        have = {clean(str(a)) for a in target.get("alternates") or ()} | {
            clean(str(target.get("question", "")))}
        if clean(row.text) not in have:
            if target.get("alternates") is None:
                target["alternates"] = CommentedSeq()
            target["alternates"].append(DoubleQuotedScalarString(row.text))
        written.append(row.key)
    out = io.StringIO()
    yaml.dump(data, out)
    return Exported(out.getvalue(), tuple(written), tuple(held_back))
