"""The persisted index: passages, dense vectors in FAISS, BM25 over jieba tokens, and a manifest.

On disk, ``index/CURRENT`` names the build folder in use. A build is written
to a new folder and ``CURRENT`` is swapped atomically afterwards, so an
interrupted build never leaves a half-written index behind.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import bm25s
import faiss
import numpy as np

from .chunking import CHUNKER_VERSION, DocumentInfo, Passage, chunk_document, describe_document
from .documents import load_corpus
from .tokens import tokenize

INDEX_FORMAT = 3  # 3: BM25 over jieba's search-mode tokens
EMBED_BATCH = 16


class IndexError_(Exception):
    """An index that is missing, unreadable, or built for another model or chunker."""


def indexed_text(passage: Passage) -> str:
    """What is embedded and BM25-indexed: the passage with its document and section as context."""
    return f"{passage.section_path}\n{passage.text}"


@dataclass
class Manifest:
    model: str
    model_fingerprint: str
    dimension: int
    passages: int
    chunker: str
    sources: dict[str, str]  # file name -> sha256 of its bytes
    format: int = INDEX_FORMAT
    built_at: str = field(default_factory=lambda: time.strftime("%Y-%m-%dT%H:%M:%S%z"))

    @classmethod
    def read(cls, path: Path) -> "Manifest":
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(**{key: data[key] for key in cls.__dataclass_fields__ if key in data})


class Index:
    def __init__(self, passages: list[Passage], vectors: np.ndarray, manifest: Manifest,
                 documents: dict[str, DocumentInfo] | None = None):
        self.passages = passages
        self.documents = documents or {}
        self.vectors = vectors
        self.manifest = manifest
        self.dense = faiss.IndexFlatIP(vectors.shape[1])
        if len(vectors):
            self.dense.add(vectors)
        self.bm25 = bm25s.BM25()
        self.bm25.index([tokenize(indexed_text(p)) for p in passages], show_progress=False)
        self.by_id = {passage.id: position for position, passage in enumerate(passages)}

    # -- retrieval ---------------------------------------------------------
    def dense_scores(self, query_vector: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        k = min(k, len(self.passages))
        scores, positions = self.dense.search(query_vector.reshape(1, -1), k)
        return positions[0], scores[0]

    def bm25_scores(self, query_tokens: list[str], k: int) -> tuple[np.ndarray, np.ndarray]:
        scores = self.bm25.get_scores(query_tokens) if query_tokens else np.zeros(len(self.passages))
        order = np.argsort(-scores, kind="stable")[: min(k, len(self.passages))]
        order = order[scores[order] > 0]
        return order, scores[order]

    # -- persistence -------------------------------------------------------
    def save(self, folder: Path) -> Path:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        build = Path(tempfile.mkdtemp(prefix="build-", dir=folder))
        try:
            with open(build / "passages.jsonl", "w", encoding="utf-8") as handle:
                for passage in self.passages:
                    handle.write(json.dumps(passage.to_dict(), ensure_ascii=False) + "\n")
            np.save(build / "vectors.npy", self.vectors)
            (build / "documents.json").write_text(json.dumps(
                {name: info.to_dict() for name, info in self.documents.items()}, ensure_ascii=False, indent=2),
                encoding="utf-8")
            faiss.write_index(self.dense, str(build / "dense.faiss"))
            self.bm25.save(str(build / "bm25"))
            (build / "manifest.json").write_text(
                json.dumps(asdict(self.manifest), ensure_ascii=False, indent=2), encoding="utf-8")
            build.chmod(0o755)
            pointer = folder / f".CURRENT.{os.getpid()}"
            pointer.write_text(build.name, encoding="utf-8")
            os.replace(pointer, folder / "CURRENT")
        except BaseException:
            shutil.rmtree(build, ignore_errors=True)
            raise
        for stale in folder.glob("build-*"):
            if stale.name != build.name:
                shutil.rmtree(stale, ignore_errors=True)
        return build

    @classmethod
    def load(cls, folder: Path) -> "Index":
        build = current_build(folder)
        try:
            manifest = Manifest.read(build / "manifest.json")
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise IndexError_(f"the index in {folder} is unreadable ({error}); rebuild it with `qa build`") from error
        if manifest.chunker != CHUNKER_VERSION:
            raise IndexError_(
                f"the index in {folder} was built by another version of the chunker; rebuild it with `qa build`")
        if manifest.format != INDEX_FORMAT:
            raise IndexError_(f"the index in {folder} has an older layout; rebuild it with `qa build`")
        try:
            passages = [
                Passage.from_dict(json.loads(line))
                for line in (build / "passages.jsonl").read_text(encoding="utf-8").splitlines() if line
            ]
            vectors = np.load(build / "vectors.npy")
            documents = {name: DocumentInfo(**info) for name, info in
                         json.loads((build / "documents.json").read_text(encoding="utf-8")).items()}
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise IndexError_(f"the index in {folder} is unreadable ({error}); rebuild it with `qa build`") from error
        index = cls.__new__(cls)
        index.passages, index.vectors, index.manifest, index.documents = passages, vectors, manifest, documents
        index.dense = faiss.read_index(str(build / "dense.faiss"))
        index.bm25 = bm25s.BM25.load(str(build / "bm25"))
        index.by_id = {passage.id: position for position, passage in enumerate(passages)}
        return index

    def check_model(self, model: str, fingerprint: str) -> None:
        if self.manifest.model != model or self.manifest.model_fingerprint != fingerprint:
            raise IndexError_(
                f"the index was built with model {self.manifest.model!r} "
                f"(weights {self.manifest.model_fingerprint}), not {model!r} (weights {fingerprint}); "
                f"rebuild it with `qa build --model {model}`")


def current_build(folder: Path) -> Path:
    folder = Path(folder)
    pointer = folder / "CURRENT"
    if not pointer.exists():
        raise IndexError_(f"no index in {folder}: run `qa build` first")
    build = folder / pointer.read_text(encoding="utf-8").strip()
    if not build.is_dir():
        raise IndexError_(f"the index in {folder} is incomplete: run `qa build` again")
    return build


def read_manifest(folder: Path) -> Manifest | None:
    try:
        return Manifest.read(current_build(folder) / "manifest.json")
    except (IndexError_, OSError, ValueError, KeyError, TypeError):
        return None


@dataclass
class BuildReport:
    status: str  # "up to date" or "built"
    passages: int
    embedded: int  # passages embedded in this run (the rest were reused)
    changed: list[str]
    removed: list[str]
    seconds: float


def build_index(
    seeds: Path,
    folder: Path,
    embedder,
    progress: Callable[[Iterable, int], Iterable] | None = None,
    force: bool = False,
) -> BuildReport:
    """Bring the index in ``folder`` up to date with the files in ``seeds``.

    Only documents whose bytes changed are chunked and embedded again; the
    passages and vectors of the others are reused when the model and chunker
    are the same. ``progress`` wraps the embedding batches (e.g. tqdm).
    """
    started = time.perf_counter()
    documents = load_corpus(seeds)
    sources = {doc.name: doc.sha256 for doc in documents}
    fingerprint = embedder.fingerprint()
    previous_manifest = None if force else read_manifest(folder)
    reusable = (
        previous_manifest is not None
        and previous_manifest.model == embedder.name
        and previous_manifest.model_fingerprint == fingerprint
        and previous_manifest.chunker == CHUNKER_VERSION
        and previous_manifest.format == INDEX_FORMAT
    )
    if reusable and previous_manifest.sources == sources:
        return BuildReport("up to date", previous_manifest.passages, 0, [], [], time.perf_counter() - started)

    kept: dict[str, list[tuple[Passage, np.ndarray]]] = {}
    if reusable:
        try:
            previous = Index.load(folder)
            for passage, vector in zip(previous.passages, previous.vectors):
                if previous_manifest.sources.get(passage.source) == sources.get(passage.source):
                    kept.setdefault(passage.source, []).append((passage, vector))
        except IndexError_:
            kept = {}
    changed = [doc.name for doc in documents if doc.name not in kept]
    removed = sorted(set(previous_manifest.sources) - set(sources)) if previous_manifest else []

    fresh = [passage for doc in documents if doc.name in changed for passage in chunk_document(doc)]
    fresh_vectors = _embed(embedder, fresh, progress)
    fresh_by_source: dict[str, list[tuple[Passage, np.ndarray]]] = {}
    for passage, vector in zip(fresh, fresh_vectors):
        fresh_by_source.setdefault(passage.source, []).append((passage, vector))

    ordered = [pair for doc in documents for pair in (kept.get(doc.name) or fresh_by_source.get(doc.name, []))]
    passages = [passage for passage, _ in ordered]
    dimension = embedder.dimension
    vectors = np.vstack([vector for _, vector in ordered]).astype(np.float32) if ordered \
        else np.zeros((0, dimension), np.float32)
    manifest = Manifest(
        model=embedder.name, model_fingerprint=fingerprint, dimension=dimension,
        passages=len(passages), chunker=CHUNKER_VERSION, sources=sources,
    )
    Index(passages, vectors, manifest, {doc.name: describe_document(doc) for doc in documents}).save(folder)
    return BuildReport("built", len(passages), len(fresh), changed, removed, time.perf_counter() - started)


def _embed(embedder, passages: list[Passage], progress) -> np.ndarray:
    texts = [indexed_text(p) for p in passages]
    batches = [texts[i : i + EMBED_BATCH] for i in range(0, len(texts), EMBED_BATCH)]
    iterator = progress(batches, len(texts)) if progress else batches
    parts = [embedder.embed_passages(batch) for batch in iterator]
    return np.vstack(parts) if parts else np.zeros((0, embedder.dimension), np.float32)
