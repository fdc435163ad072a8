"""Find the knowledge-base entry a parent's question is asking for, or admit it is unsure.

A wrong confident answer is the worst outcome (a parent acts on it), so the matcher answers only
when the question's informative words are explained by one entry and no other entry comes
close; otherwise it offers up to three entries to choose from, or none.

Sharing words is not enough: "how long is the race" shares both its words with "long drive to
the race" (the living-far-away entry). So a high score is held back to choices when the entry
does not explain the question's topic (see `Matcher.doubt`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz

from faq.kb import Entry, KnowledgeBase
from faq.normalize import Normalizer, asks, clean

Outcome = Literal["answer", "suggest", "none"]
_CONTACT = re.compile(r"\S+@\S+\.\w+|\b(contact|email|emailing|reach out)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Thresholds:
    """Tuned on tests/data/faq_eval_dev.yaml and faq_eval_near_dev.yaml; the held-out set only
    reports."""

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
    # (Added last, so positional use of the fields above still works.)
    # A question with a single topic word the entry explains, and another informative word
    # (corpus informativeness, not KB-weighted) it does not, is about something else:
    # "what if it rains on race day" is not the practices entry's "is practice still on if it
    # rains". Longer questions explain themselves with two or more topic words and may carry
    # chatter ("we homeschool, can my kids...").
    unexplained_informative: float = 0.5
    explained_topics: int = 2


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
    withheld: str | None = None  # why a high-scoring entry was only offered (Matcher.doubt)

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
    asks: frozenset[str]  # what this phrasing asks for: "place", "time", "person"


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
        for i, pos, terms, text in raw:
            weights = {t: self._weight(t, info) for t, info in terms.items()}
            self._phrasings.append(_Phrasing(i, pos, weights, sum(weights.values()),
                                             " ".join(sorted(weights)), asks(text, False)))
            for term in weights:
                self._index.setdefault(term, []).append(len(self._phrasings) - 1)
        # An entry "explains" a question word its phrasings or its answer use: "pasta" is only
        # in the food answer, and a parent asking about pasta is asking about food.
        self._entry_terms = [
            frozenset(t for p in self._phrasings if p.entry_index == i for t in p.weights)
            | frozenset(self.normalizer.terms(e.answer))
            for i, e in enumerate(kb.entries)
        ]
        self._entry_index = {e.id: i for i, e in enumerate(kb.entries)}
        # Per entry, what its phrasings ask for ("where is practice": place) and about what.
        self._asked: list[list[tuple[frozenset[str], frozenset[str]]]] = [
            [] for _ in kb.entries]
        for p in self._phrasings:
            if p.asks:
                self._asked[p.entry_index].append((p.asks, frozenset(p.weights)))
        # An answer that names whom to reach answers "who do I email about ...".
        for i, e in enumerate(kb.entries):
            if _CONTACT.search(e.answer):
                self._asked[i].append((frozenset({"person"}), self._entry_terms[i]))

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
        return self._weighted(self.normalizer.terms(question))

    def _weighted(self, informative: dict[str, float]) -> dict[str, float]:
        return {t: self._weight(t, info) for t, info in informative.items()}

    def rank(self, question: str, exclude: tuple[int, int] | None = None) -> list[Scored]:
        """Entries that share a topic word with the question, best first.

        `exclude` leaves out one phrasing (entry index, position): `faq check` asks whether a
        phrasing would still find its own entry without itself.
        """
        return self._rank(self.terms(question), exclude)

    def _rank(self, query: dict[str, float], exclude: tuple[int, int] | None = None
              ) -> list[Scored]:
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

    def doubt(self, question: str, entry: Entry) -> str | None:
        """Why `entry` must not be the confident answer to `question` though it may score high,
        or None. Public so that a re-ranker wrapping the matcher can hold to the same rule.

        - "unexplained": the question has one topic word the entry explains and an informative
          one it does not (neither its phrasings nor its answer use it).
        - "asks-otherwise": the question opens asking where/when/how long/who, and no phrasing
          of the entry asks that about the question's main topic word ("wheres parking" vs
          the arrival-time entry, which says when to come for parking, not where it is).

        Both read the entry's phrasings, so alternates learned later count at once.
        """
        i = self._entry_index.get(entry.id)
        informative = self.normalizer.terms(question)
        if i is None or not informative:
            return None
        return self._doubt(question, i, informative, self._weighted(informative))

    def _doubt(self, question: str, i: int, informative: dict[str, float],
               query: dict[str, float]) -> str | None:
        t = self.thresholds
        explains = self._entry_terms[i]
        explained = [term for term in query if term in explains]
        unexplained = [informative[term] for term in query if term not in explains]
        if (len(explained) < t.explained_topics and unexplained
                and max(unexplained) >= t.unexplained_informative):
            return "unexplained"
        wanted = asks(question)
        if wanted:
            main = max(query, key=lambda term: query[term])
            if not any(kinds & wanted and main in terms for kinds, terms in self._asked[i]):
                return "asks-otherwise"
        return None

    def match(self, question: str) -> MatchResult:
        """Answer, suggest, or abstain: the three outcomes the bot renders."""
        t = self.thresholds
        informative = self.normalizer.terms(question)
        query = self._weighted(informative)
        ranked = self._rank(query)
        if not ranked:
            return MatchResult(question, "none", None, understood=bool(query))
        top = ranked[0]
        runner_up = ranked[1].score if len(ranked) > 1 else 0.0
        margin = top.score - runner_up
        well_covered = top.score >= t.confident and top.coverage >= t.coverage and (
            margin >= t.margin
        )
        clear_winner = top.score >= t.clear_score and top.coverage >= t.clear_coverage and (
            margin >= t.clear_margin
        )
        withheld = None
        if well_covered or clear_winner:
            withheld = self._doubt(question, self._entry_index[top.entry.id], informative, query)
            if withheld is None:
                return MatchResult(question, "answer", top)
        if top.score < t.suggest:
            return MatchResult(question, "none", top)
        # A withheld entry is still offered: "did you mean" costs a tap, and "None of these"
        # passes the question on to the organizers.
        floor = max(t.suggest, top.score - t.suggest_window)
        options = tuple(s for s in ranked[: t.max_suggestions] if s.score >= floor)
        return MatchResult(question, "suggest", top, options, withheld=withheld)
