"""The FAQ learns from parents and organizers: a wording several families asked and then picked
the same suggestion for becomes a candidate alternate of that entry; organizers accept (maybe
edited) or reject candidates, attach a group of unanswered questions to an entry, write a new
entry, or dismiss the group (not for the FAQ to answer). What they accept is a layer over the
YAML (storage/learned.py) that the running bot uses at once (bot.domain.faq_library), and
`finalmile faq export` writes back to the file.

Every organizer action goes through the access table ("/review"), as figures do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from zoneinfo import ZoneInfo

from bot.domain.access import Allowed
from bot.domain.faq_library import Faq, FaqLibrary, MakeMatcher
from bot.domain.figures import NotAnOrganizerHere
from bot.domain.junk import junk
from bot.domain.learned_wordings import (
    MAX_ANSWER,
    MAX_TEXT,
    MAX_TOPIC,
    adds_nothing,
    decided_before,
    entry_id_for,
    known_families,
    names_anyone,
    one_line,
)
from bot.domain.learning_results import (
    Accepted,
    AcceptResult,
    AddEntryResult,
    Attached,
    AttachResult,
    Candidate,
    Dismissed,
    DismissResult,
    EntryAdded,
    Gone,
    Incomplete,
    Rejected,
    RejectResult,
    Review,
    ReviewGroup,
    ReviewResult,
    UnknownEntry,
)
from bot.domain.programs import Program
from bot.domain.unanswered import AskedQuestion, QuestionGroup, UnansweredQuestions, grouped
from bot.domain.unanswered import program_names as names_of
from faq.kb import Entry, KnowledgeBase
from faq.match import Matcher
from faq.normalize import clean
from storage import learned, repo
from storage.db import Database
from storage.types import utcnow

__all__ = ["Accepted", "Attached", "Candidate", "Dismissed", "EntryAdded", "Gone", "Incomplete",
           "Learning", "NotAnOrganizerHere", "Rejected", "Review", "ReviewGroup", "UnknownEntry"]

REVIEW = "/review"  # the access table's action for every organizer step here
Group = tuple[QuestionGroup, tuple[AskedQuestion, ...]]


class Learning:
    def __init__(self, db: Database, programs: Mapping[str, Program],
                 kbs: Mapping[str, KnowledgeBase], make_matcher: MakeMatcher = Matcher,
                 allowed: Allowed | None = None, library: FaqLibrary | None = None,
                 now: Callable[[], dt.datetime] = utcnow) -> None:
        """`kbs`: the YAML knowledge bases; `library`: the programs' current FAQs (YAML +
        learned layer), shared with Asking (built from `kbs` and `make_matcher` when not
        given); `allowed`: the access table, None (the CLI, on the server) lets anyone."""
        self.db = db
        self.programs = programs
        self.library = library or FaqLibrary(db, kbs, make_matcher)
        self.allowed = allowed
        self.now = now
        self.unanswered = UnansweredQuestions(db, self.library, now)

    async def _may(self, slug: str, user_id: int | None) -> Program | None:
        program = self.programs.get(slug)
        if program is None or (self.allowed is not None
                               and not await self.allowed(user_id, REVIEW, slug)):
            return None
        return program

    async def picked(self, program: str, entry_id: str) -> None:
        """A parent picked this entry among suggestions: the wordings picked for it by enough
        families become candidates (accepted at once where the program says so)."""
        found = self.programs.get(program)
        if found is not None:
            await self._learn(found, await self.library.current(program), (entry_id,))

    async def _learn(self, program: Program, faq: Faq, entry_ids: tuple[str, ...] | None = None
                     ) -> dict[str, list[Group]]:
        """New candidates from the picks of these entries (all picked entries: None); the
        picked questions' groups by entry, for the review's "other wordings"."""
        now = self.now()
        status = learned.ACCEPTED if program.faq_auto_accept else learned.CANDIDATE
        terms = faq.matcher.normalizer.terms
        found: dict[str, list[Group]] = {}
        changed = False
        async with self.db.session() as session, session.begin():
            names = await names_of(session, program)
            ids = entry_ids or tuple(await learned.picked_entries(session, program.slug))
            known = await learned.alternates(session, program.slug)
            for entry_id in ids:
                entry = faq.kb.entry(entry_id)
                if entry is None:
                    continue
                asked = [AskedQuestion(text, chat, at, qid) for qid, chat, text, at
                         in await learned.picked_questions(session, program.slug, entry_id)
                         if junk(text, names) is None]
                groups = found[entry_id] = grouped(asked, terms, ZoneInfo(program.timezone))
                proposed = [k.asked for k in known if k.entry_id == entry_id]
                for group, members in groups:
                    families = known_families(members)
                    # The wording most asked that names no child: a learned wording is
                    # answered to everyone and exported into the YAML file.
                    text = next((w for w in group.wordings if not names_anyone(w, names)), "")
                    if (not text or families < program.faq_learn_families or len(text) > MAX_TEXT
                            or adds_nothing(text, entry, terms)):
                        continue
                    same = [k for k in proposed if decided_before(group.wordings, (k,))]
                    if same:  # a candidate's count is brought up to date
                        await learned.count_families(session, program.slug, entry_id, same,
                                                     families)
                        continue
                    changed |= await learned.propose(session, program.slug, entry_id, text,
                                                     families, now, status) is not None
        if changed:
            self.library.changed(program.slug)
        return found

    async def review(self, program: str, user_id: int | None = None) -> ReviewResult:
        """What waits for the program's organizers: candidates, then groups of questions."""
        found = await self._may(program, user_id)
        if found is None:
            return NotAnOrganizerHere()
        faq = await self.library.current(program)
        picks = await self._learn(found, faq)
        async with self.db.session() as session:
            rows = await learned.alternates(session, program, learned.CANDIDATE)
        candidates = []
        for row in rows:
            entry = faq.kb.entry(row.entry_id)
            if entry is None:
                continue
            group = next((g for g, _ in picks.get(row.entry_id, ())
                          if decided_before(g.wordings, (row.asked,))), None)
            wordings = tuple(w for w in (group.wordings if group else ())
                             if clean(w) != clean(row.asked))
            candidates.append(Candidate(row.id, row.entry_id, entry.question, row.text,
                                        row.families, wordings))
        candidates.sort(key=lambda c: (-c.families, c.id))
        groups = await self._groups(found)
        return Review(found, tuple(candidates), tuple(g for g, _ in groups), faq.kb,
                      found.faq_auto_accept)

    async def _groups(self, program: Program) -> list[tuple[ReviewGroup, tuple[int, ...]]]:
        """The unanswered, "None of these" and "not what I asked" questions in groups, each
        with its questions' ids."""
        stored, kept = await self.unanswered.kept(program)
        given = {q.id: q.entry_id for q in stored if q.outcome == repo.NOT_THIS and q.entry_id}
        faq = await self.library.current(program.slug)
        groups = grouped(kept, faq.matcher.normalizer.terms, ZoneInfo(program.timezone))
        found = []
        for group, members in groups:
            ids = tuple(sorted(m.id for m in members if m.id is not None))
            not_this = tuple(dict.fromkeys(given[i] for i in ids if i in given))
            found.append((ReviewGroup(ids[0], group.question, group.count, group.families,
                                      group.wordings, not_this), ids))
        return found

    async def _group(self, program: Program, key: int
                     ) -> tuple[ReviewGroup, tuple[int, ...]] | None:
        return next(((g, ids) for g, ids in await self._groups(program) if key in ids), None)

    async def accept(self, program: str, user_id: int | None, candidate_id: int,
                     text: str | None = None) -> AcceptResult:
        """Accept a candidate, as asked or as edited (`text`): answered outright from now."""
        if await self._may(program, user_id) is None:
            return NotAnOrganizerHere()
        edited = one_line(text, MAX_TEXT) if text is not None else None
        if text is not None and edited is None:
            return Incomplete(("text",))
        async with self.db.session() as session, session.begin():
            row = await learned.decide(session, program, candidate_id, learned.ACCEPTED,
                                       user_id, self.now(), edited)
        if row is None:
            return Gone()
        self.library.changed(program)
        return Accepted(row.id, row.entry_id, row.text)

    async def reject(self, program: str, user_id: int | None, candidate_id: int
                     ) -> RejectResult:
        """Reject a candidate (or take back an accepted one): it is not proposed again."""
        if await self._may(program, user_id) is None:
            return NotAnOrganizerHere()
        async with self.db.session() as session, session.begin():
            row = await learned.decide(session, program, candidate_id, learned.REJECTED,
                                       user_id, self.now(),
                                       only_from=(learned.CANDIDATE, learned.ACCEPTED))
        if row is None:
            return Gone()
        self.library.changed(program)
        return Rejected(row.id, row.entry_id, row.text, row.exported)

    async def attach(self, program: str, user_id: int | None, group_key: int, entry_id: str
                     ) -> AttachResult:
        """The group's wording becomes an accepted alternate of the entry; its questions
        leave the review."""
        found = await self._may(program, user_id)
        if found is None:
            return NotAnOrganizerHere()
        if (await self.library.current(program)).kb.entry(entry_id) is None:
            return UnknownEntry(entry_id)
        match = await self._group(found, group_key)
        if match is None:
            return Gone()
        group, ids = match
        async with self.db.session() as session, session.begin():
            await learned.accept_wording(session, program, entry_id, group.text[:MAX_TEXT],
                                         group.families, user_id, self.now())
            await repo.attach_questions(session, program, list(ids), entry_id)
        self.library.changed(program)
        return Attached(entry_id, group.text[:MAX_TEXT], len(ids))

    async def dismiss(self, program: str, user_id: int | None, group_key: int
                      ) -> DismissResult:
        """A group the FAQ should not answer ("whats the weather tomorrow"): its questions
        leave the review for good, without an entry."""
        found = await self._may(program, user_id)
        if found is None:
            return NotAnOrganizerHere()
        match = await self._group(found, group_key)
        if match is None:
            return Gone()
        group, ids = match
        async with self.db.session() as session, session.begin():
            await repo.dismiss_questions(session, program, list(ids))
        return Dismissed(group.text, len(ids))

    async def add_entry(self, program: str, user_id: int | None, topic: str, question: str,
                        answer: str, from_group: int | None = None) -> AddEntryResult:
        """A new entry written by an organizer; `from_group`: the group it answers (its
        wordings become the entry's alternates, its questions leave the review), if it still
        waits."""
        found = await self._may(program, user_id)
        if found is None:
            return NotAnOrganizerHere()
        fields = {"topic": one_line(topic, MAX_TOPIC), "question": one_line(question, MAX_TEXT),
                  "answer": one_line(answer, MAX_ANSWER)}
        missing = tuple(name for name, value in fields.items() if value is None)
        if missing:
            return Incomplete(missing)
        # A group answered meanwhile (another organizer attached it) leaves nothing to attach;
        # the entry the organizer wrote is added all the same, not lost.
        match = await self._group(found, from_group) if from_group is not None else None
        kb = (await self.library.current(program)).kb
        topic_name = next((t for t in kb.topics if t.casefold() == str(fields["topic"]).casefold()),
                          str(fields["topic"]))  # an existing topic as the YAML spells it
        wordings = match[0].wordings if match else ()
        alternates = tuple(w[:MAX_TEXT] for w in wordings
                           if clean(w) != clean(str(fields["question"])))
        async with self.db.session() as session, session.begin():
            taken = {e.id for e in kb.entries} | {e.entry_id for e in await learned.entries(
                session, program)}
            entry_id = entry_id_for(str(fields["question"]), taken)
            row = await learned.add_entry(session, program, entry_id, topic_name,
                                          str(fields["question"]), str(fields["answer"]),
                                          alternates, user_id, self.now())
            if row is None:
                return Gone()  # another organizer's entry took the id this very moment
            if match is not None:
                await repo.attach_questions(session, program, list(match[1]), entry_id)
        self.library.changed(program)
        entry = Entry(entry_id, topic_name, row.question, row.answer, row.alternates)
        return EntryAdded(entry, len(match[1]) if match else 0)
