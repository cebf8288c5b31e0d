"""Word, PDF and web pages end to end: read, chunk, index and cite, table rows included."""

import pytest

from conftest import HashEmbedder
from qa.chunking import chunk_document
from qa.citations import cite
from qa.documents import read_document
from qa.index import build_index, open_store
from test_converters import PAGE, make_docx, make_pdf


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("formats")
    (root / "word").mkdir()
    (root / "web").mkdir()
    make_docx(root / "word" / "report.docx")
    make_pdf(root / "report.pdf")
    (root / "web" / "report.html").write_text(PAGE.format(charset="utf-8"), encoding="utf-8")
    return root


def passages_of(folder, name):
    return chunk_document(read_document(folder / name, folder))


@pytest.mark.parametrize("name", ["word/report.docx", "report.pdf", "web/report.html"])
def test_a_table_row_is_a_passage_with_its_caption_header_and_place(folder, name):
    passages = passages_of(folder, name)
    rows = [p for p in passages if p.table]
    assert [p.text for p in rows][:2] == ["地区生产总值 | 784.2亿元 | 820.1亿元", "固定资产投资 | 312.5亿元 | 330.0亿元"]
    first = rows[0]
    assert first.table == 1 and first.row == 1 and first.context == "指标 | 2021年 | 2022年"
    assert first.section[-1] == "表1 主要经济指标"
    assert "table 1, row 1" in first.where
    assert first.source == name and first.id == f"{name}:{first.start}-{first.end}"
    body = [p for p in passages if not p.table]
    assert not any("|" in p.text for p in body)  # table rows are not repeated in the running text


@pytest.mark.parametrize("name, heading", [("word/report.docx", "一、2023年工作回顾"), ("report.pdf", "一、2023年工作回顾"),
                                           ("web/report.html", "一、2023年工作回顾")])
def test_headings_of_each_format_make_section_paths(folder, name, heading):
    passages = passages_of(folder, name)
    figure = next(p for p in passages if "784.2" in p.text and not p.table)
    assert figure.section[0] == heading
    assert all("2024年" in p.title and "政府工作报告" in p.title for p in passages)


def test_pdf_passages_know_their_page(folder):
    passages = passages_of(folder, "report.pdf")
    assert next(p for p in passages if "784.23亿元" in p.text).where == "p. 1"
    assert next(p for p in passages if p.table).location == 2
    assert next(p for p in passages if "二、2024年" in " ".join(p.section)).location == 3


def test_web_page_chrome_is_not_indexed(folder):
    text = "\n".join(p.text for p in passages_of(folder, "web/report.html"))
    for chrome in ("首页", "政务服务", "分享到", "发表评论", "版权所有", "网站标识码"):
        assert chrome not in text


def test_a_folder_of_mixed_formats_builds_and_cites_the_table_cell(folder, tmp_path):
    report = build_index(folder, tmp_path / "index", HashEmbedder())
    assert report.problems == [] and report.status == "built"
    store = open_store(tmp_path / "index")
    sources = {p.source for p in store.iter_passages()}
    assert sources == {"word/report.docx", "report.pdf", "web/report.html"}
    hits = store.lexical(["地区生产总值", "2022"], 10)
    row = next(store.passage(int(p)) for p in hits.positions if store.passage(int(p)).table)
    figures = store.features(store.find(row.id)).figures
    assert "820.1亿元" in [f.text for f in figures]
    citation = cite(row, store.documents)
    assert "table 1, row 1" in citation.reference and row.source in citation.reference
    assert store.documents[row.source].year == 2024
