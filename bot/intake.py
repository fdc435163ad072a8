"""Every update from Telegram is committed to the database before Telegram hears it arrived.

Polling moves its offset on, and the webhook answers 200, only after `receive` returned: a
crash at any moment loses nothing Telegram sent. Handling comes after, from the database
(bot/handling.py), so an update stored twice (Telegram repeats one it had no answer for) is
kept, and handled, once.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from telegram import Update

from bot.domain.batching import Batcher
from storage import repo, updates
from storage.db import Database
from storage.updates import Incoming

# Where the chat of the common updates is, read from the JSON as it came: decoding a whole
# update costs more than storing it. Any other kind is decoded (`_decoded_key`).
_CHAT_PATHS = (("message",), ("edited_message",), ("callback_query", "message"))


def chat_key(payload: Mapping[str, Any]) -> int:
    """Whose order the update keeps: its chat; else its user (an inline button, a poll
    answer); 0 when it has neither."""
    for path in _CHAT_PATHS:
        found: Any = payload
        for key in path:
            found = found.get(key) if isinstance(found, Mapping) else None
        if found is not None:
            chat = found.get("chat") if isinstance(found, Mapping) else None
            chat_id = chat.get("id") if isinstance(chat, Mapping) else None
            if isinstance(chat_id, int) and not isinstance(chat_id, bool):
                return chat_id
            break  # not as Telegram sends it: let the decoder judge
    return _decoded_key(payload)


def _decoded_key(payload: Mapping[str, Any]) -> int:
    update = Update.de_json(dict(payload), None)
    if update.effective_chat is not None:
        return update.effective_chat.id
    return update.effective_user.id if update.effective_user is not None else 0


def incoming(payload: Mapping[str, Any]) -> Incoming:
    """An update as Telegram sent it, ready to store (ValueError when it is not one)."""
    update_id = payload.get("update_id")
    if not isinstance(update_id, int) or isinstance(update_id, bool):
        raise ValueError("an update needs an integer update_id")
    return Incoming(update_id, chat_key(payload), json.dumps(payload, ensure_ascii=True))


class Intake:
    def __init__(self, db: Database, wake: Callable[[], None] = lambda: None) -> None:
        """`wake` tells the handling loop there is something new."""
        self.db = db
        self.wake = wake
        # Webhook requests that arrive while updates are being stored share the next
        # transaction (a group commit): one write for a burst, each request answered after it.
        self._store: Batcher[list[Incoming], None] = Batcher(self._store_together)

    async def receive(self, payloads: Sequence[Mapping[str, Any]]) -> None:
        """Store updates, then wake the loop. When this returns, they are safe: only now may
        Telegram be told they arrived."""
        received = [incoming(p) for p in payloads]
        if not received:
            return
        await self._store(received)
        self.wake()

    async def _store_together(self, batches: list[list[Incoming]]) -> list[None]:
        by_id = {u.update_id: u for batch in batches for u in batch}  # sent twice: kept once
        async with self.db.writing() as session:
            await updates.store(session, list(by_id.values()), repo.utcnow())
        return [None] * len(batches)
