"""What a message's claims become once the family is heard: the children chosen on a button
filled in, and a running total stated ("Jack's at 14 miles so far") turned into the miles
missing from the logbook, for each child it may be about.

Pure; the logbook (bot.domain.logbook) reads the children and totals and keeps the claims
waiting for a button.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from bot.domain.log_results import ChildTotal
from bot.domain.miles import NOT_MILES, Claim, Parsed
from bot.domain.miles_words import ACTIVITY_DONE
from storage.children import ChildRecord

ALL = "all"
# The parser reads "Emma ran for 20 minutes" as no log, with its reason (minutes are not
# distance), and says the same of "the drive is 3 hrs". A message that says a child did
# something, or names one, is a log in the wrong unit and gets that reason; else the FAQ answers.
DID = ACTIVITY_DONE | {"raced", "sprinted", "did"}
_WORDS = re.compile(r"[a-z]+")


def assign(claims: Sequence[Claim], choice: str, kids: list[ChildRecord]
           ) -> tuple[Claim, ...] | None:
    """The claims with the chosen children filled in: one child's id, two joined by "-"
    (which two of "both"), or every child for "all". When every claim names its child (the
    miles missing from a stated total, one claim per child), the chosen children's claims."""
    if choice in ("yes", "again"):
        return tuple(claims)
    ids = choice.split("-")
    chosen = kids if choice == ALL else [c for c in kids if str(c.id) in ids]
    if not chosen or (choice != ALL and len(chosen) != len(ids)):
        return None
    if claims and all(c.child is not None for c in claims):
        names = {c.first_name.lower() for c in chosen}
        picked = tuple(c for c in claims if (c.child or "").lower() in names)
        return picked or None
    out: list[Claim] = []
    for claim in claims:
        if claim.child is not None:
            out.append(claim)
            continue
        out.extend(Claim(c.first_name, claim.miles, claim.day, claim.activity) for c in chosen)
    return tuple(out)


def compare_total(stated: Sequence[Claim], kids: Sequence[ChildRecord], totals: dict[int, int]
                  ) -> tuple[ChildTotal, ...]:
    """Each child the stated total may be about (those named, else every child), with their
    logged miles and how many more the statement says they ran (each named child's own total
    when the message states one for each)."""
    own = {c.child.lower(): round(c.miles * 100) for c in stated if c.child}
    named = [c for c in kids if c.first_name.lower() in own]
    anyone = round(stated[0].miles * 100)
    return tuple(ChildTotal(c.id, c.name, c.first_name, totals.get(c.id, 0) / 100,
                            (own.get(c.first_name.lower(), anyone) - totals.get(c.id, 0)) / 100,
                            own.get(c.first_name.lower(), anyone) / 100)
                 for c in (named or kids))


def missing_claims(rows: Sequence[ChildTotal], today: dt.date, cap: float
                   ) -> tuple[Claim, ...]:
    """The miles missing from the logbook, to log for today on a button: only where they are
    more than nothing and fit in one day (more is told day by day)."""
    return tuple(Claim(r.first_name, r.more, today, None) for r in rows if 0 < r.more <= cap)


def wrong_unit_of_a_run(parsed: Parsed, text: str, kids: Sequence[ChildRecord],
                        explicit: bool) -> bool:
    """A log in the wrong unit, to refuse with its reason (else the FAQ takes the message)."""
    return _wrong_unit(parsed) and (explicit or _about_a_run(text, kids))


def _wrong_unit(parsed: Parsed) -> bool:
    """No log only because of its unit: minutes, steps, a range of miles."""
    return parsed.reason is not None and parsed.reason.code in NOT_MILES.values()


def _about_a_run(text: str, kids: Sequence[ChildRecord]) -> bool:
    """Whether a message tells what a child did ("Emma ran for 20 minutes"), not asks."""
    words = set(_WORDS.findall(text.lower()))
    return bool(words & DID) or any(c.first_name.lower() in words for c in kids)
