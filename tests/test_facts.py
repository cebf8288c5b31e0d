"""Facts: what each figure of a passage measures, and the card's choice among them."""

from dataclasses import replace

from qa.answers import layout
from qa.card import Source, Wanted, check_fact, pick_answer_fact, wanted_by
from qa.confidence import KeyTerm, KeyTerms
from qa.facts import Fact, extract_facts, facts_from_json, facts_to_json, head_of, normalised_value, same_value
from qa.figures import extract_figures
from qa.periods import Period, question_period


def facts_of(text: str, period: Period = Period(2024, 2024, "full", False), place: str = "山东省") -> dict[str, Fact]:
    figures = extract_figures(text)
    return {fact.text: fact for fact in extract_facts(text, figures, layout(text, figures), period, place)}


def test_a_level_and_its_growth_share_the_indicator_the_clause_before_names():
    facts = facts_of("全省地区生产总值达到9.86万亿元，同比增长5.7%。")
    level, growth = facts["9.86万亿元"], facts["5.7%"]
    assert level.head == "地区生产总值" and level.measure == "level" and level.unit == "元"
    assert level.value == 9.86e12
    assert growth.head == "地区生产总值" and growth.measure == "change" and "同比" in growth.qualifiers


def test_a_target_keeps_its_approximation_in_the_figure_and_is_a_target():
    facts = facts_of("今年主要预期目标是：地区生产总值增长7.5%左右。", Period(2025, 2025, "full", True))
    fact = facts["7.5%左右"]
    assert fact.stance == "target" and "左右" in fact.qualifiers and fact.measure == "change"


def test_an_estimate_is_an_estimate_and_a_communique_first_figure_is_a_result():
    assert facts_of("预计全年地区生产总值增长1.2%。")["1.2%"].stance == "estimate"
    assert facts_of("经初步核算，全年地区生产总值增长4.8%。")["4.8%"].stance == "result"


def test_every_clause_of_a_list_of_targets_under_one_heading_is_a_target():
    text = "经济社会发展的预期目标：生产总值同比增长8%；社会消费品零售总额同比增长12%左右；固定资产投资同比增长7%以上。"
    facts = facts_of(text, Period(2019, 2019, "full", None))
    assert {facts[figure].stance for figure in ("8%", "12%左右", "7%以上")} == {"target"}
    assert facts_of("主要指标完成情况：生产总值增长8%；固定资产投资增长7%。", Period(2018, 2018, "full", None))[
        "7%"].stance == "result"


def test_a_pair_of_figures_for_town_and_country_is_the_towns_then_the_countrysides():
    facts = facts_of("城乡居民人均可支配收入达到2.36万元和1.53万元，分别比上年增长8%、9%。")
    assert facts["2.36万元"].indicator.startswith("城镇") and facts["1.53万元"].indicator.startswith("农村")
    assert "人均" in facts["1.53万元"].qualifiers
    single = facts_of("城乡居民人均可支配收入增长9%左右。")["9%左右"]
    assert "城乡" in single.indicator


def test_a_count_takes_the_noun_that_follows_it():
    fact = facts_of("列入红榜名单企业200家，新签约产业项目46个。")
    assert fact["46个"].measure == "count" and "产业项目" in fact["46个"].indicator
    assert "企业" in facts_of("共有200家企业列入红榜名单。")["200家"].indicator


def test_listed_figures_take_their_own_items():
    facts = facts_of("固定资产投资、规模以上工业增加值同比增长7.4%、2.3%。")
    assert "固定资产投资" in facts["7.4%"].indicator and facts["7.4%"].measure == "change"
    assert "工业增加值" in facts["2.3%"].indicator and facts["2.3%"].measure == "change"


def test_a_rate_is_a_share_and_where_a_change_started_is_marked():
    facts = facts_of("常住人口城镇化率由45.9%提高到52.6%。")
    assert facts["52.6%"].measure == "share" and "起点" not in facts["52.6%"].qualifiers
    assert "起点" in facts["45.9%"].qualifiers


def test_the_nation_named_in_a_provincial_report_is_the_nations_figure_unless_compared_with():
    assert facts_of("全国国内生产总值增长5%。")["5%"].place == "全国"
    assert facts_of("增速高于全国0.7个百分点。")["0.7个百分点"].place == "山东省"


def test_a_year_named_before_the_figure_is_its_period_but_not_a_base_year():
    facts = facts_of("2020年地区生产总值达到3353.3亿元，是2015年的1.5倍。", Period(2016, 2020, "full", False))
    assert (facts["3353.3亿元"].period_first, facts["3353.3亿元"].period_last) == (2020, 2020)
    assert facts["1.5倍"].period_first == 2016  # 是2015年的: a base year, not the period


def test_values_normalise_their_magnitude_and_rounding_is_no_difference():
    assert normalised_value("784.2亿元") == (78420000000, "元")
    assert normalised_value("5-6%")[1] == "%"
    a, b = facts_of("地区生产总值784.2亿元。")["784.2亿元"], facts_of("地区生产总值784.23亿元。")["784.23亿元"]
    assert same_value(a, b)
    assert not same_value(a, facts_of("地区生产总值790.2亿元。")["790.2亿元"])
    rounded, exact = facts_of("城镇新增就业2.1万人。")["2.1万人"], facts_of("城镇新增就业21135人。")["21135人"]
    assert same_value(rounded, exact) and same_value(exact, rounded)  # 2.1万 is 21135 to its last digit
    assert not same_value(rounded, facts_of("城镇新增就业21635人。")["21635人"])


def test_facts_survive_their_stored_form():
    facts = tuple(facts_of("全省地区生产总值达到9.86万亿元，同比增长5.7%。").values())
    assert facts_from_json(facts_to_json(facts)) == facts


def test_the_head_drops_places_times_and_qualifiers():
    assert head_of("年末全省常住人口") == "常住人口"
    assert head_of("全年规模以上工业增加值") == "工业增加值"


# -- the card's choice --------------------------------------------------------------------------------------------

TERMS = KeyTerms((KeyTerm(("常住人口",), 3.0, True),))


def wants(question: str, current_year: int = 2026) -> Wanted:
    return wanted_by(question, question_period(question, current_year))


def test_a_question_about_population_is_not_answered_by_the_urbanisation_rate():
    facts = facts_of("年末常住人口1.01亿人，常住人口城镇化率66.5%。")
    asked = wants("2024年山东省年末常住人口是多少人？")
    assert check_fact(facts["1.01亿人"], 1, asked, TERMS).agrees
    assert "unit" in check_fact(facts["66.5%"], 1, asked, TERMS).failed


def test_a_rise_asked_is_not_answered_by_a_level():
    facts = facts_of("全年地区生产总值784.2亿元，增长7.4%。", Period(2021, 2021, "full", False))
    asked = wants("2021年地区生产总值增长了多少？")
    terms = KeyTerms((KeyTerm(("地区生产总值",), 3.0, True),))
    assert "measure" in check_fact(facts["784.2亿元"], 1, asked, terms).failed
    assert check_fact(facts["7.4%"], 1, asked, terms).agrees


def test_a_national_question_is_not_answered_from_a_provincial_report():
    fact = facts_of("全省地区生产总值增长5.7%。")["5.7%"]
    asked = wants("2024年国内生产总值增长多少？")
    terms = KeyTerms((KeyTerm(("生产总值",), 3.0, True),))
    assert "place" in check_fact(fact, 1, asked, terms, Source(False, frozenset({"山东"}))).failed
    national = facts_of("国内生产总值增长5%。", place="全国")["5%"]
    assert check_fact(national, 1, asked, terms, Source(True)).agrees


def test_a_report_of_another_place_does_not_answer_a_named_place():
    fact = facts_of("全县地区生产总值176.6亿元。", Period(2023, 2023, "full", False), place="清苑区")["176.6亿元"]
    asked = wants("2023年周口市地区生产总值是多少？")
    terms = KeyTerms((KeyTerm(("地区生产总值",), 3.0, True),))
    assert "place" in check_fact(fact, 1, asked, terms, Source(False, frozenset({"清苑"}))).failed
    assert check_fact(fact, 1, asked, terms, Source(False, frozenset({"周口"}))).agrees


def test_another_year_and_a_span_do_not_answer_a_year():
    asked = wants("2022年末常住人口是多少？")
    assert "period" in check_fact(facts_of("年末常住人口866.60万人。", Period(2023, 2023, "full", False))["866.60万人"],
                                  1, asked, TERMS).failed
    span = facts_of("常住人口增长12%。", Period(2021, 2025, "full", False))["12%"]
    assert "period" in check_fact(span, 1, wants("2024年常住人口增长多少？"), TERMS).failed


def test_a_target_does_not_answer_the_actual_result_and_an_estimate_does_not_answer_what_was_achieved():
    target = facts_of("地区生产总值增长7.5%左右。", Period(2022, 2022, "full", True))["7.5%左右"]
    terms = KeyTerms((KeyTerm(("地区生产总值",), 3.0, True),))
    assert "stance" in check_fact(target, 1, wants("2022年地区生产总值实际增长了多少？"), terms).failed
    estimate = facts_of("预计全年地区生产总值增长1.2%。", Period(2020, 2020, "full", None))["1.2%"]
    assert "stance" in check_fact(estimate, 1, wants("2020年地区生产总值实际增长多少？"), terms).failed


def test_per_person_asked_is_not_answered_by_a_total_and_the_other_way_round():
    facts = facts_of("地区生产总值784.2亿元，人均地区生产总值8.5万元。", Period(2021, 2021, "full", False))
    terms = KeyTerms((KeyTerm(("地区生产总值",), 3.0, True),))
    per_person = wants("2021年人均地区生产总值是多少？")
    assert "qualifier" in check_fact(facts["784.2亿元"], 1, per_person, terms).failed
    assert check_fact(facts["8.5万元"], 1, per_person, terms).agrees
    assert "qualifier" in check_fact(facts["8.5万元"], 1, wants("2021年地区生产总值是多少？"), terms).failed


def test_the_card_takes_the_neighbouring_figure_the_question_names_and_refuses_when_none_agrees():
    text = "全年进口总额120亿元，出口总额300亿元，进出口总额420亿元。"
    facts = tuple(facts_of(text, Period(2024, 2024, "full", False)).values())
    exports = KeyTerms((KeyTerm(("出口",), 3.0, True), KeyTerm(("总额",), 1.0, True)))
    chosen = pick_answer_fact([(1, facts, facts[0].start, Source(), text)], wants("2024年出口总额是多少？"), exports)
    assert chosen.fact.text == "300亿元"
    pandas = KeyTerms((KeyTerm(("大熊猫",), 5.0, True),))
    refused = pick_answer_fact([(1, facts, None, Source(), text)], wants("2024年有多少只大熊猫？"), pandas)
    assert not hasattr(refused, "fact") and refused.reason in ("unit", "indicator")


def test_of_a_rough_and_an_exact_figure_of_one_indicator_the_card_shows_the_exact_one():
    text = "农村居民人均可支配收入首次突破2万元、达到20793元。"
    facts = tuple(facts_of(text, Period(2025, 2025, "full", False)).values())
    terms = KeyTerms((KeyTerm(("农村居民人均可支配收入",), 4.0, True),))
    chosen = pick_answer_fact([(1, facts, facts[0].start, Source(), text)],
                              wants("2025年农村居民人均可支配收入是多少？"), terms)
    assert chosen.fact.text == "20793元"


def test_what_an_indicator_is_measured_in_is_learnt_from_the_facts_of_the_index():
    from qa.facts import IndicatorUnits

    units = IndicatorUnits()
    for text in ["年末常住人口1.01亿人。", "年末常住人口866.60万人。", "常住人口增加3万人。"] * 3:
        units.add(facts_of(text).values())
    units.add(facts_of("常住人口城镇化率66.5%。").values())
    kept = units.kept()
    assert kept["常住人口"] == {"count": 6}  # the change (增加3万人) is not how the level is measured
    assert IndicatorUnits(kept).expected_kinds("2024年年末常住人口是多少？") == {"count"}
    assert IndicatorUnits(kept).expected_kinds("2024年全省有多少只熊猫？") == frozenset()


def test_a_table_row_is_read_with_its_header_row_units_and_measures():
    from qa.facts import table_row_facts

    row = "其中：一般公共预算收入 | 110.68 | -1.2"
    level, growth = table_row_facts(row, "| 绝对数（亿元） | 比上年增长（%）", Period(2016, 2016), "黔东南苗族侗族自治州")
    assert (level.text, level.value, level.unit, level.measure) == ("110.68亿元", 1.1068e10, "元", "level")
    assert level.head == "一般公共预算收入" and row[level.start:level.end] == "110.68"
    assert (growth.text, growth.measure, growth.unit) == ("-1.2%", "change", "%")
    assert row[growth.start:growth.end] == "1.2"  # the span is the digits, where the passage's figure stands
    grain = table_row_facts("粮食 | 1223474 | 1.8", " | 产量（吨） | 比上年增长（%）", Period(2016, 2016))
    assert [fact.head for fact in grain] == ["粮食产量", "粮食产量"]
    by_year = table_row_facts("地区生产总值（亿元） | 784.2 | 820.1", "指标 | 2021年 | 2022年", Period(2022, 2022))
    assert [(fact.text, fact.period_first) for fact in by_year] == [("784.2亿元", 2021), ("820.1亿元", 2022)]


def test_a_table_row_that_does_not_line_up_with_its_header_gives_no_row_facts():
    from qa.facts import table_row_facts

    assert table_row_facts("吨吨吨 | 1577693 242158", "单位 | 产量 | 比上年增长", Period(2023, 2023)) == ()
    assert table_row_facts("吨吨吨 | 1577693 242158", "单位 | 产量", Period(2023, 2023)) == ()


def test_a_note_on_how_a_growth_was_computed_is_not_what_it_measures_nor_is_a_footnote_mark():
    facts = facts_of("全市生产总值②达到5481.6亿元，按可比价计算，比上年增长3.5%。")
    assert facts["5481.6亿元"].head == "生产总值" and facts["3.5%"].head == "生产总值"


def test_a_size_threshold_scopes_the_indicator_and_is_not_a_figure_of_its_own():
    facts = facts_of("全社会固定资产投资完成1745.04亿元，比上年增长16.2%；全年500万元以上固定资产投资累计完成997.76亿元，"
                     "比上年增长22.4%。")
    assert "500万元" not in facts and "500万元以上" not in facts
    assert facts["997.76亿元"].head == "固定资产投资" and "规模以上" in facts["997.76亿元"].qualifiers
    assert "规模以上" in facts["22.4%"].qualifiers and "规模以上" not in facts["1745.04亿元"].qualifiers


def test_a_question_that_does_not_say_above_size_gets_the_unscoped_figure():
    text = "全社会固定资产投资完成1745.04亿元。全年500万元以上固定资产投资累计完成997.76亿元。"
    figures = extract_figures(text)
    facts = extract_facts(text, figures, layout(text, figures), Period(2016, 2016, "full", False), "黔东南苗族侗族自治州")
    question = "2016年全社会固定资产投资完成多少？"
    terms = KeyTerms((KeyTerm(("固定资产投资",), 2.0, True),))
    scoped = next(fact for fact in facts if "规模以上" in fact.qualifiers)
    choice = pick_answer_fact([(1, facts, scoped.start, Source(), text)], wanted_by(question, question_period(question)),
                              terms)
    assert choice.fact.text == "1745.04亿元"


def test_a_question_naming_no_place_gets_the_nations_figure_over_a_countys():
    county_text, national_text = "全县全社会固定资产投资增长41.6%。", "全社会固定资产投资增长25.8%。"
    question = "2004年全社会固定资产投资增长多少？"
    terms = KeyTerms((KeyTerm(("固定资产投资",), 2.0, True),))

    def facts(text, place):
        figures = extract_figures(text)
        return extract_facts(text, figures, layout(text, figures), Period(2004, 2004, "full", False), place)

    candidates = [(1, facts(county_text, "清苑县"), None, Source(places=frozenset({"清苑"})), county_text),
                  (2, facts(national_text, "全国"), None, Source(national=True), national_text)]
    choice = pick_answer_fact(candidates, wanted_by(question, question_period(question)), terms)
    assert choice.fact.text == "25.8%"
    named = "2004年清苑县全社会固定资产投资增长多少？"
    assert pick_answer_fact(candidates, wanted_by(named, question_period(named)), terms).fact.text == "41.6%"


def test_a_listed_item_shorter_than_the_last_takes_the_words_the_last_adds():
    facts = facts_of("其中城镇、农村居民收入分别增长4.8%、5.9%。城镇居民、农村居民人均可支配收入分别增长4.6%、6.7%。")
    assert facts["4.8%"].indicator == "城镇居民收入" and facts["5.9%"].indicator == "农村居民收入"
    assert facts["4.6%"].head == "城镇居民可支配收入" and "人均" in facts["4.6%"].qualifiers
    assert facts_of("进口、出口分别增长3%、5%。")["3%"].head == "进口"


def test_where_a_range_went_measures_what_it_started_from_and_is_the_last_year_of_a_review():
    facts = facts_of("城镇化率由45.9%提高到52.6%，经常项目顺差占国内生产总值的比重从10.1%降到2.6%。",
                     Period(2008, 2012, "full", False))
    reached = facts["52.6%"]
    assert reached.head == "城镇化率" and reached.measure == "share" and (reached.period_first, reached.period_last) == (2012, 2012)
    assert "起点" not in facts["45.9%"].qualifiers and facts["45.9%"].period_first == 2007  # the year before the review
    assert facts["2.6%"].measure == "share"
    assert facts_of("高等教育毛入学率提高到30%。", Period(2008, 2012, "full", False))["30%"].period_first == 2012


def test_the_units_learnt_for_a_head_apply_only_when_the_question_asks_for_that_head_itself():
    from qa.facts import IndicatorUnits

    units = IndicatorUnits({"工业企业": {"count": 5}})
    assert units.expected_kinds("全省规模以上工业企业有多少家？") == {"count"}
    assert units.expected_kinds("2000年国有及国有控股工业企业实现利润多少？") == frozenset()
    assert units.expected_kinds("工业企业的数量预期目标是多少") == {"count"}


def test_a_figure_after_an_aside_is_of_the_subject_named_before_it():
    facts = facts_of("全省地区生产总值达到5.53万亿元、稳居全国前十强、增长4.8%，其中规模工业增加值增长6.2%。")
    assert facts["4.8%"].head == "地区生产总值" and facts["4.8%"].measure == "change"
    assert facts["6.2%"].head == "工业增加值" and "规模以上" in facts["6.2%"].qualifiers  # 规模工业: 规模以上工业


def test_two_figures_given_respectively_belong_to_the_two_things_named_in_order():
    facts = facts_of("农村居民人均纯收入和城镇居民人均可支配收入，2000年分别达到2253元和6280元。")
    assert facts["2253元"].indicator == "农村居民人均纯收入" and "人均" in facts["2253元"].qualifiers
    assert facts["6280元"].indicator == "城镇居民人均可支配收入"
    towns_first = facts_of("城镇和农村居民人均可支配收入分别增长5.1%和6.5%。")
    assert towns_first["5.1%"].head == "城镇居民可支配收入" and towns_first["6.5%"].head == "农村居民可支配收入"


def test_a_figure_after_last_years_is_last_years_result():
    facts = facts_of("中央财政用于教育的支出将由去年的1076亿元增加到1562亿元。", Period(2008, 2008, "full", True))
    assert facts["1076亿元"].indicator == "中央财政用于教育的支出"
    assert (facts["1076亿元"].period_first, facts["1076亿元"].stance) == (2007, "result")
    assert (facts["1562亿元"].period_first, facts["1562亿元"].stance) == (2008, "target")


def test_a_bare_figure_followed_by_the_people_it_counts_is_a_count_of_people():
    facts = facts_of("全国2235万城市居民得到最低生活保障，惠及70多万群众，新增就业12万，办理业务200万。")
    assert (facts["2235万"].kind, facts["2235万"].unit) == ("count", "人")
    assert (facts["70多万"].kind, facts["70多万"].unit) == ("count", "人")
    assert (facts["12万"].kind, facts["12万"].unit) == ("number", "")  # nothing counted follows
    assert facts["200万"].unit == ""


def test_a_level_named_only_as_the_total_is_of_the_indicator_named_before_it_in_the_sentence():
    facts = facts_of("地区生产总值增长6.0%、全省第二，高于全国、全省平均水平，总量达到4773.3亿元。市场主体总量达到86.3万户。")
    assert facts["4773.3亿元"].head == "地区生产总值" and facts["4773.3亿元"].measure == "level"
    assert facts["86.3万户"].head == "市场主体总量"  # named in full: left as written
    added = facts_of("新增新能源装机1258万千瓦、总量达到6437万千瓦。")
    assert added["6437万千瓦"].head == "新能源装机"  # the total of what was added to, not what was added
    mileage = facts_of("新增高速公路通车里程1523公里，总里程达8667公里、居全国前列。")
    assert mileage["8667公里"].head == "高速公路通车里程"
    counted = facts_of("新增市场经营主体18.1万户，总量突破106万户。")
    assert counted["106万户"].head == "市场经营主体" and counted["106万户"].measure == "count"


def test_the_level_reached_after_what_a_span_added_is_the_level_at_its_end():
    facts = facts_of("注册市场主体五年新增43.04万家、达到79.1万家。", period=Period(2016, 2020, "full", False))
    assert facts["79.1万家"].head == "注册市场主体" and "新增" not in facts["79.1万家"].qualifiers
    assert (facts["79.1万家"].period_first, facts["79.1万家"].period_last) == (2020, 2020)
    assert "新增" in facts["43.04万家"].qualifiers
    plain = facts_of("全年新增就业1.2万人、城镇登记失业率3.1%。")  # no level after the addition: nothing moved
    assert plain["3.1%"].head != "就业"


def test_a_range_dated_by_its_years_measures_what_the_clause_names_before_them():
    facts = facts_of("全国财政收入从1997年的8651亿元增加到2002年的18914亿元，平均每年增加2053亿元。",
                     period=Period(1998, 2002, "full", False), place="全国")
    assert facts["8651亿元"].indicator == "财政收入" and "起点" not in facts["8651亿元"].qualifiers
    assert (facts["8651亿元"].period_first, facts["8651亿元"].period_last) == (1997, 1997)  # the start's own year
    assert facts["18914亿元"].indicator == "财政收入"
    assert (facts["18914亿元"].period_first, facts["18914亿元"].period_last) == (2002, 2002)


def test_listed_items_take_the_words_the_last_item_adds_after_its_own():
    facts = facts_of("苹果、食用菌、中药材产量分别增长3.4%、6.8%、13.7%。")
    assert [facts[f].indicator for f in ("3.4%", "6.8%", "13.7%")] == ["苹果产量", "食用菌产量", "中药材产量"]
    assert facts_of("城镇、农村居民收入分别增长4.8%、5.9%。")["4.8%"].indicator == "城镇居民收入"


def test_each_figure_of_a_list_led_by_xinzeng_is_one_added():
    facts = facts_of("全年新增高新技术企业7家、院士工作站1家，科技型中小企业81家，城镇登记失业率3.5%。"
                     "高新技术企业、科技型中小企业分别达24家、440家。")
    assert all("新增" in facts[f].qualifiers for f in ("7家", "1家", "81家"))
    assert "新增" not in facts["3.5%"].qualifiers  # a rate is never what a year adds
    assert "新增" not in facts["440家"].qualifiers and "新增" not in facts["24家"].qualifiers


def test_where_a_rise_from_last_years_figure_starts_is_last_years_level():
    facts = facts_of("今年中央财政用于教育的投入，将由去年的1076亿元增加到1562亿元。", period=Period(2008, 2008, "full", True))
    last_year = facts["1076亿元"]
    assert (last_year.period_first, last_year.stance) == (2007, "result") and "起点" not in last_year.qualifiers
    assert facts["1562亿元"].period_first == 2008


def test_figures_listed_with_their_bounds_belong_to_the_items_in_order():
    facts = facts_of("一产、二产、三产增加值分别增长5.5%左右、6%左右、5%左右。", period=Period(2025, 2025, "full", True))
    assert [(f.indicator, f.text) for f in facts.values()] == [
        ("一产增加值", "5.5%左右"), ("二产增加值", "6%左右"), ("三产增加值", "5%左右")]


def test_two_changes_after_two_named_levels_are_theirs_in_turn_said_respectively_or_not():
    turn = facts_of("城镇居民人均可支配收入11759元，农村居民人均纯收入3587元，扣除价格因素，分别比上年实际增长10.4%和7.4%。")
    assert turn["10.4%"].head == "城镇居民可支配收入" and turn["7.4%"].head == "农村居民纯收入"
    unsaid = facts_of("城镇居民人均可支配收入和农村居民人均纯收入实际增长8.4％和11.4％。")
    assert unsaid["8.4％"].head == "城镇居民可支配收入" and unsaid["11.4％"].head == "农村居民纯收入"
    # a list of three keeps its own items, whatever levels came before
    listed = facts_of("粮食产量1352.3万吨、再创历史新高，苹果、食用菌、中药材产量分别增长3.4%、6.8%、13.7%。")
    assert [listed[t].head for t in ("3.4%", "6.8%", "13.7%")] == ["苹果产量", "食用菌产量", "中药材产量"]


def test_a_threshold_passed_is_neither_the_thing_counted_nor_part_of_the_indicator():
    facts = facts_of("外贸进出口总额突破5000亿元大关，增长19.9%。")
    assert facts["5000亿元"].head == "外贸进出口总额" and facts["19.9%"].head == "外贸进出口总额"
    steps = facts_of("地区生产总值连跨4个千亿台阶，达到1.3万亿元。")
    assert steps["1.3万亿元"].head == "地区生产总值"


def test_a_condition_and_a_steady_verb_are_not_part_of_what_is_measured():
    assert facts_of("正常年景下粮食产量达到900亿斤以上。")["900亿斤以上"].head == "粮食产量"
    assert facts_of("确保粮食总产量稳定保持在76亿斤以上。")["76亿斤以上"].head == "粮食总产量"


def test_a_stock_reached_over_a_review_is_its_level_at_the_end_but_an_addition_is_not():
    review = Period(2021, 2025, "full", False)
    reached = facts_of("高速公路通车里程达5465公里，省际高速公路通道增至10个。", period=review)
    assert (reached["5465公里"].period_first, reached["5465公里"].period_last) == (2025, 2025)
    built = facts_of("五年新建高速公路达到1200公里。", period=review)
    assert (built["1200公里"].period_first, built["1200公里"].period_last) == (2021, 2025)


def test_changes_after_two_levels_listed_with_a_pause_belong_to_those_levels_in_turn():
    facts = facts_of("城镇居民人均可支配收入12312元、农民人均纯收入4331元，分别增长12.7%和9%。", Period(2008, 2008, "full", False))
    assert facts["12.7%"].indicator == "城镇居民人均可支配收入" and facts["9%"].indicator == "农民人均纯收入"


def test_a_change_counted_from_a_named_year_spans_the_years_since():
    facts = facts_of("2007年，国内生产总值达到24.66万亿元，比2002年增长65.5%。", Period(2007, 2007, "full", False), "全国")
    assert (facts["65.5%"].period_first, facts["65.5%"].period_last) == (2003, 2007)
    assert facts["24.66万亿元"].period_first == 2007
    longer = facts_of("全市人均预期寿命较2020年提高1.16岁、达到79.72岁。", Period(2025, 2025, "full", False), "重庆市")
    assert longer["1.16岁"].indicator == "人均预期寿命" and longer["1.16岁"].period_first == 2021
    assert longer["79.72岁"].period_first == 2025


def test_what_five_years_added_up_is_a_sum_over_them_and_so_is_a_part_of_that_sum():
    facts = facts_of("五年全国新增城镇就业5100万人。中央财政用于三农的支出五年累计1.6万亿元，其中用于农村基础设施建设近3000亿元。"
                     "五年来城镇化率提高到52.6%。", Period(2007, 2007, "full", False), "全国")
    for text in ("5100万人", "1.6万亿元", "3000亿元"):
        assert (facts[text].period_first, facts[text].period_last) == (2003, 2007) and "累计" in facts[text].qualifiers
    assert facts["52.6%"].period_first == 2007 and "累计" not in facts["52.6%"].qualifiers


def test_a_sum_over_five_years_does_not_answer_for_their_last_year():
    sum_over_five = facts_of("五年全国新增城镇就业5100万人。", Period(2007, 2007, "full", False), "全国")["5100万人"]
    wants = wanted_by("2007年全国城镇新增就业多少人？", question_period("2007年全国城镇新增就业多少人？", 2026))
    check = check_fact(sum_over_five, 1, wants, KeyTerms((KeyTerm(("城镇新增就业",), 3.0, True),)), Source(national=True), "")
    assert "period" in check.failed


def test_shares_reached_over_a_review_are_those_of_its_last_year_each_with_what_it_measures():
    facts = facts_of("装备制造业、高新技术产业增加值占规上工业的比重分别达到45.4%、47.8%，高于全省22.7和28.8个百分点。",
                     Period(2016, 2020, "full", False), "保定市")
    assert facts["45.4%"].indicator == "装备制造业增加值占规上工业的比重"
    assert (facts["45.4%"].period_first, facts["47.8%"].period_first) == (2020, 2020)


def test_a_table_column_of_units_gives_each_row_its_unit():
    from qa.facts import table_row_facts

    header = "指标 | 单位 | 绝对数 | 比上年增长（%）"
    level, growth = table_row_facts("房地产开发投资 | 亿元 | 140.30 | 10.7", header, Period(2016, 2016, "full", False))
    assert level.text == "140.30亿元" and level.kind == "money" and level.value == 1.403e10
    assert growth.text == "10.7%" and growth.measure == "change"
    area, _ = table_row_facts("房屋竣工面积 | 万平方米 | 111.17 | -52.4", header, Period(2016, 2016, "full", False))
    assert area.kind == "area"


def test_a_level_held_steady_is_not_one_of_a_list_of_things_added():
    facts = facts_of("新建和改造高标准农田70万亩，粮食播种面积稳定在1255万亩以上。", Period(2025, 2025, "full", True), "福建省")
    assert "新增" not in facts["1255万亩以上"].qualifiers and facts["1255万亩以上"].head == "粮食播种面积"


def test_firms_asked_in_jia_are_answered_by_firms_counted_in_hu_but_households_are_not():
    question = "2024年甘肃新增规模以上工业企业多少家？"
    wants = wanted_by(question, question_period(question, 2026))
    terms = KeyTerms((KeyTerm(("规模以上工业企业",), 3.0, True),))
    firms = facts_of("新增规模以上工业企业535户，总数达到3159户。", place="甘肃省")["535户"]
    households = facts_of("改造农村危房535户。", place="甘肃省")["535户"]
    assert "unit" not in check_fact(firms, 1, wants, terms, Source(places=frozenset({"甘肃"}))).failed
    assert "unit" in check_fact(households, 1, wants, terms, Source(places=frozenset({"甘肃"}))).failed


def test_a_bare_measure_takes_the_thing_the_clause_before_names_as_its_subject():
    facts = facts_of("城镇职工基本养老保险制度不断完善，2007年参保人数突破2亿人。粮食生产保持稳定，产量达到1000万吨。",
                     Period(2007, 2007, "full", False), "全国")
    assert facts["2亿人"].indicator == "城镇职工基本养老保险参保人数"
    assert facts["1000万吨"].indicator == "粮食产量"


def test_measures_listed_after_a_thing_each_measure_that_thing():
    facts = facts_of("全年全市粮食播种面积2066.70万亩，总产量902.61万吨。其中，夏粮播种面积1101.60万亩，总产量508.58万吨。"
                     "普通初中招生15.3万人，毕业生13.85万人，在校生92.53万人。", Period(2023, 2023, "full", False), "周口市")
    assert facts["902.61万吨"].indicator == "粮食总产量" and facts["508.58万吨"].indicator == "夏粮总产量"
    assert facts["92.53万人"].indicator == "普通初中在校生"


def test_several_figures_under_the_chosen_ones_very_name_leave_the_card_silent():
    from qa.card import Judged, Refusal, pick_from

    def check(text, value, start):
        fact = Fact(start=start, end=start + len(text), text=text, value=value, unit="人", kind="count", indicator="在校生",
                    head="在校生", measure="count", qualifiers=(), period_first=2023, period_last=2023, part=None,
                    stance="result", place="周口市")
        return check_fact(fact, 1, wants, KeyTerms((KeyTerm(("在校生",), 3.0, True),)))

    wants = wanted_by("2023年周口市在校生有多少人？", question_period("2023年周口市在校生有多少人？", 2026))
    checks = (check("92.53万人", 925300, 0), check("31.69万人", 316900, 20), check("61.42万人", 614200, 40))
    assert isinstance(pick_from(Judged(checks, checks, frozenset({(1, 0)}), 1), wants), Refusal)
    assert not isinstance(pick_from(Judged(checks[:2], checks[:2], frozenset({(1, 0)}), 1), wants), Refusal)


def test_a_figure_neither_it_nor_its_report_dates_answers_no_year_asked():
    undated = Fact(start=0, end=6, text="29.9亿元", value=2.99e9, unit="元", kind="money", indicator="一般公共预算收入",
                   head="一般公共预算收入", measure="level", qualifiers=(), period_first=None, period_last=None, part=None,
                   stance="result", place="二七区")
    question = "What was Erqi District's general public budget revenue in 2023?"
    wants = wanted_by(question, question_period(question, 2026))
    terms = KeyTerms((KeyTerm(("一般公共预算收入",), 4.8, True),))
    assert "period" in check_fact(undated, 1, wants, terms, Source(places=frozenset({"二七"}))).failed
    assert "period" not in check_fact(undated, 1, wants, terms, Source(places=frozenset({"二七"}), years=frozenset({2023}),
                                                                     reviews=2023)).failed
    assert "period" in check_fact(undated, 1, wants, terms, Source(places=frozenset({"二七"}), years=frozenset({2023, 2024}),
                                                                 reviews=2024)).failed
    half = "2020年上半年二七区一般公共预算收入是多少？"  # the half-year it names is what dates it
    halves = wanted_by(half, question_period(half, 2026))
    assert "period" not in check_fact(replace(undated, part="H1"), 1, halves, terms,
                                      Source(places=frozenset({"二七"}))).failed


def test_what_was_done_is_not_what_a_figure_must_measure():
    question = "How many 5G base stations did Erqi District build in 2023?"
    wants = wanted_by(question, question_period(question, 2026))
    terms = KeyTerms((KeyTerm(("5G", "5G基站"), 2.2, True), KeyTerm(("建设", "新建"), 2.9, True)))
    services = facts_of("建设政务服务驿站，180个服务事项可在镇街办理。", Period(2023, 2023, "full", False), "二七区")["180个"]
    assert "indicator" in check_fact(services, 1, wants, terms, Source(places=frozenset({"二七"}))).failed


def named_fact(indicator, text="8%", qualifiers=()):
    return Fact(start=0, end=len(text), text=text, value=8.0, unit="件", kind="count", indicator=indicator,
                head=indicator, measure="count", qualifiers=qualifiers, period_first=2023, period_last=2023, part=None,
                stance="result", place="周口市")


def test_another_indicator_the_synonyms_know_a_narrower_kind_or_a_stock_does_not_answer():
    from qa.card import Contrast, _a_narrower_kind_asked, _a_stock_for_what_was_added, _another_known_indicator
    from qa.tokens import normalise

    def asked(question, measured=lambda name: True):
        return Contrast(question=normalise(question), measured=measured)

    revenue = asked("徐水区2019年全部财政收入增长的预期目标是多少？")
    assert _another_known_indicator(named_fact("一般公共预算收入"), revenue)
    assert not _another_known_indicator(named_fact("全部财政收入"), revenue)
    patents = asked("2023年周口市新增授权发明专利多少件？")
    assert _a_narrower_kind_asked(named_fact("新增授权专利", qualifiers=("新增",)), patents)
    assert not _a_narrower_kind_asked(named_fact("新增授权发明专利", qualifiers=("新增",)), patents)
    assert not _a_narrower_kind_asked(named_fact("新增授权专利"), asked("2023年周口市新增授权发明专利多少件？",
                                                                      measured=lambda name: False))
    assert _a_stock_for_what_was_added(named_fact("有效专利拥有量"), patents)
    assert not _a_stock_for_what_was_added(named_fact("有效专利拥有量"), asked("2023年周口市有效专利拥有量多少件？"))


def test_a_figure_of_firms_above_size_does_not_answer_for_all_of_industry():
    from qa.card import Contrast
    from qa.tokens import normalise

    question = "2016年黔东南州全部工业增加值是多少？"
    scoped = facts_of("全州规模以上工业增加值214.61亿元。", Period(2016, 2016, "full", False), "黔东南苗族侗族自治州")["214.61亿元"]
    wants = wanted_by(question, question_period(question, 2026))
    terms = KeyTerms((KeyTerm(("工业增加值",), 3.0, True),))
    check = check_fact(scoped, 1, wants, terms, Source(places=frozenset({"黔东南"})), "", None,
                       Contrast(question=normalise(question)))
    assert "qualifier" in check.failed


def test_computing_power_is_a_figure_with_its_unit_and_a_shared_subject_names_the_next_item():
    from qa.figures import extract_figures

    assert [(f.text, f.kind) for f in extract_figures("算力总规模达到9.4万P，其中智算8.7万P")] == \
        [("9.4万P", "compute"), ("8.7万P", "compute")]
    assert extract_figures("3.5Pa") == []
    facts = facts_of("集装箱航线147条、吞吐量2329万标准箱。", Period(2024, 2024, "full", False), "天津市")
    assert facts["2329万标准箱"].indicator == "集装箱吞吐量"


def test_where_a_rise_over_a_review_started_is_the_level_of_the_year_before_the_review():
    facts = facts_of("五年来，城镇化率由45.9%提高到52.6%。", Period(2008, 2012, "full", False), "全国")
    assert (facts["45.9%"].period_first, facts["45.9%"].period_last) == (2007, 2007) and "起点" not in facts["45.9%"].qualifiers
    assert facts["52.6%"].period_first == 2012


def test_what_was_started_after_what_was_finished_is_of_the_same_thing():
    facts = facts_of("全年城镇保障性住房基本建成432万套，新开工建设1043万套。", Period(2011, 2011, "full", False), "全国")
    assert facts["1043万套"].indicator == "城镇保障性住房新开工建设"


def test_a_province_first_in_the_nation_or_in_a_national_pilot_is_still_the_province():
    facts = facts_of("新能源装机在全国率先破亿、达到1.35亿千瓦。推进全国市场监管重大改革创新试点7项。", Period(2024, 2024, "full", False),
                     "内蒙古自治区")
    assert facts["1.35亿千瓦"].place == "内蒙古自治区" and facts["7项"].place == "内蒙古自治区"
    assert facts_of("全国GDP增长5%。", Period(2024, 2024, "full", False), "内蒙古自治区")["5%"].place == "全国"


def test_a_figure_converted_from_the_one_before_measures_the_same_and_points_answer_a_rise_asked_in_percent():
    facts = facts_of("全州人均地区生产总值26858元，比上年增长12.9%，按1月3日汇率折算约合3868美元。",
                     Period(2016, 2016, "full", False), "黔东南苗族侗族自治州")
    assert facts["3868美元"].indicator == "人均地区生产总值" and "人均" in facts["3868美元"].qualifiers
    question = "By how many percentage points did Zhoukou's urbanization rate rise in 2023?"
    wants = wanted_by(question, question_period(question, 2026))
    points = facts_of("常住人口城镇化率44.70%，比上年末提高1.01个百分点。", Period(2023, 2023, "full", False), "周口市")["1.01个百分点"]
    assert "unit" not in check_fact(points, 1, wants, KeyTerms((KeyTerm(("城镇化率",), 3.0, True),)),
                                    Source(places=frozenset({"周口"}))).failed


def test_a_rate_brought_down_to_a_figure_is_the_rate_it_reached():
    facts = facts_of("今年拟安排财政赤字8000亿元，赤字率下降到1.5％左右。", Period(2012, 2012, "full", True), "全国")
    assert facts["1.5％左右"].measure == "share" and facts["1.5％左右"].head == "赤字率"


def test_a_harvest_up_or_down_is_the_change_of_the_output_before_it():
    facts = facts_of("全年全市粮食总产量902.61万吨，减产3.2%。秋粮总产量394.03万吨，增产4.8%。", Period(2023, 2023, "full", False),
                     "周口市")
    assert facts["3.2%"].measure == "change" and facts["3.2%"].indicator == "粮食总产量"
    assert facts["4.8%"].measure == "change" and facts["4.8%"].indicator == "秋粮总产量"


def test_a_level_after_a_clause_naming_its_own_subject_is_of_that_subject_not_of_the_figures_before():
    text = "对中亚五国、东盟进出口分别增长37.2％、19％，全省进出口总值创历史新高，达到5379亿元、增长18.5％。"
    facts = facts_of(text, Period(2025, 2025, "full", False), "陕西省")
    assert facts["5379亿元"].head == "进出口总值" and facts["5379亿元"].measure == "level"
    assert facts["18.5％"].head == "进出口总值" and facts["18.5％"].measure == "change"


def test_a_note_in_brackets_is_neither_a_clause_break_nor_part_of_the_indicator():
    facts = facts_of("全年全市固定资产投资（不含农户，下同）同比增长10.5%。", Period(2023, 2023, "full", False), "周口市")
    assert facts["10.5%"].head == "固定资产投资"


def test_what_something_drove_is_marked_and_answers_only_a_question_about_what_it_drove():
    from qa.card import Contrast

    facts = facts_of("中欧班列开行6037列、增长21.1％，带动陕西进出口415.4亿元、增长11.7％。",
                     Period(2025, 2025, "full", False), "陕西省")
    driven = facts["415.4亿元"]
    assert "带动" in driven.qualifiers and driven.head == "陕西进出口"
    terms = KeyTerms((KeyTerm(("进出口",), 3.0, True),))
    source = Source(places=frozenset({"陕西"}))
    for question, refused in (("2025年陕西省进出口总值是多少？", True), ("2025年中欧班列带动陕西进出口多少？", False)):
        wants = wanted_by(question, question_period(question, 2026))
        check = check_fact(driven, 1, wants, terms, source, "", None, Contrast(question=question))
        assert ("qualifier" in check.failed) is refused


def test_a_question_asking_for_the_total_is_not_answered_by_what_was_added():
    from qa.card import Contrast

    facts = facts_of("新增高速公路通车里程1523公里，总里程达8667公里。", Period(2021, 2025, "full", False), "湖南省")
    question = "What was Hunan's total expressway mileage in 2025?"
    wants = wanted_by(question, question_period(question, 2026))
    terms = KeyTerms((KeyTerm(("高速公路通车里程",), 3.0, True),))
    source = Source(places=frozenset({"湖南"}))
    assert "qualifier" in check_fact(facts["1523公里"], 1, wants, terms, source, "", None, Contrast()).failed
    assert not wanted_by("2025年湖南新增高速公路里程一共多少？", question_period("2025年", 2026)).total


def test_towns_and_countryside_named_apart_take_a_pair_of_figures_in_turn_and_the_second_change_is_a_change():
    facts = facts_of("2012年底，城镇和农村人均住房面积32.9平方米、37.1平方米，分别比2007年增加2.8平方米和5.5平方米；",
                     Period(2012, 2012, "full", False), "全国")
    assert facts["32.9平方米"].indicator == "城镇人均住房面积" and facts["37.1平方米"].indicator == "农村人均住房面积"
    second = facts["5.5平方米"]
    assert second.indicator == "农村人均住房面积" and second.measure == "change"
    assert (second.period_first, second.period_last) == (2008, 2012)
    assert facts_of("城镇居民人均可支配收入和农村居民人均纯收入分别增长8%、9%。")["9%"].measure == "change"


def test_of_figures_naming_the_question_alike_the_one_without_a_word_it_does_not_ask_is_chosen():
    from qa.card import FactCheck, _named_without_unasked_words

    facts = facts_of("全年城镇保障性住房基本建成432万套，新开工建设1043万套。", Period(2011, 2011, "full", False), "全国")
    built = FactCheck(facts["432万套"], 1, (), 0.51, unasked=2.6)
    started = FactCheck(facts["1043万套"], 1, (), 0.78, unasked=0.0)
    assert _named_without_unasked_words(built, [built, started]) is started
    other_unit = FactCheck(replace(facts["1043万套"], unit="件"), 1, (), 0.78, unasked=0.0)
    assert _named_without_unasked_words(built, [built, other_unit]) is built
    both_unasked = FactCheck(facts["1043万套"], 1, (), 0.78, unasked=1.0)
    assert _named_without_unasked_words(built, [built, both_unasked]) is built


def test_a_sentence_opening_on_one_year_in_a_review_of_several_speaks_of_that_year():
    facts = facts_of("全年地区生产总值2.15万亿元、增长5.5%，外贸进出口总额增长19.9%。五年来累计新增就业100万人。",
                     Period(2021, 2025, "full", False), "新疆维吾尔自治区")
    assert (facts["19.9%"].period_first, facts["19.9%"].period_last) == (2025, 2025)
    assert (facts["100万人"].period_first, facts["100万人"].period_last) == (2021, 2025)


def test_a_target_set_as_an_arrangement_names_its_indicator_without_the_word_for_it():
    facts = facts_of("今年主要预期目标是：地区生产总值按增长5%安排，在实际工作中努力争取更好结果；",
                     Period(2026, 2026, "full", True), "江苏省")
    assert facts["5%"].head == "地区生产总值" and facts["5%"].stance == "target"


def test_a_place_written_around_another_is_not_the_place_asked():
    from qa.card import place_bases, wanted_by

    assert place_bases("2025年湖南省长沙市地区生产总值是多少？") == {"长沙"}
    assert place_bases("2023年周口市鹿邑县粮食总产量是多少？") == {"鹿邑"}
    assert place_bases("2016年黔东南州凯里市地区生产总值是多少？") == {"凯里"}
    assert place_bases("2021年二七区认定郑州市科技型企业多少家？") >= {"二七", "郑州"}
    asked = wanted_by("2023年周口市鹿邑县粮食总产量是多少？", Period(2023, 2023), frozenset({"周口市"}))
    assert "周口" not in asked.places and "鹿邑" in asked.places


def test_of_figures_of_one_passage_the_one_naming_every_key_term_the_chosen_one_lacks_is_chosen():
    from qa.card import FactCheck, _named_without_unasked_words

    facts = facts_of("全社会用电量12.1亿度，增长7.5%，其中工业用电量8.6亿度。", Period(2016, 2016, "full", False), "高阳县")
    everything = FactCheck(facts["12.1亿度"], 1, (), 0.81, unasked=0.0, missing=2.4)
    industry = FactCheck(facts["8.6亿度"], 1, (), 1.0, unasked=0.0, missing=0.0)
    assert _named_without_unasked_words(everything, [everything, industry]) is industry


def test_one_measure_of_a_thing_asked_is_not_answered_by_another():
    from qa.card import Contrast, _another_measure_of_it

    facts = facts_of("全县入统工业企业完成总产值33.8亿元，实现工业增加值7.4亿元。", Period(2004, 2004, "full", False), "清苑县")
    asked = Contrast(question="2004年清苑县入统工业企业的工业增加值完成多少?")
    assert _another_measure_of_it(facts["33.8亿元"], asked)
    assert not _another_measure_of_it(facts["7.4亿元"], asked)
    assert not _another_measure_of_it(facts["33.8亿元"], Contrast(question="2004年清苑县入统工业企业总产值是多少?"))


def test_a_sentence_opening_on_last_year_among_this_year_s_plans_states_last_year_s_result():
    facts = facts_of("去年居民消费价格涨幅回落到2.6%，这是重要成果。去年增长5%，今年预期增长5%左右。",
                     Period(2013, 2013, "full", True), "全国")
    assert (facts["2.6%"].period_first, facts["2.6%"].stance) == (2012, "result")
    assert (facts["5%左右"].period_first, facts["5%左右"].stance) == (2013, "target")


def test_where_things_stood_at_a_year_s_end_is_a_result_unless_a_deadline_or_a_target_is_asked():
    def target(question):
        return wanted_by(question, question_period(question, 2026)).target

    assert target("What was China's registered urban unemployment rate at the end of 2011?") is False
    assert target("2023年末周口市常住人口是多少？") is False
    assert target("2022年底前二七区参与集团化办学学校的比例要达到多少？") is None
    assert target("2025年末森林覆盖率的目标是多少？") is True


def test_a_part_in_brackets_measures_what_the_whole_before_it_measures():
    facts = facts_of("完成专利申请2641件（其中发明专利1058件），专利授权655件。", Period(2016, 2016, "full", False), "黔东南苗族侗族自治州")
    assert facts["1058件"].head == "发明专利申请" and facts["655件"].head == "专利授权"


def test_a_range_s_upper_end_after_a_percentage_is_read_with_it():
    from qa.vocabulary import range_after

    text = "主要预期目标是：地区生产总值增长5%-5.5%，规模以上工业增加值增长7.3%以上，居民消费价格涨幅2%左右。"
    assert range_after(text, text.index("5%-") + 2) == "-5.5%"
    assert range_after(text, text.index("7.3%") + 4) == ""
    assert range_after("增长5%—6%左右。", 4) == "—6%左右"


def test_a_harvests_total_after_the_things_rise_is_that_things_output():
    facts = facts_of("全疆粮食播种面积4440万亩，粮食增产42.2亿斤，总产466亿斤，粮食单产1050斤。", Period(2024, 2024, "full", False),
                     "新疆维吾尔自治区")
    assert facts["466亿斤"].indicator == "粮食总产"
    assert facts["1050斤"].indicator == "粮食单产"


def test_two_rates_listed_with_respectively_and_a_word_holding_ji_are_each_their_own():
    facts = facts_of("农村自来水普及率、规模化供水工程覆盖率分别达98%和92%。")
    assert facts["98%"].head == "农村自来水普及率" and facts["92%"].head == "规模化供水工程覆盖率"


def test_a_short_quoted_term_inside_a_name_is_part_of_the_name():
    facts = facts_of("国家级专精特新“小巨人”企业达426家、制造业单项冠军企业达65家。")
    assert facts["426家"].indicator == "国家级专精特新“小巨人”企业"
    assert facts["65家"].indicator == "制造业单项冠军企业"


def test_a_bare_number_before_the_households_or_people_it_counts_is_a_count_of_them():
    facts = facts_of("又有2897万农村人口解决了安全饮水问题，新增450万农村沼气用户。", Period(2006, 2006, "full", False), "全国")
    assert (facts["2897万"].kind, facts["2897万"].unit) == ("count", "人")
    assert (facts["450万"].kind, facts["450万"].unit) == ("count", "户")
    assert facts_of("配餐中心能够满足1.3万老年人就餐需求。")["1.3万"].unit == "人"


def test_a_national_title_after_what_a_figure_counts_leaves_it_the_report_s_place():
    facts = facts_of("推进7项全国市场监管重大改革创新试点。全国居民人均可支配收入增长5.3%。", place="广西壮族自治区")
    assert facts["7项"].place == "广西壮族自治区"
    assert facts["5.3%"].place == "全国"


def test_a_time_cut_short_is_a_change_shown_as_a_fall():
    facts = facts_of("承诺时限比法定时限压缩88.44%。")
    assert facts["88.44%"].measure == "change"
