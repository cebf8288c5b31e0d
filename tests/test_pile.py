"""The real pile in corpus/: every report is read, described and chunked sensibly.

63 public government work reports as published: Wikisource copies (link words on lines of their own, a
licence footer), the original Word files, and scraped web pages with their page chrome; and 15 more of other
genres: statistical communiqués (Word, PDF, text) and city, district and county reports.
"""

import re
from pathlib import Path

import pytest

from qa.chunking import MAX_CHARS, chunk_document, describe
from qa.documents import iter_documents, source_files
from qa.figures import extract_figures

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
CHROME_WORDS = ("下载", "打印", "全屏", "收藏", "字号", "字体", "首页", "分享", "来源", "当前位置", "您的位置", "阅读量")
# what the file names of this pile say, used here only to check what the project reads from the text itself
NAMED_PLACE = re.compile(r"(\d{4})[_年]?(.+?)(?:_?政府工作报告)")


@pytest.fixture(scope="module")
def pile():
    problems = []
    read = []
    for doc in iter_documents(CORPUS, problems):
        metadata = describe(doc)
        read.append((doc, metadata, chunk_document(doc, metadata)))
    return read, problems


WORK_REPORTS = ("national", "provinces-2025-docx", "provinces-2026-web")


def test_every_report_of_the_pile_is_read(pile):
    read, problems = pile
    assert problems == []
    assert len(read) == len(source_files(CORPUS)) == 78
    assert {doc.name.split("/")[0] for doc, _, _ in read} == {*WORK_REPORTS, "bulletins", "cities"}


def test_every_communique_and_city_report_names_its_place_and_year(pile):
    """Their text often names no place (a communiqué opens on its bureau's name); the title or file name does."""
    read, _ = pile
    others = [(doc, metadata) for doc, metadata, _ in read if doc.name.split("/")[0] not in WORK_REPORTS]
    assert len(others) == 15
    for doc, metadata in others:
        assert metadata.place is not None, doc.name
        assert metadata.place.name[:2] in Path(doc.name).name, (doc.name, metadata.place.name)
        assert metadata.year is not None and str(metadata.year) in doc.name or metadata.year == 2024, \
            (doc.name, metadata.year)


def test_every_report_has_a_real_title_its_place_and_its_year(pile):
    read, _ = pile
    for doc, metadata, _ in read:
        if doc.name.split("/")[0] not in WORK_REPORTS:
            continue
        assert "政府工作报告" in metadata.title, doc.name
        assert not any(word in metadata.title for word in CHROME_WORDS), (doc.name, metadata.title)
        year, named = NAMED_PLACE.search(Path(doc.name).name).groups() if "national" not in doc.name \
            else (re.search(r"\d{4}", doc.name).group(), "national")
        assert metadata.year == int(year), (doc.name, metadata.year)
        assert metadata.reviews == int(year) - 1, doc.name
        assert metadata.place is not None, doc.name
        if named == "national":
            assert metadata.place.level == "national", doc.name
        else:
            assert metadata.place.name.startswith(named[:2]), (doc.name, metadata.place.name)


def test_web_reports_have_their_delivery_date(pile):
    read, _ = pile
    for doc, metadata, _ in read:
        if doc.name.startswith("provinces-2026-web/"):
            assert re.fullmatch(r"2026-0[12]-\d\d", metadata.date), (doc.name, metadata.date)


def test_no_passage_exceeds_the_bound_and_none_splits_a_figure(pile):
    read, _ = pile
    for doc, _, passages in read:
        figures = [(f.start, f.end) for f in extract_figures(doc.text)]
        boundaries = set()
        for p in passages:
            assert 0 < len(p.text) <= MAX_CHARS, p.id
            assert "\u200b" not in p.text and "\u3000" not in p.text
            boundaries.add(p.start)
            boundaries.add(p.end)
        originals = [(int(doc.origin[s]), int(doc.origin[e - 1]) + 1) for s, e in figures]
        for s, e in originals:
            assert not any(s < b < e for b in boundaries), (doc.name, doc.original[s:e])


def test_no_heading_is_a_link_word_or_page_chrome(pile):
    read, _ = pile
    for doc, _, passages in read:
        for p in passages:
            for heading in p.section:
                assert heading.strip(), p.id
                assert heading not in CHROME_WORDS and not heading.startswith(("》", "，", "、", "。", "）")), (p.id, heading)
                assert not heading.endswith(("《", "“")), (p.id, heading)
                assert not re.fullmatch(r"[\d.%]+|[A-Za-z ]+|[>|×]", heading), (p.id, heading)


def test_page_chrome_and_licence_footers_are_not_indexed(pile):
    read, _ = pile
    for doc, _, passages in read:
        text = "\n".join(p.text for p in passages)
        for line in ("下载", "打印", "全屏", "【字号：", "相关报道：", "扫一扫在手机打开当前页", "Public domain"):
            assert not any(l.strip() == line for l in text.split("\n")), (doc.name, line)
        assert "公有领域" not in text, doc.name


def test_passages_point_at_the_original_text(pile):
    import numpy as np

    read, _ = pile
    for doc, _, passages in read:
        for p in passages:
            a = int(np.searchsorted(doc.origin, p.start))
            b = a + len(p.text)
            assert doc.text[a:b] == p.text and doc.origin[a] == p.start and doc.origin[b - 1] + 1 == p.end, p.id
            assert all(doc.original[o] == c or c == " " for o, c in zip(doc.origin[a:b], p.text)), p.id
