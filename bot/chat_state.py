"""A chat's conversation state, kept in the database between its updates.

What a chat waits for lives in memory only while one of its updates is handled: the open
guided conversations (`Flow` steps), each adult's drafts for this chat, the chat's own data
(a message waiting for a program, recent keyboards) and its questions about miles waiting
for a button. Before an update it is put back from the database; after, it is read out,
saved in the same transaction, and dropped from memory. So any worker goes on with any
conversation, and a restart forgets nothing.

It is pickled, like python-telegram-bot's own PicklePersistence: the state is the bot's own
dataclasses and lives minutes, so a format of its own would buy nothing. A state that no
longer unpickles (the code changed under it) is dropped, as a timeout would drop it.
"""

from __future__ import annotations

import datetime as dt
import logging
import pickle
from dataclasses import dataclass, field
from typing import Any

from telegram.ext import Application

from bot.context import ChatData, UserData
from bot.domain.logbook import Logbook, Pending
from bot.handlers.common import Flow

log = logging.getLogger(__name__)
VERSION = 1


@dataclass
class Snapshot:
    saved_at: dt.datetime
    chat: ChatData | None = None
    drafts: dict[int, dict[str, Any]] = field(default_factory=dict)  # user -> {kind: draft}
    flows: dict[str, dict[tuple[int | str, ...], object]] = field(default_factory=dict)
    pending: dict[str, Pending] = field(default_factory=dict)

    def empty(self) -> bool:
        return self.chat is None and not self.drafts and not self.flows and not self.pending


def _draft_kinds(data: UserData) -> dict[str, dict[int, Any]]:
    return {"kids": data.kids, "announcements": data.announcements, "reviews": data.reviews}


FLOW_OF_DRAFT = {"kids": "kids", "announcements": "announce",
                 "reviews": "review"}  # a draft lives as its flow


class ChatStates:
    """Puts a chat's state into the Application before an update and takes it out after."""

    def __init__(self, app: Application[Any, Any, Any, Any, Any, Any], logbook: Logbook
                 ) -> None:
        self.app = app
        self.logbook = logbook
        self._flows: list[Flow] | None = None

    @property
    def flows(self) -> list[Flow]:
        """The Application's guided conversations (its handlers are all added before the
        first update; looked up once, as this runs twice per update)."""
        if self._flows is None:
            self._flows = [h for handlers in self.app.handlers.values() for h in handlers
                           if isinstance(h, Flow)]
        return self._flows

    def unpack(self, blob: bytes | None, now: dt.datetime) -> Snapshot | None:
        if blob is None:
            return None
        try:
            version, snapshot = pickle.loads(blob)
        except Exception:
            log.warning("A chat's saved state could not be read; starting it afresh")
            return None
        if version != VERSION or not isinstance(snapshot, Snapshot):
            return None
        return snapshot

    def put_back(self, chat_id: int, snapshot: Snapshot | None, now: dt.datetime) -> None:
        """Restore what the chat waited for (flows older than their timeout stay ended)."""
        if snapshot is None:
            return
        age = now - snapshot.saved_at
        alive = {flow.name for flow in self.flows if age <= flow.timeout}
        for flow in self.flows:
            if flow.name in snapshot.flows and flow.name in alive:
                flow.restore(snapshot.flows[flow.name])
        for user_id, kinds in snapshot.drafts.items():
            for kind, draft in kinds.items():
                if FLOW_OF_DRAFT[kind] in alive:
                    _draft_kinds(self.app.user_data[user_id])[kind][chat_id] = draft
        if snapshot.chat is not None:
            chat = self.app.chat_data[chat_id]
            chat.waiting, chat.keyboards = snapshot.chat.waiting, snapshot.chat.keyboards
        self.logbook.restore_pending(snapshot.pending)

    def take_out(self, chat_id: int, now: dt.datetime) -> Snapshot:
        """Read the chat's state out of memory, leaving nothing of it there."""
        snapshot = Snapshot(saved_at=now)
        for flow in self.flows:
            steps = flow.steps_in(chat_id)
            if steps and flow.name:
                snapshot.flows[flow.name] = steps
            flow.forget_chat(chat_id)
        for user_id, data in list(self.app.user_data.items()):
            kinds = {kind: drafts.pop(chat_id) for kind, drafts in _draft_kinds(data).items()
                     if chat_id in drafts}
            if kinds:
                snapshot.drafts[user_id] = kinds
            if not any(_draft_kinds(data).values()):
                self.app.drop_user_data(user_id)
        chat = self.app.chat_data.get(chat_id)
        if chat is not None:
            if chat.waiting is not None or chat.keyboards:
                snapshot.chat = chat
            self.app.drop_chat_data(chat_id)
        snapshot.pending = self.logbook.pending_in(chat_id)
        self.logbook.cancel_pending(chat_id)
        return snapshot

    @staticmethod
    def pack(snapshot: Snapshot) -> bytes | None:
        return None if snapshot.empty() else pickle.dumps((VERSION, snapshot))
