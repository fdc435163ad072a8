"""Semantic re-ranking, as a parent meets it: a second opinion asked only when the lexical
matcher is unsure, that may turn choices into an answer only when both agree clearly, and never
answers a question the FAQ does not cover. A tiny fake encoder stands in for the model here;
tests/test_semantic_model.py runs the real one.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from faq.kb import Entry, KnowledgeBase
from faq.match import Matcher, MatchResult, Scored, Thresholds
from faq.matching import SemanticMatcher, SemanticRule, matcher_factory, rerank, semantic_maker
from faq.semantic import SUMS_FILE, Embedder, SemanticIndex, Similar

ARRIVE = Entry("arrival-time", "race", "What time should we arrive on race day?",
               "An hour before your heat.", ("when should we get there", "how early to come"))
REFUND = Entry("refunds", "money", "Can I get a refund?", "No refunds.",
               ("can we get our money back", "is the fee refundable"))
WATCH = Entry("spectators", "race", "Can family come and watch?", "Yes, spectators are welcome.",
              ("can grandma watch", "are spectators allowed"))
FAR = Entry("living-far-away", "race", "We live far from the event, can we still take part?",
            "Contact your coach.", ("we live far away", "the race is a long drive for us"))
KB = KnowledgeBase("demo", (ARRIVE, REFUND, WATCH, FAR))

# The fake encoder's "meaning": which concept words a text holds, one dimension each.
CONCEPTS = {"arrive": 0, "get there": 0, "early": 0, "time": 0, "refund": 1, "money": 1,
            "fee": 1, "watch": 2, "spectator": 2, "family": 2, "far": 3, "long": 3, "drive": 3,
            "race": 4}


class FakeEncoder:
    """Unit vectors from concept words; counts what it is asked to embed."""

    def __init__(self) -> None:
        self.embedded: list[str] = []

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.embedded.extend(texts)
        rows = np.full((len(texts), len(CONCEPTS) + 1), 0.05, dtype=np.float32)
        for row, text in zip(rows, texts, strict=True):
            for word, dim in CONCEPTS.items():
                if word in text.lower():
                    row[dim] += 1.0
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def scored(entry: Entry, score: float, coverage: float = 0.8) -> Scored:
    return Scored(entry, score, coverage)


def unsure(*choices: Scored) -> MatchResult:
    return MatchResult("q", "suggest", choices[0], tuple(choices))


def similar(*pairs: tuple[Entry, float]) -> list[Similar]:
    return [Similar(e, s) for e, s in pairs]


def reconsider(lexical: MatchResult, ranked: list[Scored], close: list[Similar]) -> MatchResult:
    return rerank(lexical, ranked, close, Thresholds(), SemanticRule())


def test_choices_become_an_answer_when_both_methods_agree_with_a_clear_margin() -> None:
    choices = (scored(ARRIVE, 0.62), scored(WATCH, 0.58))
    result = reconsider(unsure(*choices), list(choices),
                        similar((ARRIVE, 0.86), (WATCH, 0.41), (REFUND, 0.2)))
    assert result.confident and result.entry == ARRIVE


def test_an_encoder_that_names_another_entry_never_answers_but_reorders_the_choices() -> None:
    choices = (scored(ARRIVE, 0.62), scored(WATCH, 0.58))
    result = reconsider(unsure(*choices), list(choices),
                        similar((WATCH, 0.9), (ARRIVE, 0.3), (REFUND, 0.2)))
    assert not result.confident
    assert [s.entry for s in result.suggestions] == [WATCH, ARRIVE]


def test_agreement_too_close_to_call_stays_a_choice() -> None:
    choices = (scored(ARRIVE, 0.62), scored(WATCH, 0.58))
    result = reconsider(unsure(*choices), list(choices),
                        similar((ARRIVE, 0.86), (WATCH, 0.82), (REFUND, 0.2)))
    assert result.outcome == "suggest"
    assert {s.entry for s in result.suggestions} == {ARRIVE, WATCH}


def test_a_race_question_the_faq_does_not_cover_is_not_answered_even_when_both_agree() -> None:
    # "how long is the race": the encoder finds "the race is a long drive" close, the lexical
    # matcher shares only "race" and "long" with it: its topic words are not explained.
    choice = scored(FAR, 0.55, coverage=0.3)
    result = reconsider(unsure(choice), [choice], similar((FAR, 0.9), (ARRIVE, 0.4)))
    assert not result.confident


def test_a_question_the_matcher_refused_on_purpose_is_never_answered_by_the_encoder() -> None:
    # "wheres parking": the arrival entry mentions parking and scores well, but the matcher
    # refused it as a race question the FAQ does not cover; the encoder agrees with the score.
    choice = scored(ARRIVE, 1.0, coverage=1.0)
    refused = MatchResult("wheres parking", "suggest", choice, (choice,),
                          withheld="asks-otherwise")
    result = reconsider(refused, [choice], similar((ARRIVE, 0.9), (WATCH, 0.2)))
    assert not result.confident


def test_an_entry_the_lexical_matcher_doubts_is_never_made_the_answer() -> None:
    # Scores short of an answer, both methods agree, but the lexical matcher has a reason to
    # hold the entry back ("wheres parking" asks where; the arrival entry says when): the
    # parent is told the FAQ has no answer, and the entry is only offered.
    choices = (scored(ARRIVE, 0.62), scored(WATCH, 0.3))
    lexical = MatchResult("wheres parking", "suggest", choices[0], choices,
                          withheld="asks-otherwise")
    result = rerank(lexical, list(choices), similar((ARRIVE, 0.9), (WATCH, 0.2)), Thresholds(),
                    SemanticRule(), doubt=lambda entry: "asks-otherwise")
    assert not result.confident
    assert result.withheld == "asks-otherwise"
    assert ARRIVE in {s.entry for s in result.suggestions}


def test_an_abstention_stays_an_abstention_whatever_the_encoder_thinks() -> None:
    lexical = MatchResult("where do we park", "none", scored(ARRIVE, 0.2, 0.1))
    result = reconsider(lexical, [scored(ARRIVE, 0.2, 0.1)], similar((ARRIVE, 0.95), (WATCH, 0.1)))
    assert result == lexical


def test_an_entry_only_the_encoder_found_may_join_the_choices() -> None:
    choice = scored(ARRIVE, 0.5)
    result = reconsider(unsure(choice), [choice], similar((WATCH, 0.7), (ARRIVE, 0.6)))
    assert {s.entry for s in result.suggestions} == {ARRIVE, WATCH}
    assert len(result.suggestions) <= Thresholds().max_suggestions


def test_a_confident_lexical_answer_is_given_without_asking_the_encoder() -> None:
    encoder = FakeEncoder()
    matcher = semantic_maker(encoder)(KB)
    encoder.embedded.clear()
    result = matcher.match("can we get our money back")
    assert result.confident and result.entry == REFUND
    assert encoder.embedded == []


def test_the_semantic_matcher_is_a_matcher_to_every_caller() -> None:
    matcher = semantic_maker(FakeEncoder())(KB)
    assert isinstance(matcher, Matcher) and isinstance(matcher, SemanticMatcher)
    assert matcher.kb is KB
    lexical = Matcher(KB)
    assert [s.entry for s in matcher.rank("refund")] == [s.entry for s in lexical.rank("refund")]


def test_the_index_finds_the_closest_entry_by_its_best_phrasing() -> None:
    index = SemanticIndex(KB, FakeEncoder())
    assert index.similar("is the fee refundable?")[0].entry == REFUND
    assert index.similar("what time do we arrive")[0].entry == ARRIVE


class FakeSession:
    """Stands in for onnxruntime: a sentence embedding from the token ids it is given."""

    def __init__(self) -> None:
        self.rows = 0

    def get_inputs(self) -> list:
        return []

    def run(self, _outputs: object, feed: dict[str, np.ndarray]) -> list[np.ndarray]:
        ids = feed["input_ids"]
        self.rows += len(ids)
        out = np.zeros((len(ids), 8), dtype=np.float32)
        for row, token_ids in enumerate(ids):
            for t in token_ids:
                out[row, int(t) % 8] += 1.0
        return [out]


class FakeTokenizer:
    class Encoding:
        def __init__(self, text: str) -> None:
            self.ids = [len(w) for w in text.split()] or [0]

    def encode_batch(self, texts: list[str]) -> list[Encoding]:
        return [self.Encoding(t) for t in texts]


def test_a_knowledge_base_that_gains_a_phrasing_embeds_only_that_phrasing() -> None:
    session = FakeSession()
    embedder = Embedder(session, FakeTokenizer())
    make = semantic_maker(embedder)
    make(KB)
    first = session.rows
    grown = KnowledgeBase("demo", (ARRIVE, REFUND, WATCH, FAR.__class__(
        FAR.id, FAR.topic, FAR.question, FAR.answer, (*FAR.alternates, "we moved away"))))
    make(grown)
    assert first == sum(len({e.question, *e.alternates}) for e in KB.entries)
    assert session.rows == first + 1


def test_without_a_model_setting_matchers_are_lexical_and_the_log_says_so_once(caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.INFO, logger="faq.matching")
    import faq.matching

    faq.matching._loaded.pop(("", None), None)
    assert matcher_factory(None) is Matcher
    assert matcher_factory("") is Matcher
    lines = [r for r in caplog.records if "semantic re-ranking is off" in r.getMessage()]
    assert len(lines) == 1 and lines[0].levelno == logging.INFO


def test_a_missing_model_leaves_lexical_matching_with_one_warning_and_no_traceback(
        tmp_path: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.INFO, logger="faq.matching")
    missing = tmp_path / "no-model"
    make = matcher_factory(missing)
    matcher_factory(missing)
    assert make is Matcher
    assert make(KB).match("can grandma watch") == Matcher(KB).match("can grandma watch")
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and not warnings[0].exc_info
    assert "off" in warnings[0].getMessage()


def test_a_model_that_does_not_match_its_hashes_is_refused(tmp_path: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("onnxruntime", reason="the semantic extra is not installed")
    (tmp_path / "model.onnx").write_bytes(b"not a model")
    (tmp_path / "tokenizer.json").write_text("{}")
    (tmp_path / SUMS_FILE).write_text(f"{'0' * 64}  model.onnx\n{'0' * 64}  tokenizer.json\n")
    assert matcher_factory(tmp_path) is Matcher
    assert any("does not match its SHA-256" in r.getMessage() for r in caplog.records)


def test_without_onnxruntime_the_log_names_the_extra_to_install(
        tmp_path: Path, monkeypatch, caplog) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(__import__("sys").modules, "onnxruntime", None)  # import fails
    assert matcher_factory(tmp_path) is Matcher
    assert any(".[semantic]" in r.getMessage() for r in caplog.records)


class TokenOutputSession:
    """Stands in for an upstream export: takes token_type_ids, ends at the tokens."""

    class Input:
        def __init__(self, name: str) -> None:
            self.name = name

    def get_inputs(self) -> list:
        return [self.Input(n) for n in ("input_ids", "attention_mask", "token_type_ids")]

    def run(self, _outputs: object, feed: dict[str, np.ndarray]) -> list[np.ndarray]:
        assert not feed["token_type_ids"].any()
        ids = feed["input_ids"].astype(np.float32)
        return [np.stack([ids, np.ones_like(ids)], axis=-1)]  # [batch, tokens, 2]


def test_a_model_that_ends_at_the_tokens_is_mean_pooled_into_a_unit_vector() -> None:
    embedder = Embedder(TokenOutputSession(), FakeTokenizer())
    row = embedder.embed(["abc defg"])[0]  # token ids 3 and 4: mean (3.5, 1)
    assert np.allclose(row, np.array([3.5, 1.0]) / np.hypot(3.5, 1.0))


class AgreeingEncoder:
    """An encoder that finds the question identical to one entry's phrasings, and every other
    entry far: the strongest agreement an encoder can give."""

    def __init__(self, kb: KnowledgeBase, question: str, entry_id: str) -> None:
        self.dims = {p: i for i, e in enumerate(kb.entries) for p in e.phrasings}
        self.dims[question] = self.dims[kb.entry(entry_id).phrasings[0]]  # type: ignore[union-attr]
        self.width = len(kb.entries)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        rows = np.zeros((len(texts), self.width), dtype=np.float32)
        for row, text in zip(rows, texts, strict=True):
            row[self.dims[text]] = 1.0
        return rows


def test_an_encoder_that_agrees_never_answers_what_the_matcher_doubts(
        kbs: dict[str, KnowledgeBase]) -> None:
    # "where does the race start": the FAQ does not say; the how-it-works entry shares its
    # words but never says where anything is, so the matcher only offers it. An encoder that
    # agrees with the offer must not turn it into a confident (wrong) answer.
    kb, question = kbs["little-rockers"], "where does the race start"
    lexical = Matcher(kb).match(question)
    assert lexical.outcome == "suggest" and lexical.best is not None
    offered = lexical.best.entry
    assert Matcher(kb).doubt(question, offered) is not None
    matcher = semantic_maker(AgreeingEncoder(kb, question, offered.id))(kb)
    result = matcher.match(question)
    assert not result.confident
    assert offered in [s.entry for s in result.suggestions]
