"""The answer to a question: the figure with its period and citation, "not found", several asks, differing figures."""

from dataclasses import replace

import pytest

from conftest import SEED_FILES
from qa.answering import Filters, Notice, answer_question, value_of
from qa.asks import split_asks
from qa.figures import extract_figures
from qa.gloss import english_gloss

GDP_2021 = "2021年地区生产总值是多少"
BULLETIN = SEED_FILES[0].name  # 000_…: the bulletin that gives 2021 GDP as 784.2亿元
PLAN = SEED_FILES[3].name  # 003_…: the plan report that gives it as 784.23亿元


@pytest.mark.parametrize("figure, gloss", [
    ("784.2亿元", "78.42 billion yuan"),
    ("9.86万亿元", "9.86 trillion yuan"),
    ("5.14亿元", "514 million yuan"),
    ("1.04万人", "10,400 people"),
    ("42.8万余人", "more than 428,000 people"),
    ("62.2万平方米", "622,000 square metres"),
    ("3-5万人", "30,000–50,000 people"),
    ("１２万人", "120,000 people"),
])
def test_english_gloss_restates_chinese_magnitudes(figure, gloss):
    assert english_gloss(figure) == gloss


@pytest.mark.parametrize("figure", ["7.5%", "311个", "2021年", "第一"])
def test_figures_without_a_magnitude_get_no_gloss(figure):
    assert english_gloss(figure) is None


@pytest.mark.parametrize("question, asks", [
    ("2021年和2023年的地区生产总值分别是多少", ["2021年的地区生产总值是多少", "2023年的地区生产总值是多少"]),
    ("GDP in 2021 and 2022", ["GDP in 2021", "GDP in 2022"]),
    ("2021、2022、2023年新增城镇就业", ["2021年新增城镇就业", "2022年新增城镇就业", "2023年新增城镇就业"]),
    ("北京和上海2025年的城镇新增就业分别是多少", ["北京2025年的城镇新增就业是多少", "上海2025年的城镇新增就业是多少"]),
    ("2021年地区生产总值和社会消费品零售总额分别是多少", ["2021年地区生产总值是多少", "2021年社会消费品零售总额是多少"]),
])
def test_a_question_with_several_asks_is_split(question, asks):
    assert split_asks(question) == asks


@pytest.mark.parametrize("question", [GDP_2021, "2021年至2023年累计完成投资多少", "GDP between 2021 and 2023",
                                      "城乡居民收入与经济增长同步了吗", "二七区有多少只熊猫"])
def test_a_question_with_one_ask_stays_whole(question):
    assert split_asks(question) == [question]


def test_values_compare_across_magnitudes():
    first, second, third = (extract_figures(text)[0] for text in ("784.2亿元", "784.23亿元", "7842000万元"))
    assert value_of(first)[0] != value_of(second)[0]
    assert value_of(first) == value_of(third)


@pytest.mark.slow
def test_answer_card_gives_the_2021_gdp_with_its_year_and_citation(searcher):
    response = answer_question(searcher, GDP_2021)
    assert response.found and response.confidence >= 0.5
    answer = response.answer
    assert (answer.text, answer.kind, answer.year, answer.period, answer.stance) == (
        "784.2亿元", "money", 2021, "2021年", "result")
    assert answer.passage_id.startswith(BULLETIN) and answer.rank == 1
    assert answer.document == "拉高标杆 狠抓落实 奋力突破" and answer.date == "2022年2月21日"
    assert answer.citation_zh == ("二七区人民政府．拉高标杆 狠抓落实 奋力突破［Z］．2022-02-21：2021年／经济社会高质量发展迈上新台阶／"
                                  "综合实力持续提升．")  # the place from the report's own text: 中共二七区委…，二七区…
    assert BULLETIN in answer.details and BULLETIN not in answer.citation_zh
    assert answer.gloss_en is None  # a Chinese reader


@pytest.mark.slow
def test_a_half_year_figure_is_labelled_with_its_half(searcher):
    answer = answer_question(searcher, "2020年上半年二七区地区生产总值是多少").answer
    assert answer.text == "340.64亿元" and answer.part == "H1" and answer.period.endswith("上半年")


@pytest.mark.slow
def test_an_english_reader_gets_the_magnitude_in_english(searcher):
    response = answer_question(searcher, "What was the GDP in 2021?", language="en")
    assert response.answer.text == "784.2亿元" and response.answer.gloss_en == "78.42 billion yuan"


@pytest.mark.slow
@pytest.mark.parametrize("question", ["二七区有多少只熊猫", "金水区2021年地区生产总值是多少？"])
def test_a_question_the_reports_do_not_answer_is_not_found(searcher, question):
    response = answer_question(searcher, question)
    assert not response.found and response.answer is None
    assert response.notices == [Notice("not_found")]
    assert response.results, "the closest passages are still given"
    shown = response.to_dict()
    assert shown["answer"] is None and all(result["answer"] is None for result in shown["results"])


@pytest.mark.slow
def test_each_ask_is_answered_and_the_one_not_found_is_named(searcher):
    response = answer_question(searcher, "2021年和2023年的地区生产总值分别是多少")
    first, second = response.parts
    assert first.found and first.answer.text == "784.2亿元" and first.answer.year == 2021
    assert not second.found and second.answer is None and "2023年" in second.question
    assert response.found and response.answer == first.answer
    assert Notice("part_not_found", {"part": second.question}) in response.notices
    ids = [result.passage.id for result in response.results]
    assert len(ids) == len(set(ids)) and [result.rank for result in response.results] == list(range(1, len(ids) + 1))


@pytest.mark.slow
def test_the_same_figure_rounded_otherwise_is_one_figure_with_both_forms_cited(searcher):
    response = answer_question(searcher, GDP_2021)
    assert response.disagreement == [] and not any(n.key == "disagreement" for n in response.notices)
    assert [figure.text for figure in response.parts[0].same] == ["784.23亿元"]
    other = response.parts[0].same[0]
    assert other.passage_id.startswith(PLAN) and (other.year, other.period) == (2021, "2021年")  # not 上半年 in passing
    assert other.citation_zh.startswith("二七区人民政府．二七区2021年国民经济和社会发展计划执行情况与2022年计划（草案）［R］．")


@pytest.mark.slow
def test_figures_of_another_indicator_are_not_a_disagreement(searcher):
    response = answer_question(searcher, "2021年新增城镇就业多少人")
    assert response.answer.text == "2.1万人"
    assert "1.04万人" not in [figure.text for figure in response.disagreement]  # people quarantined, not new jobs


@pytest.mark.slow
def test_filters_narrow_the_results_to_the_chosen_documents_places_and_years(searcher):
    everything = searcher.search("地区生产总值", k=5)
    assert len({result.passage.source for result in everything}) > 1
    only_plan = searcher.search("地区生产总值", k=5, filters=Filters(sources=(PLAN,)))
    assert only_plan and {result.passage.source for result in only_plan} == {PLAN}
    of_place = searcher.search("地区生产总值", k=5, filters=Filters(places=("二七区",)))
    assert of_place and all(searcher.documents[r.passage.source].place == "二七区" for r in of_place)
    of_2023 = searcher.search("地区生产总值", k=5, filters=Filters(years=(2023,)))
    assert of_2023 and all(searcher.documents[r.passage.source].year == 2023
                           or 2023 in searcher.features(searcher.store.find(r.passage.id)).period.years
                           for r in of_2023)
    assert not searcher.search("地区生产总值", k=5, filters=Filters(places=("广东省",)))


@pytest.mark.slow
def test_a_filter_that_leaves_nothing_says_so(searcher):
    response = answer_question(searcher, GDP_2021, filters=Filters(places=("广东省",)))
    assert not response.found and response.results == [] and response.notices == [Notice("no_results")]


@pytest.mark.slow
def test_response_as_json_holds_the_answer_the_results_and_the_notices(searcher):
    data = answer_question(searcher, GDP_2021, k=3).to_dict()
    assert set(data) >= {"question", "found", "answer", "results", "notices", "confidence", "parts", "disagreement"}
    assert data["answer"]["text"] == "784.2亿元" and len(data["results"]) == 3
    assert data["notices"] == [] and data["parts"][0]["same"][0]["text"] == "784.23亿元"
    assert data["answer"]["fact"]["head"] == "地区生产总值" and data["answer"]["fact"]["measure"] == "level"
    assert all(set(result) >= {"fact"} for result in data["results"])


@pytest.mark.slow
def test_a_figure_the_card_model_finds_unlikely_is_withheld_with_the_figure_named(searcher, monkeypatch):
    from dataclasses import replace as replaced

    from qa import card, series
    from qa.answering import STATED_CONFIDENCE

    # the figure the stored facts give under the indicator's own name is shown instead, when there is one
    by_name = answer_question(searcher, GDP_2021, gate=replaced(card.card_gate(), threshold=1.01))
    assert by_name.found and by_name.answer.text == "784.2亿元" and by_name.confidence == STATED_CONFIDENCE
    monkeypatch.setattr(series, "stated_for_question", lambda *args, **kwargs: None)

    shipped = card.card_gate()
    assert shipped is not None and shipped.names == card.CARD_FEATURES
    shown = answer_question(searcher, GDP_2021).parts[0]
    assert shown.found and shown.card_evidence is not None
    assert shown.confidence == pytest.approx(shipped.confidence(shown.card_evidence))
    assert shown.confidence >= shipped.threshold
    withheld = answer_question(searcher, GDP_2021, gate=replaced(shipped, threshold=1.01))  # none is that likely
    assert not withheld.found and withheld.answer is None
    assert withheld.parts[0].refusal.reason == "uncertain"
    notice = next(n for n in withheld.notices if n.key == "uncertain")
    assert "784.2亿元" in notice.params["closest"]
    ungated = answer_question(searcher, GDP_2021, gate=False)
    assert ungated.found and ungated.answer.text == "784.2亿元"


def _check(text, start, failed, rank=1, indicator="办结行政复议案件"):
    from qa.card import FactCheck
    from qa.facts import Fact

    fact = Fact(start=start, end=start + len(text), text=text, value=1.0, unit="件", kind="count", indicator=indicator,
                head=indicator, measure="count", qualifiers=(), period_first=2025, period_last=2025, part=None,
                stance="result", place="辽宁省")
    return FactCheck(fact, rank, failed, 0.0)


def test_a_paraphrase_is_answered_by_the_clause_closest_in_meaning_only_when_close_and_in_the_first_passage():
    from qa.card import MEANING_SIMILARITY, Judged, pick_by_meaning, wanted_by
    from qa.periods import Period

    wants = wanted_by("2025年辽宁申请上级复查的案子一共办完了多少件？", Period(2025, 2025))

    text = "办结人大代表议案建议608件，办结行政复议案件3.26万件。"
    first, second = _check("608件", text.index("608"), ("indicator",)), _check("3.26万件", text.index("3.26"), ("indicator",))
    wrong_year = _check("12件", 0, ("indicator", "period"))
    judged = Judged((first, second, wrong_year), (), frozenset(), 1)
    closeness = {"办结行政复议案件3.26万件": MEANING_SIMILARITY + 0.02, "办结人大代表议案建议608件": MEANING_SIMILARITY - 0.1}
    similarity = lambda clauses: [closeness.get(clause, 0.0) for clause in clauses]
    chosen, score = pick_by_meaning(judged, {1: text}, wants, similarity)
    assert chosen.fact.text == "3.26万件" and score > MEANING_SIMILARITY
    # not close enough, or only in a later passage: the card stays silent
    assert pick_by_meaning(judged, {1: text}, wants, lambda clauses: [MEANING_SIMILARITY - 0.01] * len(clauses)) is None
    later = Judged((_check("3.26万件", text.index("3.26"), ("indicator",), rank=2),), (), frozenset(), 1)
    assert pick_by_meaning(later, {2: text}, wants, lambda clauses: [0.99]) is None


def test_a_clause_is_cut_at_its_marks_around_the_figure():
    from qa.card import clause_of

    text = "办结人大代表议案建议608件，办结行政复议案件3.26万件。"
    assert clause_of(text, _check("3.26万件", text.index("3.26"), ()).fact) == "办结行政复议案件3.26万件"


def test_a_rate_asked_is_answered_by_a_rate_per_mille():
    from qa.card import _kind_agrees, wanted_by
    from qa.facts import Fact
    from qa.periods import Period

    wants = wanted_by("2016年黔东南州人口自然增长率是多少？", Period(2016, 2016))
    rate = Fact(start=0, end=5, text="5.36‰", value=5.36, unit="‰", kind="percent", indicator="人口自然增长率",
                head="人口自然增长率", measure="change", qualifiers=(), period_first=2016, period_last=2016, part=None,
                stance="result", place="黔东南苗族侗族自治州")
    assert wants.unit == "%" and _kind_agrees(rate, wants)
    assert not _kind_agrees(Fact(**{**rate.to_dict(), "qualifiers": (), "text": "5.36万人", "unit": "人",
                                    "kind": "count"}), wants)


def _population(text, indicator, coverage, start):
    from qa.card import FactCheck
    from qa.facts import Fact

    fact = Fact(start=start, end=start + len(text), text=text, value=1.0, unit="万人", kind="count",
                indicator=indicator, head=indicator, measure="count", qualifiers=(), period_first=2023,
                period_last=2023, part=None, stance="result", place="周口市")
    return FactCheck(fact, 1, (), coverage)


def test_a_question_naming_one_side_gets_that_sides_figure_and_one_naming_none_gets_the_whole():
    from qa.card import Judged, pick_from, wanted_by
    from qa.periods import Period

    whole = _population("866.60万人", "常住人口", 0.75, 0)
    urban = _population("392.66万人", "城镇人口", 0.56, 20)
    # the answer picker chose the whole in the passage; the question asks for the towns' share of it
    judged = Judged((whole, urban), (whole, urban), frozenset({(1, 0)}), 1)
    assert pick_from(judged, wanted_by("2023年周口市城镇常住人口是多少？", Period(2023, 2023))).fact.text == "392.66万人"

    # 常住人口 asked: the whole, not the towns' 城镇常住人口 that names the same words as fully
    urban_resident = _population("477.3万人", "城镇常住人口", 0.75, 20)
    judged = Judged((urban_resident, whole), (urban_resident, whole), frozenset({(1, 20)}), 1)
    assert pick_from(judged, wanted_by("2023年末常住人口是多少？", Period(2023, 2023))).fact.text == "866.60万人"
    # a sided figure that names the question's words better than the whole is kept
    judged = Judged((replace(urban_resident, coverage=0.9), whole), (replace(urban_resident, coverage=0.9), whole),
                    frozenset({(1, 20)}), 1)
    assert pick_from(judged, wanted_by("2023年末常住人口是多少？", Period(2023, 2023))).fact.text == "477.3万人"


def test_a_figure_of_another_thing_measured_alike_does_not_answer():
    from qa.card import Contrast, check_fact, wanted_by
    from qa.confidence import KeyTerm, KeyTerms
    from qa.facts import Fact
    from qa.periods import Period

    question = "2024年陕西省苹果产量是多少万吨？"
    grain = Fact(start=0, end=9, text="1352.3万吨", value=1.3523e7, unit="吨", kind="weight", indicator="粮食产量",
                 head="粮食产量", measure="level", qualifiers=(), period_first=2024, period_last=2024, part=None,
                 stance="result", place="陕西省")
    terms = KeyTerms((KeyTerm(("苹果",), 6.6, True), KeyTerm(("产量",), 3.0, True)))
    wants = wanted_by(question, Period(2024, 2024))
    context = "粮食产量1352.3万吨、再创历史新高，苹果、食用菌、中药材产量分别增长3.4%"

    def check(measured):
        return check_fact(grain, 1, wants, terms, context=context, contrast=Contrast(question=question, measured=measured))

    # the reports measure 苹果产量 elsewhere: 粮食产量 is another thing
    assert "indicator" in check(lambda name: name == "苹果产量").failed
    # a way of saying no report uses as a name (在家中隔离 for 居家隔离) is not another thing
    assert "indicator" not in check(lambda name: False).failed
    # the names share whole words only: 建筑业增加值 beside 工业增加值 shares 增加值, not 业增加值
    building = replace(grain, text="80.62亿元", unit="元", kind="money", indicator="全社会建筑业增加值",
                       head="全社会建筑业增加值", place="黔东南苗族侗族自治州")
    industry = "2016年黔东南州全部工业增加值是多少？"
    contrast = Contrast(question=industry, measured=lambda name: name == "工业增加值")
    assert "indicator" in check_fact(building, 1, wanted_by(industry, Period(2016, 2016)), KeyTerms(
        (KeyTerm(("工业",), 2.4, True), KeyTerm(("增加值",), 3.3, True))), contrast=contrast).failed


def _vehicles(indicator, text="129.6万辆"):
    from qa.facts import Fact

    return Fact(start=0, end=len(text), text=text, value=1.296e6, unit="辆", kind="count", indicator=indicator,
                head=indicator, measure="count", qualifiers=(), period_first=2025, period_last=2025, part=None,
                stance="result", place="重庆市")


def test_a_kind_of_the_thing_does_not_answer_a_question_asking_the_whole_of_it():
    from qa.card import Contrast, check_fact, wanted_by
    from qa.confidence import KeyTerm, KeyTerms
    from qa.periods import Period
    from qa.tokens import normalise

    terms = KeyTerms((KeyTerm(("汽车",), 3.5, True), KeyTerm(("产量",), 3.3, True)))

    def failed(question, indicator):
        return check_fact(_vehicles(indicator), 1, wanted_by(question, Period(2025, 2025)), terms,
                          contrast=Contrast(question=normalise(question))).failed

    assert "indicator" in failed("2025年重庆市汽车总产量是多少万辆？", "新能源汽车产量")
    assert "indicator" not in failed("2025年重庆市汽车总产量是多少万辆？", "汽车产量")
    assert "indicator" not in failed("2025年重庆市新能源汽车产量是多少万辆？", "新能源汽车产量")
    # examples of the thing (电建智慧创新城等…重大产业项目) are no kind of it
    assert "indicator" not in failed("2025年重庆市汽车总产量是多少万辆？", "长安等…汽车产量")


def test_a_figure_of_both_sides_at_once_does_not_answer_a_question_naming_one():
    from qa.card import check_fact, wanted_by
    from qa.confidence import KeyTerm, KeyTerms
    from qa.periods import Period

    terms = KeyTerms((KeyTerm(("出口", "出口额"), 6.8, True),))
    wants = wanted_by("What was the total value of China's exports in 2011?", Period(2011, 2011))
    both = replace(_vehicles("货物进出口总额", "3.64万亿美元"), unit="美元", kind="money", measure="level", place="全国")
    assert "indicator" in check_fact(both, 1, wants, terms).failed
    assert "indicator" not in check_fact(replace(both, indicator="出口", head="出口"), 1, wants, terms).failed


def test_an_indicator_given_per_person_by_nature_is_answered_with_or_without_the_word():
    from qa.card import check_fact, wanted_by
    from qa.confidence import KeyTerm, KeyTerms
    from qa.periods import Period

    income = replace(_vehicles("农村居民人均可支配收入", "6.2%"), unit="%", kind="percent", measure="change",
                     qualifiers=("人均",), period_first=2024, period_last=2024, place="山东省")
    terms = KeyTerms((KeyTerm(("农村",), 2.3, True), KeyTerm(("支配",), 3.8, True), KeyTerm(("收入",), 2.5, True)))
    asked = wanted_by("2024年山东农村居民手里能自由支配的收入涨了多少？", Period(2024, 2024))
    assert asked.per_person is None and "qualifier" not in check_fact(income, 1, asked, terms).failed
    gdp = replace(income, indicator="人均地区生产总值", head="地区生产总值")
    assert "qualifier" in check_fact(gdp, 1, wanted_by("2024年山东地区生产总值增长多少？", Period(2024, 2024)),
                                     terms).failed
    assert wanted_by("2024年甘肃平摊到每个人头上的经济总量有多少？", Period(2024, 2024)).per_person is True


def test_a_fact_is_named_by_the_name_the_synonyms_give_it():
    from qa.card import indicator_coverage
    from qa.confidence import KeyTerm, KeyTerms

    spending = replace(_vehicles("农民人均生活消费支出", "6963元"), head="农民生活消费支出")
    terms = KeyTerms((KeyTerm(("居民人均消费支出",), 4.5, True),))
    assert indicator_coverage(spending, terms) == 1.0  # 农民人均生活消费支出 is 农村居民人均消费支出


def test_meaning_never_takes_a_figure_of_another_unit_or_a_kind_of_the_whole_asked():
    from qa.card import Contrast, Judged, pick_by_meaning, wanted_by
    from qa.periods import Period
    from qa.tokens import normalise

    close = lambda clauses: [0.99] * len(clauses)
    rate = "全州人口出生率为13‰。"
    per_mille = replace(_check("13‰", rate.index("13"), ("indicator",)),
                        fact=replace(_check("13‰", rate.index("13"), ()).fact, unit="‰", kind="percent"))
    judged = Judged((per_mille,), (), frozenset(), 1)
    assert pick_by_meaning(judged, {1: rate}, wanted_by("2016年黔东南州常住人口城镇化率是多少？", Period(2016, 2016)),
                           close) is None
    cars = "新能源汽车产量129.6万辆。"
    kind = _check("129.6万辆", cars.index("129.6"), ("indicator",), indicator="新能源汽车产量")
    question = "2025年重庆市汽车总产量是多少万辆？"
    assert pick_by_meaning(Judged((kind,), (), frozenset(), 1), {1: cars}, wanted_by(question, Period(2025, 2025)),
                           close, Contrast(question=normalise(question))) is None


def test_resident_and_registered_population_are_two_sides_and_an_age_group_is_not_the_whole():
    from qa.card import Contrast, check_fact, sides_named, wanted_by
    from qa.confidence import KeyTerm, KeyTerms
    from qa.periods import Period
    from qa.tokens import normalise

    assert sides_named("2016年黔东南州户籍人口是多少？") == {"户籍"}
    question = "2023年末周口市60周岁及以上常住人口有多少万人？"
    whole = _population("866.60万人", "常住人口", 0.3, 0).fact
    terms = KeyTerms((KeyTerm(("常住",), 4.0, True), KeyTerm(("人口",), 2.0, True)))
    failed = check_fact(whole, 1, wanted_by(question, Period(2023, 2023)), terms,
                        contrast=Contrast(question=normalise(question))).failed
    assert "indicator" in failed
    asked_whole = "2023年末周口市常住人口有多少万人？"
    assert "indicator" not in check_fact(whole, 1, wanted_by(asked_whole, Period(2023, 2023)), terms,
                                         contrast=Contrast(question=normalise(asked_whole))).failed


def test_a_national_deficit_asked_is_the_whole_not_the_central_governments_share():
    from dataclasses import replace

    from qa.card import FactCheck, Judged, pick_from, sides_named, wanted_by
    from qa.periods import Period

    assert sides_named("中央财政赤字") == {"中央"} and sides_named("地方财政赤字") == {"地方"}
    assert "中央" in sides_named("How much did the central government spend on education?", english=True)
    whole = _population("10500亿元", "财政赤字", 0.8, 0).fact
    central = replace(whole, start=20, end=26, text="8500亿元", value=8.5e11, indicator="中央财政赤字", head="中央财政赤字")
    checks = (FactCheck(central, 1, (), 0.8), FactCheck(whole, 1, (), 0.8))
    wants = wanted_by("2010年全国财政赤字拟安排多少？", Period(2010, 2010))
    assert pick_from(Judged(checks, checks, frozenset({(1, central.start)}), 1), wants).fact.text == "10500亿元"
    wants_central = wanted_by("2010年中央财政赤字拟安排多少？", Period(2010, 2010))
    assert pick_from(Judged(checks, checks, frozenset(), 1), wants_central).fact.text == "8500亿元"


def test_a_kind_of_the_scoped_figure_s_thing_does_not_stand_in_for_the_whole():
    from dataclasses import replace

    from qa.card import FactCheck, Judged, pick_from, wanted_by
    from qa.periods import Period

    above_size = replace(_fact("5.0%", "规模以上工业增加值", "%", "percent", "change", "周口市", 2023, 2023),
                         head="工业增加值", qualifiers=("规模以上",))
    heavy = replace(_fact("11.2%", "重工业增加值", "%", "percent", "change", "周口市", 2023, 2023), start=20, end=25)
    checks = (FactCheck(heavy, 1, (), 1.0), FactCheck(above_size, 1, (), 1.0))
    wants = wanted_by("周口市2023年工业增加值增长多少？", Period(2023, 2023))
    assert pick_from(Judged(checks, checks, frozenset(), 1), wants).fact.text == "5.0%"
    whole = replace(heavy, text="6.1%", indicator="工业增加值", head="工业增加值")  # an unscoped whole still wins
    checks = (FactCheck(whole, 1, (), 1.0), FactCheck(above_size, 1, (), 1.0))
    assert pick_from(Judged(checks, checks, frozenset(), 1), wants).fact.text == "6.1%"


def test_the_whole_of_a_pair_asked_is_not_answered_by_one_side_of_it():
    from qa.card import Contrast, check_fact, wanted_by
    from qa.confidence import KeyTerms
    from qa.periods import Period

    exports = _fact("6.8%", "出口", "%", "percent", "change", "全国", 2001, 2001)
    context = "外贸进出口总额突破5000亿美元，其中出口2662亿美元，增长6.8%"
    for question, contrast in (("2001年全国外贸进出口增长多少？", Contrast(question="2001年全国外贸进出口增长多少？")),
                               ("How much did China's foreign trade grow in 2001?", Contrast(glossed="进出口总额外贸进出口"))):
        wants = wanted_by(question, Period(2001, 2001))
        assert "indicator" in check_fact(exports, 1, wants, KeyTerms(()), context=context, contrast=contrast).failed
    # one side asked, in words that also name the whole: the side answers
    question = "What export target did Gaoyang County set for its total foreign-trade exports in 2017?"
    wants = wanted_by(question, Period(2017, 2017))
    assert "indicator" not in check_fact(exports, 1, wants, KeyTerms(()), context="出口增长6.8%",
                                         contrast=Contrast(glossed="进出口总额出口")).failed


def test_an_english_question_s_indicator_is_not_answered_by_another_thing_measured():
    from qa.card import Contrast, _another_known_indicator

    revenue = _fact("5.13万亿元", "财政收入", "元", "money", "level", "全国", 2007, 2007)
    assert _another_known_indicator(revenue, Contrast(glossed="财政赤字赤字"))
    # the glossary's "total fiscal revenue" is 财政总收入: a revenue still, not another thing
    assert not _another_known_indicator(revenue, Contrast(glossed="财政总收入全部财政收入"))


def test_a_figure_set_as_a_standard_is_not_a_measurement():
    from dataclasses import replace

    from qa.card import Source, judge_facts, wanted_by
    from qa.confidence import KeyTerms
    from qa.periods import Period

    text = "中央决定将农民人均纯收入2300元（2010年不变价）作为新的国家扶贫标准，这比2009年提高了92%。"
    line = _fact("2300元", "农民人均纯收入", "元", "money", "level", "全国", 2011, 2011)
    line = replace(line, start=text.index("2300元"), end=text.index("2300元") + 5, qualifiers=("人均",))
    candidates = [(1, (line,), None, Source(national=True), text)]
    asked_income = judge_facts(candidates, wanted_by("2011年农民人均纯收入是多少？", Period(2011, 2011)), KeyTerms(()))
    assert not asked_income.agreeing
    asked_line = judge_facts(candidates, wanted_by("2011年的国家扶贫标准是农民人均纯收入多少？", Period(2011, 2011)),
                             KeyTerms(()))
    assert asked_line.agreeing


def test_what_a_five_year_span_added_up_is_not_its_last_year_s_figure_but_the_level_it_reached_is():
    from qa.card import _period_agrees, wanted_by
    from qa.periods import Period

    wants = wanted_by("云南2025年城镇新增就业多少人？", Period(2025, 2025))
    added = _fact("261.6万人", "城镇新增就业", "人", "count", "count", "云南省", 2021, 2025)
    assert not _period_agrees(added, wants)
    reached = _fact("1.5万亿元", "地区生产总值", "元", "money", "level", "云南省", 2021, 2025)
    assert _period_agrees(reached, wanted_by("云南2025年地区生产总值是多少？", Period(2025, 2025)))


def test_an_index_of_pollution_names_no_price():
    from qa.card import check_fact, wanted_by
    from qa.confidence import KeyTerms
    from qa.periods import Period

    wants = wanted_by("What was the CPI increase in Xushui District in 2018?", Period(2018, 2018))
    pollution = _fact("5.22%", "综合污染指数", "%", "percent", "change", "徐水区", 2018, 2018)
    context = "2018年，我区综合污染指数为7.26，同比降低5.22%"
    assert "indicator" in check_fact(pollution, 1, wants, KeyTerms(()), context=context).failed
    prices = _fact("1.5%", "居民消费价格指数", "%", "percent", "change", "徐水区", 2018, 2018)
    assert "indicator" not in check_fact(prices, 1, wants, KeyTerms(()), context="居民消费价格指数上涨1.5%").failed


def test_meaning_does_not_choose_between_figures_of_one_clause():
    from qa.card import FactCheck, Judged, Wanted, pick_by_meaning
    from qa.facts import Fact
    from qa.periods import Period

    text = "主要污染物化学需氧量和二氧化硫排放量分别减少8%和4%。"
    def fact(figure, head):
        start = text.index(figure)
        return Fact(start=start, end=start + len(figure), text=figure, value=float(figure[:-1]), unit="%",
                    kind="percent", indicator=head, head=head, measure="change", qualifiers=(), period_first=2009,
                    period_last=2009, part=None, stance="target", place="保定市")
    checks = (FactCheck(fact("8%", "主要污染物化学需氧量"), 1, ("indicator",), 0.1),
              FactCheck(fact("4%", "二氧化硫排放量"), 1, ("indicator",), 0.0))
    judged = Judged(checks, (), frozenset(), 1)
    wants = Wanted(kinds=frozenset({"percent"}), unit="%", measure="change", per_person=False, above_size=False,
                   national=False, places=frozenset(), period=Period(2009, 2009), target=True)
    assert pick_by_meaning(judged, {1: text}, wants, lambda clauses: [0.95] * len(clauses)) is None
    single = Judged(checks[:1], (), frozenset(), 1)
    assert pick_by_meaning(single, {1: text}, wants, lambda clauses: [0.95] * len(clauses)) is not None


def test_meaning_never_takes_another_known_indicator_that_names_nothing_asked():
    from qa.card import Contrast, FactCheck, Judged, Wanted, pick_by_meaning
    from qa.facts import Fact
    from qa.periods import Period

    text = "全省地区生产总值达到1.3万亿元、增长5.8%。"
    start = text.index("5.8%")
    gdp = Fact(start=start, end=start + 4, text="5.8%", value=5.8, unit="%", kind="percent", indicator="地区生产总值",
               head="地区生产总值", measure="change", qualifiers=(), period_first=2024, period_last=2024, part=None,
               stance="result", place="甘肃省")
    wants = Wanted(kinds=frozenset({"percent"}), unit="%", measure="change", per_person=False, above_size=False,
                   national=False, places=frozenset(), period=Period(2024, 2024), target=None)
    close = lambda clauses: [0.95] * len(clauses)
    prices = Contrast(question="2024年甘肃省居民消费价格实际涨了多少?")
    unnamed = Judged((FactCheck(gdp, 1, ("indicator",), 0.0),), (), frozenset(), 1)
    assert pick_by_meaning(unnamed, {1: text}, wants, close, prices) is None
    partly = Judged((FactCheck(gdp, 1, ("indicator",), 0.2),), (), frozenset(), 1)
    assert pick_by_meaning(partly, {1: text}, wants, close, prices) is not None


def test_the_card_shows_a_fall_with_its_figure_and_asks_how_much_raised_as_a_change():
    from qa.card import wanted_by
    from qa.periods import Period
    from qa.vocabulary import fall_before, without_fall

    text = "全年全市房地产开发投资下降24.4%。商品房销售面积增长8.4%。"
    assert fall_before(text, text.index("24.4")) == "下降"
    assert fall_before(text, text.index("8.4%")) == ""
    assert without_fall("减少了3.2万吨") == "3.2万吨"
    assert wanted_by("2026年吉林打算把农村低保标准提高多少？", Period(2026, 2026, plan=True)).measure == "change"
    assert wanted_by("2026年吉林打算把农村低保标准提高到多少？", Period(2026, 2026, plan=True)).measure is None


def test_a_yield_per_mu_does_not_answer_for_the_output_asked():
    from qa.card import check_fact, wanted_by
    from qa.confidence import KeyTerm, KeyTerms
    from qa.facts import Fact
    from qa.periods import Period

    yield_per_mu = Fact(start=0, end=5, text="1050斤", value=525.0, unit="克", kind="weight", indicator="粮食单产",
                        head="粮食单产", measure="level", qualifiers=(), period_first=2024, period_last=2024, part=None,
                        stance="result", place="新疆维吾尔自治区")
    terms = KeyTerms((KeyTerm(("粮食",), 3.0, True),))
    output = check_fact(yield_per_mu, 1, wanted_by("2024年新疆粮食产量是多少？", Period(2024, 2024)), terms)
    assert "qualifier" in output.failed
    asked = check_fact(yield_per_mu, 1, wanted_by("2024年新疆粮食单产是多少？", Period(2024, 2024)), terms)
    assert "qualifier" not in asked.failed


def test_a_word_no_report_uses_does_not_lower_a_facts_coverage():
    from qa.card import indicator_coverage
    from qa.confidence import KeyTerm, KeyTerms

    fact = _population("25家", "出口创汇企业", 0.0, 0).fact
    known = (KeyTerm(("出口",), 6.0, True), KeyTerm(("外汇",), 5.8, True), KeyTerm(("企业",), 1.7, True))
    assert indicator_coverage(fact, KeyTerms(known + (KeyTerm(("挣回",), 8.9, False),))) == \
        indicator_coverage(fact, KeyTerms(known))
    assert indicator_coverage(fact, KeyTerms(known + (KeyTerm(("农产品",), 8.9, True),))) < \
        indicator_coverage(fact, KeyTerms(known))


def test_a_thing_counted_in_the_question_is_not_answered_by_a_figure_counting_something_else():
    from dataclasses import replace

    from qa.card import FactCheck, Judged, pick_from, wanted_by
    from qa.periods import Period

    question = "2021年二七区抽调干部组建了多少个工作组？"
    wants = wanted_by(question, Period(2021, 2021))
    assert wants.counted == "工作组"
    units = replace(_population("26个", "全区…单位抽调干部", 0.8, 0).fact, unit="个")
    groups = replace(_population("15个", "组建…工作组", 0.2, 30).fact, unit="个")
    checks = (FactCheck(units, 1, (), 0.8), FactCheck(groups, 1, (), 0.2))
    assert pick_from(Judged(checks, checks, frozenset({(1, 0)}), 1), wants).fact.text == "15个"
    assert wanted_by("2021年二七区有多少家企业？", Period(2021, 2021)).counted == "企业"


def test_cheaper_or_dearer_than_the_year_before_asks_for_a_change():
    from qa.card import wanted_by
    from qa.periods import Period

    assert wanted_by("2023年周口市买新鲜蔬菜比前一年便宜了多少？", Period(2023, 2023)).measure == "change"
    assert wanted_by("2023年周口市猪肉比去年贵了多少？", Period(2023, 2023)).measure == "change"


def _fact(text, indicator, unit, kind, measure, place="重庆市", first=2025, last=2025):
    from qa.facts import Fact

    return Fact(start=0, end=len(text), text=text, value=1.0, unit=unit, kind=kind, indicator=indicator,
                head=indicator, measure=measure, qualifiers=(), period_first=first, period_last=last, part=None,
                stance="result", place=place)


def test_a_rise_in_percent_answers_a_question_of_how_much_a_count_rose_unless_points_are_asked():
    from qa.card import _kind_agrees, _measure_agrees, wanted_by
    from qa.periods import Period

    rise = _fact("68.2%", "入境旅游人次", "%", "percent", "change")
    wants = wanted_by("2025年从境外来重庆旅游的人次比上年涨了多少？", Period(2025, 2025))
    assert _kind_agrees(rise, wants) and _measure_agrees(rise, wants)
    for question in ("2016年出厂价比上一年变了多少？", "重庆造的新能源车产量翻了多少倍？", "投资比上一年多了百分之几？"):
        assert wanted_by(question, Period(2016, 2016)).measure == "change"
    points = wanted_by("2008年保定市生产总值增速高于全省平均水平多少个百分点？", Period(2008, 2008))
    assert not _kind_agrees(_fact("11.7%", "生产总值", "%", "percent", "change", "保定市", 2008, 2008), points)


def test_children_counted_with_ge_are_people_and_what_a_year_added_answers_what_is_new():
    from qa.card import _kind_agrees, _measure_agrees, wanted_by
    from qa.periods import Period

    births = _fact("7.40万人", "出生人口", "人", "count", "count", "周口市", 2023, 2023)
    assert _kind_agrees(births, wanted_by("2023年周口市一年里新添了多少个娃娃？", Period(2023, 2023)))
    financing = _fact("1550亿元", "社会融资规模新增", "元", "money", "change", "海南省", 2024, 2024)
    assert _measure_agrees(financing, wanted_by("2024年海南给实体经济新融到了多少钱？", Period(2024, 2024)))
    assert not _measure_agrees(financing, wanted_by("2024年海南社会融资规模存量是多少？", Period(2024, 2024)))


def test_a_piece_the_tokenizer_cuts_from_an_asked_word_is_no_unasked_word():
    from qa.card import Contrast

    contrast = Contrast(frozenset({"粮食", "产量", "粮食产量"}), {"总产": 4.3, "单产": 5.0})
    assert contrast.unasked(_fact("76.28亿斤", "粮食总产量", "斤", "weight", "level")) == 0.0
    assert contrast.unasked(_fact("1050斤", "粮食单产", "斤", "weight", "level")) == 5.0


def test_a_change_over_a_plan_counted_from_the_year_before_it_is_the_plan_s():
    from qa.card import _period_agrees, wanted_by
    from qa.periods import question_period

    question = "What was Erqi District's average annual GDP growth rate during the 13th Five-Year Plan period?"
    wants = wanted_by(question, question_period(question, 2026))
    assert _period_agrees(_fact("7.3%", "年均增速", "%", "percent", "change", "二七区", 2015, 2020), wants)
    assert not _period_agrees(_fact("773亿元", "地区生产总值", "元", "money", "level", "二七区", 2015, 2020), wants)


def test_a_city_named_inside_its_province_is_answered_by_the_province_s_report_naming_it():
    from qa.card import Source, _place_agrees, wanted_by
    from qa.periods import Period
    from qa.placing import place_bases

    wants = wanted_by("2025年吉林省长春市成功获得第几届世界大冬会举办权？", Period(2025, 2025))
    province = Source(places=frozenset({"吉林"}))
    assert _place_agrees(_fact("第33", "长春市成功获得…届世界大冬会举办", "", "rank", "rank", "吉林省"), wants, province)
    assert not _place_agrees(_fact("第12", "世界运动会", "", "rank", "rank", "吉林省"), wants, province)
    assert not place_bases("2006年新型农村合作医疗试点范围实际扩大到多少个县（市、区）？")
    assert not place_bases("2001年末全国城市居民最低生活保障的覆盖人数是多少？")  # 全国 and 城市, no city 国城


def test_places_in_brackets_beside_another_place_lie_around_it_and_the_place_itself_is_asked():
    from qa.card import Source, _place_agrees, wanted_by
    from qa.periods import Period
    from qa.placing import places_in_asides

    index_places = frozenset({"清苑县", "保定市", "黔东南苗族侗族自治州"})
    assert places_in_asides("What GDP level did Qingyuan County (Baoding, Hebei) target for 2005?", index_places) == \
        {"保定", "河北"}
    assert places_in_asides("What was the total highway length of Qiandongnan Prefecture (Guizhou) in 2016?",
                            index_places) == {"贵州"}
    assert not places_in_asides("How many tourist visits did Liping County (黎平县) receive in 2016?", index_places)
    wants = wanted_by("What GDP level did Qingyuan County (Baoding, Hebei) target for 2005?", Period(2005, 2005),
                      frozenset({"清苑县", "保定市"}))
    assert wants.places == {"清苑"}
    target = _fact("43.5亿元", "生产总值", "元", "money", "level", "清苑县")
    assert _place_agrees(target, wants, Source(places=frozenset({"清苑"})))
    assert not _place_agrees(target, wants, Source(places=frozenset({"保定"})))


def test_newly_added_is_a_count_of_additions_not_a_change():
    from qa.card import wanted_by
    from qa.periods import Period

    assert wanted_by("2003年全国城里新增加了多少人找到工作？", Period(2003, 2003)).measure is None
    assert wanted_by("2003年全国城镇就业人数增加了多少？", Period(2003, 2003)).measure == "change"


def test_a_figure_with_no_indicator_of_its_own_answers_only_when_its_words_hold_every_key_term():
    from qa.card import check_fact, wanted_by
    from qa.confidence import KeyTerm, KeyTerms
    from qa.periods import Period

    context = "创新产业就业扶贫举措。2018年度实现脱贫退出495户963人"  # 963人 follows 495户: it has no name of its own
    people = _fact("963人", "", "人", "count", "count", "徐水区", 2018, 2018)
    jobs = KeyTerms((KeyTerm(("城镇",), 2.5, True), KeyTerm(("新增",), 2.0, True), KeyTerm(("就业",), 2.6, True)))
    wants = wanted_by("徐水区2018年城镇新增就业多少人？", Period(2018, 2018), frozenset({"徐水区"}))
    assert "indicator" in check_fact(people, 1, wants, jobs, context=context).failed
    poverty = KeyTerms((KeyTerm(("脱贫",), 4.0, True),))
    wants = wanted_by("徐水区2018年脱贫退出多少人？", Period(2018, 2018), frozenset({"徐水区"}))
    assert "indicator" not in check_fact(people, 1, wants, poverty, context=context).failed


def test_what_households_earn_is_not_answered_by_a_government_s_or_a_trade_s_revenue():
    from qa.card import Contrast, check_fact, wanted_by
    from qa.confidence import KeyTerms
    from qa.periods import Period

    tax = _fact("2.3%", "财税收入", "%", "percent", "change", "黔东南苗族侗族自治州", 2016, 2016)
    for question in ("黔东南州2016年老百姓收入涨了多少？", "How much did residents' disposable income grow in 2016?"):
        wants = wanted_by(question, Period(2016, 2016))
        contrast = Contrast(question="" if question.isascii() else question)
        assert "indicator" in check_fact(tax, 1, wants, KeyTerms(()), context="财税收入增长2.3%",
                                         contrast=contrast).failed, question
    wants = wanted_by("2016年黔东南州财税收入增长多少？", Period(2016, 2016))
    assert "indicator" not in check_fact(tax, 1, wants, KeyTerms(()), context="财税收入增长2.3%",
                                         contrast=Contrast(question="2016年黔东南州财税收入增长多少？")).failed


def test_prices_asked_are_answered_only_by_a_figure_that_names_a_price():
    from qa.card import check_fact, wanted_by
    from qa.confidence import KeyTerms
    from qa.periods import Period

    for question in ("How much did consumer prices rise in Liaoning in 2025?", "2025年辽宁物价涨了多少？"):
        wants = wanted_by(question, Period(2025, 2025))
        retail = _fact("1.4%", "社会消费品零售总额", "%", "percent", "change", "辽宁省")
        assert "indicator" in check_fact(retail, 1, wants, KeyTerms(()), context="社会消费品零售总额增长1.4%").failed
        prices = _fact("0.3%", "居民消费价格", "%", "percent", "change", "辽宁省")
        assert "indicator" not in check_fact(prices, 1, wants, KeyTerms(()), context="居民消费价格上涨0.3%").failed
    wants = wanted_by("2025年辽宁社会消费品零售总额增长多少？", Period(2025, 2025))
    assert "indicator" not in check_fact(retail, 1, wants, KeyTerms(()), context="社会消费品零售总额增长1.4%").failed


def test_an_average_over_years_is_no_years_change_and_a_ratio_to_gdp_is_not_gdp():
    from qa.card import check_fact, wanted_by
    from qa.confidence import KeyTerms
    from qa.facts import Fact
    from qa.periods import Period

    average = Fact(**{**_fact("10.6%", "国内生产总值", "%", "percent", "change", "全国", 2007, 2007).to_dict(),
                      "qualifiers": ("年均",)})
    one_year = wanted_by("2007年国内生产总值增长多少？", Period(2007, 2007))
    assert "qualifier" in check_fact(average, 1, one_year, KeyTerms(())).failed
    over_years = wanted_by("2003—2007年国内生产总值年均增长多少？", Period(2003, 2007))
    added_up = _fact("65.5%", "国内生产总值", "%", "percent", "change", "全国", 2003, 2007)
    assert "qualifier" in check_fact(added_up, 1, over_years, KeyTerms(())).failed
    intensity = _fact("下降3.27%", "单位国内生产总值能耗", "%", "percent", "change", "全国", 2007, 2007)
    assert "indicator" in check_fact(intensity, 1, one_year, KeyTerms(())).failed
    asked = wanted_by("2007年单位国内生产总值能耗下降多少？", Period(2007, 2007))
    assert "indicator" not in check_fact(intensity, 1, asked, KeyTerms(())).failed


def test_residents_asked_without_town_or_country_are_not_answered_by_one_of_them():
    from qa.card import check_fact, wanted_by
    from qa.confidence import KeyTerms
    from qa.periods import Period

    rural = _fact("突破2万元", "脱贫地区农村居民人均可支配收入", "元", "money", "level", "安徽省")
    whole = _fact("39545元", "全体居民人均可支配收入", "元", "money", "level", "安徽省")
    for question in ("What was the per capita disposable income of Anhui residents in 2025?", "2025年安徽居民人均可支配收入是多少？"):
        wants = wanted_by(question, Period(2025, 2025))
        assert "indicator" in check_fact(rural, 1, wants, KeyTerms(())).failed
        assert "indicator" not in check_fact(whole, 1, wants, KeyTerms(())).failed
    for question in ("2025年安徽农村居民人均可支配收入是多少？", "2025年安徽城里居民和农村居民收入各是多少？"):
        assert "indicator" not in check_fact(rural, 1, wanted_by(question, Period(2025, 2025)), KeyTerms(())).failed


def test_a_population_asked_is_answered_by_a_population_not_by_a_part_a_ratio_or_a_flow():
    from qa.card import Contrast, check_fact, wanted_by
    from qa.confidence import KeyTerms
    from qa.periods import Period

    def failed(question, fact, context=""):
        wants = wanted_by(question, Period(2025, 2025))
        contrast = Contrast(question="" if question.isascii() else question,
                            glossed="常住人口人口" if question.isascii() else "")
        return check_fact(fact, 1, wants, KeyTerms(()), context=context or fact.text, contrast=contrast).failed

    residents = _fact("732万人", "年末常住人口", "人", "count", "count", "宁夏回族自治区")
    ratio = _fact("19.2人", "每万城镇常住人口拥有社区工作者", "人", "count", "count")
    inflow = _fact("4.5万人", "常住人口省际净流入", "人", "count", "count", "辽宁省")
    poor = _fact("5.1万", "帮助…贫困人口", "人", "count", "count", "保定市", 2008, 2008)
    for question in ("2025年底一共住着多少人？", "2025年常住人口是多少？", "How many people lived there at the end of 2025?"):
        assert "indicator" not in failed(question, residents), question
        for other in (ratio, inflow, poor):
            assert "indicator" in failed(question, other), (question, other.indicator)
    assert "indicator" not in failed("2025年帮助多少贫困人口脱贫？", poor)


def test_what_was_built_in_a_year_is_not_the_length_of_the_whole_network():
    from qa.card import Contrast, check_fact, wanted_by
    from qa.confidence import KeyTerms
    from qa.periods import Period

    network = _fact("8667公里", "高速公路通车里程", "公里", "length", "level", "湖南省")
    built = _fact("60公里", "总里程", "公里", "length", "level", "徐水区", 2018, 2018)
    question = "湖南2025年新修了多少公里高速公路？"
    assert "indicator" in check_fact(network, 1, wanted_by(question, Period(2025, 2025)), KeyTerms(()),
                                     contrast=Contrast(question=question)).failed
    question = "2018年徐水区新修成的农村公路一共有多少公里？"  # the total of what was built
    assert "indicator" not in check_fact(built, 1, wanted_by(question, Period(2018, 2018)), KeyTerms(()),
                                         contrast=Contrast(question=question)).failed


def test_everyday_words_name_one_side_of_a_pair():
    from qa.card import sides_named

    assert sides_named("2000年全国城里人平均每人一年能自由支配的收入有多少？") >= {"城镇"}
    assert sides_named("2020年卖到国外的货值多少钱？") == {"出口"}
    assert sides_named("2012年国家财政一共收了多少钱？") == {"收入"}
    assert "收入" not in sides_named("2025年新疆地里一共收了多少吨棉花？")


def test_households_income_asked_in_everyday_words_is_not_a_government_s_revenue_nor_a_tax_threshold():
    from qa.card import Contrast, _revenue_for_household_income, wanted_by
    from qa.periods import Period

    question = "2024年保定市老百姓平均收入比上一年涨了多少？"
    wants, contrast = wanted_by(question, Period(2024, 2024)), Contrast(question=question)
    assert _revenue_for_household_income(_fact("3.9%", "地方一般公共预算收入", "%", "percent", "change", "保定市"),
                                         wants, contrast)
    question = "2011年起，工资每月超过多少钱才开始交个人所得税？"
    wants, contrast = wanted_by(question, Period(2011, 2011)), Contrast(question=question)
    assert not _revenue_for_household_income(_fact("3500元", "个人所得税起征点", "元", "money", "level", "全国"),
                                             wants, contrast)


def test_people_named_last_before_how_many_ask_for_persons_and_water_for_a_volume():
    from qa.answers import asked

    assert asked("2024年从境外来海南玩的游客有多少？").unit == "人"
    assert asked("2025年来旅游的人有多少？").unit == "人"
    assert asked("2024年游客花了多少钱？").kinds == {"money"}
    assert asked("2018年通过瀑河往白洋淀放了多少水？").kinds == {"volume", "weight"}


def test_what_residents_earn_per_person_is_money_and_not_gdp_per_person():
    from qa.answers import asked
    from qa.card import Contrast, _revenue_for_household_income, wanted_by
    from qa.periods import Period

    question = "How much did Shanxi's residents earn per person in 2025?"
    assert asked(question).kinds == {"money"} and asked("工厂里干活的人多挣了多少？").kinds == {"money"}
    gdp = _fact("7.4万元", "人均GDP", "元", "money", "level", "山西省")
    assert _revenue_for_household_income(gdp, wanted_by(question, Period(2025, 2025)), Contrast())
    asked_gdp = "What was Shanxi's per capita GDP in 2025?"
    assert not _revenue_for_household_income(gdp, wanted_by(asked_gdp, Period(2025, 2025)), Contrast())


def test_a_bare_number_after_the_people_it_counts_answers_how_many_people():
    from qa.card import _kind_agrees, wanted_by
    from qa.periods import Period

    wants = wanted_by("2024年从境外来海南玩的游客有多少？", Period(2024, 2024))
    assert _kind_agrees(_fact("111万", "入境游客", "万", "number", "level", "海南省"), wants)
    assert not _kind_agrees(_fact("77条", "举措", "条", "count", "count", "海南省"), wants)


def test_a_figure_describing_one_project_does_not_answer_for_the_whole_place():
    from qa.card import Source, judge_facts, wanted_by
    from qa.confidence import KeyTerm, KeyTerms
    from qa.periods import Period

    text = "补强路网短板。投资2.5亿元的朝阳大街北延项目基本具备通车条件。"
    start = text.index("2.5亿元")
    fact = replace(_fact("2.5亿元", "投资", "元", "money", "level", "徐水区", 2018, 2018), start=start,
                   end=start + len("2.5亿元"))
    terms = KeyTerms((KeyTerm(("投资",), 3.0, True),))
    for question, answers in (("2018年徐水区投资总额是多少？", False), ("2018年徐水区朝阳大街北延项目投资多少？", True)):
        wants = wanted_by(question, Period(2018, 2018), frozenset({"徐水区"}))
        judged = judge_facts([(1, (fact,), None, Source(places=frozenset({"徐水"})), text)], wants, terms)
        assert bool(judged.agreeing) == answers, question


def test_a_province_in_brackets_beside_a_city_is_where_not_what_a_figure_measures():
    from qa.card import check_fact, wanted_by
    from qa.confidence import KeyTerm, KeyTerms
    from qa.periods import Period

    question = "How many new 5G base stations were switched on in Zhoukou (Henan) in 2023?"
    wants = wanted_by(question, Period(2023, 2023), frozenset({"周口市"}))
    terms = KeyTerms((KeyTerm(("5G", "5G基站"), 5.8, True), KeyTerm(("河南", "河南省"), 7.8, True)))
    firms = _fact("1家", "河南省服务型制造标杆企业", "家", "count", "count", "周口市", 2023, 2023)
    stations = _fact("2298个", "新开通5G基站", "个", "count", "count", "周口市", 2023, 2023)
    assert check_fact(firms, 1, wants, terms).coverage == 0.0
    assert check_fact(stations, 1, wants, terms).coverage == 1.0


def test_the_exports_of_one_kind_of_goods_are_not_all_exports():
    from qa.card import Contrast, _a_kind_of_trade_for_all_trade

    machines = _fact("25.1%", "机电产品出口", "%", "percent", "change", "云南省")
    new_three = _fact("23.8%", "“新三样”出口", "%", "percent", "change", "重庆市")
    all_exports = _fact("7.8％", "外贸出口", "%", "percent", "change", "天津市")
    for asked in (Contrast(question="云南2024年出口增长多少？"), Contrast(glossed="出口出口额")):
        assert _a_kind_of_trade_for_all_trade(machines, asked) and _a_kind_of_trade_for_all_trade(new_three, asked)
        assert not _a_kind_of_trade_for_all_trade(all_exports, asked)
    assert not _a_kind_of_trade_for_all_trade(machines, Contrast(question="云南2024年机电产品出口增长多少？"))


def test_an_amount_asked_in_all_is_not_a_share_and_a_place_s_name_asks_nothing_new():
    from qa.card import _measure_agrees, wanted_by
    from qa.periods import Period

    wants = wanted_by("天津2024年进出口一共多少？", Period(2024, 2024))
    assert wants.total and not _measure_agrees(_fact("45.5％", "外贸进出口总额占比", "%", "percent", "share", "天津市"),
                                               wants)
    assert not wanted_by("新疆2024年进出口一共多少？", Period(2024, 2024)).new
    assert wanted_by("2024年新疆新增了多少家企业？", Period(2024, 2024)).new
    assert not wanted_by("2024年新能源汽车产量是多少？", Period(2024, 2024)).new
