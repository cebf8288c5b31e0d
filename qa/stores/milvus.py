"""The Milvus store: the same passages, features and rankings, held by Milvus Lite or a Milvus cluster.

One build is three collections, named ``{name}__{stamp}`` and two beside it:

    {build}            one row per passage, its primary key the passage's position (0 … n − 1):
                       text, source, place, section path, offsets, period, content hash, the dense
                       vector (inner product; vectors are normalised), the BM25 terms and the sparse
                       BM25 field that Milvus computes from them, and JSON with the rest of the
                       passage and its build-time features (figures, period)
    {build}__windows   one row per sentence window, with its passage's position and a BM25 field
    {build}__meta      the manifest, each document's metadata, and each term's document frequency

The alias ``{name}`` (``qa_`` and the ``--index`` folder's name) points at the build in use. A
build writes new collections, then moves the alias: readers switch at once and never see a half
written build. The build before stays for readers that opened it; older ones are dropped.

BM25 terms are the project's own tokens (``qa.tokens``: jieba search mode, numbers kept whole), each
written as a hex word so that Milvus's analyzer keeps it whole; Milvus counts, weighs and ranks
them (BM25, k1 1.5, b 0.75, the local store's parameters). Rankings therefore agree with the
local store's up to ties (docs/milvus.md says why the terms are not cut by Milvus's own jieba).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterator

import numpy as np

from ..chunking import CHUNKER_VERSION, PATH_SEPARATOR, Passage
from ..answers import layout
from ..facts import Fact, IndicatorUnits
from ..features import FEATURES_VERSION, PassageFeatures
from ..figures import Figure
from ..periods import Period
from ..metadata import DocumentInfo
from . import Hits, StoreError, parse_passage_id
from .build import (ANN_THRESHOLD, EMBED_BATCH, FLUSH_PASSAGES, HNSW_EF_CONSTRUCTION, HNSW_EF_SEARCH, HNSW_M,
                    INDEX_FORMAT, BuildReport, EmbeddingCache, IndexError_, Manifest, build_lock, finished_manifest,
                    lexical_tokens, mark_store, nothing_read, read_reports, source_hashes)
from .spec import StoreSpec

CONNECT_TIMEOUT = 10.0  # seconds to reach a server before giving up
INSERT_BATCH = 512
FETCH_BATCH = 1000  # rows per query when reading passages by position
MAX_LIMIT = 16384  # Milvus's largest top-k
ROW_CACHE = 50_000  # passages a reader keeps after fetching them
BM25_K1, BM25_B = 1.5, 0.75  # as the local store (bm25s defaults)
VARCHAR_MAX = 65535
META_CHUNK = 60_000  # characters of JSON per meta row
ROW_FIELDS = ["position", "text", "source", "start", "end", "section", "passage", "features", "windows"]


def term(token: str) -> str:
    """A token as one word that any Milvus analyzer keeps whole (jieba's and the standard one)."""
    return "t" + hashlib.blake2b(token.encode("utf-8"), digest_size=8).hexdigest()


def terms_text(tokens: list[str]) -> str:
    return " ".join(term(token) for token in tokens)


def index_name(folder: Path) -> str:
    """The alias an index is known by in Milvus: ``qa_`` and its folder's name (letters, digits, _)."""
    base = Path(folder).resolve().name or "index"
    clean = re.sub(r"[^A-Za-z0-9_]", "_", base)
    if clean != base:
        clean += "_" + hashlib.blake2b(base.encode("utf-8"), digest_size=3).hexdigest()
    return f"qa_{clean}"[:180]


def _failure(spec: StoreSpec, error: Exception) -> StoreError:
    detail = str(getattr(error, "message", "") or error).strip().splitlines()
    detail = detail[0][:200] if detail else type(error).__name__
    if spec.is_lite and "lock" in detail.lower():
        return IndexError_(f"the Milvus Lite database {spec.uri} is in use by another process "
                           f"(Milvus Lite serves one process; use a Milvus server to share an index)")
    return IndexError_(f"cannot use Milvus at {spec.name}: {detail}")


def connect(spec: StoreSpec, create: bool = False):
    """A client for the store, or a one-line error naming it."""
    try:
        from pymilvus import MilvusClient
    except ImportError:
        raise IndexError_("the Milvus store needs pymilvus and milvus-lite: pip install 'qa-reports[milvus]'") \
            from None
    if spec.is_lite:
        path = Path(spec.uri)
        if not create and not path.exists():
            raise IndexError_(f"no Milvus Lite database {path}: run `qa build --store {spec.name}` first")
        if not path.parent.is_dir():
            raise IndexError_(f"cannot create the Milvus Lite database {path}: {path.parent} is not a folder")
    options = {"uri": spec.uri, "timeout": CONNECT_TIMEOUT}
    if spec.token:
        options["token"] = spec.token
    if spec.ca_file:
        options.update(secure=True, server_pem_path=spec.ca_file)
    elif spec.tls:
        options["secure"] = True
    try:
        client = MilvusClient(**options)
        client.list_collections()
    except Exception as error:  # pymilvus raises its own and gRPC's exceptions for an unreachable server
        raise _failure(spec, error) from None
    return client


@dataclass(frozen=True)
class Names:
    """The collections of one build."""

    passages: str

    @property
    def windows(self) -> str:
        return f"{self.passages}__windows"

    @property
    def meta(self) -> str:
        return f"{self.passages}__meta"

    @property
    def all(self) -> tuple[str, str, str]:
        return self.passages, self.windows, self.meta


def _key(hit) -> int:
    """A search hit's primary key (the passage's position)."""
    entity = hit.get("entity") or {}
    return int(entity["position"] if "position" in entity else hit.get("position", hit.get("id")))


def _literal(value: str) -> str:
    """A string literal for a Milvus filter expression."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _positions(values) -> str:
    return "[" + ",".join(str(int(v)) for v in values) + "]"


# -- writing ------------------------------------------------------------------------------------

class MilvusStoreWriter:
    """Writes one build's collections a batch at a time; ``finish`` indexes and loads them."""

    def __init__(self, client, names: Names, dimension: int):
        self.client, self.names, self.dimension = client, names, dimension
        self.count = 0
        self.window_count = 0
        self.document_frequency: dict[str, int] = {}
        self.units = IndicatorUnits()
        self._rows: list[dict] = []
        self._window_rows: list[dict] = []
        for name in names.all:
            if client.has_collection(name):
                client.drop_collection(name)
        client.create_collection(names.passages, schema=self._passage_schema())
        client.create_collection(names.windows, schema=self._window_schema())
        client.create_collection(names.meta, schema=self._meta_schema())

    def _passage_schema(self):
        from pymilvus import DataType, Function, FunctionType, MilvusClient

        schema = MilvusClient.create_schema(auto_id=False, description="qa-reports passages")
        schema.add_field("position", DataType.INT64, is_primary=True)
        schema.add_field("hash", DataType.INT64)
        schema.add_field("source", DataType.VARCHAR, max_length=4096)
        schema.add_field("place", DataType.VARCHAR, max_length=1024)
        schema.add_field("section", DataType.VARCHAR, max_length=VARCHAR_MAX)
        schema.add_field("start", DataType.INT64)
        schema.add_field("end", DataType.INT64)
        schema.add_field("period_first", DataType.INT64)
        schema.add_field("period_last", DataType.INT64)
        schema.add_field("text", DataType.VARCHAR, max_length=VARCHAR_MAX)
        schema.add_field("passage", DataType.JSON)
        schema.add_field("features", DataType.JSON)
        schema.add_field("windows", DataType.INT64)
        schema.add_field("terms", DataType.VARCHAR, max_length=VARCHAR_MAX, enable_analyzer=True,
                         analyzer_params={"tokenizer": "standard"})
        schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
        schema.add_field("vector", DataType.FLOAT_VECTOR, dim=self.dimension)
        schema.add_function(Function(name="bm25", function_type=FunctionType.BM25,
                                     input_field_names=["terms"], output_field_names=["sparse"]))
        return schema

    def _window_schema(self):
        from pymilvus import DataType, Function, FunctionType, MilvusClient

        schema = MilvusClient.create_schema(auto_id=False, description="qa-reports sentence windows")
        schema.add_field("window", DataType.INT64, is_primary=True)
        schema.add_field("position", DataType.INT64)
        schema.add_field("terms", DataType.VARCHAR, max_length=VARCHAR_MAX, enable_analyzer=True,
                         analyzer_params={"tokenizer": "standard"})
        schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
        schema.add_function(Function(name="bm25", function_type=FunctionType.BM25,
                                     input_field_names=["terms"], output_field_names=["sparse"]))
        return schema

    @staticmethod
    def _meta_schema():
        from pymilvus import DataType, MilvusClient

        schema = MilvusClient.create_schema(auto_id=False, description="qa-reports manifest, documents, terms")
        schema.add_field("key", DataType.VARCHAR, is_primary=True, max_length=4200)
        schema.add_field("kind", DataType.VARCHAR, max_length=32)
        schema.add_field("value", DataType.VARCHAR, max_length=VARCHAR_MAX)
        schema.add_field("unused", DataType.FLOAT_VECTOR, dim=2)  # Milvus wants a vector field in every collection
        return schema

    def add(self, passage: Passage, vector: np.ndarray, content_hash: int, features: PassageFeatures,
            tokens: list[str], window_tokens: list[list[str]], place: str) -> None:
        period = features.period
        self._rows.append({
            "position": self.count, "hash": content_hash, "source": passage.source, "place": place,
            "section": PATH_SEPARATOR.join(passage.section), "start": passage.start, "end": passage.end,
            "period_first": period.first or 0, "period_last": period.last or 0, "text": passage.text,
            "passage": {"title": passage.title, "section": passage.section, "unit": passage.unit,
                        "location": passage.location, "table": passage.table, "row": passage.row,
                        "context": passage.context, "emphasis": [list(span) for span in passage.emphasis],
                        "picture": passage.picture, "ocr": passage.ocr},
            "features": {"figures": [[f.start, f.end, f.kind, f.unit] for f in features.figures],
                         "period": [period.first, period.last, period.part, period.plan],
                         "facts": [fact.to_row() for fact in features.facts]},
            "windows": len(window_tokens), "terms": terms_text(tokens),
            "vector": np.asarray(vector, dtype=np.float32).tolist(),
        })
        for window in window_tokens:
            self._window_rows.append({"window": self.window_count, "position": self.count,
                                      "terms": terms_text(window)})
            self.window_count += 1
        for token in set(tokens):
            self.document_frequency[token] = self.document_frequency.get(token, 0) + 1
        self.units.add(features.facts)
        self.count += 1
        if len(self._rows) >= INSERT_BATCH:
            self._insert()

    def _insert(self) -> None:
        if self._rows:
            self.client.insert(self.names.passages, self._rows)
            self._rows = []
        for start in range(0, len(self._window_rows), 4 * INSERT_BATCH):
            self.client.insert(self.names.windows, self._window_rows[start:start + 4 * INSERT_BATCH])
        self._window_rows = []

    def finish(self, manifest, documents: dict) -> None:
        """Write the rest (meta last but one), flush, index and load; the alias is moved by the caller."""
        self._insert()
        meta = [{"key": term(token), "kind": "term", "value": str(df)}
                for token, df in self.document_frequency.items()]
        meta += [{"key": f"document:{name}", "kind": "document", "value": json.dumps(asdict(info), ensure_ascii=False)}
                 for name, info in documents.items()]
        units = json.dumps(self.units.kept(), ensure_ascii=False)
        meta += [{"key": f"units:{i:06d}", "kind": "units", "value": units[start:start + META_CHUNK]}
                 for i, start in enumerate(range(0, len(units), META_CHUNK))]
        record = asdict(manifest)
        record["window_count"] = self.window_count
        text = json.dumps(record, ensure_ascii=False)
        meta += [{"key": f"manifest:{i:06d}", "kind": "manifest", "value": text[start:start + META_CHUNK]}
                 for i, start in enumerate(range(0, len(text), META_CHUNK))]
        for row in meta:
            row["unused"] = [0.0, 0.0]
        for start in range(0, len(meta), 4 * INSERT_BATCH):
            self.client.insert(self.names.meta, meta[start:start + 4 * INSERT_BATCH])
        for name in self.names.all:
            self.client.flush(name)  # searching unflushed rows is slow (seconds, not milliseconds)
        self._index()
        for name in self.names.all:
            self.client.load_collection(name)

    def _index(self) -> None:
        client = self.client
        params = client.prepare_index_params()
        if self.count > ANN_THRESHOLD:  # as the local store: exact search below the threshold, HNSW above
            params.add_index("vector", index_type="HNSW", metric_type="IP",
                             params={"M": HNSW_M, "efConstruction": HNSW_EF_CONSTRUCTION})
        else:
            params.add_index("vector", index_type="FLAT", metric_type="IP")
        params.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25",
                         params={"bm25_k1": BM25_K1, "bm25_b": BM25_B})
        params.add_index("source", index_type="INVERTED")
        params.add_index("hash", index_type="INVERTED")
        client.create_index(self.names.passages, params)
        params = client.prepare_index_params()
        params.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25",
                         params={"bm25_k1": BM25_K1, "bm25_b": BM25_B})
        params.add_index("position", index_type="INVERTED")
        client.create_index(self.names.windows, params)
        params = client.prepare_index_params()
        params.add_index("unused", index_type="FLAT", metric_type="L2")
        client.create_index(self.names.meta, params)

    def discard(self) -> None:
        for name in self.names.all:
            try:
                self.client.drop_collection(name)
            except Exception:  # the build failed already; what it left is dropped by the next build
                pass


# -- reading ------------------------------------------------------------------------------------

@dataclass
class _Row:
    passage: Passage
    features: PassageFeatures
    windows: int
    facts: tuple = ()  # qa.facts.Fact, read with the row


class MilvusStore:
    """Read side of one Milvus build; implements ``qa.stores.PassageStore``.

    Opening reads the manifest and the documents' metadata only. The rows of the passages a
    search finds arrive with its hits and are kept (``ROW_CACHE``), so ranking them reads
    nothing more; other passages are fetched by position when asked for.
    """

    def __init__(self, client, names: Names, spec: StoreSpec):
        self.client, self.names, self.spec = client, names, spec
        try:
            for name in names.all:
                client.load_collection(name)
            meta = client.query(names.meta, filter='kind in ["manifest", "document", "units"]',
                                output_fields=["key", "kind", "value"])
        except Exception as error:
            raise IndexError_(f"the index in Milvus at {spec.name} ({names.passages}) is incomplete or unreadable "
                              f"({str(error).strip().splitlines()[0][:160] if str(error).strip() else type(error).__name__}); "
                              f"run `qa build --store {spec.name}` to rebuild it") from None
        chunks = sorted((row["key"], row["value"]) for row in meta if row["kind"] == "manifest")
        try:
            record = json.loads("".join(value for _, value in chunks))
            self.window_count = int(record.pop("window_count", 0))
            self.manifest = Manifest(**{key: record[key] for key in Manifest.__dataclass_fields__ if key in record})
        except (ValueError, TypeError, KeyError) as error:
            raise IndexError_(f"the manifest of {names.passages} in Milvus at {spec.name} is unreadable ({error}); "
                              f"run `qa build --store {spec.name}` to rebuild the index") from None
        self.documents = {row["key"][len("document:"):]: DocumentInfo.from_dict(json.loads(row["value"]))
                          for row in meta if row["kind"] == "document"}
        units = "".join(value for _, value in sorted((row["key"], row["value"]) for row in meta if row["kind"] == "units"))
        self._units = IndicatorUnits(json.loads(units) if units else {})
        self._rows: dict[int, _Row] = {}

    # -- passages ------------------------------------------------------------
    def __len__(self) -> int:
        return self.manifest.passages

    def _row(self, record: dict) -> _Row:
        extra, features = record["passage"], record["features"]
        text = record["text"]
        source, start, end = record["source"], int(record["start"]), int(record["end"])
        passage = Passage(
            id=f"{source}:{start}-{end}", source=source, title=extra["title"], section=list(extra["section"]),
            start=start, end=end, text=text, emphasis=[tuple(span) for span in extra["emphasis"]],
            unit=extra["unit"], location=int(extra["location"]), table=int(extra["table"]), row=int(extra["row"]),
            context=extra["context"], picture=int(extra.get("picture", 0)), ocr=bool(extra.get("ocr", False)),
        )
        first, last, part, plan = features["period"]
        figures = tuple(Figure(int(s), int(e), text[int(s):int(e)], kind, unit)
                        for s, e, kind, unit in features["figures"])
        facts = tuple(Fact.from_row(row) for row in features.get("facts", []))
        return _Row(passage, PassageFeatures(figures=figures, period=Period(first, last, part, plan)),
                    int(record["windows"]), facts)

    def _remember(self, records) -> dict[int, _Row]:
        """Rows kept for later questions; the web UI's searches share them across threads."""
        if len(self._rows) > ROW_CACHE:
            self._rows = {}
        rows = {int(record["position"]): self._row(record) for record in records}
        self._rows.update(rows)
        return rows

    def _fetch(self, positions) -> dict[int, _Row]:
        wanted = {int(p) for p in positions}
        found = {p: row for p in wanted if (row := self._rows.get(p)) is not None}
        missing = sorted(wanted - found.keys())
        for start in range(0, len(missing), FETCH_BATCH):
            batch = missing[start:start + FETCH_BATCH]
            found.update(self._remember(self._call(self.client.query, self.names.passages,
                                                   filter=f"position in {_positions(batch)}",
                                                   output_fields=ROW_FIELDS)))
        return found

    def _get(self, position: int) -> _Row:
        position = int(position)
        found = self._rows.get(position)
        if found is None:
            found = self._fetch([position]).get(position)
            if found is None:
                raise IndexError(f"no passage at position {position} (the index holds 0 … {len(self) - 1})")
        return found

    def text(self, position: int) -> str:
        return self._get(position).passage.text

    def passage(self, position: int) -> Passage:
        return self._get(position).passage

    def features(self, position: int) -> PassageFeatures:
        return self._get(position).features

    def indicator_units(self):
        """What each indicator head is measured in across the index (``qa.facts.IndicatorUnits``)."""
        return self._units

    def facts(self, position: int) -> tuple:
        """What each figure of a passage measures (``qa.facts.Fact``), as the build read it."""
        return self._get(position).facts

    def layout(self, position: int):
        """The answer picker's layout, derived from the stored text and figures (read for the results shown only)."""
        from ..answers import layout

        row = self._get(position)
        return layout(row.passage.text, list(row.features.figures))

    def iter_passages(self) -> Iterator[Passage]:
        for start in range(0, len(self), FETCH_BATCH):
            records = self._call(self.client.query, self.names.passages,
                                 filter=f"position >= {start} and position < {start + FETCH_BATCH}",
                                 output_fields=ROW_FIELDS)
            for record in sorted(records, key=lambda r: int(r["position"])):
                yield self._row(record).passage

    def find(self, passage_id: str) -> int | None:
        parsed = parse_passage_id(passage_id)
        if parsed is None:
            return None
        source, start, end = parsed
        records = self._call(self.client.query, self.names.passages,
                             filter=f"source == {_literal(source)} and start == {start} and end == {end}",
                             output_fields=["position"])
        return min((int(r["position"]) for r in records), default=None)

    def section_of(self, position: int) -> list[int]:
        passage = self.passage(position)
        section = PATH_SEPARATOR.join(passage.section)
        records = self._call(self.client.query, self.names.passages,
                             filter=f"source == {_literal(passage.source)} and section == {_literal(section)}",
                             output_fields=["position"])
        return sorted(int(r["position"]) for r in records)

    def token_weights(self, tokens: list[str]) -> dict[str, float]:
        """Inverse document frequency of each token over the passages (rarer words weigh more)."""
        unique = sorted(set(tokens))
        if not unique:
            return {}
        keys = {term(token): token for token in unique}
        records = self._call(self.client.query, self.names.meta,
                             filter=f"key in [{','.join(_literal(k) for k in keys)}]", output_fields=["key", "value"])
        n = max(len(self), 1)
        return {keys[r["key"]]: float(np.log(1 + n / int(r["value"]))) for r in records if int(r["value"]) > 0}

    # -- retrieval -----------------------------------------------------------
    def _call(self, method, *args, **kwargs):
        try:
            return method(*args, **kwargs)
        except Exception as error:  # a server that went away mid-session: one line, naming it
            raise _failure(self.spec, error) from None

    def _hits(self, results, keep=None) -> Hits:
        found = results[0] if results else []
        self._remember(hit["entity"] | {"position": _key(hit)} for hit in found if "text" in hit.get("entity", {}))
        pairs = [(abs(float(hit["distance"])), _key(hit)) for hit in found]  # Milvus Lite reports BM25 negated
        if keep is not None:
            pairs = [pair for pair in pairs if keep(pair[0])]
        pairs.sort(key=lambda pair: (-np.float32(pair[0]), pair[1]))  # ties by position, as the local store
        if not pairs:
            return Hits.empty()
        return Hits(np.array([p for _, p in pairs], dtype=np.int64), np.array([s for s, _ in pairs], dtype=np.float32))

    def lexical(self, tokens: list[str], k: int) -> Hits:
        if not tokens or len(self) == 0:
            return Hits.empty()
        results = self._call(self.client.search, self.names.passages, data=[terms_text(tokens)], anns_field="sparse",
                             limit=min(k, len(self), MAX_LIMIT), output_fields=ROW_FIELDS)
        return self._hits(results, keep=lambda score: score > 0)

    def windows(self, tokens: list[str], candidates: np.ndarray) -> Hits:
        """Each candidate's best BM25 score over its sentence windows (only the candidates' windows are searched)."""
        candidates = np.asarray(candidates, dtype=np.int64)
        if not tokens or len(candidates) == 0:
            return Hits.empty()
        rows = self._fetch(candidates)
        best: dict[int, float] = {}
        for start in range(0, len(candidates), 1000):
            batch = candidates[start:start + 1000]
            limit = sum(rows[int(p)].windows for p in batch if int(p) in rows)
            if limit == 0:
                continue
            results = self._call(self.client.search, self.names.windows, data=[terms_text(tokens)],
                                 anns_field="sparse", limit=min(limit, MAX_LIMIT),
                                 filter=f"position in {_positions(batch)}", output_fields=["position"])
            for hit in results[0] if results else []:
                position, score = int(hit["entity"]["position"]), abs(float(hit["distance"]))
                if score > best.get(position, 0.0):
                    best[position] = score
        if not best:
            return Hits.empty()
        order = sorted(best, key=lambda p: (-np.float32(best[p]), p))
        return Hits(np.array(order, dtype=np.int64), np.array([best[p] for p in order], dtype=np.float32))

    def dense(self, vector: np.ndarray, k: int) -> Hits:
        if len(self) == 0:
            return Hits.empty()
        query = np.asarray(vector, dtype=np.float32).reshape(-1).tolist()
        limit = min(k, len(self), MAX_LIMIT)
        results = self._call(self.client.search, self.names.passages, data=[query], anns_field="vector", limit=limit,
                             search_params={"metric_type": "IP", "params": {"ef": max(HNSW_EF_SEARCH, limit)}},
                             output_fields=ROW_FIELDS)
        return self._hits(results)

    def vectors_of(self, hashes: list[int]) -> dict[int, np.ndarray]:
        """Vectors of passages with these content hashes, for a build that reuses them."""
        found: dict[int, np.ndarray] = {}
        unique = sorted(set(hashes))
        for start in range(0, len(unique), FETCH_BATCH):
            batch = unique[start:start + FETCH_BATCH]
            for record in self._call(self.client.query, self.names.passages,
                                     filter=f"hash in {_positions(batch)}", output_fields=["hash", "vector"]):
                found[int(record["hash"])] = np.asarray(record["vector"], dtype=np.float32)
        return found


# -- opening and building -----------------------------------------------------------------------

def _current(client, alias: str) -> Names | None:
    try:
        if alias not in client.list_aliases().get("aliases", []):
            return None
        return Names(client.describe_alias(alias)["collection_name"])
    except Exception:
        return None


def open_milvus_store(folder: Path, spec: StoreSpec) -> MilvusStore:
    """The build the index's alias points at, checked like a local one."""
    client = connect(spec)
    alias = index_name(folder)
    names = _current(client, alias)
    if names is None:
        if (Path(folder) / "CURRENT").exists():
            raise IndexError_(f"the index {folder} was built in the local store, not in Milvus at {spec.name}: "
                              f"search it without --store (or QA_STORE), or build it there with "
                              f"`qa build --store {spec.name}`")
        raise IndexError_(f"no index {alias} in Milvus at {spec.name}: run `qa build --store {spec.name}` first")
    store = MilvusStore(client, names, spec)
    manifest = store.manifest
    if not str(manifest.store).startswith("milvus"):
        raise IndexError_(f"{names.passages} in Milvus at {spec.name} records the store {manifest.store!r}; "
                          f"rebuild it with `qa build --store {spec.name}`")
    if manifest.chunker != CHUNKER_VERSION:
        raise IndexError_(f"the index {alias} in Milvus at {spec.name} was built by another version of the chunker; "
                          f"rebuild it with `qa build --store {spec.name}`")
    if manifest.format != INDEX_FORMAT:
        raise IndexError_(f"the index {alias} in Milvus at {spec.name} has an older layout; "
                          f"rebuild it with `qa build --store {spec.name}`")
    return store


_BUILD = re.compile(r"b\d{14}_\d+")


def _builds(client, alias: str) -> set[str]:
    """The builds of one index: ``{alias}__b{YYYYmmddHHMMSS}_{pid}``."""
    prefix = f"{alias}__"
    return {name for name in client.list_collections()
            if name.startswith(prefix) and _BUILD.fullmatch(name[len(prefix):])}


def build_milvus(seeds: Path, folder: Path, embedder, spec: StoreSpec, progress, force: bool):
    """Bring the index up to date in Milvus; the same steps and report as ``qa.index.build_index``."""
    seeds, folder = Path(seeds), Path(folder)
    sources = source_hashes(seeds)
    started = time.perf_counter()
    with build_lock(folder):
        client = connect(spec, create=True)
        alias = index_name(folder)
        fingerprint = embedder.fingerprint()
        live = _current(client, alias)
        previous = None
        if live is not None and not force:
            try:
                previous = MilvusStore(client, live, spec)
            except StoreError:
                previous = None
        mark_store(folder, spec.name)
        if previous is not None and (previous.manifest.model, previous.manifest.model_fingerprint) != \
                (embedder.name, fingerprint):
            previous_manifest, previous = previous.manifest, None  # another model: its vectors are of no use
        else:
            previous_manifest = previous.manifest if previous is not None else None
        if previous is not None and previous.manifest.chunker == CHUNKER_VERSION \
                and previous.manifest.features == FEATURES_VERSION \
                and previous.manifest.sources == {k: v for k, v in sources.items()
                                                  if k not in previous.manifest.problems} \
                and set(previous.manifest.problems) <= set(sources):
            _drop_stale(client, alias, keep={live.passages})
            return BuildReport("up to date", previous.manifest.passages, 0, [], [], time.perf_counter() - started,
                               problems=[f"{name}: {reason}" if not reason.startswith(name) else reason
                                         for name, reason in previous.manifest.problems.items()])

        cache = EmbeddingCache(folder, fingerprint)
        names = Names(f"{alias}__b{time.strftime('%Y%m%d%H%M%S')}_{os.getpid()}")
        stages = {"read and chunk": 0.0, "analyse": 0.0, "embed": 0.0, "write": 0.0}
        problems, documents, changed = [], {}, []
        embedded = 0
        writer = None
        try:
            writer = MilvusStoreWriter(client, names, embedder.dimension)
            pending: list[tuple[Passage, int, object, str, str]] = []
            heads: dict[str, list[str]] = {}

            def flush() -> None:
                nonlocal embedded
                clock = time.perf_counter()
                wanted = [h for _, h, _, _, _ in pending if h not in cache.known]
                reused = previous.vectors_of(wanted) if previous is not None and wanted else {}
                missing = [i for i, (_, h, _, _, _) in enumerate(pending) if h not in reused and h not in cache.known]
                if missing:
                    order = sorted(missing, key=lambda i: len(pending[i][3]))
                    for j in range(0, len(order), EMBED_BATCH):
                        batch = order[j:j + EMBED_BATCH]
                        vectors = embedder.embed_passages([pending[i][3] for i in batch])
                        cache.add([pending[i][1] for i in batch], vectors)
                        for i, vector in zip(batch, vectors):
                            cache.known[pending[i][1]] = vector
                        embedded += len(batch)
                        progress.embedded(len(batch))
                stages["embed"] += time.perf_counter() - clock
                clock = time.perf_counter()
                fresh = {h: cache.known.pop(h) for _, h, _, _, _ in pending if h in cache.known}
                for passage, h, features, text, place in pending:
                    vector = fresh[h] if h in fresh else reused[h]
                    passage_tokens, window_tokens = lexical_tokens(passage, heads)
                    features = features.with_facts(passage.text, layout(passage.text, list(features.figures)), place)
                    writer.add(passage, vector, h, features, passage_tokens, window_tokens, place)
                stages["write"] += time.perf_counter() - clock
                pending.clear()

            progress.start(len(sources))
            for report in read_reports(seeds, problems, previous_manifest.sources if previous_manifest else {},
                                       stages, progress):
                documents[report.name] = report.info
                if report.changed:
                    changed.append(report.name)
                pending.extend((*passage, report.info.place) for passage in report.passages)
                if len(pending) >= FLUSH_PASSAGES:
                    flush()
            flush()
            cache.flush()
            if not documents:
                raise nothing_read(seeds, problems)
            clock = time.perf_counter()
            manifest = finished_manifest(embedder.name, fingerprint, embedder.dimension, writer.count, sources,
                                         problems, store=f"milvus {spec.name}")
            writer.finish(manifest, documents)
            if live is None:
                client.create_alias(names.passages, alias)
            else:
                client.alter_alias(names.passages, alias)  # readers opening now get the new build
            stages["write"] += time.perf_counter() - clock
        except BaseException as error:
            cache.flush()
            if writer is not None:
                writer.discard()
            if isinstance(error, Exception) and type(error).__module__.startswith(("pymilvus", "grpc")):
                raise _failure(spec, error) from None
            raise
        finally:
            progress.finish()
        cache.clear()
        _drop_stale(client, alias, keep={names.passages} | ({live.passages} if live else set()))
    removed = sorted(set(previous_manifest.sources) - set(sources)) if previous_manifest else []
    return BuildReport("built", manifest.passages, embedded, changed, removed, time.perf_counter() - started,
                       problems=[str(p) for p in problems], stages={k: round(v, 3) for k, v in stages.items()})


def _drop_stale(client, alias: str, keep: set[str]) -> None:
    """Drop the builds no reader can reach any more: all but the current one and the one it replaced."""
    for build in _builds(client, alias) - keep:
        for name in Names(build).all:
            if client.has_collection(name):
                client.drop_collection(name)
