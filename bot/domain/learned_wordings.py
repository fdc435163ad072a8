"""Pure rules of the FAQ's learning: which wordings may become an entry's alternate, how many
families asked them, and the id of an entry an organizer writes."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping

from bot.domain.unanswered import AskedQuestion
from faq.kb import MAX_ENTRY_ID, Entry, clean_text
from faq.normalize import clean

Terms = Callable[[str], Mapping[str, float]]
MAX_TEXT = 300  # a phrasing longer than this is a story, not a way of asking (bot.domain.junk)
MAX_TOPIC = 120
MAX_ANSWER = 3500  # an answer goes out in one Telegram message (4096) with its heading


def known_families(questions: Iterable[AskedQuestion]) -> int:
    """Different chats that asked. A question whose asker was forgotten (the retention period)
    does not count: nothing tells it apart from the others, and one family asking three times
    must not teach the bot a wording as if three had."""
    return len({q.asker for q in questions if q.asker is not None})


def adds_nothing(text: str, entry: Entry, terms: Terms) -> bool:
    """The entry has this wording already: the same words, or the same topic words as the
    matcher reads them (a second phrasing with the same topic words scores the same)."""
    key = clean(text)
    topic = frozenset(terms(text))
    return any(key == clean(p) or (topic and topic == frozenset(terms(p)))
               for p in entry.phrasings)


def names_anyone(text: str, names: Iterable[str]) -> bool:
    """Whether the text names one of these (children's first names, one-word school names):
    "does emma need a water bottle" is one family's question, not a wording to learn."""
    words = set(re.findall(r"[^\W\d_]+", text.casefold()))
    return any(name.casefold() in words for name in names if " " not in name.strip())


def decided_before(wordings: Iterable[str], known: Iterable[str]) -> bool:
    """One of the group's wordings was proposed for the entry already (whatever an organizer
    decided): the group's most-asked wording may have changed since, not its question."""
    seen = {clean(k) for k in known}
    return any(clean(w) in seen for w in wordings)


def one_line(text: str | None, limit: int) -> str | None:
    """The text on one line; None when empty or over `limit` characters."""
    cleaned = clean_text(text)  # as the YAML loader cleans a field
    return cleaned if cleaned and len(cleaned) <= limit else None


def entry_id_for(question: str, taken: Iterable[str]) -> str:
    """An id for a new entry: its question's words, lowercase, joined by "-", at most
    MAX_ENTRY_ID characters and not one of `taken` ("-2", "-3"... added when it is)."""
    ascii_text = unicodedata.normalize("NFKD", question).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    base = ""
    for word in words:
        longer = f"{base}-{word}" if base else word
        if len(longer) > MAX_ENTRY_ID:
            break
        base = longer
    if not base:
        base = words[0][:MAX_ENTRY_ID] if words else "entry"
    used = set(taken)
    found, number = base, 2
    while found in used:
        suffix = f"-{number}"
        found = base[:MAX_ENTRY_ID - len(suffix)].rstrip("-") + suffix
        number += 1
    return found
