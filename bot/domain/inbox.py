"""A typed message: miles to log first, and when it is no log, a question for the FAQ."""

from __future__ import annotations

from bot.domain.asking import Asking, AskResult
from bot.domain.chats import NoProgram
from bot.domain.log_results import LogResult, NotALog
from bot.domain.logbook import Logbook
from bot.domain.programs import Program


class Inbox:
    def __init__(self, programs: dict[str, Program], logbook: Logbook, asking: Asking) -> None:
        self.programs = programs
        self.logbook = logbook
        self.asking = asking

    async def on_text(self, chat_id: int, chat_kind: str, user_id: int | None, text: str
                      ) -> NoProgram | LogResult | AskResult:
        """The logbook's result for a message about miles, else the FAQ's (never NotALog)."""
        slug, kids = await self.logbook.chat(chat_id)  # one read for both questions
        program = self.programs.get(slug) if slug else None
        if program is None:
            return NoProgram()
        logged = await self.logbook.log_message(program, chat_id, user_id, text, kids=kids)
        if isinstance(logged, NotALog):
            return await self.asking.ask(program, chat_id, chat_kind, text)
        return logged
