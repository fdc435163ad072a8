"""Find the knowledge-base entry a parent's question is asking for, or admit it is unsure.

A wrong confident answer is the worst outcome (a parent acts on it), so the matcher answers only
when the question's informative words are explained by one entry and no other entry comes
close; otherwise it offers up to three entries to choose from, or none.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz

from faq.kb import Entry, KnowledgeBase
from faq.normalize import Normalizer, clean

Outcome = Literal["answer", "suggest", "none"]


@dataclass(frozen=True)
class Thresholds:
    """Tuned on tests/data/faq_eval_dev.yaml; the held-out set only reports."""

    confident: float = 0.55
    coverage: float = 0.70
    margin: float = 0.10
    # A clear winner (far ahead of every other entry) may leave more of a chatty question
    # unexplained: "does he need real running shoes or are his regular sneakers ok".
    clear_score: float = 0.60
    clear_coverage: float = 0.55
    clear_margin: float = 0.30
    suggest: float = 0.40
    suggest_window: float = 0.30
    max_suggestions: int = 3


@dataclass(frozen=True)
class Scored:
    entry: Entry
    score: float
    coverage: float  # share of the question's informative weight this entry explains


@dataclass(frozen=True)
class MatchResult:
    question: str
    outcome: Outcome
    best: Scored | None
    suggestions: tuple[Scored, ...] = ()
    understood: bool = True  # False when the question had no topic words at all ("when?")

    @property
    def confident(self) -> bool:
        return self.outcome == "answer"

    @property
    def entry(self) -> Entry | None:
        return self.best.entry if self.confident and self.best else None


@dataclass(frozen=True)
class _Phrasing:
    entry_index: int
    position: int  # index into Entry.phrasings
    weights: dict[str, float]
    total: float
    text: str


class Matcher:
    """Scores questions against one program's knowledge base. Pure: no I/O after construction."""

    def __init__(self, kb: KnowledgeBase, thresholds: Thresholds | None = None) -> None:
        self.kb = kb
        self.thresholds = thresholds or Thresholds()
        vocabulary = {
            w
            for e in kb.entries
            for phrase in (*e.phrasings, e.answer)
            for w in clean(phrase).split()
            if w.isalpha()
        }
        self.normalizer = Normalizer(vocabulary)
        raw = [
            (i, pos, self.normalizer.terms(text), text)
            for i, e in enumerate(kb.entries)
            for pos, text in enumerate(e.phrasings)
        ]
        self._idf = self._inverse_entry_frequency(raw, len(kb.entries))
        self._phrasings: list[_Phrasing] = []
        self._index: dict[str, list[int]] = {}
        for i, pos, terms, _text in raw:
            weights = {t: self._weight(t, info) for t, info in terms.items()}
            self._phrasings.append(
                _Phrasing(i, pos, weights, sum(weights.values()), " ".join(sorted(weights)))
            )
            for term in weights:
                self._index.setdefault(term, []).append(len(self._phrasings) - 1)
        # An entry "explains" a question word its phrasings or its answer use: "pasta" is only
        # in the food answer, and a parent asking about pasta is asking about food.
        self._entry_terms = [
            frozenset(t for p in self._phrasings if p.entry_index == i for t in p.weights)
            | frozenset(self.normalizer.terms(e.answer))
            for i, e in enumerate(kb.entries)
        ]

    @staticmethod
    def _inverse_entry_frequency(raw: list, n_entries: int) -> dict[str, float]:
        """Per term, how few entries use it (1.0 = a single entry), so shared words count less."""
        entries_with: dict[str, set[int]] = {}
        for i, _pos, terms, _text in raw:
            for term in terms:
                entries_with.setdefault(term, set()).add(i)
        top = math.log(n_entries + 1)
        return {t: math.log((n_entries + 1) / len(ids)) / top for t, ids in entries_with.items()}

    def _weight(self, term: str, info: float) -> float:
        return info * (0.35 + 0.65 * self._idf.get(term, 1.0))

    def terms(self, question: str) -> dict[str, float]:
        """The question's weighted topic terms (public for `faq check` and debugging)."""
        return {t: self._weight(t, info) for t, info in self.normalizer.terms(question).items()}

    def rank(self, question: str, exclude: tuple[int, int] | None = None) -> list[Scored]:
        """Entries that share a topic word with the question, best first.

        `exclude` leaves out one phrasing (entry index, position): `faq check` asks whether a
        phrasing would still find its own entry without itself.
        """
        query = self.terms(question)
        total = sum(query.values())
        if not total:
            return []
        best: dict[int, tuple[float, int]] = {}
        visited: set[int] = set()
        for term in query:
            for p_index in self._index.get(term, ()):
                if p_index in visited:
                    continue
                visited.add(p_index)
                p = self._phrasings[p_index]
                if exclude == (p.entry_index, p.position):
                    continue
                shared = query.keys() & p.weights.keys()
                recall = sum(query[t] for t in shared) / total
                precision = sum(p.weights[t] for t in shared) / p.total
                score = 0.6 * recall + 0.4 * precision
                if score > best.get(p.entry_index, (-1.0, -1))[0]:
                    best[p.entry_index] = (score, p_index)
        scored: list[Scored] = []
        query_text = " ".join(sorted(query))
        for i, (score, p_index) in best.items():
            coverage = sum(w for t, w in query.items() if t in self._entry_terms[i]) / total
            shape = fuzz.token_set_ratio(query_text, self._phrasings[p_index].text) / 100
            combined = 0.7 * score + 0.2 * coverage + 0.1 * shape
            scored.append(Scored(self.kb.entries[i], round(combined, 4), round(coverage, 4)))
        scored.sort(key=lambda s: (-s.score, s.entry.id))
        return scored

    def match(self, question: str) -> MatchResult:
        """Answer, suggest, or abstain: the three outcomes the bot renders."""
        t = self.thresholds
        ranked = self.rank(question)
        if not ranked:
            return MatchResult(question, "none", None, understood=bool(self.terms(question)))
        top = ranked[0]
        runner_up = ranked[1].score if len(ranked) > 1 else 0.0
        margin = top.score - runner_up
        well_covered = top.score >= t.confident and top.coverage >= t.coverage and (
            margin >= t.margin
        )
        clear_winner = top.score >= t.clear_score and top.coverage >= t.clear_coverage and (
            margin >= t.clear_margin
        )
        if well_covered or clear_winner:
            return MatchResult(question, "answer", top)
        if top.score < t.suggest:
            return MatchResult(question, "none", top)
        floor = max(t.suggest, top.score - t.suggest_window)
        options = tuple(s for s in ranked[: t.max_suggestions] if s.score >= floor)
        return MatchResult(question, "suggest", top, options)
