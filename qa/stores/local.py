"""The local store: a build folder of columnar files, memory-mapped where it matters.

Layout of a build folder (``index/build-…``, named by ``index/CURRENT``)::

    manifest.json         model, dimension, counts, sources and their hashes, every file's size and SHA-256
    documents.json        each document's metadata (title, place, date, year …)
    strings.json          sources, section paths, table header rows, figure units (each stored once)
    texts.bin             passage texts, UTF-8, back to back; text_offsets.npy indexes it
    facts.bin             what each figure measures (``qa.facts.Fact``), a JSON array per passage, back to
                          back; fact_offsets.npy indexes it
    columns/*.npy         one array per passage field and build-time feature (offsets, section, period,
                          figures as compressed rows, sentence windows …)
    emphasis.json         the few passages with emphasised spans
    vectors.npy           passage embeddings, float32, L2-normalised (memory-mapped)
    ann.faiss             an approximate-nearest-neighbour index, above ``ANN_THRESHOLD`` passages only
    bm25/, windows/       bm25s indexes over passages and over their sentence windows (memory-mapped)
    lexical/              the token ids of every passage and window and their vocabulary, so a rebuild
                          reuses the tokens of unchanged passages instead of tokenising them again
    .verified.json        when each file last matched its digest (``qa.stores.integrity``): not part of the index

Nothing is tokenised when a store is opened: BM25 indexes, features and vectors
were computed at build time and are read as they are.
"""

from __future__ import annotations

import json
import os
from array import array
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterator

import numpy as np

from ..answers import Layout
from ..chunking import Passage
from ..facts import Fact, IndicatorUnits, facts_from_json, facts_to_json
from ..features import PassageFeatures
from ..figures import KINDS, Figure
from ..periods import FULL, H1, H2, Q3, Period
from . import Hits, StoreError, parse_passage_id
from ..tokens import TOKENIZER_VERSION
from .bm25 import TokenTable, as_array, save_bm25
from .build import ANN_THRESHOLD, HNSW_EF_CONSTRUCTION, HNSW_EF_SEARCH, HNSW_M
from .integrity import Damage, DamagedIndex, record_files, verify_files

PARTS = (None, FULL, H1, H2, Q3)
# One value per passage.
PASSAGE_COLUMNS = ("start", "end", "source", "section", "location", "table", "row", "context", "hash",
                   "period_first", "period_last", "period_part", "period_plan", "picture", "ocr")
# Passage columns that builds before OCR lack: read as zeros.
OCR_COLUMNS = frozenset({"picture", "ocr"})
# Rows of variable length per passage: ``X_offsets`` (one more than the passages, or than the clauses for
# clause_token_offsets) says where each passage's rows start. The answer picker's layout of a passage
# (``qa.answers.Layout``) is the clause_*, sentence_* and the figure_* columns after figure_unit.
ROW_COLUMNS = ("figure_offsets", "figure_start", "figure_end", "figure_kind", "figure_unit",
               "figure_clause", "figure_item", "figure_item_last", "figure_subjectless", "figure_word_before",
               "figure_range_end", "figure_change",
               "clause_offsets", "clause_start", "clause_end", "clause_listed", "clause_token_offsets", "clause_tokens",
               "sentence_offsets", "sentence_start", "sentence_end", "window_offsets")
COLUMNS = PASSAGE_COLUMNS + ROW_COLUMNS
# Columns that builds of an earlier layout lack (their vectors and tokens still serve a new build).
LAYOUT_COLUMNS = frozenset(name for name in ROW_COLUMNS if name.startswith(("clause_", "sentence_"))
                           or name in ("figure_clause", "figure_item", "figure_item_last", "figure_subjectless",
                                       "figure_word_before", "figure_range_end", "figure_change"))
_STARTING_AT_ZERO = ("figure_offsets", "window_offsets", "clause_offsets", "clause_token_offsets", "sentence_offsets")


def _damaged(path: Path, error: Exception) -> StoreError:
    return StoreError(Damage(path, f"{type(error).__name__}: {' '.join(str(error).split())[:160]}").message())


class LocalStoreWriter:
    """Writes a build folder passage by passage; memory stays small whatever the corpus size."""

    def __init__(self, folder: Path, dimension: int):
        self.folder = Path(folder)
        (self.folder / "columns").mkdir(parents=True, exist_ok=True)
        self.dimension = dimension
        self._texts = open(self.folder / "texts.bin", "wb")
        self._vectors = open(self.folder / "vectors.f32", "wb")
        self._facts = open(self.folder / "facts.bin", "wb")
        self._text_offsets = array("q", [0])
        self._fact_offsets = array("q", [0])
        self.units = IndicatorUnits()  # what each indicator head is measured in, across the index
        # 32-bit while building (a million passages hold tens of millions of clause and figure rows)
        self._columns = {name: array("q" if name.endswith("offsets") or name == "hash" else "i",
                                     [0] if name in _STARTING_AT_ZERO else []) for name in COLUMNS}
        self._strings: dict[str, dict] = {"sources": {}, "sections": {}, "contexts": {"": 0}, "units": {"": 0}}
        self._emphasis: dict[int, list] = {}
        self._doc_units: dict[str, str] = {}
        self.count = 0
        self.tokens = TokenTable()  # tokens of every passage, as ids
        self.windows = TokenTable(self.tokens.vocabulary)  # tokens of every sentence window, in passage order

    def _intern(self, table: str, value) -> int:
        key = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
        mapping = self._strings[table]
        if key not in mapping:
            mapping[key] = len(mapping)
        return mapping[key]

    def add(self, passage: Passage, vector: np.ndarray, content_hash: int, features: PassageFeatures,
            tokens, window_tokens, where: Layout) -> None:
        """``tokens`` and each of ``window_tokens``: words, or int arrays of ids in ``self.tokens.vocabulary``;
        ``where``: the passage's layout for the answer picker (``qa.answers.layout``)."""
        data = passage.text.encode("utf-8")
        self._texts.write(data)
        self._text_offsets.append(self._text_offsets[-1] + len(data))
        self._vectors.write(np.ascontiguousarray(vector, dtype=np.float32).tobytes())
        facts = facts_to_json(features.facts).encode("utf-8")
        self._facts.write(facts)
        self._fact_offsets.append(self._fact_offsets[-1] + len(facts))
        self.units.add(features.facts)
        c = self._columns
        c["start"].append(passage.start)
        c["end"].append(passage.end)
        c["source"].append(self._intern("sources", passage.source))
        self._doc_units[passage.source] = passage.unit
        c["section"].append(self._intern("sections", passage.section))
        c["location"].append(passage.location)
        c["table"].append(passage.table)
        c["row"].append(passage.row)
        c["context"].append(self._intern("contexts", passage.context))
        c["picture"].append(passage.picture)
        c["ocr"].append(int(passage.ocr))
        c["hash"].append(content_hash)
        period = features.period
        c["period_first"].append(period.first or 0)
        c["period_last"].append(period.last or 0)
        c["period_part"].append(PARTS.index(period.part))
        c["period_plan"].append(-1 if period.plan is None else int(period.plan))
        for figure in features.figures:
            c["figure_start"].append(figure.start)
            c["figure_end"].append(figure.end)
            c["figure_kind"].append(KINDS.index(figure.kind))
            c["figure_unit"].append(self._intern("units", figure.unit))
        c["figure_offsets"].append(len(c["figure_start"]))
        self._add_layout(features.figures, where)
        for window in window_tokens:
            self.windows.add(window)
        c["window_offsets"].append(len(self.windows))
        self.tokens.add(tokens)
        if passage.emphasis:
            self._emphasis[self.count] = [list(span) for span in passage.emphasis]
        self.count += 1

    def _word(self, word: str) -> int:
        vocabulary = self.tokens.vocabulary
        found = vocabulary.get(word)
        if found is None:
            found = vocabulary[word] = len(vocabulary)
        return found

    def _add_layout(self, figures, where: Layout) -> None:
        c = self._columns
        for i, ((start, end), words) in enumerate(where.clauses):
            c["clause_start"].append(start)
            c["clause_end"].append(end)
            c["clause_listed"].append(where.listed.get(i, i))
            c["clause_tokens"].extend(self._word(word) for word in sorted(words))
            c["clause_token_offsets"].append(len(c["clause_tokens"]))
        c["clause_offsets"].append(len(c["clause_start"]))
        for start, end in where.sentences:
            c["sentence_start"].append(start)
            c["sentence_end"].append(end)
        c["sentence_offsets"].append(len(c["sentence_start"]))
        for figure in figures:
            item, last = where.items.get(figure.start, (-1, -1))
            word = where.word_before.get(figure.start)
            c["figure_clause"].append(where.clause_of[figure.start])
            c["figure_item"].append(item)
            c["figure_item_last"].append(last)
            c["figure_subjectless"].append(figure.start in where.subjectless)
            c["figure_word_before"].append(-1 if word is None else self._word(word))
            c["figure_range_end"].append(where.ranges.get(figure.start, -1))
            c["figure_change"].append(figure.start in where.changes)

    def finish(self, manifest, documents: dict, titles: dict[str, str]) -> None:
        """Write the remaining files: columns, strings, BM25 indexes, vectors, manifest (last)."""
        self._texts.close()
        self._vectors.close()
        self._facts.close()
        np.save(self.folder / "text_offsets.npy", np.frombuffer(self._text_offsets, dtype=np.int64))
        np.save(self.folder / "fact_offsets.npy", np.frombuffer(self._fact_offsets, dtype=np.int64))
        _write_json(self.folder / "units.json", self.units.kept())
        for name, values in self._columns.items():
            np.save(self.folder / "columns" / f"{name}.npy", _compact(name, np.frombuffer(
                values, dtype=np.int64 if values.typecode == "q" else np.int32)
                                                                     if len(values) else np.zeros(0, np.int64)))
        strings = {table: list(mapping) for table, mapping in self._strings.items()}
        strings["sections"] = [json.loads(key) for key in strings["sections"]]
        strings["titles"] = [titles.get(source, "") for source in strings["sources"]]
        strings["units_of_sources"] = [self._doc_units.get(source, "line") for source in strings["sources"]]
        _write_json(self.folder / "strings.json", strings)
        _write_json(self.folder / "emphasis.json", {str(k): v for k, v in self._emphasis.items()})
        _write_json(self.folder / "documents.json", {name: asdict(info) for name, info in documents.items()})
        raw = self.folder / "vectors.f32"
        _raw_to_npy(raw, self.folder / "vectors.npy", (self.count, self.dimension))
        raw.unlink()
        if self.count > ANN_THRESHOLD:
            import faiss

            vectors = np.load(self.folder / "vectors.npy", mmap_mode="r")
            ann = faiss.IndexHNSWFlat(self.dimension, HNSW_M, faiss.METRIC_INNER_PRODUCT)
            ann.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
            for start in range(0, self.count, 100_000):  # the vectors are read from disk a slice at a time
                ann.add(np.ascontiguousarray(vectors[start:start + 100_000]))
            faiss.write_index(ann, str(self.folder / "ann.faiss"))
            del ann, vectors
        lexical = self.folder / "lexical"
        lexical.mkdir(exist_ok=True)
        np.save(lexical / "passage_ids.npy", as_array(self.tokens.ids, np.int32))
        np.save(lexical / "passage_offsets.npy", as_array(self.tokens.offsets, np.int64))
        np.save(lexical / "window_ids.npy", as_array(self.windows.ids, np.int32))
        np.save(lexical / "window_offsets.npy", as_array(self.windows.offsets, np.int64))
        _write_json(lexical / "vocabulary.json", {"tokenizer": TOKENIZER_VERSION, "words": list(self.tokens.vocabulary)})
        save_bm25(self.tokens, self.folder / "bm25")
        self.tokens = None
        save_bm25(self.windows, self.folder / "windows")
        self.windows = None
        manifest.files = record_files(self.folder, skip=("manifest.json",))
        _write_json(self.folder / "manifest.json", asdict(manifest))


def _raw_to_npy(raw: Path, target: Path, shape: tuple[int, int]) -> None:
    """Give a file of raw float32 rows an .npy header, copying it a block at a time."""
    with open(target, "wb") as out:
        np.lib.format.write_array_header_1_0(
            out, {"descr": np.lib.format.dtype_to_descr(np.dtype(np.float32)), "fortran_order": False, "shape": shape})
        with open(raw, "rb") as source:
            for block in iter(lambda: source.read(1 << 24), b""):
                out.write(block)


def _compact(name: str, values: np.ndarray) -> np.ndarray:
    if name in ("hash",):
        return values.astype(np.int64)
    if name in ("figure_kind", "period_part", "period_plan", "figure_subjectless", "figure_change", "ocr"):
        return values.astype(np.int8)
    if name in ("period_first", "period_last"):
        return values.astype(np.int16)
    if name.endswith("offsets") or name in ("start", "end"):
        return values.astype(np.int64)
    return values.astype(np.int32)


def _write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


class LocalStore:
    """Read side of a build folder; implements ``qa.stores.PassageStore``."""

    def __init__(self, folder: Path, manifest, verify: bool = True):
        """``verify``: check the files against the manifest (hashing those written since they were last
        verified); False when the caller has just hashed them all."""
        self.folder = Path(folder)
        self.manifest = manifest
        if verify:
            self._verify_files()
        try:
            strings = json.loads((self.folder / "strings.json").read_text(encoding="utf-8"))
            self.sources: list[str] = strings["sources"]
            self.sections: list[list[str]] = strings["sections"]
            self.contexts: list[str] = strings["contexts"]
            self.units: list[str] = strings["units"]
            self.titles: list[str] = strings["titles"]
            self.source_units: list[str] = strings["units_of_sources"]
            self.emphasis = {int(k): v for k, v in
                             json.loads((self.folder / "emphasis.json").read_text(encoding="utf-8")).items()}
            from ..metadata import DocumentInfo

            self.documents = {name: DocumentInfo.from_dict(info) for name, info in
                              json.loads((self.folder / "documents.json").read_text(encoding="utf-8")).items()}
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise _damaged(self.folder / "strings.json", error) from error
        self.columns = {name: self._array(f"columns/{name}.npy") for name in COLUMNS
                        if name not in LAYOUT_COLUMNS | OCR_COLUMNS
                        or (self.folder / "columns" / f"{name}.npy").exists()}
        self.text_offsets = self._array("text_offsets.npy")
        self.vectors = self._array("vectors.npy")
        self._texts = self._memmap_bytes("texts.bin")
        has_facts = (self.folder / "fact_offsets.npy").exists()
        self.fact_offsets = self._array("fact_offsets.npy") if has_facts else None
        self._fact_bytes = self._memmap_bytes("facts.bin") if has_facts else None
        n = len(self.text_offsets) - 1
        if any(len(self.columns[name]) != n for name in PASSAGE_COLUMNS if name in self.columns)\
                or self.vectors.shape[0] != n or n != manifest.passages:
            raise StoreError(f"the index in {self.folder.parent} is inconsistent (passage counts differ); "
                             f"run `qa build` to rebuild it")
        self._bm25 = self._bm25s("bm25")
        self._windows = self._bm25s("windows")
        self._units = None  # read when a card first needs it
        self._ann = None  # read on the first dense search: a BM25-only search never pays for it
        self._by_source: dict[int, np.ndarray] | None = None
        self._lexical = None
        self._word_list: list[str] | None = None

    # -- opening -------------------------------------------------------------
    def _verify_files(self) -> None:
        damaged = verify_files(self.folder, self.manifest.files or {})
        if damaged:
            raise DamagedIndex(damaged)

    def _array(self, name: str) -> np.ndarray:
        path = self.folder / name
        try:
            return np.load(path, mmap_mode="r", allow_pickle=False)
        except (OSError, ValueError, EOFError) as error:
            raise _damaged(path, error) from error

    def _memmap_bytes(self, name: str):
        path = self.folder / name
        try:
            if path.stat().st_size == 0:
                return b""
            return np.memmap(path, dtype=np.uint8, mode="r")
        except (OSError, ValueError) as error:
            raise _damaged(path, error) from error

    def _bm25s(self, name: str):
        import bm25s

        path = self.folder / name
        try:
            return bm25s.BM25.load(str(path), mmap=True, show_progress=False)
        except Exception as error:  # bm25s raises what numpy and json raise on damaged files
            raise _damaged(path, error) from error

    # -- passages ------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.text_offsets) - 1

    def text(self, position: int) -> str:
        start, end = int(self.text_offsets[position]), int(self.text_offsets[position + 1])
        try:
            return bytes(self._texts[start:end]).decode("utf-8")
        except UnicodeDecodeError as error:  # written over since the store was opened
            raise _damaged(self.folder / "texts.bin", error) from error

    def passage(self, position: int) -> Passage:
        c = self.columns
        source_id = int(c["source"][position])
        source = self.sources[source_id]
        start, end = int(c["start"][position]), int(c["end"][position])
        return Passage(
            id=f"{source}:{start}-{end}", source=source, title=self.titles[source_id],
            section=list(self.sections[int(c["section"][position])]), start=start, end=end,
            text=self.text(position), emphasis=[tuple(span) for span in self.emphasis.get(position, [])],
            unit=self.source_units[source_id], location=int(c["location"][position]),
            table=int(c["table"][position]), row=int(c["row"][position]),
            context=self.contexts[int(c["context"][position])],
            picture=int(c["picture"][position]) if "picture" in c else 0,
            ocr=bool(c["ocr"][position]) if "ocr" in c else False,
        )

    def iter_passages(self) -> Iterator[Passage]:
        for position in range(len(self)):
            yield self.passage(position)

    def positions_of_source(self, source: str) -> np.ndarray:
        if self._by_source is None:
            order = np.argsort(self.columns["source"], kind="stable")
            ids = np.asarray(self.columns["source"])[order]
            bounds = np.searchsorted(ids, np.arange(len(self.sources) + 1))
            self._by_source = {i: order[bounds[i]:bounds[i + 1]] for i in range(len(self.sources))}
        if source not in self.sources:
            return np.zeros(0, np.int64)
        return self._by_source[self.sources.index(source)]

    def find(self, passage_id: str) -> int | None:
        parsed = parse_passage_id(passage_id)
        if parsed is None:
            return None
        source, start, end = parsed
        for position in self.positions_of_source(source):
            if self.columns["start"][position] == start and self.columns["end"][position] == end:
                return int(position)
        return None

    def section_of(self, position: int) -> list[int]:
        source = self.sources[int(self.columns["source"][position])]
        section = self.columns["section"][position]
        return [int(p) for p in self.positions_of_source(source) if self.columns["section"][p] == section]

    def features(self, position: int) -> PassageFeatures:
        c = self.columns
        first, last = int(c["figure_offsets"][position]), int(c["figure_offsets"][position + 1])
        text = self.text(position) if last > first else ""
        figures = tuple(
            Figure(int(s), int(e), text[int(s):int(e)], KINDS[int(k)], self.units[int(u)])
            for s, e, k, u in zip(c["figure_start"][first:last], c["figure_end"][first:last],
                                  c["figure_kind"][first:last], c["figure_unit"][first:last])
        )
        plan = int(c["period_plan"][position])
        period = Period(
            first=int(c["period_first"][position]) or None, last=int(c["period_last"][position]) or None,
            part=PARTS[int(c["period_part"][position])], plan=None if plan < 0 else bool(plan),
        )
        return PassageFeatures(figures=figures, period=period)

    def indicator_units(self) -> IndicatorUnits:
        """What each indicator head is measured in across the index (empty for a build of an older layout)."""
        if self._units is None:
            path = self.folder / "units.json"
            try:
                self._units = IndicatorUnits(json.loads(path.read_text(encoding="utf-8")) if path.exists() else {})
            except (OSError, ValueError) as error:
                raise _damaged(path, error) from error
        return self._units

    def facts(self, position: int) -> tuple[Fact, ...]:
        """What each figure of a passage measures, as the build read it (a build of an older layout: read now)."""
        if self.fact_offsets is None:
            source = self.sources[int(self.columns["source"][position])]
            info = self.documents.get(source)
            return self.features(position).with_facts(self.text(position), self.layout(position),
                                                      info.place if info is not None else "").facts
        start, end = int(self.fact_offsets[position]), int(self.fact_offsets[position + 1])
        try:
            return facts_from_json(bytes(self._fact_bytes[start:end]).decode("utf-8"))
        except (ValueError, TypeError, KeyError) as error:
            raise _damaged(self.folder / "facts.bin", error) from error

    def token_weights(self, tokens: list[str]) -> dict[str, float]:
        """Inverse document frequency of each token over the passages (rarer words weigh more)."""
        vocab = self._bm25.vocab_dict
        indptr = self._bm25.scores["indptr"]
        n = max(len(self), 1)
        weights = {}
        for token in set(tokens):
            token_id = vocab.get(token)
            df = int(indptr[token_id + 1] - indptr[token_id]) if token_id is not None and token_id + 1 < len(indptr) else 0
            if df:
                weights[token] = float(np.log(1 + n / df))
        return weights

    def layout(self, position: int) -> Layout:
        """The answer picker's layout of a passage, as the build computed it."""
        c = self.columns
        if "clause_offsets" not in c:
            raise StoreError(f"the index in {self.folder.parent} has an older layout; rebuild it with `qa build`")
        words = self._words()
        first, last = int(c["clause_offsets"][position]), int(c["clause_offsets"][position + 1])
        token_offsets = c["clause_token_offsets"]
        clauses = [((int(c["clause_start"][i]), int(c["clause_end"][i])),
                    frozenset(words[t] for t in c["clause_tokens"][token_offsets[i]:token_offsets[i + 1]]))
                   for i in range(first, last)]
        listed = {i - first: int(c["clause_listed"][i]) for i in range(first, last)}
        s_first, s_last = int(c["sentence_offsets"][position]), int(c["sentence_offsets"][position + 1])
        sentences = [(int(a), int(b)) for a, b in zip(c["sentence_start"][s_first:s_last], c["sentence_end"][s_first:s_last])]
        f_first, f_last = int(c["figure_offsets"][position]), int(c["figure_offsets"][position + 1])
        clause_of, items, word_before, ranges = {}, {}, {}, {}
        subjectless, changes = set(), set()
        for row in range(f_first, f_last):
            start = int(c["figure_start"][row])
            clause_of[start] = int(c["figure_clause"][row])
            if c["figure_item"][row] >= 0:
                items[start] = (int(c["figure_item"][row]), int(c["figure_item_last"][row]))
            if c["figure_subjectless"][row]:
                subjectless.add(start)
            if c["figure_word_before"][row] >= 0:
                word_before[start] = words[int(c["figure_word_before"][row])]
            if c["figure_range_end"][row] >= 0:
                ranges[start] = int(c["figure_range_end"][row])
            if c["figure_change"][row]:
                changes.add(start)
        return Layout(clauses=clauses, sentences=sentences, clause_of=clause_of, items=items,
                      subjectless=subjectless, word_before=word_before, ranges=ranges, changes=changes, listed=listed)

    def _words(self) -> list[str]:
        if self._word_list is None:
            path = self.folder / "lexical" / "vocabulary.json"
            try:
                self._word_list = json.loads(path.read_text(encoding="utf-8"))["words"]
            except (OSError, ValueError, KeyError, TypeError) as error:
                raise _damaged(path, error) from error
        return self._word_list

    def stored_tokens(self) -> "StoredTokens | None":
        """The token ids written at build time, when they were made by today's tokenizer (for rebuilds)."""
        if self._lexical is None:
            self._lexical = False
            folder = self.folder / "lexical"
            try:
                vocabulary = json.loads((folder / "vocabulary.json").read_text(encoding="utf-8"))
                if vocabulary.get("tokenizer") == TOKENIZER_VERSION:
                    self._word_list = vocabulary["words"]
                    self._lexical = StoredTokens(
                        words=vocabulary["words"],
                        passage_ids=self._array("lexical/passage_ids.npy"),
                        passage_offsets=self._array("lexical/passage_offsets.npy"),
                        window_ids=self._array("lexical/window_ids.npy"),
                        window_offsets=self._array("lexical/window_offsets.npy"),
                        windows_of_passages=self.columns["window_offsets"],
                    )
            except (OSError, ValueError, KeyError, TypeError, AttributeError, StoreError):
                self._lexical = False  # an older build: its passages are tokenised again
        return self._lexical or None

    # -- retrieval -----------------------------------------------------------
    def lexical(self, tokens: list[str], k: int) -> Hits:
        if not tokens or len(self) == 0:
            return Hits.empty()
        scores = self._bm25.get_scores(tokens)
        return _top(scores, k)

    def windows(self, tokens: list[str], candidates: np.ndarray) -> Hits:
        """Each candidate's best BM25 score over its sentence windows (windows of other passages are not read)."""
        candidates = np.asarray(candidates, dtype=np.int64)
        if not tokens or len(candidates) == 0:
            return Hits.empty()
        scores = self._windows.get_scores(tokens)
        offsets = self.columns["window_offsets"]
        best = np.array([scores[offsets[p]:offsets[p + 1]].max(initial=0.0) for p in candidates], dtype=np.float32)
        keep = best > 0
        order = np.argsort(-best[keep], kind="stable")
        return Hits(candidates[keep][order], best[keep][order])

    def _ann_index(self):
        if self._ann is None:
            self._ann = False
            path = self.folder / "ann.faiss"
            if path.exists():
                import faiss

                try:
                    self._ann = faiss.read_index(str(path))
                    self._ann.hnsw.efSearch = HNSW_EF_SEARCH
                except RuntimeError as error:
                    raise _damaged(path, error) from error
        return self._ann or None

    def dense(self, vector: np.ndarray, k: int) -> Hits:
        n = len(self)
        if n == 0:
            return Hits.empty()
        query = np.ascontiguousarray(vector, dtype=np.float32).reshape(1, -1)
        k = min(k, n)
        ann = self._ann_index()
        if ann is not None:
            scores, positions = ann.search(query, k)
            keep = positions[0] >= 0
            return Hits(positions[0][keep].astype(np.int64), scores[0][keep])
        scores = self.vectors @ query[0]
        return _top(scores, k, positive_only=False)


class StoredTokens:
    """A build's token ids, read back in another build's vocabulary (``translate``)."""

    def __init__(self, words: list[str], passage_ids, passage_offsets, window_ids, window_offsets,
                 windows_of_passages):
        self.words = words
        self.passage_ids, self.passage_offsets = passage_ids, passage_offsets
        self.window_ids, self.window_offsets = window_ids, window_offsets
        self.windows_of_passages = windows_of_passages
        self._remap = np.full(len(words), -1, np.int64)
        self._vocabulary: dict[str, int] | None = None

    def translate(self, position: int, vocabulary: dict[str, int]) -> tuple[np.ndarray, list[np.ndarray]]:
        """The passage's tokens and its windows' tokens as ids of ``vocabulary`` (new words are added to it)."""
        if vocabulary is not self._vocabulary:
            self._vocabulary = vocabulary
            self._remap[:] = -1
        passage = self._map(self.passage_ids[self.passage_offsets[position]:self.passage_offsets[position + 1]])
        first, last = int(self.windows_of_passages[position]), int(self.windows_of_passages[position + 1])
        windows = [self._map(self.window_ids[self.window_offsets[w]:self.window_offsets[w + 1]])
                   for w in range(first, last)]
        return passage, windows

    def _map(self, ids: np.ndarray) -> np.ndarray:
        mapped = self._remap[ids]
        if (mapped < 0).any():
            vocabulary = self._vocabulary
            for old in np.unique(ids[mapped < 0]):
                word = self.words[old]
                new = vocabulary.get(word)
                if new is None:
                    new = vocabulary[word] = len(vocabulary)
                self._remap[old] = new
            mapped = self._remap[ids]
        return mapped


def _top(scores: np.ndarray, k: int, positive_only: bool = True) -> Hits:
    k = min(k, len(scores))
    if k <= 0:
        return Hits.empty()
    top = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
    top = top[np.lexsort((top, -scores[top]))]
    if positive_only:
        top = top[scores[top] > 0]
    return Hits(top.astype(np.int64), scores[top].astype(np.float32))


def threads_for_queries() -> int:
    return int(os.environ.get("QA_THREADS", "1"))


@dataclass(frozen=True)
class Salvage:
    """What a damaged build can still lend the next one: its vectors, and its token ids, by content hash."""

    hashes: np.ndarray
    vectors: np.ndarray
    tokens: StoredTokens | None


_LEXICAL_FILES = ("lexical/vocabulary.json", "lexical/passage_ids.npy", "lexical/passage_offsets.npy",
                  "lexical/window_ids.npy", "lexical/window_offsets.npy", "columns/window_offsets.npy")


def salvage(folder: Path, manifest, damaged: list) -> Salvage | None:
    """The vectors (and tokens) of a build whose other files are damaged, when their own files match their
    checksums (``damaged``: what ``verify_files`` found, every file hashed); None when they do not."""
    folder = Path(folder)
    bad = {damage.path for damage in damaged}
    files = manifest.files or {}

    def sound(*names: str) -> bool:
        return all(name in files and files[name].digest and folder / name not in bad for name in names)

    if not sound("columns/hash.npy", "vectors.npy"):
        return None
    try:
        hashes = np.load(folder / "columns" / "hash.npy", mmap_mode="r", allow_pickle=False)
        vectors = np.load(folder / "vectors.npy", mmap_mode="r", allow_pickle=False)
    except (OSError, ValueError, EOFError):
        return None
    if hashes.shape != (manifest.passages,) or vectors.shape != (manifest.passages, manifest.dimension):
        return None
    tokens = None
    if sound(*_LEXICAL_FILES):
        try:
            vocabulary = json.loads((folder / "lexical" / "vocabulary.json").read_text(encoding="utf-8"))
            if vocabulary.get("tokenizer") == TOKENIZER_VERSION:
                tokens = StoredTokens(vocabulary["words"], *(
                    np.load(folder / name, mmap_mode="r", allow_pickle=False) for name in _LEXICAL_FILES[1:]))
        except (OSError, ValueError, KeyError, TypeError, AttributeError, EOFError):
            tokens = None
    return Salvage(hashes, vectors, tokens)
