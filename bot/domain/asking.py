"""The FAQ use case: answer a question from the program's knowledge base, or offer choices,
or say it is not known; and take the parent's pick among the choices.

Results are typed; bot.texts.faq words them. What was asked is kept for the organizers.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.domain.faq_library import FaqLibrary
from bot.domain.programs import Program
from faq.kb import Entry, KnowledgeBase
from faq.smalltalk import ChatKind, classify_chat
from storage import children, repo, staff
from storage.db import Database

MAX_STORED_CHARS = 4096


@dataclass(frozen=True)
class Answered:
    entry: Entry
    # (school, contact) the family's coaches share, for answers about coaches and practices
    coaches: tuple[tuple[str, str], ...] = ()
    # The question answered outright (None for an entry the parent chose): its answer offers
    # "not what I asked"
    question_id: int | None = None


@dataclass(frozen=True)
class Suggested:
    """Not sure: these entries are offered, with "None of these"."""

    question_id: int
    entries: tuple[Entry, ...]
    # Set when the closest entry was held back because it does not explain the question
    # ("how long is the race" against "we live far from the event"): the parent is told
    # plainly that the FAQ has no answer and whom to ask, and the entries are only offered.
    not_covered: Program | None = None


@dataclass(frozen=True)
class Unanswered:
    """Nothing in the FAQ: passed on to the organizers (`saved`), or too vague to keep."""

    program: Program
    kb: KnowledgeBase
    saved: bool


@dataclass(frozen=True)
class SmallTalk:
    """Thanks, hello, emoji, another language...: a friendly word, never a random answer."""

    kind: ChatKind
    program: Program


AskResult = Answered | Suggested | Unanswered | SmallTalk


@dataclass(frozen=True)
class PickedNone:
    """ "None of these": passed on to the organizers."""

    program: Program


@dataclass(frozen=True)
class PickGone:
    """A suggestion button whose question or entry no longer exists."""


PickResult = Answered | PickedNone | PickGone


@dataclass(frozen=True)
class OtherSuggestions:
    """ "Not what I asked": the next entries the matcher ranks, with "None of these"."""

    question_id: int
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class NoBetterAnswer:
    """ "Not what I asked", with nothing else worth offering: passed on to the organizers."""

    program: Program


@dataclass(frozen=True)
class NotedAlready:
    """ "Not what I asked" pressed again: it was recorded the first time."""


NotThisResult = OtherSuggestions | NoBetterAnswer | NotedAlready | PickGone


class Asking:
    def __init__(self, db: Database, programs: dict[str, Program], library: FaqLibrary,
                 picked: Callable[[str, str], Awaitable[object]] | None = None) -> None:
        """`library`: each program's current FAQ and matcher (YAML + what was learned);
        `picked(program, entry_id)`: told of each suggestion a parent picks (the learning)."""
        self.db = db
        self.programs = programs
        self.library = library
        self.picked = picked

    async def ask(self, program: Program, chat_id: int, chat_kind: str, text: str
                  ) -> AskResult:
        """Answer a question in the program's FAQ."""
        faq = await self.library.current(program.slug)
        kb = faq.kb
        kind = classify_chat(text)
        if kind is not None:
            if kind == ChatKind.TOO_LONG:
                await self._record(chat_id, chat_kind, program, text, repo.UNANSWERED)
            return SmallTalk(kind, program)
        result = faq.matcher.match(text)
        score = result.best.score if result.best else None
        if result.outcome == "answer" and result.entry:
            question_id = await self._record(chat_id, chat_kind, program, text, repo.ANSWERED,
                                             result.entry.id, score)
            return await self._answered(program, chat_id, result.entry, question_id)
        if result.outcome == "suggest":
            question_id = await self._record(chat_id, chat_kind, program, text, repo.SUGGESTED,
                                             None, score)
            return Suggested(question_id, tuple(s.entry for s in result.suggestions),
                             program if result.withheld else None)
        if not result.understood:
            return Unanswered(program, kb, saved=False)
        await self._record(chat_id, chat_kind, program, text, repo.UNANSWERED, None, score)
        return Unanswered(program, kb, saved=True)

    async def pick(self, chat_id: int, question_id: int, entry_id: str | None) -> PickResult:
        """The parent pressed a suggestion (entry_id) or "None of these" (None)."""
        outcome = repo.PICKED if entry_id else repo.NONE_OF_THESE
        async with self.db.session() as session, session.begin():
            question = await repo.resolve_question(session, question_id, chat_id, outcome,
                                                   entry_id)
        program = self.programs.get(question.program) if question else None
        if program is None:
            return PickGone()
        if entry_id is None:
            return PickedNone(program)
        entry = (await self.library.current(program.slug)).kb.entry(entry_id)
        if entry is None:
            return PickGone()
        if self.picked is not None:
            await self.picked(program.slug, entry_id)
        return await self._answered(program, chat_id, entry)

    async def not_this(self, chat_id: int, question_id: int) -> NotThisResult:
        """The parent says a confident answer was not what they asked: recorded once for the
        organizers' review, and the matcher's next entries offered (a pick among them is
        recorded as any pick is)."""
        async with self.db.session() as session, session.begin():
            question = await repo.mark_not_this(session, question_id, chat_id)
            earlier = None if question else await repo.question_of(session, question_id,
                                                                   chat_id)
        if question is None:
            known = earlier is not None and earlier.program in self.programs
            return NotedAlready() if known else PickGone()
        program = self.programs.get(question.program)
        if program is None:
            return PickGone()
        others = await self._others(program, question.text, question.entry_id)
        return OtherSuggestions(question_id, others) if others else NoBetterAnswer(program)

    async def _others(self, program: Program, text: str, given: str | None
                      ) -> tuple[Entry, ...]:
        """The entries the matcher would offer for the question, besides the one given: as
        many as it offers among choices, no weaker than it would offer."""
        matcher = (await self.library.current(program.slug)).matcher
        limits = matcher.thresholds
        ranked = [s.entry for s in matcher.rank(text)
                  if s.entry.id != given and s.score >= limits.suggest]
        return tuple(ranked[: limits.max_suggestions])

    async def _answered(self, program: Program, chat_id: int, entry: Entry,
                        question_id: int | None = None) -> Answered:
        """The entry, with the contacts the family's coaches share when it is about coaches
        or practices (the program's `coach_topics`)."""
        if entry.id not in program.coach_topics:
            return Answered(entry, question_id=question_id)
        async with self.db.session() as session:
            schools = {c.school for c in await children.children_of_chat(session, chat_id)
                       if c.school}
            shared = await staff.contacts(session, program.slug, sorted(schools))
        return Answered(entry, tuple(shared), question_id)

    async def _record(self, chat_id: int, chat_kind: str, program: Program, text: str,
                      outcome: str, entry_id: str | None = None,
                      score: float | None = None) -> int:
        async with self.db.session() as session, session.begin():
            await repo.save_chat(session, chat_id, chat_kind)
            return await repo.record_question(
                session, chat_id=chat_id, program=program.slug,
                text=text[:MAX_STORED_CHARS], outcome=outcome, entry_id=entry_id, score=score,
            )
