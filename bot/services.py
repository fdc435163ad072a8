"""Use cases behind the FAQ: choose a program, ask a question, pick from suggestions.

A typed message goes to the mile log first (bot.domain.logbook) and, when it is no log, here.

Each function is one transaction: it reads the chat, asks the matcher, records what happened
for the organizers, and returns a `Reply` for the handler to send.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from telegram import Bot

from bot.delivery import Delivery
from bot.domain.announcing import Announcing
from bot.domain.kids import Kids
from bot.domain.logbook import Logbook
from bot.domain.reminders import Reminders
from bot.texts import faq as replies
from bot.texts.faq import Reply
from faq.kb import KnowledgeBase
from faq.match import Matcher
from faq.smalltalk import ChatKind, classify_chat
from storage import repo
from storage.db import Database

MAX_STORED_CHARS = 4096


@dataclass
class Services:
    """What handlers need, built once by bot.app.build_application."""

    db: Database
    kbs: dict[str, KnowledgeBase]
    matchers: dict[str, Matcher]
    organizer_ids: frozenset[int] = frozenset()
    send_rate: float = 30.0
    kids: Kids = field(init=False)
    logbook: Logbook = field(init=False)
    delivery: Delivery = field(init=False)
    announcing: Announcing = field(init=False)
    reminders: Reminders = field(init=False)
    sender: Bot | None = None  # the outbox's Bot, set by bot.app.build_application

    def __post_init__(self) -> None:
        self.kids = Kids(self.db)
        self.logbook = Logbook(self.db, kbs=self.kbs)
        self.delivery = Delivery(self.db, rate=self.send_rate, pictures=self.logbook.picture)
        self.announcing = Announcing(self.db, self.kbs)
        self.reminders = Reminders(self.db, self.kbs)

    async def set_active(self, chat_id: int, active: bool) -> None:
        """The bot was blocked or removed (inactive), or let back in (active)."""
        async with self.db.session() as session, session.begin():
            await repo.set_chat_active(session, chat_id, active)

    async def move_chat(self, old_id: int, new_id: int) -> bool:
        """Follow a group that became a supergroup to its new chat id."""
        async with self.db.session() as session, session.begin():
            return await repo.move_chat(session, old_id, new_id)

    async def on_text(self, chat_id: int, chat_kind: str, user_id: int | None, text: str
                      ) -> Reply | None:
        """A typed message: miles to log, or else a question. None: no program chosen yet."""
        program, kids = await self.logbook.chat(chat_id)  # one read for both questions
        kb = self.kbs.get(program) if program else None
        if kb is None:
            return None
        logged = await self.logbook.log_message(kb.program, chat_id, user_id, text, kids=kids)
        return logged or await self._answer(kb, chat_id, chat_kind, text)

    async def program_of(self, chat_id: int) -> KnowledgeBase | None:
        async with self.db.session() as session:
            chat = await repo.get_chat(session, chat_id)
        return self.kbs.get(chat.program) if chat and chat.program else None

    async def choose_program(self, chat_id: int, chat_kind: str, slug: str) -> KnowledgeBase | None:
        """Join a program by slug; None (and nothing written) for an unknown slug."""
        kb = self.kbs.get(slug.strip().lower())
        if kb is None:
            return None
        async with self.db.session() as session, session.begin():
            await repo.save_chat(session, chat_id, chat_kind, kb.program.slug)
        return kb

    async def ask(self, chat_id: int, chat_kind: str, text: str) -> Reply | None:
        """Answer a question; None when the chat has no program yet (the caller asks for one)."""
        kb = await self.program_of(chat_id)
        if kb is None:
            return None
        return await self._answer(kb, chat_id, chat_kind, text)

    async def _answer(self, kb: KnowledgeBase, chat_id: int, chat_kind: str, text: str) -> Reply:
        kind = classify_chat(text)
        if kind is not None:
            if kind == ChatKind.TOO_LONG:
                await self._record(chat_id, chat_kind, kb, text, repo.UNANSWERED)
            return replies.chat(kind, kb)
        result = self.matchers[kb.program.slug].match(text)
        score = result.best.score if result.best else None
        if result.outcome == "answer" and result.entry:
            await self._record(chat_id, chat_kind, kb, text, repo.ANSWERED, result.entry.id, score)
            return replies.answer(result.entry)
        if result.outcome == "suggest":
            question_id = await self._record(chat_id, chat_kind, kb, text, repo.SUGGESTED,
                                             None, score)
            return replies.suggestions(kb, question_id, [s.entry for s in result.suggestions])
        if not result.understood:
            return replies.tell_me_more(kb)
        await self._record(chat_id, chat_kind, kb, text, repo.UNANSWERED, None, score)
        return replies.unanswered(kb.program)

    async def pick(self, chat_id: int, question_id: int, entry_id: str | None) -> Reply:
        """The parent pressed a suggestion (entry_id) or "None of these" (None)."""
        outcome = repo.PICKED if entry_id else repo.NONE_OF_THESE
        async with self.db.session() as session, session.begin():
            question = await repo.resolve_question(session, question_id, chat_id, outcome,
                                                   entry_id)
        kb = self.kbs.get(question.program) if question else None
        if kb is None:
            return replies.stale_button()
        if entry_id is None:
            return replies.none_of_these(kb.program)
        entry = kb.entry(entry_id)
        return replies.answer(entry) if entry else replies.stale_button()

    async def _record(self, chat_id: int, chat_kind: str, kb: KnowledgeBase, text: str,
                      outcome: str, entry_id: str | None = None,
                      score: float | None = None) -> int:
        async with self.db.session() as session, session.begin():
            await repo.save_chat(session, chat_id, chat_kind)
            return await repo.record_question(
                session, chat_id=chat_id, program=kb.program.slug,
                text=text[:MAX_STORED_CHARS], outcome=outcome, entry_id=entry_id, score=score,
            )
