"""The unit matcher and the answer-figure picker."""

import pytest

from qa.answers import asked, pick
from qa.figures import extract_figures
from qa.query import understand


@pytest.mark.parametrize("question, kind, unit", [
    ("2021年累计转运集中隔离多少人？", "count", "人"),
    ("2021年地区生产总值是多少亿元", "money", ""),
    ("民生支出占一般公共预算支出的比例是多少", "percent", "%"),
    ("空气质量优良天数是多少天", "duration", "天"),
    ("新增公办幼儿园多少所", "count", "所"),
    ("How many people were sent to centralized quarantine?", "count", "人"),
    ("What share of spending went to livelihoods?", "percent", "%"),
    ("How much did the district invest?", "money", ""),
    ("When was the meeting held?", "date", ""),
    ("出让土地多少亩", "area", "亩"),
])
def test_unit_matcher_reads_the_kind_and_unit_a_question_asks_for(question, kind, unit):
    wanted = asked(question)
    assert kind in wanted.kinds and wanted.unit == unit


@pytest.mark.parametrize("question, kinds", [
    ("What was the year-on-year growth of general public budget revenue?", {"percent"}),  # growth, not revenue
    ("一般公共预算收入同比增长多少", {"percent"}),
    ("一般公共预算收入是多少", {"money"}),
    ("How much new green space was added?", {"area"}),
    ("How much fixed-asset investment did the Erqi New Area complete?", {"money"}),
])
def test_what_a_question_measures_outranks_what_it_is_about(question, kinds):
    assert asked(question).kinds == frozenset(kinds)


@pytest.mark.parametrize("question, unit", [
    ("How many roads were opened to traffic?", "条"),
    ("How many enterprises did the district meet?", "家"),
    ("How many new primary schools?", "所"),
    ("2021年有多少份合同", "份"),
])
def test_english_count_nouns_and_chinese_measure_words_name_the_unit(question, unit):
    assert asked(question).unit == unit


def test_question_without_a_figure_cue_asks_for_no_kind():
    assert asked("二七商圈入选了什么称号").kinds == frozenset()


def answer_of(question, text):
    found = pick(understand(question).bm25_tokens, question, text, extract_figures(text))
    return found.answer.text if found.answer else None


def test_picker_takes_the_figure_in_the_clause_that_matches_the_question():
    text = "全年地区生产总值达到784.2亿元,社会消费品零售总额498.7亿元。270个重大项目,累计完成投资375.1亿元。"
    assert answer_of("2021年地区生产总值是多少？", text) == "784.2亿元"
    assert answer_of("社会消费品零售总额是多少？", text) == "498.7亿元"
    assert answer_of("重大项目累计完成投资多少？", text) == "375.1亿元"


def test_picker_prefers_the_unit_the_question_names():
    text = "全区近1.2万党员、社会志愿者及3283名机关干部下沉干部日夜奋战在880个疫情防控卡点第一线。"
    assert answer_of("有多少名机关干部下沉到疫情防控一线？", text) == "3283名"
    assert answer_of("设置了多少个疫情防控卡点？", text) == "880个"


def test_picker_does_not_answer_with_a_figure_the_question_already_names():
    text = "统筹推进总投资2550亿元的360个重点项目。"
    assert answer_of("360个重点项目总投资是多少？", text) == "2550亿元"


def test_picker_keeps_the_subject_of_each_clause_apart():
    text = "实现全年新增城镇就业19500人，新增农村劳动力转移就业80人。"
    assert answer_of("计划新增城镇就业多少人？", text) == "19500人"
    assert answer_of("农村劳动力转移就业多少人？", text) == "80人"


def test_picker_answers_english_questions_through_the_glossary():
    text = "全年地区生产总值达到784.2亿元,社会消费品零售总额498.7亿元。"
    assert answer_of("What were the retail sales of consumer goods?", text) == "498.7亿元"


def test_passage_without_figures_has_no_answer():
    assert answer_of("地区生产总值是多少", "坚持稳字当头、稳中求进。") is None


def test_picker_pairs_listed_figures_with_their_listed_items():
    text = "固定资产投资、规模以上工业增加值同比增长7.4%、2.3%;一般公共预算收入完成29.9亿元,同比增长0.82%。"
    assert answer_of("规模以上工业增加值同比增长多少", text) == "2.3%"
    assert answer_of("固定资产投资同比增长多少", text) == "7.4%"
    assert answer_of("What was the year-on-year growth of general public budget revenue?", text) == "0.82%"


def test_picker_reads_the_subject_of_a_clause_that_has_none_from_the_clause_before():
    text = "全区税收超百万楼宇22栋，超千万24栋，超亿元楼宇1栋。"
    assert answer_of("税收超千万的楼宇有多少栋？", text) == "24栋"


def test_picker_weighs_the_word_right_before_a_figure():
    text = "开工项目签约6个、项目开工98个。"  # both clauses hold 开工 and 项目
    assert answer_of("开工项目多少个？", text) == "98个"


def test_picker_counts_a_bare_number_of_people():
    text = "建设安置房1279万平方米,回迁858万平方米,惠及近12万群众。新建、改建道路143条。"
    assert answer_of("How many residents benefited from resettlement housing?", text) == "12万"


def test_picker_does_not_match_units_as_words():
    text = "二七区累计转运集中隔离1.04万人、居家隔离6.8万余人。"
    assert answer_of("How many people were transferred to centralized quarantine?", text) == "1.04万人"
    assert answer_of("居家隔离多少人？", text) == "6.8万余人"
