"""What /help and the welcome are drawn from: the chat's program, the children the family has
added (so examples use a real name, and a family with none is told to start there), and whether
the reader is an organizer. Facts only; bot.texts.help words them."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.access import Allowed
from bot.domain.chats import Chats
from bot.domain.kids import Kids
from bot.domain.programs import Program
from bot.domain.roles import Roles
from faq.kb import KnowledgeBase

PRIVATE = "private"


@dataclass(frozen=True)
class HelpFacts:
    program: Program | None  # None: no program chosen yet
    children: tuple[str, ...]  # first names, in the order they were added
    organizer: bool  # an organizer, in a private chat: their tools are shown too


@dataclass(frozen=True)
class Welcome:
    program: Program
    kb: KnowledgeBase  # the program's FAQ, for example questions
    children: tuple[str, ...]
    returning: bool  # /start again in a chat that had joined already


class Guide:
    def __init__(self, chats: Chats, kids: Kids, kbs: dict[str, KnowledgeBase],
                 roles: Roles, allowed: Allowed | None = None) -> None:
        """`allowed`: the access table's answer (bot/domain/access.py); alone, the settings'
        organizers."""
        self.chats = chats
        self.kids = kids
        self.kbs = kbs
        self.roles = roles
        self.allowed = allowed

    async def _children(self, chat_id: int) -> tuple[str, ...]:
        return tuple(child.first_name for child in await self.kids.current(chat_id))

    async def help(self, chat_id: int, chat_kind: str, user_id: int | None) -> HelpFacts:
        """Organizers' tools are listed in their private chat only, never in a family group."""
        program = await self.chats.program_of(chat_id)
        organizer = (await self.allowed(user_id, "/announce", program.slug if program else None)
                     if self.allowed else self.roles.is_organizer(user_id))
        return HelpFacts(program, await self._children(chat_id),
                         chat_kind == PRIVATE and organizer)

    async def welcome(self, chat_id: int, program: Program, returning: bool = False) -> Welcome:
        return Welcome(program, self.kbs[program.slug], await self._children(chat_id),
                       returning)
