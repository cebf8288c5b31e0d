"""Reading source reports: a folder searched recursively, each file converted by its format, then cleaned.

A ``Document`` keeps the converted text (``original``: what passage offsets
index, so a citation points at it), the cleaned text that is chunked, and the
map between them: ``clean(original)[i]`` came from ``original[origin[i]]``.
Structure the format marks (headings, tables) is carried over in cleaned
coordinates.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import numpy as np

from .cleaning import clean as _clean
from .converters import SUFFIXES, ConversionError, Converted, HeadingHint, TableHint, convert
from .converters.text import decode  # noqa: F401  (part of this module's interface)

SOURCE_SUFFIXES = SUFFIXES
# A folder's own notes are not reports: README.md, LICENSE.txt … are skipped.
NOT_REPORTS = ("readme", "license", "licence", "changelog")


class DocumentError(Exception):
    """A source file or folder that cannot be read."""


@dataclass
class Document:
    name: str  # the path relative to the corpus folder ("national/gov_2005.txt"): the source of its passages
    original: str  # the converted text; passage offsets index it
    text: str  # the cleaned text
    origin: np.ndarray = field(repr=False)  # origin[i] = offset in ``original`` of text[i]
    emphasis: list[tuple[int, int]] = field(default_factory=list, repr=False)  # ``**`` spans, cleaned coordinates
    headings: list[HeadingHint] = field(default_factory=list, repr=False)  # cleaned coordinates
    tables: list[TableHint] = field(default_factory=list, repr=False)  # cleaned coordinates
    stated: dict[str, str] = field(default_factory=dict)  # metadata the file states (format, 来源/时间 lines)
    unit: str = "line"  # what ``locate`` counts: line, paragraph or page
    unit_starts: list[int] = field(default_factory=lambda: [0], repr=False)  # in ``original``
    encoding: str = "utf-8"
    sha256: str = ""
    ocr: list[tuple[int, int]] = field(default_factory=list, repr=False)  # spans of ``original`` read by OCR
    notes: list[str] = field(default_factory=list)  # what the converter read only in part, and why

    def read_by_ocr(self, original_start: int, original_end: int) -> bool:
        """Whether any of ``original[start:end]`` was read by OCR."""
        import bisect

        at = bisect.bisect_right(self.ocr, (original_start, float("inf"))) - 1
        return any(start < original_end and end > original_start for start, end in self.ocr[max(0, at):at + 2])

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a non-empty span of the cleaned text to the original."""
        return int(self.origin[start]), int(self.origin[end - 1]) + 1

    def locate(self, original_offset: int) -> int:
        """The 1-based line, paragraph or page of an offset in ``original``."""
        import bisect

        return max(1, bisect.bisect_right(self.unit_starts, original_offset))


def clean(text: str) -> str:
    """The cleaned form of a text (see ``qa.cleaning``)."""
    return _clean(text).text


def from_converted(name: str, converted: Converted, sha256: str = "") -> Document:
    cleaned = _clean(converted.text)
    origin = cleaned.origin

    def to_clean(start: int, end: int) -> tuple[int, int]:
        return int(np.searchsorted(origin, start)), int(np.searchsorted(origin, end))

    headings = []
    for hint in converted.headings:
        start, end = to_clean(hint.start, hint.end)
        if end > start:
            headings.append(HeadingHint(start, end, hint.level))
    tables = []
    for table in converted.tables:
        rows = tuple(span for span in (to_clean(*row) for row in table.rows) if span[1] > span[0])
        header = to_clean(*table.header) if table.header else None
        if rows:
            tables.append(TableHint(table.number, table.caption, header if header and header[1] > header[0] else None,
                                    rows, table.picture))
    return Document(
        name=name, original=converted.text, text=cleaned.text, origin=origin, emphasis=cleaned.emphasis,
        headings=headings, tables=tables, stated={**cleaned.stated, **converted.stated},
        unit=converted.unit, unit_starts=converted.unit_starts, encoding=converted.encoding, sha256=sha256,
        ocr=list(converted.ocr), notes=list(converted.notes),
    )


def parse(name: str, original: str, encoding: str = "utf-8", sha256: str = "") -> Document:
    """A document from text already in hand (tests, plain strings)."""
    from .converters import line_starts

    original = original.replace("\r\n", "\n").replace("\r", "\n")
    return from_converted(name, Converted(text=original, unit_starts=line_starts(original), encoding=encoding), sha256)


def read_document(path: Path, root: Path | None = None) -> Document:
    """Convert and clean one file; its name is its path relative to ``root`` (its folder by default)."""
    path = Path(path)
    name = path.relative_to(root).as_posix() if root is not None else path.name
    try:
        data = path.read_bytes()
    except OSError as error:
        raise DocumentError(f"{name}: cannot read it ({error.strerror})") from error
    try:
        converted = convert(path, data)
    except ConversionError as error:
        raise DocumentError(f"{name}: {error}") from error
    except Exception as error:  # a converter library failing on a damaged file
        raise DocumentError(f"{name}: cannot be read ({type(error).__name__}: {str(error)[:120]})") from error
    if not converted.text.strip():
        raise DocumentError(f"{name}: no text in it")
    return from_converted(name, converted, hashlib.sha256(data).hexdigest())


def _walk(folder: Path):
    """Every file under ``folder``, following linked folders (a pile assembled from links) but never in a loop."""
    seen: set[str] = set()
    for root, folders, names in os.walk(folder, followlinks=True):
        real = os.path.realpath(root)
        if real in seen:
            folders[:] = []
            continue
        seen.add(real)
        for name in names:
            path = Path(root) / name
            if path.is_file():
                yield path


def source_files(folder: Path) -> list[Path]:
    """Readable report files under ``folder``, recursively, in path order.

    Hidden files and folders, Word lock files (``~$…``) and a folder's notes (README, LICENSE) are skipped.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise DocumentError(f"seeds folder not found: {folder}")
    files = sorted(
        path for path in _walk(folder)
        if path.suffix.lower() in SOURCE_SUFFIXES
        and not any(part.startswith(".") for part in path.relative_to(folder).parts)
        and not path.name.startswith("~$") and path.stem.lower() not in NOT_REPORTS
    )
    if not files:
        raise DocumentError(f"no readable reports ({', '.join(SOURCE_SUFFIXES)}) in {folder}")
    return files


@dataclass
class Problem:
    """A file that could not be read, and why; the rest of the folder is still indexed."""

    source: str
    reason: str

    def __str__(self) -> str:
        return self.reason if self.reason.startswith(self.source) else f"{self.source}: {self.reason}"


def iter_documents(folder: Path, problems: list[Problem] | None = None) -> Iterator[Document]:
    """Each readable document of ``folder``; unreadable files are added to ``problems`` instead."""
    folder = Path(folder)
    for path in source_files(folder):
        try:
            yield read_document(path, folder)
        except DocumentError as error:
            if problems is None:
                raise
            problems.append(Problem(path.relative_to(folder).as_posix(), str(error)))


def load_corpus(folder: Path) -> list[Document]:
    return list(iter_documents(folder))
