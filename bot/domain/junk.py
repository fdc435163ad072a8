"""Which kept messages are not questions an organizer could answer: the unanswered list leaves
them out.

What the bot keeps for organizers is whatever the FAQ could not answer, and some of it is not a
question at all: "ok", "thanks", emoji, a child's name or grade typed where the bot was not
asking for one, a pasted 5,000-character email, SQL or code someone tried on the bot. Pure:
`junk(text, names)` says why a text is junk, or None when it is worth an organizer's time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum

from faq.normalize import clean
from faq.smalltalk import ChatKind, classify_chat

MAX_QUESTION_CHARS = 300  # longer is a story or a pasted document, not an FAQ question
MAX_SHORT_WORDS = 3  # "Emma Rodriguez", "2nd grade", "Lincoln Elementary"


class Junk(StrEnum):
    TOO_LONG = "too_long"
    CODE = "code"
    NOT_A_QUESTION = "not_a_question"  # "ok", "thanks", "hi", emoji, nothing
    TYPED_INTO_A_FLOW = "typed_into_a_flow"  # a name, a grade, a school, a number


# Smalltalk kinds that are never a question; a question in another language is kept.
_SMALLTALK = frozenset(ChatKind) - {ChatKind.OTHER_LANGUAGE, ChatKind.TOO_LONG}
_QUESTION_WORDS = frozenset({
    "who", "whom", "whose", "what", "whats", "where", "wheres", "when", "whens", "why", "how",
    "hows", "which", "can", "could", "do", "does", "did", "is", "are", "was", "were", "will",
    "would", "should", "shall", "may", "might", "any", "anyone", "anybody", "need", "needs",
    "help", "info", "information", "please", "pls", "plz", "wondering", "know", "tell",
    "question"})
_GRADE = re.compile(r"^(?:k|tk|pk|prek|pre|kinder|kindergarten|kindergartner|grade|gr|grader|"
                    r"[0-9]+(?:st|nd|rd|th)?|1[0-2]|first|second|third|fourth|fifth|sixth|"
                    r"seventh|eighth)$")
_SQL = re.compile(
    r"\b(?:select\s+(?:\*|distinct\b|count\s*\(|[\w.]+\s*,)|select\b.{0,80}?\bfrom\s+\w+"
    r"|insert\s+into|delete\s+from|drop\s+(?:table|database|schema)|truncate\s+table"
    r"|alter\s+table|create\s+(?:table|database|index)|update\s+\w+\s+set\b"
    r"|union\s+(?:all\s+)?select|exec(?:ute)?\s+xp_)", re.IGNORECASE | re.DOTALL)
_SQL_PUNCTUATION = re.compile(r"[;*=]|--")
_SQL_UPPER = re.compile(r"\b(?:SELECT|INSERT|DELETE|DROP|UPDATE|UNION|FROM|WHERE|TABLE|INTO)\b")
_INJECTION = re.compile(r"'\s*(?:or|and)\s+'?\w+'?\s*=\s*'?\w+|'\s*;\s*--|;\s*--|"
                        r"\b(?:or|and)\s+1\s*=\s*1\b|/\*.*?\*/", re.IGNORECASE | re.DOTALL)
_CODE = re.compile(
    r"</?(?:script|html|head|body|div|span|img|iframe|svg|a|p|br|style|form|input)\b[^>]*>"
    r"|<\?php|\$\{|\{\{|\}\}|=>|\bfunction\s*\w*\s*\([^()]*\)\s*\{|\bdef\s+\w+\s*\("
    r"|^\s*from\s+[\w.]+\s+import\b|#include\b|console\.log|\b(?:print|eval|alert)\("
    r"|document\.\w+|\b(?:var|const)\s+\w+\s*=|\w+\([^()\n]*\)\s*[;{]|```|\.\./\.\./"
    r"|\brm\s+-rf\b|\bcurl\s+-|\bwget\s+https?:|\bchmod\s+\d|\bsudo\s+\w+",
    re.IGNORECASE | re.MULTILINE)
_CODE_CHARS = frozenset("{}[]<>;=$\\|`")
_WORD = re.compile(r"\S+")


def junk(text: str, names: Iterable[str] = ()) -> Junk | None:
    """Why `text` is not worth an organizer's time, or None when it may be a question.

    `names` are words parents type into the bot's own questions in this program: children's
    first names and schools. A message made of them alone was typed into a conversation (a
    child's name sent while /addkid was not waiting for it), not asked.
    """
    stripped = text.strip()
    if len(stripped) > MAX_QUESTION_CHARS:
        return Junk.TOO_LONG
    if looks_like_code(stripped):
        return Junk.CODE
    if classify_chat(stripped) in _SMALLTALK:
        return Junk.NOT_A_QUESTION
    if typed_into_a_flow(stripped, names):
        return Junk.TYPED_INTO_A_FLOW
    return None


def looks_like_code(text: str) -> bool:
    """SQL, HTML, a program or a shell command, rather than words to a person."""
    if _INJECTION.search(text) or _CODE.search(text):
        return True
    if _SQL.search(text) and (_SQL_PUNCTUATION.search(text)
                              or (_SQL_UPPER.search(text) and not text.isupper())):
        return True  # "can I select a shirt size from the list" is neither
    symbols = sum(1 for c in text if c in _CODE_CHARS)
    return symbols >= 4 and symbols >= 0.08 * len(text)


def typed_into_a_flow(text: str, names: Iterable[str] = ()) -> bool:
    """A child's name, initial, grade, school or a number alone: an answer to a question the
    bot asks while adding a child, sent when it was not asking."""
    tokens = clean(text).split()
    if not tokens:
        return False
    known = {word for name in names for word in clean(name).split()}
    if all(t in known or t == "and" or _GRADE.match(t) or len(t) == 1 for t in tokens):
        return True
    if "?" in text or len(tokens) > MAX_SHORT_WORDS or _QUESTION_WORDS & set(tokens):
        return False
    # "Emma Rodriguez", "Lincoln Elementary": every word a capitalised name, no question.
    words = _WORD.findall(text)
    return len(words) >= 2 and all(w[:1].isupper() for w in words)
