"""The answer card, today's rules against stored facts: right / wrong / silent, precision, figures on questions the
reports do not answer, and the time a warm answer takes. Prints a table.

    python benchmarks/card.py --index pile-index --gold gold/pile.jsonl --gold gold/genres.jsonl \\
        --gold gold/unanswerable.jsonl --split dev

``rules``: the best passage's answer figure as the answer picker reads it, shown when the calibrated confidence
is above its threshold. ``facts``: a stored fact of the first passages that agrees with the question on unit,
measure, qualifiers, place, period, stance and indicator (``qa.card``), else "not found". Both modes search
once per question with the same ranking, in the same run; times are medians over the questions, warm (each
question asked once before timing).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.answering import CARD_MODES, answer_question  # noqa: E402
from qa.evaluation import CardScore, load_gold  # noqa: E402
from qa.index import open_store  # noqa: E402
from qa.search import Searcher  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=ROOT / "index")
    parser.add_argument("--gold", type=Path, action="append", required=True)
    parser.add_argument("--split", default="dev")
    parser.add_argument("-k", type=int, default=5)
    args = parser.parse_args()
    questions = [q for path in args.gold for q in load_gold(path) if args.split in ("all", q.split)]
    searcher = Searcher(open_store(args.index))
    rows = []
    search_times = []
    for question in questions:  # warm: every question once, and the ranking alone timed
        searcher.search(question.question, k=args.k)
        started = time.perf_counter()
        searcher.search(question.question, k=args.k)
        search_times.append(time.perf_counter() - started)
    for mode in CARD_MODES[::-1]:
        score, times = CardScore(), []
        for question in questions:
            started = time.perf_counter()
            response = answer_question(searcher, question.question, k=args.k, card=mode)
            times.append(time.perf_counter() - started)
            score.add(question, response)
        rows.append((mode, score, times))
    print(f"{', '.join(map(str, args.gold))} · split {args.split} · {len(questions)} questions · index {args.index}")
    print(f"hybrid search alone: p50 {1000 * statistics.median(search_times):.1f} ms")
    print(f"{'card':<8}{'n':>5}{'right':>8}{'wrong':>8}{'silent':>8}{'precision':>11}{'unans n':>9}"
          f"{'figure':>8}{'p50 ms':>8}{'p95 ms':>8}")
    for mode, score, times in rows:
        def rate(value):
            return f"{value:.3f}" if value is not None else "–"
        p95 = sorted(times)[int(0.95 * (len(times) - 1))]
        print(f"{mode:<8}{score.answerable:>5}{rate(score.rate('right')):>8}{rate(score.rate('wrong')):>8}"
              f"{rate(score.rate('silent')):>8}{rate(score.precision):>11}{score.unanswerable:>9}"
              f"{rate(score.figure_on_unanswerable):>8}{1000 * statistics.median(times):>8.1f}{1000 * p95:>8.1f}")
    kinds = sorted({kind for _, score, _ in rows for kind in score.by_kind})
    print(f"\n{'by kind (right/wrong/silent)':<30}" + "".join(f"{mode:>22}" for mode, _, _ in rows))
    for kind in kinds:
        cells = []
        for _, score, _ in rows:
            counts = score.by_kind.get(kind)
            n = sum(counts.values()) if counts else 0
            cells.append(f"{counts['right'] / n:.2f}/{counts['wrong'] / n:.2f}/{counts['silent'] / n:.2f} ({n})"
                         if n else "–")
        print(f"{kind:<30}" + "".join(f"{cell:>22}" for cell in cells))


if __name__ == "__main__":
    main()
