"""Recall@10 of the approximate (HNSW) dense index against exact search, for the settings the store uses. Prints a table.

    python benchmarks/ann.py --index INDEX [--gold gold/gold.jsonl,gold/pile.jsonl] [--random 100000] [--json]

Real embeddings: the passage vectors of a built index (e.g. the pile) and the gold questions embedded
as the searcher embeds them. Random unit vectors (``--random N``) are the hard case for HNSW and show
how recall holds at a size that cannot be embedded here.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.stores import local  # noqa: E402

EF_SEARCH = (32, 64, 128, 256)


def recall_table(vectors: np.ndarray, queries: np.ndarray, label: str) -> list[dict]:
    import faiss

    started = time.perf_counter()
    ann = faiss.IndexHNSWFlat(vectors.shape[1], local.HNSW_M, faiss.METRIC_INNER_PRODUCT)
    ann.hnsw.efConstruction = local.HNSW_EF_CONSTRUCTION
    ann.add(vectors)
    build = time.perf_counter() - started
    exact = np.argsort(-(queries @ vectors.T), axis=1)[:, :10]
    rows = []
    for ef in EF_SEARCH:
        ann.hnsw.efSearch = ef
        started = time.perf_counter()
        _, found = ann.search(queries, 10)
        per_query = (time.perf_counter() - started) / len(queries) * 1000
        recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(exact, found)])
        rows.append({"vectors": label, "passages": len(vectors), "efSearch": ef, "recall@10": round(float(recall), 4),
                     "ms/query": round(per_query, 3), "build s": round(build, 1),
                     "store default": ef == local.HNSW_EF_SEARCH})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, help="a built index whose passage vectors are real embeddings")
    parser.add_argument("--gold", default="gold/gold.jsonl,gold/pile.jsonl")
    parser.add_argument("--random", default="", help="comma-separated sizes of random unit-vector sets")
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args()
    rows = []
    if options.index:
        from qa.evaluation import load_gold
        from qa.index import open_store
        from qa.search import Searcher
        from qa.query import understand

        store = open_store(options.index)
        searcher = Searcher(store)
        questions = [q.question for path in options.gold.split(",") if (ROOT / path).exists()
                     for q in load_gold(ROOT / path)]
        queries = np.vstack([searcher._query_vector(understand(q)) for q in questions]).astype(np.float32)
        rows += recall_table(np.ascontiguousarray(store.vectors, dtype=np.float32), queries,
                             f"real ({options.index.name}, {len(questions)} gold questions)")
    rng = np.random.default_rng(0)
    for size in (int(s) for s in options.random.split(",") if s):
        vectors = rng.standard_normal((size, 384)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        queries = rng.standard_normal((200, 384)).astype(np.float32)
        queries /= np.linalg.norm(queries, axis=1, keepdims=True)
        rows += recall_table(vectors, queries, "random unit vectors")
    if options.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    print(f"HNSW M={local.HNSW_M}, efConstruction={local.HNSW_EF_CONSTRUCTION}; the store searches with "
          f"efSearch={local.HNSW_EF_SEARCH} above {local.ANN_THRESHOLD:,} passages")
    print(f"{'vectors':<48}{'passages':>10}{'efSearch':>10}{'recall@10':>11}{'ms/query':>10}{'build s':>9}")
    for row in rows:
        print(f"{row['vectors']:<48}{row['passages']:>10}{row['efSearch']:>10}{row['recall@10']:>11.4f}"
              f"{row['ms/query']:>10.3f}{row['build s']:>9.1f}")


if __name__ == "__main__":
    main()
