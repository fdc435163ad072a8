"""What the bot says about reading a mile log: why a message was not logged, or what it asks.

The parser (bot.domain.miles) gives a `Why`: a `Reason` code and what the explanation names.
This module is the only place those explanations are worded.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.domain.miles import MAX_DAYS_BACK, Parsed, Reason, Why
from bot.texts.amounts import mile_word

PLAIN = {
    Reason.QUESTION: "That looks like a question, so I didn't log any miles.",
    Reason.MINUTES: "I count distance (miles, laps, blocks or km), not minutes.",
    Reason.STEPS: "I can't turn steps into miles. Send miles, laps or blocks instead.",
    Reason.RANGE: "Send one number of miles, like 'Emma 2 miles', and I'll log it.",
    Reason.NO_AMOUNT: "Tell me how many miles, like /log 1.5 or /log Emma 2 laps.",
    Reason.UNREADABLE: "I couldn't read that number of miles. Send it like '1.5 miles' or "
                       "'4 laps'.",
    Reason.NOT_POSITIVE: "Miles have to be more than zero, so I didn't log that.",
    Reason.TOO_SMALL: "That's less than 0.01 miles, too small to count.",
    Reason.BAD_DATE: "I couldn't read that date. Try 'yesterday', 'Monday' or '11/3'.",
}


# Ways to move the programs don't count, as a reply names them: "not bike rides" ...
MOVES = {"bike": "bike rides", "ride": "rides", "swim": "swimming", "scooter": "scooter rides",
         "skate": "skating", "horse": "horse riding", "paddle": "paddling", "ski": "skiing"}
# ... and "I didn't count the bike ride".
ONE_MOVE = {"bike": "bike ride", "ride": "ride", "swim": "swim", "scooter": "scooter ride",
            "skate": "skating", "horse": "horse ride", "paddle": "paddling", "ski": "skiing"}
RUN_OR_WALK = "the program counts the miles kids run or walk"


def join_names(names: Sequence[str], last: str) -> str:
    """ "Emma", "Emma or Jack", "Emma, Jack or Leo"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {last} {names[-1]}"


def _day(day: date | None, today: date | None) -> str:
    """ "Wed Nov 25", with the year when it is not this year's: "Thu Dec 25, 2025"."""
    if day is None:
        return "That day"
    year = f", {day.year}" if today is None or day.year != today.year else ""
    return f"{day:%a %b} {day.day}{year}"


def _sentence(why: Why) -> str | None:
    """The reason in words; None when there is nothing to say beyond the question."""
    if why.code in PLAIN:
        return PLAIN[why.code]
    match why.code:
        case Reason.FUTURE:
            return f"{_day(why.day, why.today)} is in the future, so there's nothing to log yet."
        case Reason.TOO_OLD:
            return (f"{_day(why.day, why.today)} is more than {MAX_DAYS_BACK} days ago, too far "
                    "back to log.")
        case Reason.OVER_CAP:
            return (f"That's more than {why.cap or 0:g} miles in a day"
                    f"{' for ' + why.child if why.child else ''}, more than the program counts "
                    "for one day. If it was over several days, log each day on its own.")
        case Reason.ADULT:
            return (f"Were these miles for {join_names(why.names, 'or')}? I log the children's "
                    "miles.")
        case Reason.UNKNOWN_BESIDE_KNOWN:
            return (f"I don't know {join_names(why.unknown, 'or')} (/addkid adds a child). Log "
                    f"these miles for {join_names(why.names, 'and')} only?")
        case Reason.UNREAD_BESIDE_READ:
            return (f"I couldn't read the miles for {join_names(why.unread, 'and')}. Log these "
                    f"miles for {join_names(why.names, 'and')} only?")
        case Reason.UNKNOWN_CHILD:
            return (f"I don't know {join_names(why.unknown, 'or')}. I know "
                    f"{join_names(why.names, 'and')}. Who ran these miles?")
        case Reason.WHICH_CHILD:
            return f"Which child ran these miles: {join_names(why.names, 'or')}?"
        case Reason.NOT_COUNTED:
            moves = MOVES.get(why.activity or "", "other sports")
            who = join_names(why.names, "or") if why.names else "your child"
            example = why.names[0] if why.names else "Emma"
            return (f"{RUN_OR_WALK.capitalize()}, not {moves}. If {who} also ran or walked, "
                    f"send those miles, like “{example} ran 1 mile”.")
        case Reason.RUN_OR_RIDE:
            moves = MOVES.get(why.activity or "", "other sports")
            ask = f" If so, who: {join_names(why.names, 'or')}?" if why.names else ""
            return f"Were these miles run or walked? {RUN_OR_WALK.capitalize()}, not {moves}.{ask}"
        case Reason.UNKNOWN_LOOP:
            loop = f"one loop of {why.place}" if why.place else "one loop"
            example = why.names[0] if why.names else "Emma"
            return (f"How far is {loop}? I only know a track lap and a city block, so send the "
                    f"miles, like “{example} ran 1.5 miles”.")
        case Reason.RUNNING_TOTAL:
            whose = f"{why.names[0]}'s" if len(why.names) == 1 else "a"
            return (f"That sounds like {whose} total so far, not one day's miles: I'll compare "
                    "it with the miles logged.")
        case Reason.WHICH_TWO:
            two = why.names[:2] if len(why.names) >= 2 else ("Emma", "Jack")
            return (f"Which two ran these miles: {join_names(why.names, 'or')}? Or send their "
                    f"names, like “{two[0]} and {two[1]} ran 1 mile”.")
    return None  # BARE_NUMBER: the "Log 2 miles?" question says it all


def reason_text(parsed: Parsed | Why | None) -> str | None:
    """Why a message was not logged, or what to ask before logging it; None when it was.

    Takes the parse result or its `reason`, so a caller that kept only the reason can say it.
    """
    why = parsed.reason if isinstance(parsed, Parsed) else parsed
    if why is None:
        return None
    parts = [] if why.miles is None else [
        f"Log {why.miles:g} {mile_word(why.miles)}?"]
    sentence = _sentence(why)
    parts += [sentence] if sentence else []
    if why.activity and why.code not in (Reason.NOT_COUNTED, Reason.RUN_OR_RIDE):
        whose = why.names if why.code is Reason.PART_NOT_COUNTED else ()
        parts.append(left_out(why.activity, whose))
    return " ".join(parts) or None


def left_out(activity: str, names: Sequence[str] = ()) -> str:
    """What a log leaves out: "Emma ran 1 mile and biked 3" logs the mile, not the ride."""
    whose = f"{join_names(names, 'and')}'s" if names else "the"
    return f"I didn't count {whose} {ONE_MOVE.get(activity, 'rest')}: {RUN_OR_WALK}."


def to_json(parsed: Parsed) -> dict[str, object]:
    """The `finalmile miles parse --json` line for a message: its reason in words."""
    return {"text": parsed.text, "kind": parsed.kind,
            "entries": [{"child": c.child, "miles": c.miles, "date": c.day.isoformat()}
                        for c in parsed.claims],
            "reason": reason_text(parsed)}
