"""How often the answer card's figure is right at each level of its confidence: the data behind the page's
likely-answer threshold (``qa.page.likely_below``). Prints a table.

    python benchmarks/likely.py --index index --gold gold/gold.jsonl --split dev
    python benchmarks/likely.py --index pile-index --gold gold/pile.jsonl --gold gold/genres.jsonl --split dev

Over the answerable questions whose answer is a figure and on which the card shows one, the share of right
figures (``qa.evaluation.GoldQuestion.card_is_right``) in each band of the calibrated confidence, and below and
above the threshold; the baseline is every figure shown, whatever its confidence.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.answering import answer_question  # noqa: E402
from qa.evaluation import load_gold  # noqa: E402
from qa.index import open_store  # noqa: E402
from qa.page import likely_below  # noqa: E402
from qa.search import Searcher  # noqa: E402

BANDS = (0.0, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0001)


@dataclass(frozen=True)
class Shown:
    """One figure the card showed: its confidence and whether it is right."""

    confidence: float
    right: bool


def row(name: str, shown: list[Shown]) -> str:
    right = sum(item.right for item in shown)
    share = f"{right / len(shown):.3f}" if shown else "–"
    return f"| {name} | {len(shown)} | {right} | {share} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=ROOT / "index")
    parser.add_argument("--gold", type=Path, action="append", required=True)
    parser.add_argument("--split", default="dev")
    args = parser.parse_args()
    questions = [q for path in args.gold for q in load_gold(path)
                 if args.split in ("all", q.split) and q.has_figure_answer]
    searcher = Searcher(open_store(args.index))
    shown = []
    for question in questions:
        response = answer_question(searcher, question.question)
        if response.found and response.answer is not None:
            shown.append(Shown(response.confidence, question.card_is_right(response.answer)))
    print(f"{len(questions)} answerable questions with a figure answer ({args.split}); the card shows a figure on "
          f"{len(shown)}\n")
    print("| confidence | figures shown | right | share right |\n|---|---|---|---|")
    for low, high in zip(BANDS, BANDS[1:]):
        print(row(f"{low:.2f}–{min(high, 1):.2f}", [s for s in shown if low <= s.confidence < high]))
    band = likely_below()
    print(row(f"below {band:.3f} (shown as likely)", [s for s in shown if s.confidence < band]))
    print(row(f"{band:.3f} and above", [s for s in shown if s.confidence >= band]))
    print(row("baseline: every figure shown", shown))


if __name__ == "__main__":
    main()
