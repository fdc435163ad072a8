"""Erasing a family: every row the bot keeps about a chat goes, in the caller's transaction.

Deleted one table at a time, children's rows first, rather than left to ON DELETE CASCADE: the
conversation state and the received updates have no foreign key to the chat, and the order
says plainly what goes.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Chat,
    ChatState,
    Child,
    Family,
    MileEntry,
    MileLog,
    Outbox,
    Question,
    ReceivedUpdate,
)


@dataclass(frozen=True)
class Kept:
    """What the bot keeps about a chat, counted (what erasing it would remove)."""

    children: tuple[str, ...]  # first names, every program's
    entries: int  # mile entries, undone ones included
    questions: int


async def kept(session: AsyncSession, chat_id: int) -> Kept:
    family = select(Family.id).where(Family.chat_id == chat_id).scalar_subquery()
    names = (await session.scalars(select(Child.first_name).where(Child.family_id == family)
                                   .order_by(Child.id))).all()
    entries = await session.scalar(select(func.count(MileEntry.id)).join(
        MileLog, MileEntry.log_id == MileLog.id).where(MileLog.family_id == family))
    questions = await session.scalar(select(func.count(Question.id))
                                     .where(Question.chat_id == chat_id))
    return Kept(tuple(names), int(entries or 0), int(questions or 0))


async def erase_chat(session: AsyncSession, chat_id: int, through_update: int) -> bool:
    """Delete the chat and everything about it; False when the bot kept nothing of it. The
    updates it sent go too, those handled and `through_update` (the one asking); any not
    handled yet stay to be handled (as a new chat's)."""
    if await session.get(Chat, chat_id) is None:
        return False
    family = select(Family.id).where(Family.chat_id == chat_id).scalar_subquery()
    logs = select(MileLog.id).where(MileLog.family_id == family)
    for statement in (
        delete(MileEntry).where(MileEntry.log_id.in_(logs)),
        delete(MileEntry).where(MileEntry.child_id.in_(
            select(Child.id).where(Child.family_id == family))),
        delete(MileLog).where(MileLog.family_id == family),
        delete(Child).where(Child.family_id == family),
        delete(Family).where(Family.chat_id == chat_id),
        delete(Question).where(Question.chat_id == chat_id),
        delete(Outbox).where(Outbox.chat_id == chat_id),
        delete(ChatState).where(ChatState.chat_id == chat_id),
        delete(ReceivedUpdate).where(  # handled ones; one still waiting is handled later
            ReceivedUpdate.chat_id == chat_id,
            ReceivedUpdate.handled_at.is_not(None) | (ReceivedUpdate.update_id == through_update)),
        delete(Chat).where(Chat.id == chat_id),
    ):
        await session.execute(statement.execution_options(synchronize_session=False))
    return True
