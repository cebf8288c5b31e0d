"""Ranking as stages: each stage fills its own field of a passage's ``Signals``, and the score is their sum."""

from pathlib import Path

import pytest

from conftest import HashEmbedder
from qa.index import build_index, open_store
from qa.search import DEFAULT_SETTINGS, Searcher, Signals
from test_places_ranking import REPORTS

EXPLAIN_KEYS = ["dense_rank", "bm25_rank", "window_rank", "fused", "period", "time", "place", "stance", "figure",
                "evidence", "unasked", "score"]
STAGES = [("time_weight", "time"), ("place_weight", "place"), ("stance_weight", "stance"),
          ("figure_weight", "figure"), ("evidence_weight", "evidence")]
QUESTION = "2025年北京城镇新增就业多少人？"


@pytest.fixture(scope="module")
def two_places(tmp_path_factory):
    folder = tmp_path_factory.mktemp("reports")
    for name, text in REPORTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    index = tmp_path_factory.mktemp("index")
    build_index(folder, index, HashEmbedder())
    return Searcher(open_store(Path(index)), HashEmbedder(), current_year=2026)


def test_a_passage_scores_the_sum_of_its_fused_score_and_every_stage():
    signals = Signals(fused=1.25, time=0.3, place=-0.6, stance=0.4, figure=0.1, evidence=-0.3)
    assert signals.score == pytest.approx(1.15)
    assert Signals(fused=0.5).score == 0.5


def test_explain_shows_every_stage_rounded_in_its_usual_shape():
    signals = Signals(dense_rank=3, bm25_rank=None, window_rank=1, fused=0.123456, time=-0.3, place=0.6,
                      unasked=["per person, not asked"], evidence=-0.3, period="2025全年")
    explained = signals.explained()
    assert list(explained) == EXPLAIN_KEYS
    assert explained["fused"] == 0.1235 and explained["bm25_rank"] is None and explained["period"] == "2025全年"
    assert explained["score"] == round(0.123456 - 0.3 + 0.6 - 0.3, 4)


def test_each_result_is_ranked_by_the_sum_of_its_signals(two_places):
    results = two_places.search(QUESTION, k=10)
    assert len(results) >= 3
    for result in results:
        assert result.score == result.signals.score
        assert (result.dense_rank, result.bm25_rank) == (result.signals.dense_rank, result.signals.bm25_rank)
        assert result.signals.period  # the period the passage speaks about is filled in for the results
    assert [r.score for r in results] == sorted((r.score for r in results), reverse=True)
    assert any(r.signals.time > 0 for r in results) and any(r.signals.place < 0 for r in results)


@pytest.mark.parametrize("setting, signal", STAGES)
def test_a_stage_switched_off_leaves_its_signal_at_zero_and_the_others_as_they_were(two_places, setting, signal):
    full = {r.passage.id: r.signals for r in two_places.search(QUESTION, k=10)}
    off = two_places.search(QUESTION, k=10, settings=DEFAULT_SETTINGS.with_(**{setting: 0.0}))
    assert off and all(getattr(r.signals, signal) == 0 for r in off)
    others = [name for _, name in STAGES if name != signal and name != "evidence"] + ["fused"]
    for result in off:
        if result.passage.id in full and signal != "evidence":
            assert all(getattr(result.signals, name) == getattr(full[result.passage.id], name) for name in others)
