"""Knowing when the reports do not answer: fit the confidence model on dev, report dev and test.

    python benchmarks/abstention.py --seed-index INDEX --pile-index INDEX [--write] [--json]

Each index is asked its own answerable gold questions (``gold/gold.jsonl`` over the seed index,
``gold/pile.jsonl`` over the pile) and every question of ``gold/unanswerable.jsonl`` (none of them
is answered by any of the 68 reports). The evidence of each question's best-ranked passage
(``qa.confidence.Evidence``) is collected; a logistic model is fitted on the dev split of both
indexes together, its L2 penalty chosen among ``--ridges`` by cross-validation on dev (five folds,
three shuffles), and the threshold is the highest whose false-flag rate on dev answerable questions
stays within ``--false-flags`` (a margin under the 5% target). ``--write`` saves model and
threshold to ``qa/data/confidence.json``. The table then reports, per split and index, the share of
unanswerable questions flagged (recall), of answerable ones flagged (false flags) and the precision
of the flags; "own" rows keep only the unanswerable questions written about that index's reports.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa import threads  # noqa: E402
from qa.answering import ranked_evidence  # noqa: E402
import numpy as np  # noqa: E402

from qa.confidence import CALIBRATION, FEATURES, Calibration, Evidence, fit  # noqa: E402
from qa.evaluation import load_gold  # noqa: E402
from qa.search import Searcher  # noqa: E402

K = 5


@dataclass
class Row:
    index: str  # "seeds" or "pile"
    id: str
    question: str
    split: str
    answerable: bool
    about: str  # the corpus an unanswerable question was written about; the index's own for answerable ones
    evidence: Evidence


def collect(name: str, index: Path, gold: Path, unanswerable: Path) -> list[Row]:
    searcher = Searcher.open(index)
    about = {json.loads(line)["id"]: json.loads(line).get("about", "")
             for line in unanswerable.read_text(encoding="utf-8").splitlines() if line.strip()}
    rows = []
    for question in [*load_gold(gold), *load_gold(unanswerable)]:
        results, found = ranked_evidence(searcher, question.question, k=K)
        if not found:
            continue
        rows.append(Row(name, question.id, question.question, question.split, question.answerable,
                        name if question.answerable else about.get(question.id, ""), found[0]))
    return rows


def choose_threshold(confidences: list[float], answerable: list[bool], false_flags: float) -> float:
    """The highest threshold (a question is flagged below it) whose false-flag rate stays within ``false_flags``."""
    answered = sorted(c for c, a in zip(confidences, answerable) if a)
    allowed = int(false_flags * len(answered))  # answerable questions that may fall below the threshold
    return answered[allowed] if allowed < len(answered) else 1.0


def fitted(rows: list[Row], ridge: float, false_flags: float) -> Calibration:
    mean, scale, weights, bias = fit([row.evidence for row in rows], [row.answerable for row in rows], ridge, FEATURES)
    unfitted = Calibration(FEATURES, mean, scale, weights, bias, threshold=0.0)
    threshold = choose_threshold([unfitted.confidence(row.evidence) for row in rows],
                                 [row.answerable for row in rows], false_flags)
    return Calibration(FEATURES, mean, scale, weights, bias, threshold)


def cross_validated(rows: list[Row], ridge: float, false_flags: float, folds: int = 5,
                    shuffles: int = 3) -> tuple[float, float]:
    """Recall and false-flag rate of models fitted on four fifths of ``rows`` and judged on the rest."""
    recalls, false = [], []
    for shuffle in range(shuffles):
        order = np.random.default_rng(shuffle).permutation(len(rows))
        # folds keep the mix of answerable and unanswerable questions of each index
        groups: dict[tuple, list[int]] = {}
        for i in order:
            groups.setdefault((rows[i].answerable, rows[i].index), []).append(int(i))
        fold_of = {i: n % folds for members in groups.values() for n, i in enumerate(members)}
        flagged = np.zeros(len(rows), dtype=bool)
        for fold in range(folds):
            model = fitted([row for i, row in enumerate(rows) if fold_of[i] != fold], ridge, false_flags)
            for i, row in enumerate(rows):
                if fold_of[i] == fold:
                    flagged[i] = model.confidence(row.evidence) < model.threshold
        answerable = np.array([row.answerable for row in rows])
        recalls.append(flagged[~answerable].mean())
        false.append(flagged[answerable].mean())
    return float(np.mean(recalls)), float(np.mean(false))


def summary(rows: list[Row], model: Calibration) -> dict:
    flagged = [model.confidence(row.evidence) < model.threshold for row in rows]
    unanswerable = [f for f, row in zip(flagged, rows) if not row.answerable]
    answerable = [f for f, row in zip(flagged, rows) if row.answerable]
    caught, false = sum(unanswerable), sum(answerable)
    return {
        "unanswerable": len(unanswerable), "recall": caught / len(unanswerable) if unanswerable else None,
        "answerable": len(answerable), "false_flags": false / len(answerable) if answerable else None,
        "precision": caught / (caught + false) if caught + false else None,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed-index", type=Path, required=True)
    parser.add_argument("--pile-index", type=Path, required=True)
    parser.add_argument("--gold", type=Path, default=ROOT / "gold" / "gold.jsonl")
    parser.add_argument("--pile-gold", type=Path, default=ROOT / "gold" / "pile.jsonl")
    parser.add_argument("--unanswerable", type=Path, default=ROOT / "gold" / "unanswerable.jsonl")
    parser.add_argument("--false-flags", type=float, default=0.03,
                        help="the most dev answerable questions the threshold may flag (share)")
    parser.add_argument("--ridges", type=float, nargs="+", default=[1.0, 3.0, 10.0, 30.0],
                        help="L2 penalties of the logistic model to choose from")
    parser.add_argument("--write", action="store_true", help=f"save the fitted model to {CALIBRATION}")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    threads.for_searching()
    rows = (collect("seeds", args.seed_index, args.gold, args.unanswerable)
            + collect("pile", args.pile_index, args.pile_gold, args.unanswerable))
    dev = [row for row in rows if row.split == "dev"]
    validation = {ridge: cross_validated(dev, ridge, args.false_flags) for ridge in args.ridges}
    ridge = max(args.ridges, key=lambda value: validation[value][0] - validation[value][1])
    chosen = fitted(dev, ridge, args.false_flags)
    model = Calibration(chosen.names, chosen.mean, chosen.scale, chosen.weights, chosen.bias, chosen.threshold,
                        fitted_on=(
        f"dev split: {sum(r.answerable for r in dev)} answerable questions (gold.jsonl over the seeds, pile.jsonl "
        f"over the pile) and {sum(not r.answerable for r in dev)} unanswerable ones asked of both indexes; L2 "
        f"penalty {ridge:g} by cross-validation on dev; threshold: dev false flags at most {args.false_flags:.0%}"))
    if args.write:
        model.save()

    table = {}
    for split in ("dev", "test"):
        for index in ("seeds", "pile"):
            chosen = [row for row in rows if row.split == split and row.index == index]
            table[f"{split} {index}"] = summary(chosen, model)
            table[f"{split} {index} own"] = summary([row for row in chosen if row.about == index], model)
        table[f"{split} both"] = summary([row for row in rows if row.split == split], model)
    if args.json:
        print(json.dumps({"model": model.to_dict(), "validation": {str(k): v for k, v in validation.items()},
                          "table": table}, ensure_ascii=False, indent=2))
        return 0
    for value, (recall, false) in validation.items():
        print(f"dev cross-validation, L2 penalty {value:g}: recall {recall:.3f}, false flags {false:.3f}"
              + ("  (chosen)" if value == ridge else ""))
    print(f"threshold {model.threshold:.3f}; weights " + ", ".join(
        f"{name} {weight:+.2f}" for name, weight in zip(model.names, model.weights)) + f"; bias {model.bias:+.2f}")
    print(f"{'split / index':<18}{'unanswerable':>13}{'recall':>8}{'answerable':>11}{'false flags':>12}{'precision':>10}")
    for label, cells in table.items():
        def number(value):
            return f"{value:.3f}" if value is not None else "–"

        print(f"{label:<18}{cells['unanswerable']:>13}{number(cells['recall']):>8}{cells['answerable']:>11}"
              f"{number(cells['false_flags']):>12}{number(cells['precision']):>10}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
