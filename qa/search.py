"""Search: a question in, ranked passages with their figures out. The CLI and the web UI both call this.

Ranking, step by step (each step is a setting, see ``Settings``):
  1. the question is understood (``qa.query``): English terms get their Chinese
     equivalents, abbreviations and variants their standard form;
  2. a dense ranking (FAISS) and a BM25 ranking are fused by weighted
     reciprocal rank;
  3. a passage about another period than the one asked is demoted, one about
     the asked period promoted (``qa.periods``);
  4. a passage holding a figure of the kind asked for (多少人, 比例, how much …)
     is promoted (``qa.answers``);
  5. near-duplicate passages are dropped.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from .answers import Layout, asked, layout, pick
from .chunking import PATH_SEPARATOR, Passage
from .embedding import Embedder
from .features import PassageFeatures
from .figures import Figure
from .index import check_model, open_store
from .periods import agreement, question_period
from .query import Query, understand
from .stores import Hits

MODES = ("hybrid", "dense", "bm25")
CANDIDATES = 50  # how deep each retriever's list goes before fusion
MAX_QUESTION_CHARS = 2000
FEATURE_CACHE = 50_000  # passages whose features a searcher keeps in memory
LAYOUT_CACHE = 5_000


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
    time_weight: float = 0.3  # score added per unit of period agreement (−1.8 … +1.8)
    figure_weight: float = 0.1  # score added when the passage holds a figure of the asked kind
    window_weight: float = 0.3  # weight of BM25 over sentence windows (a passage scores its best window)
    dedupe: bool = True  # drop passages that repeat a higher-ranked one

    def with_(self, **changes) -> "Settings":
        return replace(self, **changes)


DEFAULT_SETTINGS = Settings()

# The usual recipe, with every addition of this project switched off.
PLAIN = Settings(fusion="rrf", dense_weight=1.0, bm25_weight=1.0, glossary=False, synonyms=False,
                 time_weight=0.0, figure_weight=0.0, window_weight=0.0, dedupe=False)

# Each step switches one addition on, on top of the steps before it; the last is the default.
ABLATION: list[tuple[str, str, Settings]] = [
    ("bm25 only", "bm25", PLAIN),
    ("dense only", "dense", PLAIN),
    ("plain RRF hybrid", "hybrid", PLAIN),
    ("+ glossary and synonyms", "hybrid", PLAIN.with_(glossary=True, synonyms=True)),
    ("+ score fusion, tuned weights", "hybrid", PLAIN.with_(
        glossary=True, synonyms=True, fusion="score", dense_weight=DEFAULT_SETTINGS.dense_weight)),
    ("+ sentence windows", "hybrid", PLAIN.with_(
        glossary=True, synonyms=True, fusion="score", dense_weight=DEFAULT_SETTINGS.dense_weight,
        window_weight=DEFAULT_SETTINGS.window_weight)),
    ("+ time awareness", "hybrid", PLAIN.with_(
        glossary=True, synonyms=True, fusion="score", dense_weight=DEFAULT_SETTINGS.dense_weight,
        window_weight=DEFAULT_SETTINGS.window_weight, time_weight=DEFAULT_SETTINGS.time_weight)),
    ("+ figure-kind awareness", "hybrid", DEFAULT_SETTINGS.with_(dedupe=False)),
    ("+ near-duplicate removal (default)", "hybrid", DEFAULT_SETTINGS),
]


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
    signals: dict = field(default_factory=dict)  # what produced the score, for --explain

    def to_dict(self) -> dict:
        p = self.passage
        return {
            "rank": self.rank, "score": round(float(self.score), 6), "id": p.id, "source": p.source,
            "title": p.title, "section": PATH_SEPARATOR.join(p.section), "start": p.start, "end": p.end,
            "text": p.text,
            "figures": [
                {"start": f.start, "end": f.end, "text": f.text, "kind": f.kind, "unit": f.unit,
                 "answers": f in self.answering}
                for f in self.figures
            ],
            "answer": {"start": self.answer.start, "end": self.answer.end, "text": self.answer.text,
                       "kind": self.answer.kind} if self.answer else None,
        }


def check_question(question: str) -> str:
    if question is None or not question.strip():
        raise QueryError("the question is empty")
    return question.strip()


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
        self._layouts: dict[int, Layout] = {}

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

    def search(self, question: str, k: int = 5, mode: str = "hybrid", settings: Settings | None = None) -> list[Result]:
        question = check_question(question)
        settings = settings or self.settings
        if mode not in MODES:
            raise QueryError(f"unknown mode {mode!r}: choose one of {', '.join(MODES)}")
        if not isinstance(k, int) or isinstance(k, bool) or k < 1:
            raise QueryError("k must be a whole number of at least 1")
        depth = max(CANDIDATES, k)
        query = understand(question, use_glossary=settings.glossary, use_synonyms=settings.synonyms)
        dense_hits = bm25_hits = window_hits = Hits.empty()
        if mode in ("hybrid", "dense"):
            dense_hits = self.store.dense(self._query_vector(query), depth)
        if mode in ("hybrid", "bm25"):
            bm25_hits = self.store.lexical(query.bm25_tokens, depth)
        if mode != "dense" and settings.window_weight:
            candidates = np.union1d(dense_hits.positions, bm25_hits.positions)
            window_hits = self.store.windows(query.bm25_tokens, candidates)
        dense_rank, bm25_rank, window_rank = _ranks(dense_hits), _ranks(bm25_hits), _ranks(window_hits)
        dense_norm, bm25_norm = _normalised(dense_hits), _normalised(bm25_hits, floor_at_zero=True)
        window_norm = _normalised(window_hits, floor_at_zero=True)

        asked_period = question_period(question, self.current_year)
        wanted = asked(question)
        signals: dict[int, dict] = {}
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
            features = self.features(position)
            time_agreement = agreement(asked_period, features.period)
            figure_match = _figure_match(features, wanted)
            signals[position] = {
                "dense_rank": dense_rank.get(position), "bm25_rank": bm25_rank.get(position),
                "window_rank": window_rank.get(position), "fused": fused, "period": features.period.label(),
                "time": settings.time_weight * time_agreement, "figure": settings.figure_weight * figure_match,
            }
            signals[position]["score"] = fused + signals[position]["time"] + signals[position]["figure"]
        order = sorted(signals, key=lambda position: (-signals[position]["score"], position))
        if settings.dedupe:
            order = self._without_duplicates(order, k)

        weights = self.store.token_weights(query.bm25_tokens)
        results = []
        for rank, position in enumerate(order[:k], start=1):
            passage = self.store.passage(position)
            figures = list(self.features(position).figures)
            found = pick(query.bm25_tokens, question, passage.text, figures, weights, self._layout(position, passage.text, figures))
            results.append(Result(
                rank=rank, score=signals[position]["score"], passage=passage, figures=figures,
                answer=found.answer, answering=found.answering,
                dense_rank=dense_rank.get(position), bm25_rank=bm25_rank.get(position),
                signals=signals[position],
            ))
        return results

    def _layout(self, position: int, text: str, figures: list[Figure]) -> Layout:
        found = self._layouts.get(position)
        if found is None:
            if len(self._layouts) > LAYOUT_CACHE:
                self._layouts.clear()
            found = self._layouts[position] = layout(text, figures)
        return found

    def _without_duplicates(self, order: list[int], k: int) -> list[int]:
        kept: list[int] = []
        shingles: list[set[str]] = []
        for position in order:
            text = self.store.text(position)
            grams = {text[i : i + 3] for i in range(max(len(text) - 2, 1))}
            if any(len(grams & other) > 0.8 * min(len(grams), len(other)) for other in shingles):
                continue
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


def _figure_match(features: PassageFeatures, wanted) -> float:
    if not wanted.kinds:
        return 0.0
    kinds = features.figure_kinds
    if any(kind in wanted.kinds and wanted.unit and wanted.unit in unit for kind, unit in kinds):
        return 1.0
    return 0.5 if any(kind in wanted.kinds for kind, _ in kinds) else 0.0


def _ranks(hits: Hits) -> dict[int, int]:
    return {int(position): rank for rank, position in enumerate(hits.positions, start=1) if position >= 0}


def _normalised(hits: Hits, floor_at_zero: bool = False) -> dict[int, float]:
    """Scores mapped to 0…1 over one retriever's candidate list (BM25 from zero, dense from its lowest)."""
    positions, scores = hits.positions, hits.scores
    if len(scores) == 0:
        return {}
    low = 0.0 if floor_at_zero else float(scores.min())
    spread = float(scores.max()) - low
    return {int(p): (float(s) - low) / spread if spread > 0 else 1.0 for p, s in zip(positions, scores) if p >= 0}

