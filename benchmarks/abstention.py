"""Knowing when the reports do not answer: fit the confidence model on dev, report dev and test.

    python benchmarks/abstention.py --seed-index INDEX --pile-index INDEX [--all-index INDEX]
                                    [--model trees|logistic] [--write] [--json]

Each index is asked its own answerable gold questions (``gold/gold.jsonl`` over the seed index,
``gold/pile.jsonl`` over the pile, both over ``--all-index``, one index of both folders as a user
would build it) and every question of ``gold/unanswerable.jsonl`` (none of them is answered by any of
the 68 reports). The evidence of each question's best-ranked passage (``qa.confidence.Evidence``) is
collected, and a model is fitted on the dev split of every index together:

* ``trees`` (the default): gradient-boosted trees (scikit-learn's HistGradientBoostingClassifier),
  monotone in the evidence whose direction is never in doubt (``qa.confidence.MONOTONE``), their size
  chosen among ``TREE_SETTINGS`` by out-of-fold recall on dev (five folds, three shuffles) at the
  false-flag share; the threshold is read from the out-of-fold confidences of dev answerable questions,
  so it is not set on scores the trees have already learnt. A question asked of several indexes stays
  in one fold: its evidence is nearly the same on each, and a fold that had seen it elsewhere would
  judge it too kindly (out-of-fold recall 0.87 instead of 0.80) and set the threshold too high;
* ``logistic``: an L2-penalised logistic model, its penalty chosen among ``--ridges`` the same way.

The threshold lets at most ``--false-flags`` of dev answerable questions fall below it: 2%, a wide margin
under the 5% target, because dev questions read better than new ones. The synonyms and glossary were grown
from dev misses, so a dev paraphrase holds more of its passage's words than an unseen one does (pile
paraphrases: Hit@1 dev 0.94 against test 0.58), and a share set at 3% on dev has come out at 5–11% on
test. ``--write`` saves model and threshold to ``qa/data/confidence.json``. The table then reports, per
split and index, the share of unanswerable questions flagged (recall), of answerable ones flagged (false
flags) and the precision of the flags; "own" rows keep only the unanswerable questions written about that
index's reports.
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

from qa.confidence import CALIBRATION, FEATURES, MONOTONE, Calibration, Evidence, Trees, fit  # noqa: E402
from qa.evaluation import load_gold  # noqa: E402
from qa.search import Searcher  # noqa: E402

K = 5
# (depth, trees, fewest questions per leaf), learning rate 0.05, L2 1.0
TREE_SETTINGS = [(2, 200, 20), (3, 150, 20), (3, 100, 20), (4, 100, 20)]


@dataclass
class Row:
    index: str  # "seeds", "pile" or "all"
    id: str
    question: str
    split: str
    answerable: bool
    about: str  # the corpus an unanswerable question was written about; the index's own for answerable ones
    evidence: Evidence


def collect(name: str, index: Path, golds: list[Path], unanswerable: Path) -> list[Row]:
    searcher = Searcher.open(index)
    about = {json.loads(line)["id"]: json.loads(line).get("about", "")
             for line in unanswerable.read_text(encoding="utf-8").splitlines() if line.strip()}
    rows = []
    for question in [*(q for gold in golds for q in load_gold(gold)), *load_gold(unanswerable)]:
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


def fitted(rows: list[Row], ridge: float, false_flags: float, names: tuple[str, ...] = FEATURES) -> Calibration:
    mean, scale, weights, bias = fit([row.evidence for row in rows], [row.answerable for row in rows], ridge, names)
    unfitted = Calibration(names, mean, scale, weights, bias, threshold=0.0)
    threshold = choose_threshold([unfitted.confidence(row.evidence) for row in rows],
                                 [row.answerable for row in rows], false_flags)
    return Calibration(names, mean, scale, weights, bias, threshold)


def cross_validated(rows: list[Row], ridge: float, false_flags: float, folds: int = 5,
                    shuffles: int = 3, names: tuple[str, ...] = FEATURES) -> tuple[float, float]:
    """Recall and false-flag rate of models fitted on four fifths of ``rows`` and judged on the rest."""
    recalls, false = [], []
    for shuffle in range(shuffles):
        fold_of = _folds(rows, folds, shuffle)
        flagged = np.zeros(len(rows), dtype=bool)
        for fold in range(folds):
            model = fitted([row for i, row in enumerate(rows) if fold_of[i] != fold], ridge, false_flags, names)
            for i, row in enumerate(rows):
                if fold_of[i] == fold:
                    flagged[i] = model.confidence(row.evidence) < model.threshold
        answerable = np.array([row.answerable for row in rows])
        recalls.append(flagged[~answerable].mean())
        false.append(flagged[answerable].mean())
    return float(np.mean(recalls)), float(np.mean(false))


def _folds(rows: list[Row], folds: int, shuffle: int) -> np.ndarray:
    """Fold of each row. A question asked of several indexes keeps one fold, so that no model is judged on a
    question it has seen on another index (its evidence there is nearly the same); folds keep the mix of
    answerable and unanswerable questions."""
    ids = list(dict.fromkeys(row.id for row in rows))
    answerable = {row.id: row.answerable for row in rows}
    order = np.random.default_rng(shuffle).permutation(len(ids))
    fold_of_id: dict[str, int] = {}
    for kind in (True, False):
        members = [ids[i] for i in order if answerable[ids[i]] == kind]
        for n, question in enumerate(members):
            fold_of_id[question] = n % folds
    return np.array([fold_of_id[row.id] for row in rows], dtype=int)


def _boosted(x: np.ndarray, y: np.ndarray, setting: tuple[int, int, int], names: tuple[str, ...] = ()):
    from sklearn.ensemble import HistGradientBoostingClassifier

    depth, trees, leaf = setting
    monotone = [MONOTONE.get(name, 0) for name in names] if names else None
    return HistGradientBoostingClassifier(max_depth=depth, max_iter=trees, min_samples_leaf=leaf, learning_rate=0.05,
                                          l2_regularization=1.0, early_stopping=False,
                                          monotonic_cst=monotone).fit(x, y)


def out_of_fold(rows: list[Row], setting: tuple[int, int, int], names: tuple[str, ...], folds: int = 5,
                shuffles: int = 3) -> list[np.ndarray]:
    """Per shuffle, each row's confidence from trees fitted on the other folds."""
    x = np.array([[row.evidence.value(name) for name in names] for row in rows], dtype=float)
    y = np.array([row.answerable for row in rows])
    found = []
    for shuffle in range(shuffles):
        fold_of = _folds(rows, folds, shuffle)
        confidence = np.zeros(len(rows))
        for fold in range(folds):
            model = _boosted(x[fold_of != fold], y[fold_of != fold], setting, names)
            confidence[fold_of == fold] = model.predict_proba(x[fold_of == fold])[:, 1]
        found.append(confidence)
    return found


def flag_rates(confidence: np.ndarray, answerable: np.ndarray, false_flags: float) -> tuple[float, float]:
    threshold = choose_threshold(list(confidence), list(answerable), false_flags)
    flagged = confidence < threshold
    return float(flagged[~answerable].mean()), float(flagged[answerable].mean())


def fitted_trees(rows: list[Row], false_flags: float, names: tuple[str, ...], fitted_on: str,
                 settings=TREE_SETTINGS) -> tuple[Trees, dict]:
    """Trees of the setting with the best out-of-fold recall on ``rows``; the threshold from out-of-fold confidences."""
    answerable = np.array([row.answerable for row in rows])
    folds = {setting: out_of_fold(rows, setting, names) for setting in settings}
    validation = {setting: tuple(np.mean([flag_rates(c, answerable, false_flags) for c in found], axis=0))
                  for setting, found in folds.items()}
    best = max(settings, key=lambda setting: validation[setting][0] - validation[setting][1])
    threshold = float(np.median([choose_threshold(list(c), list(answerable), false_flags) for c in folds[best]]))
    x = np.array([[row.evidence.value(name) for name in names] for row in rows], dtype=float)
    model = _boosted(x, answerable, best, names)
    depth, trees, leaf = best
    return Trees.from_sklearn(model, names, threshold, fitted_on + f"; {trees} trees of depth {depth}, at least "
                              f"{leaf} questions a leaf, by out-of-fold recall on dev; threshold from out-of-fold "
                              f"confidences"), {f"trees {s[1]} depth {s[0]} leaf {s[2]}": v for s, v in validation.items()}


def summary(rows: list[Row], model: Calibration | Trees) -> dict:
    confidences = [model.confidence(row.evidence) for row in rows]
    flagged = [confidence < model.threshold for confidence in confidences]
    unanswerable = [f for f, row in zip(flagged, rows) if not row.answerable]
    answerable = [f for f, row in zip(flagged, rows) if row.answerable]
    caught, false = sum(unanswerable), sum(answerable)
    return {
        "unanswerable": len(unanswerable), "recall": caught / len(unanswerable) if unanswerable else None,
        "answerable": len(answerable), "false_flags": false / len(answerable) if answerable else None,
        "precision": caught / (caught + false) if caught + false else None,
        # how far the confidence stands from the truth, squared (0 is perfect; always saying 0.8 scores 0.16)
        "brier": float(np.mean([(c - row.answerable) ** 2 for c, row in zip(confidences, rows)])) if rows else None,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed-index", type=Path, required=True)
    parser.add_argument("--pile-index", type=Path, required=True)
    parser.add_argument("--all-index", type=Path,
                        help="an index of both folders together, asked both gold sets (a pile as users build it)")
    parser.add_argument("--features", nargs="+", default=list(FEATURES), help="evidence the model weighs")
    parser.add_argument("--gold", type=Path, default=ROOT / "gold" / "gold.jsonl")
    parser.add_argument("--pile-gold", type=Path, nargs="+", default=[ROOT / "gold" / "pile.jsonl", ROOT / "gold" /
                                                                       "genres.jsonl"],
                        help="gold sets over the pile (default: pile.jsonl and genres.jsonl)")
    parser.add_argument("--unanswerable", type=Path, default=ROOT / "gold" / "unanswerable.jsonl")
    parser.add_argument("--false-flags", type=float, default=0.02,
                        help="the most dev answerable questions the threshold may flag (share)")
    parser.add_argument("--model", choices=("trees", "logistic"), default="trees",
                        help="gradient-boosted trees (default) or a logistic model")
    parser.add_argument("--ridges", type=float, nargs="+", default=[1.0, 3.0, 10.0, 30.0],
                        help="L2 penalties of the logistic model to choose from")
    parser.add_argument("--write", action="store_true", help=f"save the fitted model to {CALIBRATION}")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    threads.for_searching()
    rows = (collect("seeds", args.seed_index, [args.gold], args.unanswerable)
            + collect("pile", args.pile_index, list(args.pile_gold), args.unanswerable))
    if args.all_index:
        rows += collect("all", args.all_index, [args.gold, *args.pile_gold], args.unanswerable)
    names = tuple(args.features)
    dev = [row for row in rows if row.split == "dev"]
    fitted_on = (f"dev split: {sum(r.answerable for r in dev)} answerable and {sum(not r.answerable for r in dev)} "
                 f"unanswerable (question, index) pairs: gold.jsonl over the seeds, pile.jsonl and genres.jsonl over the pile"
                 + (", both over one index of both folders" if args.all_index else "") +
                 f", unanswerable.jsonl over every index; threshold: dev false flags at most {args.false_flags:.0%}")
    if args.model == "trees":
        model, validation = fitted_trees(dev, args.false_flags, names, fitted_on)
        chosen_label = max(validation, key=lambda label: validation[label][0] - validation[label][1])
    else:
        ridges = {ridge: cross_validated(dev, ridge, args.false_flags, names=names) for ridge in args.ridges}
        ridge = max(args.ridges, key=lambda value: ridges[value][0] - ridges[value][1])
        chosen = fitted(dev, ridge, args.false_flags, names)
        model = Calibration(chosen.names, chosen.mean, chosen.scale, chosen.weights, chosen.bias, chosen.threshold,
                            fitted_on=fitted_on + f"; L2 penalty {ridge:g} by cross-validation on dev")
        validation = {f"L2 penalty {value:g}": result for value, result in ridges.items()}
        chosen_label = f"L2 penalty {ridge:g}"
    if args.write:
        model.save()

    table = {}
    for split in ("dev", "test"):
        for index in dict.fromkeys(row.index for row in rows):
            chosen = [row for row in rows if row.split == split and row.index == index]
            table[f"{split} {index}"] = summary(chosen, model)
            if index != "all":  # every unanswerable question was written about the reports an "all" index holds
                table[f"{split} {index} own"] = summary([row for row in chosen if row.about == index], model)
        table[f"{split} every index"] = summary([row for row in rows if row.split == split], model)
    if args.json:
        print(json.dumps({"model": model.to_dict(), "validation": {str(k): v for k, v in validation.items()},
                          "table": table}, ensure_ascii=False, indent=2))
        return 0
    for label, (recall, false) in validation.items():
        print(f"dev cross-validation, {label}: recall {recall:.3f}, false flags {false:.3f}"
              + ("  (chosen)" if label == chosen_label else ""))
    if isinstance(model, Calibration):
        print(f"threshold {model.threshold:.3f}; weights " + ", ".join(
            f"{name} {weight:+.2f}" for name, weight in zip(model.names, model.weights)) + f"; bias {model.bias:+.2f}")
    else:
        print(f"threshold {model.threshold:.3f}; {len(model.trees)} trees over " + ", ".join(model.names))
    print(f"{'split / index':<18}{'unanswerable':>13}{'recall':>8}{'answerable':>11}{'false flags':>12}{'precision':>10}"
          f"{'brier':>7}")
    for label, cells in table.items():
        def number(value):
            return f"{value:.3f}" if value is not None else "–"

        print(f"{label:<18}{cells['unanswerable']:>13}{number(cells['recall']):>8}{cells['answerable']:>11}"
              f"{number(cells['false_flags']):>12}{number(cells['precision']):>10}{number(cells['brier']):>7}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
