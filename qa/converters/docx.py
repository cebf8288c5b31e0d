"""Word (.docx): paragraphs and tables in document order, one paragraph or table row a line, located by paragraph.

Heading styles ("Heading 1", "标题 2", "Title", a style based on one of them, or an
outline level in the paragraph's or its style's properties) become heading hints.
Headings a document only makes by direct formatting (bold, a larger size) are left
to the chunker, which finds numbered headings itself.

This module also holds the pieces the HTML and PDF converters share: the
``Lines`` builder (text, unit starts, heading and table hints), the table-caption
test and the joining of a table cell's pieces.
"""

from __future__ import annotations

import io
import re
import time
import zipfile
from pathlib import Path

from . import CELL_SEPARATOR, ConversionError, Converted, HeadingHint, TableHint
from .spacing import join_pieces, normalise_inline

# ---------------------------------------------------------------- shared helpers

_CAPTION_START = re.compile(r"^附?表\s*[0-9０-９一二三四五六七八九十]+")
_TRAILING_NOTE = re.compile(r"[（(][^（）()]*[）)]$")
CAPTION_MAX = 40


def cell_text(text: str) -> str:
    """A table cell's text on one line (its own line breaks joined away)."""
    result = ""
    for piece in text.splitlines():
        result = join_pieces(result, normalise_inline(piece))
    return result


def looks_like_caption(text: str) -> bool:
    """A short line such as "表1 主要经济指标" or "2024年主要指标完成情况表"."""
    text = text.strip()
    if not text or len(text) > CAPTION_MAX:
        return False
    if _CAPTION_START.match(text):
        return True
    return _TRAILING_NOTE.sub("", text).rstrip().endswith("表")


_YEAR_CELL = re.compile(r"(?:19|20)\d{2}年?")


def _only_years(row: list[str]) -> bool:
    """A row whose filled cells are all years: an axis, not figures."""
    filled = [cell.strip() for cell in row if cell.strip()]
    return bool(filled) and all(_YEAR_CELL.fullmatch(cell) for cell in filled)


class Lines:
    """Builds a converter's text line by line, with its unit starts and heading and table hints."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self.length = 0
        self.unit_starts: list[int] = []
        self._pending_units = 0
        self._heading_spans: list[tuple[int, int, int]] = []
        self.tables: list[TableHint] = []
        self._recent: list[str] = []  # the last two non-empty lines since the last table, for captions
        self.ocr: list[tuple[int, int]] = []  # spans read by OCR, ascending, adjacent ones merged

    # -- text

    @property
    def pending_units(self) -> int:
        return self._pending_units

    def begin_unit(self) -> None:
        """The next text written (a new line or a continuation) starts a new unit."""
        self._pending_units += 1

    def _write(self, text: str) -> int:
        start = self.length
        if self._pending_units:
            self.unit_starts.extend([start] * self._pending_units)
            self._pending_units = 0
        self._parts.append(text)
        self.length += len(text)
        return start

    def add_line(self, text: str, *, unit: bool = False, heading: int | None = None) -> int:
        """Write ``text`` as a new line; return its start offset."""
        if self._parts:
            self._write_separator()
        if unit:
            self.begin_unit()
        start = self._write(text)
        if text.strip():
            self._recent = self._recent[-1:] + [text]
        if heading is not None:
            self.add_heading(start, self.length, heading)
        return start

    def _write_separator(self) -> None:
        self._parts.append("\n")
        self.length += 1

    def continue_line(self, text: str) -> int:
        """Append ``text`` to the current line as it is (the caller supplies any joining space)."""
        start = self._write(text)
        if self._recent:
            self._recent[-1] += text
        elif text.strip():
            self._recent = [text]
        return start

    def add_heading(self, start: int, end: int, level: int) -> None:
        """Mark ``start:end`` as a heading (its surrounding whitespace is trimmed at the end)."""
        if end > start:
            self._heading_spans.append((start, end, max(1, min(3, level))))

    def mark_ocr(self, start: int, end: int | None = None) -> None:
        """``start:end`` (to the text's end by default) was read by OCR."""
        end = self.length if end is None else end
        if end <= start:
            return
        if self.ocr and start <= self.ocr[-1][1] + 1:
            self.ocr[-1] = (self.ocr[-1][0], max(end, self.ocr[-1][1]))
        else:
            self.ocr.append((start, end))

    # -- tables

    def add_table(self, rows: list[list[str]], *, caption: str | None = None, unit_per_row: bool = False,
                  picture: int = 0, ocr: bool = False) -> None:
        """Write a table one row a line. ``rows`` hold cell texts (merged cells already counted once).

        The caption is ``caption`` if given, else the latest line before the table when it looks
        like a caption, else the table's first row when that row is a single cell heading a table
        of three rows or more (a title row; the header is then the next row). A first row whose one
        filled cell follows an empty corner is the header row.
        """
        rows = [[cell_text(cell) for cell in row] for row in rows]
        rows = [row for row in rows if any(row)]
        if not rows:
            return
        first = self.length + (1 if self._parts else 0)
        if caption is None:
            caption = next((line.strip() for line in reversed(self._recent) if looks_like_caption(line)), "")
        title_row = None
        # a lone cell after an empty corner (['', '比上年上涨（%）']) heads a column: a header row, not a title
        if len(rows) >= 3 and len([cell for cell in rows[0] if cell]) == 1 and rows[0][0]:
            title_row = rows.pop(0)
            if not caption:
                caption = next(cell for cell in title_row if cell)
        spans = []
        if title_row is not None:
            self.add_line(CELL_SEPARATOR.join(cell for cell in title_row if cell), unit=unit_per_row)
        for row in rows:
            start = self.add_line(CELL_SEPARATOR.join(row), unit=unit_per_row)
            spans.append((start, self.length))
        header = spans.pop(0) if len(spans) >= 2 else None
        if ocr:
            self.mark_ocr(first)
        self._recent = []
        if spans and all(_only_years(row) for row in rows[1:]):
            return  # a chart's data left as a table of its axis' years (2012年 | 2013年 | …): no row to cite
        self.tables.append(TableHint(len(self.tables) + 1, caption, header, tuple(spans), picture))

    # -- result

    def converted(self, unit: str, stated: dict[str, str] | None = None) -> Converted:
        text = "".join(self._parts)
        starts = self.unit_starts + [len(text)] * self._pending_units
        self._pending_units = 0
        headings = []
        for start, end, level in sorted(self._heading_spans):
            span = text[start:end]
            stripped = span.strip()
            if stripped:
                start += len(span) - len(span.lstrip())
                headings.append(HeadingHint(start, start + len(stripped), level))
        return Converted(
            text=text,
            unit=unit,
            unit_starts=starts or [0],
            headings=headings,
            tables=list(self.tables),
            stated=stated or {},
            encoding="utf-8",
            ocr=list(self.ocr),
        )


# ---------------------------------------------------------------- Word

_HEADING_NAME = re.compile(r"^(?:heading|标题)\s*([1-9])$", re.IGNORECASE)
_TITLE_NAMES = {"title", "标题"}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _heading_level_of_name(name: str | None) -> int | None:
    if not name:
        return None
    name = name.strip()
    if name.lower() in _TITLE_NAMES:
        return 1
    match = _HEADING_NAME.match(name)
    return int(match.group(1)) if match else None


def _outline_level(ppr) -> int | None:
    """Word's outline level (0-based; 9 is body text) from a ``w:pPr`` element, as a 1-based level."""
    from docx.oxml.ns import qn

    if ppr is None:
        return None
    outline = ppr.find(qn("w:outlineLvl"))
    if outline is None:
        return None
    try:
        value = int(outline.get(qn("w:val")))
    except (TypeError, ValueError):
        return None
    return value + 1 if 0 <= value <= 8 else None


class _StyleLevels:
    """Heading level of each paragraph style, following each style's base styles."""

    def __init__(self) -> None:
        self._cache: dict[str, int | None] = {}

    def level(self, style) -> int | None:
        if style is None:
            return None
        key = f"{style.style_id}\x00{style.name}"
        if key not in self._cache:
            self._cache[key] = self._resolve(style)
        return self._cache[key]

    @staticmethod
    def _resolve(style) -> int | None:
        seen = 0
        current = style
        while current is not None and seen < 12:
            level = _heading_level_of_name(current.name)
            if level is None:
                level = _outline_level(current.element.pPr)
            if level is not None:
                return level
            try:
                current = current.base_style
            except Exception:  # a broken basedOn reference
                return None
            seen += 1
        return None


def _paragraph_level(paragraph, styles: _StyleLevels) -> int | None:
    try:
        level = styles.level(paragraph.style)
    except Exception:  # a style reference the styles part lacks
        level = None
    if level is None:
        level = _outline_level(paragraph._p.pPr)
    return level


def _row_cells(row, table) -> list[str]:
    """The row's cell texts, a merged cell once."""
    from docx.table import _Cell

    try:
        cells = list(row.cells)
    except Exception:  # malformed vertical merges
        cells = [_Cell(tc, table) for tc in row._tr.tc_lst]
    texts: list[str] = []
    previous = None
    for cell in cells:
        if previous is not None and cell._tc is previous:
            continue
        previous = cell._tc
        texts.append(cell.text)
    return texts


def _block_items(container):
    """``w:p`` and ``w:tbl`` children of a body in order, looking inside content controls."""
    from docx.oxml.ns import qn

    paragraph, table, sdt, content, custom = qn("w:p"), qn("w:tbl"), qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")
    for child in container.iterchildren():
        if child.tag in (paragraph, table):
            yield child
        elif child.tag == sdt:
            inner = child.find(content)
            if inner is not None:
                yield from _block_items(inner)
        elif child.tag == custom:
            yield from _block_items(child)


def _open(data: bytes):
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    if data.startswith(_OLE_MAGIC):
        raise ConversionError("not a readable Word file (an old binary .doc or an encrypted file; save it as .docx)")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ConversionError("not a readable Word file (not a zip package)")
    try:
        return docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError):
        raise ConversionError("not a readable Word file (no Word document inside the package)") from None
    except ValueError as error:
        reason = "not a Word document" if "content type" in str(error) else "broken package"
        raise ConversionError(f"not a readable Word file ({reason})") from None
    except zipfile.BadZipFile:
        raise ConversionError("not a readable Word file (damaged zip package)") from None
    except Exception as error:  # lxml syntax errors and the like
        raise ConversionError(f"not a readable Word file ({type(error).__name__})") from None


def _stated(document) -> dict[str, str]:
    stated: dict[str, str] = {}
    try:
        properties = document.core_properties
        title = (properties.title or "").strip()
        created = properties.created
    except Exception:  # unparseable core properties
        return stated
    if title:
        stated["title"] = title
    if created is not None:
        stated["date"] = created.strftime("%Y-%m-%d")
    return stated


def convert(path: Path, data: bytes) -> Converted:
    from docx.table import Table
    from docx.text.paragraph import Paragraph
    from docx.oxml.ns import qn

    document = _open(data)
    body = document._body
    styles = _StyleLevels()
    lines = Lines()
    pictures = _PictureReader()
    try:
        for element in _block_items(document.element.body):
            if element.tag == qn("w:tbl"):
                table = Table(element, body)
                lines.add_table([_row_cells(row, table) for row in table.rows], unit_per_row=True)
                continue
            paragraph = Paragraph(element, body)
            text = paragraph.text.replace("\r\n", "\n").replace("\r", "\n")
            lines.add_line(text, unit=True, heading=_paragraph_level(paragraph, styles) if text.strip() else None)
            for picture in _pictures(element, document):
                pictures.read(picture, lines)
    except ConversionError:
        raise
    except Exception as error:
        raise ConversionError(f"not a readable Word file ({type(error).__name__} while reading its body)") from None
    converted = lines.converted("paragraph", _stated(document))
    converted.notes = pictures.notes
    return converted


def _pictures(element, document) -> list[bytes]:
    """The bytes of the pictures a paragraph shows (DrawingML and VML), in order."""
    from docx.oxml.ns import qn

    ids = [blip.get(qn("r:embed")) or blip.get(qn("r:link")) for blip in element.iter(qn("a:blip"))]
    ids += [data.get(qn("r:id")) for data in element.iter("{urn:schemas-microsoft-com:vml}imagedata")]
    found = []
    for rid in ids:
        part = document.part.related_parts.get(rid) if rid else None
        blob = getattr(part, "blob", None)
        if blob:
            found.append(blob)
    return found


class _PictureReader:
    """Reads the text of a Word file's pictures by OCR: a table as table rows, other text as lines.

    Pictures too small to hold text are passed over; a picture that cannot be read adds a note."""

    def __init__(self) -> None:
        from . import ocr

        self.ocr = ocr
        self.number = 0  # pictures large enough to hold text, in document order
        self.notes: list[str] = []
        self.budget = None
        self.skipped = 0

    def read(self, data: bytes, lines: Lines) -> None:
        ocr = self.ocr
        try:
            width, height = ocr.picture_size(data)
        except ocr.PictureError as error:
            self.notes.append(f"a picture in paragraph {len(lines.unit_starts) + lines.pending_units} "
                              f"not read: {error}")
            return
        if not ocr.worth_reading(width, height):
            return
        self.number += 1
        if self.budget is None:
            if not ocr.available():
                self.notes.append(f"pictures not read: {ocr.unavailable()}")
                self.budget = False
                return
            self.budget = ocr.Budget()
        if self.budget is False:
            return
        if not self.budget.allows():
            self.skipped += 1
            if self.skipped == 1:
                self.notes.append(f"pictures from picture {self.number} on not read by OCR: past {self.budget.why_not()}")
            return
        started = time.perf_counter()
        try:
            reading = ocr.read_picture(data)
        except ocr.PictureError as error:
            self.notes.append(f"picture {self.number} not read: {error}")
            return
        except ocr.OcrUnavailable as error:
            self.notes.append(f"pictures not read: {error}")
            self.budget = False
            return
        finally:
            if self.budget:
                self.budget.spend(time.perf_counter() - started)
        for block in ocr.layout(ocr.rows(ocr.picture_boxes(reading.boxes)), min_table_rows=2):
            if block.table:
                lines.add_table(block.table, picture=self.number, ocr=True)
                continue
            for text in ocr.paragraphs(block.rows):
                lines.mark_ocr(lines.add_line(text))
