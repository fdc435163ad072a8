"""How a program's FAQ matcher is made: lexical alone, or with semantic re-ranking on top.

Everything that needs a matcher (the services, `finalmile faq ask`, a program's matcher rebuilt
when organizers accept new phrasings) makes it with the function `matcher_factory` returns, so
the semantic extra is one setting, and nothing else knows which kind it holds.

The semantic encoder is a second opinion, asked only when the lexical matcher is unsure. It may
re-rank the choices offered; it may turn them into an answer only when both methods name the
same entry, the encoder's margin is clear and the question's topic words are explained by that
entry. An encoder alone finds "how long is the race" close to the entry about living far from
the race: it must never answer what the lexical matcher refused for want of topic words.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from faq.kb import Entry, KnowledgeBase
from faq.match import Matcher, MatchResult, Scored, Thresholds
from faq.semantic import Embedder, Encoder, ModelUnavailable, SemanticIndex, Similar

log = logging.getLogger(__name__)

MakeMatcher = Callable[[KnowledgeBase], Matcher]


@dataclass(frozen=True)
class SemanticRule:
    """Tuned on tests/data/faq_eval_dev.yaml (the test set only reports), erring to abstain."""

    upgrade_similarity: float = 0.75  # the encoder's closest entry, at least this close
    upgrade_margin: float = 0.10  # ... and this far ahead of the next entry
    upgrade_coverage: float = 0.55  # its share of the question's topic words (as clear_coverage)
    offer_similarity: float = 0.55  # an entry only the encoder found may join the choices
    weight: float = 0.5  # choices ordered by weight * similarity + (1 - weight) * lexical score


def rerank(lexical: MatchResult, ranked: list[Scored], similar: list[Similar],
           thresholds: Thresholds, rule: SemanticRule,
           doubt: Callable[[Entry], str | None] | None = None) -> MatchResult:
    """The lexical matcher's unsure result, reconsidered with the encoder's similarities.
    `doubt` is the lexical matcher's own reason to hold an entry back (Matcher.doubt): an
    entry it doubts is never made the answer, however close the encoder finds it."""
    if lexical.confident or not lexical.understood or not similar:
        return lexical
    closeness = {s.entry.id: s.similarity for s in similar}
    lexical_of = {s.entry.id: s for s in ranked}

    def blended(entry_id: str) -> Scored:
        found = lexical_of.get(entry_id)
        entry = found.entry if found else next(s.entry for s in similar if s.entry.id == entry_id)
        lexical_score = found.score if found else 0.0
        score = rule.weight * closeness[entry_id] + (1 - rule.weight) * lexical_score
        return Scored(entry, round(score, 4), found.coverage if found else 0.0)

    top = similar[0]
    margin = top.similarity - (similar[1].similarity if len(similar) > 1 else 0.0)
    best = lexical.best
    if (lexical.outcome == "suggest" and best is not None and best.entry.id == top.entry.id
            and top.similarity >= rule.upgrade_similarity and margin >= rule.upgrade_margin
            and best.coverage >= rule.upgrade_coverage
            and lexical.withheld is None  # the matcher refused on purpose: never overruled
            and (doubt is None or doubt(top.entry) is None)):
        return MatchResult(lexical.question, "answer", blended(top.entry.id))
    if lexical.outcome != "suggest":
        return lexical  # nothing to choose from: the encoder alone does not offer
    ids = dict.fromkeys(s.entry.id for s in lexical.suggestions)
    ids.update(dict.fromkeys(s.entry.id for s in similar[: thresholds.max_suggestions]
                             if s.similarity >= rule.offer_similarity))
    options = sorted((blended(i) for i in ids), key=lambda s: (-s.score, s.entry.id))
    options = options[: thresholds.max_suggestions]
    return MatchResult(lexical.question, "suggest", options[0], tuple(options),
                       withheld=lexical.withheld)


class SemanticMatcher(Matcher):
    """The lexical matcher, with the encoder consulted when it is unsure. A Matcher to every
    caller: the same `kb`, `rank`, `terms` and `match`."""

    def __init__(self, kb: KnowledgeBase, index: SemanticIndex,
                 thresholds: Thresholds | None = None, rule: SemanticRule | None = None) -> None:
        super().__init__(kb, thresholds)
        self.index = index
        self.rule = rule or SemanticRule()

    def match(self, question: str) -> MatchResult:
        lexical = super().match(question)
        if lexical.confident or not lexical.understood:
            return lexical
        return rerank(lexical, self.rank(question), self.index.similar(question),
                      self.thresholds, self.rule, lambda entry: self.doubt(question, entry))


def semantic_maker(encoder: Encoder, rule: SemanticRule | None = None) -> MakeMatcher:
    """Matchers that share one encoder (and its cache of embedded phrasings)."""

    def make(kb: KnowledgeBase) -> Matcher:
        return SemanticMatcher(kb, SemanticIndex(kb, encoder), rule=rule)

    return make


_loaded: dict[tuple[str, str | None], Embedder | None] = {}


def matcher_factory(model: str | Path | None, model_sha256: str | None = None) -> MakeMatcher:
    """What makes a program's matcher: semantic when `model` (FAQ_SEMANTIC_MODEL) names a
    verified model and onnxruntime is installed, lexical otherwise. The model is loaded once
    per process and the reason it is off is logged once, never as a traceback."""
    if not model:
        key: tuple[str, str | None] = ("", None)
        if key not in _loaded:
            log.info("FAQ semantic re-ranking is off (FAQ_SEMANTIC_MODEL is not set): "
                     "lexical matching only")
            _loaded[key] = None
        return Matcher
    key = (str(model), model_sha256)
    if key not in _loaded:
        try:
            _loaded[key] = Embedder.load(model, model_sha256)
            log.info("FAQ semantic re-ranking is on: %s (verified)", model)
        except ModelUnavailable as exc:
            log.warning("FAQ semantic re-ranking is off: %s. Lexical matching only.", exc)
            _loaded[key] = None
    embedder = _loaded[key]
    return semantic_maker(embedder) if embedder is not None else Matcher
