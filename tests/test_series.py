"""Series questions: one indicator across years or places, answered from the stored facts, every cell cited."""

import csv
import io
import json
import shutil

import pytest

from conftest import ROOT, HashEmbedder, run_qa
from qa.facts import Fact
from qa.series import (Series, SeriesCell, SeriesRow, answer_series, is_series_question, read_series_question,
                       series_for, table_rows, to_csv, to_markdown, to_xlsx)
from qa.series_evaluation import CellCounts, GoldCell, SeriesQuestion, load_series_gold, same_figure, score_question

CORPUS = ROOT / "corpus"
SMALL = ["national/gov_2011_national.txt", "national/gov_2012_national.txt", "national/gov_2013_national.txt",
         "national/gov_2014_national.txt", "provinces-2026-web/2026_山东省_政府工作报告.txt",
         "provinces-2026-web/2026_江苏省_政府工作报告.txt", "bulletins/2023年洛阳市国民经济和社会发展统计公报.txt"]


@pytest.fixture(scope="module")
def small_index(tmp_path_factory):
    """Four national reports (2011–2014), two provincial ones (2026) and a communiqué, indexed with a stand-in
    embedder (series answers read the stored facts, not the vectors)."""
    from qa.index import build_index, open_store

    folder = tmp_path_factory.mktemp("series")
    for name in SMALL:
        (folder / "reports" / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(CORPUS / name, folder / "reports" / name)
    build_index(folder / "reports", folder / "index", HashEmbedder())
    return folder / "index", open_store(folder / "index")


def cells_of(series: Series) -> dict:
    return {(cell.place, cell.year, cell.stance if cell.stance != "estimate" else "result"): cell
            for cell in series.cells()}


def test_a_run_of_years_or_places_is_a_series_and_a_single_figure_question_is_not():
    assert is_series_question("2015—2024年城镇新增就业")
    assert is_series_question("2015年以来国内生产总值增速")
    assert is_series_question("各省2025年地区生产总值增长目标")
    assert is_series_question("How has the registered urban unemployment rate changed since 2018?")
    assert is_series_question("GDP growth targets of the provinces for 2026")
    assert not is_series_question("2012年国内生产总值增长多少")
    assert not is_series_question("What was GDP growth in 2012?")


def test_the_question_gives_the_indicator_the_years_the_places_and_the_stance():
    ask = read_series_question("2005—2013年居民消费价格涨幅目标")
    assert (ask.first, ask.last, ask.stances) == (2005, 2013, ("target",))
    assert "居民消费价格" in ask.variants and not ask.places and not ask.every_place
    english = read_series_question("GDP growth targets of the provinces for 2026")
    assert english.every_place and english.growth and (english.first, english.last) == (2026, 2026)
    assert "地区生产总值" in english.variants and english.stances == ("target",)
    since = read_series_question("How has the registered urban unemployment rate changed since 2005?")
    assert since.indicator == "城镇登记失业率" and (since.first, since.last) == (2005, None)
    assert since.stances == ("result", "target")
    assert read_series_question("hello world since 2005") is None


def test_a_years_result_comes_from_the_report_that_reviews_it_and_its_target_from_its_own(small_index):
    _, store = small_index
    series = series_for(store, "2010—2013年国内生产总值增速")
    cells = cells_of(series)
    assert series.by == "year" and series.unit == "%"
    assert cells[("全国", 2012, "result")].text == "7.8%"
    assert cells[("全国", 2012, "result")].source == "national/gov_2013_national.txt"
    assert cells[("全国", 2012, "target")].text == "7.5％"
    assert cells[("全国", 2012, "target")].source == "national/gov_2012_national.txt"
    assert cells[("全国", 2013, "result")].text == "7.7%" and cells[("全国", 2013, "result")].value == 7.7
    assert all(cell.reference and cell.passage_id for cell in series.cells() if cell.stated)


def test_a_year_no_report_states_is_an_empty_cell_not_a_guess(small_index):
    _, store = small_index
    cells = cells_of(series_for(store, "2008—2012年国内生产总值增速"))
    assert not cells[("全国", 2008, "result")].stated  # its reviewing report (2009) is not in this index
    assert cells[("全国", 2008, "result")].value is None
    assert not cells[("全国", 2009, "target")].stated
    assert cells[("全国", 2011, "result")].text == "9.2％"


def test_years_the_reports_do_not_reach_are_empty_and_a_notice_says_which_years_they_state(small_index):
    _, store = small_index
    series = series_for(store, "2020年以来国内生产总值增速")
    assert series.rows and not series.found
    assert any("not for the years asked" in notice.text("en") for notice in series.notices)
    assert any("不是所问的年份" in notice.text("zh") for notice in series.notices)


def test_values_are_normalised_to_the_series_unit_with_the_figure_as_written_kept(small_index):
    _, store = small_index
    series = series_for(store, "2010—2013年城镇新增就业实际完成情况")
    assert series.unit == "万人"
    cell = cells_of(series)[("全国", 2012, "result")]
    assert (cell.text, cell.value) == ("1266万人", 1266.0)


def test_the_provinces_of_the_index_are_rows_of_a_cross_section(small_index):
    _, store = small_index
    series = series_for(store, "GDP growth targets of the provinces for 2026")
    assert series.by == "place"
    assert [row.place for row in series.rows] == ["山东省", "江苏省"]
    cells = cells_of(series)
    assert cells[("山东省", 2026, "target")].text == "5%以上"
    assert ("江苏省", 2026, "target") in cells  # a row for every provincial report, stated or not
    assert all(row.result is None for row in series.rows)  # only targets were asked


def test_a_communique_states_the_figures_of_its_own_year(small_index):
    _, store = small_index
    cell = cells_of(series_for(store, "洛阳市2021—2023年一般公共预算收入"))[("洛阳市", 2023, "result")]
    assert cell.text == "404.3亿元" and cell.source.startswith("bulletins/")


class FakeStore:
    """Stored facts of invented passages, for the rules that need two reports to disagree."""

    def __init__(self, passages):
        from qa.metadata import DocumentInfo

        self.passages = passages  # (source, text, facts)
        self.documents = {"a.txt": DocumentInfo(title="2013年政府工作报告", place="全国", year=2013, reviews=2012),
                          "b.txt": DocumentInfo(title="2014年政府工作报告", place="全国", year=2014, reviews=2013)}

    def __len__(self):
        return len(self.passages)

    def facts(self, position):
        return self.passages[position][2]

    def text(self, position):
        return self.passages[position][1]

    def passage(self, position):
        from types import SimpleNamespace

        source, text, _ = self.passages[position]
        return SimpleNamespace(source=source, id=f"{source}:{position}", text=text, title="", section="", where="",
                               ocr=False, start=0, end=len(text))


def level(text, value, year, start=0):
    return Fact(start=start, end=start + len(text), text=text, value=value, unit="元", kind="money",
                indicator="财政收入", head="财政收入", measure="level", qualifiers=(), period_first=year,
                period_last=year, part=None, stance="result", place="全国")


def cite(position):
    return f"p{position}", f"reference {position}", "quote"


def test_two_reports_that_differ_are_both_shown_and_rounding_is_no_difference():
    ask = read_series_question("2012年以来全国财政收入实际完成情况")
    rounded = FakeStore([("a.txt", "财政收入11.7万亿元", (level("11.7万亿元", 11.7e12, 2012),)),
                         ("b.txt", "财政收入11.72万亿元", (level("11.72万亿元", 11.72e12, 2012),))])
    cell = cells_of(answer_series(rounded, ask, cite))[("全国", 2012, "result")]
    assert cell.text == "11.7万亿元" and cell.differs == ()
    differing = FakeStore([("a.txt", "财政收入11.7万亿元", (level("11.7万亿元", 11.7e12, 2012),)),
                           ("b.txt", "财政收入11.9万亿元", (level("11.9万亿元", 11.9e12, 2012),))])
    cell = cells_of(answer_series(differing, ask, cite))[("全国", 2012, "result")]
    assert cell.text == "11.7万亿元"  # the report that reviews 2012 comes first
    assert [other.text for other in cell.differs] == ["11.9万亿元"]
    assert cell.to_dict()["differs"][0]["reference"] == "reference 1"


def test_the_json_the_command_prints_has_the_issue_shape(small_index):
    index, _ = small_index
    result = run_qa("series", "2011—2013年国内生产总值增速", "--json", "--index", index)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"question", "indicator", "unit", "rows", "notices"}
    assert {"place", "year", "stance", "value", "text", "passage_id", "reference", "differs"} <= set(data["rows"][0])
    stated = [row for row in data["rows"] if row["text"]]
    assert {row["stance"] for row in stated} == {"result", "target"}
    result = run_qa("series", "2011—2013年国内生产总值增速", "--stance", "target", "--format", "csv", "--index", index)
    assert result.returncode == 0 and "7.5％" in result.stdout and "9.2％" not in result.stdout


def test_a_question_naming_no_indicator_is_refused_in_one_line(small_index):
    index, _ = small_index
    result = run_qa("series", "hello world since 2005", "--index", index)
    assert result.returncode == 1 and "Traceback" not in result.stderr and "indicator" in result.stderr


def sample_series() -> Series:
    stated = SeriesCell("全国", 2012, "result", "7.8%", 7.8, "national/gov_2013.txt:1-9", "《2013年政府工作报告》", "quote",
                        "national/gov_2013.txt",
                        (SeriesCell("全国", 2012, "result", "7.7%", 7.7, "x:1-2", "《另一报告》"),))
    return Series("2012—2013年国内生产总值增速", "国内生产总值增长", "%", "year",
                  (SeriesRow("全国", 2012, stated, SeriesCell("全国", 2012, "target", None)),))


def test_the_csv_starts_with_a_byte_order_mark_and_keeps_each_cells_reference():
    text = to_csv(sample_series())
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:4] == ["地区", "年份", "类别", "数值"]
    assert rows[1][5:7] == ["7.8%", "《2013年政府工作报告》"]
    assert rows[2][2].endswith("（另一报告）") and rows[2][5] == "7.7%"
    assert rows[3][5] == "未载明" and rows[3][3] == ""


def test_the_excel_workbook_opens_with_a_header_the_cells_and_their_references(tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "series.xlsx"
    to_xlsx(sample_series(), path)
    sheet = load_workbook(path).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:3] == ["地区", "年份", "类别"]
    assert rows[1][3] == 7.8 and rows[1][5] == "7.8%" and rows[1][6] == "《2013年政府工作报告》"
    assert rows[3][5] == "未载明"
    assert len(rows) == 1 + len(table_rows(sample_series()))


def test_the_markdown_table_marks_empty_and_differing_cells():
    text = to_markdown(sample_series())
    assert "| 2012 | 7.8% ≠ 7.7% | — |" in text


def test_a_figure_is_right_as_written_or_as_the_same_number_with_the_same_qualifier():
    assert same_figure("７．３％", "7.3%") and same_figure("5.0%", "5%")
    assert not same_figure("5%", "5%左右") and not same_figure("5%—5.5%", "5%")
    # a table's bare cell, shown with its column's unit
    assert same_figure("69.10亿元", "69.10") and not same_figure("69.105亿元", "69.10")
    assert not same_figure("69.10", "69.10亿元")
    assert same_figure("12.4万套", "12.4万套（间）") and not same_figure("12.4万套", "12.4万套以上")


def test_scoring_counts_a_figure_where_the_reports_state_nothing_against_precision_and_honesty():
    question = SeriesQuestion("s1", "q", "zh", "national", "national/x", "dev", (
        GoldCell("全国", 2012, "result", "7.8%", ("a.txt",)), GoldCell("全国", 2013, "result", None, ())))
    answer = Series("q", "x", "%", "year", (
        SeriesRow("全国", 2012, SeriesCell("全国", 2012, "result", "7.8%", 7.8, source="a.txt"), None),
        SeriesRow("全国", 2013, SeriesCell("全国", 2013, "result", "8%", 8.0, source="a.txt"), None)))
    counts = CellCounts()
    score_question(question, answer, counts)
    assert (counts.precision, counts.recall, counts.honesty, counts.filled_where_empty) == (0.5, 1.0, 0.0, 1)


def test_every_gold_series_cell_is_written_in_the_report_it_names():
    from qa.documents import read_document

    questions = load_series_gold(ROOT / "gold" / "series.jsonl")
    assert len(questions) >= 40
    assert sum(q.kind == "en" for q in questions) >= 10 and sum(q.group != "national" for q in questions) >= 10
    assert any(cell.text is None for q in questions for cell in q.cells)
    texts = {}
    for question in questions:
        for cell in question.cells:
            for doc in cell.docs:
                if doc not in texts:
                    texts[doc] = read_document(CORPUS / doc, CORPUS).text
                assert cell.text in texts[doc], (question.id, cell)


def test_the_chart_has_a_point_per_stated_cell_the_unit_on_its_axis_and_breaks_its_line_at_an_empty_year():
    from qa.series_view import chart_spec

    cells = [SeriesCell("全国", year, "result", f"{value}%", value, f"p{year}", f"ref {year}", "quote")
             for year, value in ((2010, 10.3), (2011, 9.2), (2013, 7.7))]
    rows = tuple(SeriesRow("全国", cell.year, cell, SeriesCell("全国", cell.year, "target", None)) for cell in cells)
    rows = rows[:2] + (SeriesRow("全国", 2012, SeriesCell("全国", 2012, "result", None), None),) + rows[2:]
    spec = chart_spec(Series("q", "国内生产总值增长", "%", "year", rows), "zh")
    points = spec["data"]["values"]
    assert [point["x"] for point in points] == ["2010", "2011", "2013"]
    assert spec["encoding"]["y"]["title"] == "%"
    assert spec["encoding"]["x"]["scale"]["domain"] == ["2010", "2011", "2012", "2013"]
    assert points[0]["run"] == points[1]["run"] != points[2]["run"]
    assert {"reference", "quote", "figure"} <= {item["field"] for item in spec["encoding"]["tooltip"]}


def test_where_a_change_went_is_the_level_of_the_year_it_reached(small_index):
    _, store = small_index
    cells = cells_of(series_for(store, "2011—2013年国内生产总值实际总量"))
    assert cells[("全国", 2011, "result")].text == "47.2万亿元"
    assert cells[("全国", 2012, "result")].text == "51.9万亿元"  # 从26.6万亿元增加到51.9万亿元, in the 2013 report
    assert cells[("全国", 2012, "result")].source == "national/gov_2013_national.txt"


def test_the_series_endpoint_says_what_is_wrong_instead_of_failing(small_index, tmp_path):
    from types import SimpleNamespace

    from qa.series_view import SeriesView

    _, store = small_index
    view = SeriesView(SimpleNamespace(searcher=SimpleNamespace(store=store)), warm=False)
    reply = view.api("2011—2013年国内生产总值增速", stance="target")
    assert {(row["year"], row["text"]) for row in reply["rows"]} == {(2011, "8%左右"), (2012, "7.5％"),
                                                                       (2013, "7.5%左右")}
    assert view.api("2011—2013年国内生产总值增速", stance="sideways", language="en")["notices"] == [
        "stance is result, target or both."]
    assert view.api("2011—2013年国内生产总值增速", stance="sideways")["notices"] == ["stance 应为 result、target 或 both。"]
    assert view.api("国内生产总值增速", years=["later"])["rows"] == []
    assert view.api("hello")["notices"] and view.api(None)["rows"] == []
    hidden = view.update("2012年国内生产总值增长多少")
    assert hidden[0]["visible"] is False


def test_years_named_one_by_one_are_the_rows_and_several_places_make_a_series():
    listed = read_series_question("2004年、2007年和2012年全国粮食产量")
    assert listed.years == (2004, 2007, 2012) and (listed.first, listed.last) == (2004, 2012)
    english = read_series_question("What was China's grain output in 2004, 2007 and 2012?")
    assert english.years == (2004, 2007, 2012)
    assert read_series_question("GDP growth between 2015 and 2020").years == ()  # a run, not a list
    assert is_series_question("2004年、2007年和2012年全国粮食产量")
    assert is_series_question("山东、河南和广东2025年粮食产量")
    assert not is_series_question("保定市清苑区2023年地区生产总值是多少")  # a district of the city: one place


def grain(text, value, unit, year):
    return Fact(start=0, end=len(text), text=text, value=value, unit=unit, kind="weight", indicator="粮食产量",
                head="粮食产量", measure="level", qualifiers=(), period_first=year, period_last=year, part=None,
                stance="result", place="全国")


def test_only_the_years_named_are_rows_and_a_figure_in_a_unit_that_converts_keeps_its_place():
    ask = read_series_question("2012年和2013年全国粮食产量")
    store = FakeStore([("a.txt", "粮食产量58957万吨", (grain("58957万吨", 5.8957e8, "吨", 2012),)),
                       ("b.txt", "粮食产量12042亿斤", (grain("12042亿斤", 1.2042e12, "斤", 2013),))])
    series = answer_series(store, ask, cite)
    assert [row.year for row in series.rows] == [2012, 2013]
    cells = cells_of(series)
    assert series.unit == "万吨" and cells[("全国", 2012, "result")].value == 58957
    converted = cells[("全国", 2013, "result")]
    assert converted.text == "12042亿斤" and converted.value == pytest.approx(60210)  # 1斤 = 0.5公斤


def test_results_and_targets_asked_together_are_both_columns_and_every_year_named_is_a_row():
    both = read_series_question("Baoding's new urban jobs in 2008, 2020 and 2024, and its targets for 2021 and 2025")
    assert both.stances == ("result", "target") and both.years == (2008, 2020, 2021, 2024, 2025)
    assert read_series_question("山东、湖南和辽宁2026年城镇新增就业目标").stances == ("target",)


def test_an_indicator_is_named_with_a_total_or_a_residents_qualifier_between_its_words():
    from qa.series import names_indicator

    grain, income = read_series_question("2004年和2006年全国粮食产量"), read_series_question("2024年和2025年城镇居民人均可支配收入")
    assert names_indicator(grain_fact("粮食总产量"), grain.variants)
    assert names_indicator(grain_fact("城镇常住居民可支配收入"), income.variants)
    assert not names_indicator(grain_fact("财政总收入"), read_series_question("2024年和2025年财政收入").variants)


def grain_fact(head):
    return Fact(start=0, end=4, text="1.5%", value=1.5, unit="%", kind="percent", indicator=head, head=head,
                measure="level", qualifiers=(), period_first=2024, period_last=2024, part=None, stance="result",
                place="")


def test_places_over_several_years_get_a_bar_per_year_and_column_and_bars_never_stack():
    from qa.series_view import chart_spec

    def stated(place, year, text, value):
        return SeriesCell(place, year, "result", text, value, "p", "ref", "quote", "a.txt")

    rows = tuple(SeriesRow(place, year, stated(place, year, f"{value}亿斤", value), None)
                 for place, year, value in (("安徽省", 2024, 836.9), ("安徽省", 2025, 838.6), ("山东省", 2024, 1142)))
    spec = chart_spec(Series("q", "粮食产量", "亿斤", "place", rows, ()), "zh")
    assert {point["stance"] for point in spec["data"]["values"]} == {"2024年实际", "2025年实际"}
    assert spec["encoding"]["y"]["stack"] is None and spec["encoding"]["xOffset"] == {"field": "stance"}
    assert spec["encoding"]["y"]["scale"]["zero"]  # a bar's length is its value
    assert spec["encoding"]["color"]["scale"]["domain"] == ["2024年实际", "2024年目标", "2025年实际", "2025年目标"]


def test_an_indicator_is_read_from_an_analysts_wording_not_from_the_places_or_punctuation_around_it():
    def indicator(question):
        return read_series_question(question).indicator

    assert indicator("Industrial output growth in 2024 in Shandong, Anhui and Inner Mongolia") == "规模以上工业增加值"
    assert indicator("Rural residents' per capita income in 2023 and 2024") == "农村居民人均可支配收入"
    assert indicator("宁夏、甘肃和海南城镇化率：2024年实际、2025年目标") == "城镇化率"
    assert indicator("山东和河南2024年和2025年GDP总量") == "gdp"  # read in normal form: the variants are 地区生产总值 …
    assert indicator("2000—2009年末国家外汇储备") == "国家外汇储备"
    assert read_series_question("内蒙古和吉林单位GDP能耗降低：2024年实际与2025年目标").growth
    assert read_series_question("新疆和宁夏2025年规上工业增加值增速及2026年增速目标").stances == ("result", "target")


def test_a_budgeted_amount_is_a_target_and_years_joined_by_and_are_named_one_by_one():
    budget = read_series_question("中央财政教育支出：2006年、2007年、2009年实际数以及2008年安排数")
    assert budget.stances == ("result", "target") and budget.years == (2006, 2007, 2008, 2009)
    jobs = read_series_question("Tianjin new urban jobs: 2024 and 2025 actual vs the 2025 and 2026 targets")
    assert jobs.years == (2024, 2025, 2026) and jobs.stances == ("result", "target")
    assert read_series_question("GDP growth between 2015 and 2020 in Hebei").years == ()  # a run, not two years


def test_an_english_phrase_holding_small_words_and_a_unit_in_brackets_names_the_indicator():
    trade = read_series_question("China's total value of imports and exports (in US dollars) in 2000, 2003 and 2004")
    assert trade.indicator == "进出口总额"
    assert read_series_question("PM2.5年均浓度：山西2024年、2025年实际值").indicator == "pm2.5年均浓度"  # in normal form
    # a share of one thing in another is of the first, never the whole it is a share of
    share = read_series_question("Share of livelihood spending in general public budget expenditure: Gansu in 2024")
    assert share.indicator == "民生支出"


def test_an_indicator_is_named_through_words_that_do_not_change_what_it_measures():
    from qa.series import names_indicator

    def named(head, question, unit="%"):
        fact = grain_fact(head)
        return names_indicator(Fact(**{**fact.to_dict(), "qualifiers": (), "unit": unit}),
                               read_series_question(question).variants)

    assert named("中央财政用于科技的支出", "中央财政科技支出：2006年和2009年", unit="元")
    assert named("空气质量优良天数比率", "2024年空气质量优良天数比例：吉林和安徽")
    assert named("空气质量优良天数", "2024年空气质量优良天数比例：吉林和安徽")  # a share named without its 比例
    assert not named("空气质量优良天数", "2024年空气质量优良天数比例：吉林和安徽", unit="天")
    assert named("高新技术企业", "高新技术企业数量：保定市2020年和2024年", unit="家")
    assert not named("全部财政收入", "一般预算收入：保定市2008年和2024年", unit="元")  # 全部 is another total


def test_a_question_asking_for_the_amount_is_not_answered_with_its_growth():
    from qa.series import StoredFact, _wanted

    growth = StoredFact(Fact(**{**grain_fact("第三产业增加值").to_dict(), "qualifiers": (), "measure": "change"}), 0,
                        "a.txt")
    assert _wanted(read_series_question("第三产业增加值（总量）：周口市2023年和洛阳市2023年"), [growth]).measure is None
    assert _wanted(read_series_question("第三产业增加值：周口市2023年和洛阳市2023年"), [growth]).measure == "change"


def test_a_place_asked_with_its_own_years_gets_rows_for_those_years_only():
    from qa.series import _place_years

    names = {"周口市": "周口市", "周口": "周口市", "保定市": "保定市", "保定": "保定市", "zhoukou": "周口市", "baoding": "保定市"}
    assert _place_years("人口自然增长率：周口市2023年实际，保定市2008年实际与2009年目标", ("周口市", "保定市"), names) == \
        (("保定市", 2008), ("保定市", 2009), ("周口市", 2023))
    assert _place_years("Tourist arrivals: Zhoukou in 2023 and Baoding in 2024", ("周口市", "保定市"), names) == \
        (("保定市", 2024), ("周口市", 2023))
    # places listed before their shared years, or years before the places: every place, every year
    assert _place_years("周口、保定2023年和2024年旅游收入", ("周口市", "保定市"), names) == ()
    assert _place_years("2023年周口市和保定市旅游收入", ("周口市", "保定市"), names) == ()


def test_a_name_with_an_aside_or_a_measure_after_it_is_read_as_the_thing_measured():
    assert read_series_question("市场（经营）主体总量：周口市2023年末，保定市2024年").variants[:2] == ("市场主体总量", "市场主体")
    tertiary = read_series_question("宁夏第三产业（三产）增加值增速：2024年、2025年实际")
    assert "三产增加值" in tertiary.variants and tertiary.growth
    assert read_series_question("人口自然增长率：周口市2023年、保定市2008年").indicator == "人口自然增长率"
    assert not read_series_question("人口自然增长率：周口市2023年、保定市2008年").growth
    assert read_series_question("Central government spending: 2004 and 2009") is None


def test_a_single_figure_is_found_by_its_indicators_name_for_the_year_and_place_asked(small_index):
    from qa.series import stated_for_question

    _, store = small_index
    cell = stated_for_question(store, "2012年国内生产总值增长多少？", 2012)
    assert cell.text == "7.8%" and cell.source == "national/gov_2013_national.txt" and cell.fact.text == "7.8%"
    assert stated_for_question(store, "2012年国内生产总值增长目标是多少？", 2012, target=True).text == "7.5％"
    assert stated_for_question(store, "2008年国内生产总值增长多少？", 2008) is None  # no report reviews 2008 here
    assert stated_for_question(store, "2012年国内有多少只大熊猫？", 2012) is None  # no indicator the glossary knows


def test_the_card_takes_a_figure_found_by_name_and_cites_its_passage_after_the_ranked_ones(small_index):
    from qa.answering import STATED_CONFIDENCE, _stated_by_name
    from qa.periods import Period
    from qa.search import Searcher

    folder, store = small_index
    searcher = Searcher(store, HashEmbedder())
    part = _stated_by_name(searcher, "2012年国内生产总值增长多少？", Period(2012, 2012), None, [], False, None)
    assert part.found and part.answer.text == "7.8%" and part.confidence == STATED_CONFIDENCE
    assert [result.rank for result in part.results] == [1] and part.results[0].answer.text == "7.8%"
    assert part.results[0].found_by_name  # not ranked: the page and the CLI say how it was found
    assert part.answer.passage_id == part.results[0].passage.id
    assert _stated_by_name(searcher, "2011—2012年国内生产总值增长多少？", Period(2011, 2012), None, [], False, None) is None


def test_the_character_pair_index_keeps_every_fact_that_names_the_indicator(small_index):
    from qa.series import facts_naming, named_form_length, stored_facts

    _, store = small_index
    for question in ("2010—2013年国内生产总值增速", "2011—2014年城镇新增就业", "2024年和2025年城镇化率"):
        variants = read_series_question(question).variants
        naming = {id(stored) for stored in stored_facts(store) if named_form_length(stored.fact, variants)}
        kept = facts_naming(store, variants)
        assert naming and naming <= {id(stored) for stored in kept} and len(kept) < len(stored_facts(store))


def test_beside_a_figure_found_by_name_the_ranked_passages_mark_no_answer_of_their_own(small_index):
    from qa.answering import _stated_by_name
    from qa.periods import Period
    from qa.search import Searcher

    _, store = small_index
    searcher = Searcher(store, HashEmbedder())
    ranked = searcher.search("2012年城镇新增就业多少人？", k=3)
    part = _stated_by_name(searcher, "2012年国内生产总值增长多少？", Period(2012, 2012), None, ranked, False, None)
    assert part.answer.text == "7.8%"
    assert [r.answer.text for r in part.results if r.answer is not None] == ["7.8%"]


def test_what_a_year_adds_is_no_cell_of_a_level_unless_what_is_added_is_asked():
    from qa.series import _flow_for_level

    added = grain_fact("新建新能源装机")
    assert _flow_for_level(added, read_series_question("新能源装机规模：内蒙古2024年、2025年"))
    assert not _flow_for_level(grain_fact("新能源装机"), read_series_question("新能源装机规模：内蒙古2024年、2025年"))
    assert not _flow_for_level(grain_fact("新建高标准农田"),
                               read_series_question("吉林省高标准农田建设：2024年、2025年完成面积"))


def test_an_aside_in_brackets_names_the_indicator_otherwise():
    ask = read_series_question("造林（营造林）面积：周口市2023年、黔东南州2016年")
    assert ask.indicator == "造林面积" and "营造林面积" in ask.variants


def test_a_result_stated_as_a_bound_gives_way_to_one_stated_exactly():
    from qa.series import BOUND_PREFERENCE, SPAN_PREFERENCE, _preference

    exact = Fact(**{**grain_fact("城镇调查失业率").to_dict(), "qualifiers": (), "period_first": 2025, "period_last": 2025})
    bound = Fact(**{**exact.to_dict(), "qualifiers": ("以内",), "text": "5.5%以内"})
    assert _preference(bound, "result", None) == BOUND_PREFERENCE > SPAN_PREFERENCE > _preference(exact, "result", None)
    assert _preference(Fact(**{**bound.to_dict(), "stance": "target"}), "target", None) < BOUND_PREFERENCE  # a target's 左右 is its own


def test_an_average_growth_over_years_is_no_years_growth_unless_an_average_is_asked():
    from qa.series import _average_for_year

    average = Fact(**{**grain_fact("社会消费品零售总额").to_dict(), "qualifiers": ("年均",), "measure": "change"})
    assert _average_for_year(average, read_series_question("社会消费品零售总额增速：云南2024年、2025年"))
    assert not _average_for_year(average, read_series_question("社会消费品零售总额年均增速：云南2021—2025年"))
    level = Fact(**{**average.to_dict(), "measure": "level", "head": "PM2.5年均浓度", "indicator": "PM2.5年均浓度"})
    assert not _average_for_year(level, read_series_question("PM2.5浓度：山西2024年、2025年"))


def test_a_fuller_name_in_brackets_completes_the_indicator():
    ask = read_series_question("城镇居民收入（人均可支配收入）：保定市2008年和2020年、高阳县2016年")
    assert "城镇居民人均可支配收入" in ask.variants


def test_an_aside_is_also_read_in_place_and_a_total_asked_is_the_thing_counted():
    from qa.series import names_indicator

    ask = read_series_question("市场（经营）主体总量：周口市2023年，保定市2024年")
    counted = Fact(**{**grain_fact("市场经营主体").to_dict(), "qualifiers": (), "unit": "户", "kind": "count"})
    assert names_indicator(counted, ask.variants)
    registered = Fact(**{**counted.to_dict(), "head": "注册市场主体", "indicator": "注册市场主体"})
    assert names_indicator(registered, ask.variants)  # registered is how the reports count them
    assert not names_indicator(Fact(**{**counted.to_dict(), "head": "新登记市场主体", "indicator": "新登记市场主体"}),
                               ask.variants)


def test_one_of_a_list_led_by_newly_added_answers_a_question_asking_what_was_added():
    from qa.series import names_indicator

    ask = read_series_question("新增科技型中小企业数：安徽2024年、2025年")
    listed = Fact(**{**grain_fact("科技型中小企业").to_dict(), "qualifiers": ("新增",), "unit": "家", "kind": "count"})
    assert names_indicator(listed, ask.variants)
    assert not names_indicator(Fact(**{**listed.to_dict(), "qualifiers": ()}), ask.variants)


def test_a_target_in_a_plan_section_naming_no_year_is_for_the_year_the_report_plans():
    from qa.series import StoredFact, _year_of

    store = FakeStore([])
    target = Fact(**{**grain_fact("下岗失业人员再就业").to_dict(), "stance": "target", "period_first": None,
                     "period_last": None})
    assert _year_of(StoredFact(target, 0, "b.txt"), "target", store.documents["b.txt"], store) == (2014, True)
    result = Fact(**{**target.to_dict(), "stance": "result"})
    assert _year_of(StoredFact(result, 0, "b.txt"), "result", store.documents["b.txt"], store) == (None, False)


def test_a_figure_found_by_name_for_one_side_asked_must_name_that_side():
    from qa.series import stated_for_question

    spending = Fact(start=0, end=6, text="17286元", value=17286.0, unit="元", kind="money", indicator="居民人均消费支出",
                    head="居民消费支出", measure="level", qualifiers=("人均",), period_first=2013, period_last=2013,
                    part=None, stance="result", place="全国")
    store = FakeStore([("b.txt", "居民人均消费支出17286元。", (spending,))])
    assert stated_for_question(store, "2013年居民人均消费支出是多少？", 2013).text == "17286元"
    assert stated_for_question(store, "2013年农村居民人均消费支出是多少？", 2013) is None


def test_a_name_with_its_measure_after_it_is_read_as_the_thing_measured():
    assert read_series_question("2025年居民人均可支配收入水平：湖南、重庆").indicator == "居民人均可支配收入水平"
    assert "居民人均可支配收入" in read_series_question("2025年居民人均可支配收入水平：湖南、重庆").variants
    visitors = Fact(**{**grain_fact("接待游客").to_dict(), "qualifiers": (), "unit": "人次", "kind": "count"})
    from qa.series import names_indicator
    assert names_indicator(visitors, read_series_question("接待游客人次：内蒙古、天津2024年").variants)


def test_the_name_the_synonyms_know_is_the_indicator_and_plan_names_are_not():
    ask = read_series_question("森林覆盖率：福建、内蒙古2025年达到多少，山西“十五五”末（2030年）目标是多少？")
    assert ask.indicator == "森林覆盖率"
    assert ask.stances == ("result", "target")  # a result asked first, a target after
    assert read_series_question("国内生产总值增长目标：2003年、2004年，2005年").stances == ("target",)


def test_a_name_holding_a_joining_word_is_kept_whole_and_ceilings_are_targets():
    ask = read_series_question("保定市研究与试验发展经费投入强度：2020年、2024年实际值，以及2021年、2025年的年度目标")
    assert ask.indicator == "研究与试验发展经费投入强度" and ask.stances == ("result", "target")
    places = frozenset({"保定市", "清苑区", "清苑县", "高阳县"})
    english = read_series_question("Registered urban unemployment rate: Baoding 2008 actual and 2009 ceiling, "
                                   "Qingyuan County 2005 ceiling", index_places=places)
    assert english.stances == ("result", "target")
    assert set(english.pairs) == {("保定市", 2008), ("保定市", 2009), ("清苑县", 2005)}


def test_a_cell_keeps_the_bound_the_report_states_before_its_figure():
    from qa.series import answer_series

    text = "市场经营主体总量突破106万户。"
    start = text.index("106")
    entities = Fact(start=start, end=start + 5, text="106万户", value=1.06e6, unit="户", kind="count",
                    indicator="市场经营主体", head="市场经营主体", measure="count", qualifiers=(), period_first=2013,
                    period_last=2013, part=None, stance="result", place="全国")
    series = answer_series(FakeStore([("b.txt", text, (entities,))]),
                           read_series_question("2013年市场经营主体总量"), reference_of=cite)
    cell = series.rows[0].result
    assert cell.text == "突破106万户" and cell.value == 106


def test_a_question_naming_no_year_gets_the_latest_figure_stated_for_the_place_it_names():
    from qa.series import stated_latest

    store = FakeStore([("a.txt", "财政收入11.7万亿元。", (level("11.7万亿元", 1.17e13, 2012),)),
                       ("b.txt", "财政收入12.9万亿元。", (level("12.9万亿元", 1.29e13, 2013),))])
    assert stated_latest(store, "全国财政收入是多少？").text == "12.9万亿元"
    assert stated_latest(store, "二七区财政收入是多少？") is None  # a place the index has no report of
    assert stated_latest(store, "全国有多少只熊猫？") is None  # no indicator the reports name


def test_an_indicator_is_named_by_its_older_or_longer_names_and_its_words_for_per_thousand():
    from qa.series import names_indicator

    total = read_series_question("Total fiscal revenue of Baoding in 2008 and 2009")
    assert names_indicator(grain_fact("全部财政收入"), total.variants)
    assert names_indicator(grain_fact("公共财政收入"), read_series_question("2004年和2011年全国财政收入增长速度").variants)
    assert names_indicator(grain_fact("外贸出口"), read_series_question("Export growth: Tianjin in 2024 and 2025").variants)
    assert names_indicator(grain_fact("每千人托位"), read_series_question("每千人口托位数：云南、陕西2025年").variants)
    assert names_indicator(grain_fact("新增发电装机"), read_series_question("2004年和2009年全国新增发电装机容量").variants)


def test_an_indicator_stated_by_its_count_as_often_as_by_its_growth_is_asked_for_its_count():
    from dataclasses import replace

    from qa.series import StoredFact, _wanted

    ask = read_series_question("Tourist arrivals: Zhoukou in 2023 and Baoding in 2024")
    counted = [StoredFact(replace(grain_fact("接待游客"), measure=measure, kind="count", unit="人次"), 0, "a.txt")
               for measure in ("count", "count", "change", "change", "change")]
    assert _wanted(ask, counted).measure is None
    prices = read_series_question("2015年以来居民消费价格")
    assert _wanted(prices, counted[2:] * 4 + counted[:1]).measure == "change"


def test_a_figure_the_card_doubted_named_as_the_indicator_too_keeps_a_figure_found_by_name_off_the_card():
    from dataclasses import replace

    from qa.series import rival_named_alike

    zone = replace(level("47亿元", 4.7e9, 2018), indicator="完成全部财政收入", head="完成全部财政收入")
    district = SeriesCell("徐水区", 2018, "result", "63.8亿元", 63.8, "p", "ref", "quote", "a.txt",
                          fact=replace(level("63.8亿元", 6.38e9, 2018), indicator="全部财政收入", head="全部财政收入"))
    added = replace(zone, indicator="科技型中小企业", head="科技型中小企业", qualifiers=("新增",))
    question = "How much total fiscal revenue did Xushui collect in 2018?"
    assert rival_named_alike(zone, district, question)
    assert not rival_named_alike(replace(zone, indicator="房屋竣工面积", head="房屋竣工面积"), district, question)
    assert not rival_named_alike(added, replace(district, fact=replace(district.fact, indicator="科技型中小企业",
                                                                       head="科技型中小企业")),
                                 "How many science-and-technology SMEs did Xushui have in 2018?")


def test_english_names_of_capacity_closed_and_railway_opened_read_as_the_reports_name_them():
    cement = read_series_question("Outdated cement production capacity eliminated in China in 2009, 2010 and 2011")
    assert "淘汰落后水泥产能" in cement.variants and "水泥产能" in cement.variants
    rail = read_series_question("How many kilometres of new railway lines were put into operation in China in 2004 and 2009?")
    assert {"铁路新线投产", "新建铁路投入运营"} <= set(rail.variants)


def test_new_firms_asked_are_named_by_what_a_year_added_and_an_aside_may_name_the_longer_word_it_begins():
    from qa.series import names_indicator

    firms = read_series_question("How many new industrial enterprises above designated size were added in Gansu in 2024 "
                                 "and in Yunnan in 2025?")
    assert names_indicator(grain_fact("新增工业企业"), firms.variants)
    registered = read_series_question("新登记（新设）经营主体户数：吉林、安徽、甘肃2024年")
    assert "新设经营主体户数" in registered.variants
    assert names_indicator(grain_fact("新登记各类经营主体"), registered.variants)


def test_what_the_central_government_spends_on_a_purpose_is_read_as_its_spending_on_it():
    from qa.series import names_indicator

    social = read_series_question("Central government spending on social security: actual amounts for 2004 and 2009, "
                                  "and the amounts budgeted for 2007 and 2010.")
    assert social.indicator == "中央财政社会保障支出" and social.years == (2004, 2007, 2009, 2010)
    assert names_indicator(grain_fact("中央财政全年用于社会保障的资金"), social.variants)
    assert read_series_question("Central government spending in 2004 and 2009") is None  # who spends, not on what


def test_a_figure_found_by_name_without_a_unit_is_not_put_on_the_card():
    from qa.series import stated_for_question

    bare = Fact(start=0, end=3, text="5.0", value=5.0, unit="", kind="number", indicator="规模以上工业增加值",
                head="工业增加值", measure="level", qualifiers=("规模以上",), period_first=2023, period_last=2023,
                part=None, stance="result", place="全国")
    store = FakeStore([("a.txt", "规模以上工业增加值5.0", (bare,))])
    assert stated_for_question(store, "2023年全国规模以上工业增加值是多少？", 2023) is None


def test_names_of_the_long_tail_read_as_reports_write_them():
    from qa.series import names_indicator

    listed = read_series_question("How many companies newly went public in Fujian and Hebei in 2024?")
    assert listed.indicator == "新增上市企业"
    compute = read_series_question("算力规模：内蒙古、甘肃2024年达到多少、2025年目标是多少，云南2025年达到多少？")
    assert compute.stances == ("result", "target")
    assert names_indicator(grain_fact("算力总规模"), compute.variants)
    storage = read_series_question("Installed energy storage capacity by end-2025 in Inner Mongolia and Shandong")
    assert names_indicator(grain_fact("新型储能规模"), storage.variants) and names_indicator(grain_fact("储能装机"), storage.variants)
    core = read_series_question("Growth of the core digital economy industries in Shanxi (2025 target, 2025 actual)")
    assert names_indicator(grain_fact("推动大数据、集成电路、智能终端等数字经济核心产业"), core.variants)
    assert not names_indicator(grain_fact("数字经济规模"), core.variants)


def test_the_value_or_count_of_a_named_thing_is_named_by_it():
    from qa.series import names_indicator

    ecommerce = read_series_question("跨境电商增速：云南2024年，天津、辽宁2025年实际")
    assert names_indicator(grain_fact("跨境电商交易额"), ecommerce.variants)
    inbound = read_series_question("Growth in inbound (foreign) tourist arrivals in 2025: Ningxia, Anhui and Shandong")
    assert names_indicator(grain_fact("入境游客数量"), inbound.variants)
    assert not names_indicator(grain_fact("旅游收入"), read_series_question("2024年和2025年旅游人数").variants)


def test_a_chinese_name_in_brackets_names_the_indicator_of_an_english_question_and_a_qualifier_alone_names_none():
    ask = read_series_question("Newly added skilled workers (新增技能人才): Liaoning 2024 and 2025, Hainan 2024")
    assert ask is not None and ask.indicator == "新增技能人才"
    assert read_series_question("How many were newly added in Liaoning in 2024 and 2025?") is None


def test_year_end_is_a_time_not_part_of_the_indicator():
    ask = read_series_question("年末常住人口：周口市2023年和黔东南州2016年各多少？")
    assert ask is not None and ask.indicator == "常住人口"


def test_central_government_spending_is_read_with_its_purpose_before_or_after_the_spending_word():
    before = read_series_question("Central government health spending: 2006 actual, 2008 budget and 2009 actual")
    after = read_series_question("How much did the central government spend on education in 2006 and 2009?")
    assert before is not None and before.indicator == "中央财政医疗卫生支出"
    assert after is not None and after.indicator == "中央财政教育支出"


def test_a_total_s_name_without_its_word_for_total_and_an_average_rate_name_the_indicator():
    from qa.facts import Fact
    from qa.series import named_form_length

    def fact(head, unit="%"):
        return Fact(start=0, end=4, text="4.5%", value=4.5, unit=unit, kind="percent", indicator=head, head=head,
                    measure="change", qualifiers=(), period_first=2025, period_last=2025, part=None,
                    stance="result", place="山东省")
    assert named_form_length(fact("进出口"), ("进出口总额",)) > 0
    assert named_form_length(fact("城镇调查失业率均值"), ("城镇调查失业率",)) > 0
    assert named_form_length(fact("民生支出占一般公共预算支出比例"), ("民生支出",)) > 0
    assert named_form_length(fact("民生支出占一般公共预算支出比例", unit="元"), ("民生支出",)) == 0
    assert named_form_length(fact("普惠小微贷款余额"), ("普惠小微贷款",)) > 0  # a loan's growth is its balance's
    assert named_form_length(fact("保障城市低保对象", unit="人"), ("城市低保对象人数",)) > 0


def test_a_rate_named_with_a_word_holding_a_conjunction_stays_whole_and_a_target_said_of_one_year_keeps_results():
    ask = read_series_question("农村自来水普及率：宁夏、广西2024年分别达到多少？")
    assert ask.indicator == "农村自来水普及率"
    mixed = read_series_question("粮食播种面积：保定市2021年目标，周口市2023年，黔东南州2016年")
    assert mixed.stances == ("result", "target")


def test_a_figure_the_card_doubted_that_names_every_key_term_keeps_a_figure_found_by_name_off_the_card():
    from dataclasses import replace

    from qa.answering import found_by_name_stands

    hospital = replace(level("23008张", 23008, 2016), unit="张", kind="count", indicator="医院病床", head="医院病床")
    welfare = SeriesCell("黔东南苗族侗族自治州", 2016, "result", "830张", 830, "p", "ref", "quote", "a.docx",
                         fact=replace(hospital, text="830张", value=830, indicator="有床位", head="有床位"))
    question = "How many hospital beds did Qiandongnan have in 2016?"
    assert not found_by_name_stands(welfare, question, (), hospital, doubted_fully_named=True)
    assert found_by_name_stands(welfare, question, (), hospital, doubted_fully_named=False)
    assert found_by_name_stands(welfare, question)


def test_a_cell_asked_for_no_measure_shows_the_level_before_its_growth():
    from qa.series import answer_series

    text = "汽车产量继续保持40%以上增长、达357万辆。"
    growth = Fact(start=text.index("40"), end=text.index("40") + 6, text="40%以上", value=40.0, unit="%",
                  kind="percent", indicator="汽车产量", head="汽车产量", measure="change", qualifiers=("以上",),
                  period_first=2013, period_last=2013, part=None, stance="result", place="全国")
    cars = Fact(start=text.index("357"), end=text.index("357") + 6, text="357万辆", value=3.57e6, unit="辆",
                kind="count", indicator="汽车产量", head="汽车产量", measure="count", qualifiers=(), period_first=2013,
                period_last=2013, part=None, stance="result", place="全国")
    series = answer_series(FakeStore([("b.txt", text, (growth, cars))]), read_series_question("2013年汽车产量"),
                           reference_of=cite)
    assert series.rows[0].result.text == "357万辆" and series.unit == "万辆"
    grown = answer_series(FakeStore([("b.txt", text, (growth, cars))]), read_series_question("2013年汽车产量增长"),
                          reference_of=cite)
    assert grown.rows[0].result.text == "40%以上"


def test_a_sector_is_named_by_its_short_name_with_the_measure_asked():
    ask = read_series_question("宁夏第二产业增加值增速：2024年、2025年")
    assert ask.indicator == "第二产业增加值" and "二产增加值" in ask.variants
    assert read_series_question("Industrial output growth in 2024 in Shandong").indicator == "规模以上工业增加值"


def test_what_is_only_counted_by_the_year_is_named_alike_with_or_without_newly():
    from dataclasses import replace

    from qa.series import _flow_for_level, names_indicator

    ask = read_series_question("Patents granted: Zhoukou in 2023 and Qiandongnan prefecture in 2016")
    granted = replace(grain_fact("新增授权专利"), qualifiers=("新增",))
    assert names_indicator(granted, ask.variants) and not _flow_for_level(granted, ask)


def test_firms_counted_under_a_quoted_kind_name_the_kind_asked_with_or_without_its_level_and_word_for_firms():
    from qa.facts import Fact
    from qa.series import named_form_length

    def firms(head):
        return Fact(start=0, end=4, text="426家", value=426, unit="家", kind="count", indicator=head, head=head,
                    measure="count", qualifiers=(), period_first=2025, period_last=2025, part=None,
                    stance="result", place="福建省")
    asked = ("国家级专精特新“小巨人”企业数量",)
    assert named_form_length(firms("国家级专精特新“小巨人”企业"), asked) > 0
    assert named_form_length(firms("专精特新“小巨人”"), asked) > 0
    assert named_form_length(firms("省级专精特新企业"), ("国家级专精特新企业",)) == 0


def test_a_fall_is_shown_as_one_and_charted_below_zero():
    from qa.series import answer_series

    text = "全年汽车产量下降2.5%。"
    fall = Fact(start=text.index("2.5"), end=text.index("2.5") + 4, text="2.5%", value=2.5, unit="%",
                kind="percent", indicator="汽车产量", head="汽车产量", measure="change", qualifiers=(),
                period_first=2013, period_last=2013, part=None, stance="result", place="全国")
    series = answer_series(FakeStore([("b.txt", text, (fall,))]), read_series_question("2013年汽车产量增长"),
                           reference_of=cite)
    cell = series.rows[0].result
    assert cell.text == "下降2.5%" and cell.value == -2.5


def test_growth_said_not_to_be_asked_and_a_scope_after_among_are_not_the_indicator():
    level = read_series_question("China's export value (level in US dollars, not growth): 2000, 2001 and 2011")
    assert level.indicator == "出口" and not level.growth
    light = read_series_question("Light industry value-added growth among industrial enterprises above designated "
                                 "size: Zhoukou 2023 and Qiandongnan 2016")
    assert light.indicator == "轻工业" and light.growth
    assert read_series_question("Value added of industrial enterprises above designated size: growth in 2023"
                                ).indicator == "规模以上工业"


def test_a_bare_measure_whose_subject_its_paragraph_names_just_before_is_that_subject_s():
    from qa.series import answer_series

    def intensity(text, start, indicator="投入强度"):
        return Fact(start=start, end=start + 4, text="1.4%", value=1.4, unit="%", kind="percent", indicator=indicator,
                    head=indicator, measure="share", qualifiers=(), period_first=2012, period_last=2012, part=None,
                    stance="result", place="全国")

    named_before = "研发经费投入增长25%、投入强度提升至1.4%。"
    unnamed = "居民收入稳步增长。投入强度提升至1.4%。"
    ask = read_series_question("2012年研发投入强度")
    found = cells_of(answer_series(FakeStore([("b.txt", named_before, (intensity(named_before, named_before.index("1.4%")),))]),
                                   ask, cite))
    assert found[("全国", 2012, "result")].text == "1.4%"
    empty = cells_of(answer_series(FakeStore([("b.txt", unnamed, (intensity(unnamed, unnamed.index("1.4%")),))]), ask, cite))
    assert not empty[("全国", 2012, "result")].stated


def test_a_target_in_a_review_running_up_to_the_report_s_year_is_that_year_s_plan():
    from qa.series import answer_series

    def bonds(text, period_first):
        start = text.index("800亿元")
        return Fact(start=start, end=start + 6, text="800亿元", value=8e10, unit="元", kind="money",
                    indicator="发行长期建设国债", head="发行长期建设国债", measure="level", qualifiers=(),
                    period_first=period_first, period_last=2013, part=None, stance="target", place="全国")

    planned = "2008年以来实行积极的财政政策，成效显著。今年要适当减少国债规模，拟发行长期建设国债800亿元。"
    reviewed = "2008年以来实行积极的财政政策，成效显著，累计发行长期建设国债800亿元。"
    ask = read_series_question("2013年计划发行多少长期建设国债")
    found = cells_of(answer_series(FakeStore([("a.txt", planned, (bonds(planned, 2008),))]), ask, cite))
    assert found[("全国", 2013, "target")].text == "800亿元"
    review = cells_of(answer_series(FakeStore([("a.txt", reviewed, (bonds(reviewed, 2008),))]), ask, cite))
    assert not review[("全国", 2013, "target")].stated
    # what is issued named before its issuing (长期建设国债发行) is the issuing named after it (发行长期建设国债)
    from qa.series import named_form_length
    assert named_form_length(bonds(planned, 2008), read_series_question("2013年长期建设国债发行计划").variants) > 0


def test_a_cell_no_fact_names_as_its_own_is_filled_by_a_name_holding_the_indicator_but_not_by_a_narrower_kind():
    def fact(indicator, text, value, unit, year, start=0):
        kind = {"亩": "area", "%": "percent", "元": "money"}[unit]
        return Fact(start=start, end=start + len(text), text=text, value=value, unit=unit, kind=kind,
                    indicator=indicator, head=indicator, measure="level", qualifiers=(), period_first=year,
                    period_last=year, part=None, stance="result", place="全国")

    text = "新建和改造提升高标准农田806万亩。单位国内生产总值能耗下降3.27%。"
    store = FakeStore([("b.txt", text, (fact("新建和改造提升高标准农田", "806万亩", 806.0, "亩", 2013, 13),))])
    farmland = series_for(store, "2013年高标准农田建设完成面积")
    assert cells_of(farmland)[("全国", 2013, "result")].text == "806万亩" and not farmland.notices
    assert not cells_of(answer_series(store, read_series_question("2013年高标准农田建设完成面积"),
                                      named_within=False))[("全国", 2013, "result")].stated

    growth = fact("单位国内生产总值能耗", "3.27%", 3.27, "%", 2013, 26)
    store = FakeStore([("b.txt", text, (growth,))])
    assert not cells_of(series_for(store, "2013年国内生产总值增速"))[("全国", 2013, "result")].stated
    from qa.series import _named_within
    assert _named_within(fact("支持科技创新和制造业发展减税降费及退税", "900亿元", 9e10, "元", 2013), ("减税降费",))
    assert not _named_within(fact("制造业贷款余额", "10.7%", 10.7, "%", 2013), ("金融机构贷款余额",))
    assert not _named_within(fact("城镇调查失业率从…降到", "5.3%", 5.3, "%", 2013), ("城镇调查失业率",))


def test_a_count_under_another_counter_and_a_years_mean_level_in_a_review_of_several_years_fill_their_cells():
    from qa.metadata import DocumentInfo

    def fact(indicator, text, value, unit, start, qualifiers=()):
        kind = "count" if unit in ("个", "座") else "concentration"
        return Fact(start=start, end=start + len(text), text=text, value=value, unit=unit, kind=kind,
                    indicator=indicator, head=indicator.replace("年均", ""), measure="count" if kind == "count" else "level",
                    qualifiers=qualifiers, period_first=2021, period_last=2025, part=None, stance="result",
                    place="全国")

    text = "五年来，5G基站达到9.5万座，PM2.5年均浓度36.2微克/立方米。"
    base = fact("5G基站", "9.5万座", 95000.0, "座", text.index("9.5万座"))
    dust = fact("PM2.5年均浓度", "36.2微克/立方米", 36.2, "微克/立方米", text.index("36.2"), ("年均",))
    elsewhere = Fact(**{**base.to_dict(), "text": "24.2万个", "value": 242000.0, "unit": "个", "period_first": 2024,
                        "period_last": 2024, "start": 0, "end": 6})
    store = FakeStore([("c.txt", text, (base, dust)), ("a.txt", "5G基站24.2万个，", (elsewhere,))])
    store.documents["c.txt"] = DocumentInfo(title="2026年政府工作报告", place="全国", year=2026, reviews=2025)
    store.documents["a.txt"] = DocumentInfo(title="2025年政府工作报告", place="全国", year=2025, reviews=2024)
    stations = cells_of(series_for(store, "2024年、2025年全国5G基站数量"))
    assert stations[("全国", 2024, "result")].text == "24.2万个"
    assert stations[("全国", 2025, "result")].text == "9.5万座"
    assert cells_of(series_for(store, "2025年PM2.5年均浓度"))[("全国", 2025, "result")].text == "36.2微克/立方米"


def test_a_trend_word_asks_no_growth_and_a_unit_asked_is_not_the_indicator():
    deficit = read_series_question("How has the budgeted central government deficit changed from 2004 to 2013?")
    assert not deficit.growth and deficit.indicator == "中央财政赤字"
    assert "中央财政" not in deficit.variants  # who spends alone names no indicator
    total = read_series_question("保定市地区生产总值总量的变化：2008年、2020年、2024年各达到多少亿元？")
    assert "生产总值" in total.indicator and not total.growth


def test_places_listed_after_a_word_for_every_place_are_the_rows_and_a_count_s_growth_is_in_percent(small_index):
    index, store = small_index
    question = "2025年接待游客人次增长各地比较：山东、江苏"
    ask = read_series_question(question, index_places=frozenset(info.place for info in store.documents.values()))
    assert not ask.every_place and set(ask.places) == {"山东省", "江苏省"} and ask.growth
    series = answer_series(store, ask)
    assert {row.place for row in series.rows} == {"山东省", "江苏省"}
    assert cells_of(series)[("江苏省", 2025, "result")].text == "10.4%"


def test_a_government_s_spending_on_a_purpose_is_its_spending_or_its_input_but_input_alone_is_no_budget_spending():
    from qa.series import _variant_forms

    assert "中央财政教育投入" in _variant_forms(("中央财政教育支出",))
    assert "财政投入" not in _variant_forms(("一般公共预算支出", "财政支出"))


def test_a_growth_found_by_name_does_not_answer_an_amount_asked():
    from types import SimpleNamespace

    from qa.facts import IndicatorUnits
    from qa.series import _a_change_for_an_amount

    units = IndicatorUnits({"工业增加值": {"money": 9}, "城镇化率": {"percent": 9}})
    store = SimpleNamespace(indicator_units=lambda: units)
    growth = Fact(start=0, end=5, text="16.9%", value=16.9, unit="%", kind="percent", indicator="规模以上工业增加值",
                  head="工业增加值", measure="change", qualifiers=("规模以上",), period_first=2008, period_last=2008,
                  part=None, stance="result", place="保定市")
    cell = SeriesCell("保定市", 2008, "result", "16.9%", 16.9, fact=growth)
    assert _a_change_for_an_amount(cell, read_series_question("保定市2008年工业增加值是多少？"), store)
    assert not _a_change_for_an_amount(cell, read_series_question("保定市2008年工业增加值增长多少？"), store)


def test_the_series_evaluation_reports_each_split_by_group_and_by_language(small_index, tmp_path):
    index, _ = small_index
    gold = tmp_path / "series.jsonl"
    rows = [{"id": "s1", "question": "2011—2013年国内生产总值增长", "kind": "zh", "group": "national", "series": "gdp",
             "split": "test", "cells": [{"place": "全国", "year": 2012, "stance": "result", "text": "7.8%",
                                         "docs": ["national/gov_2013_national.txt"]}]},
            {"id": "s2", "question": "2025年接待游客人次增长各地比较：山东、江苏", "kind": "zh", "group": "provinces",
             "series": "tourists", "split": "test",
             "cells": [{"place": "江苏省", "year": 2025, "stance": "result", "text": "10.4%",
                        "docs": ["provinces-2026-web/2026_江苏省_政府工作报告.txt"]}]}]
    gold.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in rows), encoding="utf-8")
    done = run_qa("eval", "--series", "--gold", gold, "--index", index, "--json")
    assert done.returncode == 0, done.stderr
    counts = json.loads(done.stdout)
    assert list(counts)[:2] == ["all", "test"]
    assert counts["test/national"]["questions"] == 1 == counts["test/provinces"]["questions"]
    assert counts["test/zh"]["questions"] == 2 == counts["test"]["questions"]


def test_a_government_s_spending_on_a_purpose_is_found_with_other_words_between_its_parts(tmp_path):
    from qa.index import build_index, open_store

    reports = tmp_path / "reports" / "national"
    reports.mkdir(parents=True)
    (reports / "gov_2004_national.txt").write_text(
        "2004年国务院政府工作报告\n\n二、2004年主要任务\n\n加强就业和社会保障工作。今年中央财政预算安排再就业补助资金83亿元，"
        "比去年增加24亿元。中央财政安排科研资金50亿元。\n", encoding="utf-8")
    build_index(tmp_path / "reports", tmp_path / "index", HashEmbedder())
    store = open_store(tmp_path / "index")
    series = answer_series(store, read_series_question("2004年中央财政再就业支出预算安排多少？"))
    assert cells_of(series)[("全国", 2004, "target")].text == "83亿元"
    assert all(cell.text != "50亿元" for cell in series.cells())  # money for another purpose
