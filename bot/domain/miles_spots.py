"""Where an amount sits in a message, and what that makes it: miles run, a time, a step count,
a rate or a remainder ("2 miles a day", "5 left"), a running total ("14 miles so far", "that
makes 20") or a number the reader can't place ("Jack 2 sets").

Part of the mile parser's reader (`bot.domain.miles_reader`); word lists in
`bot.domain.miles_words`.
"""

from __future__ import annotations

from bot.domain.miles_words import (
    ACTIVITY_AFTER,
    ACTIVITY_DONE,
    BLOCK_AFTER,
    BLOCK_BEFORE,
    FOLLOW_OK,
    LEAD_OK,
    TOTAL_AFTER,
    TOTAL_AT,
    TOTAL_LEAD,
    TOTAL_LEAD_DISTANCE,
    TOTAL_TO,
    VERBS,
)
from bot.domain.numbers import Quantity, Token, low

# A total is said after the amount, or before it; these are only rates or remainders. (As
# "phrase " prefixes, for str.startswith: this runs for every number in every message.)
NOT_TOTALS = tuple(p + " " for p in BLOCK_AFTER if p not in TOTAL_AFTER)
TOTALS_AFTER = tuple(p + " " for p in TOTAL_AFTER)
LATER_TOTALS = tuple(f" {p} " for p in ("so far", "in total", "altogether", "all together",
                                        "to date"))


def chunks(tokens: list[Token], breaks: frozenset[str]) -> list[int]:
    """A chunk number per token; a new chunk starts at each token in `breaks`."""
    out, n = [], 0
    for t in tokens:
        n += t.low in breaks
        out.append(n)
    return out


def _later_in_part(tokens: list[Token], q: Quantity) -> bool:
    """ "14 miles for Emma so far": "so far" later in the amount's part (up to a comma)."""
    end = next((k for k in range(q.end, len(tokens)) if tokens[k].kind == "sep"), len(tokens))
    rest = " " + " ".join(t.low for t in tokens[q.end:end]) + " "
    return any(phrase in rest for phrase in LATER_TOTALS)


def _day_in_part(tokens: list[Token], q: Quantity) -> bool:
    """A day ("today", "on Monday") in the amount's part: "Jack has 3 miles today"."""
    end = next((k for k in range(q.end, len(tokens)) if tokens[k].kind == "sep"), len(tokens))
    return any(t.kind == "date" for t in tokens[q.end:end])


def total(q: Quantity, tokens: list[Token]) -> bool:
    """Is this amount a running total: "14 miles so far", "that makes 20", "a total of 14",
    and for a distance, "is at 14 miles", "up to 12 miles", "has 8 miles", "hit 10 miles"?"""
    after = f"{low(tokens, q.end)} {low(tokens, q.end + 1)} "
    if q.unit == "time" or after.startswith(NOT_TOTALS):
        return False  # "5 miles left", "2 miles a day": a remainder or a rate
    if after.startswith(TOTALS_AFTER) or _later_in_part(tokens, q):
        return True
    k = q.start - (2 if q.negative else 1)
    lead, prev = low(tokens, k), low(tokens, k - 1)
    if lead in TOTAL_LEAD or (lead in ("of", "is", ":", "was") and prev == "total"):
        return True
    if q.unit is None:
        return False  # "practice is at 3", "she has 2": not a distance
    if lead in ("has", "have") and _day_in_part(tokens, q):
        return False  # "Jack has 3 miles today": a day's miles, as often said
    if lead in TOTAL_LEAD_DISTANCE or (lead == "now" and prev in ("has", "have", "is", "at")):
        return True
    if lead in ("logged", "completed") and prev in ("has", "have", "'ve", "ve"):
        return True  # "Emma has logged 14 miles" (not "has done 2": today's, as often)
    if lead in ("at", "on"):
        return prev in TOTAL_AT or prev.endswith(("'s", "'re"))
    return lead == "to" and any(low(tokens, j) in TOTAL_TO for j in range(k - 3, k))


def blocked(q: Quantity, tokens: list[Token], names_at: set[int]) -> str | None:
    """Why this amount is not miles run ("time", "steps", "total", "context", "unread"), or None.

    A bare number (no unit) must also sit where miles would: after a name, a logging verb, a
    day, "and", ":"... and before nothing that makes it something else ("2 kids"), or an
    activity ("0.5 walking"; "walked" only right after a name) and then nothing else. "unread":
    a bare number where miles would go, followed by a word the parser doesn't know ("Jack 2
    sets", "Jack 0.5 soccer"): the parser asks before it logs the message's other miles.
    "total": a running total ("Jack's at 14 miles so far"), checked against the logbook.
    """
    if q.unit == "time":
        return "time"
    if total(q, tokens):
        return "total"
    before = q.start - (2 if q.negative else 1)
    lead = tokens[before] if before >= 0 else Token("", "sep")
    if q.unit is None and lead.kind in ("word", "num", "junk") and before not in names_at \
            and lead.low not in VERBS | LEAD_OK:
        return "context"
    if low(tokens, before) in BLOCK_BEFORE or "after" in (low(tokens, before),
                                                           low(tokens, before - 1)) \
            or low(tokens, before - 1) == "total":  # "after (like) a block", "total of 14"
        return "context"
    after = " ".join(low(tokens, k) for k in range(q.end, q.end + 2)) + " "
    if any(after.startswith(phrase + " ") for phrase in BLOCK_AFTER):
        return "steps" if after.startswith("step") else "context"
    named = before in names_at or (lead.low in (":", "-", "–") and before - 1 in names_at)
    after_at = q.end + (q.unit is None and (low(tokens, q.end) in ACTIVITY_AFTER or (
        named and low(tokens, q.end) in ACTIVITY_DONE)))  # "1 walking", "Jack 0.5 walked"
    nxt = tokens[after_at] if after_at < len(tokens) else Token("", "sep")
    if q.unit is None and (nxt.kind in ("num", "junk") or (
            nxt.kind == "word" and nxt.low not in FOLLOW_OK and after_at not in names_at)):
        return "unread"
    return None
