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


# --- the real pile: its gold set, and its targets against a prebuilt index ------------------------------------------

import collections
import importlib.util
import os
from pathlib import Path

from conftest import ROOT

PILE_GOLD = ROOT / "gold" / "pile.jsonl"
CORPUS = ROOT / "corpus"


def _quality_targets():
    spec = importlib.util.spec_from_file_location("quality_benchmark", ROOT / "benchmarks" / "quality.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_pile_gold_set_is_one_well_formed_file_whose_answers_are_in_its_reports():
    from qa.documents import iter_documents

    questions = load_gold(PILE_GOLD)
    assert len(questions) >= 230 and len({q.id for q in questions}) == len(questions)
    assert 80 <= sum(q.split == "test" for q in questions) <= 130  # split by document (gold/split.py)
    assert not list((ROOT / "gold").glob("pile-*.jsonl"))  # merged into pile.jsonl
    kinds = collections.Counter((q.kind, q.split) for q in questions)
    assert {kind for kind, _ in kinds} == {"zh", "paraphrase", "en", "year", "place", "target"}
    assert all(kinds[(kind, split)] >= 5 for kind, _ in kinds for split in ("dev", "test"))
    texts = {doc.name: doc.text for doc in iter_documents(CORPUS, [])}
    for question in questions:
        assert question.docs and all(doc in texts for doc in question.docs), question.id
        assert any(answer in texts[doc] for answer in question.answers for doc in question.docs), question.id


@pytest.mark.skipif(not os.environ.get("QA_PILE_INDEX"), reason="set QA_PILE_INDEX to a pile index "
                    "(python benchmarks/quality.py builds one in .cache/pile-index)")
def test_the_pile_test_split_meets_its_targets():
    """The same check as benchmarks/quality.py, against a prebuilt index (building the pile takes minutes)."""
    quality = _quality_targets()
    report = quality.evaluate(Path(os.environ["QA_PILE_INDEX"]), PILE_GOLD, "test")
    failed = [check for check in quality.checks(report, quality.TARGETS) if not check["holds"]]
    assert not failed, failed


def test_the_seed_test_split_keeps_its_target(searcher):
    quality = _quality_targets()
    report = evaluate(searcher)
    failed = [check for check in quality.checks(report, quality.SEED_TARGETS) if not check["holds"]]
    assert not failed, failed
