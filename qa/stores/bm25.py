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

    def add(self, tokens: list[str]) -> None:
        vocabulary = self.vocabulary
        for token in tokens:
            token_id = vocabulary.get(token)
            if token_id is None:
                token_id = vocabulary[token] = len(vocabulary)
            self.ids.append(token_id)
        self.offsets.append(len(self.ids))


def save_bm25(table: TokenTable, folder: Path) -> None:
    """Compute the BM25 score matrix of ``table`` and save it where ``bm25s.BM25.load`` finds it."""
    import bm25s

    n_docs = max(len(table), 1)
    ids = np.frombuffer(table.ids, dtype=np.int32) if len(table.ids) else np.zeros(0, np.int32)
    offsets = np.frombuffer(table.offsets, dtype=np.int64)
    lengths = np.diff(offsets) if len(table) else np.zeros(1, np.int64)
    vocabulary = dict(table.vocabulary)
    n_vocab = len(vocabulary)
    docs = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
    keys = docs * max(n_vocab, 1) + ids
    del docs
    keys, tf = np.unique(keys, return_counts=True)
    doc = (keys // max(n_vocab, 1)).astype(np.int32)
    token = (keys % max(n_vocab, 1)).astype(np.int32)
    del keys
    df = np.bincount(token, minlength=n_vocab)
    idf = np.log(1 + (n_docs - df + 0.5) / (df + 0.5)).astype(np.float32)
    average = float(lengths.mean()) if len(lengths) and lengths.mean() > 0 else 1.0
    length_norm = (K1 * ((1 - B) + B * lengths / average)).astype(np.float32)
    tf = tf.astype(np.float32)
    scores = idf[token] * tf / (length_norm[doc] + tf)
    del tf
    order = np.lexsort((doc, token))
    data, indices = scores[order].astype(np.float32), doc[order].astype(np.int32)
    del order, scores, doc
    indptr = np.zeros(n_vocab + 1, dtype=np.int64)
    np.cumsum(df, out=indptr[1:])
    if "" not in vocabulary:  # bm25s keeps an empty token for queries with no known word
        vocabulary[""] = n_vocab
    retriever = bm25s.BM25()
    retriever.scores = {"data": data, "indices": indices, "indptr": indptr, "num_docs": n_docs}
    retriever.vocab_dict = vocabulary
    retriever.unique_token_ids_set = set(vocabulary.values())
    retriever.nonoccurrence_array = None
    retriever.save(str(folder))
