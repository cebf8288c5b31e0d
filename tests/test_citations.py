"""Citation formats: golden Markdown/CSV/JSON, and a Word file that opens."""

import io
import json
from pathlib import Path

import pytest

from qa.chunking import Passage
from qa.metadata import DocumentInfo
from qa.citations import cite, export, to_csv, to_docx, to_json, to_markdown

GOLDEN = Path(__file__).parent / "golden"
QUESTION = "2021年地区生产总值是多少？"
DOCUMENTS = {
    "000_98a65f370833c6d2.txt": DocumentInfo(title="拉高标杆 狠抓落实 奋力突破", year=2022, date_text="2月21日"),
    "003_5812a0cf500341c3.txt": DocumentInfo(
        title="二七区2021年国民经济和社会发展计划执行情况与2022年计划（草案）", place="二七区", year=2022),
}


def citations():
    first = Passage(
        id="000_98a65f370833c6d2.txt:540-702", source="000_98a65f370833c6d2.txt", title="拉高标杆 狠抓落实 奋力突破",
        section=["2021年", "经济社会高质量发展迈上新台阶", "综合实力持续提升"], start=540, end=702, location=30,
        text="全年地区生产总值达到784.2亿元,社会消费品零售总额498.7亿元。")
    second = Passage(
        id="003_5812a0cf500341c3.txt:250-700", source="003_5812a0cf500341c3.txt", unit="page", location=2,
        title="二七区2021年国民经济和社会发展计划执行情况与2022年计划（草案）",
        section=["一、2021年国民经济和社会发展计划执行情况"], start=250, end=700,
        text="2021年，地区生产总值达到784.23亿元，同比增长1.3%。\n“两个确保”，稳中求进。")
    return [cite(first, DOCUMENTS, 1, 0.0325, "784.2亿元"), cite(second, DOCUMENTS, 2, 0.0318, "784.23亿元")]


@pytest.mark.parametrize("name, writer", [("answer.md", to_markdown), ("answer.csv", to_csv), ("answer.json", to_json)])
def test_export_matches_golden_file(name, writer):
    assert writer(QUESTION, citations()) == (GOLDEN / name).read_text(encoding="utf-8")


def test_citation_names_document_place_date_section_location_and_range():
    first, second = citations()
    assert first.reference == ("《拉高标杆 狠抓落实 奋力突破》 (2022年2月21日), 2021年 › 经济社会高质量发展迈上新台阶 › "
                               "综合实力持续提升, line 30, 000_98a65f370833c6d2.txt, chars 540–702")
    assert second.reference.startswith("《二七区2021年国民经济和社会发展计划执行情况与2022年计划（草案）》 (二七区, 2022), ")
    assert ", p. 2, " in second.reference
    assert first.text().startswith("“全年地区生产总值达到784.2亿元")


def test_quote_joins_the_passage_lines():
    assert citations()[1].quote == "2021年，地区生产总值达到784.23亿元，同比增长1.3%。 “两个确保”，稳中求进。"


def test_word_export_opens_and_holds_question_quotes_and_citations():
    from docx import Document

    document = Document(io.BytesIO(to_docx(QUESTION, citations())))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == QUESTION
    for citation in citations():
        assert citation.quote in paragraphs
        assert f"——{citation.reference_zh}" in paragraphs
        assert any(p.startswith(citation.passage.source + " · 第 ") for p in paragraphs)
    quote_styles = {p.style.name for p in document.paragraphs if p.text == citations()[0].quote}
    assert quote_styles == {"Quote"}


def test_json_export_is_machine_readable():
    data = json.loads(to_json(QUESTION, citations()))
    assert data["question"] == QUESTION
    assert [p["answer"] for p in data["passages"]] == ["784.2亿元", "784.23亿元"]


def test_unknown_export_format_is_refused():
    with pytest.raises(ValueError, match="unknown export format"):
        export(QUESTION, citations(), "pdf")


def test_every_export_carries_the_answer_card_figure_period_stance_place_and_reference():
    from docx import Document as WordDocument

    from qa.citations import ExportCard

    card = ExportCard("784.2亿元", "2021年", "result", "二七区", "二七区人民政府．拉高标杆［R］．2022．",
                      "People's Government of Erqi District. Raising the bar [R]. 2022.", "000_98a65f370833c6d2.txt:540-702")
    markdown = to_markdown(QUESTION, citations(), card, "zh")
    assert "**答案：** 784.2亿元 · 2021年 · 实际完成 · 二七区" in markdown and "二七区人民政府．拉高标杆" in markdown
    assert "**Answer:** 784.2亿元 · 2021 · result · 二七区" in to_markdown(QUESTION, citations(), card, "en")
    rows = to_csv(QUESTION, citations(), card).splitlines()
    assert rows[0].endswith("card_figure,card_period,card_stance,card_place,card_reference")
    assert all(row.endswith("784.2亿元,2021年,result,二七区,二七区人民政府．拉高标杆［R］．2022．") for row in rows[1:])
    assert json.loads(to_json(QUESTION, citations(), card))["card"]["figure"] == "784.2亿元"
    document = WordDocument(io.BytesIO(to_docx(QUESTION, citations(), "en", card)))
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert "Answer: 784.2亿元 · 2021 · result · 二七区" in texts
    assert "— People's Government of Erqi District. Raising the bar [R]. 2022." in texts
