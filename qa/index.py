"""Building the index: read, chunk, analyse and embed a folder of reports, a batch at a time.

On disk, ``index/CURRENT`` names the build folder in use. A build is written
to a new folder and ``CURRENT`` is swapped atomically afterwards, so readers
never see a half-written index. Passages are embedded only when their text is
new: vectors are reused by content hash from the previous build and from the
embedding cache that an interrupted build leaves behind (``index/.cache``).
"""

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

from .chunking import CHUNKER_VERSION, PATH_SEPARATOR, Passage, chunk_document, describe, sentence_spans
from .documents import DocumentError, Problem, iter_documents, source_files
from .features import FEATURES_VERSION, analyse_document
from .stores import StoreError
from .stores.integrity import Damage, DamagedIndex, FileRecord, verify_files
from .answers import layout
from .tokens import tokenize

# 4: columnar build folder, build-time features, sentence-window BM25, passage hashes; 5: stored tokens;
# 6: the answer picker's layout of every passage (local builds now also record a checksum of every file);
# 7: a passage read by OCR is marked
INDEX_FORMAT = 7
READABLE_FORMATS = (4, 5, 6, 7)  # builds whose vectors (and, from 5, tokens) a new build may reuse
EMBED_BATCH = 32
FLUSH_PASSAGES = 512  # passages gathered before they are embedded and written (bounds build memory)
CACHE_CHUNK = 2048  # embedded passages per embedding-cache file


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


def current_build(folder: Path) -> Path:
    folder = Path(folder)
    pointer = folder / "CURRENT"
    if not pointer.exists():
        raise IndexError_(f"no index in {folder}: run `qa build` first")
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        raise IndexError_(f"{pointer} is damaged; run `qa build` to rebuild the index") from None
    build = folder / name
    if not name.startswith("build-") or "/" in name or not build.is_dir():
        raise IndexError_(f"the index in {folder} is incomplete ({pointer} names no build folder): "
                          f"run `qa build` to rebuild it")
    return build


def read_manifest(folder: Path) -> Manifest | None:
    try:
        return Manifest.read(current_build(folder) / "manifest.json")
    except (IndexError_, OSError, ValueError, KeyError, TypeError, UnicodeDecodeError):
        return None


def open_store(folder: Path, store=None, formats: tuple[int, ...] = (INDEX_FORMAT,), full_check: bool = False):
    """The store of the build in use, checked against its manifest: local unless ``store``
    (a ``qa.stores.spec.StoreSpec``) names Milvus; ``formats``: local layouts accepted; ``full_check``:
    hash every file of a local build, not only those written since they were last verified."""
    from .stores.local import LocalStore

    if store is not None and not store.is_local:
        from .stores.milvus import open_milvus_store

        return open_milvus_store(folder, store)
    if not (Path(folder) / "CURRENT").exists():
        from .stores.milvus import marked_store

        elsewhere = marked_store(folder)
        if elsewhere:
            raise IndexError_(f"the index {folder} was built in the Milvus store {elsewhere}: open it with "
                              f"--store {elsewhere} (or QA_STORE={elsewhere})")
    build, manifest = _local_build(folder, formats)
    if not manifest.checksummed:
        raise _without_checksums(folder)
    if full_check:
        damaged = verify_files(build, manifest.files, full=True)
        if damaged:
            raise DamagedIndex(damaged)
    return LocalStore(build, manifest, verify=not full_check)


def _read_build_manifest(build: Path) -> Manifest:
    path = build / "manifest.json"
    try:
        return Manifest.read(path)
    except (OSError, ValueError, KeyError, TypeError) as error:
        reason = "missing" if isinstance(error, FileNotFoundError) else \
            f"unreadable: {type(error).__name__}: {' '.join(str(error).split())[:120]}"
        raise DamagedIndex([Damage(path, reason)]) from error


def _without_checksums(folder: Path) -> IndexError_:
    return IndexError_(f"the index in {folder} records no checksums of its files (an earlier version built it); "
                       f"run `qa build` to add them (nothing is embedded again)")


def _local_build(folder: Path, formats: tuple[int, ...], any_chunker: bool = False) -> tuple[Path, Manifest]:
    """The build folder in use and its manifest, when its chunker (unless ``any_chunker``: a build that only lends
    vectors by content hash) and layout are among those accepted."""
    build = current_build(folder)
    manifest = _read_build_manifest(build)
    if manifest.chunker != CHUNKER_VERSION and not any_chunker:
        raise IndexError_(f"the index in {folder} was built by another version of the chunker; "
                          f"rebuild it with `qa build`")
    if manifest.format not in formats:
        raise IndexError_(f"the index in {folder} has an older layout; rebuild it with `qa build`")
    if not manifest.files:
        raise DamagedIndex([Damage(build / "manifest.json", "it lists no files")])
    return build, manifest


@dataclass
class IndexCheck:
    """``qa check``: every file of the build in use against the digest its build recorded."""

    build: Path
    files: int
    passages: int
    damaged: list[Damage]


def check_index(folder: Path) -> IndexCheck:
    """Hash every file of the build in use; a missing index or one of an older layout is an ``IndexError_``."""
    build = current_build(folder)
    try:
        build, manifest = _local_build(folder, (INDEX_FORMAT,))
    except DamagedIndex as error:
        return IndexCheck(build, 1, 0, error.damaged)
    if not manifest.checksummed:
        raise _without_checksums(folder)
    return IndexCheck(build, len(manifest.files) + 1, manifest.passages,
                      verify_files(build, manifest.files, full=True))


def check_model(manifest: Manifest, model: str, fingerprint: str) -> None:
    if manifest.model != model or manifest.model_fingerprint != fingerprint:
        raise IndexError_(
            f"the index was built with model {manifest.model!r} (weights {manifest.model_fingerprint}), "
            f"not {model!r} (weights {fingerprint}); rebuild it with `qa build --model {model}`")


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


class _EmbeddingCache:
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


def _source_hashes(seeds: Path) -> dict[str, str]:
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


@dataclass
class Reuse:
    """What a build takes from the build in use, by content hash: vectors, tokens, answer layouts."""

    manifest: Manifest
    positions: dict[int, int]  # content hash → position in the build in use
    vectors: np.ndarray
    tokens: object | None  # qa.stores.local.StoredTokens, when made by today's tokenizer
    layouts: object | None  # the build in use (a LocalStore), when its layouts are today's
    whole: bool  # every file verified against its checksum: the build may already be up to date


def _reusable(folder: Path, model: str, fingerprint: str) -> tuple[Reuse | None, list[Damage]]:
    """What the build in use can lend, when it was made by the same model, and its damaged files. Every file
    is hashed: only files that match their checksums lend anything, and a damaged build lends its vectors and
    tokens at most."""
    from .stores.local import LocalStore, salvage

    try:
        build, manifest = _local_build(folder, READABLE_FORMATS, any_chunker=True)
    except DamagedIndex as error:
        return None, error.damaged
    except StoreError:
        return None, []
    if manifest.model != model or manifest.model_fingerprint != fingerprint:
        return None, []
    damaged = verify_files(build, manifest.files, full=True)
    if not damaged:
        try:
            store = LocalStore(build, manifest, verify=False)
        except StoreError:
            pass
        else:
            layouts = store if manifest.format == INDEX_FORMAT and manifest.features == FEATURES_VERSION else None
            return Reuse(manifest, _positions(store.columns["hash"]), store.vectors, store.stored_tokens(), layouts,
                         whole=manifest.checksummed), []
    found = salvage(build, manifest, damaged)
    if found is None:
        return None, damaged
    return Reuse(manifest, _positions(found.hashes), found.vectors, found.tokens, None, whole=False), damaged


def _positions(hashes) -> dict[int, int]:
    return {int(h): position for position, h in enumerate(np.asarray(hashes))}


def remove_leftovers(folder: Path) -> None:
    """Remove build folders that no pointer names: what a killed build left behind."""
    folder = Path(folder)
    try:
        keep = current_build(folder).name
    except IndexError_:
        keep = None
    for stale in folder.glob("build-*"):
        if stale.name != keep and stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)
    for pointer in folder.glob(".CURRENT.*"):
        pointer.unlink(missing_ok=True)


def build_index(seeds: Path, folder: Path, embedder, progress: BuildProgress | None = None,
                force: bool = False, store=None) -> BuildReport:
    """Bring the index in ``folder`` up to date with the reports under ``seeds``.

    Passages whose text (with its context) was embedded before, by the previous build or
    by an interrupted one, reuse that vector; only new text is embedded. ``store`` (a
    ``qa.stores.spec.StoreSpec``) naming Milvus builds there instead of in ``folder``.
    """
    if store is not None and not store.is_local:
        from .stores.milvus import build_milvus

        return build_milvus(seeds, folder, embedder, store, progress or BuildProgress(), force)
    seeds = Path(seeds)
    sources = _source_hashes(seeds)
    with _build_lock(Path(folder)):
        return _build(seeds, Path(folder), sources, embedder, progress or BuildProgress(), force)


@contextlib.contextmanager
def _build_lock(folder: Path):
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


def _build(seeds: Path, folder: Path, sources: dict[str, str], embedder, progress: BuildProgress,
           force: bool) -> BuildReport:
    from .stores.local import LocalStoreWriter

    started = time.perf_counter()
    fingerprint = embedder.fingerprint()
    previous_manifest = None if force else read_manifest(folder)
    previous, damaged = (None, []) if force else _reusable(folder, embedder.name, fingerprint)
    if previous is not None and previous.whole and previous.manifest.chunker == CHUNKER_VERSION \
            and previous.manifest.features == FEATURES_VERSION and previous.manifest.format == INDEX_FORMAT \
            and previous.manifest.sources == {k: v for k, v in sources.items()
                                              if k not in previous.manifest.problems} \
            and set(previous.manifest.problems) <= set(sources):
        remove_leftovers(folder)
        return BuildReport("up to date", previous.manifest.passages, 0, [], [], time.perf_counter() - started,
                           problems=[f"{name}: {reason}" if not reason.startswith(name) else reason
                                     for name, reason in previous.manifest.problems.items()])

    folder.mkdir(parents=True, exist_ok=True)
    remove_leftovers(folder)
    reuse: dict[int, int] = previous.positions if previous is not None else {}
    stored_tokens = previous.tokens if previous is not None else None
    layouts = previous.layouts if previous is not None else None
    cache = _EmbeddingCache(folder, fingerprint)
    dimension = embedder.dimension
    build = Path(tempfile.mkdtemp(prefix="build-", dir=folder))
    stages = {"read and chunk": 0.0, "analyse": 0.0, "embed": 0.0, "write": 0.0}
    problems: list[Problem] = []
    documents = {}
    titles = {}
    embedded = 0
    changed: list[str] = []
    try:
        writer = LocalStoreWriter(build, dimension)
        pending: list[tuple[Passage, int, object, str]] = []

        def flush() -> None:
            nonlocal embedded
            clock = time.perf_counter()
            missing = [i for i, (_, h, _, _) in enumerate(pending) if h not in reuse and h not in cache.known]
            if missing:
                order = sorted(missing, key=lambda i: len(pending[i][3]))  # similar lengths batch with little padding
                for j in range(0, len(order), EMBED_BATCH):
                    batch = order[j:j + EMBED_BATCH]
                    vectors = embedder.embed_passages([pending[i][3] for i in batch])
                    cache.add([pending[i][1] for i in batch], vectors)  # kept if the build is interrupted
                    for i, vector in zip(batch, vectors):
                        cache.known[pending[i][1]] = vector
                    embedded += len(batch)
                    progress.embedded(len(batch))
            stages["embed"] += time.perf_counter() - clock
            clock = time.perf_counter()
            # each vector is held until its passages are written: memory stays bounded at any corpus size
            fresh = {h: cache.known.pop(h) for _, h, _, _ in pending if h in cache.known}
            for passage, h, features, text in pending:
                vector = fresh[h] if h in fresh else previous.vectors[reuse[h]]
                if stored_tokens is not None and h in reuse:  # the same indexed text gives the same tokens
                    passage_tokens, window_tokens = stored_tokens.translate(reuse[h], writer.tokens.vocabulary)
                else:
                    passage_tokens, window_tokens = lexical_tokens(passage, heads)
                where = layouts.layout(reuse[h]) if layouts is not None and h in reuse \
                    else layout(passage.text, list(features.figures))
                info = documents.get(passage.source)
                features = features.with_facts(passage.text, where, info.place if info is not None else "")
                writer.add(passage, vector, h, features, passage_tokens, window_tokens, where)
            stages["write"] += time.perf_counter() - clock
            pending.clear()

        heads: dict[str, list[str]] = {}  # tokens of section paths, shared by the passages of a section
        progress.start(len(sources))
        for report in read_reports(seeds, problems, previous_manifest.sources if previous_manifest else {},
                                   stages, progress):
            documents[report.name] = report.info
            titles[report.name] = report.title
            if report.changed:
                changed.append(report.name)
            pending.extend(report.passages)
            if len(pending) >= FLUSH_PASSAGES:
                flush()
        flush()
        cache.flush()
        if not documents:
            raise nothing_read(seeds, problems)
        clock = time.perf_counter()
        manifest = finished_manifest(embedder.name, fingerprint, dimension, writer.count, sources, problems)
        del previous, stored_tokens, layouts  # their memory maps must close before the folder may go
        writer.finish(manifest, documents, titles)
        stages["write"] += time.perf_counter() - clock
        build.chmod(0o755)
        pointer = folder / f".CURRENT.{os.getpid()}"
        pointer.write_text(build.name, encoding="utf-8")
        os.replace(pointer, folder / "CURRENT")
    except BaseException:
        cache.flush()  # what was embedded is kept for the next try
        shutil.rmtree(build, ignore_errors=True)
        raise
    finally:
        progress.finish()
    cache.clear()
    remove_leftovers(folder)
    removed = sorted(set(previous_manifest.sources) - set(sources)) if previous_manifest else []
    return BuildReport("built", manifest.passages, embedded, changed, removed, time.perf_counter() - started,
                       problems=[str(p) for p in problems], stages={k: round(v, 3) for k, v in stages.items()},
                       repaired=[f"{damage.path}: {damage.reason}" for damage in damaged])
