"""Passage embeddings through ONNX Runtime (or OpenVINO) instead of torch, for plain encoder models.

A sentence-transformers folder whose modules are only Transformer → Pooling
(→ Normalize) is run as: the folder's own fast tokenizer (``tokenizers``,
no torch import), the transformer exported once to ``onnx/model.onnx``, and
the pooling and normalisation done in numpy. The result means the same as
``SentenceTransformer(folder).encode(texts, prompt_name=<passage prompt>,
normalize_embeddings=True)``: same prompt, truncation, pooling and
normalisation (cosine ≥ 0.999 per passage, see tests/test_onnx_encoder.py).

Texts are sorted by token count and batched in that order, so a batch holds
texts of similar length and little padding is computed; by default one batch
runs per core at a time; rows come back in the caller's order. Any other kind
of folder (an extra Dense layer, weighted-mean or last-token pooling, a prompt
left out of pooling, settings beyond max_seq_length and do_lower_case, ...)
raises ``UnsupportedModel`` so the caller can stay on sentence-transformers.
"""

from __future__ import annotations

import functools
import importlib
import json
import os
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

ONNX_DIR = "onnx"
ONNX_FILE = "model.onnx"
# The weights sit in a file of their own beside the graph: ONNX Runtime then maps them into memory
# instead of parsing them out of the graph, so a session opens in about 0.15 s instead of about 1 s
# (the vocabulary's embedding table is most of the model and a question touches a few rows of it).
ONNX_DATA_PREFIX = "weights-"
OPSET = 17
# The prompt names qa.embedding.Embedder.embed_passages looks for, first present wins.
PASSAGE_PROMPT_NAMES = ("document", "passage", "corpus")
BACKENDS = ("onnxruntime", "openvino")

_MODULE_TYPES = {
    "transformer": {"sentence_transformers.models.Transformer",
                    "sentence_transformers.base.modules.transformer.Transformer",
                    "sentence_transformers.base.modules.Transformer"},
    "pooling": {"sentence_transformers.models.Pooling",
                "sentence_transformers.sentence_transformer.modules.pooling.Pooling",
                "sentence_transformers.sentence_transformer.modules.Pooling"},
    "normalize": {"sentence_transformers.models.Normalize",
                  "sentence_transformers.base.modules.normalize.Normalize",
                  "sentence_transformers.base.modules.Normalize"},
}
# Transformer settings (sentence_bert_config.json) this encoder reproduces; any other key is refused.
_TRANSFORMER_KEYS = {"max_seq_length", "do_lower_case"}
_POOLING_MODES = ("pooling_mode_cls_token", "pooling_mode_max_tokens", "pooling_mode_mean_tokens",
                  "pooling_mode_mean_sqrt_len_tokens", "pooling_mode_weightedmean_tokens",
                  "pooling_mode_lasttoken")
_WEIGHT_SUFFIXES = (".safetensors", ".bin")


class UnsupportedModel(ValueError):
    """A model folder this encoder cannot reproduce exactly; use sentence-transformers for it."""


@functools.cache
def available(backend: str = "onnxruntime") -> bool:
    """Whether the runtime for ``backend`` ("onnxruntime" or "openvino") can be imported."""
    if backend not in BACKENDS:
        return False
    try:
        importlib.import_module(backend)
    except Exception:  # a missing or broken installation alike
        return False
    return True


@dataclass(frozen=True)
class Pipeline:
    """What a sentence-transformers folder does to a text, read from its config files."""

    transformer_dir: Path
    max_seq_length: int
    do_lower_case: bool
    prompts: dict[str, str]
    pooling: str  # "mean", "cls" or "max"
    dimension: int
    pad_token_id: int


def _read_json(path: Path) -> dict | list:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise UnsupportedModel(f"cannot read {path}: {error}") from error


def read_pipeline(model_dir: Path) -> Pipeline:
    """Check that ``model_dir`` is Transformer → Pooling (→ Normalize) and read their settings."""
    model_dir = Path(model_dir)
    modules = _read_json(model_dir / "modules.json")
    kinds = []
    for module in sorted(modules, key=lambda m: m.get("idx", 0)):
        kind = next((k for k, types in _MODULE_TYPES.items() if module.get("type") in types), None)
        if kind is None:
            raise UnsupportedModel(f"module {module.get('type')!r} is not supported by the ONNX encoder")
        kinds.append((kind, module))
    if [k for k, _ in kinds] not in (["transformer", "pooling"], ["transformer", "pooling", "normalize"]):
        raise UnsupportedModel(f"modules {[k for k, _ in kinds]} are not Transformer, Pooling[, Normalize]")

    transformer_dir = model_dir / kinds[0][1].get("path", "")
    settings = _read_json(transformer_dir / "sentence_bert_config.json")
    unknown = set(settings) - _TRANSFORMER_KEYS
    if unknown:
        raise UnsupportedModel(f"transformer settings {sorted(unknown)} are not supported")
    config = _read_json(transformer_dir / "config.json")
    tokenizer_config = _read_json(transformer_dir / "tokenizer_config.json") \
        if (transformer_dir / "tokenizer_config.json").exists() else {}
    if not (transformer_dir / "tokenizer.json").exists():
        raise UnsupportedModel(f"{transformer_dir} has no tokenizer.json (a fast tokenizer is needed)")
    # Like sentence-transformers: the configured length, else the tokenizer's, capped by the positions.
    limits = [value for value in (
        settings.get("max_seq_length") or tokenizer_config.get("model_max_length"),
        config.get("max_position_embeddings"),
    ) if isinstance(value, int) and value > 0]
    if not limits:
        raise UnsupportedModel("no maximum sequence length in the folder's configuration")
    max_seq_length = min(limits)

    pooling_config = _read_json(model_dir / kinds[1][1]["path"] / "config.json")
    modes = [mode for mode in _POOLING_MODES if pooling_config.get(mode)]
    if modes not in (["pooling_mode_mean_tokens"], ["pooling_mode_cls_token"], ["pooling_mode_max_tokens"]):
        raise UnsupportedModel(f"pooling {modes} is not supported")
    if not pooling_config.get("include_prompt", True):
        raise UnsupportedModel("pooling that leaves the prompt out is not supported")

    st_config_path = model_dir / "config_sentence_transformers.json"
    st_config = _read_json(st_config_path) if st_config_path.exists() else {}
    pad = config.get("pad_token_id")
    return Pipeline(
        transformer_dir=transformer_dir,
        max_seq_length=max_seq_length,
        do_lower_case=bool(settings.get("do_lower_case")),
        prompts={k: v for k, v in (st_config.get("prompts") or {}).items() if isinstance(v, str)},
        pooling=modes[0].split("_")[2],
        dimension=int(pooling_config["word_embedding_dimension"]),
        pad_token_id=int(pad) if isinstance(pad, int) else 0,
    )


def onnx_path(model_dir: Path) -> Path:
    return Path(model_dir) / ONNX_DIR / ONNX_FILE


def exported(model_dir: Path) -> bool:
    """Whether the folder holds an export in the current layout (graph and a separate weights file)."""
    folder = Path(model_dir) / ONNX_DIR
    return (folder / ONNX_FILE).exists() and any(folder.glob(ONNX_DATA_PREFIX + "*"))


def _weights_mtime(transformer_dir: Path) -> float:
    files = [p for p in transformer_dir.iterdir() if p.suffix in _WEIGHT_SUFFIXES or p.name == "config.json"]
    if not any(p.suffix in _WEIGHT_SUFFIXES for p in files):
        raise UnsupportedModel(f"no weights (.safetensors or .bin) in {transformer_dir}")
    return max(p.stat().st_mtime for p in files)


def export_onnx(model_dir: Path) -> Path:
    """Export the folder's transformer to ``model_dir/onnx/model.onnx`` once; return that path.

    Inputs ``input_ids`` and ``attention_mask`` (batch × sequence, both dynamic), output
    ``last_hidden_state``. Token types are not an input: one text per row always has type 0,
    which is what the exported model uses. An existing file newer than the weights is reused.
    The new file is checked against torch's output before it replaces anything.
    """
    model_dir = Path(model_dir)
    pipeline = read_pipeline(model_dir)
    target = onnx_path(model_dir)
    if target.exists() and target.stat().st_mtime >= _weights_mtime(pipeline.transformer_dir):
        if not exported(model_dir) and not _has_external_weights(target):  # an export of the earlier layout
            _move_weights_out(target, target)
        return target

    import torch
    from transformers import AutoModel
    from transformers.utils import logging as transformers_logging

    transformers_logging.set_verbosity_error()
    transformers_logging.disable_progress_bar()
    model = AutoModel.from_pretrained(str(pipeline.transformer_dir), attn_implementation="eager")
    model.eval()

    class LastHiddenState(torch.nn.Module):
        def __init__(self, encoder):
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids, attention_mask):
            return self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    # The example batch must contain padding: with an all-ones mask, the traced graph could drop
    # the mask altogether. Ids are arbitrary ordinary tokens between the special ones.
    pad = pipeline.pad_token_id
    ids = torch.tensor([[0, 9, 10, 11, 12, 13, 2], [0, 14, 15, 2, pad, pad, pad]], dtype=torch.long)
    ids = ids.clamp(max=model.config.vocab_size - 1)
    mask = torch.tensor([[1] * 7, [1] * 4 + [0] * 3], dtype=torch.long)
    axes = {0: "batch", 1: "sequence"}

    wrapper = LastHiddenState(model).eval()  # the exporter restores the wrapper's mode afterwards: eval

    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".model-", suffix=".onnx.tmp", dir=target.parent)
    os.close(handle)
    try:
        import warnings

        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                wrapper, (ids, mask), temporary,
                input_names=["input_ids", "attention_mask"], output_names=["last_hidden_state"],
                dynamic_axes={"input_ids": axes, "attention_mask": axes, "last_hidden_state": axes},
                opset_version=OPSET, do_constant_folding=True, dynamo=False,
            )
        _check_export(Path(temporary), model, pipeline, torch)
        _move_weights_out(Path(temporary), target)
    finally:
        Path(temporary).unlink(missing_ok=True)
    return target


def _has_external_weights(path: Path) -> bool:
    import onnx

    graph = onnx.load(str(path), load_external_data=False).graph
    return any(t.data_location == onnx.TensorProto.EXTERNAL for t in graph.initializer)


def _move_weights_out(source: Path, target: Path) -> None:
    """Write ``source``'s graph to ``target`` with its weights in a new file beside it, then drop older weight files.

    The weights file gets a fresh name and is complete before the graph that names it replaces the old one,
    so a reader sees the old pair or the new pair, never a mix."""
    import onnx

    model = onnx.load(str(source))
    folder = target.parent
    handle, data = tempfile.mkstemp(prefix=ONNX_DATA_PREFIX, suffix=".bin", dir=folder)
    os.close(handle)
    os.unlink(data)  # onnx writes the file itself and appends to one that exists
    handle, graph = tempfile.mkstemp(prefix=".model-", suffix=".onnx.tmp", dir=folder)
    os.close(handle)
    try:
        onnx.save_model(model, graph, save_as_external_data=True, all_tensors_to_one_file=True,
                        location=Path(data).name, size_threshold=1024)
        os.replace(graph, target)
    except BaseException:
        Path(graph).unlink(missing_ok=True)
        Path(data).unlink(missing_ok=True)
        raise
    for old in folder.glob(ONNX_DATA_PREFIX + "*"):
        if old.name != Path(data).name:
            old.unlink(missing_ok=True)


def _check_export(path: Path, model, pipeline: Pipeline, torch) -> None:
    """Compare the exported graph with torch on a batch of another shape, padding included."""
    if not available("onnxruntime"):
        return
    import onnxruntime

    rng = np.random.default_rng(0)
    ids = rng.integers(5, min(model.config.vocab_size, 30000), size=(3, 37))
    mask = np.ones_like(ids)
    for row, length in ((1, 20), (2, 5)):
        ids[row, length:], mask[row, length:] = pipeline.pad_token_id, 0
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    ours = session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
    with torch.no_grad():
        theirs = model(input_ids=torch.from_numpy(ids), attention_mask=torch.from_numpy(mask)).last_hidden_state.numpy()
    error = float(np.abs(ours - theirs)[mask.astype(bool)].max())
    if not error < 1e-3:
        raise RuntimeError(f"the ONNX export differs from torch by {error:.2e}; not using it")


def load_tokenizer(pipeline: Pipeline):
    """The folder's fast tokenizer, truncating as sentence-transformers does, without padding."""
    from tokenizers import Tokenizer, normalizers

    tokenizer = Tokenizer.from_file(str(pipeline.transformer_dir / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=pipeline.max_seq_length, strategy="longest_first")
    if pipeline.do_lower_case:  # as sentence-transformers does: a Lowercase step in front
        current = tokenizer.normalizer
        tokenizer.normalizer = normalizers.Sequence([normalizers.Lowercase()] + ([current] if current else []))
    return tokenizer


class OnnxEncoder:
    """Encodes passages like sentence-transformers with ``prompt_name`` = the passage prompt.

    ``threads``: CPU threads in all (default: all cores). ``backend``: "onnxruntime"
    or "openvino" (both run the same exported file). ``prompt_name``: which of the folder's
    prompts to prepend (default: the first of document/passage/corpus it has, like
    ``Embedder.embed_passages``); ``None`` for no prompt. ``streams``: batches run at once,
    each on threads // streams threads. The default, one batch per thread, was measured fastest
    on 2 cores (with the index's calls of 32 passages: 23.7 passages/s against 14.1 for one
    batch on 2 threads) and suffers least from a busy neighbour; 1 runs one batch on all threads.
    """

    _DEFAULT_PROMPT = object()

    def __init__(self, model_dir: Path, threads: int | None = None, backend: str = "onnxruntime",
                 prompt_name: str | None = _DEFAULT_PROMPT,  # type: ignore[assignment]
                 streams: int | None = None):
        if backend not in BACKENDS:
            raise ValueError(f"backend must be one of {BACKENDS}, not {backend!r}")
        if not available(backend):
            raise UnsupportedModel(f"{backend} is not installed")
        self.model_dir = Path(model_dir)
        self.pipeline = read_pipeline(self.model_dir)
        self.backend = backend
        self.threads = max(1, threads or os.cpu_count() or 1)
        self.streams = max(1, min(int(streams or self.threads), self.threads))
        if prompt_name is OnnxEncoder._DEFAULT_PROMPT:
            prompt_name = next((n for n in PASSAGE_PROMPT_NAMES if self.pipeline.prompts.get(n)), None)
        elif prompt_name is not None and prompt_name not in self.pipeline.prompts:
            raise ValueError(f"the model has no prompt named {prompt_name!r}")
        self.prompt_name = prompt_name
        self.prompt = self.pipeline.prompts.get(prompt_name, "") if prompt_name else ""
        self.tokenizer = load_tokenizer(self.pipeline)
        self._executor: ThreadPoolExecutor | None = None
        self.path = export_onnx(self.model_dir)
        self._run = self._openvino() if backend == "openvino" else self._onnxruntime()

    @property
    def dimension(self) -> int:
        return self.pipeline.dimension

    def _onnxruntime(self):
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = max(1, self.threads // self.streams)
        options.inter_op_num_threads = 1
        options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        # Threads that wait sleep instead of spinning: next to a busy process, spinning threads
        # take the core the others need (the same reason qa build runs torch with OMP_WAIT_POLICY=PASSIVE).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        session = onnxruntime.InferenceSession(str(self.path), options, providers=["CPUExecutionProvider"])

        def run(ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
            return session.run(None, {"input_ids": ids, "attention_mask": mask})[0]

        return run

    def _openvino(self):
        import openvino

        core = openvino.Core()
        compiled = core.compile_model(str(self.path), "CPU", {
            "INFERENCE_NUM_THREADS": self.threads,
            # f32 explicitly: on CPUs with bf16 instructions OpenVINO would otherwise compute in bf16.
            "INFERENCE_PRECISION_HINT": "f32",
            **({"PERFORMANCE_HINT": "THROUGHPUT", "NUM_STREAMS": self.streams} if self.streams > 1
               else {"PERFORMANCE_HINT": "LATENCY"}),
        })
        local = threading.local()

        def run(ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
            request = getattr(local, "request", None)
            if request is None:
                request = local.request = compiled.create_infer_request()
            return request.infer({"input_ids": ids, "attention_mask": mask})[0].copy()

        return run

    def tokenize(self, texts: Sequence[str]) -> list[list[int]]:
        """Token ids of each text with the prompt, as the model sees them (truncated)."""
        return [encoding.ids for encoding in self.tokenizer.encode_batch([self.prompt + t for t in texts])]

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """L2-normalised float32 embeddings, one row per text, in the order given."""
        texts = list(texts)
        out = np.zeros((len(texts), self.dimension), np.float32)
        if not texts:
            return out
        token_ids = self.tokenize(texts)
        lengths = np.array([len(ids) for ids in token_ids])
        order = np.argsort(-lengths, kind="stable")  # longest first: a batch too big fails at once
        batch_size = max(1, int(batch_size))
        if self.streams > 1:  # enough batches for every stream, also when the caller sends one batch's worth
            batch_size = min(batch_size, -(-len(texts) // self.streams))
        batches = [order[start : start + batch_size] for start in range(0, len(order), batch_size)]

        def embed(rows: np.ndarray) -> np.ndarray:
            width = int(lengths[rows].max())
            ids = np.full((len(rows), width), self.pipeline.pad_token_id, np.int64)
            mask = np.zeros((len(rows), width), np.int64)
            for i, row in enumerate(rows):
                ids[i, : lengths[row]] = token_ids[row]
                mask[i, : lengths[row]] = 1
            return self._pool(self._run(ids, mask), mask)

        if self.streams > 1 and len(batches) > 1:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(self.streams, thread_name_prefix="onnx-encoder")
            results = self._executor.map(embed, batches)
        else:
            results = map(embed, batches)
        for rows, vectors in zip(batches, results):
            out[rows] = vectors
        return out

    def _pool(self, hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
        hidden = hidden.astype(np.float32, copy=False)
        if self.pipeline.pooling == "cls":
            pooled = hidden[:, 0]
        elif self.pipeline.pooling == "max":
            pooled = np.where(mask[:, :, None].astype(bool), hidden, -1e9).max(axis=1)
        else:
            weights = mask[:, :, None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return pooled / np.maximum(norms, 1e-12)
