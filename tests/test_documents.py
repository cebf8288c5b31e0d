"""Tests for qa.documents: decoding, cleaning, the origin offset map, corpus loading."""

import random

import pytest

from qa.documents import (
    DocumentError,
    clean,
    decode,
    load_corpus,
    parse,
    read_document,
    source_files,
)

from conftest import SEED_FILES as SEEDS
from conftest import SEED_IDS
from conftest import SEEDS as SEEDS_DIR


# The opening paragraph of seed 003 (a real report paragraph, plain Chinese with figures).
PARAGRAPH_003 = (
    "2021年是二七区发展史上极不平凡的一年。从上半年经济强势复苏，到7·20特大暴雨灾害、"
    "8月德尔塔病毒疫情大封控，经济社会发展遭遇了极其复杂严峻、艰辛沉重的困难。"
    "2021年，地区生产总值达到784.23亿元，同比增长1.3%。"
)
TITLE_003 = "二七区2021年国民经济和社会发展计划\n执行情况与2022年计划（草案）\n"


def test_seed_count_is_five():
    assert len(SEEDS) == 5


# --- encodings -------------------------------------------------------------------------------


def test_gb18030_file_is_decoded_and_reports_a_gb_encoding(tmp_path):
    text = TITLE_003 + "\n" + PARAGRAPH_003 + "\n"
    path = tmp_path / "report.txt"
    data = text.encode("gb18030")
    path.write_bytes(data)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # the test really exercises the fallback detection

    doc = read_document(path)

    assert doc.text == text
    assert doc.original == text
    assert doc.encoding == "gb18030"
    assert doc.name == "report.txt"
    # whatever name is reported, it must decode the bytes back to the same text
    assert data.decode(doc.encoding) == text


def test_gb18030_seed_files_round_trip_through_decode():
    for path in SEEDS:
        text = path.read_text(encoding="utf-8")
        decoded, encoding = decode(text.encode("gb18030"))
        assert decoded == text, path.name
        assert encoding == "gb18030", path.name


def test_a_very_short_gb18030_file_is_not_mistaken_for_big5():
    for line in ("上半年", "2021年"):
        text, encoding = decode(line.encode("gb18030"))
        assert (text, encoding) == (line, "gb18030")


def test_utf8_file_with_bom_drops_the_bom(tmp_path):
    text = TITLE_003 + "\n" + PARAGRAPH_003
    path = tmp_path / "bom.txt"
    path.write_bytes(text.encode("utf-8-sig"))

    doc = read_document(path)

    assert doc.encoding == "utf-8-sig"
    assert doc.text == text
    assert not doc.original.startswith("\ufeff")
    assert doc.text.startswith("二七区2021年")


def test_utf8_file_is_read_as_utf8(tmp_path):
    text = TITLE_003 + "\n" + PARAGRAPH_003
    path = tmp_path / "plain.md"
    path.write_bytes(text.encode("utf-8"))

    doc = read_document(path)

    assert doc.encoding == "utf-8"
    assert doc.text == text
    assert len(doc.sha256) == 64


def test_sha256_is_of_the_raw_bytes(tmp_path):
    import hashlib

    data = PARAGRAPH_003.encode("gb18030")
    path = tmp_path / "a.txt"
    path.write_bytes(data)
    assert read_document(path).sha256 == hashlib.sha256(data).hexdigest()


def test_seed_files_are_utf8():
    for doc in load_corpus(SEEDS_DIR):
        assert doc.encoding == "utf-8", doc.name


# --- cleaning ----------------------------------------------------------------------------------


def test_bookmark_artifact_is_removed():
    doc = parse("t.txt", "推进灾后重建。[bookmark: _GoBack]加快恢复。\n[bookmark: _Toc123]完成。")
    assert doc.text == "推进灾后重建。加快恢复。\n完成。"
    assert "bookmark" not in doc.text
    assert doc.emphasis == []


def test_bookmark_artifact_in_seed_003_is_removed():
    doc = read_document(SEEDS_DIR / "003_5812a0cf500341c3.txt")
    assert "[bookmark: _GoBack]" in doc.original
    assert "bookmark" not in doc.text
    assert "_GoBack" not in doc.text


def test_emphasis_markers_are_removed_and_span_covers_exactly_the_figure():
    doc = parse("t.txt", "全年地区生产总值达到**784.2亿元**,社会消费品零售总额**498.7亿元**。")
    assert doc.text == "全年地区生产总值达到784.2亿元,社会消费品零售总额498.7亿元。"
    assert [doc.text[s:e] for s, e in doc.emphasis] == ["784.2亿元", "498.7亿元"]
    assert doc.emphasis[0] == (10, 17)


def test_emphasis_spans_in_seed_000_hold_the_bold_figures():
    doc = read_document(SEEDS_DIR / "000_98a65f370833c6d2.txt")
    emphasised = [doc.text[s:e] for s, e in doc.emphasis]
    assert emphasised[:3] == ["1.04万人", "6.8万余人", "311个"]
    assert "784.2亿元" in emphasised
    assert "**" not in doc.text
    assert doc.original.count("**") == 2 * len(doc.emphasis)


def test_empty_emphasis_pair_leaves_no_span():
    doc = parse("t.txt", "前****后")
    assert doc.text == "前后"
    assert doc.emphasis == []


def test_clean_equals_parse_text_for_every_seed():
    for doc in load_corpus(SEEDS_DIR):
        assert clean(doc.original) == doc.text, doc.name


# --- the origin map ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", SEEDS, ids=SEED_IDS)
def test_every_cleaned_character_comes_from_the_same_original_character(path):
    doc = read_document(path)
    assert len(doc.origin) == len(doc.text)
    for i, char in enumerate(doc.text):
        source = doc.original[doc.origin[i] : doc.origin[i] + 1]
        assert source == char or (char == " " and source.isspace()), (doc.name, i)
    assert all(a < b for a, b in zip(doc.origin, doc.origin[1:])), "origin must be strictly increasing"


@pytest.mark.parametrize("path", SEEDS, ids=SEED_IDS)
def test_original_span_maps_cleaned_spans_back(path):
    doc = read_document(path)
    rng = random.Random(path.name)
    spans = []
    for _ in range(400):
        a = rng.randrange(len(doc.text))
        b = rng.randrange(a + 1, min(len(doc.text), a + 400) + 1)
        spans.append((a, b))
    # spans that begin or end right next to a removed artifact, the places an offset bug shows
    for s, e in doc.emphasis:
        spans += [(s, e), (max(0, s - 3), e), (s, min(len(doc.text), e + 3)), (s, s + 1), (e - 1, e)]
    for a, b in spans:
        start, end = doc.original_span(a, b)
        kept = "".join(doc.original[o] for o in doc.origin[a:b])
        assert kept == doc.text[a:b] and all(start <= o < end for o in doc.origin[a:b]), (doc.name, a, b)
        assert doc.original[start] == doc.text[a]
        assert doc.original[end - 1] == doc.text[b - 1]


def test_original_span_skips_the_emphasis_markers():
    doc = parse("t.txt", "达到**784.2亿元**。")
    s, e = doc.emphasis[0]
    start, end = doc.original_span(s, e)
    assert doc.original[start:end] == "784.2亿元"
    start, end = doc.original_span(0, len(doc.text))
    assert doc.original[start:end] == "达到**784.2亿元**。"


def test_original_span_across_a_bookmark():
    doc = parse("t.txt", "甲乙[bookmark: _GoBack]丙丁")
    assert doc.text == "甲乙丙丁"
    assert list(doc.origin) == [0, 1, 21, 22]
    assert doc.original_span(1, 3) == (1, 22)
    assert clean(doc.original[1:22]) == "乙丙"


# --- line endings ------------------------------------------------------------------------------


def test_crlf_line_endings_are_normalised(tmp_path):
    lf_text = "一、总体情况\n全年经济平稳运行。\n\n二、主要任务\n**稳增长**。\n"
    crlf = tmp_path / "crlf.txt"
    crlf.write_bytes(lf_text.replace("\n", "\r\n").encode("utf-8"))
    lf = tmp_path / "lf.txt"
    lf.write_bytes(lf_text.encode("utf-8"))

    crlf_doc, lf_doc = read_document(crlf), read_document(lf)

    assert "\r" not in crlf_doc.text
    assert "\r" not in crlf_doc.original
    assert crlf_doc.text == lf_doc.text == "一、总体情况\n全年经济平稳运行。\n\n二、主要任务\n稳增长。\n"
    assert list(crlf_doc.origin) == list(lf_doc.origin)
    assert crlf_doc.emphasis == lf_doc.emphasis == [(25, 28)]


def test_lone_carriage_returns_are_line_breaks():
    doc = parse("t.txt", "第一行\r第二行\r\n第三行")
    assert doc.text == "第一行\n第二行\n第三行"


# --- folders -----------------------------------------------------------------------------------


def test_missing_folder_raises_document_error_naming_it(tmp_path):
    missing = tmp_path / "no_such_seeds"
    with pytest.raises(DocumentError, match="not found") as info:
        source_files(missing)
    assert str(missing) in str(info.value)
    with pytest.raises(DocumentError, match="not found"):
        load_corpus(missing)


def test_a_file_given_as_folder_raises_document_error(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("正文。", encoding="utf-8")
    with pytest.raises(DocumentError):
        source_files(path)


def test_folder_without_readable_reports_raises_document_error(tmp_path):
    (tmp_path / "notes.json").write_text("{}", encoding="utf-8")
    (tmp_path / "sub.txt").mkdir()  # a directory with a .txt name is not a source file
    with pytest.raises(DocumentError, match=r"no readable reports") as info:
        source_files(tmp_path)
    assert str(tmp_path) in str(info.value)
    with pytest.raises(DocumentError, match=r"no readable reports"):
        load_corpus(tmp_path)


def test_empty_folder_raises_document_error(tmp_path):
    with pytest.raises(DocumentError, match=r"no readable reports"):
        load_corpus(tmp_path)


def test_sources_are_found_recursively_by_suffix_in_path_order(tmp_path):
    for name in ("b.md", "a.txt", "C.TXT", "d.docx", "e.json", "f.txt.bak", "README", "README.md", "~$lock.docx",
                 ".hidden.txt", "g.PDF", "h.htm"):
        (tmp_path / name).write_text("正文。", encoding="utf-8")
    (tmp_path / "nested.md").mkdir()
    (tmp_path / "nested.md" / "inner.txt").write_text("内层。", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("不是报告。", encoding="utf-8")

    names = [p.relative_to(tmp_path).as_posix() for p in source_files(tmp_path)]
    assert names == ["C.TXT", "a.txt", "b.md", "d.docx", "g.PDF", "h.htm", "nested.md/inner.txt"]


def test_linked_folders_are_read_and_a_link_back_up_is_not_followed_forever(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "national").mkdir(parents=True)
    (elsewhere / "national" / "2024.txt").write_text("正文。", encoding="utf-8")
    pile = tmp_path / "pile"
    pile.mkdir()
    (pile / "seed.txt").write_text("正文。", encoding="utf-8")
    (pile / "national").symlink_to(elsewhere / "national", target_is_directory=True)
    (pile / "loop").symlink_to(pile, target_is_directory=True)

    names = [p.relative_to(pile).as_posix() for p in source_files(pile)]
    assert names == ["national/2024.txt", "seed.txt"]


def test_unreadable_files_are_reported_and_the_rest_still_read(tmp_path):
    from qa.documents import iter_documents

    (tmp_path / "good.txt").write_text("一、总体情况\n全年经济平稳运行。\n", encoding="utf-8")
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "good.md").write_text("正文。", encoding="utf-8")
    problems = []
    names = [doc.name for doc in iter_documents(tmp_path, problems)]
    assert names == ["good.txt", "sub/good.md"]
    assert [p.source for p in problems] == ["broken.docx", "empty.txt"]
    assert all(str(p).startswith(p.source + ": ") and "\n" not in str(p) for p in problems)


def test_load_corpus_reads_the_five_seeds():
    docs = load_corpus(SEEDS_DIR)
    assert [d.name for d in docs] == [p.name for p in SEEDS]
    assert all(d.text and d.sha256 for d in docs)


def test_unreadable_file_raises_document_error(tmp_path):
    with pytest.raises(DocumentError, match="cannot read"):
        read_document(tmp_path / "gone.txt")
