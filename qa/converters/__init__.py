"""One converter per file format, behind one small interface.

A converter takes a path and returns a ``Converted``: the document's text as
the format gives it (passage offsets index this text, so a citation points at
it), the structure the format itself marks (heading lines, tables), and a
locator that turns any character range into the unit a reader can find it by
(the line of a text file, the paragraph of a Word file or web page, the page
of a PDF). Converters are chosen by suffix (``CONVERTERS``).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable


class ConversionError(Exception):
    """A file whose format cannot be read; the message says why, in a few words."""


@dataclass(frozen=True)
class HeadingHint:
    """A line the file itself marks as a heading (a Word heading style, a larger PDF font, an HTML <h1>…<h6>)."""

    start: int  # offsets in ``Converted.text`` of the heading line (without its line break)
    end: int
    level: int  # 1 (outermost) … 3


@dataclass(frozen=True)
class TableHint:
    """A table, written into the text one row a line, cells separated by `` | ``."""

    number: int  # 1-based, in document order
    caption: str  # the table's caption or title line, "" when it has none
    header: tuple[int, int] | None  # span of the header row's line in ``Converted.text``
    rows: tuple[tuple[int, int], ...]  # spans of the body rows' lines, in order
    picture: int = 0  # for a table read by OCR from a picture: the picture's number (1-based, in document order)


CELL_SEPARATOR = " | "


@dataclass
class Converted:
    text: str  # line breaks are "\n"; every offset of the index refers to this text
    unit: str = "line"  # what the locator counts: "line", "paragraph" or "page"
    unit_starts: list[int] = field(default_factory=lambda: [0])  # offset where each unit begins, ascending
    headings: list[HeadingHint] = field(default_factory=list)
    tables: list[TableHint] = field(default_factory=list)
    stated: dict[str, str] = field(default_factory=dict)  # metadata the format states: "title", "date", "author"
    encoding: str = "utf-8"
    ocr: list[tuple[int, int]] = field(default_factory=list)  # spans of ``text`` read by OCR, ascending
    notes: list[str] = field(default_factory=list)  # what was read only in part, and why: one line each

    def locate(self, offset: int) -> int:
        """The 1-based unit (line, paragraph or page) holding ``offset``."""
        return max(1, bisect.bisect_right(self.unit_starts, offset))


Converter = Callable[[Path, bytes], Converted]


def line_starts(text: str) -> list[int]:
    starts = [0]
    position = text.find("\n")
    while position != -1:
        starts.append(position + 1)
        position = text.find("\n", position + 1)
    return starts


# suffix → the module holding its ``convert``; imported when first needed
_MODULES = {".txt": "text", ".md": "text", ".docx": "docx", ".pdf": "pdf", ".html": "html", ".htm": "html"}
SUFFIXES = tuple(_MODULES)


def converter_for(path: Path) -> Converter:
    import importlib

    suffix = Path(path).suffix.lower()
    if suffix not in _MODULES:
        raise ConversionError(f"unsupported file type {suffix or '(none)'}; readable: {', '.join(SUFFIXES)}")
    return importlib.import_module(f"{__name__}.{_MODULES[suffix]}").convert


def convert(path: Path, data: bytes | None = None) -> Converted:
    """Read ``path`` (or its already-read ``data``) with the converter for its suffix."""
    path = Path(path)
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as error:
            raise ConversionError(f"cannot read it ({error.strerror})") from error
    return converter_for(path)(path, data)
