"""Reminders: the nudge the bot sends on its own to a family that has not logged miles for a
few days, and its answers to /reminders."""

from __future__ import annotations

from bot.domain.reminders import NoFamily, RemindersOff, RemindersOn, SwitchResult
from bot.texts.reply import Reply


def reminder(names: list[str]) -> str:
    """The nudge, naming the family's children (queued in the outbox by bot.domain.reminders)."""
    who = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    return (f"👟 Hi! It's been a few days since the last miles. How is {who}'s training going? "
            f"Just send them, like “{names[0]} ran 1 mile”. Every mile counts!\n\n"
            "(/reminders off stops these.)")


def usage() -> Reply:
    return Reply("When you haven't logged miles for a few days, I send a friendly reminder (at "
                 "most one a week, never at night). /reminders off stops them, /reminders on "
                 "starts them again.")


def switched(result: SwitchResult) -> Reply:
    """After /reminders on or off."""
    match result:
        case RemindersOn():
            return Reply("🔔 Reminders are on.")
        case RemindersOff():
            return Reply("🔕 Reminders are off. /reminders on turns them back on.")
        case NoFamily():
            return Reply("Reminders are about your children's miles: add a child with /addkid "
                         "first.")
