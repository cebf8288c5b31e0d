"""Time awareness: periods of questions and passages, and how they agree."""

import pytest

from qa.periods import FULL, H1, H2, Q3, Period, agreement, document_years, passage_period, question_period, stance


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
    assert stance(target, Period(2022, 2022, plan=True)) > stance(target, Period(2022, 2022, plan=False))


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


# --- results versus targets, on the headings and sentences of real reports ------------------------------------------

from qa.chunking import Passage
from qa.features import analyse_document
from qa.periods import asks_target, heading_stance, section_stances, states_targets


@pytest.mark.parametrize("heading, delivered, stance_", [
    ("一、2024年工作回顾", 2025, False),
    ("一、过去一年工作回顾", 2025, False),
    ("一、一年来工作回顾", 2004, False),
    ("一、 过去五年工作回顾", 2008, False),
    ("一、“十四五”时期和2025年工作回顾", 2026, False),
    ("一、2025年工作总结和“十四五”发展成就", 2026, False),
    ("一、2021年国民经济和社会发展计划执行情况", 2022, False),  # 计划执行情况 looks back
    ("首先报告２００１年的工作", 2002, False),  # only an earlier year, full-width digits
    ("二、2025年工作安排", 2025, True),
    ("二、关于2025年工作", 2025, True),  # only the delivery year
    ("三、2011年的工作", 2011, True),
    ("二、2025年工作总体要求和主要目标任务", 2025, True),
    ("二、对今年政府工作的建议", 2003, True),
    ("二、“十五五”时期主要目标任务", 2026, True),
    ("二、“十四五”时期发展成就和“十五五”时期主要目标任务", 2026, None),  # both
    ("三、全面加强政府自身建设", 2026, None),
])
def test_headings_of_real_reports_look_back_or_ahead(heading, delivered, stance_):
    assert heading_stance(heading, delivered) is stance_


def test_a_section_without_words_that_follows_a_look_back_belongs_to_the_plan():
    stances = section_stances(["一、1999年国内工作回顾", "二、坚持实行扩大内需的方针", "三、大力推进经济结构的战略性调整"], 2000)
    assert stances == {"一、1999年国内工作回顾": False, "二、坚持实行扩大内需的方针": True, "三、大力推进经济结构的战略性调整": True}
    # a report that never looks back leaves its sections undecided, and so does a document of unknown year
    assert section_stances(["上半年", "下半年"], None) == {"上半年": None, "下半年": None}
    assert section_stances(["2023年"], None) == {"2023年": None}


def _report(title, sections_and_texts, year):
    passages = [Passage(id=f"r:{i}", source="r.txt", title=title, section=section, start=i, end=i + 1, text=text)
                for i, (section, text) in enumerate(sections_and_texts)]
    return [features.period for features in analyse_document(passages, year)]


def test_inside_a_five_year_review_the_passages_after_the_year_s_own_opening_are_that_year_s():
    review = "一、“十四五”时期工作回顾"
    periods = _report("2026年山西省政府工作报告", [
        ([review], "“十四五”时期是极不平凡的五年。地区生产总值年均增长5%。"),
        ([review], "刚刚过去的2025年，全省上下深受鼓舞。党的十八大以来第五次亲临考察。"),
        ([review], "用心用情用力，为民排忧解难。城镇新增就业47.3万人。"),
        ([review], "坚持系统治理。环境空气质量综合指数同比下降13.3%。"),  # a year's own words
        ([review], "这五年，产业结构持续优化。城镇新增就业261.6万人。"),  # the five years again
        ([review], "群众文化惠民工程深入实施，免费送戏下乡超8万场。"),
        (["二、2026年工作安排"], "城镇新增就业45万人。"),
    ], 2026)
    years = [sorted(period.years) for period in periods]
    assert years[0] == list(range(2021, 2026)) and years[2] == [2025] and years[3] == [2025]
    assert years[4] == list(range(2021, 2026)) and years[5] == list(range(2021, 2026))
    assert years[6] == [2026] and periods[6].plan


def test_under_a_heading_naming_a_year_and_a_plan_every_year_and_from_one_level_to_another_are_the_plan_s_span():
    review = "一、2025年及“十四五”时期工作回顾"
    periods = _report("2026年山东省政府工作报告", [
        ([review], "——人民生活水平实现新跃升。每年实施20项重点民生实事，居民人均可支配收入增长34.3%。"),
        ([review], "——城乡面貌显著改善。汽车保有量由2552万辆增加到3200万辆。"),
        ([review], "全省地区生产总值增长5.5%，城镇新增就业124.9万人。"),
    ], 2026)
    assert [sorted(period.years) for period in periods] == [list(range(2021, 2026))] * 2 + [[2025]]


def test_a_report_reviews_the_year_before_it_is_delivered_and_plans_its_own():
    review, plan, targets = _report("2026年吉林省政府工作报告", [
        (["一、工作回顾"], "过去一年，全省地区生产总值增长5.3%，城镇新增就业25万人。"),
        (["二、2026年工作安排"], "今年经济社会发展主要预期目标是：地区生产总值增长5%左右。"),
        (["二、2026年工作安排", "（一）扩大有效投资"], "实施重大项目1000个以上。"),
    ], 2026)
    assert (review.years, review.plan) == ({2025}, False)
    assert (plan.years, plan.plan) == ({2026}, True)
    assert (targets.years, targets.plan) == ({2026}, True)


def test_a_review_of_the_year_and_of_the_five_year_plan_keeps_each_passage_to_its_own_years():
    last_year, five_years = _report("2026年湖南省政府工作报告", [
        (["一、2025年和“十四五”时期工作回顾"], "过去的一年，全省地区生产总值达到5.53万亿元、增长4.8%。"),
        (["一、2025年和“十四五”时期工作回顾", "六是着力构建安全稳定新格局"], "这五年，综合经济实力不断增强。"),
    ], 2026)
    assert (last_year.years, last_year.plan) == ({2025}, False)
    assert five_years.years == set(range(2021, 2026)) and five_years.plan is False


def test_a_plan_section_that_opens_on_last_years_results_is_about_last_year():
    opening, = _report("2011年中华人民共和国国务院政府工作报告", [
        (["一、“十一五”时期国民经济和社会发展的回顾"], "五年来，国内生产总值年均增长11.2%。"),
        (["三、2011年的工作"], "2011年，是“十二五”开局之年。过去一年，我们的各项工作取得了很大成绩。国内生产总值增长10.3%，"
                           "居民消费价格涨幅控制在 3.3%。"),
    ], 2011)[1:]
    assert (opening.years, opening.plan) == ({2010}, False)


def test_five_year_plans_are_read_in_quotes_and_before_their_words_but_not_inside_numbers():
    assert passage_period(["一、“九五”时期国民经济和社会发展的回顾"], "", "报告", 2001).years == set(range(1996, 2001))
    assert passage_period(["二、“十五”期间的奋斗目标"], "", "报告", 2001).years == set(range(2001, 2006))
    assert passage_period(["二、“十五五”时期主要目标任务"], "", "报告", 2026).years == set(range(2026, 2031))
    assert passage_period([], "圆满完成“八五”普法。", "2026年报告", None).years == {2026}  # the legal-education plan
    assert passage_period([], "省十五届人大", "2026年报告", None).years == {2026}


@pytest.mark.parametrize("question, plan", [
    ("2008年国内生产总值实际增长了多少？（问的是实际完成值，不是预期目标）", False),
    ("How many new urban jobs did Liaoning actually create in 2025?", False),
    ("2025年湖南省地区生产总值增长的预期目标是多少？", True),
    ("What central government fiscal deficit was budgeted for 2005?", True),
    ("How much in long-term construction treasury bonds was to be issued in 2001?", True),
    ("What was Hunan's local general public budget revenue in 2025?", None),  # a budget's revenue, not a plan
    ("What was Guizhou's GDP in 2025, the last year of the 14th Five-Year Plan?", None),
    ("2013年人均预期寿命是多少？", None),
    ("2024年天津市地区生产总值预计增长多少？", None),  # 预计: an estimate of the result
])
def test_questions_ask_for_a_target_a_result_or_do_not_say(question, plan):
    assert question_period(question, 2026).plan is plan


def test_english_ordinals_name_five_year_plans():
    period = question_period("By how much did energy use per unit of GDP fall over the Eleventh Five-Year Plan period?", 2026)
    assert period.years == set(range(2006, 2011))


def test_a_question_about_a_years_figure_prefers_the_result_unless_it_asks_for_the_target():
    result, target = Period(2025, 2025, plan=False), Period(2025, 2025, plan=True)
    plain = question_period("2025年江苏省城镇新增就业多少人？", 2026)
    assert stance(plain, result) > 0 > stance(plain, target)
    asked_target = question_period("2025年城镇新增就业的预期目标是多少？", 2026)
    assert stance(asked_target, target) > 0 > stance(asked_target, result)
    # a passage about another year, or of unknown year, is the time signal's business
    assert stance(plain, Period(2024, 2024, plan=False)) == 0 == stance(plain, Period(None, None, plan=False))
    assert stance(question_period("2020年上半年新增就业多少人", 2026), Period(2020, 2020, plan=False)) == 0


def test_target_statements_are_told_from_tasks():
    assert states_targets("今年发展主要预期目标是：地区生产总值增长5%左右，粮食产量1600亿斤以上，城镇新增就业30万人以上。")
    assert states_targets("居民消费价格涨幅控制在3%左右。")
    assert not states_targets("推进奶业振兴计划和高端肉牛“百千工程”，落实养殖主体贷款贴息、粮改饲等补贴政策。")
    assert asks_target("What grain output target did Heilongjiang set for 2025?")
    assert not asks_target("Which school did Erqi District plan to rebuild in 2022?")


def test_under_a_heading_naming_a_year_and_a_five_year_plan_a_passage_without_years_speaks_of_the_year():
    year, five_years, named = _report("2026年山东省政府工作报告", [
        (["一、2025年及“十四五”时期工作回顾", "（一）经济增长迈出坚实步伐"], "地区生产总值增长5.5%、达到10.3万亿元。"),
        (["一、2025年及“十四五”时期工作回顾", "（六）民生福祉改善迈出坚实步伐"],
         "全省地区生产总值年均增长5.9%；人均生产总值由7.34万元提升至10.26万元。"),
        (["一、2025年及“十四五”时期工作回顾"], "2023年，全省粮食总产量创历史新高。"),
    ], 2026)
    assert (year.years, year.plan) == ({2025}, False)
    assert five_years.years == set(range(2021, 2026))  # 年均: a statement about the five years
    assert named.years == {2023}


def test_a_question_that_says_which_it_wants_weighs_result_and_target_more():
    result, target = Period(2010, 2010, plan=False), Period(2010, 2010, plan=True)
    says = question_period("2010年居民消费价格涨幅实际是多少？", 2026)
    plain = question_period("2010年居民消费价格涨幅是多少？", 2026)
    assert stance(says, result) > stance(plain, result) > 0
    assert stance(says, target) < stance(plain, target) < 0


def test_under_a_heading_naming_two_five_year_plans_results_speak_of_the_first_and_targets_of_the_second():
    heading = ["二、“十四五”时期发展成就和“十五五”时期主要目标任务"]
    results, targets = _report("2026年北京市政府工作报告", [
        (heading, "这五年，累计为经营主体减轻税费负担超4900亿元；人均预期寿命从2020年的82.4岁提升至83.9岁。"),
        (heading, "“十五五”时期主要目标是：地区生产总值年均增长5%左右，力争居民收入增长与经济增长同步。"),
    ], 2026)
    assert (results.first, results.last, results.plan) == (2021, 2025, False)
    assert (targets.first, targets.last, targets.plan) == (2026, 2030, True)


def test_the_work_that_opens_a_five_year_plan_is_its_first_year_and_a_plan_compared_with_is_no_period():
    opening = passage_period(["三、一鼓作气勇争先，全力推动“十五五”开好局、起好步", "（一）壮大实体经济"],
                             "粮食播种面积稳定在1255万亩以上。", "2026年政府工作报告", 2026, 2025)
    assert opening.years == {2026}
    compared = passage_period(["一、过去五年工作回顾"], "这五年，营业收入较“十三五”末期翻一番。", "2026年政府工作报告", 2026, 2025)
    assert 2016 not in compared.years


def test_actual_inside_an_indicators_name_does_not_ask_for_the_result():
    from qa.periods import asks_target

    assert question_period("2022年二七区实际利用外资的增长目标是多少？", 2026).plan is True
    assert asks_target("2022年二七区实际利用外资的增长目标是多少？")
    assert question_period("2012年国内生产总值实际增长了多少？", 2026).plan is False


def test_a_question_saying_what_was_planned_in_everyday_words_asks_for_a_target():
    assert question_period("保定市2021年打算让老百姓平均每人手里能花的钱涨多少？", 2026).plan is True
    assert question_period("2024年存款准备金率下调多少？", 2026).plan is None


def test_a_year_said_to_close_a_plan_is_that_year_not_the_plan():
    from qa.periods import _plans_named

    assert _plans_named("2025年是“十四五”收官之年，我们牢记嘱托，地区生产总值增长5%") == []
    assert _plans_named("“十四五”时期发展成就") == [(2021, 2025)]


def test_a_passage_nothing_dates_takes_the_year_given_for_it_otherwise():
    from qa.periods import passage_period

    period = passage_period(["一、综合"], "年末全州常住人口375.73万人。", "年国民经济和社会发展统计公报", 2023,
                            otherwise=2023)
    assert (period.first, period.last) == (2023, 2023)
    assert passage_period(["一、综合"], "年末全州常住人口375.73万人。", "年国民经济和社会发展统计公报", 2023).first is None
