"""Warm latency of a series answer (``qa.series``) against a plain single-question search, in the same run.

    python benchmarks/series.py --index /work/pile-index --repeats 20

Each question is answered once before timing (the facts of the index are read once per open store, as the web
app and a long-lived process hold it); then each is timed ``--repeats`` times and the median printed. The
baseline is the ordinary hybrid search of one single-figure question (``Searcher.search``), warm, timed the same
way. Cold: the first series answer after opening the index, which reads every stored fact once.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa import threads  # noqa: E402
from qa.index import open_store  # noqa: E402
from qa.search import Searcher  # noqa: E402
from qa.series import series_for  # noqa: E402

SERIES_QUESTIONS = (
    "2004—2013年国内生产总值增速",  # ten years, result and target: a 10-point national series
    "GDP growth targets from 2005 to 2014",
    "各省2025年地区生产总值增长目标",
)
BASELINE_QUESTION = "2012年国内生产总值增长多少"


def timed(call, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=ROOT / "index")
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    threads.for_searching()
    store = open_store(args.index)
    started = time.perf_counter()
    first = series_for(store, SERIES_QUESTIONS[0])
    cold = time.perf_counter() - started
    searcher = Searcher(store)
    searcher.search(BASELINE_QUESTION, k=5)
    rows = [("search (baseline): " + BASELINE_QUESTION,
             timed(lambda: searcher.search(BASELINE_QUESTION, k=5), args.repeats), None)]
    for question in SERIES_QUESTIONS:
        answer = series_for(store, question)
        stated = sum(cell.stated for cell in answer.cells())
        rows.append((f"series: {question}", timed(lambda q=question: series_for(store, q), args.repeats),
                     f"{len(answer.rows)} rows, {stated} cells stated"))
    print(f"index {args.index} · {args.repeats} repeats · warm medians")
    print(f"cold first series answer (reads every stored fact once): {1000 * cold:.0f} ms "
          f"({sum(cell.stated for cell in first.cells())} cells stated)")
    print(f"{'what':<52}{'p50 ms':>9}{'max ms':>9}  answer")
    for label, times, note in rows:
        print(f"{label:<52}{1000 * statistics.median(times):>9.1f}{1000 * max(times):>9.1f}  {note or ''}")


if __name__ == "__main__":
    main()
