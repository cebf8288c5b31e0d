"""End to end: retrieval quality on the held-out test split of the gold set."""

import pytest

from conftest import GOLD
from qa.evaluation import RetrievalEvaluator, load_gold
from qa.search import PLAIN

pytestmark = pytest.mark.slow


def evaluate(searcher, kind=None, settings=None, split="test"):
    questions = [q for q in load_gold(GOLD) if q.split == split and (kind is None or q.kind == kind)]
    evaluator = RetrievalEvaluator(questions, searcher.store.iter_passages())
    return evaluator(lambda question, k: searcher.search(question, k=k, settings=settings))


def test_year_specific_test_questions_get_the_right_year_first(searcher):
    """The plain recipe gets the right year first for about half of these."""
    report = evaluate(searcher, kind="year")
    plain = evaluate(searcher, kind="year", settings=PLAIN)
    assert report.counts["all"] >= 20
    assert report.metrics["hit@1"] >= 0.85, report.metrics
    assert report.metrics["hit@1"] >= plain.metrics["hit@1"] + 0.25


def test_test_split_meets_the_overall_and_english_targets(searcher):
    overall = evaluate(searcher)
    assert overall.metrics["hit@1"] >= 0.85, overall.metrics
    assert overall.metrics["hit@5"] >= 0.97, overall.metrics
    assert overall.metrics["mrr@10"] >= 0.90, overall.metrics
    assert overall.by_kind["en"]["hit@5"] >= 0.90, overall.by_kind["en"]


def test_default_ranking_beats_the_plain_recipe_on_the_test_split(searcher):
    ours, plain = evaluate(searcher), evaluate(searcher, settings=PLAIN)
    assert ours.metrics["hit@1"] >= plain.metrics["hit@1"] + 0.15
    assert ours.metrics["mrr@10"] > plain.metrics["mrr@10"]


def test_the_answer_figure_is_right_for_most_relevant_top_passages(searcher):
    assert evaluate(searcher).metrics["answer_figure"] >= 0.80
