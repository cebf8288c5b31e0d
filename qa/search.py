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

import math
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from .answers import asked, layout, pick
from .chunking import PATH_SEPARATOR, Passage
from .embedding import Embedder
from .figures import Figure, extract_figures
from .index import Index
from .periods import Period, agreement, document_years, passage_period, question_period
from .query import Query, understand
from .tokens import tokenize

MODES = ("hybrid", "dense", "bm25")
CANDIDATES = 50  # how deep each retriever's list goes before fusion
MAX_QUESTION_CHARS = 2000


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
    """Holds the index and the model once; answers any number of questions."""

    def __init__(self, index: Index, embedder: Embedder | None = None, settings: Settings = DEFAULT_SETTINGS):
        self.index = index
        self._embedder = embedder
        self.settings = settings
        passages = index.passages
        self.figures = [extract_figures(p.text) for p in passages]
        self.figure_kinds = [{(f.kind, f.unit) for f in figures} for figures in self.figures]
        self.layouts = [layout(p.text, figures) for p, figures in zip(passages, self.figures)]
        frequency = Counter(token for p in passages for token in set(tokenize(p.text)))
        self.idf = {token: math.log(1 + len(passages) / count) for token, count in frequency.items()}
        self.periods = self._passage_periods()
        self.windows, self.window_owner = self._sentence_windows()
        self.current_year = time.localtime().tm_year

    def _sentence_windows(self):
        """BM25 over windows of two sentences inside each passage, each with its section as context."""
        import bm25s

        texts, owners = [], []
        for position, passage in enumerate(self.index.passages):
            context = PATH_SEPARATOR.join(passage.section)
            for start, end in passage.windows():
                texts.append(tokenize(f"{context}\n{passage.text[start:end]}"))
                owners.append(position)
        windows = bm25s.BM25()
        windows.index(texts, show_progress=False)
        return windows, np.array(owners)

    def _window_scores(self, tokens: list[str]) -> tuple[np.ndarray, np.ndarray]:
        if not tokens:
            return np.zeros(0, int), np.zeros(0)
        scores = self.windows.get_scores(tokens)
        best = np.zeros(len(self.index.passages))
        np.maximum.at(best, self.window_owner, scores)
        order = np.argsort(-best, kind="stable")[:CANDIDATES]
        order = order[best[order] > 0]
        return order, best[order]

    def _passage_periods(self) -> list[Period]:
        by_source: dict[str, list[Passage]] = {}
        for passage in self.index.passages:
            by_source.setdefault(passage.source, []).append(passage)
        years = {
            source: document_years(group[0].title, [heading for p in group for heading in p.section])
            for source, group in by_source.items()
        }
        return [
            passage_period(p.section, p.text, p.title, years[p.source][1], years[p.source][0])
            for p in self.index.passages
        ]

    @classmethod
    def open(cls, index_dir: Path, model: str | None = None, settings: Settings = DEFAULT_SETTINGS) -> "Searcher":
        index = Index.load(index_dir)
        if model is not None:
            embedder = Embedder(model)
            index.check_model(embedder.name, embedder.fingerprint())
        return cls(index, settings=settings)

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = Embedder(self.index.manifest.model)
            self.index.check_model(self._embedder.name, self._embedder.fingerprint())
        return self._embedder

    def search(self, question: str, k: int = 5, mode: str = "hybrid", settings: Settings | None = None) -> list[Result]:
        question = check_question(question)
        settings = settings or self.settings
        if mode not in MODES:
            raise QueryError(f"unknown mode {mode!r}: choose one of {', '.join(MODES)}")
        if k < 1:
            raise QueryError("k must be at least 1")
        depth = max(CANDIDATES, k)
        query = understand(question, use_glossary=settings.glossary, use_synonyms=settings.synonyms)
        dense_hits = bm25_hits = (np.zeros(0, int), np.zeros(0))
        if mode in ("hybrid", "dense"):
            dense_hits = self.index.dense_scores(self._query_vector(query), depth)
        if mode in ("hybrid", "bm25"):
            bm25_hits = self.index.bm25_scores(query.bm25_tokens, depth)
        window_hits = self._window_scores(query.bm25_tokens) if mode != "dense" and settings.window_weight \
            else (np.zeros(0, int), np.zeros(0))
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
            time_agreement = agreement(asked_period, self.periods[position])
            figure_match = self._figure_match(position, wanted)
            signals[position] = {
                "dense_rank": dense_rank.get(position), "bm25_rank": bm25_rank.get(position),
                "window_rank": window_rank.get(position), "fused": fused, "period": self.periods[position].label(), "time": settings.time_weight * time_agreement,
                "figure": settings.figure_weight * figure_match,
            }
            signals[position]["score"] = fused + signals[position]["time"] + signals[position]["figure"]
        order = sorted(signals, key=lambda position: (-signals[position]["score"], position))
        if settings.dedupe:
            order = self._without_duplicates(order, k)

        results = []
        for rank, position in enumerate(order[:k], start=1):
            passage = self.index.passages[position]
            found = pick(query.bm25_tokens, question, passage.text, self.figures[position], self.idf,
                         self.layouts[position])
            results.append(Result(
                rank=rank, score=signals[position]["score"], passage=passage, figures=self.figures[position],
                answer=found.answer, answering=found.answering,
                dense_rank=dense_rank.get(position), bm25_rank=bm25_rank.get(position),
                signals=signals[position],
            ))
        return results

    def _figure_match(self, position: int, wanted) -> float:
        if not wanted.kinds:
            return 0.0
        kinds = self.figure_kinds[position]
        if any(kind in wanted.kinds and wanted.unit and wanted.unit in unit for kind, unit in kinds):
            return 1.0
        return 0.5 if any(kind in wanted.kinds for kind, _ in kinds) else 0.0

    def _without_duplicates(self, order: list[int], k: int) -> list[int]:
        kept: list[int] = []
        shingles: list[set[str]] = []
        for position in order:
            text = self.index.passages[position].text
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


def _ranks(hits: tuple[np.ndarray, np.ndarray]) -> dict[int, int]:
    return {int(position): rank for rank, position in enumerate(hits[0], start=1) if position >= 0}


def _normalised(hits: tuple[np.ndarray, np.ndarray], floor_at_zero: bool = False) -> dict[int, float]:
    """Scores mapped to 0…1 over one retriever's candidate list (BM25 from zero, dense from its lowest)."""
    positions, scores = hits
    if len(scores) == 0:
        return {}
    low = 0.0 if floor_at_zero else float(scores.min())
    spread = float(scores.max()) - low
    return {int(p): (float(s) - low) / spread if spread > 0 else 1.0 for p, s in zip(positions, scores) if p >= 0}

