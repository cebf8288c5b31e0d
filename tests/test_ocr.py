"""OCR of scanned PDFs and of pictures inside Word and PDF files (qa.converters.ocr)."""

from __future__ import annotations

import io

import pytest

from benchmarks.ocr import cjk_font, docx_with_pictures, draw_pages, draw_table, image_pdf
from qa.chunking import chunk_document, describe
from qa.citations import cite
from qa.converters import ConversionError, convert, ocr
from qa.documents import read_document

FONT = cjk_font()
needs_ocr = pytest.mark.skipif(not ocr.available(), reason=ocr.unavailable() or "OCR is available")
needs_font = pytest.mark.skipif(FONT is None, reason="no CJK font to draw test scans (apt-get install fonts-noto-cjk)")

SIZE, MARGIN, DPI = (900, 640), 60, 150
PAGE_ONE = [("heading", "一、经济运行"), ("para", "全年地区生产总值784.2 亿元，比上年增长6.5%。")]
PAGE_TWO = [("heading", "二、财政收支"), ("para", "一般公共预算收入56.3亿元，增长8.1%。")]
TABLE = [["指标", "2022年", "2023年"], ["地区生产总值", "784.2亿元", "820.1亿元"], ["财政收入", "56.3亿元", "60.8亿元"]]


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory):
    return tmp_path_factory.mktemp("ocr-cache")


@pytest.fixture(autouse=True)
def temporary_cache(shared_cache, monkeypatch):
    """Identical test pictures are read once per session, never into the user's cache."""
    monkeypatch.setenv("QA_CACHE", str(shared_cache))


def _pages(blocks):
    return [image for image, _ in draw_pages(blocks, FONT, size=SIZE, margin=MARGIN, dpi=DPI)]


@pytest.fixture(scope="session")
def scanned_pdf(tmp_path_factory):
    if FONT is None:
        pytest.skip("no CJK font")
    path = tmp_path_factory.mktemp("scan") / "scan.pdf"
    return image_pdf(_pages(PAGE_ONE) + _pages(PAGE_TWO), path, dpi=DPI)


@needs_ocr
@needs_font
def test_a_scanned_pdf_is_read_by_ocr_page_by_page(scanned_pdf):
    converted = convert(scanned_pdf)
    text = converted.text
    assert "784.2亿元" in text  # the space OCR reads between a figure and its unit is removed
    assert "增长6.5%" in text and "56.3亿元" in text
    assert converted.locate(text.index("784.2亿元")) == 1
    assert converted.locate(text.index("56.3亿元")) == 2
    heading = text.index("一、经济运行")
    assert any(hint.start == heading for hint in converted.headings)  # the taller line
    assert converted.ocr == [(0, len(text))]
    assert converted.notes == []


@needs_ocr
@needs_font
def test_a_passage_read_by_ocr_is_cited_with_its_page_and_the_ocr_mark(scanned_pdf):
    document = read_document(scanned_pdf)
    passages = chunk_document(document, describe(document))
    passage = next(p for p in passages if "56.3亿元" in p.text)
    assert passage.ocr and passage.unit == "page" and passage.location == 2
    citation = cite(passage, {})
    assert "【OCR】" in citation.reference_zh and citation.reference_zh.endswith("：2【OCR】．")
    assert "(OCR)" in citation.reference_en and "p. 2 (OCR)" in citation.reference
    assert citation.to_dict()["ocr"] is True and "ocr" not in cite(passage.__class__(**{**passage.__dict__, "ocr": False}), {}).to_dict()
    assert type(passage).from_dict(passage.to_dict()) == passage


@needs_ocr
@needs_font
def test_ocr_results_are_cached_by_content(scanned_pdf, tmp_path, monkeypatch):
    monkeypatch.setenv("QA_CACHE", str(tmp_path / "cache"))
    read, cached = ocr.STATS.pages, ocr.STATS.cached
    first = convert(scanned_pdf).text
    assert ocr.STATS.pages == read + 2
    assert len(list((tmp_path / "cache" / "ocr").rglob("*.json"))) == 2
    assert convert(scanned_pdf).text == first
    assert ocr.STATS.pages == read + 2 and ocr.STATS.cached == cached + 2  # nothing read twice


@needs_ocr
@needs_font
def test_a_table_picture_in_word_becomes_table_rows(tmp_path):
    from PIL import Image

    photo = Image.linear_gradient("L").resize((400, 300)).convert("RGB")  # a picture without text adds nothing
    icon = Image.new("RGB", (40, 40), "red")  # too small to hold text: not read at all
    before = "全年经济运行总体平稳，主要指标好于预期，" * 4 + "主要指标见下表。"
    path = docx_with_pictures(tmp_path / "report.docx", before,
                              [icon, draw_table("表1 主要经济指标", TABLE, FONT), photo], "以上数据为初步统计。")
    converted = convert(path)
    assert converted.notes == []
    (table,) = converted.tables
    assert table.picture == 1 and table.caption == "表1主要经济指标"  # tidied as a text layer's caption is
    header = converted.text[table.header[0]:table.header[1]]
    rows = [converted.text[start:end] for start, end in table.rows]
    assert header == "指标 | 2022年 | 2023年"
    assert rows == ["地区生产总值 | 784.2亿元 | 820.1亿元", "财政收入 | 56.3亿元 | 60.8亿元"]
    assert converted.text.endswith("以上数据为初步统计。")

    document = read_document(path)
    passages = chunk_document(document, describe(document))
    row = next(p for p in passages if p.table and "820.1亿元" in p.text)
    assert row.ocr and row.picture == 1 and row.row == 1 and row.context == "指标 | 2022年 | 2023年"
    assert row.where == "para. 3, picture 1, row 1"  # the icon stands in paragraph 2
    assert row.section[-1] == "表1主要经济指标"
    assert "【OCR】" in cite(row, {}).reference_zh
    typed = next(p for p in passages if "主要指标见下表" in p.text)
    assert not typed.ocr and "OCR" not in cite(typed, {}).reference_zh


@needs_ocr
@needs_font
def test_a_mixed_pdf_reads_its_text_layer_and_its_pictures(tmp_path):
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "mixed.pdf"
    pdf = canvas.Canvas(str(path), pagesize=(595, 842))
    pdf.setFont("STSong-Light", 12)
    typed = ["本页正文由文字层给出，全年经济运行总体平稳，主要指标好于预期，", "就业物价总体稳定，居民收入持续增加，民生保障有力有效，社会大局",
             "和谐稳定，高质量发展迈出坚实步伐，下图为主要指标。"]  # a passage of its own (80 characters or more)
    for number, line in enumerate(typed):
        pdf.drawString(72, 770 - number * 18, line)
    picture = draw_table("表1 主要经济指标", TABLE, FONT)
    width = 400
    height = width * picture.height / picture.width
    pdf.drawImage(ImageReader(picture), 72, 700 - height, width=width, height=height)
    pdf.showPage()
    pdf.save()

    converted = convert(path)
    text = converted.text
    assert text.startswith("".join(typed) + "\n")
    (table,) = converted.tables
    assert table.picture == 1
    assert [text[start:end] for start, end in table.rows][0] == "地区生产总值 | 784.2亿元 | 820.1亿元"
    document = read_document(path)
    passages = chunk_document(document, describe(document))
    row = next(p for p in passages if p.table and "820.1亿元" in p.text)
    assert row.ocr and row.where == "p. 1, picture 1, row 1"
    typed = next(p for p in passages if "文字层" in p.text)
    assert not typed.ocr and "OCR" not in cite(typed, {}).reference_zh


# ---------------------------------------------------------------- bad input

def test_an_encrypted_pdf_is_refused_with_its_reason(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "locked.pdf"
    pdf = canvas.Canvas(str(path), encrypt="secret")
    pdf.drawString(72, 720, "locked")
    pdf.showPage()
    pdf.save()
    with pytest.raises(ConversionError, match="password-protected"):
        convert(path)


def test_a_damaged_picture_is_passed_over_with_a_note(tmp_path):
    import zipfile

    good = docx_with_pictures(tmp_path / "good.docx", "正文第一段。", [_png_bytes()], "正文第二段。")
    path = tmp_path / "broken-picture.docx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            target.writestr(item, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64 if item.filename.startswith("word/media/") else data)
    converted = convert(path)
    assert "正文第一段。" in converted.text and "正文第二段。" in converted.text
    assert converted.notes == ["a picture in paragraph 2 not read: not a readable image"]


def _png_bytes(size=(300, 200)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, format="PNG")
    return buffer.getvalue()


@needs_ocr
@needs_font
def test_a_long_scan_is_read_up_to_the_page_limit_with_a_note(tmp_path, monkeypatch):
    from PIL import Image

    monkeypatch.setenv("QA_OCR_PAGES", "2")
    blank = Image.new("L", SIZE, 255)
    pages = _pages(PAGE_ONE) + _pages(PAGE_TWO) + [blank] * 198
    path = image_pdf(pages, tmp_path / "long.pdf", dpi=DPI)
    read = ocr.STATS.pages + ocr.STATS.cached
    converted = convert(path)
    assert ocr.STATS.pages + ocr.STATS.cached - read == 2  # the blank pages past the limit are not even looked at
    assert "784.2亿元" in converted.text and "56.3亿元" in converted.text
    assert len(converted.unit_starts) == 200
    assert converted.notes == ["pages 3–200 not read by OCR: past the limit of 2 OCR-ed pages per document (QA_OCR_PAGES)"]


@needs_ocr
@needs_font
def test_a_huge_picture_is_downscaled_before_ocr(tmp_path, monkeypatch):
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", (10_000, 10_000), 255)
    ImageDraw.Draw(image).text((500, 4000), "地区生产总值784.2亿元", font=ImageFont.truetype(str(FONT), 600), fill=0)
    buffer = io.BytesIO()
    image.convert("1").save(buffer, format="PNG")
    del image
    path = docx_with_pictures(tmp_path / "huge.docx", "附图：", [buffer.getvalue()])
    seen = []
    recognise = ocr._recognise
    monkeypatch.setattr(ocr, "_recognise", lambda picture: seen.append(picture.size) or recognise(picture))
    monkeypatch.setenv("QA_CACHE", str(tmp_path / "cache"))  # read afresh, so the engine's input is seen
    converted = convert(path)
    assert seen and all(max(size) <= ocr.MAX_SIDE for size in seen)
    assert "784.2亿元" in converted.text
    assert converted.notes == []


def test_a_picture_beyond_the_pixel_limit_is_skipped_with_its_reason(tmp_path, monkeypatch):
    monkeypatch.setattr(ocr, "MAX_PIXELS", 50_000)
    path = docx_with_pictures(tmp_path / "big.docx", "附图：", [_png_bytes((400, 300))])
    converted = convert(path)
    assert converted.notes == ["picture 1 not read: too large to OCR (400×300 pixels; at most 50,000 are read)"]


@needs_ocr
@needs_font
def test_a_build_keeps_the_ocr_marks_and_says_what_it_read_in_part(scanned_pdf, tmp_path, hash_embedder):
    import shutil
    import zipfile

    from qa.index import BuildProgress, build_index, open_store

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(scanned_pdf, seeds / "scan.pdf")
    docx_with_pictures(seeds / "table.docx", "主要指标见下表。", [draw_table("表1 主要经济指标", TABLE, FONT)])
    good = docx_with_pictures(tmp_path / "good.docx", "正文。", [_png_bytes()])
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(seeds / "broken.docx", "w") as target:
        for item in source.infolist():
            target.writestr(item, b"damaged" if item.filename.startswith("word/media/") else source.read(item))

    class Notes(BuildProgress):
        def __init__(self):
            self.lines = []

        def note(self, line):
            self.lines.append(line)

    progress = Notes()
    report = build_index(seeds, tmp_path / "index", hash_embedder, progress=progress)
    assert report.problems == []
    assert progress.lines == ["broken.docx: a picture in paragraph 2 not read: not a readable image"]
    store = open_store(tmp_path / "index")
    passages = list(store.iter_passages())
    scanned = next(p for p in passages if "56.3亿元" in p.text)
    assert scanned.ocr and scanned.location == 2
    assert not next(p for p in passages if p.source == "broken.docx").ocr
    row = next(p for p in passages if p.source == "table.docx" and p.table)
    assert row.ocr and row.picture == 1 and row.where == "para. 2, picture 1, row 1"


def test_the_page_says_where_a_picture_row_is_and_that_ocr_read_it():
    from qa.chunking import Passage
    from qa.page import located

    passage = Passage("a.pdf:0-9", "a.pdf", "", [], 0, 9, "地区生产总值 | 784.2亿元", unit="page", location=3,
                      table=2, row=1, picture=1, ocr=True)
    assert located(passage, "zh") == "第 3 页 · 图 1 第 1 行 · 【OCR】识别"
    assert located(passage, "en") == "p. 3 · picture 1, row 1 · (OCR)"


def test_without_an_ocr_engine_a_scanned_pdf_says_why(scanned_pdf, monkeypatch):
    monkeypatch.setattr(ocr, "unavailable", lambda: "OCR is not available (ImportError: no module named cv2)")
    with pytest.raises(ConversionError, match=r"^no text layer, and OCR is not available \(ImportError"):
        convert(scanned_pdf)


def _chart():
    """A bar chart: a title, values above the bars, years below."""
    from PIL import Image, ImageDraw, ImageFont

    font, small = ImageFont.truetype(str(FONT), 23), ImageFont.truetype(str(FONT), 19)
    image = Image.new("RGB", (900, 560), "white")
    draw = ImageDraw.Draw(image)
    title = "2019—2023年地区生产总值（亿元）"
    draw.text(((900 - font.getlength(title)) / 2, 20), title, font=font, fill="black")
    draw.line((80, 480, 860, 480), fill="black")
    for index, value in enumerate([612.5, 650.3, 701.8, 784.2, 820.1]):
        x, top = 130 + index * 150, 480 - value / 2
        draw.rectangle((x, top, x + 70, 480), fill=(70, 110, 180))
        draw.text((x + 35 - small.getlength(f"{value}") / 2, top - 30), f"{value}", font=small, fill="black")
        draw.text((x + 35 - small.getlength(str(2019 + index)) / 2, 495), str(2019 + index), font=small, fill="black")
    return image


@needs_ocr
@needs_font
def test_a_chart_gives_its_title_and_labels_not_a_table(tmp_path):
    converted = convert(docx_with_pictures(tmp_path / "chart.docx", "近五年经济总量稳步增长。", [_chart()]))
    assert converted.tables == [] and converted.notes == []
    read = converted.text[converted.text.index("\n"):]
    # its title stays; its ticks and data labels, bare numbers no reader can check, do not
    assert "地区生产总值" in read and "2023" in read and "784.2" not in read
    assert converted.ocr and converted.ocr[0][0] > len("近五年经济总量稳步增长。")


@needs_ocr
@needs_font
def test_a_picture_beside_the_text_is_read_as_a_block_of_its_own(tmp_path):
    from PIL import Image, ImageDraw, ImageFont
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    picture = Image.new("RGB", (520, 300), "white")
    draw = ImageDraw.Draw(picture)
    font = ImageFont.truetype(str(FONT), 30)
    for number, line in enumerate(["图示：全年粮食产量", "达到1.3万亿斤", "比上年增长2.1%"]):
        draw.text((20, 30 + number * 80), line, font=font, fill="black")
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "beside.pdf"
    pdf = canvas.Canvas(str(path), pagesize=(595, 842))
    pdf.setFont("STSong-Light", 12)
    left = ["全年经济运行总体平稳，主要指标好于预期", "就业物价总体稳定，居民收入持续增加，民", "生保障有力有效，社会大局和谐稳定。"]
    for number, line in enumerate(left):
        pdf.drawString(72, 760 - number * 18, line)
    pdf.drawImage(ImageReader(picture), 330, 640, width=208, height=120)
    pdf.showPage()
    pdf.save()

    text = convert(path).text
    assert "".join(left) in text  # the text layer's paragraph is not broken by the picture's lines beside it
    assert "1.3万亿斤" in text and "增长2.1%" in text


@pytest.mark.parametrize("read, meant", [
    ("品牌6 8个，1 1 6 . 7万亩高标准农田", "品牌68个，116.7万亩高标准农田"),
    ("住宿业零售额2 3 . 6 1亿元，增长7 . 3%", "住宿业零售额23.61亿元，增长7.3%"),
    ("图2 2 0 1 7 - 2 0 2 3年居民收入", "图2 2017 - 2023年居民收入"),
    ("表12 2 0 2 3年末常住人口", "表12 2023年末常住人口"),
])
def test_a_number_read_with_spaces_between_its_digits_is_closed(read, meant):
    assert ocr.tidy_text(read) == meant


@pytest.mark.parametrize("cells", ["392.66 45.31", "1 23.5"])
def test_two_numbers_side_by_side_stay_apart(cells):
    assert ocr.tidy_text(cells) == cells


def test_ru_read_as_ren_is_put_back_where_it_makes_a_word():
    assert ocr.tidy_text("城镇居民人均可支配收人33084元，深人推进") == "城镇居民人均可支配收入33084元，深入推进"


@pytest.mark.parametrize("text", ["税收人员", "金融人才", "增加人口", "促进人的全面发展", "国家领导人"])
def test_ren_that_begins_a_word_of_its_own_is_kept(text):
    assert ocr.tidy_text(text) == text


def _row(*cells: str, top: float = 0.0) -> "ocr.Row":
    boxes, x = [], 0.0
    for text in cells:
        boxes.append([ocr.Box(text, x, top, x + 30.0 * len(text), top + 30.0, 0.99)])
        x += 30.0 * len(text) + 120.0
    return ocr.Row(boxes)


def test_a_charts_numbers_on_a_scanned_page_are_left_out():
    rows = [_row("全年居民人均可支配收入23102元。"), _row("23102", "25.0"), _row("25,000", "21983"), _row("20773"),
            _row("18321", "19143", "20.0"), _row("15,000"), _row("2017年", "2018年")]
    kept = [row.text() for row in ocr.without_chart_numbers(rows)]
    assert kept == ["全年居民人均可支配收入23102元。", rows[-1].text()]


def test_a_table_of_bare_numbers_keeps_its_rows():
    rows = [_row("2019", "784.2", "6.5%"), _row("2020", "801.5", "2.2%"), _row("2021", "850.1", "6.1%"),
            _row("2022", "870.3", "2.4%")]
    assert ocr.without_chart_numbers(rows) == rows


@pytest.mark.parametrize("footer", ["-8一", "—9一", "- 11一", "一 12 一", "—8—"])
def test_a_page_number_whose_dashes_ocr_reads_as_yi_is_a_page_number(footer):
    from qa.converters import pdf

    assert pdf._PAGE_NUMBER.match(footer)


def test_a_sentence_ending_above_a_table_picture_is_not_its_title():
    rows = [_row("全市战略性新兴产业增加值同比增长3.9%。", top=0), _row("指标", "比上年增长", top=60),
            _row("工业", "5.0", top=100), _row("建筑业", "6.1", top=140)]
    blocks = ocr.layout(rows)
    assert [block.table for block in blocks][0] == []
    assert blocks[1].table[0] == ["指标", "比上年增长"]
