"""A chat's place in the bot: which program it follows, and whether the bot may write to it."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.programs import Program
from storage import children, repo
from storage.db import Database


@dataclass(frozen=True)
class NoProgram:
    """The chat has not chosen a program yet: ask which, then answer."""


class Chats:
    def __init__(self, db: Database, programs: dict[str, Program]) -> None:
        self.db = db
        self.programs = programs

    async def program_of(self, chat_id: int) -> Program | None:
        async with self.db.session() as session:
            chat = await repo.get_chat(session, chat_id)
        return self.programs.get(chat.program) if chat and chat.program else None

    async def choose_program(self, chat_id: int, chat_kind: str, slug: str) -> Program | None:
        """Join a program by slug; None (and nothing written) for an unknown slug."""
        program = self.programs.get(slug.strip().lower())
        if program is None:
            return None
        async with self.db.session() as session, session.begin():
            await repo.save_chat(session, chat_id, chat_kind, program.slug)
            await children.adopt(session, chat_id, program.slug)
        return program

    async def set_active(self, chat_id: int, active: bool) -> None:
        """The bot was blocked or removed (inactive), or let back in (active)."""
        async with self.db.session() as session, session.begin():
            await repo.set_chat_active(session, chat_id, active)

    async def move_chat(self, old_id: int, new_id: int) -> bool:
        """Follow a group that became a supergroup to its new chat id."""
        async with self.db.session() as session, session.begin():
            return await repo.move_chat(session, old_id, new_id)
