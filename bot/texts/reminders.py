"""What the bot says, on its own, to a family that has not logged miles for a few days."""

from __future__ import annotations


def reminder(names: list[str]) -> str:
    """The nudge, naming the family's children (queued in the outbox by bot.domain.reminders)."""
    who = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    return (f"👟 Hi! It's been a few days since the last miles. How is {who}'s training going? "
            f"Just send them, like “{names[0]} ran 1 mile”. Every mile counts!\n\n"
            "(/reminders off stops these.)")
