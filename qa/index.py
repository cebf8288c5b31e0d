"""Building the index: read, chunk, analyse and embed a folder of reports, a batch at a time.

On disk, ``index/CURRENT`` names the build folder in use. A build is written
to a new folder and ``CURRENT`` is swapped atomically afterwards, so readers
never see a half-written index. Passages are embedded only when their text is
new: vectors are reused by content hash from the previous build and from the
embedding cache that an interrupted build leaves behind (``index/.cache``).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .chunking import CHUNKER_VERSION, Passage
from .documents import Problem
from .features import FEATURES_VERSION
from .stores import StoreError
from .stores.build import (EMBED_BATCH, FLUSH_PASSAGES, INDEX_FORMAT, BuildProgress, BuildReport, EmbeddingCache,
                           IndexError_, Manifest, build_lock, finished_manifest, lexical_tokens, marked_store,
                           nothing_read, read_reports, source_hashes)
from .stores.integrity import Damage, DamagedIndex, verify_files
from .answers import layout

READABLE_FORMATS = (4, 5, 6, 7)  # builds whose vectors (and, from 5, tokens) a new build may reuse


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
    sources = source_hashes(seeds)
    with build_lock(Path(folder)):
        return _build(seeds, Path(folder), sources, embedder, progress or BuildProgress(), force)


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
    cache = EmbeddingCache(folder, fingerprint)
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
                features = features.with_facts(passage.text, where, info.place if info is not None else "",
                                               header=passage.context if passage.row else "")
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
