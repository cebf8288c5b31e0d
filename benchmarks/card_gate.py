"""Whether the card's figure is right: fit the card model (``qa.card.CardEvidence`` → probability) on the dev split,
choose the threshold below which the card stays silent, and print what each threshold keeps.

    python benchmarks/card_gate.py --seed-index index --pile-index pile-index [--write]

A fact that agrees with the question on unit, measure, qualifiers, place, period and stance may still measure a
neighbouring thing (the deposits beside the loans asked). Every dev question of both gold sets (answerable ones with
a figure answer, and the unanswerable ones) is asked with the card model off; each card that shows a figure is a
row, labelled right when the figure is a gold answer from a gold document. Gradient-boosted trees are fitted on
those rows; the threshold is chosen on out-of-fold probabilities (folds by document, so a report's questions are
never judged by trees fitted on them) as the one that keeps the most right figures for the wrong ones it lets
through (``--cost``: how many right figures one wrong figure is worth losing). ``--write`` saves the model to
``qa/data/card.json``; the test split is then measured with ``qa eval``.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.answering import answer_question  # noqa: E402
from qa.card import CARD_FEATURES, CARD_GATE, CardEvidence  # noqa: E402
from qa.confidence import Trees  # noqa: E402
from qa.evaluation import GoldQuestion, load_gold  # noqa: E402
from qa.index import open_store  # noqa: E402
from qa.search import Searcher  # noqa: E402

SETTING = {"max_depth": 2, "max_iter": 60, "min_samples_leaf": 15, "learning_rate": 0.05, "l2_regularization": 1.0}
# more agreement of the indicator with the question, or of the ranking, never makes a figure less likely right
MONOTONE = {"confidence": 1, "coverage": 1, "margin": 1, "rival": -1, "missing": -1}
SURE_PRECISION = 0.98  # from this share of right figures up, a shown figure is not marked "likely"


@dataclass(frozen=True)
class Row:
    question: GoldQuestion
    evidence: CardEvidence
    right: bool

    @property
    def group(self) -> str:
        return self.question.docs[0] if self.question.docs else self.question.id


def rows_of(searcher: Searcher, questions: list[GoldQuestion]) -> list[Row]:
    rows = []
    for question in questions:
        if question.answerable and not question.has_figure_answer:
            continue
        response = answer_question(searcher, question.question, gate=False)
        part = next((p for p in response.parts if p.found and p.answer is not None), None)
        if part is None or part.card_evidence is None or part.card_evidence.meaning:
            continue  # a figure read by meaning is not judged by the card model
        right = question.answerable and question.card_is_right(part.answer)
        rows.append(Row(question, part.card_evidence, bool(right)))
    return rows


def _model(x: np.ndarray, y: np.ndarray):
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(early_stopping=False, monotonic_cst=[MONOTONE.get(n, 0) for n in CARD_FEATURES],
                                          **SETTING).fit(x, y)


def out_of_fold(x: np.ndarray, y: np.ndarray, groups: list[str], folds: int = 5) -> np.ndarray:
    names = sorted(set(groups))
    fold_of_group = {name: n % folds for n, name in enumerate(np.random.default_rng(0).permutation(names))}
    fold_of = np.array([fold_of_group[g] for g in groups])
    likely = np.zeros(len(y))
    for fold in range(folds):
        model = _model(x[fold_of != fold], y[fold_of != fold])
        likely[fold_of == fold] = model.predict_proba(x[fold_of == fold])[:, 1]
    return likely


def chosen_threshold(likely: np.ndarray, right: np.ndarray, cost: float) -> float:
    """The threshold that maximises right figures kept − ``cost`` × wrong figures kept."""
    candidates = np.unique(np.concatenate([[0.0], likely]))
    gains = [(right[likely >= t].sum() - cost * (~right[likely >= t]).sum(), -t) for t in candidates]
    return float(candidates[max(range(len(candidates)), key=lambda i: gains[i])])


def chosen_likely_below(likely: np.ndarray, right: np.ndarray, threshold: float,
                        sure_precision: float = SURE_PRECISION) -> float:
    """The least confidence from which the shown figures are right at least ``sure_precision`` of the time: figures
    between the threshold and it are shown as likely answers, for the reader to check against their passage."""
    for t in np.unique(likely[likely >= threshold]):
        if right[likely >= t].mean() >= sure_precision:
            return float(t)
    return 1.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed-index", type=Path, required=True)
    parser.add_argument("--pile-index", type=Path, required=True)
    parser.add_argument("--gold", type=Path, nargs="+", default=[ROOT / "gold" / "gold.jsonl"])
    parser.add_argument("--pile-gold", type=Path, nargs="+",
                        default=[ROOT / "gold" / "pile.jsonl", ROOT / "gold" / "genres.jsonl"])
    parser.add_argument("--unanswerable", type=Path, default=ROOT / "gold" / "unanswerable.jsonl")
    parser.add_argument("--cost", type=float, default=5.0,
                        help="right figures one wrong figure is worth losing (5: the least at which out-of-fold precision reaches 0.95)")
    parser.add_argument("--write", action="store_true", help=f"save the model to {CARD_GATE}")
    args = parser.parse_args()
    unanswerable = [q for q in load_gold(args.unanswerable) if q.split == "dev"]
    rows = []
    for index, gold in ((args.seed_index, args.gold), (args.pile_index, args.pile_gold)):
        searcher = Searcher(open_store(index))
        questions = [q for path in gold for q in load_gold(path) if q.split == "dev"]
        rows += rows_of(searcher, questions + unanswerable)  # every unanswerable question of both, as qa eval asks
        print(f"{index}: {len(rows)} cards so far", file=sys.stderr)
    x = np.array([[row.evidence.value(name) for name in CARD_FEATURES] for row in rows], dtype=float)
    right = np.array([row.right for row in rows])
    likely = out_of_fold(x, right, [row.group for row in rows])
    threshold = chosen_threshold(likely, right, args.cost)
    print(f"dev cards shown with the card model off: {len(rows)} ({right.sum()} right, {(~right).sum()} wrong)")
    print(f"{'threshold':>10}{'kept right':>12}{'kept wrong':>12}{'precision':>11}")
    for t in sorted({0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, round(threshold, 3)}):
        kept = likely >= t
        precision = right[kept].mean() if kept.any() else float("nan")
        mark = "  ← chosen (out of fold)" if t == round(threshold, 3) else ""
        print(f"{t:>10.3f}{right[kept].sum():>12}{(~right[kept]).sum():>12}{precision:>11.3f}{mark}")
    likely_below = chosen_likely_below(likely, right, threshold)
    band = (likely >= threshold) & (likely < likely_below)
    print(f"shown as likely (out of fold, {threshold:.3f} to {likely_below:.3f}): {band.sum()} cards, "
          f"{right[band].sum()} right; above: {right[likely >= likely_below].sum()} right, "
          f"{(~right[likely >= likely_below]).sum()} wrong")
    model = _model(x, right)
    gate = Trees.from_sklearn(model, CARD_FEATURES, threshold,
                              f"dev split: {len(rows)} cards ({right.sum()} right) of the seed and pile gold sets and "
                              f"the unanswerable questions, the card model off; {SETTING['max_iter']} trees of depth "
                              f"{SETTING['max_depth']}; threshold on out-of-fold probabilities (folds by document), "
                              f"one wrong figure worth {args.cost:g} right ones; shown as likely below the "
                              f"confidence from which {SURE_PRECISION:g} of the figures shown were right",
                              likely_below=likely_below)
    if args.write:
        gate.save(CARD_GATE)
        print(f"saved to {CARD_GATE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
