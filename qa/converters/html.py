"""Web pages (.html, .htm): the article alone, one block (heading, paragraph, list item, table row) a line.

trafilatura finds the article and drops the page's chrome (navigation, menus,
footers, share buttons, comment boxes); its XML tree keeps the article's
blocks, which are written out here in order. Headings <h1>/<h2> are level 1,
<h3> level 2, <h4>… level 3. Located by paragraph (line).

Around trafilatura: tables that lay out a page (one column, a table inside a
cell, a cell holding a long text) become plain blocks before extraction, so the
article inside them is found and data tables nested in them stay in place; tool
links, breadcrumbs and "related" boxes left at the article's two edges are
trimmed; the article's own heading, which trafilatura may keep as metadata only,
is put back as its first line.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from . import ConversionError, Converted
from .docx import Lines
from .spacing import join_pieces, normalise_inline

_META_CHARSET = re.compile(rb"""<meta[^>]{0,300}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]{0,100}?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_HTML_TAG = re.compile(
    r"<\s*(?:!doctype\s+html|html|head|body|title|meta|p|div|span|article|section|table|h[1-6]|br|a|ul|ol|li)\b",
    re.IGNORECASE,
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_TAGS = re.compile(r"<[^>]*>")
_GB_ALIASES = {"gb2312", "gbk", "x-gbk", "gb_2312-80", "csgb2312", "euc-cn", "cp936", "windows-936", "ms936"}
# trafilatura's own tags, and the HTML tags its fallback extraction can leave in the tree
_BREAKS = {"lb", "br"}
_HEADINGS = {"head", "h1", "h2", "h3", "h4", "h5", "h6"}
_TABLES = {"table"}
_ROWS = ("row", "tr")
_CELLS = {"cell", "td", "th"}
_BLOCKS = _HEADINGS | _TABLES | {
    "p", "list", "item", "quote", "code", "div", "section", "article", "main", "body", "doc", "row", "cell",
    "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "pre", "center", "tr", "td", "th", "thead", "tbody",
    "tfoot", "caption", "figure", "figcaption", "header", "footer", "nav", "aside", "form", "hr",
}
_BREAK = object()
_CHROME_START = re.compile(
    r"^(?:您的位置|当前位置|所在位置|相关(?:报道|文档|链接|新闻|阅读|文章)|分享到|扫一扫|版权所有|Copyright|©|主办单位|主办[：:]"
    r"|承办[：:]|技术支持|网站标识码|.{0,20}ICP备|.{0,20}公网安备|联系我们|网站地图|上一篇|下一篇|阅读量|浏览次数|访问量"
    r"|【\s*(?:打印|关闭)|打印本页|关闭窗口|返回顶部|》》)",
    re.IGNORECASE,
)
_CHROME_WORD = re.compile(
    r"下载|打印|全屏|收藏|分享到|分享|字号|字体|加大|还原|减小|默认|放大|缩小|关闭|窗口|本页|纠错|微信|微博|QQ空间|QQ|首页|大|中|小"
)
_CHROME_FILLER = re.compile(r"[\s【】\[\]（）()：:|/>›»·•、,，×✕-]+")
LAYOUT_CELL = 300  # a table cell with more text than this is a page's layout, not data
_STATED_DATE = re.compile(
    r"(?:发布|发文|成文|印发)(?:时间|日期)\s*[：:]\s*(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})"
)


def _codec(name: bytes | str | None) -> str | None:
    if not name:
        return None
    label = (name.decode("ascii", "ignore") if isinstance(name, bytes) else name).strip().lower()
    if label in _GB_ALIASES or label == "gb18030":
        return "gb18030"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding): a byte-order mark, else the page's own charset, else UTF-8, else GB18030."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, errors="replace"), encoding
    head = data[:4096]
    stated = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    declared = _codec(stated.group(1)) if stated else None
    candidates = [declared] if declared and declared not in ("utf-16", "utf-32") else []
    candidates += [encoding for encoding in ("utf-8", "gb18030") if encoding not in candidates]
    for encoding in candidates:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    encoding = candidates[0]
    return data.decode(encoding, errors="replace"), encoding


def _tag(element) -> str:
    return element.tag.lower() if isinstance(element.tag, str) else ""


def _heading_level(element) -> int:
    tag = _tag(element)
    rend = (element.get("rend") or "").lower() if tag == "head" else tag
    if rend in ("h1", "h2"):
        return 1
    if rend == "h3":
        return 2
    if re.fullmatch(r"h[4-6]", rend):
        return 3
    return 2


def _inline(element):
    """The element's text in order: strings, ``_BREAK`` for a line break, and nested block elements."""
    if element.text:
        yield element.text
    for child in element:
        tag = _tag(child)
        if tag in _BREAKS:
            yield _BREAK
        elif tag in _BLOCKS:
            yield child
        elif tag:
            yield from _inline(child)
        if child.tail:
            yield child.tail


def _own(table, tags) -> list:
    """``table``'s descendants with one of ``tags`` that belong to it, not to a table nested in it."""
    found = []
    for element in table.iter(*tags):
        parent = element.getparent()
        while parent is not None and _tag(parent) not in _TABLES:
            parent = parent.getparent()
        if parent is table:
            found.append(element)
    return found


def _rows(table) -> list[list]:
    return [[cell for cell in row if _tag(cell) in _CELLS] for row in _own(table, _ROWS)]


def _is_layout(table) -> bool:
    """A table that lays out a page rather than holding data: one column, a table inside a cell,
    or a cell holding a long run of text."""
    rows = [row for row in _rows(table) if row]
    if not rows or max(len(row) for row in rows) < 2:
        return True
    for row in rows:
        for cell in row:
            if any(inner is not cell and _tag(inner) in _TABLES for inner in cell.iter()):
                return True
            if len("".join(cell.itertext()).strip()) > LAYOUT_CELL:
                return True
    return False


def _unwrap_layout_tables(tree) -> None:
    """Turn tables that lay out the page into plain blocks, so the article inside them is found
    as it is in any other page (and data tables nested in them stay where they are)."""
    for table in list(tree.iter("table")):
        if table.getparent() is None or not _is_layout(table):
            continue
        for element in [table, *_own(table, ("thead", "tbody", "tfoot", "tr")), *_own(table, ("td", "th"))]:
            element.tag = "div"
            for attribute in ("colspan", "rowspan", "width", "height", "border"):
                element.attrib.pop(attribute, None)


def _table_rows(table) -> list[list[str]]:
    rows = []
    for row in _rows(table):
        cells = []
        for cell in row:
            text = ""
            for piece in _inline_lines(cell):
                text = join_pieces(text, piece)
            cells.append(text)
        rows.append(cells)
    return rows


def _inline_lines(element) -> list[str]:
    """All of an element's text as normalised lines (its line breaks and nested blocks split lines)."""
    lines, buffer = [], []
    for piece in _inline(element):
        if isinstance(piece, str):
            buffer.append(piece)
            continue
        lines.append(normalise_inline("".join(buffer)))
        buffer = []
        if piece is not _BREAK:
            lines.extend(_inline_lines(piece))
    lines.append(normalise_inline("".join(buffer)))
    return [line for line in lines if line]


def _blocks(element, out: list) -> None:
    """The article's blocks in order: ("line", text, heading level or None) and ("table", rows)."""
    tag = _tag(element)
    if tag in _TABLES:
        if not _is_layout(element):
            out.append(("table", _table_rows(element)))
            return
        for row in _rows(element):
            for cell in row:
                _blocks(cell, out)
        return
    heading = _heading_level(element) if tag in _HEADINGS else None
    buffer: list[str] = []

    def flush() -> None:
        text = normalise_inline("".join(buffer))
        buffer.clear()
        if text:
            out.append(("line", text, heading))

    for piece in _inline(element):
        if isinstance(piece, str):
            buffer.append(piece)
        elif piece is _BREAK:
            flush()
        else:
            flush()
            _blocks(piece, out)
    flush()


def is_chrome(line: str) -> bool:
    """A page-furniture line: tool links (下载 打印 【字号：加大 还原 减小】), breadcrumbs, share and
    print boxes, related-links headers, the site's footer."""
    if len(line) > 80:
        return False
    if _CHROME_START.match(line):
        return True
    rest, count = _CHROME_WORD.subn("", line)
    return count >= 2 and not _CHROME_FILLER.sub("", rest)


def _trim_chrome(blocks: list) -> list:
    """Drop page furniture that trafilatura left at the article's two edges (never in between)."""
    start, end = 0, len(blocks)
    while start < end and blocks[start][0] == "line" and is_chrome(blocks[start][1]):
        start += 1
    while end > start and blocks[end - 1][0] == "line" and is_chrome(blocks[end - 1][1]):
        end -= 1
    return blocks[start:end]


_CONFIG = None


def _config():
    """trafilatura's settings, with a smaller least article: 60 characters of Chinese say a good deal."""
    global _CONFIG
    if _CONFIG is None:
        from trafilatura.settings import use_config

        config = use_config()
        config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "60")
        _CONFIG = config
    return _CONFIG


def convert(path: Path, data: bytes) -> Converted:
    text, encoding = decode(data)
    if "\x00" in text[:4096] or not _HTML_TAG.search(text[:200_000]):
        raise ConversionError("not an HTML page (no HTML tags found)")
    text = _XML_DECLARATION.sub("", text, count=1)

    import lxml.html
    import trafilatura

    try:
        tree = lxml.html.document_fromstring(text)
    except Exception as error:  # lxml finds nothing it can build a page from
        raise ConversionError(f"not a readable HTML page ({type(error).__name__})") from None
    _unwrap_layout_tables(tree)
    page_headings = [normalise_inline(element.text_content()) for element in tree.iter("h1", "h2")]
    try:
        document = trafilatura.bare_extraction(
            tree,
            config=_config(),
            include_tables=True,
            include_comments=False,
            include_images=False,
            include_formatting=False,
            include_links=False,
            favor_recall=True,
            with_metadata=True,
            # only dates the page states in its markup: a search of the whole page turns "2024年" into 2024-01-01
            date_extraction_params={"extensive_search": False, "original_date": True},
            as_dict=False,
        )
    except Exception as error:  # a page lxml cannot parse at all
        raise ConversionError(f"not a readable HTML page ({type(error).__name__})") from None
    body = getattr(document, "body", None) if document is not None else None
    if body is None:
        raise ConversionError("no article text found in the page")

    lines = Lines()
    children = [child for child in body if isinstance(child.tag, str)]
    if len(children) == 1 and _tag(children[0]) == "p" and len(children[0]) == 0 and "\n" in (children[0].text or ""):
        # trafilatura's last resort, the page's whole text with a line break after each block
        texts = [line for line in map(normalise_inline, children[0].text.split("\n")) if line]
        for _, line, _ in _trim_chrome([("line", line, None) for line in texts]):
            lines.add_line(line, unit=True)
    else:
        blocks: list = []
        _blocks(body, blocks)
        blocks = _trim_chrome(blocks)
        title = normalise_inline(document.title or "")
        if title and title in page_headings and not any(block[0] == "line" and block[1] == title for block in blocks[:5]):
            blocks.insert(0, ("line", title, 1))  # trafilatura keeps the article's heading as metadata only
        for block in blocks:
            if block[0] == "table":
                lines.add_table(block[1], unit_per_row=True)
            else:
                lines.add_line(block[1], unit=True, heading=block[2])
    converted = lines.converted("paragraph")
    if not converted.text.strip():
        raise ConversionError("no article text found in the page")

    stated: dict[str, str] = {}
    title = normalise_inline(document.title or "")
    if not title:
        first_h1 = next((head for head in body.iter("head") if (head.get("rend") or "").lower() == "h1"), None)
        title = normalise_inline("".join(first_h1.itertext())) if first_h1 is not None else ""
    if title:
        stated["title"] = title
    if document.date and _DATE.match(document.date):
        stated["date"] = document.date[:10]
    elif match := _STATED_DATE.search(normalise_inline(_TAGS.sub(" ", text))):
        year, month, day = (int(part) for part in match.groups())
        if 1 <= month <= 12 and 1 <= day <= 31:
            stated["date"] = f"{year:04d}-{month:02d}-{day:02d}"
    converted.stated = stated
    converted.encoding = encoding
    return converted
