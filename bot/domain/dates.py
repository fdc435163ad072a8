"""Days as families write them: "yesterday", "on tues", "11/3", "Nov 20th", "2 days ago".

The days half of reading a mile log (`bot.domain.numbers` reads the amounts). Each day found is
swapped for a marker the tokenizer turns into a date token, so "11/3" is never read as a
fraction of a mile and "2 days ago" never as 2 miles. Pure, standard library only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta

from bot.domain.numbers import END, MARK

WEEKDAYS = {"monday": 0, "mon": 0, "tuesday": 1, "tues": 1, "tue": 1, "wednesday": 2, "weds": 2,
            "wed": 2, "thursday": 3, "thurs": 3, "thur": 3, "thu": 3, "friday": 4, "fri": 4,
            "saturday": 5, "sat": 5, "sunday": 6, "sun": 6}
MONTHS = {name: n for n, names in enumerate(
    ("january jan", "february feb", "march mar", "april apr", "may", "june jun", "july jul",
     "august aug", "september sept sep", "october oct", "november nov", "december dec"), start=1)
    for name in names.split()}
_DAYS_BACK = {"the day before yesterday": 2, "yesterday": 1, "last night": 1, "today": 0,
              "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0,
              "tomorrow": -1}
_SMALL = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}


def _either(words: Iterable[str]) -> str:
    """A regex alternation, longest first, spaces as \\s."""
    return "|".join(w.replace(" ", r"\s") for w in sorted(words, key=len, reverse=True))


_DATE = re.compile(rf"""
    \b(?P<iy>\d{{4}})-(?P<im>\d{{1,2}})-(?P<id>\d{{1,2}})\b
  | (?<![\d/.])(?P<sm>\d{{1,2}})/(?P<sd>\d{{1,2}})(?:/(?P<sy>\d{{4}}|\d{{2}}))?(?![\d/])
  | \b(?P<mon>{_either(MONTHS)})\.?\s(?P<md>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s(?P<my>\d{{4}})\b)?
  | \b(?P<ago>\d{{1,2}}|{_either(_SMALL)})\s(?P<agounit>days?|weeks?)\sago\b
  | \b(?P<rel>{_either(_DAYS_BACK)})\b
  | \b(?:(?P<wp>last|past|this|on)\s)?(?P<wd>{_either(WEEKDAYS)})\b
""", re.I | re.X)
_UNIT_AHEAD = re.compile(r"\s*(?:of\s+an?\s+)?(?:mi|miles?|k|km|laps?|blocks?)\b", re.I)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_day(today: date, month: int, day: int) -> date | None:
    """Month/day in this year, or last year if this year's is months ahead: "11/25" on Nov 23
    is a date in the future (refused as such), "12/30" on Jan 2 is last December."""
    found = _safe_date(today.year, month, day)
    if found and (found - today).days > 31:
        return _safe_date(today.year - 1, month, day)
    return found


def _is_fraction(m: re.Match[str]) -> bool:
    """Is "1/2" a fraction (1/2 mile, 1 1/2, Emma 3/4) rather than a date (on 11/3)?"""
    if not m["sm"] or m["sy"]:
        return False
    top, bottom = int(m["sm"]), int(m["sd"])
    before, after = m.string[max(0, m.start() - 12):m.start()], m.string[m.end():m.end() + 20]
    if _UNIT_AHEAD.match(after) or re.search(r"\d\s$", before):
        return True
    if re.search(r"\b(?:on|for|from|since|mi|miles?|k|km|laps?|blocks?)\s$", before, re.I):
        return False  # "on 11/3", "1 mile 8/10"
    return bottom in (2, 3, 4, 5, 8, 10) and top < bottom


def _date_of(m: re.Match[str], today: date) -> date | None:
    if m["iy"]:
        return _safe_date(int(m["iy"]), int(m["im"]), int(m["id"]))
    if m["sm"] and m["sy"]:
        year = int(m["sy"]) + (2000 if len(m["sy"]) == 2 else 0)
        return _safe_date(year, int(m["sm"]), int(m["sd"]))
    if m["sm"]:
        return _month_day(today, int(m["sm"]), int(m["sd"]))
    if m["mon"]:
        month, day = MONTHS[m["mon"].lower()], int(m["md"])
        return _safe_date(int(m["my"]), month, day) if m["my"] else _month_day(today, month, day)
    if m["ago"]:
        n = _SMALL.get(m["ago"].lower()) or int(m["ago"])
        return today - timedelta(days=n * (7 if m["agounit"].lower().startswith("w") else 1))
    if m["rel"]:
        return today - timedelta(days=_DAYS_BACK[" ".join(m["rel"].lower().split())])
    back = (today.weekday() - WEEKDAYS[m["wd"].lower()]) % 7  # 0 when today is that day
    last = (m["wp"] or "").lower() in ("last", "past")
    return today - timedelta(days=7 if back == 0 and last else back)


def take_dates(text: str, today: date) -> tuple[str, list[date | None]]:
    """Swap each day in the text for a date marker; return the text and the days (None: unreadable).

    "sat" and "sun" count only after on/last/this ("sat out", "in the sun" are not days).
    """
    found: list[date | None] = []

    def swap(m: re.Match[str]) -> str:
        if _is_fraction(m) or (m["wd"] and not m["wp"] and m["wd"].lower() in ("sat", "sun")):
            return m[0]
        found.append(_date_of(m, today))
        return f" {MARK}D{len(found) - 1}{END} "

    return _DATE.sub(swap, text), found
