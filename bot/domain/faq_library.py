"""The one place the bot gets a program's current FAQ and matcher: the YAML knowledge base with
the learned layer over it (faq.layer), rebuilt when that layer changes, without a restart.

Several workers share one database, and any of them may accept an alternate. Each reads the
program's learned version (one primary-key read) at most every `refresh_seconds` before a
question, and rebuilds that program's matcher only when the version moved. A change made in
this process is seen at the next question (`changed`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from faq.kb import Entry, KnowledgeBase
from faq.layer import layered
from faq.match import Matcher
from storage import learned
from storage.db import Database

MakeMatcher = Callable[[KnowledgeBase], Matcher]
REFRESH_SECONDS = 2.0
WAIT_FOR_OWN_CHANGE = 30.0  # a change of this process not seen by then was rolled back


@dataclass(frozen=True)
class Faq:
    """A program's FAQ as it stands and the matcher built for it."""

    kb: KnowledgeBase
    matcher: Matcher
    version: int  # the learned layer's version it was built from (0: the YAML alone)


class FaqLibrary:
    def __init__(self, db: Database, kbs: Mapping[str, KnowledgeBase],
                 make_matcher: MakeMatcher = Matcher,
                 refresh_seconds: float = REFRESH_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        """`kbs`: the programs' YAML knowledge bases; `make_matcher`: builds a program's
        matcher (the lexical Matcher, or one with the same interface)."""
        self.db = db
        self.kbs = kbs
        self.make_matcher = make_matcher
        self.refresh_seconds = refresh_seconds
        self.clock = clock
        self._faqs: dict[str, Faq] = {}
        self._checked: dict[str, float] = {}
        self._waiting: dict[str, float] = {}  # changed here since (clock), not seen yet
        for slug in kbs:  # built now, as the bot starts, not at a parent's first question
            self.cached(slug)

    def __contains__(self, slug: object) -> bool:
        return slug in self.kbs

    def cached(self, slug: str) -> Faq:
        """The FAQ as last read, without touching the database (the YAML alone at first)."""
        faq = self._faqs.get(slug)
        if faq is None:
            faq = self._faqs[slug] = Faq(self.kbs[slug], self.make_matcher(self.kbs[slug]), 0)
        return faq

    async def current(self, slug: str) -> Faq:
        """The program's FAQ now: its version is checked unless it was within
        `refresh_seconds` (or this process changed it and the change is not seen yet), and
        the FAQ rebuilt when it moved."""
        faq = self.cached(slug)
        now = self.clock()
        last = self._checked.get(slug)
        if (last is not None and now - last < self.refresh_seconds
                and slug not in self._waiting):
            return faq
        self._checked[slug] = now
        # What is committed only, outside the caller's transaction: a matcher is never built
        # from work that may yet be rolled back (its version number would come again).
        async with self.db.sessions() as session:
            version = await learned.version(session, slug)
            if version == faq.version:
                if now - self._waiting.get(slug, now) > WAIT_FOR_OWN_CHANGE:
                    self._waiting.pop(slug, None)
                return faq
            accepted = await learned.alternates(session, slug, learned.ACCEPTED)
            written = await learned.entries(session, slug)
        self._waiting.pop(slug, None)
        by_entry: dict[str, list[str]] = {}
        for row in accepted:
            by_entry.setdefault(row.entry_id, []).append(row.text)
        entries = [Entry(e.entry_id, e.topic, e.question, e.answer, e.alternates)
                   for e in written]
        kb = layered(self.kbs[slug], by_entry, entries)
        faq = self._faqs[slug] = Faq(kb, self.make_matcher(kb), version)
        return faq

    async def kb(self, slug: str) -> KnowledgeBase | None:
        """The program's knowledge base now (written entries too); None: no such program."""
        return (await self.current(slug)).kb if slug in self.kbs else None

    def changed(self, slug: str) -> None:
        """This process changed the program's learned layer: look at every question until
        the change is committed and seen (at most WAIT_FOR_OWN_CHANGE seconds)."""
        self._waiting[slug] = self.clock()
