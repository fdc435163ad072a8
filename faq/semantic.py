"""Sentence embeddings for the FAQ's optional semantic re-ranking.

An int8 ONNX encoder of the all-MiniLM-L6-v2 class runs on onnxruntime (no torch: the torch
stack is over a gigabyte and seconds of start-up). Its files are verified against their SHA-256
hashes before use, so a truncated download or a swapped file is refused, not half-trusted.
Phrasings are embedded once per text: a knowledge base that gains a few phrasings (an organizer
accepts a new wording) re-embeds only those.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from faq.kb import Entry, KnowledgeBase
from faq.wordpiece import UnsupportedTokenizer, WordPiece

MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
SUMS_FILE = "SHA256SUMS"  # sha256sum's format: "<hex>  <file name>" per line
MAX_TOKENS = 128  # parents' questions are far shorter; the release was trained at 128
PARALLEL_FROM = 16  # texts: fewer run one after the other


class ModelUnavailable(Exception):
    """Semantic re-ranking cannot run; the message says why, in one log line."""


class Encoder(Protocol):
    """What the index needs: unit-length rows, one per text (tests use a tiny fake)."""

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_sums(path: Path) -> dict[str, str]:
    sums: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        digest, _, name = line.strip().partition("  ")
        if digest and name:
            sums[name.lstrip("*")] = digest.lower()
    return sums


def verify(directory: Path, model_sha256: str | None = None) -> dict[str, bytes]:
    """model.onnx and tokenizer.json as read, refused unless they match SHA256SUMS beside
    them (and model.onnx matches `model_sha256` too when a deployment pins it). The bytes
    checked are the bytes used: nothing can change the file between the check and the load."""
    sums_path = directory / SUMS_FILE
    if not sums_path.is_file():
        raise ModelUnavailable(f"{sums_path} is missing: nothing to verify the model against")
    sums = read_sums(sums_path)
    if model_sha256:
        sums[MODEL_FILE] = model_sha256.lower()
    found: dict[str, bytes] = {}
    for name in (MODEL_FILE, TOKENIZER_FILE):
        path = directory / name
        if not path.is_file():
            raise ModelUnavailable(f"{path} is missing")
        if name not in sums:
            raise ModelUnavailable(f"{sums_path} has no hash for {name}")
        found[name] = path.read_bytes()
        if hashlib.sha256(found[name]).hexdigest() != sums[name]:
            raise ModelUnavailable(f"{path} does not match its SHA-256: refusing to use it")
    return found


def token_batch(tokenizer: Any, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """input_ids and attention_mask, padded to the longest text of the batch."""
    encoded = tokenizer.encode_batch(list(texts))
    width = max(len(e.ids) for e in encoded)
    ids = np.zeros((len(encoded), width), dtype=np.int64)
    mask = np.zeros((len(encoded), width), dtype=np.int64)
    for row, e in enumerate(encoded):
        ids[row, : len(e.ids)] = e.ids
        mask[row, : len(e.ids)] = 1
    return ids, mask


def _unit(rows: np.ndarray) -> np.ndarray:
    unit: np.ndarray = rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)
    return unit


class Embedder:
    """A verified ONNX sentence encoder. Phrasings are cached by text; questions are not (they
    are parents' words, and seldom asked twice)."""

    def __init__(self, session: Any, tokenizer: WordPiece | Any) -> None:
        self.session = session
        self.tokenizer = tokenizer
        self._inputs = {i.name for i in session.get_inputs()}
        self._cache: dict[str, np.ndarray] = {}

    @classmethod
    def load(cls, model: str | Path, model_sha256: str | None = None, threads: int = 1
             ) -> Embedder:
        """Load the model directory (model.onnx, tokenizer.json, SHA256SUMS), verified first."""
        try:
            import onnxruntime as ort
        except ImportError as exc:
            raise ModelUnavailable(f"{exc.name} is not installed (pip install -e "
                                   "'.[semantic]')") from exc
        directory = Path(model)
        if directory.is_file():  # the setting may name model.onnx itself
            directory = directory.parent
        if not directory.is_dir():
            raise ModelUnavailable(f"{directory} does not exist (build it: finalmile faq "
                                   "model build)")
        files = verify(directory, model_sha256)
        try:
            tokenizer = WordPiece.from_json(files[TOKENIZER_FILE].decode("utf-8"), MAX_TOKENS)
        except (UnsupportedTokenizer, ValueError, KeyError) as exc:
            raise ModelUnavailable(f"{directory / TOKENIZER_FILE}: {exc}") from exc
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads  # one question at a time: latency, not width
        options.inter_op_num_threads = 1
        try:
            session = ort.InferenceSession(files[MODEL_FILE], options,
                                           providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own types for unreadable graphs
            raise ModelUnavailable(f"{directory / MODEL_FILE} cannot be loaded: {exc}") from exc
        return cls(session, tokenizer)

    def _run(self, texts: Sequence[str]) -> np.ndarray:
        ids, mask = token_batch(self.tokenizer, texts)
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:  # an upstream export takes them (all zero)
            feed["token_type_ids"] = np.zeros_like(ids)
        out = np.asarray(self.session.run(None, feed)[0], dtype=np.float32)
        if out.ndim == 3:  # an upstream export ends at the tokens: mean-pool them here
            weights = mask[..., None].astype(np.float32)
            out = (out * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        return _unit(out)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One unit-length row per text. Each text runs alone: int8 activations are scaled per
        run, so a text in a padded batch would come out slightly different from the same text
        asked alone (and alone is no slower for short texts)."""
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        if len(texts) < PARALLEL_FROM:
            return np.concatenate([self._run([text]) for text in texts])
        # A knowledge base at start-up: one text per core at a time (onnxruntime lets go of
        # the GIL while it runs, and one session may run on several threads).
        with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
            return np.concatenate(list(pool.map(lambda t: self._run([t]), texts)))

    def embed_phrasings(self, texts: Iterable[str]) -> np.ndarray:
        """Rows for the knowledge base's own texts; only texts not seen before are run."""
        texts = list(texts)
        missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        for text, row in zip(missing, self.embed(missing) if missing else (), strict=True):
            self._cache[text] = row
        return np.stack([self._cache[t] for t in texts])


@dataclass(frozen=True)
class Similar:
    entry: Entry
    similarity: float  # cosine of the question and the entry's closest phrasing


class SemanticIndex:
    """One knowledge base's questions and alternates as embeddings; a question's entries by
    similarity."""

    def __init__(self, kb: KnowledgeBase, encoder: Encoder) -> None:
        self.kb = kb
        self.encoder = encoder
        texts: list[str] = []
        starts: list[int] = []
        for entry in kb.entries:
            starts.append(len(texts))
            # Whole questions only: a keyword alone ("parking") would pull every question that
            # mentions it close to the entry, which is the lexical matcher's business.
            texts.extend(dict.fromkeys((entry.question, *entry.alternates)))
        self._starts = np.array(starts, dtype=np.int64)
        embed_phrasings = getattr(encoder, "embed_phrasings", None)
        self._matrix = (embed_phrasings(texts) if embed_phrasings is not None
                        else encoder.embed(texts))

    def similar(self, question: str) -> list[Similar]:
        """Every entry, closest first (ties in the knowledge base's order)."""
        if not self.kb.entries:
            return []
        query = self.encoder.embed([question])[0]
        per_phrasing = self._matrix @ query
        per_entry = np.maximum.reduceat(per_phrasing, self._starts)
        order = np.argsort(-per_entry, kind="stable")
        return [Similar(self.kb.entries[i], round(float(per_entry[i]), 4)) for i in order]
