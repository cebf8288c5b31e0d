import re
from pathlib import Path

import pytest

from qa.metadata import GOVERNMENT_WORK_REPORT, infer_year, metadata_lines, read_metadata
from qa.places import find_places, lookup, nation, provinces

CORPUS = Path("/work/shared/corpus")
CHROME_WORDS = ("下载", "打印", "全屏", "字号", "首页", "分享", "来源")


def _docx_text(path: Path) -> str:
    docx = pytest.importorskip("docx")
    return "\n".join(paragraph.text for paragraph in docx.Document(str(path)).paragraphs)


def _corpus_files(folder: str, pattern: str) -> list[Path]:
    return sorted((CORPUS / folder).glob(pattern)) if (CORPUS / folder).is_dir() else []


def _province_in_file_name(name: str):
    """The province a corpus file is about, from its name (for checking only)."""
    match = re.match(r"\d{4}[年_](.+?)_?政府工作报告", name)
    assert match, name
    province = lookup(match.group(1))
    assert province is not None and province.level == "province", name
    return province


def _check_report(metadata, place, year):
    assert "政府工作报告" in metadata.title
    assert not any(word in metadata.title for word in CHROME_WORDS), metadata.title
    assert metadata.kind == GOVERNMENT_WORK_REPORT
    assert metadata.place == place
    assert metadata.year == year and metadata.year_from == "text"
    assert metadata.reviews == year - 1
    assert metadata.title_lines


NATIONAL = _corpus_files("national", "gov_*_national.txt")
WEB_2026 = _corpus_files("provinces-2026-web", "*.txt")
DOCX_2025 = _corpus_files("provinces-2025-docx", "*.docx")
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="the corpus folder is not here")


@needs_corpus
@pytest.mark.parametrize("path", NATIONAL, ids=lambda path: path.name)
def test_national_reports(path):
    metadata = read_metadata(path.read_text(encoding="utf-8"))
    year = int(re.search(r"gov_(\d{4})", path.name).group(1))
    _check_report(metadata, nation(), year)
    assert metadata.title_lines == (0,)


@needs_corpus
@pytest.mark.parametrize("path", WEB_2026, ids=lambda path: path.name)
def test_provincial_web_reports(path):
    text = path.read_text(encoding="utf-8")
    metadata = read_metadata(text)
    _check_report(metadata, _province_in_file_name(path.name), 2026)
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    assert all("政府工作报告" in lines[index] for index in metadata.title_lines)
    assert metadata.date.startswith("2026-0")


@needs_corpus
@pytest.mark.parametrize("path", DOCX_2025, ids=lambda path: path.name)
def test_provincial_docx_reports(path):
    metadata = read_metadata(_docx_text(path))
    _check_report(metadata, _province_in_file_name(path.name), 2025)
    assert metadata.date.startswith("2025-01-")


def test_corpus_is_read_when_present():
    if CORPUS.is_dir():
        assert len(NATIONAL) == 15 and WEB_2026 and DOCX_2025


# ---- hand-written reports ---------------------------------------------------------------------

CHROME = "下载\n打印\n全屏\n收藏\n【字号：\n加大\n还原\n减小\n】\n"


def test_district_report_from_its_government_line():
    text = ("郑州市二七区人民政府\n政府工作报告\n区长　张某\n各位代表：\n"
            "现在，我代表区人民政府向大会报告工作，请予审议。\n一、2021年工作回顾\n")
    metadata = read_metadata(text)
    assert metadata.place.name == "二七区" and metadata.place.level == "district"
    assert metadata.place.parent.name == "郑州市" and metadata.place.province.name == "河南省"
    assert metadata.title == "政府工作报告"  # the year is not known from the text: kept as written
    assert metadata.title_lines == (1,)
    assert metadata.year is None and metadata.reviews == 2021  # what its first heading says


def test_delivery_line_gives_date_year_and_place():
    text = (CHROME + "政府工作报告\n——2026年1月27日在山东省第十四届人民代表大会第四次会议上\n省长 某某\n"
            "各位代表：\n现在，我代表省人民政府向大会报告工作。\n一、“十四五”时期工作回顾\n"
            "二、“十五五”时期主要目标任务\n到2030年，……\n")
    metadata = read_metadata(text)
    assert metadata.title == "2026年山东省政府工作报告"
    assert metadata.title_lines == (9,)
    assert metadata.place == lookup("山东省")
    assert (metadata.date, metadata.date_text) == ("2026-01-27", "2026年1月27日")
    assert (metadata.year, metadata.year_from, metadata.reviews) == (2026, "text", 2025)
    assert metadata.body_start == 12


def test_chrome_free_text_reads_the_same():
    with_chrome = CHROME + "2026年山东省政府工作报告\n——2026年1月27日在山东省第十四届人民代表大会第四次会议上\n各位代表：\n"
    without = with_chrome[len(CHROME):]
    a, b = read_metadata(with_chrome), read_metadata(without)
    assert (a.title, a.place, a.year, a.date) == (b.title, b.place, b.year, b.date)
    assert a.title_lines == (9,) and b.title_lines == (0,)


def test_time_and_source_lines():
    text = ("2026年吉林省政府工作报告\n来源：吉林日报\n时间：2026-02-01\n省长 胡某\n各位代表：\n"
            "现在，我代表省政府，向大会报告工作，请予审议。\n")
    metadata = read_metadata(text)
    assert (metadata.year, metadata.year_from) == (2026, "text")
    assert (metadata.source, metadata.published, metadata.date) == ("吉林日报", "2026-02-01", "2026-02-01")
    text = "当前位置：\n首页\n>\n要闻\n政府工作报告\n发表时间：\n2026-02-09 09:45:30\n来源：\n某某日报客户端\n阅读量：\n" \
           "自治区人民政府主席 某某\n各位代表：\n现在，我代表宁夏回族自治区人民政府，向大会报告工作。\n"
    metadata = read_metadata(text)
    assert (metadata.year, metadata.published, metadata.source) == (2026, "2026-02-09", "某某日报客户端")
    assert metadata.place == lookup("宁夏回族自治区")
    assert metadata.title == "2026年宁夏回族自治区政府工作报告"


def test_place_from_the_governor_line_and_the_first_paragraph():
    text = "政府工作报告\n海南省省长　刘某\n各位代表：\n现在，我代表省人民政府向大会报告工作。\n"
    assert read_metadata(text).place == lookup("海南")
    text = "政府工作报告\n各位代表：\n现在，我代表国务院，向大会作政府工作报告，请予审议。\n"
    assert read_metadata(text).place == nation()


def test_bare_month_day_lead_takes_the_latest_reviewed_year():
    text = ("区政府全体会议召开 推动高质量发展\n"
            "8月6日，区政府第二次全体（扩大）会议召开，总结上半年工作，部署下半年任务。会议指出，2021年全区经济稳步恢复。\n"
            "上半年\n2022年上半年，全区地区生产总值完成340.64亿元，同比增长3.1%。\n"
            "“十四五”规划\n到2025年，全区地区生产总值力争突破1000亿元。\n“十五五”展望\n")
    metadata = read_metadata(text)
    assert (metadata.year, metadata.year_from) == (2022, "text")
    assert (metadata.date, metadata.date_text) == ("", "8月6日")
    assert metadata.reviews is None and metadata.kind == ""
    assert metadata.title == "区政府全体会议召开 推动高质量发展" and metadata.title_lines == (0,)


def test_five_year_plan_names_do_not_move_the_year():
    assert infer_year("“十四五”时期工作回顾\n2025年，全省经济增长5%。\n“十五五”时期主要目标\n") == 2025
    assert infer_year("“十五五”时期主要目标\n") is None
    assert infer_year("全面总结2021年工作，安排部署2022年工作，到2035年基本实现现代化。") == 2022


def test_stated_date_and_file_name_are_last_resorts():
    body = "各位代表：\n现在，我代表市人民政府向大会报告工作。\n"
    stated = read_metadata(body, {"title": "某市政府工作报告", "date": "2021-03-05"}, "report_2019.txt")
    assert (stated.year, stated.year_from, stated.date) == (2021, "stated", "2021-03-05")
    assert stated.title == "某市政府工作报告" and stated.title_lines == ()
    from_name = read_metadata(body, {}, "report_2019.txt")
    assert (from_name.year, from_name.year_from, from_name.date) == (2019, "file name", "")
    assert read_metadata(body).year is None
    in_text = read_metadata("2018年政府工作报告\n" + body, {"date": "2021-03-05"}, "report_2019.txt")
    assert (in_text.year, in_text.year_from) == (2018, "text")


def test_title_over_two_lines_and_plan_reviews():
    text = ("二七区2021年国民经济和社会发展计划\n执行情况与2022年计划（草案）\n\n"
            "一、2021年国民经济和社会发展计划执行情况\n2021年是极不平凡的一年。\n")
    metadata = read_metadata(text)
    assert metadata.title == "二七区2021年国民经济和社会发展计划执行情况与2022年计划（草案）"
    assert metadata.title_lines == (0, 1)
    assert (metadata.year, metadata.reviews, metadata.kind) == (2022, 2021, "")
    assert metadata.place.name == "二七区"


def test_captions_and_breadcrumbs_are_not_titles():
    text = ("首页\n>\n政府工作报告\n>\n省政府工作报告\n陕西省2026年政府工作报告\n"
            "2026年1月27日在陕西省第十四届人民代表大会第四次会议上 陕西省省长 赵某\n"
            "省长赵某作政府工作报告\n各位代表：\n")
    metadata = read_metadata(text)
    assert metadata.title == "陕西省2026年政府工作报告" and metadata.title_lines == (5,)
    text = "政府工作报告。 某某日报记者 李某 摄\n政府工作报告\n（2026年1月27日在贵州省第十四届人民代表大会第四次会议上）\n各位代表：\n"
    metadata = read_metadata(text)
    assert metadata.title == "2026年贵州省政府工作报告" and metadata.title_lines == (1,)
    assert metadata.date == "2026-01-27"


def test_delivery_date_in_chinese_numerals():
    text = "2026年甘肃省政府工作报告\n——二〇二六年一月二十七日在甘肃省十四届人民代表大会第四次会议上\n各位代表：\n"
    metadata = read_metadata(text)
    assert (metadata.date, metadata.date_text) == ("2026-01-27", "二〇二六年一月二十七日")


def test_metadata_lines():
    text = "来源：大众日报 时间：2026-02-01\n正文第一段。\n发布时间：\n2026-02-09 09:45:30\n阅读量：\n【字体：\n（来源：青海日报）\n" \
           "2026-01-31 07:00:44\n作者：张某\n"
    found = metadata_lines(text)
    assert [(key, value) for _start, _end, key, value in found] == [
        ("来源", "大众日报"), ("时间", "2026-02-01"), ("发布时间", "2026-02-09 09:45:30"), ("阅读量", ""),
        ("来源", "青海日报"), ("时间", "2026-01-31 07:00:44"), ("作者", "张某")]
    spans = [text[start:end] for start, end, _key, _value in found]
    assert spans[0] + spans[1] == "来源：大众日报 时间：2026-02-01"
    assert spans[2] == "发布时间：\n2026-02-09 09:45:30" and spans[3] == "阅读量："
    assert "正文第一段。" not in "".join(spans) and "【字体：" not in "".join(spans)


# ---- the place finder ---------------------------------------------------------------------------

def _places(text):
    return [(mention.text, mention.place.name) for mention in find_places(text)]


def test_places_table_covers_every_provincial_division():
    names = {place.name for place in provinces()}
    assert len(names) == 34 and {"台湾省", "香港特别行政区", "澳门特别行政区", "广西壮族自治区", "重庆市"} <= names
    assert nation().level == "national"


@pytest.mark.parametrize("text, expected", [
    ("What was the GDP of Henan in 2022?", [("Henan", "河南省")]),
    ("zhejiang province targets", [("zhejiang province", "浙江省")]),
    ("Inner Mongolia and Xizang (Tibet)", [("Inner Mongolia", "内蒙古自治区"), ("Xizang", "西藏自治区"), ("Tibet", "西藏自治区")]),
    ("Shanxi, Shaanxi, Zhengzhou", [("Shanxi", "山西省"), ("Shaanxi", "陕西省"), ("Zhengzhou", "郑州市")]),
    ("苏 2022年GDP增长多少", [("苏", "江苏省")]),
    ("苏州2022年GDP", []),
    ("广西壮族自治区和广西", [("广西壮族自治区", "广西壮族自治区"), ("广西", "广西壮族自治区")]),
    ("上海", [("上海", "上海市")]),
    ("上海市", [("上海市", "上海市")]),
    ("推动京津冀协同发展", [("京", "北京市"), ("津", "天津市"), ("冀", "河北省")]),
    ("平步青云，藏青色，津津乐道，云台山", []),
    ("浙江西部和黄河南岸", [("浙江", "浙江省")]),
    ("国务院和全国", [("国务院", "全国"), ("全国", "全国")]),
])
def test_find_places(text, expected):
    assert _places(text) == expected


def test_capitals_and_issuers_have_parents():
    [zhengzhou] = find_places("郑州")
    assert (zhengzhou.place.name, zhengzhou.place.level, zhengzhou.place.parent.name) == ("郑州市", "city", "河南省")
    city, district = find_places("郑州市二七区人民政府")
    assert (city.place.name, district.place.name, district.place.parent) == ("郑州市", "二七区", city.place)
    assert district.how == "issuer" and (district.start, district.end) == (3, 6)


def test_document_info_is_plain_and_round_trips():
    from dataclasses import asdict

    from qa.metadata import DocumentInfo

    text = "郑州市二七区人民政府\n政府工作报告\n——2022年1月5日在郑州市二七区第十六届人民代表大会第一次会议上\n各位代表：\n"
    info = read_metadata(text).info(unit="line")
    assert (info.title, info.place, info.province, info.year, info.when) == (
        "2022年二七区政府工作报告", "二七区", "河南省", 2022, "2022-01-05")
    assert DocumentInfo.from_dict(asdict(info)) == info
    lead = read_metadata("会议召开\n2月21日，会议召开，全面总结2021年工作，安排部署2022年工作。会议强调……\n").info()
    assert (lead.when, lead.year, lead.place) == ("2022年2月21日", 2022, "")


def test_an_undated_news_report_takes_its_place_from_the_party_committee_and_its_clauses():
    text = ("拉高标杆 狠抓落实 奋力突破\n"
            "2月21日，中共二七区委十二届二次全体会议暨区委经济工作会议召开，全面总结2021年工作。\n"
            "一年来，二七区累计转运集中隔离1.2万人；二七新区运作加快，全区地区生产总值达到784.2亿元。\n")
    metadata = read_metadata(text)
    assert metadata.place is not None and metadata.place.name == "二七区" and metadata.place.level == "district"


def test_a_place_named_once_or_only_as_a_kind_of_area_is_not_the_reports():
    text = "总结\n2月21日，会议召开。全区地区生产总值增长，马寨经开区、中心城区和樱桃沟景区加快建设，二七区入选。\n"
    assert read_metadata(text).place is None


def test_an_undated_report_reviews_the_year_standing_above_it_or_whose_results_it_states():
    standing = "2023年\n\n日前，记者从区委全会上了解到，2023年，面对严峻复杂形势，全区顶住压力、克难奋进。\n"
    assert (read_metadata(standing).year, read_metadata(standing).reviews) == (None, 2023)
    stated = "“十三五”规划主要目标圆满完成\n\n2020年，全区预计实现地区生产总值773亿元，是2015年的1.67倍，到2025年翻番。\n"
    assert (read_metadata(stated).year, read_metadata(stated).reviews) == (None, 2020)


def test_places_are_listed_nation_first_then_provinces_in_their_usual_order_then_cities_and_counties():
    from qa.places import administrative_order

    named = [("二七区", "河南省"), ("新疆维吾尔自治区", ""), ("保定市", "河北省"), ("全国", ""), ("河北省", ""),
             ("北京市", ""), ("内蒙古自治区", ""), ("上海市", ""), ("周口市", "河南省"), ("广西壮族自治区", "")]
    assert administrative_order(named) == ["全国", "北京市", "河北省", "内蒙古自治区", "上海市", "广西壮族自治区",
                                           "新疆维吾尔自治区", "保定市", "二七区", "周口市"]


def test_kinds_of_area_are_not_places_but_districts_of_the_same_words_are():
    from qa.places import named_places

    assert named_places("2023年樱桃沟景区旅游综合收入") == [] and named_places("打造“温暖城区”") == []
    assert named_places("凤湖生态休闲区占地多大") == [] and named_places("在高新技术产业开发区") == []
    assert named_places("东城区和新城区") == [("东城", "东城区"), ("新城", "新城区")]
    assert named_places("郑州市二七区") == [("二七", "二七区")]


def test_a_title_given_as_a_labelled_field_loses_its_label():
    from qa.metadata import read_metadata

    text = "标题：2022年保定市政府工作报告\n发文单位：保定市人民政府\n\n一、2021年工作回顾\n2021年，全市生产总值完成3725亿元。\n"
    assert read_metadata(text, file_name="report.txt").title == "2022年保定市政府工作报告"


def test_a_footnote_mark_closing_the_title_line_and_the_issuing_bodies_under_it_are_not_the_title():
    from qa.metadata import read_metadata

    text = "2023年洛阳市国民经济和社会发展统计公报①\n\n洛阳市统计局\n\n国家统计局洛阳调查队\n\n一、综合\n全年生产总值5482.7亿元。\n"
    assert read_metadata(text, file_name="bulletin.txt").title == "2023年洛阳市国民经济和社会发展统计公报"
    assert read_metadata("某市统计公报[1]\n\n一、综合\n正文。\n", file_name="b.txt").title == "某市统计公报"


def test_a_communique_whose_title_gives_no_year_is_about_the_year_before_it_was_published():
    text = "年国民经济和社会发展统计公报\n某州统计局\n2024年5月7日\n全年地区生产总值增长5%。\n"
    assert read_metadata(text, {"date": "2024-05-08"}).year == 2023
    named = read_metadata(text, {"date": "2024-05-08"}, "bulletins/某州2022年国民经济和社会发展统计公报.pdf")
    assert named.year == 2022 and named.year_from == "file name"
    titled = read_metadata("2023年某市国民经济和社会发展统计公报\n全年地区生产总值增长5%。\n", {"date": "2024-03-01"})
    assert titled.year == 2023
