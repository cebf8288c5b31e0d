"""Time awareness: periods of questions and passages, and how they agree."""

import pytest

from qa.periods import FULL, H1, H2, Q3, Period, agreement, document_years, passage_period, question_period


@pytest.mark.parametrize("question, first, last, part", [
    ("2021年地区生产总值是多少", 2021, 2021, None),
    ("What was the GDP in 2021?", 2021, 2021, None),
    ("2020年上半年固定资产投资增长了多少？", 2020, 2020, H1),
    ("What was GDP in the first half of 2020?", 2020, 2020, H1),
    ("2020年下半年重点抓好哪些工作", 2020, 2020, H2),
    ("2021年前三季度社零额", 2021, 2021, Q3),
    ("2020年全年规模以上工业增加值预计增长多少？", 2020, 2020, FULL),
    ("“十三五”期间年均增速是多少", 2016, 2020, None),
    ("GDP growth during the 13th Five-Year Plan", 2016, 2020, None),
    ("What did the 14th five-year plan aim for?", 2021, 2025, None),
    ("2020年前六个月空气质量综合指数", 2020, 2020, H1),
    ("2020年1至6月新增市场主体多少户", 2020, 2020, H1),
    ("Tax cuts in H1 2020", 2020, 2020, H1),
    ("2021年1-9月规上工业增加值", 2021, 2021, Q3),
    ("截至2021年底累计完工多少个", 2021, 2021, FULL),
    ("How many by the end of 2021?", 2021, 2021, FULL),
])
def test_question_periods_in_chinese_and_english(question, first, last, part):
    period = question_period(question, current_year=2026)
    assert (period.first, period.last, period.part) == (first, last, part)


def test_relative_words_in_a_question_resolve_against_the_current_year():
    assert question_period("去年地区生产总值是多少", current_year=2022).years == {2021}
    assert question_period("GDP this year", current_year=2023).years == {2023}
    assert question_period("2021年去年", current_year=2030).years == {2021}  # an explicit year wins


def test_counts_and_amounts_are_not_years():
    assert question_period("新增就业2000人", current_year=2026).years == set()
    assert question_period("投资2020万元", current_year=2026).years == set()


def test_plans_and_targets_are_recognised():
    assert question_period("2022年地区生产总值增长目标是多少", 2026).plan is True
    assert question_period("What growth target was set for 2022?", 2026).plan is True
    assert question_period("2021年地区生产总值是多少", 2026).plan is None


def test_passage_period_comes_from_its_headings_first():
    period = passage_period(["一、2021年国民经济和社会发展计划执行情况", "（二）全面加快产业结构转型步伐"],
                            "2022年将继续推进。", "二七区2021年国民经济和社会发展计划执行情况与2022年计划（草案）", 2022, 2021)
    assert period.years == {2021} and period.plan is False


def test_plan_sections_are_marked_as_plans():
    period = passage_period(["二、2022年经济社会发展总体要求和主要目标"], "地区生产总值增长7.5%左右。", "报告", 2022, 2021)
    assert period.years == {2022} and period.plan is True


def test_a_report_that_looks_back_marks_its_own_year_as_the_plan():
    period = passage_period(["2022年", "抓好项目建设 积蓄发展势能"], "力争开工项目98个。", "拉高标杆 狠抓落实 奋力突破", 2022, 2021)
    assert period.plan is True


def test_relative_words_in_a_passage_resolve_against_the_document_year():
    period = passage_period([], "去年,二七区累计转运集中隔离1.04万人。", "会议召开", 2022, 2021)
    assert period.years == {2021}


def test_half_year_sections_mark_the_part():
    assert passage_period(["上半年", "【数字看成绩】"], "全区地区生产总值完成340.64亿元", "会议", None).part == H1


def test_document_years_are_the_title_years_else_the_heading_years():
    assert document_years("二七区2021年国民经济和社会发展计划执行情况与2022年计划（草案）", ["2023年"]) == (2021, 2022)
    assert document_years("拉高标杆 狠抓落实 奋力突破", ["2021年", "2022年", "打好救灾抗疫双线战"]) == (2021, 2022)
    assert document_years("会议召开", ["上半年"]) == (None, None)


def test_agreement_promotes_the_asked_period_and_demotes_another():
    asked = Period(2021, 2021)
    assert agreement(asked, Period(2021, 2021)) == 1.0
    assert agreement(asked, Period(2020, 2020)) == -1.0
    assert agreement(asked, Period()) == 0.0
    assert 0 < agreement(asked, Period(2021, 2022)) < 1


def test_agreement_on_part_of_the_year_and_plans():
    first_half = Period(2020, 2020, H1)
    assert agreement(first_half, Period(2020, 2020, H1)) > agreement(first_half, Period(2020, 2020)) 
    assert agreement(Period(2020, 2020, FULL), Period(2020, 2020, H1)) < agreement(Period(2020, 2020, FULL), Period(2020, 2020))
    target = Period(2022, 2022, plan=True)
    assert agreement(target, Period(2022, 2022, plan=True)) > agreement(target, Period(2022, 2022, plan=False))


def test_hyphenated_halves_are_read():
    assert question_period("Erqi's second-half 2020 work plan", 2026).part == H2
    assert question_period("first-half 2020 figures", 2026).part == H1


def test_a_plain_year_question_prefers_whole_year_passages_to_half_year_ones():
    plain_year = question_period("2023年民生支出占比", 2026)
    assert agreement(plain_year, Period(None, None, H1)) < agreement(plain_year, Period())


def test_whole_of_a_year_is_the_full_year_and_an_estimate_is_not_a_plan():
    assert question_period("How many enterprises were assisted over the whole of 2020?", 2026).part == FULL
    assert question_period("By how much was investment expected to grow in 2020?", 2026).plan is None


def test_a_passage_about_the_asked_half_year_beats_a_whole_year_passage_of_the_same_year():
    # A report that never states its year still says 上半年; the whole-year passage is about another period.
    first_half_2020 = question_period("2020年上半年一般公共预算收入是多少", 2026)
    assert agreement(first_half_2020, Period(None, None, H1)) > agreement(first_half_2020, Period(2020, 2020))
    assert agreement(first_half_2020, Period(2020, 2020, H1)) > agreement(first_half_2020, Period(None, None, H1))
