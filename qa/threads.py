"""Thread settings chosen by measurement, applied before the numeric libraries start their thread pools.

A question is one short text and a few hundred candidate scores: spreading it
over several threads gains nothing, and on a busy machine OpenMP threads that
spin while they wait steal the core another process needs (a warm hybrid
query measured 985 ms with the default settings next to a busy core, under
100 ms with one passive thread). So searching uses one thread that sleeps when
it waits; building, which embeds thousands of passages, uses every core.

``QA_THREADS`` overrides the number of threads for searching.
"""

from __future__ import annotations

import os

_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def search_threads() -> int:
    try:
        return max(1, int(os.environ.get("QA_THREADS", "1")))
    except ValueError:
        return 1


def for_searching() -> int:
    """Call before numpy, faiss or the embedder are first imported (the CLI and the web UI do)."""
    threads = search_threads()
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    for name in _VARIABLES:
        os.environ.setdefault(name, str(threads))
    limit(threads)
    return threads


def for_building() -> int:
    threads = os.cpu_count() or 1
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    limit(threads)
    return threads


def limit(threads: int) -> None:
    """Limit the pools of libraries already loaded (BLAS, OpenMP, faiss, torch)."""
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(threads)
    except ImportError:
        pass
    import sys

    if "faiss" in sys.modules:
        sys.modules["faiss"].omp_set_num_threads(threads)
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(threads)
