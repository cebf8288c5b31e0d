"""BM25 indexes built from compact token-id arrays, saved in bm25s's own format.

bm25s builds its index from Python lists of tokens, which at a million
passages costs tens of gigabytes. Here the tokens of each document are kept
as ids in one flat array while a build streams, and the score matrix is
computed with numpy in one pass, with bm25s's defaults (Lucene variant,
k1 = 1.5, b = 0.75); ``bm25s.BM25.load`` reads the result, memory-mapped.
"""

from __future__ import annotations

from array import array
from pathlib import Path

import numpy as np

K1, B = 1.5, 0.75


class TokenTable:
    """The tokens of many documents as ids into one vocabulary."""

    def __init__(self, vocabulary: dict[str, int] | None = None):
        self.vocabulary = vocabulary if vocabulary is not None else {}
        self.ids = array("i")
        self.offsets = array("q", [0])

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def add(self, tokens) -> None:
        """One document's tokens: words, or (an int array) ids already in this table's vocabulary."""
        if isinstance(tokens, np.ndarray):
            self.ids.frombytes(tokens.astype(np.int32, copy=False).tobytes())
            self.offsets.append(len(self.ids))
            return
        vocabulary = self.vocabulary
        for token in tokens:
            token_id = vocabulary.get(token)
            if token_id is None:
                token_id = vocabulary[token] = len(vocabulary)
            self.ids.append(token_id)
        self.offsets.append(len(self.ids))


def as_array(values: array, dtype) -> np.ndarray:
    return np.frombuffer(values, dtype=dtype) if len(values) else np.zeros(0, dtype)


def save_bm25(table: TokenTable, folder: Path, block_tokens: int = 1 << 23) -> None:
    """Compute the BM25 score matrix of ``table`` and save it where ``bm25s.BM25.load`` finds it.

    The matrix is built a block of documents at a time, straight into its final arrays (token-major,
    documents ascending within a token, as bm25s stores it): memory beyond the result stays at one
    block's worth (``block_tokens`` tokens) whatever the corpus size.
    """
    import bm25s

    n_docs = max(len(table), 1)
    ids = as_array(table.ids, np.int32)
    offsets = as_array(table.offsets, np.int64)
    lengths = np.diff(offsets) if len(table) else np.zeros(1, np.int64)
    vocabulary = dict(table.vocabulary)
    n_vocab = max(len(vocabulary), 1)
    blocks = _blocks(offsets, block_tokens)

    df = np.zeros(n_vocab, np.int64)
    for first, last in blocks:
        _, token, _ = _pairs(ids, offsets, first, last, n_vocab)
        df += np.bincount(token, minlength=n_vocab)
    idf = np.log(1 + (n_docs - df + 0.5) / (df + 0.5)).astype(np.float32)
    average = float(lengths.mean()) if len(lengths) and lengths.mean() > 0 else 1.0
    length_norm = (K1 * ((1 - B) + B * lengths / average)).astype(np.float32)

    indptr = np.zeros(n_vocab + 1, dtype=np.int64)
    np.cumsum(df, out=indptr[1:])
    data = np.empty(int(indptr[-1]), np.float32)
    indices = np.empty(int(indptr[-1]), np.int32)
    cursor = indptr[:-1].copy()  # where each token's next document goes
    for first, last in blocks:
        doc, token, tf = _pairs(ids, offsets, first, last, n_vocab)
        order = np.argsort(token, kind="stable")  # stable: documents stay ascending within a token
        token, doc, tf = token[order], doc[order], tf[order]
        del order
        rank = np.arange(len(token)) - np.searchsorted(token, token, side="left")
        target = cursor[token] + rank
        data[target] = idf[token] * tf / (length_norm[doc] + tf)
        indices[target] = doc
        cursor += np.bincount(token, minlength=n_vocab)
    if "" not in vocabulary:  # bm25s keeps an empty token for queries with no known word
        vocabulary[""] = len(vocabulary)
    retriever = bm25s.BM25()
    retriever.scores = {"data": data, "indices": indices, "indptr": indptr, "num_docs": n_docs}
    retriever.vocab_dict = vocabulary
    retriever.unique_token_ids_set = set(vocabulary.values())
    retriever.nonoccurrence_array = None
    retriever.save(str(folder))


def _blocks(offsets: np.ndarray, block_tokens: int) -> list[tuple[int, int]]:
    """Consecutive ranges of documents holding about ``block_tokens`` tokens each."""
    n = len(offsets) - 1
    if n <= 0:
        return []
    bounds = [0]
    while bounds[-1] < n:
        limit = offsets[bounds[-1]] + block_tokens
        bounds.append(max(int(np.searchsorted(offsets, limit, side="right")) - 1, bounds[-1] + 1))
        bounds[-1] = min(bounds[-1], n)
    return list(zip(bounds[:-1], bounds[1:]))


def _pairs(ids: np.ndarray, offsets: np.ndarray, first: int, last: int, n_vocab: int):
    """Documents ``first`` … ``last`` − 1 as (document, token, term frequency) triples, by document then token."""
    lengths = np.diff(offsets[first:last + 1])
    local = np.repeat(np.arange(last - first, dtype=np.int64), lengths)
    keys = local * n_vocab + ids[offsets[first]:offsets[last]]
    del local
    keys, tf = np.unique(keys, return_counts=True)
    doc = (keys // n_vocab + first).astype(np.int32)
    token = (keys % n_vocab).astype(np.int32)
    return doc, token, tf.astype(np.float32)
