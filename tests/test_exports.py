"""Export files: a CSV that Excel on Chinese Windows opens, a Word file tagged Chinese, names from the question."""

import csv
import datetime
import io
import json

import pytest

from qa.chunking import Passage
from qa.citations import CSV_BOM, cite, export, export_name, to_csv
from qa.metadata import DocumentInfo

QUESTION = "2021年地区生产总值是多少？"
DAY = datetime.date(2025, 3, 9)


def citations():
    info = {"a.txt": DocumentInfo(title="二七区2021年国民经济和社会发展计划执行情况", place="二七区", year=2022)}
    passage = Passage(id="a.txt:0-40", source="a.txt", title="二七区", section=["一、2021年执行情况"], start=0, end=40,
                      location=3, text="2021年，全区地区生产总值达到784.23亿元，同比增长1.3%。")
    hostile = Passage(id="a.txt:40-60", source="a.txt", title="二七区", section=["=HYPERLINK(\"http://x\")"],
                      start=40, end=60, location=4, text="-2+3 新增就业5000人。")
    return [cite(passage, info, 1, 0.5, "784.23亿元"), cite(hostile, info, 2, 0.4, "")]


def test_csv_export_starts_with_a_bom_and_decodes_as_chinese():
    data = export(QUESTION, citations(), "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0]["问题"] == QUESTION and rows[0]["答案数字"] == "784.23亿元"
    assert rows[0]["标题"] == "二七区2021年国民经济和社会发展计划执行情况"


def test_csv_export_still_neutralises_formula_cells():
    rows = list(csv.DictReader(io.StringIO(export("=1+1", citations(), "csv", "en").decode("utf-8-sig"))))
    assert rows[0]["question"] == "'=1+1"
    assert rows[1]["section"].startswith("'=HYPERLINK") and rows[1]["quote"].startswith("'-2+3")


def test_a_chinese_pages_csv_speaks_chinese_and_an_english_pages_english():
    chinese = list(csv.DictReader(io.StringIO(export(QUESTION, citations(), "csv", "zh").decode("utf-8-sig"))))
    assert chinese[0]["位置"] == "第 3 行" and chinese[0]["详情"] == "a.txt · 第 3 行 · 字符 0–40"
    assert chinese[0]["参考文献"] == citations()[0].reference_zh and chinese[0]["地方"] == "二七区"
    english = list(csv.DictReader(io.StringIO(export(QUESTION, citations(), "csv", "en").decode("utf-8-sig"))))
    assert english[0]["location"] == "line 3" and english[0]["citation"] == "a.txt · line 3 · chars 0–40"
    assert english[0]["reference"] == citations()[0].reference_en and english[0]["place"] == "Erqi District"


def test_json_export_carries_the_reference_in_the_pages_language():
    chinese = json.loads(export(QUESTION, citations(), "json", "zh"))
    english = json.loads(export(QUESTION, citations(), "json", "en"))
    assert chinese["language"] == "zh" and english["language"] == "en"
    assert chinese["passages"][0]["reference"] == citations()[0].reference_zh
    assert english["passages"][0]["reference"] == citations()[0].reference_en
    assert chinese["passages"][0]["location"] == "第 3 行" and english["passages"][0]["location"] == "line 3"


def test_markdown_export_labels_and_references_follow_the_language():
    chinese = export(QUESTION, citations(), "markdown", "zh").decode("utf-8")
    english = export(QUESTION, citations(), "markdown", "en").decode("utf-8")
    assert "**答案数字：** 784.23亿元" in chinese and "第 3 行" in chinese and "字符 0–40" in chinese
    assert f"——{citations()[0].reference_zh}" in chinese
    assert not any(word in chinese for word in ("Answer", "line", "chars"))
    assert "**Answer figure:** 784.23亿元" in english and "line 3" in english and "chars 0–40" in english
    assert f"— {citations()[0].reference_en}" in english


def test_english_dates_are_written_in_english_and_an_unknown_year_is_said():
    from qa.citations import report_date

    assert report_date(DocumentInfo(date="2022-02-21", year=2022), "en") == "21 February 2022"
    assert report_date(DocumentInfo(year=2022, date_text="2月21日"), "en") == "21 February 2022"
    assert report_date(DocumentInfo(date_text="8月6日"), "en") == "6 August (year not given)"
    assert report_date(DocumentInfo(date_text="8月6日"), "zh") == "8月6日（年份不详）"
    assert report_date(DocumentInfo(year=2022, date_text="2月21日"), "zh") == "2022年2月21日"
    assert report_date(DocumentInfo(), "en") == "" and report_date(DocumentInfo(year=2023), "en") == "2023"
    assert report_date(DocumentInfo(reviews=2023), "zh") == "回顾2023年"
    assert report_date(DocumentInfo(reviews=2023), "en") == "reviews 2023"


def test_csv_for_the_terminal_has_no_bom():
    assert not to_csv(QUESTION, citations()).startswith(CSV_BOM)


@pytest.mark.parametrize("format", ["markdown", "json"])
def test_text_exports_are_utf8_without_a_bom(format):
    data = export(QUESTION, citations(), format)
    assert not data.startswith(b"\xef\xbb\xbf") and QUESTION in data.decode("utf-8")


def word(data: bytes):
    from docx import Document

    return Document(io.BytesIO(data))


def test_word_export_is_tagged_chinese():
    from docx.oxml.ns import qn

    document = word(export(QUESTION, citations(), "docx"))
    lang = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang"))
    assert lang.get(qn("w:val")) == "zh-CN" and lang.get(qn("w:eastAsia")) == "zh-CN"


def test_word_export_emphasises_the_answer_figure_in_the_quote():
    document = word(export(QUESTION, citations(), "docx"))
    first = citations()[0]
    quote = next(p for p in document.paragraphs if p.text == first.quote)
    assert quote.style.name == "Quote"
    assert [run.text for run in quote.runs if run.bold] == ["784.23亿元"]
    assert "".join(run.text for run in quote.runs if not run.bold) == first.quote.replace("784.23亿元", "")
    second = next(p for p in document.paragraphs if p.text == citations()[1].quote)
    assert not any(run.bold for run in second.runs)  # no answer figure, nothing emphasised


def test_word_export_labels_follow_the_language():
    chinese = [p.text for p in word(export(QUESTION, citations(), "docx")).paragraphs]
    english = [p.text for p in word(export(QUESTION, citations(), "docx", language="en")).paragraphs]
    assert "答案数字：784.23亿元" in chinese and "Answer figure: 784.23亿元" in english
    first = citations()[0]
    assert f"——{first.reference_zh}" in chinese and f"— {first.reference_en}" in english
    assert "a.txt · 第 3 行 · 字符 0–40" in chinese and "a.txt · line 3 · chars 0–40" in english


def test_word_export_has_the_question_as_its_title_and_the_pages_language():
    from docx.oxml.ns import qn

    chinese, english = word(export(QUESTION, citations(), "docx")), word(export(QUESTION, citations(), "docx", "en"))
    assert chinese.core_properties.title == QUESTION and english.core_properties.title == QUESTION
    tag = english.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang"))
    assert tag.get(qn("w:val")) == "en-US" and tag.get(qn("w:eastAsia")) == "zh-CN"


def test_csv_export_carries_the_reference_to_paste():
    rows = list(csv.DictReader(io.StringIO(export(QUESTION, citations(), "csv").decode("utf-8-sig"))))
    assert rows[0]["参考文献"] == citations()[0].reference_zh and "［R］" in rows[0]["参考文献"]


@pytest.mark.parametrize("question, format, name", [
    (QUESTION, "csv", "2021年地区生产总值是多少_2025-03-09.csv"),
    ("What was the GDP in 2021?", "docx", "What_was_the_GDP_in_2021_2025-03-09.docx"),
    ("../../etc/passwd", "json", "etc_passwd_2025-03-09.json"),
    ('a<b>c:"d"|e?*\\f/g', "markdown", "a_b_c_d_e_f_g_2025-03-09.md"),
    ("？！。", "csv", "passages_2025-03-09.csv"),
    ("", "csv", "passages_2025-03-09.csv"),
    ("国" * 100, "csv", "国" * 40 + "_2025-03-09.csv"),
])
def test_export_file_name_comes_from_the_question_and_the_given_date(question, format, name):
    assert export_name(question, DAY, format) == name
