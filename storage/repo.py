"""The queries the bot needs. Functions take a session and flush; the caller commits.

They return frozen dataclasses, so nothing outside storage/ holds a live ORM object.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import changed_rows, on_postgresql
from storage.models import Chat, Family, Outbox, Question, utcnow

# What happened to a question: answered outright, choices offered, or nothing found.
ANSWERED, SUGGESTED, UNANSWERED = "answered", "suggested", "unanswered"
PICKED, NONE_OF_THESE = "picked", "none_of_these"
# A confident answer the parent said was "not what I asked" (the row keeps the entry given; a
# later pick among the next suggestions makes it PICKED as usual).
NOT_THIS = "not_this"
# An organizer attached the question's group to an entry (entry_id) in the review.
ATTACHED = "attached"
# An organizer dismissed the question's group in the review: not for the FAQ to answer.
DISMISSED = "dismissed"
OPEN_OUTCOMES = (UNANSWERED, NONE_OF_THESE, NOT_THIS)


@dataclass(frozen=True)
class ChatRecord:
    id: int
    kind: str
    program: str | None
    active: bool


@dataclass(frozen=True)
class QuestionRecord:
    id: int
    chat_id: int | None  # None: the asker was forgotten after the retention period
    program: str
    text: str
    outcome: str
    entry_id: str | None
    score: float | None
    asked_at: dt.datetime


def _chat(row: Chat) -> ChatRecord:
    return ChatRecord(row.id, row.kind, row.program, row.active)


def _question(row: Question) -> QuestionRecord:
    return QuestionRecord(
        row.id, row.chat_id, row.program, row.text, row.outcome, row.entry_id, row.score,
        row.asked_at,
    )


async def get_chat(session: AsyncSession, chat_id: int) -> ChatRecord | None:
    row = await session.get(Chat, chat_id)
    return _chat(row) if row else None


async def save_chat(
    session: AsyncSession, chat_id: int, kind: str, program: str | None = None
) -> ChatRecord:
    """Insert or update a chat in one statement (safe when two processes see the same chat).

    A chat that writes to the bot is active again; `program=None` keeps the stored program.
    """
    now = utcnow()
    values = {"id": chat_id, "kind": kind, "program": program, "active": True,
              "created_at": now, "updated_at": now}
    changes = {"kind": kind, "active": True, "updated_at": now}
    if program is not None:
        changes["program"] = program
    dialect = postgresql if on_postgresql(session) else sqlite
    statement = (
        dialect.insert(Chat)
        .values(**values)
        .on_conflict_do_update(index_elements=[Chat.id], set_=changes)
        .returning(Chat.id, Chat.kind, Chat.program, Chat.active)
    )
    row = (await session.execute(statement)).one()
    return ChatRecord(row.id, row.kind, row.program, row.active)


async def record_question(
    session: AsyncSession,
    *,
    chat_id: int,
    program: str,
    text: str,
    outcome: str,
    entry_id: str | None = None,
    score: float | None = None,
) -> int:
    question = Question(
        chat_id=chat_id, program=program, text=text, outcome=outcome, entry_id=entry_id,
        score=score,
    )
    session.add(question)
    await session.flush()
    return question.id


async def resolve_question(
    session: AsyncSession, question_id: int, chat_id: int, outcome: str,
    entry_id: str | None = None,
) -> QuestionRecord | None:
    """Record what the parent chose for a question that got choices; None if not theirs."""
    row = await session.get(Question, question_id)
    if row is None or row.chat_id != chat_id:
        return None
    row.outcome = outcome
    row.entry_id = entry_id
    await session.flush()
    return _question(row)


async def mark_not_this(session: AsyncSession, question_id: int, chat_id: int
                        ) -> QuestionRecord | None:
    """A confident answer this chat said was not what it asked: recorded once, in one
    statement (a second press finds it recorded already). None when it is not this chat's
    answered question (any more)."""
    changed = await changed_rows(session, update(Question).where(
        Question.id == question_id, Question.chat_id == chat_id,
        Question.outcome == ANSWERED).values(outcome=NOT_THIS))
    row = await session.get(Question, question_id) if changed else None
    return _question(row) if row else None


async def question_of(session: AsyncSession, question_id: int, chat_id: int
                      ) -> QuestionRecord | None:
    """A question of this chat; None when it is gone or someone else's."""
    row = await session.get(Question, question_id)
    return _question(row) if row is not None and row.chat_id == chat_id else None


async def open_questions(
    session: AsyncSession, program: str, limit: int = 100
) -> list[QuestionRecord]:
    """Questions the bot could not answer, newest first: the organizers' to-do list."""
    rows = await session.scalars(
        select(Question)
        .where(Question.program == program, Question.outcome.in_(OPEN_OUTCOMES))
        .order_by(Question.asked_at.desc(), Question.id.desc())
        .limit(limit)
    )
    return [_question(r) for r in rows]


async def questions_for_organizers(session: AsyncSession, program: str, left_before: dt.datetime
                                   ) -> list[QuestionRecord]:
    """Every question organizers may have to answer, oldest first: nothing found, "None of
    these" pressed, or choices offered and left without a pick since before `left_before`."""
    rows = await session.scalars(
        select(Question)
        .where(Question.program == program,
               or_(Question.outcome.in_(OPEN_OUTCOMES),
                   and_(Question.outcome == SUGGESTED, Question.asked_at < left_before)))
        .order_by(Question.asked_at, Question.id)
    )
    return [_question(r) for r in rows]


async def attach_questions(session: AsyncSession, program: str, question_ids: list[int],
                           entry_id: str) -> int:
    """An organizer answered these questions with this entry: they leave the review."""
    if not question_ids:
        return 0
    return await changed_rows(session, update(Question).where(
        Question.program == program, Question.id.in_(question_ids))
        .values(outcome=ATTACHED, entry_id=entry_id))


async def dismiss_questions(session: AsyncSession, program: str, question_ids: list[int]
                            ) -> int:
    """An organizer decided the FAQ should not answer these questions: they leave the review
    and the unanswered list, and teach nothing (candidates come from picks only)."""
    if not question_ids:
        return 0
    return await changed_rows(session, update(Question).where(
        Question.program == program, Question.id.in_(question_ids))
        .values(outcome=DISMISSED))


async def forget_askers(session: AsyncSession, program: str, asked_before: dt.datetime
                        ) -> int:
    """Questions asked before then keep their text for the organizers, not who asked; how
    many lost their asker now."""
    return await changed_rows(session, update(Question).where(
        Question.program == program, Question.asked_at < asked_before,
        Question.chat_id.is_not(None)).values(chat_id=None))


async def question_counts(session: AsyncSession, program: str) -> dict[str, int]:
    rows = await session.execute(
        select(Question.outcome, func.count()).where(Question.program == program)
        .group_by(Question.outcome)
    )
    return {outcome: count for outcome, count in rows.all()}


async def known_chats(session: AsyncSession, chat_ids: set[int]) -> set[int]:
    """Those of these chats the bot has a row for."""
    if not chat_ids:
        return set()
    return set((await session.scalars(select(Chat.id).where(Chat.id.in_(chat_ids)))).all())


async def set_chat_active(session: AsyncSession, chat_id: int, active: bool) -> None:
    await session.execute(
        update(Chat).where(Chat.id == chat_id).values(active=active, updated_at=utcnow())
    )


async def move_chat(session: AsyncSession, old_id: int, new_id: int) -> bool:
    """A group became a supergroup (a new chat id): carry its program, family, questions and
    outbox over. False when the old chat is unknown or the new one already exists."""
    old = await session.get(Chat, old_id)
    if old is None or await session.get(Chat, new_id) is not None:
        return False
    session.add(Chat(id=new_id, kind="supergroup", program=old.program, active=old.active,
                     created_at=old.created_at))
    await session.flush()
    await session.execute(update(Family).where(Family.chat_id == old_id).values(chat_id=new_id))
    await session.execute(update(Question).where(Question.chat_id == old_id)
                          .values(chat_id=new_id))
    await session.execute(update(Outbox).where(Outbox.chat_id == old_id)
                          .values(chat_id=new_id))  # queued messages, and keys already used
    await session.delete(old)
    await session.flush()
    return True
