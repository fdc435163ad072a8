"""Typed handler context: the app's services, and the state guided conversations keep.

PTB builds these for every update (`ContextTypes` in bot/app.py): `context.user_data` is a
`UserData` (one adult's unfinished flows, per chat: the same parent may be in two chats) and
`context.chat_data` a `ChatData` (what the chat as a whole is waiting for).
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.services import Services

KEYBOARDS_REMEMBERED = 5  # a typed label is matched against the last few keyboards sent


@dataclass
class NewKid:
    """A child being added with /addkid: filled in one answer at a time."""

    first_name: str | None = None
    last_initial: str | None = None
    grade: str | None = None


@dataclass
class Renaming:
    """✏️ was pressed: the next name typed is this child's new name."""

    child_id: int


KidDraft = NewKid | Renaming


@dataclass
class AnnouncementDraft:
    """An organizer's /announce in progress."""

    text: str | None = None
    audience: str = "all"  # as on the Audience buttons: all, school or behind
    school: str | None = None
    program: str | None = None  # the chat's program when /announce started: it goes there


@dataclass
class ReviewDraft:
    """An organizer's /review step that takes typing: a candidate's wording edited
    (`candidate_id`), or a new entry (answering the group `group_key`, if any)."""

    program: str  # the chat's program when the step started: the change goes there
    candidate_id: int | None = None
    group_key: int | None = None
    question: str | None = None
    answer: str | None = None
    topic: str | None = None


@dataclass
class UserData:
    """One adult's unfinished flows, keyed by chat id. A draft is here while its flow is open."""

    kids: dict[int, KidDraft] = field(default_factory=dict)
    announcements: dict[int, AnnouncementDraft] = field(default_factory=dict)
    reviews: dict[int, ReviewDraft] = field(default_factory=dict)


@dataclass(frozen=True)
class TypedLabel:
    """A message that repeats a button's label: the label as shown, and its action's prefix."""

    label: str
    prefix: str


def fold(text: str) -> str:
    """ "  ✏️ Jack!" -> "jack": case, spacing, emoji and punctuation do not matter."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


@dataclass(frozen=True)
class Waiting:
    """A message sent before the chat chose a program: handled once it has one, as it would
    have been (miles logged, a question answered)."""

    text: str
    user_id: int | None = None
    question: bool = False  # from `/faq <question>`: asked, never read as miles


@dataclass
class ChatData:
    waiting: Waiting | None = None  # the chat's latest message sent before it had a program
    keyboards: deque[tuple[TypedLabel, ...]] = field(
        default_factory=lambda: deque(maxlen=KEYBOARDS_REMEMBERED))

    def remember(self, buttons: list[TypedLabel]) -> None:
        """Note the buttons of a message just sent, so their labels typed later are known."""
        if buttons:
            self.keyboards.append(tuple(buttons))

    def typed_label(self, text: str) -> TypedLabel | None:
        """The recent button whose label this text repeats, newest first."""
        folded = fold(text)
        if not folded:
            return None
        for keyboard in reversed(self.keyboards):
            for button in keyboard:
                if fold(button.label) == folded:
                    return button
        return None


class FinalMileContext(CallbackContext[ExtBot[Any], UserData, ChatData, dict[str, Any]]):
    def __init__(self, application: Application[Any, Any, Any, Any, Any, Any],
                 chat_id: int | None = None, user_id: int | None = None) -> None:
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)

    @property
    def services(self) -> Services:
        services: Services = self.bot_data["services"]
        return services

    @property
    def drafts(self) -> UserData:
        """This adult's drafts (conversations are per user, so there always is one)."""
        if self.user_data is None:
            raise LookupError("an update without a user has no drafts")
        return self.user_data

    @property
    def chat(self) -> ChatData:
        if self.chat_data is None:
            raise LookupError("an update without a chat has no chat data")
        return self.chat_data
