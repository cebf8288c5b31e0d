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


def test_a_table_s_rows_do_not_crowd_out_the_prose_that_states_the_same(tmp_path):
    from docx import Document as Docx

    from qa.search import ROWS_PER_TABLE

    report = Docx()
    report.add_paragraph("某市2023年国民经济和社会发展统计公报")
    report.add_paragraph("一、综合")
    report.add_paragraph("年末全市常住人口866.6万人，比上年末减少2.1万人。")
    report.add_paragraph("表1 2023年末全市常住人口及其构成")
    table = report.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "指标", "年末数（万人）"
    for name, value in [("全市常住人口", "866.6"), *zip(("其中：城镇", "乡村", "其中：男性", "女性", "其中：0-15岁",
                                                         "16-59岁", "60周岁及以上"), map(str, range(11, 18)))]:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = name, value
    report.add_paragraph("二、农业")
    report.add_paragraph("全年粮食总产量902.6万吨，下降3.2%。")
    folder = tmp_path / "reports"
    folder.mkdir()
    report.save(folder / "bulletin.docx")
    build_index(folder, tmp_path / "index", HashEmbedder())
    searcher = Searcher(open_store(tmp_path / "index"), HashEmbedder(), current_year=2026)
    question = "2023年末全市常住人口是多少"
    crowded = searcher.search(question, k=6, settings=DEFAULT_SETTINGS.with_(dedupe=False))
    assert sum(1 for result in crowded if result.passage.row) > ROWS_PER_TABLE
    results = searcher.search(question, k=6)
    assert sum(1 for result in results if result.passage.row) <= ROWS_PER_TABLE
    assert any("866.6万人" in result.passage.text for result in results)
