"""Turn a parent's message into the topic words the matcher compares.

Parents type "wat time shud we get ther w my kiddo??". Before any comparison that becomes the
few words that carry the topic ("arrive", "child"), each with a weight saying how informative
it is: rare words count more than everyday ones, filler counts not at all.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping

import snowballstemmer
from rapidfuzz import process
from rapidfuzz.distance import OSA

from faq.lexicon import (
    CONTRACTIONS,
    OPENERS,
    PHRASES,
    QUESTION_TYPES,
    STOPWORDS,
    SYNONYMS,
    TOKEN_REWRITES,
)

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
_CONTRACTION = re.compile("|".join(re.escape(k) for k in sorted(CONTRACTIONS, key=len)[::-1]))
_TOKEN = re.compile(r"[a-z0-9]+(?:\.[0-9]+)?")
_MIN_KNOWN_COUNT = 20  # below this a dictionary word is more likely a typo than a word
_CORRECTION_CACHE_SIZE = 20_000
# Numbers rarely name a topic ("my 2 kids", "need 2 be there"); they count, but little.
_NUMBER_INFORMATIVENESS = 0.2


@functools.cache
def _stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("english")


@functools.cache
def english_counts() -> tuple[Mapping[str, int], int]:
    """English word counts (a large subtitle corpus), loaded once on first use."""
    from spellchecker import SpellChecker

    frequency = SpellChecker(language="en", distance=1).word_frequency
    return frequency.dictionary, frequency.total_words


def stem(word: str) -> str:
    stemmed: str = _stemmer().stemWord(word)  # snowballstemmer has no type information
    return stemmed


def clean(text: str) -> str:
    """Lowercase, fold accents and apostrophes, expand contractions, drop punctuation/emoji."""
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).lower()
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = _CONTRACTION.sub(lambda m: CONTRACTIONS[m.group(0)], text)
    return " ".join(_TOKEN.findall(text))


def _rewrite_phrases(words: list[str]) -> list[str]:
    text = f" {' '.join(words)} "
    for phrase, replacement in _PHRASES_LONGEST_FIRST:
        if f" {phrase} " in text:
            text = text.replace(f" {phrase} ", f" {replacement} ")
    return text.split()


_PHRASES_LONGEST_FIRST = sorted(PHRASES.items(), key=lambda kv: -len(kv[0]))


def words(text: str) -> list[str]:
    """Surface words after chat spelling and multi-word phrases are rewritten."""
    out: list[str] = []
    for token in clean(text).split():
        out.extend(TOKEN_REWRITES.get(token, token).split())
    return _rewrite_phrases(out)


def asks(text: str, opening_only: bool = True) -> frozenset[str]:
    """What a text asks for ("place", "time", "person"), read from its question words.

    A parent's question is read at its opening only: in "we live far from where the race is"
    the "where" asks nothing. An entry's phrasings are read whole, so an entry is credited with
    every kind of question it was written to answer.
    """
    tokens = words(text)
    if opening_only:
        while tokens and tokens[0] in OPENERS:
            tokens = tokens[1:]
        tokens = tokens[:3]
    found: set[str] = set()
    for i, word in enumerate(tokens):
        kind = QUESTION_TYPES.get(" ".join(tokens[i : i + 2])) or QUESTION_TYPES.get(word)
        if kind:
            found.add(kind)
    return frozenset(found)


_CANONICAL: dict[str, str] = {w: head for head, group in SYNONYMS.items() for w in group}


@functools.cache
def _canonical_stems() -> dict[str, str]:
    stems: dict[str, str] = {}
    for word, head in _CANONICAL.items():
        stems.setdefault(stem(word), head)
    return stems


def canonical(word: str) -> str:
    """The concept a word stands for: its synonym group's head, else its stem."""
    if word in _CANONICAL:
        return _CANONICAL[word]
    stemmed = stem(word)
    return _canonical_stems().get(stemmed, stemmed)


def informativeness(word: str) -> float:
    """0.1 for everyday words up to 1.0 for rare or unknown ones (log of corpus rarity)."""
    if word.replace(".", "", 1).isdigit():
        return _NUMBER_INFORMATIVENESS
    counts, total = english_counts()
    count = counts.get(word, 0)
    if count < _MIN_KNOWN_COUNT:
        return 1.0
    rarity = math.log10(total / count)
    return min(1.0, max(0.1, (rarity - 2.5) / 3.0))


class Normalizer:
    """Knows one knowledge base's vocabulary, so typos are corrected towards its words."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        known = set(vocabulary) | STOPWORDS | set(_CANONICAL)
        known |= {w for v in TOKEN_REWRITES.values() for w in v.split()}
        self._vocabulary = sorted(w for w in known if len(w) >= 3 and not w.isdigit())
        self._vocabulary_set = frozenset(self._vocabulary)
        self._corrections: dict[str, str] = {}

    def is_known(self, word: str) -> bool:
        counts, _ = english_counts()
        return word in self._vocabulary_set or counts.get(word, 0) >= _MIN_KNOWN_COUNT

    def correct(self, word: str) -> str:
        """The knowledge-base word a misspelling most likely meant, or the word itself."""
        if len(word) < 4 or word.isdigit() or self.is_known(word):
            return word
        cached = self._corrections.get(word)
        if cached is not None:
            return cached
        max_edits = 1 if len(word) <= 5 else 2
        counts, _ = english_counts()
        candidates = [
            (distance, word[0] != candidate[0], -counts.get(candidate, 0), candidate)
            for candidate, distance, _ in process.extract(
                word, self._vocabulary, scorer=OSA.distance, score_cutoff=max_edits, limit=8
            )
        ]
        # Fewest edits wins; then a candidate keeping the first letter; then the commoner word.
        best = min(candidates, default=None)
        result = word if best is None or (best[0] > 1 and best[1]) else best[3]
        if len(self._corrections) < _CORRECTION_CACHE_SIZE:
            self._corrections[word] = result
        return result

    def terms(self, text: str) -> dict[str, float]:
        """Topic concepts of a text with their informativeness; filler dropped."""
        out: dict[str, float] = {}
        for word in words(text):
            if word in STOPWORDS or (len(word) == 1 and not word.isdigit()):
                continue
            word = self.correct(word)
            if word in STOPWORDS:
                continue
            concept = canonical(word)
            out[concept] = max(out.get(concept, 0.0), informativeness(word))
        return out
