"""Search: a question in, ranked passages with their figures out. The CLI and the web UI both call this.

Ranking is a short list of stages (``Searcher.search``), each a small function that fills its part of one
passage's ``Signals`` (each stage's weight is a setting, see ``Settings``):
  1. understand: the question is read once (``qa.query``): English terms get their Chinese equivalents,
     abbreviations and variants their standard form; the period, places and figure kind it asks for;
  2. retrieve: a dense ranking (FAISS) and a BM25 ranking over passages and over sentence windows;
  3. fuse: the rankings are fused, by weighted normalised scores or by reciprocal rank;
  4. period: a passage about another period than the one asked is demoted, one about the asked period
     promoted (``qa.periods``);
  5. place: a passage from a report of another place than the one asked is demoted, one from the asked
     place promoted (``qa.placing``);
  6. stance: a passage stating a result is preferred to one setting a target for the same period, unless
     the question asks for the target (``qa.periods.stance``);
  7. figure kind: a passage holding a figure of the kind asked for (多少人, 比例, how much …) is promoted
     (``qa.answers``);
  8. evidence: among the best few, a passage whose answer figure carries a qualifier the question does not
     ask for (人均 for a question about GDP) is demoted (``qa.evidence``);
  9. dedupe: near-duplicate passages are dropped.
A passage's score is the sum of its signals (``Signals.score``); ``--explain`` and the confidence
(``qa.confidence``) read the same record.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from .answers import AnswerFigures, Asked, asked, pick
from .chunking import PATH_SEPARATOR, Passage
from .embedding import Embedder
from .evidence import EVIDENCE_DEPTH, answer_evidence
from .features import PassageFeatures
from .filters import Filters
from .figures import Figure
from .index import check_model, open_store
from .periods import Period, agreement, asks_target, question_period, stance, states_targets
from .placing import AskedPlaces, asked_index_places, index_place_names, place_agreement
from .query import Query, understand
from .stores import Hits

MODES = ("hybrid", "dense", "bm25")
CANDIDATES = 50  # how deep each retriever's list goes before fusion
ROWS_PER_TABLE = 1  # rows of one table kept among the results
MAX_QUESTION_CHARS = 2000
FEATURE_CACHE = 50_000  # passages whose features a searcher keeps in memory
TARGET_STATEMENT = 0.5  # stance units a stated target adds for a question asking for one


class QueryError(ValueError):
    """A question or search option that cannot be searched."""


@dataclass(frozen=True)
class Settings:
    """How rankings are fused and adjusted; the defaults were tuned on the gold set's dev split.

    With score fusion each retriever's scores are mapped to 0…1 over its
    candidates (BM25 from zero, dense from its lowest), so the adjustments
    below are in the same units: 0.3 per unit of period agreement moves a
    passage about as far as a third of BM25's whole range.
    """

    fusion: str = "score"  # "score": weighted sum of normalised scores; "rrf": reciprocal rank
    rrf_k: int = 60  # reciprocal-rank fusion constant (Cormack et al.)
    dense_weight: float = 0.5
    bm25_weight: float = 1.0
    glossary: bool = True  # expand English questions with Chinese terms
    synonyms: bool = True  # map abbreviations and variants to the reports' terms
    time_weight: float = 0.3  # score added per unit of period agreement (−1.5 … +2)
    place_weight: float = 0.6  # score added per unit of place agreement (−1 … +1)
    stance_weight: float = 0.4  # score added per unit of result/target agreement (−1 … +1)
    figure_weight: float = 0.2  # score added when the passage holds a figure of the asked kind
    evidence_weight: float = 0.3  # score taken per qualifier of a passage's answer figure the question lacks (人均)
    window_weight: float = 0.3  # weight of BM25 over sentence windows (a passage scores its best window)
    deeper: int = 4  # a question naming a place or a period takes this many times more candidates from each retriever
    dedupe: bool = True  # drop passages that repeat a higher-ranked one

    def with_(self, **changes) -> "Settings":
        return replace(self, **changes)


DEFAULT_SETTINGS = Settings()

# The usual recipe, with every addition of this project switched off.
PLAIN = Settings(fusion="rrf", dense_weight=1.0, bm25_weight=1.0, glossary=False, synonyms=False,
                 time_weight=0.0, place_weight=0.0, stance_weight=0.0, figure_weight=0.0, evidence_weight=0.0,
                 window_weight=0.0, dedupe=False)

# Each step switches one addition on, on top of the steps before it; the last is the default.
_TUNED = PLAIN.with_(glossary=True, synonyms=True, fusion="score", dense_weight=DEFAULT_SETTINGS.dense_weight)
_WINDOWS = _TUNED.with_(window_weight=DEFAULT_SETTINGS.window_weight)
_TIME = _WINDOWS.with_(time_weight=DEFAULT_SETTINGS.time_weight)
_PLACE = _TIME.with_(place_weight=DEFAULT_SETTINGS.place_weight)
_STANCE = _PLACE.with_(stance_weight=DEFAULT_SETTINGS.stance_weight)
ABLATION: list[tuple[str, str, Settings]] = [
    ("bm25 only", "bm25", PLAIN),
    ("dense only", "dense", PLAIN),
    ("plain RRF hybrid", "hybrid", PLAIN),
    ("+ glossary and synonyms", "hybrid", PLAIN.with_(glossary=True, synonyms=True)),
    ("+ score fusion, tuned weights", "hybrid", _TUNED),
    ("+ sentence windows", "hybrid", _WINDOWS),
    ("+ time awareness", "hybrid", _TIME),
    ("+ place awareness", "hybrid", _PLACE),
    ("+ results versus targets", "hybrid", _STANCE),
    ("+ figure-kind awareness", "hybrid", DEFAULT_SETTINGS.with_(evidence_weight=0.0, dedupe=False)),
    ("+ answer-figure qualifiers", "hybrid", DEFAULT_SETTINGS.with_(dedupe=False)),
    ("+ near-duplicate removal (default)", "hybrid", DEFAULT_SETTINGS),
]


@dataclass
class Signals:
    """What one passage's score is made of, a field per ranking stage; ``--explain`` shows it and the confidence
    (``qa.confidence``) reads it."""

    dense_rank: int | None = None  # 1-based rank in the dense list, None if absent
    bm25_rank: int | None = None
    window_rank: int | None = None  # rank of the passage's best sentence window in the window BM25 list
    dense_score: float | None = None  # inner product (past the dense list: the list's lowest; None without one)
    bm25_score: float = 0.0
    fused: float = 0.0  # the retrievers' rankings fused
    time: float = 0.0  # agreement with the asked period
    place: float = 0.0  # agreement with the asked place
    stance: float = 0.0  # result or target, as asked
    figure: float = 0.0  # a figure of the asked kind
    evidence: float = 0.0  # qualifiers of the answer figure the question does not ask for (the best few only)
    unasked: list[str] = field(default_factory=list)  # those qualifiers, named
    period: str = ""  # the period the passage speaks about (the results returned only)

    @property
    def score(self) -> float:
        return self.fused + self.time + self.place + self.stance + self.figure + self.evidence

    def explained(self) -> dict:
        """The record ``--explain`` prints, rounded."""
        return {
            "dense_rank": self.dense_rank, "bm25_rank": self.bm25_rank, "window_rank": self.window_rank,
            "fused": round(self.fused, 4), "period": self.period, "time": round(self.time, 4),
            "place": round(self.place, 4), "stance": round(self.stance, 4), "figure": round(self.figure, 4),
            "evidence": round(self.evidence, 4), "unasked": self.unasked, "score": round(self.score, 4),
        }


@dataclass(frozen=True)
class Understood:
    """The question as the ranking stages read it, once per search."""

    text: str
    query: Query
    period: Period
    places: AskedPlaces | None  # None when place awareness is off
    wanted: Asked  # the kind of figure asked for
    target: bool  # asks for the target of a planned period (目标), with stance awareness on


@dataclass(frozen=True)
class Retrieved:
    """The candidates each retriever found, best first."""

    dense: Hits
    bm25: Hits
    windows: Hits


@dataclass
class Result:
    rank: int
    score: float
    passage: Passage
    figures: list[Figure]
    answer: Figure | None = None  # the figure most likely to answer the question
    answering: list[Figure] = field(default_factory=list)  # figures of the asked kind in the best sentence
    dense_rank: int | None = None  # 1-based rank in the dense list, None if absent
    bm25_rank: int | None = None
    signals: Signals = field(default_factory=Signals)  # what produced the score, for --explain
    fact: object | None = None  # what the answer figure measures (``qa.facts.Fact``), when the answer has been read
    found_by_name: bool = False  # not ranked: the card's figure was found under its indicator's name (``qa.answering``)

    def to_dict(self) -> dict:
        p = self.passage
        return {
            "rank": self.rank, "score": round(float(self.score), 6), "id": p.id, "source": p.source,
            "title": p.title, "section": PATH_SEPARATOR.join(p.section), "start": p.start, "end": p.end,
            "where": p.where, "ocr": p.ocr, "text": p.text,
            "figures": [
                {"start": f.start, "end": f.end, "text": f.text, "kind": f.kind, "unit": f.unit,
                 "answers": f in self.answering}
                for f in self.figures
            ],
            "answer": {"start": self.answer.start, "end": self.answer.end, "text": self.answer.text,
                       "kind": self.answer.kind} if self.answer else None,
            "fact": self.fact.to_dict() if self.fact is not None and self.answer else None,
        }


def check_question(question: str) -> str:
    """The question, stripped; an empty question or one that is not valid text is refused."""
    if question is None or not isinstance(question, str) or not question.strip():
        raise QueryError("the question is empty")
    try:
        question.encode("utf-8")
    except UnicodeEncodeError:
        raise QueryError("the question is not valid text (it holds bytes that are not UTF-8)") from None
    return question.strip()


def limit_question(question: str) -> tuple[str, str]:
    """The question cut to ``MAX_QUESTION_CHARS`` (the same limit for the CLI, the API and the web UI), and a notice."""
    question = check_question(question)
    if len(question) <= MAX_QUESTION_CHARS:
        return question, ""
    return question[:MAX_QUESTION_CHARS], (f"The question was longer than {MAX_QUESTION_CHARS} characters "
                                           f"and was cut to that length.")


class Searcher:
    """Holds a passage store and the model once; answers any number of questions.

    Opening a searcher reads nothing per passage: the features of the passages it ranks are
    read from the store when a question needs them.
    """

    def __init__(self, store, embedder: Embedder | None = None, settings: Settings = DEFAULT_SETTINGS,
                 current_year: int | None = None):
        self.store = store
        self._embedder = embedder
        self.settings = settings
        self.current_year = current_year or datetime.date.today().year
        self._features: dict[int, PassageFeatures] = {}
        self._sources: dict[int, str] = {}
        self._places: dict[str, str] | None = None
        self._several_places: bool | None = None

    @classmethod
    def open(cls, index_dir: Path, model: str | None = None, settings: Settings = DEFAULT_SETTINGS,
             current_year: int | None = None) -> "Searcher":
        store = open_store(index_dir)
        embedder = None
        if model is not None:
            embedder = Embedder(model)
            check_model(store.manifest, embedder.name, embedder.fingerprint())
        return cls(store, embedder, settings=settings, current_year=current_year)

    @property
    def documents(self) -> dict:
        return self.store.documents

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = Embedder(self.store.manifest.model)
            check_model(self.store.manifest, self._embedder.name, self._embedder.fingerprint())
        return self._embedder

    def features(self, position: int) -> PassageFeatures:
        found = self._features.get(position)
        if found is None:
            if len(self._features) > FEATURE_CACHE:
                self._features.clear()
            found = self._features[position] = self.store.features(position)
        return found

    def search(self, question: str, k: int = 5, mode: str = "hybrid", settings: Settings | None = None,
               filters: Filters | None = None) -> list[Result]:
        question = check_question(question)
        settings = settings or self.settings
        if mode not in MODES:
            raise QueryError(f"unknown mode {mode!r}: choose one of {', '.join(MODES)}")
        if not isinstance(k, int) or isinstance(k, bool) or k < 1:
            raise QueryError("k must be a whole number of at least 1")
        depth = max(CANDIDATES, k)
        understood = self._understand(question, settings)
        signals = self._staged(understood, settings, _fused(self._retrieve(understood, mode, settings, filters, depth),
                                                            settings, depth))
        order = _by_score(signals)
        if not filters and order and signals[order[0]].place < 0:
            order = self._asked_place_looked_at(understood, mode, settings, depth, signals)
        weights = self.store.token_weights(understood.query.bm25_tokens)
        picked: dict[int, AnswerFigures] = {}
        if settings.evidence_weight:
            picked = self._evidence_stage(understood, settings, signals, order[:EVIDENCE_DEPTH], weights)
            order = _by_score(signals)
        if settings.dedupe:
            order = self._without_duplicates(order, k)
        return [self._result(understood, rank, position, signals[position], picked.get(position), weights)
                for rank, position in enumerate(order[:k], start=1)]

    def _staged(self, understood: Understood, settings: Settings, signals: dict[int, Signals]) -> dict[int, Signals]:
        for position, signal in signals.items():
            for stage in (self._period_stage, self._place_stage, self._stance_stage, self._figure_stage):
                stage(understood, settings, position, signal)
        return signals

    def _asked_place_looked_at(self, understood: Understood, mode: str, settings: Settings, depth: int,
                               signals: dict[int, Signals]) -> list[int]:
        """When another place's passage ranks first for a question naming a place the index holds reports of (an
        English question's words match a province's report better than the city's own), the asked place's reports
        are searched on their own too, and each of their passages keeps the better of its two scores: the asked
        place's best passage is then weighed against the others as if the search had been filtered to it."""
        asked = understood.places
        if not asked or asked.national:
            return _by_score(signals)
        own = Filters(places=tuple(sorted(asked.places)))
        if not self._admitted_documents(own):
            return _by_score(signals)
        looked = self._staged(understood, settings, _fused(self._retrieve(understood, mode, settings, own, depth),
                                                           settings, depth))
        for position, signal in looked.items():
            if signal.place >= 0 and (position not in signals or signal.score > signals[position].score):
                signals[position] = signal
        return _by_score(signals)

    def _understand(self, question: str, settings: Settings) -> Understood:
        asked_period = question_period(question, self.current_year)
        return Understood(
            text=question, query=understand(question, use_glossary=settings.glossary, use_synonyms=settings.synonyms),
            period=asked_period,
            places=asked_index_places(question, self._places_to_tell_apart()) if settings.place_weight else None,
            wanted=asked(question),
            target=settings.stance_weight > 0 and asked_period.plan is True and asks_target(question),
        )

    def _retrieve(self, understood: Understood, mode: str, settings: Settings, filters: Filters | None,
                  depth: int) -> Retrieved:
        # A question about a place or a period looks deeper: the passage of the asked place and year may rank
        # low among the same indicator of many places and years, and the adjustments below can lift it.
        # Scores stay normalised over the usual depth, so the first ``depth`` passages score as before.
        asks_where_or_when = understood.places or (settings.time_weight and understood.period.years)
        fetch = depth * settings.deeper if asks_where_or_when else depth
        if filters:
            fetch = self._filtered_depth(filters, fetch)
        query = understood.query
        dense_hits = bm25_hits = window_hits = Hits.empty()
        if mode in ("hybrid", "dense"):
            dense_hits = self.store.dense(self._query_vector(query), fetch)
        if mode in ("hybrid", "bm25"):
            bm25_hits = self.store.lexical(query.bm25_tokens, fetch)
        if filters:
            dense_hits, bm25_hits = self._admitted(dense_hits, filters), self._admitted(bm25_hits, filters)
        if mode != "dense" and settings.window_weight:
            candidates = np.union1d(dense_hits.positions, bm25_hits.positions)
            window_hits = self.store.windows(query.bm25_tokens, candidates)
        return Retrieved(dense_hits, bm25_hits, window_hits)

    def _period_stage(self, understood: Understood, settings: Settings, position: int, signal: Signals) -> None:
        signal.time = settings.time_weight * agreement(understood.period, self.features(position).period)

    def _place_stage(self, understood: Understood, settings: Settings, position: int, signal: Signals) -> None:
        places = understood.places
        signal.place = settings.place_weight * place_agreement(places, self._document(position)) if places else 0.0

    def _stance_stage(self, understood: Understood, settings: Settings, position: int, signal: Signals) -> None:
        period = self.features(position).period
        signal.stance = settings.stance_weight * self._stance(understood.period, period, position, understood.target)

    def _figure_stage(self, understood: Understood, settings: Settings, position: int, signal: Signals) -> None:
        signal.figure = settings.figure_weight * _figure_match(self.features(position), understood.wanted)

    def _evidence_stage(self, understood: Understood, settings: Settings, signals: dict[int, Signals],
                        best: list[int], weights: dict[str, float]) -> dict[int, AnswerFigures]:
        """Weigh the answer figure of each of the ``best`` passages; the figures picked, by position."""
        picked = {}
        for position in best:
            found = picked[position] = self._pick(understood.query, understood.text, position, weights)
            evidence = answer_evidence(understood.text, self.store.text(position), found.answer,
                                       self.store.layout(position))
            signal = signals[position]
            signal.evidence = -settings.evidence_weight * evidence.mismatch
            signal.unasked = ([f"{name}, not asked" for name in evidence.unasked]
                              + [f"{name} asked, not stated" for name in evidence.missing])
        return picked

    def _result(self, understood: Understood, rank: int, position: int, signal: Signals,
                found: AnswerFigures | None, weights: dict[str, float]) -> Result:
        features = self.features(position)
        signal.period = features.period.label()
        found = found or self._pick(understood.query, understood.text, position, weights)
        return Result(
            rank=rank, score=signal.score, passage=self.store.passage(position), figures=list(features.figures),
            answer=found.answer, answering=found.answering, dense_rank=signal.dense_rank,
            bm25_rank=signal.bm25_rank, signals=signal,
        )

    def _pick(self, query: Query, question: str, position: int, weights: dict[str, float]) -> AnswerFigures:
        """The figures of one passage that answer the question (``qa.answers.pick``, on its stored layout)."""
        return pick(query.bm25_tokens, question, self.store.text(position), list(self.features(position).figures),
                    weights, self.store.layout(position))

    def index_places(self) -> dict[str, str]:
        """The places the index holds reports of (``placing.index_place_names``), once per searcher."""
        if self._places is None:
            documents = self.documents or {}
            self._places = index_place_names(frozenset(
                name for info in documents.values() if info is not None
                for name in (getattr(info, "place", ""), getattr(info, "province", "")) if name))
        return self._places

    def _places_to_tell_apart(self) -> dict[str, str]:
        """The index's places, when its reports are of more than one: in an index of one district's reports a
        question naming the district has nothing to demote, and need not search deeper."""
        if self._several_places is None:
            documents = self.documents or {}
            places = {info.place for info in documents.values() if info is not None and info.place}
            self._several_places = len(places) > 1
        return self.index_places() if self._several_places else {}

    def _admitted_documents(self, filters: Filters) -> dict[str, object]:
        documents = self.documents or {}
        sources = getattr(self.store, "sources", None) or list(documents)
        return {source: documents.get(source) for source in sources
                if filters.admits_document(source, documents.get(source))}

    def _filtered_depth(self, filters: Filters, fetch: int) -> int:
        """How deep a filtered search fetches so that ``fetch`` admitted candidates remain: deeper in proportion to
        the share of passages the admitted documents (of the asked years, when any is of them) hold."""
        total = len(self.store)
        positions_of = getattr(self.store, "positions_of_source", None)
        if positions_of is None:
            return total
        admitted = self._admitted_documents(filters)
        of_year = [s for s, info in admitted.items() if filters.years and getattr(info, "year", None) in filters.years]
        held = sum(len(positions_of(source)) for source in (of_year or admitted))
        return min(total, max(fetch, math.ceil(fetch * total / max(held, 1))))

    def _admitted(self, hits: Hits, filters: Filters) -> Hits:
        admitted = self._admitted_documents(filters)
        positions_of = getattr(self.store, "positions_of_source", None)
        keep = np.zeros(len(hits.positions), dtype=bool)
        for source, info in admitted.items():
            mine = (np.isin(hits.positions, positions_of(source)) if positions_of is not None else
                    np.array([self._source(int(p)) == source for p in hits.positions], dtype=bool))
            if not filters.years or getattr(info, "year", None) in filters.years:
                keep |= mine
                continue
            for i in np.flatnonzero(mine):  # a document of another year: the passages about an asked year
                keep[i] = filters.admits_year(info, self.features(int(hits.positions[i])).period.years)
        return Hits(hits.positions[keep], hits.scores[keep])

    def _stance(self, asked_period, period, position: int, target: bool) -> float:
        """Result versus target; among the plans of the asked period, a question asking for a target value
        (目标, target) prefers the passage that states targets (主要预期目标是…左右) to one that lists tasks."""
        value = stance(asked_period, period)
        if value > 0 and target and states_targets(self.store.text(position)):
            value += TARGET_STATEMENT
        return value

    def _document(self, position: int):
        """The metadata of the document a passage belongs to (None when the store keeps none)."""
        documents = getattr(self.store, "documents", None)
        if not documents:
            return None
        return documents.get(self._source(position))

    def _source(self, position: int) -> str:
        found = self._sources.get(position)
        if found is None:
            if len(self._sources) > FEATURE_CACHE:
                self._sources.clear()
            found = self._sources[position] = self.store.passage(position).source
        return found

    def _without_duplicates(self, order: list[int], k: int) -> list[int]:
        """Near-duplicate passages are dropped, and so are rows of a table beyond its first ``ROWS_PER_TABLE``: a
        table's rows share its caption and header, and would otherwise crowd out the prose that states the same."""
        kept: list[int] = []
        shingles: list[set[str]] = []
        rows_of: dict[tuple[str, int], int] = {}
        for position in order:
            text = self.store.text(position)
            grams = {text[i : i + 3] for i in range(max(len(text) - 2, 1))}
            if any(len(grams & other) > 0.8 * min(len(grams), len(other)) for other in shingles):
                continue
            passage = self.store.passage(position)
            if passage.row:
                table = (passage.source, passage.table)
                if rows_of.get(table, 0) >= ROWS_PER_TABLE:
                    continue
                rows_of[table] = rows_of.get(table, 0) + 1
            kept.append(position)
            shingles.append(grams)
            if len(kept) >= k:
                break
        return kept

    def _query_vector(self, query: Query) -> np.ndarray:
        vector = self.embedder.embed_query(query.text)
        rendering = query.chinese_rendering
        if rendering:  # the multilingual model matches Chinese passages better from Chinese words
            vector = vector + self.embedder.embed_query(rendering)
            vector /= np.linalg.norm(vector)
        return vector


def _fused(retrieved: Retrieved, settings: Settings, depth: int) -> dict[int, Signals]:
    """Every candidate's ranks, raw scores and fused score (with score fusion each retriever's scores are mapped to
    0…1 over its candidates first)."""
    dense_rank, bm25_rank = _ranks(retrieved.dense), _ranks(retrieved.bm25)
    window_rank = _ranks(retrieved.windows)
    dense_norm, bm25_norm = _normalised(retrieved.dense, over=depth), _normalised(retrieved.bm25, floor_at_zero=True)
    window_norm = _normalised(retrieved.windows, floor_at_zero=True)
    dense_raw, bm25_raw = _raw(retrieved.dense), _raw(retrieved.bm25)
    dense_floor = min(dense_raw.values(), default=None)  # a passage past the dense list scores at most this
    signals = {}
    for position in dense_rank.keys() | bm25_rank.keys() | window_norm.keys():
        if settings.fusion == "score":
            fused = (settings.dense_weight * dense_norm.get(position, 0.0)
                     + settings.bm25_weight * bm25_norm.get(position, 0.0)
                     + settings.window_weight * window_norm.get(position, 0.0))
        else:
            fused = sum(
                weight / (settings.rrf_k + ranks[position])
                for weight, ranks in ((settings.dense_weight, dense_rank), (settings.bm25_weight, bm25_rank))
                if position in ranks
            )
        signals[position] = Signals(
            dense_rank=dense_rank.get(position), bm25_rank=bm25_rank.get(position),
            window_rank=window_rank.get(position), dense_score=dense_raw.get(position, dense_floor),
            bm25_score=bm25_raw.get(position, 0.0), fused=fused,
        )
    return signals


def _by_score(signals: dict[int, Signals]) -> list[int]:
    return sorted(signals, key=lambda position: (-signals[position].score, position))


def _figure_match(features: PassageFeatures, wanted) -> float:
    if not wanted.kinds:
        return 0.0
    kinds = features.figure_kinds
    if any(kind in wanted.kinds and wanted.unit and wanted.unit in unit for kind, unit in kinds):
        return 1.0
    return 0.5 if any(kind in wanted.kinds for kind, _ in kinds) else 0.0


def _raw(hits: Hits) -> dict[int, float]:
    return {int(position): float(score) for position, score in zip(hits.positions, hits.scores) if position >= 0}


def _ranks(hits: Hits) -> dict[int, int]:
    return {int(position): rank for rank, position in enumerate(hits.positions, start=1) if position >= 0}


def _normalised(hits: Hits, floor_at_zero: bool = False, over: int | None = None) -> dict[int, float]:
    """Scores mapped to 0…1 over one retriever's candidate list (BM25 from zero, dense from the lowest of its
    first ``over`` candidates; any deeper candidate scores 0)."""
    positions, scores = hits.positions, hits.scores
    if len(scores) == 0:
        return {}
    valid = scores[positions >= 0]
    if len(valid) == 0:
        return {}
    low = 0.0 if floor_at_zero else float(valid[:over].min())
    spread = float(valid.max()) - low
    return {int(p): max((float(s) - low) / spread, 0.0) if spread > 0 else 1.0
            for p, s in zip(positions, scores) if p >= 0}

