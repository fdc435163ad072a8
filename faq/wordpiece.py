"""BERT's uncased WordPiece tokenizer, read from a tokenizer.json, in plain Python.

The `tokenizers` package does the same in Rust, but it requires a model hub client and its
network stack (about 40 MB and eight packages) that a bot which never downloads anything has
no use for. Questions are a few words, so plain Python costs microseconds. The result is
checked against `tokenizers` token for token in tests/test_semantic_model.py.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass


class UnsupportedTokenizer(ValueError):
    """The tokenizer.json is not BERT's WordPiece."""


@dataclass(frozen=True)
class Encoding:
    ids: list[int]


def _is_punctuation(char: str) -> bool:
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def _is_cjk(code: int) -> bool:
    return (0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x2A6DF
            or 0x2A700 <= code <= 0x2B73F or 0x2B740 <= code <= 0x2B81F
            or 0x2B820 <= code <= 0x2CEAF or 0xF900 <= code <= 0xFAFF
            or 0x2F800 <= code <= 0x2FA1F)


class WordPiece:
    def __init__(self, vocab: dict[str, int], *, lowercase: bool = True,
                 unknown: str = "[UNK]", prefix: str = "##", max_chars: int = 100,
                 max_tokens: int = 128) -> None:
        self.vocab = vocab
        self.lowercase = lowercase
        self.unknown = vocab[unknown]
        self.prefix = prefix
        self.max_chars = max_chars
        self.max_tokens = max_tokens
        self.first, self.last = vocab["[CLS]"], vocab["[SEP]"]

    @classmethod
    def from_json(cls, text: str, max_tokens: int = 128) -> WordPiece:
        spec = json.loads(text)
        model = spec.get("model") or {}
        if model.get("type") != "WordPiece" or (spec.get("normalizer") or {}).get(
                "type") != "BertNormalizer":
            raise UnsupportedTokenizer("not a BERT WordPiece tokenizer.json")
        normalizer = spec["normalizer"]
        if normalizer.get("strip_accents") is False:
            raise UnsupportedTokenizer("accents kept: not the uncased tokenizer")
        return cls(dict(model["vocab"]), lowercase=bool(normalizer.get("lowercase", True)),
                   unknown=model.get("unk_token", "[UNK]"),
                   prefix=model.get("continuing_subword_prefix", "##"),
                   max_chars=int(model.get("max_input_chars_per_word", 100)),
                   max_tokens=max_tokens)

    def _normalize(self, text: str) -> str:
        out = []
        for char in text:
            code = ord(char)
            if code == 0 or code == 0xFFFD or (unicodedata.category(char).startswith("C")
                                                and char not in "\t\n\r"):
                continue
            if char.isspace():
                out.append(" ")
            elif _is_cjk(code):
                out.append(f" {char} ")
            else:
                out.append(char)
        text = "".join(out)
        if self.lowercase:
            text = unicodedata.normalize("NFD", text.lower())
            text = "".join(c for c in text if unicodedata.category(c) != "Mn")
        return text

    def _words(self, text: str) -> list[str]:
        words: list[str] = []
        for chunk in text.split():
            current = ""
            for char in chunk:
                if _is_punctuation(char):
                    if current:
                        words.append(current)
                    words.append(char)
                    current = ""
                else:
                    current += char
            if current:
                words.append(current)
        return words

    def _pieces(self, word: str) -> list[int]:
        if len(word) > self.max_chars:
            return [self.unknown]
        ids: list[int] = []
        start = 0
        while start < len(word):
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else self.prefix + word[start:end]
                if piece in self.vocab:
                    ids.append(self.vocab[piece])
                    break
                end -= 1
            else:
                return [self.unknown]
            start = end
        return ids

    def encode(self, text: str) -> Encoding:
        ids: list[int] = []
        for word in self._words(self._normalize(text)):
            ids.extend(self._pieces(word))
        return Encoding([self.first, *ids[: self.max_tokens - 2], self.last])

    def encode_batch(self, texts: list[str]) -> list[Encoding]:
        return [self.encode(t) for t in texts]
