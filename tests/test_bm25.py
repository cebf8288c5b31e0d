"""The BM25 matrix built from token ids, block by block, scores as bm25s does."""

import random

import bm25s
import numpy as np
import pytest

from qa.stores.bm25 import TokenTable, save_bm25


def _corpus(seed: int, documents: int = 300) -> list[list[str]]:
    rng = random.Random(seed)
    words = [f"w{i}" for i in range(400)]
    return [[rng.choice(words[: rng.randint(5, 400)]) for _ in range(rng.randint(0, 60))] for _ in range(documents)]


@pytest.mark.parametrize("block_tokens", [1 << 23, 97, 1])
def test_scores_match_bm25s_for_any_block_size(tmp_path, block_tokens):
    corpus = _corpus(seed=block_tokens)
    table = TokenTable()
    for tokens in corpus:
        table.add(tokens)
    save_bm25(table, tmp_path / "ours", block_tokens=block_tokens)
    ours = bm25s.BM25.load(str(tmp_path / "ours"), mmap=True)

    reference = bm25s.BM25()
    vocabulary = {token: i for i, token in enumerate(sorted({t for doc in corpus for t in doc}))}
    reference.index(bm25s.tokenization.Tokenized(
        ids=[[vocabulary[t] for t in doc] for doc in corpus], vocab=vocabulary), show_progress=False)
    for query in (["w1"], ["w3", "w7", "w7"], ["w250", "w2", "w399"], ["never-seen"]):
        expected = reference.get_scores([t for t in query if t in vocabulary]) if any(
            t in vocabulary for t in query) else np.zeros(len(corpus))
        np.testing.assert_allclose(ours.get_scores(query), expected, rtol=1e-5, atol=1e-6)


def test_documents_stay_in_ascending_order_within_each_token(tmp_path):
    table = TokenTable()
    for tokens in _corpus(seed=3):
        table.add(tokens)
    save_bm25(table, tmp_path / "bm25", block_tokens=50)
    scores = bm25s.BM25.load(str(tmp_path / "bm25")).scores
    indptr, indices = scores["indptr"], scores["indices"]
    for token in range(len(indptr) - 1):
        column = indices[indptr[token]:indptr[token + 1]]
        assert np.all(np.diff(column) > 0)


def test_an_empty_table_gives_an_index_that_finds_nothing(tmp_path):
    save_bm25(TokenTable(), tmp_path / "bm25")
    assert not bm25s.BM25.load(str(tmp_path / "bm25")).get_scores(["w1"]).any()
