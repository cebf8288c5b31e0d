"""Understanding questions: the glossary, synonyms, normalisation."""

from qa.query import Glossary, Synonyms, glossary, is_english, understand


def test_glossary_maps_english_phrases_to_chinese_terms_longest_first():
    small = Glossary([(["gdp", "gross domestic product"], ["地区生产总值", "生产总值"]),
                      (["gdp growth"], ["经济增长"]),
                      (["retail sales of consumer goods", "retail sales"], ["社会消费品零售总额"])])
    assert small.expand("What was the GDP in 2021?") == ["地区生产总值", "生产总值"]
    assert small.expand("GDP growth in 2022") == ["经济增长"]
    assert small.expand("total retail sales of consumer goods") == ["社会消费品零售总额"]


def test_the_longest_phrase_wins_wherever_it_starts():
    small = Glossary([(["new high"], ["历史新高"]), (["tech enterprise"], ["科技型企业"]),
                      (["high-tech enterprise"], ["高新技术企业"]), (["new"], ["新增"])])
    concepts, unmatched = small.concepts("How many new high-tech enterprises were added?")
    assert concepts == [["新增"], ["高新技术企业"]] and "high" not in unmatched


def test_glossary_matches_plural_forms():
    small = Glossary([(["new urban job"], ["城镇新增就业"]), (["kindergarten"], ["幼儿园"])])
    assert small.expand("How many new urban jobs and kindergartens?") == ["城镇新增就业", "幼儿园"]


def test_a_phrase_said_in_the_passive_is_the_same_phrase():
    small = Glossary([(["urban jobs created"], ["城镇新增就业"]), (["job"], ["就业"]), (["was granted"], ["获批"])])
    assert small.expand("How many urban jobs were created in 2004?") == ["城镇新增就业"]
    assert small.expand("How many jobs were there?") == ["就业"]
    assert small.expand("Which project was granted?") == ["获批"]  # a phrase holding the auxiliary still matches


def test_glossary_reads_a_hyphen_as_a_space():
    small = Glossary([(["community elderly care"], ["社区养老"]), (["fixed-asset investment"], ["固定资产投资"])])
    assert small.expand("community elderly-care facilities") == ["社区养老"]
    assert small.expand("fixed asset investment") == ["固定资产投资"]


def test_shipped_glossary_covers_the_core_indicators():
    shipped = glossary()
    for english, chinese in [("GDP", "地区生产总值"), ("fixed-asset investment", "固定资产投资"),
                             ("retail sales of consumer goods", "社会消费品零售总额"),
                             ("general public budget revenue", "一般公共预算收入"),
                             ("first half of the year", "上半年")]:
        assert chinese in shipped.expand(english), english


def test_synonyms_map_abbreviations_and_traditional_forms():
    small = Synonyms([("社会消费品零售总额", ["社零", "社零额"]), ("地区生产总值", ["GDP", "地區生產總值"])])
    assert small.expand("2021年社零额多少") == ["社会消费品零售总额"]
    assert small.expand("2021年地區生產總值") == ["地区生产总值"]
    assert small.expand("2021年gdp") == ["地区生产总值"]  # case-insensitive
    assert small.expand("社会消费品零售总额") == []  # already the standard term


def test_english_questions_get_chinese_bm25_tokens_and_a_chinese_rendering():
    query = understand("What was the GDP in 2021?")
    assert query.english and "生产总值" in query.bm25_tokens
    assert "地区生产总值" in query.chinese_rendering and "2021" in query.chinese_rendering


def test_chinese_questions_are_normalised_to_half_width():
    query = understand("２０２１年ＧＤＰ是多少")
    assert not query.english and "2021" in query.bm25_tokens and "地区生产总值" in query.expansions


def test_language_detection():
    assert is_english("How many people?") and not is_english("2021年GDP是多少") and not is_english("二七区")


def test_expansion_can_be_switched_off():
    assert understand("What was the GDP?", use_glossary=False, use_synonyms=False).expansions == []


def test_traditional_characters_become_simplified():
    query = understand("2021年地區生產總值是多少")
    assert "生产总值" in query.bm25_tokens and "2021" in query.bm25_tokens


# --- the glossary on the vocabulary of national and provincial reports ---------------------------------------------

import pytest

from qa.places import entries


@pytest.mark.parametrize("english, chinese", [
    ("fiscal deficit ratio", "赤字率"),
    ("the deficit-to-GDP ratio", "赤字率"),
    ("special-purpose bonds", "专项债券"),
    ("ultra-long special treasury bonds", "超长期特别国债"),
    ("long-term construction treasury bonds", "长期建设国债"),
    ("urban surveyed unemployment rate", "城镇调查失业率"),
    ("lunar probe", "探月"),
    ("manned spaceflight", "载人航天"),
    ("broad money (M2)", "广义货币"),
    ("foreign exchange reserves", "外汇储备"),
    ("the overall tariff level", "关税总水平"),
    ("personal income tax threshold", "个人所得税起征点"),
    ("gross enrollment ratio in higher education", "高等教育毛入学率"),
    ("New Rural Cooperative Medical Scheme", "新型农村合作医疗"),
    ("rural per capita net income", "农民人均纯收入"),
    ("R&D spending intensity", "研发投入强度"),
    ("power transmission to other provinces", "外送电"),
    ("offshore duty-free sales", "离岛免税"),
    ("inbound tourists", "入境游客"),
    ("the 'two new' policies", "两新"),
])
def test_glossary_covers_terms_of_national_and_provincial_reports(english, chinese):
    assert chinese in glossary().expand(english), english


def test_glossary_names_every_provincial_level_division_and_capital_in_english():
    shipped = glossary()
    for entry in entries():
        if entry.place.level == "national":
            continue
        for english in entry.english:
            expanded = shipped.expand(english)
            assert entry.place.name in expanded or any(short in expanded for short in entry.short), english
        if entry.capital is not None:
            for english in entry.capital_english:
                if english.isascii():
                    assert entry.capital.name in shipped.expand(english), english


def test_english_place_questions_get_the_place_in_chinese():
    assert {"江苏", "城镇新增就业"} <= set(understand("How many new urban jobs did Jiangsu create in 2025?").expansions)
    assert "内蒙古" in understand("What grain output target did Inner Mongolia set for 2026?").expansions
    assert "西藏" in understand("What was the GDP of Tibet (Xizang) in 2025?").expansions


def test_common_verbs_of_questions_add_no_noise():
    """'set a target', 'create jobs' and 'issue' are not 套, 创建 or 问题."""
    assert "套" not in understand("What GDP growth target did Chongqing set for 2025?").expansions
    assert "创建" not in understand("How many new urban jobs did Hebei create in 2024?").expansions
    assert "问题" not in understand("How much in treasury bonds did the government plan to issue?").expansions


def test_a_possessive_ends_a_phrase_unless_the_glossary_phrase_holds_it():
    small = Glossary([(["shandong"], ["山东"]), (["gdp"], ["地区生产总值"]), (["district government"], ["区政府"]),
                      (["government service"], ["政务服务"]), (["district"], ["区"]),
                      (["people's congress"], ["人民代表大会"])])
    assert small.expand("What was Shandong's GDP in 2025?") == ["山东", "地区生产总值"]
    assert small.concepts("What was Shandong's GDP?")[1] == ["what", "was"]  # no stray "shandong'" left over
    assert small.expand("Erqi District's government services") == ["区", "政务服务"]
    assert small.expand("the district government") == ["区政府"]
    assert small.expand("the people's congress") == ["人民代表大会"]


def test_what_a_question_says_it_does_not_ask_for_is_not_searched():
    query = understand("2010年居民消费价格涨幅实际是多少？（问的是实际结果，不是预期目标）")
    assert "预期" not in query.bm25_tokens and "目标" not in query.bm25_tokens and "居民" in query.bm25_tokens
    english = understand("How much did central spending on science actually amount to in 2009 (outturn, not the budget)?")
    assert "budget" not in english.bm25_tokens and "预算" not in english.expansions
    assert understand("是不是增长了5%").text == "是不是增长了5%"  # 是不是 asks; it negates nothing


def test_plain_words_reach_the_terms_reports_use():
    assert "人均预期寿命" in understand("北京人平均能活到多少岁？").expansions
    assert "贫困人口" in understand("穷人还有多少？").expansions
    assert "城镇新增就业" in understand("去年有多少人新找到工作？").expansions
    assert "粮食产量" in understand("今年打了多少粮食？").expansions


def test_everyday_names_of_trades_and_people_reach_the_statistical_terms():
    trades = understand("新多出了多少家够规模、被纳入统计的商店、批发商、饭馆和旅馆？").expansions
    assert {"纳统", "零售", "餐饮", "住宿"} <= set(trades) and "批发" not in trades  # 批发商 already holds it
    assert {"老旧小区", "惠及"} <= set(understand("老旧片区翻新改造让多少人得了实惠？").expansions)
    assert "农村劳动力转移就业" in understand("多少农村劳力离开庄稼地找到了活干？").expansions
    assert "耕地" in understand("庄稼地有多少亩？").expansions  # the longer phrase wins only where it is written


def test_english_shares_and_clean_energy_reach_the_report_terms():
    concepts = glossary().concepts("What share of Hainan's installed power capacity was clean energy in 2024?")[0]
    assert ["比重", "占比"] in concepts and ["清洁能源", "清洁电力"] in concepts and concepts[1] == ["海南", "海南省"]
    assert glossary().expand("GDP growth rate")[0] == "生产总值增长"  # how reports state it: 生产总值增长5.5%


def test_every_five_year_plan_named_in_english_reaches_its_chinese_name():
    for question, plan in [("over the Eleventh Five-Year Plan period", "十一五"), ("during the 10th Five-Year Plan", "十五"),
                           ("in the twelfth five-year plan", "十二五"), ("by the end of the 15th Five-Year Plan", "十五五")]:
        assert [plan, f"“{plan}”"] == glossary().concepts(question)[0][0][:2], question


def test_an_everyday_phrase_is_known_with_or_without_le_or_zhe_and_the_measure_word():
    from qa.query import synonyms

    assert "粮食产量" in synonyms().expand("2026年湖南打算让地里打多少粮食？")  # written 打了多少粮食
    assert "常住人口" in synonyms().expand("2025年底宁夏一共住着多少人？")  # written 住了多少人
    assert "造林" in synonyms().expand("2024年广西一共种了多少亩树？")  # written 种了多少树
    assert "粮食产量" not in synonyms().expand("2024年广西一共种了多少亩树？")


def test_how_many_people_lived_in_a_place_asks_its_resident_population():
    from qa.query import understand

    rendering = understand("How many people lived in Luoyang at the end of 2023?", use_glossary=True,
                           use_synonyms=True).chinese_rendering
    assert "常住人口" in rendering
    assert "常住人口" not in understand("How many people were employed in 2023?", use_glossary=True,
                                    use_synonyms=True).chinese_rendering


def test_tourists_visiting_a_place_are_its_tourist_arrivals_as_communiques_name_them():
    from qa.query import glossary

    concepts, unmatched = glossary().concepts("How many tourists visited Qiandongnan in 2016?")
    assert ["接待游客", "游客接待量"] in concepts and "visited" not in unmatched
    assert "接待旅游总人数" in glossary().phrases[("tourist", "arrival")]
