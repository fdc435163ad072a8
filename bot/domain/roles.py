"""Who may do what beyond a family's own things: organizers (ORGANIZER_IDS) announce and see
their own help. One place for the rule, so /announce, /announcements, the cancel buttons and
/help cannot disagree (besides them, organizers invited per program: bot/domain/access.py);
/whoami tells anyone the id these rules go by."""

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

