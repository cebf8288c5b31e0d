"""Where passages live: one small protocol, one module per backend.

The searcher, ``qa cite``, the web UI's surrounding-section view and evaluation
talk to a ``PassageStore``; none of them touches FAISS or BM25 files directly.
``local`` (FAISS + bm25s files in a build folder) is the default backend.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Protocol

import numpy as np


class StoreError(Exception):
    """A store that is missing, damaged, or built for another model or layout; the message says how to fix it."""


@dataclass(frozen=True, eq=False)
class Hits:
    """Passages found by one retriever: their positions in the store and their scores, best first."""

    positions: np.ndarray  # int64
    scores: np.ndarray  # float32

    @classmethod
    def empty(cls) -> "Hits":
        return cls(np.zeros(0, np.int64), np.zeros(0, np.float32))

    def __len__(self) -> int:
        return len(self.positions)


def parse_passage_id(passage_id: str) -> tuple[str, int, int] | None:
    """``source:start-end`` → (source, start, end); None for anything else."""
    source, _, span = passage_id.rpartition(":")
    try:
        start, end = (int(part) for part in span.split("-"))
    except ValueError:
        return None
    return source, start, end


class PassageStore(Protocol):
    """What search, citation and evaluation need from a backend (positions are 0 … len − 1)."""

    manifest: object  # qa.stores.build.Manifest
    documents: dict  # source → qa.metadata.DocumentInfo

    def __len__(self) -> int: ...

    def passage(self, position: int): ...  # -> qa.chunking.Passage

    def iter_passages(self) -> Iterator: ...

    def find(self, passage_id: str) -> int | None: ...

    def section_of(self, position: int) -> list[int]: ...  # the passages of the same section, in order

    def features(self, position: int): ...  # -> qa.features.PassageFeatures, computed at build time

    def facts(self, position: int) -> tuple: ...  # -> qa.facts.Fact per figure, computed at build time

    def indicator_units(self): ...  # -> qa.facts.IndicatorUnits: what each indicator head is measured in

    def layout(self, position: int): ...  # -> qa.answers.Layout, the answer picker's view, computed at build time

    def text(self, position: int) -> str: ...

    def token_weights(self, tokens: list[str]) -> dict[str, float]: ...  # IDF of each known token

    def lexical(self, tokens: list[str], k: int) -> Hits: ...

    def windows(self, tokens: list[str], candidates: np.ndarray) -> Hits: ...  # best window score per candidate

    def dense(self, vector: np.ndarray, k: int) -> Hits: ...
