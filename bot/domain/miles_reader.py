"""The message reader of the mile parser: one message as tokens, with the children, amounts,
days and activities found in it, turned into draft claims.

`bot.domain.miles` decides what the drafts mean (log, ask, refuse); this module only reads.
"""

from __future__ import annotations

import functools
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from bot.domain.dates import take_dates
from bot.domain.miles_names import (
    Item,
    find_children,
    group,
    looks_like_a_name,
    names_follow,
)
from bot.domain.miles_spots import blocked, chunks
from bot.domain.miles_words import (
    ACTIVITY,
    CLAUSE_BREAKS,
    COUNTED_MOVES,
    CUES,
    EMOJI,
    EVENT_WORDS,
    EVERYONE,
    LINE_BREAKS,
    NOT_A_RIDE_AFTER,
    NOT_COUNTED,
    NOUN_ACTIVITIES,
    PART_BREAKS,
    RESTATE,
    VERBS,
)
from bot.domain.numbers import Quantity, hide_non_amounts, low, read_quantity, tokenize

UNIT_MILES = {"mi": Fraction(1), "km": Fraction("0.621371"), "m": Fraction("0.000621371"),
              "loop": None}  # a loop of what? the parser asks how far
OTHER_MOVES = frozenset(NOT_COUNTED.values())


@functools.lru_cache(maxsize=256)
def exact(x: float) -> Fraction | None:
    """A float setting as an exact decimal fraction (0.25 -> 1/4); None if not finite."""
    return Fraction(str(x)) if math.isfinite(x) else None


@dataclass
class Draft:
    """Miles one child may have run, before the parser checks them."""

    child: str | None
    raw: Fraction | None  # exact miles; None when the number could not be read
    day: date | None
    activity: str | None
    unit: str = "mi"
    counted: bool | None = True  # run or walked; False: on a bike, swimming...; None: unclear

    @functools.cached_property
    def miles(self) -> Fraction:
        """Rounded half up to hundredths."""
        return Fraction(math.floor((self.raw or 0) * 100 + Fraction(1, 2)), 100)


class Message:
    """One message as tokens, with the children, amounts and days found in it."""

    def __init__(self, clean: str, today: date, children: Sequence[str], explicit: bool) -> None:
        self.today, self.children, self.explicit = today, list(children), explicit
        self.which_two = False  # "both" with other than two children: which two is asked
        with_dates, self.dates = take_dates(clean, today)
        self.tokens = tokens = tokenize(hide_non_amounts(with_dates))
        kid_spans = find_children(tokens, children)
        self.kids_at = {k: name for s, e, name in kid_spans for k in range(s, e)}
        self.unknown_at = {i for i in range(len(tokens)) if children
                           and looks_like_a_name(tokens, i, self.kids_at)}
        self.names_at = set(self.kids_at) | self.unknown_at
        self.line, self.part = chunks(tokens, LINE_BREAKS), chunks(tokens, PART_BREAKS)
        self.clause = chunks(tokens, CLAUSE_BREAKS)
        self.first_cue: dict[int, int] = {}  # part -> where its first cue word is
        for k, t in enumerate(tokens):
            if not explicit and k not in self.names_at and (
                    t.low in CUES or (t.low == "going" and low(tokens, k + 1) == "to")):
                self.first_cue.setdefault(self.part[k], k)
        self.verb_parts = {self.part[k] for k, t in enumerate(tokens)
                               if t.low in VERBS and k not in self.names_at}
        self.date_marks = [(k, t.ref) for k, t in enumerate(tokens)
                           if t.kind == "date" and not self._after_cue(k)]
        self.unread: list[Quantity] = []  # amounts where miles go, but followed by "walked"...
        self.totals: list[Quantity] = []  # running totals: "Jack's at 14 miles so far"
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
            elif everyone:  # "both" means two: with three children, which two is asked
                items.append((i, nxt, ("both" if t.low == "both" else "all", "")))
            elif t.kind == "junk" and t.text == "R":
                dropped.add("range")
            elif q := read_quantity(tokens, i):
                why = blocked(q, tokens, self.names_at)
                if why in (None, "unread", "total") and (self._after_cue(q.start) or (
                        low(tokens, i - 1) in EVENT_WORDS
                        and self.part[q.start] not in self.verb_parts)):
                    why = "context"
                if why in (None, "context") and self._gapped_total(q):
                    why = "total"
                if why == "unread":
                    self.unread.append(q)
                if why == "total":
                    self.totals.append(q)
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

    def _gapped_total(self, q: Quantity) -> bool:
        """A bare number after a total, said of the next child the same way: "Jack has 14
        miles so far, Emma 10", "Jack's at 14 miles and Emma's at 10"."""
        k = q.start - 1
        while low(self.tokens, k) in ("at", "is", "has") and k > q.start - 3:
            k -= 1
        return bool(self.totals) and q.unit is None and k in self.names_at

    def unread_children(self) -> list[str]:
        """Children whose amount stood where miles go but could not be read: the name right
        before it ("Jack 0.5 walked"), or right after it in its part when names follow amounts
        ("1 mile for Emma, 0.5 walked for Jack")."""
        postfix = names_follow(self.items, [q.start for q in self.unread])
        out = []
        for q in self.unread:
            near = [who for start, _, who in self.items
                    if start >= q.end and self.part[start] == self.part[q.start]][:1] \
                if postfix else [who for _, end, who in self.items if end <= q.start][-1:]
            out += [who[1] for who in near if not isinstance(who, Quantity) and who[0] == "kid"]
        return out

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
        seen, last = 0, (-1, 0)  # last: (line, ref) of the latest day so far
        header: int | None = None  # the latest day written on a line of its own
        for q in self.amounts:
            while seen < len(marks) and marks[seen][0] < q.start:
                k, ref = marks[seen]
                header = ref if words_in_line[self.line[k]] == 1 else header
                last, seen = (self.line[k], ref), seen + 1
            before = last[1] if last[0] == self.line[q.start] else header
            found = in_clause.get(self.clause[q.start],
                                  in_line.get(self.line[q.start]) if before is None else before)
            days[q.start] = self.today if found is None else self.dates[found]
        return days

    def _activities(self) -> dict[int, tuple[str | None, bool | None]]:
        """Each amount's activity and whether the programs count it, keyed by the amount's
        start: the activities in its clause, else its part, else the message's (written before
        anything else, "🏃 Emma 1, Jack 2", or in a part with no amount, "Emma played
        basketball, 1 mile": never another amount's, so "Emma 1, Jack 0.5 soccer" is not
        Emma's soccer); a noun ("treadmill") beats a verb. Counted: no bike, swim, skates...
        there; not counted: only those; unclear (None): beside running or walking said too
        ("walked his bike 2 miles")."""
        owned = {self.part[q.start] for q in [*self.amounts, *self.unread]}
        first = min((start for start, _, _ in self.items), default=0)
        shared = [0 if k < first or self.part[k] not in owned else -1
                  for k in range(len(self.tokens))]
        scopes = (self.clause, self.part, shared)
        found: list[dict[int, list[str]]] = [{}, {}, {}]  # per scope: chunk -> activities
        for k, t in enumerate(self.tokens):
            if t.low in ACTIVITY and not (t.low in NOT_COUNTED
                                          and low(self.tokens, k + 1) in NOT_A_RIDE_AFTER):
                for scope, by_chunk in zip(scopes, found, strict=True):
                    if scope[k] >= 0:
                        by_chunk.setdefault(scope[k], []).append(ACTIVITY[t.low])
        out: dict[int, tuple[str | None, bool | None]] = {}
        for q in self.amounts:
            keys = (self.clause[q.start], self.part[q.start], 0)
            acts = next((a[key] for key, a in zip(keys, found, strict=True) if key in a), [])
            other = [a for a in acts if a in OTHER_MOVES]
            moves = [a for a in acts if a in COUNTED_MOVES]
            if other and not moves:  # "rode his scooter": the scooter; "rode his bike": bike
                out[q.start] = next((a for a in other if a != "ride"), other[0]), False
                continue
            acts = [a for a in acts if a not in OTHER_MOVES] or acts
            out[q.start] = (next((a for a in acts if a in NOUN_ACTIVITIES), acts[0] if acts
                                 else None), None if other else True)
        return out

    def drafts(self, lap_miles: float, block_miles: float) -> list[Draft]:
        """One draft claim per child per amount, laps and blocks at the program's length."""
        per = {**UNIT_MILES, "lap": exact(lap_miles), "block": exact(block_miles)}
        units, days, activities = self._units(), self._days(), self._activities()
        out = []
        for g in group(self.tokens, self.items, [q.start for q in self.unread]):
            named = [name for kind, name in g.whos if kind == "kid"]
            if not named and ("both", "") in g.whos:  # "both kids": two, whatever "kids" says
                named = self.children if len(self.children) == 2 else []
                self.which_two = len(self.children) > 2
            elif not named and ("all", "") in g.whos:
                named = self.children
            whos: list[str | None] = list(dict.fromkeys(named)) or [None]
            if whos == [None] and len(self.children) == 1 and not self.unknown_at:
                whos = [self.children[0]]
            for q in g.qtys:
                factor = per[units[q.start]]
                raw = None if q.value is None or factor is None else \
                    q.value * factor * (-1 if q.negative else 1)
                activity, counted = activities[q.start]
                out += [Draft(who, raw, days[q.start], activity, units[q.start], counted)
                        for who in whos]
        return out

    def total_miles(self, lap_miles: float, block_miles: float, q: Quantity | None = None
                    ) -> Fraction | None:
        """A running total (the message's last), in miles rounded to hundredths."""
        q = q or self.totals[-1]
        factor = {**UNIT_MILES, "lap": exact(lap_miles), "block": exact(block_miles)}.get(
            q.unit or "mi")
        if q.value is None or factor is None:
            return None
        return Draft(None, q.value * factor * (-1 if q.negative else 1), None, None).miles

    def whose_totals(self) -> list[str | None]:
        """The children a running total is about: those named, or None (no name)."""
        return list(dict.fromkeys(self.kids_at.values())) or [None]

    def own_totals(self) -> dict[str, Quantity]:
        """Several totals, each after its child's name ("Jack's at 14 and Emma's at 10 so
        far"): each child's own; empty when the totals can't be told apart that way."""
        found: dict[str, Quantity] = {}
        for q in self.totals:
            who = next((self.kids_at[k] for k in range(q.start - 1, -1, -1)
                        if k in self.kids_at), None)
            if who is None or who in found:
                return {}
            found[who] = q
        return found if len(found) > 1 else {}
