"""Word, web page and PDF converters: text, heading and table hints, locators, unreadable files.

The files are built here: the .docx with python-docx, the PDF with reportlab and its
built-in CID font STSong-Light (no font file needed; pdfplumber reads its Chinese back).
"""

import datetime
import io
import zipfile
from pathlib import Path

import pytest

from qa.converters import CELL_SEPARATOR, ConversionError, Converted, convert
from qa.converters import docx as docx_converter
from qa.converters import html as html_converter
from qa.converters import pdf as pdf_converter

CORPUS_DOCX = Path(__file__).resolve().parent.parent / "corpus" / "provinces-2025-docx"
TABLE_HEADER = "指标 | 2021年 | 2022年"
TABLE_ROWS = ["地区生产总值 | 784.2亿元 | 820.1亿元", "固定资产投资 | 312.5亿元 | 330.0亿元"]


def lines_of(converted: Converted) -> list[str]:
    return converted.text.split("\n")


def heading_texts(converted: Converted) -> list[tuple[str, int]]:
    return [(converted.text[hint.start:hint.end], hint.level) for hint in converted.headings]


def table_texts(converted: Converted, number: int = 1) -> tuple[str, str | None, list[str]]:
    table = converted.tables[number - 1]
    header = converted.text[table.header[0]:table.header[1]] if table.header else None
    return table.caption, header, [converted.text[start:end] for start, end in table.rows]


# ------------------------------------------------------------------ Word


def make_docx(path: Path) -> Path:
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    document.core_properties.title = "2024年某市政府工作报告"
    document.core_properties.created = datetime.datetime(2024, 1, 25, 9, 30)
    document.add_heading("2024年某市政府工作报告", level=0)  # style "Title"
    document.add_paragraph("各位代表：")
    document.add_heading("一、2023年工作回顾", level=1)
    document.add_paragraph("全市地区生产总值达到784.2亿元，增长5.5%。")
    document.add_heading("（一）经济运行稳中向好", level=2)
    document.add_paragraph("一般公共预算收入完成52.3亿元。")
    document.add_paragraph("表1 主要经济指标")
    table = document.add_table(rows=4, cols=3)
    for row, values in zip(table.rows, [["指标", "2021年", "2022年"], ["地区生产总值", "784.2亿元", "820.1亿元"],
                                        ["固定资产投资", "312.5亿元", "330.0亿元"]]):
        for cell, value in zip(row.cells, values):
            cell.text = value
    merged = table.cell(3, 0).merge(table.cell(3, 2))
    merged.text = "注：数据为初步核算数"
    outlined = document.add_paragraph("二、2024年工作安排")  # Normal style, outline level 1 set directly
    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), "0")
    outlined._p.get_or_add_pPr().append(outline)
    document.add_paragraph("")
    document.add_paragraph("今年全市地区生产总值预期增长5%左右。")
    document.save(path)
    return path


@pytest.fixture
def docx_file(tmp_path):
    return make_docx(tmp_path / "report.docx")


def test_docx_paragraphs_and_table_rows_are_lines_in_document_order(docx_file):
    converted = convert(docx_file)
    assert lines_of(converted) == [
        "2024年某市政府工作报告",
        "各位代表：",
        "一、2023年工作回顾",
        "全市地区生产总值达到784.2亿元，增长5.5%。",
        "（一）经济运行稳中向好",
        "一般公共预算收入完成52.3亿元。",
        "表1 主要经济指标",
        TABLE_HEADER,
        *TABLE_ROWS,
        "注：数据为初步核算数",
        "二、2024年工作安排",
        "",
        "今年全市地区生产总值预期增长5%左右。",
    ]
    assert converted.unit == "paragraph"
    assert len(converted.unit_starts) == len(lines_of(converted))
    assert converted.locate(converted.text.index("52.3亿元")) == 6
    assert converted.locate(converted.text.index("预期增长")) == 14


def test_docx_heading_styles_and_outline_levels_become_heading_hints(docx_file):
    converted = convert(docx_file)
    assert heading_texts(converted) == [
        ("2024年某市政府工作报告", 1),
        ("一、2023年工作回顾", 1),
        ("（一）经济运行稳中向好", 2),
        ("二、2024年工作安排", 1),
    ]


def test_docx_table_hint_has_caption_header_and_rows_with_merged_cells_once(docx_file):
    converted = convert(docx_file)
    assert len(converted.tables) == 1
    assert converted.tables[0].number == 1
    caption, header, rows = table_texts(converted)
    assert caption == "表1 主要经济指标"
    assert header == TABLE_HEADER
    assert rows == [*TABLE_ROWS, "注：数据为初步核算数"]
    assert CELL_SEPARATOR == " | "


def test_docx_table_whose_first_row_has_an_empty_corner_keeps_it_as_the_header(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("表1 凯里市居民消费价格")
    table = document.add_table(rows=4, cols=2)
    for row, cells in zip(table.rows, [("", "比上年上涨（%）"), ("居民消费价格总指数", "1.5"),
                                       ("1.食品烟酒", "2.6"), ("2.衣着", "1.0")]):
        for cell, text in zip(row.cells, cells):
            cell.text = text
    path = tmp_path / "prices.docx"
    document.save(path)
    caption, header, rows = table_texts(convert(path))
    assert caption == "表1 凯里市居民消费价格"
    assert header == " | 比上年上涨（%）"
    assert rows == ["居民消费价格总指数 | 1.5", "1.食品烟酒 | 2.6", "2.衣着 | 1.0"]


def test_docx_table_of_a_charts_years_alone_is_left_as_lines_not_rows(tmp_path):
    import docx

    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    for row, cells in zip(table.rows, [("%", "图3 2012-2016年居民消费价格涨跌幅度", ""), ("2014年", "2015年", "2016年")]):
        for cell, text in zip(row.cells, cells):
            cell.text = text
    path = tmp_path / "chart.docx"
    document.save(path)
    converted = convert(path)
    assert converted.tables == []
    assert "2014年 | 2015年 | 2016年" in converted.text


def test_docx_states_its_core_title_and_created_date(docx_file):
    assert convert(docx_file).stated == {"title": "2024年某市政府工作报告", "date": "2024-01-25"}


def test_docx_soft_line_break_stays_inside_its_paragraph_unit(tmp_path):
    import docx

    document = docx.Document()
    paragraph = document.add_paragraph("来源：某市人民政府")
    paragraph.add_run().add_break()
    paragraph.add_run("2024年1月18日在市人民代表大会上")
    document.add_paragraph("各位代表：")
    document.save(tmp_path / "br.docx")
    converted = convert(tmp_path / "br.docx")
    assert converted.text == "来源：某市人民政府\n2024年1月18日在市人民代表大会上\n各位代表："
    assert converted.locate(converted.text.index("2024年")) == 1
    assert converted.locate(converted.text.index("各位代表")) == 2


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"this is not a word file at all", "not a zip package"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "old binary .doc"),
        (None, "no Word document inside"),
    ],
)
def test_unreadable_docx_raises_conversion_error(tmp_path, data, reason):
    if data is None:  # a zip that is not a Word package
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("hello.txt", "hello")
        data = buffer.getvalue()
    path = tmp_path / "broken.docx"
    path.write_bytes(data)
    with pytest.raises(ConversionError, match="not a readable Word file") as error:
        convert(path)
    assert reason in str(error.value)


def test_every_corpus_docx_converts_to_text():
    files = sorted(CORPUS_DOCX.glob("*.docx")) if CORPUS_DOCX.is_dir() else []
    if not files:
        pytest.skip(f"{CORPUS_DOCX} is not here")
    for path in files:
        converted = convert(path)
        assert converted.text.strip(), path.name
        assert "政府工作报告" in converted.text, path.name
        assert converted.unit == "paragraph" and len(converted.unit_starts) >= 40, path.name


# ------------------------------------------------------------------ web pages

PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="{charset}">
<title>2024年政府工作报告_某市人民政府门户网站</title>
<meta name="PubDate" content="2024-01-25 10:00"></head>
<body>
<header><div class="logo">某市人民政府门户网站</div>
<nav><ul><li><a href="/">首页</a></li><li><a href="/zw">政务公开</a></li><li><a href="/fw">政务服务</a></li>
<li><a href="/hd">互动交流</a></li></ul></nav></header>
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/zw">政务公开</a></div>
<div class="main"><article>
<h1>2024年政府工作报告</h1>
<p>各位代表：</p>
<p>现在，我代表市人民政府，向大会报告工作，
   请予审议。</p>
<h2>一、2023年工作回顾</h2>
<p>全市地区生产总值达到784.2亿元，增长5.5%。一般公共预算收入52.3亿元，同比增长 6.1 %。</p>
<p>表1 主要经济指标</p>
<table><tr><th>指标</th><th>2021年</th><th>2022年</th></tr>
<tr><td>地区生产总值</td><td>784.2亿元</td><td>820.1亿元</td></tr>
<tr><td>固定资产投资</td><td>312.5亿元</td><td>330.0亿元</td></tr></table>
<h2>二、2024年工作安排</h2>
<p>今年经济社会发展的主要预期目标是：</p>
<ul><li>地区生产总值增长5.5%左右；</li><li>城镇新增就业2.5万人。</li></ul>
<h3>（一）扩大有效需求</h3>
<p>积极扩大有效投资，全年实施重点项目300个，the GDP
    target stays.</p>
</article>
<div class="share">分享到：微信 微博 QQ空间</div>
<div class="comments"><h3>网友评论</h3><form><textarea></textarea><button>发表评论</button></form></div>
</div>
<footer><p>主办：某市人民政府办公室 版权所有 ICP备12345678号</p><p>网站标识码 1234567890</p></footer>
</body></html>
"""
ARTICLE_LINES = [
    "2024年政府工作报告",
    "各位代表：",
    "现在，我代表市人民政府，向大会报告工作，请予审议。",
    "一、2023年工作回顾",
    "全市地区生产总值达到784.2亿元，增长5.5%。一般公共预算收入52.3亿元，同比增长 6.1 %。",
    "表1 主要经济指标",
    TABLE_HEADER,
    *TABLE_ROWS,
    "二、2024年工作安排",
    "今年经济社会发展的主要预期目标是：",
    "地区生产总值增长5.5%左右；",
    "城镇新增就业2.5万人。",
    "（一）扩大有效需求",
    "积极扩大有效投资，全年实施重点项目300个，the GDP target stays.",
]


@pytest.fixture
def html_file(tmp_path):
    path = tmp_path / "report.html"
    path.write_text(PAGE.format(charset="utf-8"), encoding="utf-8")
    return path


def test_html_keeps_the_article_and_drops_page_chrome(html_file):
    converted = convert(html_file)
    assert lines_of(converted) == ARTICLE_LINES
    for chrome in ("首页", "政务公开", "当前位置", "分享到", "网友评论", "发表评论", "版权所有", "网站标识码"):
        assert chrome not in converted.text
    assert converted.unit == "paragraph"
    assert len(converted.unit_starts) == len(ARTICLE_LINES)
    assert converted.locate(converted.text.index("城镇新增就业")) == ARTICLE_LINES.index("城镇新增就业2.5万人。") + 1


def test_html_whitespace_is_normalised_and_dropped_between_cjk(html_file):
    text = convert(html_file).text
    assert "向大会报告工作，请予审议。" in text  # the source breaks the line and indents after "，"
    assert "the GDP target stays." in text  # Latin words keep one space


def test_html_headings_become_hints_h1_h2_level_1_h3_level_2(html_file):
    assert heading_texts(convert(html_file)) == [
        ("2024年政府工作报告", 1),
        ("一、2023年工作回顾", 1),
        ("二、2024年工作安排", 1),
        ("（一）扩大有效需求", 2),
    ]


def test_html_table_becomes_rows_with_caption_and_header(html_file):
    converted = convert(html_file)
    assert len(converted.tables) == 1
    assert table_texts(converted) == ("表1 主要经济指标", TABLE_HEADER, TABLE_ROWS)


def test_html_states_title_and_date(html_file):
    assert convert(html_file).stated == {"title": "2024年政府工作报告", "date": "2024-01-25"}


def test_html_declared_gb2312_charset_is_honoured(tmp_path):
    path = tmp_path / "gb.htm"
    path.write_bytes(PAGE.format(charset="gb2312").encode("gb18030"))
    converted = convert(path)
    assert converted.encoding == "gb18030"
    assert lines_of(converted) == ARTICLE_LINES


def test_html_line_breaks_and_raw_tables_in_a_plain_div_page(tmp_path):
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk"><title>预算报告</title></head>'
        '<body><div id="nav"><a href="#">首页</a> | <a href="#">新闻</a></div><div>发布时间：2025-02-03 09:00</div>'
        '<div class="TRS_Editor">　　各位代表：<br>　　受市人民政府委托，现将预算执行情况报告如下，\n请予审议。<br><br>'
        "　　全市一般公共预算收入完成52.3亿元。<br>"
        '<table border=1><tr><td colspan=3>表2 一般公共预算收入情况表</td></tr><tr><td>项目</td><td>预算</td><td>执行</td></tr>'
        "<tr><td>税收收入</td><td>40.0</td><td>41.2</td></tr><tr><td>非税收入</td><td>11.0</td><td>11.1</td></tr></table>"
        '</div><div class="footer">版权所有</div></body></html>'
    )
    path = tmp_path / "budget.html"
    path.write_bytes(page.encode("gbk"))
    converted = convert(path)
    assert "各位代表：\n受市人民政府委托，现将预算执行情况报告如下，请予审议。\n全市一般公共预算收入完成52.3亿元。" in converted.text
    assert table_texts(converted) == ("表2 一般公共预算收入情况表", "项目 | 预算 | 执行", ["税收收入 | 40.0 | 41.2", "非税收入 | 11.0 | 11.1"])
    assert converted.stated == {"title": "预算报告", "date": "2025-02-03"}


def test_html_tool_links_and_related_boxes_at_the_article_edges_are_dropped(tmp_path):
    items = "".join(f"<p>　　（{n}）第{n}项工作。全年完成投资{n}十亿元，带动就业{n}万人。</p>" for n in "一二三四五")
    page = (
        '<html><head><meta charset="utf-8"><title>2026年某省政府工作报告_某省人民政府网</title></head><body>'
        '<div class="top"><a href="/">首页</a><a href="/zw">政务</a></div><div class="article">'
        "<p>下载 打印 全屏 收藏 【字号：<a>加大</a> <a>还原</a> <a>减小</a>】</p>"
        "<h1>2026年某省政府工作报告</h1><p>——2026年1月27日在某省第十四届人民代表大会第四次会议上</p>"
        f"<p>各位代表：</p>{items}<p>【<a>打印本页</a>】 【<a>关闭窗口</a>】</p><p>相关报道：</p></div>"
        '<div class="foot">版权所有：某省人民政府办公厅 网站标识码 1234</div></body></html>'
    )
    path = tmp_path / "report.html"
    path.write_text(page, encoding="utf-8")
    converted = convert(path)
    lines = lines_of(converted)
    assert lines[:3] == ["2026年某省政府工作报告", "——2026年1月27日在某省第十四届人民代表大会第四次会议上", "各位代表："]
    assert lines[-1] == "（五）第五项工作。全年完成投资五十亿元，带动就业五万人。"
    assert heading_texts(converted)[0] == ("2026年某省政府工作报告", 1)
    for chrome in ("字号", "打印", "相关报道", "版权所有"):
        assert chrome not in converted.text
    assert html_converter.is_chrome("【字体： 大 中 小 】") and html_converter.is_chrome("您的位置: 首页 > 要闻")
    assert not html_converter.is_chrome("大中小企业融资更便利") and not html_converter.is_chrome("各位代表：")


def test_html_page_laid_out_in_tables_keeps_its_data_table_in_place(tmp_path):
    paragraphs = "".join(
        f"<p>　　第{i}段：全县经济运行总体平稳，地区生产总值增长{i}.5%，规模以上工业增加值增长{i}.1%。</p>" for i in range(1, 8)
    )
    page = (
        '<html><head><meta charset="utf-8"><title>某县政府工作报告</title></head><body><table width="100%">'
        '<tr><td colspan="2"><a href="/">首页</a> | <a href="/x">政务公开</a> | <a href="/y">办事服务</a></td></tr>'
        '<tr><td width="200"><ul><li><a href="/a">通知公告</a></li><li><a href="/b">政策文件</a></li></ul></td>'
        f"<td>{paragraphs}<p>表1 主要指标</p>"
        '<table border="1"><tr><th>指标</th><th>2024年</th></tr><tr><td>地区生产总值</td><td>120.5亿元</td></tr>'
        "<tr><td>财政收入</td><td>8.2亿元</td></tr></table><p>以上报告，请予审议。</p></td></tr></table></body></html>"
    )
    path = tmp_path / "county.html"
    path.write_text(page, encoding="utf-8")
    converted = convert(path)
    assert "首页" not in converted.text and "通知公告" not in converted.text
    assert "\n表1 主要指标\n指标 | 2024年\n地区生产总值 | 120.5亿元\n财政收入 | 8.2亿元\n以上报告，请予审议。" in converted.text
    assert table_texts(converted) == ("表1 主要指标", "指标 | 2024年", ["地区生产总值 | 120.5亿元", "财政收入 | 8.2亿元"])


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"just a line of text, no markup", "not an HTML page"),
        (b"\x00\x01\x02binary" * 10, "not an HTML page"),
        (b"<html><head><title>x</title></head><body></body></html>", "no article text"),
    ],
)
def test_unreadable_html_raises_conversion_error(tmp_path, data, reason):
    path = tmp_path / "broken.html"
    path.write_bytes(data)
    with pytest.raises(ConversionError, match=reason):
        convert(path)


# ------------------------------------------------------------------ PDF

PDF_FONT = "STSong-Light"
LEFT, RIGHT, BODY = 72, 523, 12
RUNNING_HEADER = "某市人民政府工作报告（2024年）"
CARRIED = (
    "一年来，我们坚持稳中求进工作总基调，完整、准确、全面贯彻新发展理念，着力扩大有效需求，着力推动产业转型升级，"
    "着力保障和改善民生，新开工项目百个。完成固定资产投资四百三十二亿元，推动经济社会发展迈上新的台阶，全年实施"
    "重点民生项目三十项，城镇新增就业2.5万人，粮食总产量达到 52.6 万吨。"
)
PDF_PAGES = [
    [
        ("title", "2024年某市政府工作报告"),
        ("para", "各位代表："),
        ("para", "现在，我代表市人民政府，向大会报告工作，请予审议，并请市政协委员和其他列席人员提出意见。"),
        ("heading", "一、2023年工作回顾"),
        ("para", "过去一年，全市经济运行稳中有进，全市地区生产总值达到784.23 亿元，增长5.5 %，一般公共预算收入完成"
                 "52.3亿元，城乡居民人均可支配收入分别增长4.8%和7.1%，主要经济指标增速高于全省平均水平，经济社会发展取得新的成效。"),
        ("para", CARRIED, 3),  # three lines on this page, the rest on the next
    ],
    [
        ("caption", "表1 主要经济指标"),
        ("table", [["指标", "2021年", "2022年"], ["地区生产总值", "784.2亿元", "820.1亿元"], ["固定资产投资", "312.5亿元", "330.0亿元"]]),
        ("para", "同时我们也清醒看到，发展中还存在一些困难和问题。"),
    ],
    [
        ("heading", "二、2024年工作安排"),
        ("para", "今年经济社会发展的主要预期目标是：地区生产总值增长5.5%左右，城镇新增就业2.5万人以上。"),
    ],
]
PDF_TEXT = "\n".join([
    "2024年某市政府工作报告",
    "各位代表：",
    "现在，我代表市人民政府，向大会报告工作，请予审议，并请市政协委员和其他列席人员提出意见。",
    "一、2023年工作回顾",
    "过去一年，全市经济运行稳中有进，全市地区生产总值达到784.23亿元，增长5.5%，一般公共预算收入完成52.3亿元，"
    "城乡居民人均可支配收入分别增长4.8%和7.1%，主要经济指标增速高于全省平均水平，经济社会发展取得新的成效。",
    CARRIED.replace(" 万吨", "万吨"),
    "表1 主要经济指标",
    TABLE_HEADER,
    *TABLE_ROWS,
    "同时我们也清醒看到，发展中还存在一些困难和问题。",
    "二、2024年工作安排",
    "今年经济社会发展的主要预期目标是：地区生产总值增长5.5%左右，城镇新增就业2.5万人以上。",
])


def _reportlab():
    try:
        from reportlab.lib.pagesizes import A4
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont
        from reportlab.pdfgen import canvas
    except ImportError:
        pytest.fail("reportlab is needed to build the test PDFs: pip install reportlab (see the test extra)")
    pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))
    return A4, pdfmetrics, canvas


def make_pdf(path: Path, pages=PDF_PAGES, encrypt=None) -> Path:
    """A report laid out as a word processor would: indented paragraphs wrapped to the text block,
    a running header and a page number on every page, headings in larger type, a ruled table."""
    (width, height), metrics, canvas = _reportlab()

    def wrap(text, indent):
        lines, line, room = [], "", RIGHT - LEFT - indent
        for char in text:
            if metrics.stringWidth(line + char, PDF_FONT, BODY) > room:
                lines.append(line)
                line, room = "", RIGHT - LEFT
            line += char
        return lines + [line]

    pdf = canvas.Canvas(str(path), pagesize=(width, height), invariant=1, encrypt=encrypt)
    pdf.setTitle("2024年某市政府工作报告")
    carried: list[str] = []
    for number, blocks in enumerate(pages, 1):
        pdf.setFont(PDF_FONT, 9)
        pdf.drawString(LEFT, height - 40, RUNNING_HEADER)
        pdf.drawCentredString(width / 2, 36, f"- {number} -")
        y = height - 90
        pdf.setFont(PDF_FONT, BODY)
        for line in carried:
            pdf.drawString(LEFT, y, line)
            y -= 20
        carried = []
        for kind, content, *keep in blocks:
            if kind == "title":
                pdf.setFont(PDF_FONT, 20)
                pdf.drawCentredString(width / 2, y, content)
                y -= 40
            elif kind == "heading":
                pdf.setFont(PDF_FONT, 16)
                pdf.drawString(LEFT, y, content)
                y -= 30
            elif kind == "caption":
                pdf.setFont(PDF_FONT, BODY)
                pdf.drawCentredString(width / 2, y, content)
                y -= 24
            elif kind == "para":
                pdf.setFont(PDF_FONT, BODY)
                wrapped = wrap(content, 2 * BODY)
                shown = keep[0] if keep else len(wrapped)
                for index, line in enumerate(wrapped[:shown]):
                    pdf.drawString(LEFT + (2 * BODY if index == 0 else 0), y, line)
                    y -= 20
                carried = wrapped[shown:]
            elif kind == "table":
                column, row_height, top = (RIGHT - LEFT) / len(content[0]), 20, y + 14
                pdf.setFont(PDF_FONT, 10.5)
                for row_index, row in enumerate(content):
                    for column_index, cell in enumerate(row):
                        pdf.drawString(LEFT + column_index * column + 4, top - (row_index + 1) * row_height + 6, cell)
                for row_index in range(len(content) + 1):
                    pdf.line(LEFT, top - row_index * row_height, RIGHT, top - row_index * row_height)
                for column_index in range(len(content[0]) + 1):
                    x = LEFT + column_index * column
                    pdf.line(x, top, x, top - len(content) * row_height)
                y = top - len(content) * row_height - 26
        pdf.showPage()
    pdf.save()
    return path


@pytest.fixture(scope="module")
def pdf_file(tmp_path_factory):
    return make_pdf(tmp_path_factory.mktemp("pdf") / "report.pdf")


@pytest.fixture(scope="module")
def pdf_converted(pdf_file):
    return convert(pdf_file)


def test_pdf_test_file_carries_its_chinese_text_layer(pdf_file):
    import pdfplumber

    with pdfplumber.open(pdf_file) as pdf:
        first = pdf.pages[0].extract_text()
    assert RUNNING_HEADER in first and "- 1 -" in first and "784.23 亿元" in first


def test_pdf_text_is_rebuilt_into_paragraphs(pdf_converted):
    assert pdf_converted.text == PDF_TEXT


def test_pdf_running_headers_and_page_numbers_are_dropped(pdf_converted):
    assert RUNNING_HEADER not in pdf_converted.text
    for number in (1, 2, 3):
        assert f"- {number} -" not in pdf_converted.text


def test_pdf_paragraph_lines_are_joined_also_across_a_page(pdf_converted):
    lines = lines_of(pdf_converted)
    # wrapped over five lines on two pages; its second line ends in "。" at the right margin, and the
    # next line, not indented, still runs on
    assert CARRIED.replace(" 万吨", "万吨") in lines
    assert "其他列席人员提出意见。" in pdf_converted.text  # a line ending "其他" runs on with no space


def test_pdf_space_between_a_number_and_its_unit_is_removed(pdf_converted):
    assert "784.23亿元" in pdf_converted.text and "增长5.5%" in pdf_converted.text
    assert "784.23 亿元" not in pdf_converted.text and "52.6万吨" in pdf_converted.text


def test_pdf_larger_type_becomes_heading_hints_ranked_by_size(pdf_converted):
    assert heading_texts(pdf_converted) == [
        ("2024年某市政府工作报告", 1),
        ("一、2023年工作回顾", 2),
        ("二、2024年工作安排", 2),
    ]


def test_pdf_table_rows_stand_where_the_table_sits(pdf_converted):
    assert len(pdf_converted.tables) == 1
    assert table_texts(pdf_converted) == ("表1 主要经济指标", TABLE_HEADER, TABLE_ROWS)
    assert pdf_converted.text.count("地区生产总值 | 784.2亿元") == 1
    assert "\n表1 主要经济指标\n指标 | 2021年" in pdf_converted.text


def test_pdf_locate_gives_the_page(pdf_converted):
    assert pdf_converted.unit == "page"
    assert len(pdf_converted.unit_starts) == 3
    text = pdf_converted.text
    assert pdf_converted.locate(text.index("784.23亿元")) == 1
    assert pdf_converted.locate(text.index("全年实施重点")) == 1
    assert pdf_converted.locate(text.index("民生项目三十项")) == 2  # the carried paragraph's page-2 part
    assert pdf_converted.locate(text.index("52.6万吨")) == 2
    assert pdf_converted.locate(text.index("820.1亿元")) == 2
    assert pdf_converted.locate(text.index("二、2024年工作安排")) == 3


def test_pdf_states_title_and_creation_date(pdf_converted):
    assert pdf_converted.stated == {"title": "2024年某市政府工作报告", "date": "2000-01-01"}  # reportlab's invariant date


def test_pdf_empty_page_still_has_a_unit_start(tmp_path):
    pages = [[("para", "第一页的内容。")], [], [("para", "第三页的内容。")]]
    converted = convert(make_pdf(tmp_path / "gap.pdf", pages))
    assert converted.text == "第一页的内容。\n第三页的内容。"
    assert len(converted.unit_starts) == 3
    assert converted.locate(converted.text.index("第三页")) == 3


def test_pdf_without_text_or_pictures_raises_no_text_layer(tmp_path):
    (width, height), _, canvas = _reportlab()
    path = tmp_path / "scan.pdf"
    pdf = canvas.Canvas(str(path), pagesize=(width, height))
    pdf.rect(50, 50, 400, 600, fill=1)  # stands in for a scanned page image
    pdf.showPage()
    pdf.save()
    with pytest.raises(ConversionError, match=r"no text layer, and no picture on its pages to OCR"):
        convert(path)


def test_unreadable_pdf_raises_conversion_error(tmp_path, pdf_file):
    data = pdf_file.read_bytes()
    cases = {
        "truncated.pdf": (data[: len(data) // 2], "damaged"),
        "text.pdf": (b"hello, not a pdf", "no PDF header"),
        "locked.pdf": (make_pdf(tmp_path / "locked-source.pdf", PDF_PAGES[:1], encrypt="secret").read_bytes(),
                       "password-protected"),
    }
    for name, (content, reason) in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(ConversionError, match="not a readable PDF") as error:
            convert(path)
        assert reason in str(error.value), name


def test_converters_are_chosen_by_suffix():
    from qa.converters import converter_for

    assert converter_for(Path("a.DOCX")) is docx_converter.convert
    assert converter_for(Path("a.htm")) is html_converter.convert
    assert converter_for(Path("a.pdf")) is pdf_converter.convert


def test_a_text_file_with_its_line_breaks_written_out_gets_them_back_and_entities_are_read(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(r"2019年1月29日\r\n区长&nbsp; 李志永\r\n一、2018年工作回顾\r\n全区生产总值增长6.5%。\r\n二、2019年工作安排",
                    encoding="utf-8")
    assert convert(path).text.split("\n") == ["2019年1月29日", "区长  李志永", "一、2018年工作回顾", "全区生产总值增长6.5%。",
                                               "二、2019年工作安排"]
    plain = tmp_path / "plain.txt"
    plain.write_text("第一行\n路径 C:\\new\\report 不是换行\n第三行\n第四行", encoding="utf-8")
    assert convert(plain).text == "第一行\n路径 C:\\new\\report 不是换行\n第三行\n第四行"  # real lines: left as written
