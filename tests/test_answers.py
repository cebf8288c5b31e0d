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
    ("北京人平均能活到多少岁？", "duration", "岁"),
    ("What was average life expectancy in 2025?", "duration", "岁"),
    ("By how much did energy consumption per unit of GDP fall over 2006-2010?", "percent", "%"),
    ("消费品总额大约比上年涨了多少？", "percent", "%"),
    ("南水北调生态文化公园一共有多长？", "length", ""),
    ("How long is the new expressway?", "length", ""),
    ("How much did China's consumer prices rise in 2006?", "percent", "%"),
    ("2023年洛阳市的房地产开发投资比上年变化了多少？", "percent", "%"),
    ("2023年黔东南州出生了多少孩子？", "count", "人"),
    ("By how much did real estate development investment in Zhoukou change in 2023?", "percent", "%"),
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
    ("How much new-energy generating capacity was added?", {"energy"}),
    ("How much electricity did the county consume?", {"energy"}),
    ("What was the target for the share of strategic emerging industries in industrial output?", {"percent"}),
    ("What was the maize (corn) output in 10,000 tonnes?", {"weight"}),
    ("What was the tea output?", {"weight"}),
    ("What was the output value of the tea industry?", {"money"}),  # priced, not weighed
])
def test_what_a_question_measures_outranks_what_it_is_about(question, kinds):
    assert asked(question).kinds == frozenset(kinds)


@pytest.mark.parametrize("question, unit", [
    ("How many roads were opened to traffic?", "条"),
    ("How many enterprises did the district meet?", "家"),
    ("How many new primary schools?", "所"),
    ("2021年有多少份合同", "份"),
    ("2025年企业并购重组多少起？", "起"),
    ("2024年发放创业担保贷款多少笔？", "笔"),
])
def test_english_count_nouns_and_chinese_measure_words_name_the_unit(question, unit):
    assert asked(question).unit == unit


@pytest.mark.parametrize("question, kind, unit", [
    ("2024年城镇新增就业多少万人？", "count", "人"),
    ("2024年汽车产量是多少万辆？", "count", "辆"),  # not weighed, although 产量
    ("2024年苹果产量是多少万吨？", "weight", "吨"),
    ("2025年藏羊存栏量是多少万只？", "count", "只"),
])
def test_a_magnitude_between_how_many_and_the_measure_word_keeps_the_unit(question, kind, unit):
    wanted = asked(question)
    assert wanted.kinds == frozenset({kind}) and wanted.unit == unit


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


# --- ranges and changes in real sentences ---------------------------------------------------------------------------

@pytest.mark.parametrize("question, text, answer", [
    ("2012年城镇化率是多少？", "积极稳妥推进城镇化，五年转移农村人口8463万人，城镇化率由45.9%提高到52.6%，城乡结构发生了历史性变化。", "52.6%"),
    ("2011年个人所得税起征点是多少？", "个人所得税起征点从2000元提高到3500元。降低900多万个体工商户税负。", "3500元"),
    ("2025年人均GDP是多少？", "“两新”政策持续扩围提质。人均GDP从2020年的5.2万元提高到2025年的7.4万元。", "7.4万元"),
    ("关税总水平降到多少？", "从今年1月1日起，关税总水平由15.3%降到12%，涉及5300多个税目。", "12%"),
    ("2007年全社会研究与实验发展经费是多少？",
     "全社会研究与实验发展经费，从2002年1288亿元增加到2007年的3664亿元，占国内生产总值比重从1.07%提高到1.49%。", "3664亿元"),
])
def test_a_range_answers_with_where_it_went(question, text, answer):
    assert answer_of(question, text) == answer


def test_a_range_answers_with_where_it_started_when_asked():
    text = "城镇化率由45.9%提高到52.6%，城乡结构发生了历史性变化。"
    assert answer_of("城镇化率原来是多少？", text) == "45.9%"
    assert answer_of("What was the urbanization rate before, from what level did it rise?", text) == "45.9%"


def test_a_level_answers_a_question_about_the_level_and_a_change_one_about_the_change():
    text = "国家财政收入比上年增加1501亿元，总额首次突破万亿元，达到11377亿元。金融平稳运行。"
    assert answer_of("1999年国家财政收入是多少？", text) == "11377亿元"
    assert answer_of("1999年国家财政收入比上年增加了多少？", text) == "1501亿元"
    deficit = "今年中央财政赤字拟安排2450亿元，比去年预算赤字减少500亿元。"
    assert answer_of("What central government fiscal deficit was planned for 2007?", deficit) == "2450亿元"


def test_newly_added_counts_are_levels_not_changes():
    text = "坚持教育优先发展,新增5所公办中小学,新增4所公办幼儿园,成功转型小区配套园18所。"
    assert answer_of("2023年二七区新增公办中小学多少所？", text) == "5所"


def test_a_subjectless_figure_takes_its_subject_from_the_start_of_its_list():
    text = ("全省地区生产总值达到5.53万亿元、稳居全国前十强、增长4.8%，其中规模工业增加值增长6.2%、高于全国平均0.3个百分点，"
            "地方一般公共预算收入达3507.6亿元、增长1.7%。")
    assert answer_of("2025年湖南省地区生产总值实际增长了多少？", text) == "4.8%"


@pytest.mark.parametrize("question, kinds", [
    ("What was China's total grain output in 2004?", {"weight"}),
    ("What grain output target did Xinjiang set for 2025?", {"weight"}),
    ("2024年云南省粮食总产量是多少？", {"weight"}),
    ("What was the gross enrollment ratio in higher education in 2006?", {"percent"}),
    ("What R&D spending intensity target did Anhui set for 2025?", {"percent"}),
    ("What central government fiscal deficit was planned for 2007?", {"money"}),
    ("What was Fujian's GDP in 2025?", {"money"}),
])
def test_english_and_chinese_questions_about_an_amount_or_a_rate(question, kinds):
    assert asked(question).kinds == frozenset(kinds)
