"""The confidence model: trees stored as data give the probabilities they were fitted to give."""

import json

import numpy as np
import pytest

from qa.confidence import FEATURES, Calibration, Evidence, Trees, calibration


def _evidence(**values) -> Evidence:
    base = dict(dense=0.9, dense_lead=0.01, score_lead=0.2, agreement=0.5, coverage=0.8, unknown=0.0,
                unglossed=0.0, period=1.0, place=0.0, figure=1.0)
    return Evidence(**{**base, **values})


def test_trees_read_from_scikit_learn_give_its_probabilities(tmp_path):
    ensemble = pytest.importorskip("sklearn.ensemble")
    rng = np.random.default_rng(0)
    rows = [_evidence(coverage=float(c), period=float(p), dense=float(d))
            for c, p, d in zip(rng.random(300), rng.choice([-1.0, 0.0, 0.25, 1.0], 300), 0.8 + 0.15 * rng.random(300))]
    answerable = np.array([row.coverage > 0.4 and row.period >= 0 for row in rows])
    x = np.array([[row.value(name) for name in FEATURES] for row in rows])
    model = ensemble.HistGradientBoostingClassifier(max_depth=3, max_iter=40, min_samples_leaf=10).fit(x, answerable)
    trees = Trees.from_sklearn(model, FEATURES, threshold=0.5)
    expected = model.predict_proba(x)[:, 1]
    assert np.allclose([trees.confidence(row) for row in rows], expected, atol=1e-9)

    trees.save(tmp_path / "confidence.json")
    again = calibration.__wrapped__(tmp_path / "confidence.json")
    assert isinstance(again, Trees) and np.allclose([again.confidence(row) for row in rows], expected, atol=1e-9)


def test_the_shipped_model_doubts_a_passage_without_the_question_terms_more_than_one_with_them():
    model = calibration()
    assert isinstance(model, Trees) and 0.0 < model.threshold < 1.0 and model.names == FEATURES
    holds = model.confidence(_evidence())
    lacks = model.confidence(_evidence(coverage=0.0, figure=0.0, agreement=0.0, score_lead=0.0))
    other_place = model.confidence(_evidence(place=-1.0))
    assert 0.0 < lacks < model.threshold <= holds < 1.0
    assert other_place < holds


def test_a_logistic_calibration_file_still_loads(tmp_path):
    logistic = Calibration(FEATURES, tuple([0.0] * len(FEATURES)), tuple([1.0] * len(FEATURES)),
                           tuple([1.0] + [0.0] * (len(FEATURES) - 1)), 0.0, 0.5)
    path = tmp_path / "confidence.json"
    logistic.save(path)
    assert json.loads(path.read_text(encoding="utf-8"))["bias"] == 0.0
    loaded = calibration.__wrapped__(path)
    assert isinstance(loaded, Calibration) and loaded.confidence(_evidence(dense=0.0)) == pytest.approx(0.5)


def test_a_place_of_the_index_written_in_a_question_is_judged_even_when_the_place_table_does_not_know_it():
    from types import SimpleNamespace

    from qa.confidence import _place

    index_places = {"二七区": "二七区", "erqi": "二七区", "山东省": "山东省", "shandong": "山东省"}
    erqi = SimpleNamespace(place="二七区", province="", title="二七区政府工作报告")
    shandong = SimpleNamespace(place="山东省", province="", title="2026年山东省政府工作报告")
    question = "2021年二七区常住人口有多少？"
    assert _place(question, "全区常住人口……", erqi, index_places) == 1.0
    assert _place(question, "全省常住人口……", shandong, index_places) == -1.0
    assert _place("2021年常住人口有多少？", "全省常住人口……", shandong, index_places) == 0.0


def test_a_span_of_years_counts_for_the_year_it_ends_or_a_plan_opens_more_than_for_a_year_within():
    from qa.confidence import _period
    from qa.periods import Period

    review = Period(2021, 2025, plan=False)  # a 十四五 review passage: levels where 2025 ended
    assert _period(Period(2025, 2025), "地区生产总值突破3万亿元", review) == 0.25
    assert _period(Period(2023, 2023), "地区生产总值突破3万亿元", review) == 0.1
    assert _period(Period(2023, 2023), "2023年地区生产总值2.9万亿元", review) == 0.5  # named, so it may hold it
    plan = Period(2026, 2030, plan=True)  # 今年 under a heading of the new five-year plan
    assert _period(Period(2026, 2026), "粮食产量513万吨以上", plan) == 0.25
    assert _period(Period(2028, 2028), "粮食产量513万吨以上", plan) == 0.1


def test_a_place_a_question_names_that_nothing_knows_counts_as_a_place_no_report_is_of():
    from types import SimpleNamespace

    from qa.confidence import _place
    from qa.placing import unknown_places

    index_places = {"二七区": "二七区", "erqi": "二七区", "江苏省": "江苏省", "jiangsu": "江苏省"}
    jiangsu = SimpleNamespace(place="江苏省", province="", title="2026年江苏省政府工作报告")
    assert unknown_places("What was Suzhou's GDP in 2025?", index_places) == [frozenset({"Suzhou"})]
    assert unknown_places("What was Huiji District's GDP in 2021?", index_places) == [frozenset({"Huiji"})]
    assert unknown_places("2025年苏州市地区生产总值是多少？", index_places) == [frozenset({"苏州市", "苏州"})]
    assert unknown_places("2021年惠济区新增城镇就业多少人？", index_places) == [frozenset({"惠济区", "惠济"})]
    assert unknown_places("2024年浦东新区地区生产总值是多少？", index_places) == [frozenset({"浦东新区", "浦东"})]
    for known in ("What was Erqi District's GDP in 2021?", "What was China's GDP in 2013?", "2021年二七区地区生产总值",
                  "How many new urban jobs did Jiangsu create in 2025?", "2025年台湾地区粮食产量是多少？",
                  "2025年城镇新增就业多少人？", "2021年樱桃沟景区接待游客多少人次？", "2024年各市县新增就业多少人？",
                  "2024年全省有多少个百强县？", "城市新区建设用地多少亩？", "How much did the Party's campaign recover?",
                  "What was the Greater Bay Area's GDP?", "What was Apple's revenue in 2024?"):
        assert unknown_places(known, index_places) == [], known
    assert _place("What was Suzhou's GDP in 2025?", "全省地区生产总值……", jiangsu, index_places) == -1.0
    assert _place("2025年苏州市地区生产总值是多少？", "全省地区生产总值……", jiangsu, index_places) == -1.0
    assert _place("2025年苏州市地区生产总值是多少？", "苏州工业园区……", jiangsu, index_places) == 1.0
    assert _place("What was Jiangsu's GDP in 2025?", "全省地区生产总值……", jiangsu, index_places) == 1.0


def test_a_figure_of_the_asked_kind_just_below_the_best_passage_counts_as_the_best_answer():
    from types import SimpleNamespace

    from qa.chunking import Passage
    from qa.confidence import KeyTerm, KeyTerms, evidence
    from qa.figures import Figure
    from qa.search import Signals

    def result(text, answer=None):
        passage = Passage(id=text[:4], source="r.txt", title="", section=[], start=0, end=len(text), text=text)
        return SimpleNamespace(passage=passage, answer=answer, signals=Signals(dense_score=0.9, fused=1.0))

    question = "2021年灾后修复重建项目完成投资多少？"
    terms = KeyTerms((KeyTerm(("修复",), 1.0, True), KeyTerm(("重建",), 1.0, True)))
    opening = result("全力开展灾后恢复重建，统筹推进修复重建工作。")
    stating = result("311个修复重建项目完成投资5.14亿元。", Figure(13, 19, "5.14亿元", "money", "亿元"))
    unrelated = result("新建学校3所。", Figure(4, 6, "3所", "count", "所"))
    found = evidence([opening, stating, unrelated], question, terms, [None] * 3, [None] * 3, 2026)
    assert found[0].figure == 0.0 and found[1].figure == 1.0
    assert all(item.best_answer == 1.0 for item in found)  # 5.14亿元, with both terms, one passage down
    alone = evidence([opening, unrelated], question, terms, [None] * 2, [None] * 2, 2026)
    assert all(item.best_answer == 0.0 for item in alone)  # 3所 is no amount of money, and holds no term


def test_a_question_asked_of_several_indexes_stays_in_one_fold():
    import importlib.util
    import sys
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "benchmarks" / "abstention.py"
    spec = importlib.util.spec_from_file_location("abstention_benchmark", path)
    abstention = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = abstention  # its dataclasses look their module up there
    spec.loader.exec_module(abstention)
    rows = [abstention.Row(index, f"q{n}", "", "dev", n % 3 != 0, "", _evidence())
            for index in ("seeds", "pile", "all") for n in range(40)]
    for shuffle in range(3):
        fold_of = abstention._folds(rows, 5, shuffle)
        by_question: dict[str, set[int]] = {}
        for row, fold in zip(rows, fold_of):
            by_question.setdefault(row.id, set()).add(int(fold))
        assert all(len(folds) == 1 for folds in by_question.values())
        assert set(fold_of) == set(range(5))
        unanswerable = [fold for row, fold in zip(rows, fold_of) if not row.answerable]
        assert all(unanswerable.count(fold) >= 6 for fold in range(5))  # the mix is kept: 14 × 3 rows over 5 folds


def test_the_shipped_model_never_doubts_a_passage_more_for_holding_more_of_the_question():
    from dataclasses import replace

    from qa.confidence import MONOTONE

    model = calibration()
    bases = [_evidence(), _evidence(dense=0.93, dense_lead=0.005, agreement=0.65, best_answer=1.0),
             _evidence(place=-1.0, coverage=0.3, figure=0.0), _evidence(period=-1.0, unknown=0.4)]
    steps = np.linspace(0.0, 1.0, 11)
    for base in bases:
        for name, direction in MONOTONE.items():
            if name.endswith("_conflict"):  # read from period and place, below
                continue
            confidences = [model.confidence(replace(base, **{name: float(v)})) for v in steps]
            assert all(direction * (b - a) >= -1e-9 for a, b in zip(confidences, confidences[1:])), name
        for conflict, field in (("period_conflict", "period"), ("place_conflict", "place")):
            assert model.confidence(replace(base, **{field: -1.0})) <= model.confidence(replace(base, **{field: 0.0}))


def test_a_question_without_a_year_counts_as_no_period_found_and_another_year_as_a_conflict():
    from qa.confidence import _period
    from qa.periods import Period

    unknown = Period(None, None)
    assert _period(Period(None, None), "8月6日，全体会议召开。", unknown) == 0.0
    assert _period(Period(None, None), "地区生产总值增长5%", Period(2020, 2020)) == 0.0
    assert _period(Period(2021, 2021), "地区生产总值增长5%", unknown) == 0.0
    assert _period(Period(2021, 2021), "地区生产总值增长5%", Period(2020, 2020)) == -1.0
    assert _period(Period(2021, 2021), "地区生产总值增长5%", Period(2021, 2021)) == 1.0


class EvenWeights:
    """An index of a thousand passages in which every word is equally rare."""

    def __len__(self):
        return 1000

    def token_weights(self, tokens):
        return {token: 4.0 for token in tokens}


def test_an_english_question_giving_the_reports_word_in_brackets_holds_it_as_a_key_term():
    from qa.confidence import key_terms
    from qa.query import understand

    question = "How much national tax (国税) revenue did Qiandongnan collect in 2016?"
    terms = key_terms(understand(question), question, EvenWeights())
    assert any(term.forms == ("国税",) for term in terms.terms)
    plain = "How much tax revenue did Qiandongnan collect in 2016?"
    assert not any("国税" in term.forms for term in key_terms(understand(plain), plain, EvenWeights()).terms)


def test_how_fast_a_thing_grew_is_the_measure_asked_not_a_word_a_figure_s_name_must_hold():
    from qa.card import indicator_coverage
    from qa.confidence import key_terms
    from qa.facts import Fact
    from qa.query import understand

    def growth(indicator, text, unit):
        return Fact(start=0, end=len(text), text=text, value=1.0, unit=unit, kind="percent", indicator=indicator,
                    head=indicator, measure="change", qualifiers=(), period_first=2023, period_last=2023, part=None,
                    stance="result", place="周口市")

    question = "How fast did Zhoukou's economy grow in 2023?"
    terms = key_terms(understand(question), question, EvenWeights())
    assert not any({"增长率", "增速", "增长"} & set(term.forms) for term in terms.terms)
    assert indicator_coverage(growth("地区生产总值", "4.8%", "%"), terms) > \
        indicator_coverage(growth("自然增长率", "-0.57‰", "‰"), terms)
    from qa.series import read_series_question
    assert read_series_question(question, years=(2023,)).indicator == "生产总值增长"
    assert read_series_question("How fast did it grow from 2015 to 2024?") is None  # a measure alone names nothing


def test_a_question_made_only_of_a_variant_s_words_asks_the_term_it_stands_for():
    from qa.confidence import key_terms
    from qa.query import understand

    question = "2025年底宁夏一共住着多少人？"  # 住着多少人 is a way of saying 常住人口; no other word is left
    assert any("常住人口" in term.forms for term in key_terms(understand(question), question, EvenWeights()).terms)
    named = "2025年底宁夏常住人口是多少？"
    assert [term.forms for term in key_terms(understand(named), named, EvenWeights()).terms if "常住人口" in term.forms] \
        in ([], [("常住人口",)])


def test_how_much_money_asks_for_a_sum_and_is_no_word_a_figure_s_name_must_hold():
    from qa.confidence import key_terms
    from qa.query import understand

    question = "How much money did Anhui spend on education in 2025?"
    forms = {form for term in key_terms(understand(question), question, EvenWeights()).terms for form in term.forms}
    assert "教育" in forms and "资金" not in forms
    funding = "How much funding did Anhui give to education in 2025?"
    assert "资金" in {form for term in key_terms(understand(funding), funding, EvenWeights()).terms
                    for form in term.forms}


def test_a_glossary_form_is_found_in_normalised_text_whatever_its_case():
    from qa.confidence import KeyTerm, presence
    from qa.tokens import normalise

    assert presence(KeyTerm(("5G", "5G基站"), 5.0, True), normalise("新开通5G基站")) == 1.0
