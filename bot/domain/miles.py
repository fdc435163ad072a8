"""Text -> mile claims: what a family's chat message says their children ran, and when.

Families log miles the way they talk ("Emma 1, Jack 2", "ran a mile and a half yesterday 🏃",
"both kids did 4 laps at recess"), and the same chat carries questions and small talk full of
numbers ("can we run 2 miles a day?", "my kid is 7", "practice is at 3"). This module decides,
with no I/O, whether a message is a log, which child ran how far on which day, and when to ask
first (`confirm`) or refuse (`rejected`), so handlers stay thin and the rules stay testable.
Reading amounts and days out of the text lives in `bot.domain.numbers`.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Literal

from bot.domain.numbers import (
    MONTHS,
    ONES,
    TENS,
    UNITS,
    WEEKDAYS,
    Quantity,
    Token,
    hide_non_amounts,
    low,
    normalize,
    read_quantity,
    take_dates,
    tokenize,
    words,
)

Kind = Literal["log", "not_a_log", "rejected", "confirm"]
MAX_DAYS_BACK = 120

QUESTION_WORDS = words("how what when where can should is are do does will why could would "
                       "which who whats hows wheres whens")
VERBS = words("add ran run running walked walk walking jogged jog jogging hiked hike hiking biked "
              "bike biking rode cycled did done logged log finished completed covered went "
              "got added made clocked played practiced sprinted raced racked")
EMOJI = {"🏃": "run", "👟": "run", "🚶": "walk", "🥾": "hike", "🚴": "bike", "🚲": "bike",
         "⚽": "soccer", "🏀": "basketball"}
ACTIVITY = {**dict.fromkeys(words("ran run running raced sprinted"), "run"),
            **dict.fromkeys(words("jog jogged jogging"), "jog"),
            **dict.fromkeys(words("walk walked walking"), "walk"),
            **dict.fromkeys(words("hike hiked hiking"), "hike"),
            **dict.fromkeys(words("bike biked biking cycled rode"), "bike"),
            **{w: w for w in words("soccer basketball football baseball softball lacrosse "
                                   "tennis treadmill pe recess gym track")}, **EMOJI}
# Where or what, more telling than the verb: "ran 2 miles on the treadmill" is treadmill.
NOUN_ACTIVITIES = frozenset(ACTIVITY.values()) - {"run", "jog", "walk", "bike"}
EVERYONE = words("both each everyone everybody they kids boys girls twins")
# Words that make the next number something else: "is 7", "at 3", "room 12", "mile 5".
BLOCK_BEFORE = words("at is are am i'm im room rm grade age aged ages turned turns turning week "
                     "wk day mile miles mi lap laps number no num # bib level page bus route "
                     "gate door apt suite class team size she's he's it's shes hes isn't to")
# Words after an amount that make it a rate, a remainder, a total or a distance between places.
BLOCK_AFTER = ("left", "to go", "remaining", "total", "so far", "away", "a day", "per day",
               "each day", "every day", "a week", "per week", "each week", "a night", "each way",
               "daily", "weekly", "goal", "steps", "step", "award", "milestone", "mark", "medal",
               "club", "certificate", "badge", "ribbon", "sticker", "shirt", "race")
# The only words allowed right after a bare number ("Emma 1, Jack 2", "did 2 today"; not "2 kids").
FOLLOW_OK = words("and & n plus then today tonight yesterday this last on with in at for "
                  "around after before during too also again each both more so done down "
                  "complete completed finished logged yay woohoo")
# ... and the only words allowed right before one ("Jack did 1.5", "and 2 at PE"; not "I'm 35").
LEAD_OK = words("and & n plus then , : - – = + ( about around almost nearly over just only "
                "like another also")
# Words earlier in the same part (see PART_BREAKS) that make an amount a plan, a wish, a place.
CUES = words("live lives living located drive drove driving commute goal goals plan plans "
             "planning planned want wants wanna hope hoping gonna will we'll i'll she'll "
             "he'll they'll let's lets should could would might can need needs if try "
             "trying aim aiming can't cant couldn't couldnt won't wont don't dont doesn't "
             "doesnt didn't didnt never not")
# Before an amount, these make it an event unless its part says it was done: "at the 5k".
EVENT_WORDS = words("the your first next this")
JOINERS = words(", & and n + / plus")
# Where a message breaks: into lines (and sentences), parts (at commas too), and clauses.
LINE_BREAKS = frozenset([".", ";", "!", "?", "…", "\n"])
PART_BREAKS = LINE_BREAKS | {","}
CLAUSE_BREAKS = PART_BREAKS | words("and & but then plus +")
# Between two amounts, these make the second a restatement: "8 laps = 2 miles", "2 miles (8 laps)".
RESTATE = words("= ( ) ~ ≈ aka")

COMMON = words("ok okay yes yeah yay woohoo wow whew phew hi hey hello good great nice awesome "
               "amazing thanks thank update total only about almost nearly over around just "
               "another first morning afternoon evening night week day mile family school "
               "park trail beach neighborhood practice team class go the my our we she he "
               "they me us him her his mom mommy dad daddy grandma grandpa nana papa brother "
               "sister son daughter kid kiddo baby coach teacher friend friends dog a an also "
               "too then so proud today tonight yesterday miles laps lap blocks block")
KNOWN_WORDS = (QUESTION_WORDS | VERBS | frozenset(ACTIVITY) | EVERYONE | CUES | FOLLOW_OK | COMMON
               | BLOCK_BEFORE)
# A child called Will, May or Hope is only recognized when the name is capitalized.
ORDINARY_WORDS = KNOWN_WORDS | frozenset(MONTHS) | frozenset(WEEKDAYS) | frozenset(ONES) \
    | frozenset(TENS) | frozenset(UNITS)

QUESTION = "That looks like a question, so I didn't log any miles."
NOT_MILES = {"time": "I count distance (miles, laps, blocks or km), not minutes.",
             "steps": "I can't turn steps into miles. Send miles, laps or blocks instead.",
             "range": "Send one number of miles, like 'Emma 2 miles', and I'll log it."}
UNREADABLE = "I couldn't read that number of miles. Send it like '1.5 miles' or '4 laps'."
NOT_POSITIVE = "Miles have to be more than zero, so I didn't log that."
TOO_SMALL = "That's less than 0.01 miles, too small to count."
BAD_DATE = "I couldn't read that date. Try 'yesterday', 'Monday' or '11/3'."


@dataclass(frozen=True)
class Claim:
    """Miles one child ran on one day."""

    child: str | None  # the child's name exactly as given in `children`, or None
    miles: float  # rounded to 2 decimals, always > 0 and finite
    day: date
    activity: str | None  # "run", "walk", "soccer", "treadmill"... or None


@dataclass(frozen=True)
class Parsed:
    """What a message means: its kind, the claims, and a friendly reason to show or ask."""

    text: str
    kind: Kind
    claims: tuple[Claim, ...] = ()
    reason: str | None = None

    def as_json(self) -> dict[str, object]:
        """The `finalmile miles parse --json` line for this message."""
        return {"text": self.text, "kind": self.kind,
                "entries": [{"child": c.child, "miles": c.miles, "date": c.day.isoformat()}
                            for c in self.claims],
                "reason": self.reason}


@dataclass(frozen=True)
class Rules:
    """A program's conversions and limits."""

    lap_miles: float = 0.25  # a track lap
    block_miles: float = 0.25  # a city block
    daily_cap: float = 10.0  # miles per child per day; more is rejected with the reason


DEFAULT_RULES = Rules()
_UNIT_MILES = {"mi": Fraction(1), "km": Fraction("0.621371"), "m": Fraction("0.000621371")}


def to_json(parsed: Parsed) -> dict[str, object]:
    """Same as `parsed.as_json()`."""
    return parsed.as_json()


@functools.lru_cache(maxsize=4096)
def _fold(text: str) -> str:
    """Lower case, no accents, no apostrophes or possessive: how names are compared."""
    text = unicodedata.normalize("NFKD", text.lower().replace("’", "'").removesuffix("'s"))
    text = "".join(c for c in text if not unicodedata.combining(c) and c != "'")
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def _names(names: Sequence[str], last: str) -> str:
    """ "Emma", "Emma or Jack", "Emma, Jack or Leo"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {last} {names[-1]}"


@functools.lru_cache(maxsize=256)
def _exact(x: float) -> Fraction | None:
    """A float setting as an exact decimal fraction (0.25 -> 1/4); None if not finite."""
    return Fraction(str(x)) if math.isfinite(x) else None


def _is_question(clean: str, children: Sequence[str]) -> bool:
    """Ends with "?", starts with a question word (unless that word is a child: "Will ran 2"),
    or has a part that starts like a question ("..., what do we do", "..., should we")."""
    first = re.search(r"[^\W\d_]+(?:'[^\W\d_]+)?", clean)
    return bool(re.search(r"\?\W*$", clean) or _ASKS.search(clean)) or bool(
        first and first[0].lower().replace("'", "") in QUESTION_WORDS
        and _fold(first[0]) not in {_fold(c) for c in children})


_ASKS = re.compile(r"[,.;!\n]\s*(?:how|what|when|where|why|which|who|can|could|should|would|"
                   r"will|do|does|did|is|are)\s+(?:we|i|you|she|he|they|it|this|that|my|our|the|"
                   r"there|do|does|did|is|are|can|should|many|much|long|far)\b", re.I)


def _find_children(tokens: list[Token], children: Sequence[str]) -> list[tuple[int, int, str]]:
    """(start, end, name) of each mention of a known child, longest names first."""
    keys = sorted(((_fold(c).split(), c) for c in children if _fold(c)), key=lambda k: -len(k[0]))

    def mentions(i: int, parts: list[str]) -> bool:
        window = tokens[i:i + len(parts)]
        return (len(window) == len(parts)
                and [_fold(t.text) if t.kind == "word" else "" for t in window] == parts
                and (window[0].text[:1].isupper() or not ORDINARY_WORDS & set(parts)))

    found, i = [], 0
    while i < len(tokens):
        hit = next(((parts, name) for parts, name in keys if mentions(i, parts)), None)
        if hit:
            found.append((i, i + len(hit[0]), hit[1]))
        i += len(hit[0]) if hit else 1
    return found


def _looks_like_a_name(tokens: list[Token], i: int, kids_at: dict[int, str]) -> bool:
    """A capitalized word we don't know, where a child's name would go ("Lily ran 2 miles")."""
    t = tokens[i]
    if t.kind != "word" or not t.text[:1].isupper() or len(t.base) < 2 or not t.base.isalpha():
        return False
    if t.base in KNOWN_WORDS or t.low in KNOWN_WORDS or i in kids_at:
        return False
    nxt = tokens[i + 1] if i + 1 < len(tokens) else Token("", "sep")
    return (nxt.kind == "num" or nxt.low in VERBS or low(tokens, i - 1) in ("for", "with")
            or (low(tokens, i - 1) in ("and", "&") and i - 2 in kids_at)
            or (nxt.low in ("and", "&") and i + 2 in kids_at))


def _chunks(tokens: list[Token], breaks: frozenset[str]) -> list[int]:
    """A chunk number per token; a new chunk starts at each token in `breaks`."""
    out, n = [], 0
    for t in tokens:
        n += t.low in breaks
        out.append(n)
    return out


def _blocked(q: Quantity, tokens: list[Token], names_at: set[int]) -> str | None:
    """Why this amount is not miles run ("time", "steps", "context"), or None if it may be.

    A bare number (no unit) must also sit where miles would: after a name, a logging verb, a
    day, "and", ":"... and before nothing that makes it something else ("2 kids").
    """
    if q.unit == "time":
        return "time"
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
    nxt = tokens[q.end] if q.end < len(tokens) else Token("", "sep")
    if q.unit is None and (nxt.kind in ("num", "junk") or (
            nxt.kind == "word" and nxt.low not in FOLLOW_OK and q.end not in names_at)):
        return "context"
    return None


Who = tuple[str, str]  # ("kid", name), ("all", ""), ("unknown", name as written)
Item = tuple[int, int, Who | Quantity]  # start, end, what


@dataclass
class _Group:
    """Children (or everyone) and the amounts that belong to them."""

    whos: list[Who] = field(default_factory=list)
    qtys: list[Quantity] = field(default_factory=list)
    last_end: int = 0
    closed: bool = False


def _shares(tokens: list[Token], start: int, end: int) -> bool:
    """Does the name at tokens[start:end] share the amounts just before it?

    "Emma ran a mile with (her brother) Jack", "Jack too", "and so did Jack".
    """
    before = [t.low for t in tokens[max(0, start - 3):start]]
    return (("with" in before and not {",", ".", "!", "\n"} & set(before))
            or before[-2:] == ["so", "did"] or low(tokens, end) in ("too", "also"))


def _group(tokens: list[Token], items: list[Item]) -> list[_Group]:
    """Pair names with amounts: "Emma 1, Jack 2", "Emma and Jack 1 each", "1 mile for Emma".

    Names come before their amounts, unless the message starts with an amount; then after.
    """
    groups: list[_Group] = []
    postfix = bool(items) and isinstance(items[0][2], Quantity)
    for start, end, item in items:
        cur = groups[-1] if groups else None
        if isinstance(item, Quantity):
            if cur is None or cur.closed or (postfix and cur.whos):
                groups.append(cur := _Group())
            cur.qtys.append(item)
        elif cur is not None and postfix:
            cur.whos.append(item)
        elif cur and cur.qtys and _shares(tokens, start, end):
            cur.whos.append(item)  # "Emma ran a mile with Jack", "Jack too", "so did Jack"
            cur.closed = True
        elif cur and cur.whos and not cur.qtys and all(
                t.low in JOINERS for t in tokens[cur.last_end:start]):
            cur.whos.append(item)  # "Emma and Jack", "both kids"
        else:
            groups.append(cur := _Group(whos=[item]))
        cur.last_end = end
    return groups


@dataclass
class _Draft:
    child: str | None
    raw: Fraction | None  # exact miles; None when the number could not be read
    day: date | None
    activity: str | None

    @functools.cached_property
    def miles(self) -> Fraction:
        """Rounded half up to hundredths."""
        return Fraction(math.floor((self.raw or 0) * 100 + Fraction(1, 2)), 100)


class _Message:
    """One message as tokens, with the children, amounts and days found in it."""

    def __init__(self, clean: str, today: date, children: Sequence[str], explicit: bool) -> None:
        self.today, self.children, self.explicit = today, list(children), explicit
        with_dates, self.dates = take_dates(clean, today)
        self.tokens = tokens = tokenize(hide_non_amounts(with_dates))
        kid_spans = _find_children(tokens, children)
        self.kids_at = {k: name for s, e, name in kid_spans for k in range(s, e)}
        self.unknown_at = {i for i in range(len(tokens)) if children
                           and _looks_like_a_name(tokens, i, self.kids_at)}
        self.names_at = set(self.kids_at) | self.unknown_at
        self.line, self.part = _chunks(tokens, LINE_BREAKS), _chunks(tokens, PART_BREAKS)
        self.clause = _chunks(tokens, CLAUSE_BREAKS)
        self.first_cue: dict[int, int] = {}  # part -> where its first cue word is
        for k, t in enumerate(tokens):
            if not explicit and k not in self.names_at and (
                    t.low in CUES or (t.low == "going" and low(tokens, k + 1) == "to")):
                self.first_cue.setdefault(self.part[k], k)
        self.verb_parts = {self.part[k] for k, t in enumerate(tokens)
                               if t.low in VERBS and k not in self.names_at}
        self.date_marks = [(k, t.ref) for k, t in enumerate(tokens)
                           if t.kind == "date" and not self._after_cue(k)]
        self.items, self.dropped = self._read(dict((s, (e, n)) for s, e, n in kid_spans))
        self.amounts = [item for _, _, item in self.items if isinstance(item, Quantity)]

    def _after_cue(self, k: int) -> bool:
        """Is a plan, wish or negation earlier in its part ("we will run 2", "can't run 26")?"""
        return self.first_cue.get(self.part[k], k) < k

    def _read(self, kid_spans: dict[int, tuple[int, str]]) -> tuple[list[Item], set[str]]:
        """Children and amounts in order; and why other amounts were dropped."""
        tokens, i = self.tokens, 0
        items: list[Item] = []
        dropped: set[str] = set()
        while i < len(tokens):
            t, nxt = tokens[i], i + 1
            everyone = t.low in EVERYONE or (t.low == "all" and (
                low(tokens, i - 1) in ("we", "they") or low(tokens, i + 1) in ("of", "three")))
            if i in kid_spans:
                nxt, name = kid_spans[i]
                items.append((i, nxt, ("kid", name)))
            elif i in self.unknown_at:
                items.append((i, nxt, ("unknown", t.text.removesuffix("'s"))))
            elif everyone:
                items.append((i, nxt, ("all", "")))
            elif t.kind == "junk" and t.text == "R":
                dropped.add("range")
            elif q := read_quantity(tokens, i):
                why = _blocked(q, tokens, self.names_at)
                if why is None and (self._after_cue(q.start) or (
                        low(tokens, i - 1) in EVENT_WORDS
                        and self.part[q.start] not in self.verb_parts)):
                    why = "context"
                prev = items[-1] if items else None
                if why is None and prev and isinstance(prev[2], Quantity) and all(
                        k.low in RESTATE for k in tokens[prev[1]:q.start]) and q.start > prev[1]:
                    why = "restated"
                if why is None:
                    items.append((q.start, q.end, q))
                dropped.add(why or "")
                nxt = max(nxt, q.end)
            i = nxt
        return items, dropped

    def signalled(self) -> bool:
        """A unit, a logging verb, a running emoji, or a child's name right before the number."""
        if self.explicit or any(q.unit for q in self.amounts):
            return True
        if any(k not in self.names_at and (t.low in VERBS or t.text in EMOJI)
               for k, t in enumerate(self.tokens)):
            return True
        for q in self.amounts:  # "Emma 1", "Emma: 1", "Emma - 1", "Emma: Mon 1", "Jack +1"
            k = q.start - (2 if q.negative else 1)
            while k > 0 and (low(self.tokens, k) in (":", "-", "–", "=", "+")
                             or self.tokens[k].kind == "date"):
                k -= 1
            if k in self.kids_at:
                return True
        return False

    def _units(self) -> dict[int, str]:
        """Each amount's unit, keyed by the amount's start; a bare number takes the nearest one
        before it (else after), so "Emma 2 laps, Jack 3" is 3 laps."""
        written = [q.unit for q in self.amounts if q.unit]
        units: dict[int, str] = {}
        last = written[0] if written else "mi"
        for q in self.amounts:
            last = units[q.start] = q.unit or last
        return units

    def _days(self) -> dict[int, date | None]:
        """Each amount's day, keyed by the amount's start: the day in its clause; else the last
        day before it in its line, or on a line of its own ("Yesterday:" above "Emma 1"); else
        the first day in its line ("Emma 1, Jack 2 yesterday"); else today."""
        marks = self.date_marks
        in_clause = {self.clause[k]: ref for k, ref in reversed(marks)}
        in_line = {self.line[k]: ref for k, ref in reversed(marks)}
        words_in_line = Counter(self.line[k] for k, t in enumerate(self.tokens)
                                if t.kind not in ("sep", "other"))
        days: dict[int, date | None] = {}
        seen, header, last = 0, None, (-1, 0)  # last: (line, ref) of the latest day so far
        for q in self.amounts:
            while seen < len(marks) and marks[seen][0] < q.start:
                k, ref = marks[seen]
                header = ref if words_in_line[self.line[k]] == 1 else header
                last, seen = (self.line[k], ref), seen + 1
            before = last[1] if last[0] == self.line[q.start] else header
            ref = in_clause.get(self.clause[q.start],
                                in_line.get(self.line[q.start]) if before is None else before)
            days[q.start] = self.today if ref is None else self.dates[ref]
        return days

    def _activities(self) -> dict[int, str | None]:
        """Each amount's activity, keyed by the amount's start: the one in its clause, else its
        part, else the message; a noun ("treadmill") beats a verb ("ran")."""
        scopes = (self.clause, self.part, [0] * len(self.tokens))
        found: list[dict[int, list[str]]] = [{}, {}, {}]  # per scope: chunk -> activities
        for k, t in enumerate(self.tokens):
            if t.low in ACTIVITY:
                for scope, acts in zip(scopes, found, strict=True):
                    acts.setdefault(scope[k], []).append(ACTIVITY[t.low])
        out: dict[int, str | None] = {}
        for q in self.amounts:
            acts = next((a[s[q.start]] for s, a in zip(scopes, found, strict=True)
                         if s[q.start] in a), [])
            out[q.start] = next((a for a in acts if a in NOUN_ACTIVITIES), acts[0] if acts
                                else None)
        return out

    def drafts(self, rules: Rules) -> list[_Draft]:
        """One draft claim per child per amount."""
        per = {**_UNIT_MILES, "lap": _exact(rules.lap_miles), "block": _exact(rules.block_miles)}
        units, days, activities = self._units(), self._days(), self._activities()
        out = []
        for g in _group(self.tokens, self.items):
            named = [name for kind, name in g.whos if kind == "kid"]
            if not named and ("all", "") in g.whos:
                named = self.children
            whos: list[str | None] = list(dict.fromkeys(named)) or [None]
            if whos == [None] and len(self.children) == 1 and not self.unknown_at:
                whos = [self.children[0]]
            for q in g.qtys:
                factor = per[units[q.start]]
                raw = None if q.value is None or factor is None else \
                    q.value * factor * (-1 if q.negative else 1)
                out += [_Draft(who, raw, days[q.start], activities[q.start]) for who in whos]
        return out


def _problem(drafts: list[_Draft], today: date, rules: Rules) -> str | None:
    """Why these claims can't be logged at all, or None."""
    if any(d.raw is None for d in drafts):
        return UNREADABLE
    if any(d.raw is not None and d.raw <= 0 for d in drafts):
        return NOT_POSITIVE
    for d in drafts:
        if d.day is None:
            return BAD_DATE
        when = f"{d.day:%a %b} {d.day.day}" + (f", {d.day.year}" if d.day.year != today.year
                                                 else "")
        if d.day > today:
            return f"{when} is in the future, so there's nothing to log yet."
        if (today - d.day).days > MAX_DAYS_BACK:
            return f"{when} is more than {MAX_DAYS_BACK} days ago, too far back to log."
    totals: dict[tuple[str | None, date | None], Fraction] = {}
    for d in drafts:
        totals[d.child, d.day] = totals.get((d.child, d.day), Fraction(0)) + d.miles
    cap = _exact(rules.daily_cap)
    for (who, _), total in totals.items():
        if cap is not None and total > cap:
            return (f"That's more than {rules.daily_cap:g} miles in a day"
                    f"{' for ' + who if who else ''}, more than the program counts for one day. "
                    "If it was over several days, log each day on its own.")
    return TOO_SMALL if any(d.miles <= 0 for d in drafts) else None


# A message about a grown-up's own run: "I ran...", "Dad did...", "my husband walked...".
ADULT_SUBJECT = re.compile(
    r"\s*(?:i|i've|ive|me|myself|dad|daddy|mom|mommy|mum|papa|nana|grandma|grandpa|granny"
    r"|my (?:husband|wife|partner))\b", re.I)


def parse_miles(text: str, *, today: date, children: Sequence[str] = (),
                rules: Rules = DEFAULT_RULES, explicit: bool = False) -> Parsed:
    """Read one chat message (or the text after /log when `explicit`) into mile claims."""
    clean = normalize(text)
    if _is_question(clean, children):
        return Parsed(text, "not_a_log", reason=QUESTION)
    msg = _Message(clean, today, children, explicit)
    if not msg.amounts:
        reason = next((NOT_MILES[why] for why in NOT_MILES if why in msg.dropped), None)
        if explicit and reason is None:
            reason = "Tell me how many miles, like /log 1.5 or /log Emma 2 laps."
        return Parsed(text, "not_a_log", reason=reason)
    signalled = msg.signalled()
    lone = msg.amounts[0]
    cap = _exact(rules.daily_cap)
    if not signalled and (len(msg.amounts) > 1 or lone.value is None or lone.negative
                          or lone.value <= 0 or (cap is not None and lone.value > cap)):
        return Parsed(text, "not_a_log")  # a stray number, not a log
    drafts = msg.drafts(rules)
    problem = _problem(drafts, today, rules)
    if problem:
        return Parsed(text, "rejected", reason=problem)
    if children and not msg.kids_at and ADULT_SUBJECT.match(clean):
        # "I ran 3 miles", "Dad did 2": the grown-up's own run, unless they say it was a child's.
        return Parsed(text, "confirm", tuple(
            Claim(None, float(d.miles), d.day or today, d.activity) for d in drafts),
            f"Were these miles for {_names(msg.children, 'or')}? I log the children's miles.")
    claims = tuple(Claim(d.child, float(d.miles), d.day or today, d.activity) for d in drafts)

    miles = claims[0].miles
    reasons = [] if signalled else [f"Log {miles:g} mile{'' if miles == 1 else 's'}?"]
    unknown = list(dict.fromkeys(msg.tokens[k].text.removesuffix("'s")
                                 for k in sorted(msg.unknown_at)))
    named = [c.child for c in claims if c.child]
    if unknown and len(named) == len(claims):
        # "Emma and Lily ran a mile": Emma's miles can be logged; Lily is not on the list.
        reasons.append(f"I don't know {_names(unknown, 'or')} (/addkid adds a child). Log "
                       f"these miles for {_names(list(dict.fromkeys(named)), 'and')} only?")
    elif unknown:
        reasons.append(f"I don't know {_names(unknown, 'or')}. I know "
                       f"{_names(msg.children, 'and')}. Who ran these miles?")
    elif len(children) > 1 and any(c.child is None for c in claims):
        reasons.append(f"Which child ran these miles: {_names(msg.children, 'or')}?")
    return Parsed(text, "confirm" if reasons else "log", claims, " ".join(reasons) or None)
