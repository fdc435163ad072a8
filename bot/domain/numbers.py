"""Amounts as families type them: the reading half of `bot.domain.miles`, with `bot.domain.dates`.

`bot.domain.miles` decides what a message *means* (a log? whose?). This module only knows how
people write amounts: "1.5", "1 1/2", "½", "one and a half", "a mile and a quarter", "three
quarters of a mile", "5k", "4 laps". It cleans the text, hides numbers that are not amounts
(phone numbers, clock times, prices, years, "2nd"), splits the rest into tokens (days already
swapped for markers by `bot.domain.dates`) and reads a quantity (an exact `Fraction` and the
unit as written) at a token. Pure, standard library only.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

# A placeholder left in the text where something was hidden: MARK + kind letter + index + END.
# D = a date (index into the list of dates), J = a number that is not an amount, R = a range
# ("2-3 miles"), W = a number too odd to read ("1e309", twenty digits, NaN).
MARK, END = "\ue000", "\ue001"

VULGAR = {"½": "1/2", "⅓": "1/3", "⅔": "2/3", "¼": "1/4", "¾": "3/4", "⅕": "1/5", "⅖": "2/5",
          "⅗": "3/5", "⅘": "4/5", "⅙": "1/6", "⅚": "5/6", "⅛": "1/8", "⅜": "3/8", "⅝": "5/8",
          "⅞": "7/8"}


def words(text: str) -> frozenset[str]:
    """A word set written as one string: words("a b") == {"a", "b"}."""
    return frozenset(text.split())


ONES = {w: n for n, w in enumerate([
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen"])}
TENS = {w: 10 * n for n, w in enumerate(
    ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"], start=2)}
MULTIPLIERS = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9}
UNITS = {
    **dict.fromkeys(("mile", "miles", "mi", "mis"), "mi"),
    **dict.fromkeys(("km", "kms", "k", "kilometer", "kilometers", "kilometre", "kilometres"), "km"),
    **dict.fromkeys(("m", "meter", "meters", "metre", "metres"), "m"),
    **dict.fromkeys(("lap", "laps"), "lap"),
    **dict.fromkeys(("block", "blocks"), "block"),
    **dict.fromkeys(("loop", "loops", "circuit", "circuits"), "loop"),  # of no known length
    **dict.fromkeys(("min", "mins", "minute", "minutes", "hr", "hrs", "hour", "hours", "sec",
                     "secs", "second", "seconds"), "time"),
}
# Words that may sit between a count and its unit: "2 more miles", "a long mile".
FILLER = words("more extra whole full long easy slow fast short hard quick fun additional "
               "hilly rainy muddy big")

_CHARS = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "⁄": "/", "∕": "/", "−": "-",
                        "\r": "\n", "\t": " "})
_REWRITES = [
    (re.compile(r"[\ue000-\uf8ff]"), ""),                       # our placeholder characters
    (re.compile(r"[^\S\n]+"), " "),
    (re.compile(r"\bp\.\s?e\b\.?", re.I), "pe"),                # P.E.
    (re.compile(r"(?<=[^\W_])-(?=[^\W\d_])"), " "),              # half-mile, 1-mile, twenty-five
]
_HIDE = [
    (re.compile(r"\b\d+(?:\.\d+)?e[+-]?\d+\b|\d{10,}(?:\.\d+)?|\d*\.\d{10,}"
                r"|\b(?:nan|inf|infinity|infinite)\b", re.I), "W"),
    (re.compile(r"""
        https?://\S+ | www\.\S+ | [#@]\w+                             # links, #tags, @names
      | \+?\(?\b\d{3}\)?[-. ]?\d{3}[-. ]\d{4}\b                       # a phone number
      | \b\d{1,2}:\d{2}(?::\d{2})?(?:\s?[ap]\.?m\b\.?)?                # 3:30, 3:30pm
      | \b\d{1,2}\s?(?:[ap]\.?m\b\.?|o'?clock\b)                       # 3pm, 3 o'clock
      | [$€£¥]\s?\d[\d,]*(?:\.\d+)?                                    # $29
      | \b\d+(?:\.\d+)?\s?(?:%|percent\b|dollars?\b|bucks\b|cents?\b)
      | \b\d+(?:st|nd|rd|th)\b                                         # 2nd grade
      | \b(?:19|20)\d{2}\b(?!\s?(?:mi|miles?|k|km|laps?|blocks?)\b)    # a year
    """, re.I | re.X), "J"),
    (re.compile(r"(?<![\d.])\d+(?:\.\d+)?\s?[-–—]\s?\d+(?:\.\d+)?(?![\d/])"), "R"),  # 2-3
]
_AMOUNT_FIXES = [
    (re.compile(r"(?<=\d),(?=\d{3}(?!\d))"), ""),                # 1,000
    (re.compile(r"(?<=\d),(?=\d{1,2}(?![\d,]))"), "."),          # 1,5 (a decimal comma)
    (re.compile(r"(?<![\w.])-(?=\.?\d)"), "minus "),             # -2 (not "Emma - 2")
]
_TOKEN = re.compile(rf"""
    {MARK}(?P<mark>[DJRW])(?P<ref>\d*){END}
  | (?P<num>[0-9]+\ [0-9]+/[0-9]+|[0-9]+/[0-9]+|[0-9]+(?:\.[0-9]+)?|\.[0-9]+)
  | (?P<word>[^\W\d_]+(?:'[^\W\d_]+)*)
  | (?P<sep>[,.;!?…\n])
  | (?P<other>\S)
""", re.X)


@dataclass(frozen=True)
class Token:
    """One piece of a message. `kind` is num, word, date, junk, sep or other."""

    text: str
    kind: str
    value: Fraction | None = None  # num: the exact value; None when unreadable
    ref: int = -1  # date: index into the list of dates found

    @property
    def low(self) -> str:
        return self.text.lower()

    @property
    def base(self) -> str:
        """Lower case without a possessive: "Emma's" -> "emma"."""
        return self.low.removesuffix("'s")


@dataclass(frozen=True)
class Quantity:
    """An amount read at tokens[start:end]; `unit` is None when no unit was written."""

    value: Fraction | None  # None: a number too odd to read
    unit: str | None  # mi, km, m, lap, block, loop, time
    start: int
    end: int
    negative: bool = False


def normalize(text: str) -> str:
    """Fold the ways phones type one thing: "1½" -> "1 1/2", curly quotes, full-width digits."""
    text = "".join(f" {VULGAR[c]} " if c in VULGAR else c for c in text)
    text = unicodedata.normalize("NFKC", text).translate(_CHARS)
    for pattern, replacement in _REWRITES:
        text = pattern.sub(replacement, text)
    return text


def hide_non_amounts(text: str) -> str:
    """Replace numbers that are never miles (phones, times, prices, years, ordinals) by markers."""
    for pattern, kind in _HIDE:
        text = pattern.sub(f" {MARK}{kind}{END} ", text)
    for pattern, replacement in _AMOUNT_FIXES:
        text = pattern.sub(replacement, text)
    return text


def _number(text: str) -> Fraction | None:
    whole, _, frac = text.rpartition(" ")
    if "/" in frac:
        top, bottom = frac.split("/")
        if int(bottom) == 0:
            return None
        return Fraction(int(whole or 0)) + Fraction(int(top), int(bottom))
    return Fraction(frac)


def tokenize(text: str) -> list[Token]:
    """Split prepared text into tokens (markers become date/junk/num tokens)."""
    tokens = []
    for m in _TOKEN.finditer(text):
        if m["mark"] == "D":
            tokens.append(Token(m[0], "date", ref=int(m["ref"])))
        elif m["mark"]:
            tokens.append(Token(m["mark"], "num" if m["mark"] == "W" else "junk"))
        elif m["num"]:
            tokens.append(Token(m["num"], "num", value=_number(m["num"])))
        else:
            tokens.append(Token(m[0], m.lastgroup or "other"))
    return tokens


def low(tokens: Sequence[Token], i: int) -> str:
    """The lower-case word at i, or "" past either end."""
    return tokens[i].low if 0 <= i < len(tokens) else ""


def _plus_fraction(tokens: Sequence[Token], j: int, value: Fraction) -> tuple[Fraction, int]:
    """ "... and a half", "... and a quarter", "... and three quarters", "... and 1/2"."""
    if low(tokens, j) not in ("and", "&", "n"):
        return value, j
    a, b = low(tokens, j + 1), low(tokens, j + 2)
    if a in ("a", "an", "one") and b in ("half", "quarter"):
        return value + (Fraction(1, 2) if b == "half" else Fraction(1, 4)), j + 3
    if a in ("three", "3") and b in ("quarter", "quarters"):
        return value + Fraction(3, 4), j + 3
    nxt = tokens[j + 1] if j + 1 < len(tokens) else None
    if nxt and nxt.kind == "num" and nxt.value is not None and 0 < nxt.value < 1:
        return value + nxt.value, j + 2
    return value, j


_PARTS = {"half": Fraction(1, 2), "halves": Fraction(1, 2), "quarter": Fraction(1, 4),
          "quarters": Fraction(1, 4), "couple": Fraction(2)}


def _read_count(tokens: Sequence[Token], i: int) -> tuple[Fraction | None, int] | None:
    """A count: 2, 1.5, "twenty five", "a" (before a unit), "half", "three quarters of a"."""
    t, w, nxt = tokens[i], low(tokens, i), low(tokens, i + 1)
    value: Fraction | None
    if t.kind == "num":
        value, j = t.value, i + 1
    elif w in ONES or w in TENS:
        value, j = Fraction(ONES.get(w, 0) + TENS.get(w, 0)), i + 1
        if w in TENS and 0 < ONES.get(nxt, 0) < 10:
            value, j = value + ONES[nxt], j + 1
    elif w in ("a", "an", "another") and (nxt in _PARTS or nxt in MULTIPLIERS
                                          or UNITS.get(nxt, "time") != "time"):
        value, j = Fraction(1), i + 1  # "a mile", "a half", "another lap", "a hundred"
    elif w in _PARTS:
        value, j = Fraction(1), i
    else:
        return None
    for _ in range(3):
        if low(tokens, j) not in MULTIPLIERS:
            break
        value = None if value is None else value * MULTIPLIERS[low(tokens, j)]
        j += 1
    part = _PARTS.get(low(tokens, j))
    if part is not None:
        value, j = None if value is None else value * part, j + 1
    if part is not None or (value is not None and value < 1):  # "half a mile", "3/4 of a mile"
        j += low(tokens, j) == "of"
        j += low(tokens, j) in ("a", "an") and UNITS.get(low(tokens, j + 1)) is not None
    if value is not None:
        value, j = _plus_fraction(tokens, j, value)
    return value, j


def read_quantity(tokens: Sequence[Token], i: int) -> Quantity | None:
    """The quantity starting at tokens[i], or None if no count starts there."""
    got = _read_count(tokens, i)
    if got is None:
        return None
    value, j = got
    for _ in range(2):
        j += low(tokens, j) in FILLER
    unit = UNITS.get(low(tokens, j))
    if unit == "m" and low(tokens, j) == "m" and (value is None or value < 50):
        unit = None  # "2m" is as likely minutes as meters
    if unit:
        j += 1
        if value is not None and low(tokens, j + 1) in ("a", "an", "three"):
            value, j = _plus_fraction(tokens, j, value)  # "a mile and a half"
    negative = low(tokens, i - 1) in ("minus", "negative")
    return Quantity(value, unit, i, j, negative)
