"""What the bot says about who someone is to it: /whoami, the id ORGANIZER_IDS goes by."""

from __future__ import annotations

from bot.domain.roles import Identity
from bot.texts.reply import Reply


def whoami(who: Identity) -> Reply:
    """The sender's Telegram id (a group's id too, in a group), and what to do with it."""
    group = f"\nThis group's id is {who.group_id}." if who.group_id is not None else ""
    if who.user_id is None:
        return Reply("I can't see your own Telegram id: this message came from the group or "
                     "a channel, not from you (an anonymous admin, perhaps). Send me /whoami "
                     f"in a private chat instead.{group}")
    if who.organizer:
        after = ("You're one of the organizers already: /help in a private chat with me lists "
                 "your tools.")
    else:
        after = ("To become an organizer, give this number to the person who runs this bot: "
                 "they add it to ORGANIZER_IDS.")
    return Reply(f"🪪 Your Telegram id is {who.user_id}.{group}\n\n{after}")
