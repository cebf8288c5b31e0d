"""What the local and the Milvus store share: the manifest and the index format, reading reports into the
passages a build embeds and writes, the embedding cache an interrupted build leaves, the build lock and report,
the note of which store an index folder was built in, and the parameters of approximate dense search."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import numpy as np

from ..chunking import CHUNKER_VERSION, PATH_SEPARATOR, Passage, chunk_document, describe, sentence_spans
from ..documents import DocumentError, Problem, iter_documents, source_files
from ..features import FEATURES_VERSION, analyse_document
from ..tokens import tokenize
from . import StoreError
from .integrity import FileRecord

# 4: columnar build folder, build-time features, sentence-window BM25, passage hashes; 5: stored tokens;
# 6: the answer picker's layout of every passage (local builds now also record a checksum of every file);
# 7: a passage read by OCR is marked
INDEX_FORMAT = 7
EMBED_BATCH = 32
FLUSH_PASSAGES = 512  # passages gathered before they are embedded and written (bounds build memory)
CACHE_CHUNK = 2048  # embedded passages per embedding-cache file
ANN_THRESHOLD = 50_000  # passages; above it dense search uses an HNSW index instead of an exact scan (whose cost grows with the corpus)
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 200
HNSW_EF_SEARCH = 256  # recall@10 0.992 against exact search on the pile's real embeddings (benchmarks/ann.py)


class IndexError_(StoreError):
    """An index that is missing, unreadable, or built for another model or chunker."""


def indexed_text(passage: Passage) -> str:
    """What is embedded and BM25-indexed: the passage with its document, section and table header as context."""
    head = passage.section_path if not passage.context else f"{passage.section_path}\n{passage.context}"
    return f"{head}\n{passage.text}"


def content_hash(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little", signed=True)


def lexical_tokens(passage: Passage, heads: dict[str, list[str]]) -> tuple[list[str], list[list[str]]]:
    """BM25 tokens of a passage (with its document, section and table header) and of each sentence window.

    Each sentence is tokenised once and shared by the passage and the two windows it belongs to;
    a section's heading tokens are tokenised once per section (``heads`` remembers them).
    """
    def head_tokens(head: str) -> list[str]:
        if head not in heads:
            if len(heads) > 10_000:
                heads.clear()
            heads[head] = tokenize(head)
        return heads[head]

    table_header = f"\n{passage.context}" if passage.context else ""
    sentences = [tokenize(passage.text[s:e]) for s, e in sentence_spans(passage.text)] or [[]]
    tokens = head_tokens(passage.section_path + table_header) + [t for sentence in sentences for t in sentence]
    window_head = head_tokens(PATH_SEPARATOR.join(passage.section) + table_header)
    windows = [window_head + sentences[i] + (sentences[i + 1] if i + 1 < len(sentences) else [])
               for i in range(len(sentences))]
    return tokens, windows


@dataclass
class Manifest:
    model: str
    model_fingerprint: str
    dimension: int
    passages: int
    chunker: str
    sources: dict[str, str]  # relative path -> sha256 of its bytes
    features: str = ""  # version of the build-time analysis (qa.features.FEATURES_VERSION)
    format: int = INDEX_FORMAT
    store: str = "local"
    problems: dict[str, str] = field(default_factory=dict)  # files that could not be read, and why
    files: dict[str, FileRecord] = field(default_factory=dict)  # every file of the build: its size and digest
    built_at: str = field(default_factory=lambda: time.strftime("%Y-%m-%dT%H:%M:%S%z"))

    @property
    def checksummed(self) -> bool:
        return bool(self.files) and all(record.digest for record in self.files.values())

    @classmethod
    def read(cls, path: Path) -> "Manifest":
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        manifest = cls(**{key: data[key] for key in cls.__dataclass_fields__ if key in data})
        if not isinstance(manifest.files, dict):
            raise ValueError("files is not a JSON object")
        manifest.files = {str(name): FileRecord.of(value) for name, value in manifest.files.items()}
        return manifest


@dataclass
class BuildReport:
    status: str  # "up to date" or "built"
    passages: int
    embedded: int  # passages embedded in this run (the rest were reused)
    changed: list[str]
    removed: list[str]
    seconds: float
    problems: list[str] = field(default_factory=list)  # one line per file that could not be read
    repaired: list[str] = field(default_factory=list)  # one line per damaged file of the index this build replaced
    stages: dict[str, float] = field(default_factory=dict)  # seconds per stage


class BuildProgress:
    """What a build reports as it goes; the CLI shows it as a progress bar. The default says nothing."""

    def start(self, files: int) -> None: ...

    def file_done(self, name: str, passages: int) -> None: ...

    def embedded(self, count: int) -> None: ...

    def note(self, line: str) -> None:
        """A report read only in part (pages past the OCR budget, a damaged picture): one line naming it."""

    def finish(self) -> None: ...


class EmbeddingCache:
    """Vectors embedded by an unfinished build, by content hash, so a resumed build does not embed them again."""

    def __init__(self, folder: Path, fingerprint: str):
        self.folder = Path(folder) / ".cache" / f"embeddings-{fingerprint}"
        self.known: dict[int, np.ndarray] = {}
        self._pending_hashes: list[int] = []
        self._pending_vectors: list[np.ndarray] = []
        if self.folder.is_dir():
            for chunk in sorted(self.folder.glob("chunk-*.npz")):
                try:
                    with np.load(chunk, allow_pickle=False) as data:
                        for h, v in zip(data["hashes"], data["vectors"]):
                            self.known[int(h)] = v
                except (OSError, ValueError, KeyError, EOFError):
                    chunk.unlink(missing_ok=True)  # a chunk cut short by the interruption

    def add(self, hashes: list[int], vectors: np.ndarray) -> None:
        self._pending_hashes.extend(hashes)
        self._pending_vectors.append(vectors)
        if len(self._pending_hashes) >= CACHE_CHUNK:
            self.flush()

    def flush(self) -> None:
        if not self._pending_hashes:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        number = len(list(self.folder.glob("chunk-*.npz")))
        handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            np.savez(out, hashes=np.array(self._pending_hashes, dtype=np.int64),
                     vectors=np.vstack(self._pending_vectors))
        os.replace(temporary, self.folder / f"chunk-{number:06d}-{os.getpid()}.npz")
        self._pending_hashes, self._pending_vectors = [], []

    def clear(self) -> None:
        shutil.rmtree(self.folder.parent, ignore_errors=True)


def source_hashes(seeds: Path) -> dict[str, str]:
    hashes = {}
    for path in source_files(seeds):
        digest = hashlib.sha256()
        try:
            with open(path, "rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
        except OSError:
            continue  # reported when the file is read
        hashes[path.relative_to(seeds).as_posix()] = digest.hexdigest()
    return hashes


@contextlib.contextmanager
def build_lock(folder: Path):
    """One build at a time per index folder; searches never wait (they read the build ``CURRENT`` names)."""
    import fcntl

    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".build.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise IndexError_(f"another `qa build` is writing the index in {folder}; "
                              f"run this one again when it has finished") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@dataclass
class ReadReport:
    """One report as a build takes it in: its metadata and its passages with what embedding and writing need."""

    name: str
    info: object  # qa.metadata.DocumentInfo
    title: str
    changed: bool  # new, or its bytes differ from the previous build's
    passages: list[tuple[Passage, int, object, str]]  # passage, content hash, features, indexed text


def read_reports(seeds: Path, problems: list[Problem], previous_sources: dict[str, str], stages: dict[str, float],
                 progress: BuildProgress) -> Iterator[ReadReport]:
    """Read, chunk and analyse every report under ``seeds``, one at a time (what a store's build shares).

    Time spent reading and chunking, and analysing, is added to ``stages``; the time the caller spends
    between two reports is not."""
    clock = time.perf_counter()
    for doc in iter_documents(seeds, problems):
        metadata = describe(doc)
        passages = chunk_document(doc, metadata)
        stages["read and chunk"] += time.perf_counter() - clock
        clock = time.perf_counter()
        features = analyse_document(passages, metadata.year)
        stages["analyse"] += time.perf_counter() - clock
        texts = [indexed_text(passage) for passage in passages]
        yield ReadReport(
            name=doc.name, info=metadata.info(unit=doc.unit), title=metadata.title,
            changed=previous_sources.get(doc.name) != doc.sha256,
            passages=[(passage, content_hash(text), feature, text)
                      for passage, feature, text in zip(passages, features, texts)],
        )
        for note in doc.notes:
            progress.note(f"{doc.name}: {note}")
        progress.file_done(doc.name, len(passages))
        clock = time.perf_counter()


def finished_manifest(model: str, fingerprint: str, dimension: int, passages: int, sources: dict[str, str],
                      problems: list, store: str = "local") -> Manifest:
    """The manifest of a finished build, for either store; a report that could not be read is listed with why,
    and left out of ``sources`` so the next build tries it again."""
    problem_map = {problem.source: str(problem) for problem in problems}
    return Manifest(model=model, model_fingerprint=fingerprint, dimension=dimension, passages=passages,
                    chunker=CHUNKER_VERSION, features=FEATURES_VERSION, store=store,
                    sources={k: v for k, v in sources.items() if k not in problem_map}, problems=problem_map)


def nothing_read(seeds: Path, problems: list[Problem]) -> DocumentError:
    reasons = "; ".join(str(p) for p in problems[:3]) + ("; …" if len(problems) > 3 else "")
    return DocumentError(f"none of the reports in {seeds} could be read ({reasons})")


def mark_store(folder: Path, name: str) -> None:
    """Note in the index folder the store the index lives in (a Milvus one), so opening it locally can say so."""
    folder.mkdir(parents=True, exist_ok=True)
    marker = folder / "STORE"
    temporary = folder / f".STORE.{os.getpid()}"
    temporary.write_text(name + "\n", encoding="utf-8")
    os.replace(temporary, marker)


def marked_store(folder: Path) -> str | None:
    """The store a Milvus build of this index folder was written to, if any."""
    try:
        return (Path(folder) / "STORE").read_text(encoding="utf-8").strip() or None
    except (OSError, UnicodeDecodeError):
        return None
