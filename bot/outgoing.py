"""What handling one update says, held back until its effects are committed.

While the handling loop handles an update (bot/handling.py), replies are not sent at once:
they are collected here, written to the outbox in the same transaction as the update's
effects and its "handled" mark, and sent right after the commit. So a family is never told
"logged" of a log that was then rolled back, and a reply that fails after the commit is
retried by the outbox instead of turning into an apology for a log that was stored.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field

from bot.callbacks import rows_to_json
from bot.texts.reply import CAPTION_LIMIT, TEXT_LIMIT, Reply, fit


@dataclass(frozen=True)
class Said:
    """One message to send, or (`edit_message_id`) one to change: its text ("" with an edit:
    only the buttons change), its buttons as outbox JSON, and a picture."""

    text: str
    buttons: str | None = None
    photo: bytes | None = None
    edit_message_id: int | None = None


def buttons_json(reply: Reply) -> str | None:
    """The reply's buttons as an outbox row stores them (None: it has none)."""
    if not reply.buttons:
        return None
    return rows_to_json(tuple(tuple((b.label, b.data) for b in row) for row in reply.buttons))


@dataclass
class Outgoing:
    chat_id: int
    said: list[Said] = field(default_factory=list)
    # Button presses to answer, each with the text of a pop-up or None (the spinner stops).
    answered: dict[str, str | None] = field(default_factory=dict)
    failed: bool = False
    erased: bool = False  # the chat was erased (/forget): it keeps no conversation state

    def answer(self, query_id: str, alert: str | None = None) -> None:
        if alert is not None or query_id not in self.answered:
            self.answered[query_id] = alert

    def reply(self, reply: Reply) -> None:
        limit = CAPTION_LIMIT if reply.photo is not None else TEXT_LIMIT
        self.said.append(Said(fit(reply.text, limit), buttons_json(reply), reply.photo))

    def edit(self, message_id: int, reply: Reply | None) -> None:
        """Replace that message's text and buttons (None: only take its buttons away)."""
        if reply is None:
            self.said.append(Said("", None, None, message_id))
        else:
            self.said.append(Said(fit(reply.text, TEXT_LIMIT), buttons_json(reply), None,
                                  message_id))

    def fail(self) -> None:
        """Handling failed and its effects are undone: nothing said so far stands."""
        self.failed = True
        self.said.clear()
        self.answered = dict.fromkeys(self.answered)  # no pop-up tells of it
        self.erased = False


CURRENT: ContextVar[Outgoing | None] = ContextVar("outgoing", default=None)
