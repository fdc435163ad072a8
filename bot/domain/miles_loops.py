"""Loops told as repeats: "went round the block twice", "4 times round the track", "did 2 loops
of the block", "ran the block five times".

Families count loops, not miles, and say how many times in every order. Rather than teach the
reader each order, this rewrites the loop into the amount it means, in the units the reader
already knows: "round the block twice" -> "2 blocks", "twice around the track" -> "2 laps". A
loop of a place with no program distance ("round the park twice") becomes "2 loops", a unit
the parser cannot turn into miles, so it asks how far instead of guessing. The reader then
applies its usual care (a plan, a question, a negation is still no log). A known distance
repeated ("a mile twice", "2 laps 3 times") becomes the distance times the count. Pure regex.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from bot.domain.numbers import ONES, TENS

COUNTS = {"once": "1", "twice": "2", "thrice": "3", "a couple of": "2", "a couple": "2",
          "one": "1"}
_NUMBER = (r"(?:\d+(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
           r"|fifteen|twenty)")
# How many times: "twice", "3 times", "three times", "3x", "x3", "a couple of times".
_TIMES = (rf"(?:once|twice|thrice|{_NUMBER}\s?(?:times|x)\b|x\s?{_NUMBER}\b"
          r"|a couple(?: of)? times)")
_ROUND = r"(?:round|around)"
_OF = r"(?:of|round|around)"
_THE = r"(?:the|a|our|my|his|her|their|that|this)"
# Places with a program distance: a lap of a track, a city block.
KNOWN = {"block": "blocks", "blocks": "blocks", "track": "laps", "oval": "laps"}
# Places a loop goes around, with no program distance: asked how far.
PLACES = ("park", "lake", "pond", "field", "playground", "school", "neighborhood",
          "neighbourhood", "street", "cul de sac", "loop", "trail", "path", "yard", "backyard",
          "house", "building", "reservoir", "garden", "square", "parking lot", "lot", "church",
          "court", "gym", "mall", "farm", "estate", "green", "circle", "route", "course")
_PLACE = (r"(?P<place>(?:" + "|".join(sorted(map(re.escape, {*KNOWN, *PLACES}), key=len,
                                                   reverse=True)) + r"))\b")
# A loop counted as a lap of a school place is a program lap, as today ("4 laps around the field").
LAP_PLACES = frozenset({"track", "oval", "field", "playground", "gym", "court", "school"})
_LOOP_WORDS = r"(?:loops?|laps?|circuits?|rounds?|times)"
_MOVES = r"(?:ran|run|running|walked|walk|walking|jogged|jog|jogging|hiked|did|done|went|go)"

_PATTERNS = [
    # "round the block twice", "around the track 4 times", "round the park x3"
    re.compile(rf"\b{_ROUND}\s+{_THE}?\s*(?:\w+\s+)?{_PLACE}\s+(?P<times>{_TIMES})", re.I),
    # "twice around the track", "4 times round the block", "3x around the park"
    re.compile(rf"(?P<times>\b{_TIMES})\s+{_ROUND}\s+{_THE}?\s*(?:\w+\s+)?{_PLACE}", re.I),
    # "2 loops of the block", "3 laps around the park", "a loop of the track"
    re.compile(rf"\b(?P<count>{_NUMBER}|an?|one)\s+{_LOOP_WORDS}\s+{_OF}\s+{_THE}?\s*"
               rf"(?:\w+\s+)?{_PLACE}", re.I),
    # "ran the block five times", "did the track twice" (the verb is kept)
    re.compile(rf"(?P<verb>\b{_MOVES})\s+{_THE}\s+(?:\w+\s+)?{_PLACE}\s+(?P<times>{_TIMES})",
               re.I),
]
# A known distance repeated: "a mile twice", "2 laps 3 times", "the 1 mile loop twice" are the
# distance times the count. Not when a rate or a span of days follows ("twice a week", "twice
# this week": on other days) or a comma (what follows may tell the days apart).
_WORD_NUMBERS = {**ONES, **TENS, "a": 1, "an": 1}
_REPEATED = re.compile(
    rf"(?<!half )(?<!quarter )(?<!\.)\b(?:the\s+)?(?P<amount>\d+(?:\.\d+)?|{_NUMBER}|an?)"
    r"[\s-]?(?P<unit>miles?|mi|laps?|blocks?|km|k)\b"
    r"(?:\s+(?:loop|route|course|circuit))?"
    rf"\s+(?P<times>{_TIMES})(?!\s*,)"
    r"(?!\s+(?:a|an|per|each|every|this|last|that|on|in|over|across|during|most)\b)", re.I)
# "Emma ran 3 loops", "1 loop": a loop with no place is as unknown as the park's.
_BARE_LOOPS = re.compile(rf"\b(?P<count>{_NUMBER}|an?|one)\s+(?P<unit>loops?|circuits?)\b"
                         rf"(?!\s+{_OF}\b)", re.I)


# A distance right before loops of a place of no known length: "2 miles around the lake twice".
_AMOUNT_LOOPS = re.compile(r"\d\s*(?:miles?|mi|km|k|laps?|blocks?)\s+\d+(?:\.\d+)?\s+loops\b",
                           re.I)

# Every loop says how many times or names a loop: most messages are skipped at this one look.
_HINT = re.compile(r"\b(?:twice|once|thrice|times|loops?|circuits?|laps?\s+(?:of|round|around))"
                   r"\b|\d\s?x\b|\bx\s?\d", re.I)


@dataclass(frozen=True)
class Loops:
    """The message with its loops rewritten, and the places whose distance is unknown."""

    text: str
    unknown: tuple[str, ...] = ()  # "the park": asked how far one loop is
    # "2 miles around the lake twice": 2 miles a loop, or in all? The parser asks.
    ambiguous: bool = False


def _count(match: re.Match[str]) -> str:
    """How many loops, as the reader reads a count: "twice" -> "2", "5x" -> "5"."""
    raw = (match.groupdict().get("times") or match.groupdict().get("count") or "1").lower()
    raw = re.sub(r"\s?times$|\s?x$|^x\s?", "", " ".join(raw.split()))
    return COUNTS.get(raw) or ("1" if raw in ("a", "an", "") else raw)


def rewrite_loops(text: str) -> Loops:
    """The text with each loop told as repeats written as an amount the reader knows."""
    if not _HINT.search(text):
        return Loops(text)
    unknown: list[str] = []

    def amount(match: re.Match[str]) -> str:
        place = re.sub(r"\s+", " ", match["place"].lower())
        verb = match.groupdict().get("verb")
        count = _count(match)
        loop_words = match[0].lower()
        if place in KNOWN:
            unit = KNOWN[place]
        elif place in LAP_PLACES and re.search(r"\blaps?\b", loop_words):
            unit = "laps"
        else:
            unknown.append(f"the {place}" if place != "loop" else "")  # not "a loop of the loop"
            unit = "loops"
        return f"{verb + ' ' if verb else ''}{count} {unit}"

    for pattern in _PATTERNS:
        text = pattern.sub(amount, text)
    text = _REPEATED.sub(_repeated, text)
    if _BARE_LOOPS.search(text) and not unknown:
        unknown.append("")
    return Loops(text, tuple(dict.fromkeys(unknown)), bool(unknown and _AMOUNT_LOOPS.search(text)))


def _repeated(match: re.Match[str]) -> str:
    """ "a mile twice" -> "2 mile", "2 laps 3 times" -> "6 laps" (the reader reads either)."""
    raw = match["amount"].lower()
    amount = Fraction(_WORD_NUMBERS[raw]) if raw in _WORD_NUMBERS else Fraction(raw)
    count = _count(match)
    times = _WORD_NUMBERS.get(count) or Fraction(count)
    return f"{format(float(amount * times), 'g')} {match['unit']}"
