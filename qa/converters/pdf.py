"""PDF: the text layer read by pdfplumber, rebuilt into paragraphs, located by page.

Per page the text lines are read with their font sizes; running headers and
footers (a line in the top or bottom margin that recurs, digits aside, on at least
half of the pages) and page-number lines are dropped. Lines are joined back into
paragraphs unless the next one is indented, starts a numbered heading, has another
font size or sits after a clearly larger gap, the line stops well short of the right
margin, or it ends a sentence (the last only where paragraphs are not marked by an
indented first line: there a full line ending in "。" often runs on). Lines set clearly larger than the body
text become heading hints, levels by size. Ruled tables (``page.find_tables``) are
written one row a line where they sit on the page, and their characters are kept
out of the running text.

A page without a text layer (or whose fonts map no glyphs) is rendered and read by
OCR (``ocr.py``), and so is each picture of a text page large enough to hold text;
their lines go through the same paragraph and heading rules (a picture's lines as a
block of their own), aligned cells become table rows, and every span they give is
marked as read by OCR.
"""

from __future__ import annotations

import io
import re
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from . import ConversionError, Converted
from .docx import Lines
from .spacing import CJK_RANGES, GAP, NUMBER_UNIT_SPACE, UNIT_START, drop_cjk_spaces, is_cjk, tidy

MARGIN = 0.08  # top and bottom share of the page where running headers and footers sit
_SENTENCE_END = re.compile(r"[。！？；：!?;:][”’」』）)》\"']*$")
_NUMBERED_START = re.compile(
    r"^(?:[一二三四五六七八九十百零〇]+[、.．]|[（(][一二三四五六七八九十百零〇]+[）)]|\d{1,2}[.．、](?!\d)|[（(]\d{1,2}[）)]"
    r"|第[一二三四五六七八九十百零〇\d]+[章节部篇条]|附件|附表|表\s*\d)"
)
# OCR reads the dashes around a page number (—8—) as 一 as often as not: -8一, 一 9 一
_PAGE_NUMBER = re.compile(
    r"^(?:[-–—_~·•\s一]*\d{1,4}[-–—_~·•\s一]*"
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/／]?\s*共\s*\d{1,4}\s*页)?"
    r"|共\s*\d{1,4}\s*页\s*[,，/／]?\s*第\s*\d{1,4}\s*页"
    r"|\d{1,4}\s*[/／]\s*\d{1,4}"
    r"|(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?)$",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d+")
_UNMAPPED_GLYPH = re.compile(r"\(cid:\d+\)")
_SPACES = re.compile(r"\s+")
OUTLINED_TEXT_CURVES = 200  # a page without text or pictures drawing this many curves has its text as outlines
HEADING_MAX = 60  # a larger-font paragraph longer than this is not a heading


@dataclass
class _Line:
    page: int
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    ocr: bool = False  # read by OCR from the rendered page or from a picture
    picture: int = 0  # the picture it was read from, 0 for the page's own text
    anchor: float | None = None  # where it is placed in reading order, when not at its top (a picture's lines)


@dataclass
class _Table:
    page: int
    top: float
    rows: list[list[str]]
    ocr: bool = False
    picture: int = 0
    anchor: float | None = None


@dataclass
class _Page:
    width: float
    height: float
    lines: list[_Line] = field(default_factory=list)
    tables: list[_Table] = field(default_factory=list)
    left: float = 0.0
    right: float = 0.0


_GAP_BESIDE_CJK = re.compile(rf"(?<=[{CJK_RANGES}]){GAP}+|{GAP}+(?=[{CJK_RANGES}])")
X_TOLERANCE = 3  # a gap wider than this between two characters is a word space (as pdfplumber reads it)


def _line_text(chars) -> str:
    """A line's text from its characters, with the gaps a typesetter leaves between Chinese and
    Western text ("增长 3.3%", "成立 75 周年") closed; space characters the PDF holds are kept
    except between two CJK characters and between a number and its unit ("784.23 亿元")."""
    parts: list[str] = []
    previous = None
    for char in chars:
        text = char.get("text", "")
        if (previous is not None and text.strip() and previous.get("text", "").strip()
                and char["x0"] - previous["x1"] > X_TOLERANCE):
            parts.append(GAP)
        parts.append(text)
        previous = char
    text = _GAP_BESIDE_CJK.sub("", _SPACES.sub(" ", "".join(parts).replace("\u3000", " ")))
    text = NUMBER_UNIT_SPACE.sub("", drop_cjk_spaces(text.replace(GAP, " ")))
    return _SPACES.sub(" ", text).strip()


def _joiner(left: str, right: str) -> str:
    if not left or not right:
        return ""
    a, b = left[-1], right[0]
    if is_cjk(a) or is_cjk(b) or a == "-" or a.isspace():
        return ""
    if a.isdigit() and b in UNIT_START:
        return ""
    return " "


def _cell(text: str) -> str:
    """A cell's text on one line: its wrapped lines joined as a paragraph's are."""
    result = ""
    for piece in text.split("\n"):
        piece = tidy(_SPACES.sub(" ", piece))
        result += _joiner(result, piece) + piece
    return result


def _size(chars) -> float:
    sizes = Counter(round(float(char.get("size", 0)) * 2) / 2 for char in chars if char.get("text", "").strip())
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _inside(char, boxes) -> bool:
    x = (char["x0"] + char["x1"]) / 2
    y = (char["top"] + char["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def _read_page(number: int, page) -> _Page:
    result = _Page(float(page.width), float(page.height))
    try:
        page = page.dedupe_chars()
    except Exception:  # dedupe is a nicety
        pass
    boxes = []
    for table in page.find_tables():
        grid = table.extract()
        if len(grid) < 2 or max((len(row) for row in grid), default=0) < 2:
            continue  # a frame around the page or a box around a paragraph, not a table
        rows = [[_cell(cell) for cell in row if cell is not None] for row in grid]  # None: covered by a merged cell
        if not any(any(row) for row in rows):
            continue
        boxes.append(table.bbox)
        result.tables.append(_Table(number, float(table.bbox[1]), rows))
    if boxes:
        page = page.filter(lambda obj: obj.get("object_type") != "char" or not _inside(obj, boxes))
    # blank characters kept, to tell a space the PDF holds from a gap in the layout
    for line in page.extract_text_lines(strip=True, return_chars=True, keep_blank_chars=True):
        text = _line_text(line["chars"])
        visible = [char for char in line["chars"] if char.get("text", "").strip()]
        if text and visible:  # indenting blanks ("\u3000\u3000") do not move the line's edges
            x0, x1 = min(char["x0"] for char in visible), max(char["x1"] for char in visible)
            result.lines.append(
                _Line(number, text, float(x0), float(x1), float(line["top"]), float(line["bottom"]), _size(visible))
            )
    result.lines.sort(key=lambda line: (round(line.top), line.x0))
    return result


def _drop_running_lines(pages: list[_Page]) -> None:
    """Drop running headers and footers, and lines holding only a page number."""

    def in_margin(line: _Line, page: _Page) -> bool:
        return line.top < MARGIN * page.height or line.bottom > (1 - MARGIN) * page.height

    def key(text: str) -> str:
        return _DIGIT.sub("#", _SPACES.sub("", text))

    running: set[str] = set()
    if len(pages) >= 2:
        counts = Counter()
        for page in pages:
            counts.update({key(line.text) for line in page.lines if in_margin(line, page)})
        needed = max(2, (len(pages) + 1) // 2)
        running = {text for text, count in counts.items() if count >= needed}
    for page in pages:
        kept = [line for line in page.lines if not (in_margin(line, page) and key(line.text) in running)]
        edge = {id(kept[0]), id(kept[-1])} if kept else set()
        page.lines = [
            line for line in kept
            if not (_PAGE_NUMBER.match(line.text) and (in_margin(line, page) or id(line) in edge))
        ]


def _mode(values: list[float]) -> float:
    return Counter(round(value) for value in values).most_common(1)[0][0]


def _right_edge(ends: list[float]) -> float:
    """Where full lines end: the second-longest line's end (one line may hang a punctuation mark further)."""
    ends = sorted(ends, reverse=True)
    return ends[1] if len(ends) >= 4 else ends[0]


def _layout(pages: list[_Page]) -> tuple[float, float, bool]:
    """Body font size, usual line pitch, and whether paragraphs start with an indented line.

    Also sets each page's left and right text edges.
    """
    weights = Counter()
    for page in pages:
        for line in page.lines:
            if not line.picture:  # a picture's lines have margins and a type size of their own
                weights[line.size] += len(line.text)
    body = weights.most_common(1)[0][0] if weights else 0.0
    body_lines = [line for page in pages for line in page.lines if abs(line.size - body) <= 0.5 and not line.picture]
    every_left = _mode([line.x0 for line in body_lines]) if body_lines else 0.0
    every_right = _right_edge([line.x1 for line in body_lines]) if body_lines else 0.0
    pitches = []
    after_short = indented = 0
    for page in pages:
        own = [line for line in page.lines if abs(line.size - body) <= 0.5 and not line.picture]
        page.left = _mode([line.x0 for line in own]) if len(own) >= 3 else every_left
        page.right = _right_edge([line.x1 for line in own]) if len(own) >= 3 else every_right
        for above, below in zip(own, own[1:]):
            pitch = below.top - above.top
            if 0 < pitch < 3 * body:
                pitches.append(pitch)
            if _short(above, page):
                after_short += 1
                indented += _indented(below, page)
    pitch = statistics.median(pitches) if pitches else 1.5 * body
    indents = after_short >= 3 and indented >= 0.5 * after_short
    return body, pitch, indents


def _short(line: _Line, page: _Page) -> bool:
    """The line stops well short of the right margin (of a text block wide enough to tell)."""
    return page.right - page.left > 15 * line.size and line.x1 < page.right - 2.5 * line.size


def _indented(line: _Line, page: _Page) -> bool:
    return line.x0 - page.left > 0.8 * line.size


def _heading_levels(pages: list[_Page], body: float) -> dict[float, int]:
    """Font sizes clearly larger than the body's, largest first → levels 1, 2, 3, 3 …"""
    sizes = {line.size for page in pages for line in page.lines if not line.picture}
    larger = sorted((size for size in sizes if size >= body + 1.5 or (body and size >= 1.15 * body)), reverse=True)
    return {size: min(rank, 3) for rank, size in enumerate(larger, 1)}


def _breaks(above: _Line, below: _Line, pages: list[_Page], pitch: float, body: float, levels: dict[float, int], indents: bool) -> bool:
    """Whether ``below`` starts a new paragraph rather than continuing the one ``above`` ends.

    In a document whose paragraphs open with an indented line, a full line ending in "。" followed
    by an unindented one is a paragraph running on, so sentence-ending punctuation alone does not
    break there.
    """
    if above.picture != below.picture or above.ocr != below.ocr:
        return True  # a picture's text is a block of its own
    if _NUMBERED_START.match(below.text):
        return True
    if abs(above.size - below.size) > 0.6 and not _ocr_runs_on(above, below, pages):
        return True
    if below.page == above.page:
        step = below.top - above.top
        if step <= 0 or step > 1.4 * pitch * max(1.0, above.size / body if body else 1.0):
            return True
    elif below.page != above.page + 1:
        return True
    ends_sentence = _SENTENCE_END.search(above.text) is not None
    if above.size in levels:
        return ends_sentence  # a heading wrapped over two lines, centred or not, runs on
    if _indented(below, pages[below.page]) or _short(above, pages[above.page]):
        return True
    return ends_sentence and not indents


def _ocr_runs_on(above: _Line, below: _Line, pages: list[_Page]) -> bool:
    """A line OCR read just below a full line of text that does not end a sentence, at the left margin and of
    about its size, continues it: OCR sizes a short line poorly (增长18.4% a sixth larger than its paragraph)."""
    return (above.ocr and below.ocr and not above.picture and _SENTENCE_END.search(above.text) is None
            and not _short(above, pages[above.page]) and not _indented(below, pages[below.page])
            and max(above.size, below.size) <= 1.25 * min(above.size, below.size))


def _metadata(pdf) -> dict[str, str]:
    stated: dict[str, str] = {}
    info = pdf.metadata or {}

    def text(value) -> str:
        if isinstance(value, bytes):
            for encoding in ("utf-16", "utf-8", "gb18030"):
                try:
                    return value.decode(encoding)
                except UnicodeDecodeError:
                    continue
            return ""
        return value if isinstance(value, str) else ""

    title = text(info.get("Title")).strip()
    title = re.sub(r"^Microsoft (?:Word|PowerPoint|Excel) - ", "", title)
    title = re.sub(r"\.(?:docx?|wps|pdf|pptx?|xlsx?)$", "", title, flags=re.IGNORECASE).strip()
    if title and title.lower() not in ("untitled", "无标题", "document"):
        stated["title"] = title
    created = re.match(r"^(?:D:)?(\d{4})(\d{2})(\d{2})", text(info.get("CreationDate")).strip())
    if created and 1 <= int(created.group(2)) <= 12 and 1 <= int(created.group(3)) <= 31:
        stated["date"] = "-".join(created.groups())
    return stated


def _open(data: bytes):
    import pdfplumber

    if b"%PDF" not in data[:1024]:
        raise ConversionError("not a readable PDF (no PDF header)")
    try:
        return pdfplumber.open(io.BytesIO(data))
    except Exception as error:
        raise ConversionError(f"not a readable PDF ({_reason(error)})") from None


def _reason(error: BaseException) -> str:
    seen = [error]
    while seen[-1].__cause__ is not None or seen[-1].__context__ is not None:
        following = seen[-1].__cause__ or seen[-1].__context__
        if following in seen:
            break
        seen.append(following)
    seen.extend(arg for item in list(seen) for arg in getattr(item, "args", ()) if isinstance(arg, BaseException))
    names = " ".join(type(item).__name__ for item in seen)
    if "Password" in names or "Encrypt" in names or "CryptographyUnavailable" in names:
        return "it is password-protected"
    return "the file is damaged"


def _build(pages: list[_Page], body: float, pitch: float, levels: dict[float, int], indents: bool) -> Lines:
    lines = Lines()
    emitted_page = -1

    def reach(page: int) -> None:
        nonlocal emitted_page
        while emitted_page < page:
            lines.begin_unit()
            emitted_page += 1

    items: list[_Line | _Table] = []
    for page in pages:
        items.extend(sorted(page.lines + page.tables, key=lambda item: item.top if item.anchor is None else item.anchor))
    paragraph: list[_Line] = []

    def flush() -> None:
        if not paragraph:
            return
        reach(paragraph[0].page)
        start = lines.add_line(paragraph[0].text)
        previous = paragraph[0]
        for line in paragraph[1:]:
            joiner = _joiner(previous.text, line.text)
            if joiner:
                lines.continue_line(joiner)
            reach(line.page)
            lines.continue_line(line.text)
            previous = line
        if paragraph[0].ocr:
            lines.mark_ocr(start)
        text_length = sum(len(line.text) for line in paragraph)
        level = None if paragraph[0].picture else levels.get(paragraph[0].size)
        if level is not None and 2 <= text_length <= HEADING_MAX and all(line.size == paragraph[0].size for line in paragraph):
            lines.add_heading(start, lines.length, level)
        paragraph.clear()

    for item in items:
        if isinstance(item, _Table):
            flush()
            reach(item.page)
            lines.add_table(item.rows, picture=item.picture, ocr=item.ocr)
            continue
        if paragraph and _breaks(paragraph[-1], item, pages, pitch, body, levels, indents):
            flush()
        paragraph.append(item)
    flush()
    reach(len(pages) - 1)
    return lines


def _pictures(page, lines: list[_Line]) -> list[tuple[float, float, float, float]]:
    """Boxes (x0, top, x1, bottom, in points) of the page's pictures worth OCR: large enough to hold text,
    and not already covered by the page's own text (a scan that carries its OCR text layer)."""
    from . import ocr

    scale = ocr.RENDER_DPI / 72
    found = []
    for image in page.images:
        try:
            x0, top = max(0.0, float(image["x0"])), max(0.0, float(image["top"]))
            x1, bottom = min(float(page.width), float(image["x1"])), min(float(page.height), float(image["bottom"]))
        except (KeyError, TypeError, ValueError):
            continue
        if not ocr.worth_reading((x1 - x0) * scale, (bottom - top) * scale):
            continue
        source = image.get("srcsize") or ()
        if len(source) == 2 and not ocr.worth_reading(float(source[0]), float(source[1])):
            continue
        if any(x0 <= (line.x0 + line.x1) / 2 <= x1 and top <= (line.top + line.bottom) / 2 <= bottom for line in lines):
            continue
        if any(abs(x0 - a) < 1 and abs(top - b) < 1 and abs(x1 - c) < 1 and abs(bottom - d) < 1 for a, b, c, d in found):
            continue  # the same picture drawn twice
        found.append((x0, top, x1, bottom))
    return sorted(found, key=lambda box: (round(box[1]), box[0]))


class _Renderer:
    """Pages rendered by pdfium, at most ``ocr.MAX_SIDE`` pixels on a side."""

    def __init__(self, data: bytes):
        self.data = data
        self.pdf = None

    def render(self, number: int, width: float, height: float):
        import pypdfium2 as pdfium

        from . import ocr

        if self.pdf is None:
            self.pdf = pdfium.PdfDocument(self.data)
        scale = min(ocr.RENDER_DPI / 72, ocr.MAX_SIDE / max(width, height, 1.0))
        page = self.pdf[number]
        try:
            image = page.render(scale=scale).to_pil()
        finally:
            page.close()
        return image, scale

    def close(self) -> None:
        if self.pdf is not None:
            self.pdf.close()


def _ocr_block(number: int, reading, scale: float, left: float, top: float, picture: int,
               bottom: float = 0.0) -> tuple[list[_Line], list[_Table]]:
    """OCR'd text of a page (``picture`` 0) or of a picture at ``left``, ``top`` … ``bottom`` as the page's lines
    and tables."""
    from . import ocr

    def anchor(position: float) -> float | None:
        # a picture's text is read as one block where the picture ends, after any text beside it
        return bottom + position * 1e-4 if picture else None

    lines, tables = [], []
    boxes = ocr.picture_boxes(reading.boxes) if picture else reading.boxes
    for block in ocr.layout(ocr.rows(boxes), min_table_rows=2 if picture else 3):
        if block.table:
            tables.append(_Table(number, top + block.top / scale, block.table, ocr=True, picture=picture,
                                 anchor=anchor(block.top / scale)))
            continue
        for row in block.rows:
            text = row.text()
            if text:
                lines.append(_Line(number, text, left + min(b.x0 for b in row.boxes) / scale,
                                   left + max(b.x1 for b in row.boxes) / scale, top + row.top / scale,
                                   top + row.bottom / scale, row.size / scale, ocr=True, picture=picture,
                                   anchor=anchor(row.top / scale)))
    return lines, tables


def _snap_sizes(lines: list[_Line]) -> None:
    """OCR measures each line's height a little differently: heights near the block's usual one are made
    equal, so only a clearly taller line (a heading) stands apart."""
    if not lines:
        return
    weights = Counter()
    for line in lines:
        weights[round(line.size)] += len(line.text)
    usual = statistics.median(line.size for line in lines if round(line.size) == weights.most_common(1)[0][0])
    for line in lines:
        size = usual if abs(line.size - usual) <= 0.15 * usual else line.size
        line.size = round(size * 2) / 2


def _read_by_ocr(data: bytes, pages: list[_Page], scanned: list[int], pictures: dict[int, list], notes: list[str]) -> None:
    """OCR the pages without a text layer and the pictures of the others, within the document's budget."""
    from . import ocr

    budget = ocr.Budget()
    renderer = _Renderer(data)
    skipped: list[int] = []
    picture_number = 0
    scanned_lines: list[_Line] = []
    try:
        for number, page in enumerate(pages):
            wanted = number in scanned or pictures.get(number)
            if not wanted:
                continue
            if not budget.allows():
                skipped.append(number + 1)
                continue
            started = time.perf_counter()
            image, scale = renderer.render(number, page.width, page.height)
            if number in scanned:
                lines, tables = _ocr_block(number, ocr.read_image(image), scale, 0.0, 0.0, 0)
                scanned_lines.extend(lines)
                page.lines.extend(lines)
                page.tables.extend(tables)
            for x0, top, x1, bottom in pictures.get(number, []):
                picture_number += 1
                crop = image.crop((int(x0 * scale), int(top * scale), int(x1 * scale) + 1, int(bottom * scale) + 1))
                lines, tables = _ocr_block(number, ocr.read_image(crop), scale, x0, top, picture_number, bottom)
                _snap_sizes(lines)
                page.lines.extend(lines)
                page.tables.extend(tables)
            page.lines.sort(key=lambda line: (round(line.top), line.x0))
            budget.spend(time.perf_counter() - started)
    finally:
        renderer.close()
    _snap_sizes(scanned_lines)  # over the whole document: a page of one heading and one line has no usual size
    if skipped:
        notes.append(f"{_page_list(skipped)} not read by OCR: past {budget.why_not()}")


def _page_list(numbers: list[int]) -> str:
    if len(numbers) == 1:
        return f"page {numbers[0]}"
    if numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"pages {numbers[0]}–{numbers[-1]}"
    return f"{len(numbers)} pages ({', '.join(map(str, numbers[:5]))}{', …' if len(numbers) > 5 else ''})"


def convert(path: Path, data: bytes) -> Converted:
    from . import ocr

    pdf = _open(data)
    scanned: list[int] = []  # pages without a text layer, read by OCR
    pictures: dict[int, list] = {}  # page → pictures on a page with a text layer, read by OCR
    try:
        with pdf:
            stated = _metadata(pdf)
            pages = []
            for number, page in enumerate(pdf.pages):
                read = _read_page(number, page)
                unmapped = sum(len(glyph) for line in read.lines for glyph in _UNMAPPED_GLYPH.findall(line.text))
                if read.lines and unmapped > 0.3 * sum(len(line.text) for line in read.lines):
                    read.lines, read.tables = [], []  # its fonts map no glyphs to characters: only OCR reads it
                    scanned.append(number)
                elif not read.lines and not read.tables:
                    if _pictures(page, []) or len(page.curves) >= OUTLINED_TEXT_CURVES:
                        scanned.append(number)
                else:
                    found = _pictures(page, read.lines)
                    if found:
                        pictures[number] = found
                pages.append(read)
                page.close()  # free the page's parsed objects; large reports have hundreds of pages
    except ConversionError:
        raise
    except Exception as error:
        raise ConversionError(f"not a readable PDF ({_reason(error)})") from None
    notes: list[str] = []
    if scanned or pictures:
        if ocr.available():
            try:
                _read_by_ocr(data, pages, scanned, pictures, notes)
            except ocr.OcrUnavailable as error:
                notes.append(str(error))
            except Exception as error:  # pdfium failing to render a damaged page
                notes.append(f"OCR stopped ({type(error).__name__}: {str(error)[:80]})")
        else:
            notes.append(ocr.unavailable())
    if not any(page.lines or page.tables for page in pages):
        if scanned and notes:
            raise ConversionError(f"no text layer, and {notes[0]}")  # "OCR is not available (…)", "OCR stopped (…)"
        if scanned:
            raise ConversionError("no text found, neither in a text layer nor by OCR")
        raise ConversionError("no text layer, and no picture on its pages to OCR")
    _drop_running_lines(pages)
    body, pitch, indents = _layout(pages)
    levels = _heading_levels(pages, body)
    converted = _build(pages, body, pitch, levels, indents).converted("page", stated)
    if not converted.text.strip():
        raise ConversionError("no text found, neither in a text layer nor by OCR")
    converted.notes = notes
    return converted
