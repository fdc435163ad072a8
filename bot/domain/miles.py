"""Text -> mile claims: what a family's chat message says their children ran, and when.

Families log miles the way they talk ("Emma 1, Jack 2", "ran a mile and a half yesterday 🏃",
"both kids did 4 laps at recess"), and the same chat carries questions and small talk full of
numbers ("can we run 2 miles a day?", "my kid is 7", "practice is at 3"). This module decides,
with no I/O, whether a message is a log, which child ran how far on which day, and when to ask
first (`confirm`) or refuse (`rejected`), so handlers stay thin and the rules stay testable.

It writes no words for people: a refusal or a question carries a `Why` (a `Reason` code and
what the explanation names), and `bot.texts.parsing` says it. The parser's parts:
`bot.domain.numbers` and `bot.domain.dates` read amounts and days, `bot.domain.miles_words`
holds the word lists, `bot.domain.miles_names` finds who, `bot.domain.miles_reader` reads,
`bot.domain.miles_spots` says what a number's place makes it (a running total...), and
`bot.domain.miles_loops` turns "round the block twice" into "2 blocks" first.

The programs count miles run or walked: a bike ride or a swim is refused, or left out of a
log with a word; a running total ("Jack's at 14 miles so far") is a `confirm` whose claim is
the total stated, for the logbook to compare with what is logged.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from fractions import Fraction
from typing import Literal

from bot.domain.miles_loops import rewrite_loops
from bot.domain.miles_names import fold, total_subjects
from bot.domain.miles_reader import Draft, Message, exact
from bot.domain.miles_words import NOT_COUNTED, QUESTION_WORDS
from bot.domain.numbers import normalize

Kind = Literal["log", "not_a_log", "rejected", "confirm"]
MAX_DAYS_BACK = 120
MAX_TOTAL = 1000  # miles: a running total beyond this is a joke, not a training log


class Reason(StrEnum):
    """Why a message is not simply logged: left alone, refused, or asked about first."""

    # not a log
    QUESTION = "question"  # "can we run 2 miles a day?"
    MINUTES = "minutes"  # "ran 20 minutes": time, not distance
    STEPS = "steps"  # "10k steps today"
    RANGE = "range"  # "Emma ran 2-3 miles"
    NO_AMOUNT = "no_amount"  # "/log" with no miles after it
    # refused
    UNREADABLE = "unreadable"  # "1e309 miles", "1/0 miles"
    NOT_POSITIVE = "not_positive"  # "-2 miles", "0 miles"
    BAD_DATE = "bad_date"  # "on 2/30"
    FUTURE = "future"  # `day` is after today
    TOO_OLD = "too_old"  # `day` is more than MAX_DAYS_BACK days ago
    OVER_CAP = "over_cap"  # more than `cap` miles in a day (for `child`, when named)
    TOO_SMALL = "too_small"  # under a hundredth of a mile
    # asked about first
    BARE_NUMBER = "bare_number"  # "2": is it miles? (`miles`)
    ADULT = "adult"  # "I ran 3 miles": were these the children's (`names`)?
    WHICH_CHILD = "which_child"  # "ran 2 miles": which of `names`?
    WHICH_TWO = "which_two"  # "both ran 2 miles" with three or more `names`: which two?
    UNKNOWN_CHILD = "unknown_child"  # "Lily ran 2": `unknown` isn't one of `names`; who ran?
    UNKNOWN_BESIDE_KNOWN = "unknown_beside_known"  # "Emma and Lily ran": `names` only?
    UNREAD_BESIDE_READ = "unread_beside_read"  # "Emma 1, Jack 0.5 soccer": `names` only?
    RUN_OR_RIDE = "run_or_ride"  # "walked his bike 2 miles": run or walked? (`activity`)
    RUNNING_TOTAL = "running_total"  # "Jack's at 14 miles so far": the claim is the total
    # refused: the programs count miles run or walked
    NOT_COUNTED = "not_counted"  # "Emma biked 3 miles" (`activity`, `names` named)
    UNKNOWN_LOOP = "unknown_loop"  # "round the park twice": how far is one loop? (`place`)
    # logged, with a word on what was left out
    PART_NOT_COUNTED = "part_not_counted"  # "Emma ran 1 mile and biked 3" (`activity`)


@dataclass(frozen=True)
class Why:
    """A reason and what its explanation names; `bot.texts.parsing` puts it in words."""

    code: Reason
    names: tuple[str, ...] = ()  # children offered: the family's, or those named (BESIDE_KNOWN)
    unknown: tuple[str, ...] = ()  # names in the message that are not the family's children
    unread: tuple[str, ...] = ()  # UNREAD_BESIDE_READ: children whose miles could not be read
    day: date | None = None  # FUTURE, TOO_OLD: the day refused
    today: date | None = None  # FUTURE, TOO_OLD: the day the message was read
    cap: float | None = None  # OVER_CAP: the program's miles per child per day
    child: str | None = None  # OVER_CAP: whose day is over it (None: no child named)
    miles: float | None = None  # a bare number: ask "Log 2 miles?" before anything else
    activity: str | None = None  # a way to move not counted (bike, swim...): refused, asked
    # about or left out of the log (with any reason)
    place: str | None = None  # UNKNOWN_LOOP: "the park" ("" when the loop names no place)


@dataclass(frozen=True)
class Claim:
    """Miles one child ran on one day."""

    child: str | None  # the child's name exactly as given in `children`, or None
    miles: float  # rounded to 2 decimals, always > 0 and finite
    day: date
    activity: str | None  # "run", "walk", "soccer", "treadmill"... or None


@dataclass(frozen=True)
class Parsed:
    """What a message means: its kind, the claims, and why it is refused or asked about."""

    text: str
    kind: Kind
    claims: tuple[Claim, ...] = ()
    reason: Why | None = None


@dataclass(frozen=True)
class Rules:
    """A program's conversions and limits."""

    lap_miles: float = 0.25  # a track lap
    block_miles: float = 0.25  # a city block
    daily_cap: float = 10.0  # miles per child per day; more is rejected with the reason


DEFAULT_RULES = Rules()
# Amounts dropped for these reasons explain a message with no miles left in it.
NOT_MILES = {"time": Reason.MINUTES, "steps": Reason.STEPS, "range": Reason.RANGE}


def _is_question(clean: str, children: Sequence[str]) -> bool:
    """Ends with "?", starts with a question word (unless that word is a child: "Will ran 2"),
    or has a part that starts like a question ("..., what do we do", "..., should we")."""
    first = re.search(r"[^\W\d_]+(?:'[^\W\d_]+)?", clean)
    return bool(re.search(r"\?\W*$", clean) or _ASKS.search(clean)) or bool(
        first and first[0].lower().replace("'", "") in QUESTION_WORDS
        and fold(first[0]) not in {fold(c) for c in children})


_ASKS = re.compile(r"[,.;!\n]\s*(?:how|what|when|where|why|which|who|can|could|should|would|"
                   r"will|do|does|did|is|are)\s+(?:we|i|you|she|he|they|it|this|that|my|our|the|"
                   r"there|do|does|did|is|are|can|should|many|much|long|far)\b", re.I)


def _problem(drafts: list[Draft], today: date, rules: Rules) -> Why | None:
    """Why these claims can't be logged at all, or None."""
    if any(d.raw is None for d in drafts):
        return Why(Reason.UNREADABLE)
    if any(d.raw is not None and d.raw <= 0 for d in drafts):
        return Why(Reason.NOT_POSITIVE)
    for d in drafts:
        if d.day is None:
            return Why(Reason.BAD_DATE)
        if d.day > today:
            return Why(Reason.FUTURE, day=d.day, today=today)
        if (today - d.day).days > MAX_DAYS_BACK:
            return Why(Reason.TOO_OLD, day=d.day, today=today)
    totals: dict[tuple[str | None, date | None], Fraction] = {}
    for d in drafts:
        totals[d.child, d.day] = totals.get((d.child, d.day), Fraction(0)) + d.miles
    cap = exact(rules.daily_cap)
    for (who, _), total in totals.items():
        if cap is not None and total > cap:
            return Why(Reason.OVER_CAP, cap=rules.daily_cap, child=who)
    return Why(Reason.TOO_SMALL) if any(d.miles <= 0 for d in drafts) else None


# A message about a grown-up's own run: "I ran...", "Dad did...", "my husband walked...".
ADULT_SUBJECT = re.compile(
    r"\s*(?:i|i've|ive|me|myself|dad|daddy|mom|mommy|mum|papa|nana|grandma|grandpa|granny"
    r"|my (?:husband|wife|partner))\b", re.I)


def _who_ran(msg: Message, claims: tuple[Claim, ...], children: Sequence[str],
             miles: float | None) -> Why | None:
    """The question to ask before logging, or None to log straight away.

    `miles` is set when the amount stood alone with no sign it was miles ("2").
    """
    unknown = tuple(dict.fromkeys(msg.tokens[k].text.removesuffix("'s")
                                  for k in sorted(msg.unknown_at)))
    named = [c.child for c in claims if c.child]
    if unknown and len(named) == len(claims):
        # "Emma and Lily ran a mile": Emma's miles can be logged; Lily is not on the list.
        return Why(Reason.UNKNOWN_BESIDE_KNOWN, tuple(dict.fromkeys(named)), unknown,
                   miles=miles)
    if unknown:
        return Why(Reason.UNKNOWN_CHILD, tuple(msg.children), unknown, miles=miles)
    if len(children) > 1 and any(c.child is None for c in claims):
        which = Reason.WHICH_TWO if msg.which_two else Reason.WHICH_CHILD
        return Why(which, tuple(msg.children), miles=miles)
    return None if miles is None else Why(Reason.BARE_NUMBER, miles=miles)


def parse_miles(text: str, *, today: date, children: Sequence[str] = (),
                rules: Rules = DEFAULT_RULES, explicit: bool = False) -> Parsed:
    """Read one chat message (or the text after /log when `explicit`) into mile claims."""
    clean = normalize(text)
    if _is_question(clean, children):
        return Parsed(text, "not_a_log", reason=Why(Reason.QUESTION))
    loops = rewrite_loops(clean)  # "round the block twice" -> "2 blocks"
    msg = Message(loops.text, today, children, explicit)
    if not msg.amounts:
        if msg.totals:
            return _running_total(text, msg, clean, rules)
        why = next((Why(NOT_MILES[w]) for w in NOT_MILES if w in msg.dropped), None)
        if explicit and why is None:
            why = Why(Reason.NO_AMOUNT)
        return Parsed(text, "not_a_log", reason=why)
    signalled = msg.signalled()
    lone = msg.amounts[0]
    cap = exact(rules.daily_cap)
    if not signalled and (len(msg.amounts) > 1 or lone.value is None or lone.negative
                          or lone.value <= 0 or (cap is not None and lone.value > cap)):
        return Parsed(text, "not_a_log")  # a stray number, not a log
    drafts = msg.drafts(rules.lap_miles, rules.block_miles)
    if loops.ambiguous or any(d.unit == "loop" for d in drafts):  # how far is a loop?
        return Parsed(text, "rejected", reason=Why(Reason.UNKNOWN_LOOP, tuple(dict.fromkeys(
            d.child for d in drafts if d.child)), place=next(iter(loops.unknown), "")))
    left = [d for d in drafts if d.counted is False]  # on a bike, in the pool...
    drafts = [d for d in drafts if d.counted is not False]
    if not drafts:
        return Parsed(text, "rejected", reason=Why(Reason.NOT_COUNTED, tuple(dict.fromkeys(
            d.child for d in left if d.child)), activity=left[0].activity))
    problem = _problem(drafts, today, rules)
    if problem:
        return Parsed(text, "rejected", reason=problem)
    if children and not msg.kids_at and ADULT_SUBJECT.match(clean):
        # "I ran 3 miles", "Dad did 2": the grown-up's own run, unless they say it was a child's.
        return Parsed(text, "confirm", tuple(
            Claim(None, float(d.miles), d.day or today, d.activity) for d in drafts),
            Why(Reason.ADULT, tuple(msg.children)))
    claims = tuple(Claim(d.child, float(d.miles), d.day or today, d.activity) for d in drafts)
    why = _who_ran(msg, claims, children, None if signalled else claims[0].miles)
    logged = tuple(dict.fromkeys(c.child for c in claims if c.child))
    unread = tuple(dict.fromkeys(k for k in msg.unread_children() if k not in logged))
    if unread and (why is None or why.code is Reason.BARE_NUMBER):
        # "Emma 1 mile, Jack 0.5 soccer": never log Emma's and lose Jack's without a word.
        why = Why(Reason.UNREAD_BESIDE_READ, logged, unread=unread,
                  miles=None if why is None else why.miles)
    asked = why is None or why.code in (Reason.BARE_NUMBER, Reason.WHICH_CHILD)
    if asked and any(d.counted is None for d in drafts):
        # "walked his bike 2 miles": ask whether they were walked before logging them.
        why = Why(Reason.RUN_OR_RIDE, () if why is None else why.names,
                  miles=None if why is None else why.miles, activity=_other_move(msg))
    if left:  # "Emma ran 1 mile and biked 3": log the run, and say the ride was left out
        why = replace(why or Why(Reason.PART_NOT_COUNTED, tuple(dict.fromkeys(
            d.child for d in left if d.child))), activity=left[0].activity)
    asks = why is not None and why.code is not Reason.PART_NOT_COUNTED
    return Parsed(text, "confirm" if asks else "log", claims, why)


def _other_move(msg: Message) -> str | None:
    """The way to move the programs don't count that the message names ("his bike": bike)."""
    found = [NOT_COUNTED[t.low] for t in msg.tokens if t.low in NOT_COUNTED]
    return next((a for a in found if a != "ride"), found[0] if found else None)


def _running_total(text: str, msg: Message, clean: str, rules: Rules) -> Parsed:
    """ "Jack's at 14 miles so far": a total to check against the logbook, not a day's miles.
    The claims carry the total stated, for each child named (None: no child named)."""
    other = _other_move(msg)
    if other is not None:  # "Emma has biked 14 miles so far"
        return Parsed(text, "rejected", reason=Why(Reason.NOT_COUNTED, tuple(
            dict.fromkeys(msg.kids_at.values())), activity=other))
    if msg.children and not msg.kids_at and ADULT_SUBJECT.match(clean):
        return Parsed(text, "not_a_log")  # a grown-up's own total
    miles = msg.total_miles(rules.lap_miles, rules.block_miles)
    if miles is None:
        return Parsed(text, "rejected", reason=Why(Reason.UNREADABLE))
    if not 0 < miles <= MAX_TOTAL:
        return Parsed(text, "not_a_log")  # "at 0 miles", "a million miles so far lol"
    whos = msg.whose_totals()
    unknown_at = total_subjects(msg.tokens, msg.kids_at, msg.unknown_at) if msg.children else set()
    if whos == [None] and len(msg.children) == 1 and not unknown_at:
        whos = [msg.children[0]]
    unknown = tuple(dict.fromkeys(msg.tokens[k].text.removesuffix("'s")
                                  for k in sorted(unknown_at)))
    names = tuple(w for w in whos if w) if None not in whos else (
        () if unknown else tuple(msg.children))
    own = {who: msg.total_miles(rules.lap_miles, rules.block_miles, q)
           for who, q in msg.own_totals().items()}
    return Parsed(text, "confirm", tuple(Claim(who, float(own.get(who or "") or miles),
                                               msg.today, None) for who in whos),
                  Why(Reason.RUNNING_TOTAL, names, unknown))


def looks_like_miles(text: str, today: date) -> bool:
    """Whether a message reads as a mile log at all (with any child's name)."""
    return parse_miles(text, today=today).kind != "not_a_log"
