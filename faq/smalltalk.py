"""Recognize messages that are not questions: greetings, thanks, emoji, other languages, and
a button's label typed as a message.

"thanks!" must never be answered with the refund policy, nor "Cancel" typed after its buttons
were gone, so these are sorted out before the matcher is asked anything.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum

from faq.normalize import clean, words

MAX_QUESTION_CHARS = 500


class ChatKind(StrEnum):
    EMPTY = "empty"
    GREETING = "greeting"
    THANKS = "thanks"
    BYE = "bye"
    ACK = "ack"
    HOW_ARE_YOU = "how_are_you"
    ABOUT_BOT = "about_bot"
    EMOJI = "emoji"
    OTHER_LANGUAGE = "other_language"
    TOO_LONG = "too_long"
    BUTTON = "button"  # a button's label or a menu word typed: "Cancel", "None of these", "Back"


_GREETING = {"hi", "hello", "hey", "hiya", "howdy", "yo", "morning", "afternoon", "evening",
             "good", "there", "everyone", "all", "team", "coach", "bot", "sup", "greetings"}
_THANKS = {"thanks", "thank", "you", "so", "much", "very", "appreciate", "it", "great",
           "awesome", "perfect", "helpful", "that", "was", "this", "is", "a", "lot", "tons",
           "many", "cheers", "ok", "okay", "thx", "super", "really"}
_BYE = {"bye", "goodbye", "good", "night", "see", "you", "later", "ya", "cya", "ttyl", "take",
        "care", "have", "a", "nice", "day"}
_ACK = {"ok", "okay", "k", "kk", "cool", "great", "got", "it", "sounds", "good", "nice", "yes",
        "no", "yep", "yeah", "nope", "sure", "alright", "lol", "haha", "hahaha", "hmm", "oh",
        "ah", "i", "see", "understood", "perfect", "awesome", "will", "do", "wow"}
# The words of the bot's own buttons and of menus in general: a message made only of these is a
# button pressed by typing, never a question ("Cancel" is not asking about refunds). Not
# "schedule": a parent typing it alone is asking when practice is.
_BUTTON_MARKERS = {"cancel", "none", "back", "done", "skip", "menu", "undo", "older", "newer",
                   "next", "previous", "prev", "exit", "quit", "close", "continue", "confirm",
                   "send", "topics"}
_BUTTON = {"of", "these", "go", "main", "all", "now", "yes", "no", "keep", "it", "log",
           "again", "delete", "erase", "everything", "ok", "okay", "please", "the", "to",
           "that", "this", "them", "was", "a", "repeat", "one", "school"}
_MAX_BUTTON_WORDS = 6
_HOW_ARE_YOU = re.compile(r"\bhow (are|r) (you|u)\b|\bhow is it going\b|\bwhat is up\b")
_ABOUT_BOT = re.compile(
    r"^(who|what) are you\b|\bare you (a )?(bot|robot|human|real|person)\b"
    r"|^what can you do\b|^how does this (bot )?work\b|^what is this( bot)?$"
)
# Frequent Spanish words a question in Spanish almost always contains and English never does.
_SPANISH = {"que", "cuando", "donde", "como", "puedo", "puede", "hijo", "hija", "para", "los",
            "las", "por", "carrera", "hora", "nino", "nina", "ninos", "gracias", "hola",
            "cuanto", "cuesta", "mi", "es", "el", "la", "del", "una", "tiene", "hay", "pueden",
            "correr", "padres", "escuela", "llegar", "reembolso", "quiero", "necesito"}


def _latin_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 1.0
    latin = sum(1 for c in letters if "LATIN" in unicodedata.name(c, ""))
    return latin / len(letters)


def classify_chat(text: str) -> ChatKind | None:
    """The kind of non-question this message is, or None when it should go to the matcher."""
    stripped = text.strip()
    if not stripped:
        return ChatKind.EMPTY
    if len(stripped) > MAX_QUESTION_CHARS:
        return ChatKind.TOO_LONG
    if _latin_share(stripped) < 0.5:
        return ChatKind.OTHER_LANGUAGE
    cleaned = clean(stripped)
    if not cleaned:
        return ChatKind.EMOJI if any(not c.isascii() for c in stripped) else ChatKind.EMPTY
    tokens = cleaned.split()
    spanish = sum(1 for t in tokens if t in _SPANISH)
    if spanish >= 2 and spanish / len(tokens) >= 0.3:
        return ChatKind.OTHER_LANGUAGE
    if _HOW_ARE_YOU.search(cleaned) and len(tokens) <= 6:
        return ChatKind.HOW_ARE_YOU
    if _ABOUT_BOT.search(cleaned):
        return ChatKind.ABOUT_BOT
    surface = set(words(stripped)) | set(tokens)
    for kind, vocabulary, marker in (
        (ChatKind.THANKS, _THANKS, {"thanks", "thank", "appreciate", "cheers", "thx"}),
        (ChatKind.BYE, _BYE, {"bye", "goodbye", "night", "later", "cya", "ttyl", "care"}),
        (ChatKind.GREETING, _GREETING, {"hi", "hello", "hey", "hiya", "howdy", "yo", "morning",
                                        "afternoon", "evening", "sup", "greetings"}),
        (ChatKind.ACK, _ACK, _ACK),
    ):
        if surface & marker and surface <= vocabulary | marker:
            return kind
    if (len(tokens) <= _MAX_BUTTON_WORDS and surface & _BUTTON_MARKERS
            and surface <= _BUTTON | _BUTTON_MARKERS):
        return ChatKind.BUTTON
    return None
