"""Who may do what beyond a family's own things: organizers (ORGANIZER_IDS) announce and see
their own help. One place for the rule, so /announce, /announcements, the cancel buttons and
/help cannot disagree; /whoami tells anyone the id that rule goes by."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NotAnOrganizer:
    """The user is not one of the program's organizers: nothing was done."""


@dataclass(frozen=True)
class Identity:
    """Who wrote, as Telegram knows them: what a would-be organizer gives whoever sets
    ORGANIZER_IDS."""

    user_id: int | None  # None: Telegram did not say (an anonymous group admin, a channel)
    group_id: int | None  # the group's chat id; None in a private chat (it is the user's id)
    organizer: bool


@dataclass(frozen=True)
class Roles:
    organizer_ids: frozenset[int] = frozenset()

    def is_organizer(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.organizer_ids

    def identify(self, user_id: int | None, chat_id: int, chat_kind: str) -> Identity:
        """/whoami: the sender's id, the group's too when not in a private chat."""
        return Identity(user_id, None if chat_kind == "private" else chat_id,
                        self.is_organizer(user_id))
