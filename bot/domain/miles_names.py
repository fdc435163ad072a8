"""Who a mile log is about: the family's children named in it, names the bot doesn't know, and
which amounts go with which names ("Emma 1, Jack 2", "Emma and Jack 1 each", "1 mile for Emma").

Part of the mile parser (`bot.domain.miles`); the message reader calls these on its tokens.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.domain.miles_words import JOINERS, KNOWN_WORDS, ORDINARY_WORDS, VERBS
from bot.domain.numbers import Quantity, Token, low

Who = tuple[str, str]  # ("kid", name), ("all", ""), ("both", ""), ("unknown", name as written)
Item = tuple[int, int, Who | Quantity]  # start, end, what


@functools.lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Lower case, no accents, no apostrophes or possessive: how names are compared."""
    text = unicodedata.normalize("NFKD", text.lower().replace("’", "'").removesuffix("'s"))
    text = "".join(c for c in text if not unicodedata.combining(c) and c != "'")
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def find_children(tokens: list[Token], children: Sequence[str]) -> list[tuple[int, int, str]]:
    """(start, end, name) of each mention of a known child, longest names first."""
    keys = sorted(((fold(c).split(), c) for c in children if fold(c)), key=lambda k: -len(k[0]))

    def mentions(i: int, parts: list[str]) -> bool:
        window = tokens[i:i + len(parts)]
        return (len(window) == len(parts)
                and [fold(t.text) if t.kind == "word" else "" for t in window] == parts
                and (window[0].text[:1].isupper() or not ORDINARY_WORDS & set(parts)))

    found, i = [], 0
    while i < len(tokens):
        hit = next(((parts, name) for parts, name in keys if mentions(i, parts)), None)
        if hit:
            found.append((i, i + len(hit[0]), hit[1]))
        i += len(hit[0]) if hit else 1
    return found


def looks_like_a_name(tokens: list[Token], i: int, kids_at: dict[int, str]) -> bool:
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


NOT_A_NAME = frozenset({"that", "this", "it", "there", "here", "what", "which", "today"})


def total_subjects(tokens: list[Token], kids_at: dict[int, str], unknown_at: set[int]
                   ) -> set[int]:
    """Capitalized words we don't know that a running total is said of ("Lily's at 4 miles",
    "Lily is at 4"): a child the bot does not know, never one of the family's by default.
    With `unknown_at` (names found otherwise), minus words that are no name ("That's 12")."""
    found = {i for i in unknown_at if tokens[i].base not in NOT_A_NAME}
    for i, t in enumerate(tokens):
        if t.base in NOT_A_NAME:
            continue
        if (t.kind != "word" or not t.text[:1].isupper() or not t.base.isalpha()
                or len(t.base) < 2 or i in kids_at
                or t.base in KNOWN_WORDS or t.low in KNOWN_WORDS):
            continue
        if t.low.endswith("'s") or low(tokens, i + 1) in ("is", "has", "hit", "was"):
            found.add(i)
    return found


@dataclass
class Group:
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


def names_follow(items: list[Item], unread: Sequence[int]) -> bool:
    """Does the message start with an amount ("1 mile for Emma"), read or not?"""
    return bool(items) and (isinstance(items[0][2], Quantity) or min(unread, default=items[0][0])
                            < items[0][0])


def group(tokens: list[Token], items: list[Item], unread: Sequence[int] = ()) -> list[Group]:
    """Pair names with amounts: "Emma 1, Jack 2", "Emma and Jack 1 each", "1 mile for Emma".

    Names come before their amounts, unless the message starts with an amount; then after.
    `unread`: where amounts that could not be read start; their name gets none of the others'
    ("1 mile for Emma, 0.5 walked for Jack" gives Jack nothing, not Emma's mile).
    """
    groups: list[Group] = []
    postfix = names_follow(items, unread)
    for start, end, item in items:
        cur = groups[-1] if groups else None
        if isinstance(item, Quantity):
            if cur is None or cur.closed or (postfix and cur.whos):
                groups.append(cur := Group())
            cur.qtys.append(item)
        elif postfix and (cur is None or any(cur.last_end <= k < start for k in unread)):
            groups.append(cur := Group(whos=[item], closed=True))
        elif cur is not None and postfix:
            cur.whos.append(item)
        elif cur and cur.qtys and _shares(tokens, start, end):
            cur.whos.append(item)  # "Emma ran a mile with Jack", "Jack too", "so did Jack"
            cur.closed = True
        elif cur and cur.whos and not cur.qtys and all(
                t.low in JOINERS for t in tokens[cur.last_end:start]):
            cur.whos.append(item)  # "Emma and Jack", "both kids"
        else:
            groups.append(cur := Group(whos=[item]))
        cur.last_end = end
    return groups
