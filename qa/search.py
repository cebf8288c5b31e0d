"""Search: a question in, ranked passages with their figures out. The CLI and the web UI both call this."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

import math
from collections import Counter

from .answers import pick
from .chunking import PATH_SEPARATOR, Passage
from .embedding import Embedder
from .figures import Figure, extract_figures
from .index import Index
from .query import understand
from .tokens import tokenize

MODES = ("hybrid", "dense", "bm25")
RRF_K = 60  # reciprocal-rank fusion constant, as in Cormack et al.
CANDIDATES = 50  # how deep each retriever's list goes before fusion
MAX_QUESTION_CHARS = 2000


class QueryError(ValueError):
    """A question or search option that cannot be searched."""


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
    signals: dict = field(default_factory=dict)

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

    def __init__(self, index: Index, embedder: Embedder | None = None):
        self.index = index
        self._embedder = embedder
        self.figures = [extract_figures(p.text) for p in index.passages]
        documents = Counter(token for p in index.passages for token in set(tokenize(p.text)))
        total = max(len(index.passages), 1)
        self.idf = {token: math.log(1 + total / count) for token, count in documents.items()}

    @classmethod
    def open(cls, index_dir: Path, model: str | None = None) -> "Searcher":
        index = Index.load(index_dir)
        if model is not None:
            index.check_model(Embedder(model).name, Embedder(model).fingerprint())
        return cls(index)

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = Embedder(self.index.manifest.model)
            self.index.check_model(self._embedder.name, self._embedder.fingerprint())
        return self._embedder

    def search(self, question: str, k: int = 5, mode: str = "hybrid") -> list[Result]:
        question = check_question(question)
        if mode not in MODES:
            raise QueryError(f"unknown mode {mode!r}: choose one of {', '.join(MODES)}")
        if k < 1:
            raise QueryError("k must be at least 1")
        depth = max(CANDIDATES, k)
        query = understand(question)
        dense = bm25 = None
        if mode in ("hybrid", "dense"):
            dense = self.index.dense_scores(self._query_vector(query), depth)
        if mode in ("hybrid", "bm25"):
            bm25 = self.index.bm25_scores(query.bm25_tokens, depth)

        dense_rank = _ranks(dense)
        bm25_rank = _ranks(bm25)
        if mode == "dense":
            scored = {int(p): float(s) for p, s in zip(*dense)}
        elif mode == "bm25":
            scored = {int(p): float(s) for p, s in zip(*bm25)}
        else:
            scored = {}
            for ranks in (dense_rank, bm25_rank):
                for position, rank in ranks.items():
                    scored[position] = scored.get(position, 0.0) + 1.0 / (RRF_K + rank)
        order = sorted(scored, key=lambda position: (-scored[position], position))[:k]
        results = []
        for rank, position in enumerate(order, start=1):
            passage = self.index.passages[position]
            found = pick(query.bm25_tokens, question, passage.text, self.figures[position], self.idf)
            results.append(Result(
                rank=rank, score=scored[position], passage=passage, figures=self.figures[position],
                answer=found.answer, answering=found.answering,
                dense_rank=dense_rank.get(position), bm25_rank=bm25_rank.get(position),
            ))
        return results

    def _query_vector(self, query) -> np.ndarray:
        vector = self.embedder.embed_query(query.text)
        rendering = query.chinese_rendering
        if rendering:  # the multilingual model matches Chinese passages better from Chinese words
            vector = vector + self.embedder.embed_query(rendering)
            vector /= np.linalg.norm(vector)
        return vector

    def passage(self, passage_id: str) -> Passage:
        position = self.index.by_id.get(passage_id)
        if position is None:
            raise QueryError(f"no passage with id {passage_id!r}")
        return self.index.passages[position]


def _ranks(hits: tuple[np.ndarray, np.ndarray] | None) -> dict[int, int]:
    if hits is None:
        return {}
    return {int(position): rank for rank, position in enumerate(hits[0], start=1) if position >= 0}
