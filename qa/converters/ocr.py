"""OCR of scanned pages and of pictures inside documents (rapidocr-onnxruntime: PP-OCRv4 Chinese models on ONNX Runtime).

``read_image`` returns the text lines found in an image, as boxes in its pixels;
results are cached on disk by a hash of the image's pixels (or of a picture's
bytes), so a rebuild never reads the same page twice. ``rows`` groups the boxes
into rows in reading order and ``layout`` tells a table (rows of aligned cells)
from running text. The PDF and Word converters turn these into their own lines,
paragraphs and table rows.

Bounds: an image is downscaled to ``MAX_SIDE`` pixels on its longer side before
OCR (a JPEG is decoded at reduced size), one larger than ``MAX_PIXELS`` is not
decoded at all, and a document OCRs at most ``page_limit()`` pages and spends at
most ``time_budget()`` seconds in OCR (``QA_OCR_PAGES``, ``QA_OCR_SECONDS``).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import statistics
import tempfile
import threading
import time
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .spacing import join_pieces, tidy

ENGINE = "rapidocr-onnxruntime-1.4.4/PP-OCRv4/2"  # part of every cache key: another engine reads afresh
MAX_SIDE = 2400  # pixels on the longer side of what OCR sees (an A4 page at 200 dpi is 1654 × 2339)
RENDER_DPI = 200
MAX_PIXELS = 120_000_000  # a picture larger than this is not decoded (a 10,000 × 10,000 PNG is 100 million)
MIN_PICTURE_SIDE = 120  # pixels: a picture narrower or lower than this is an icon, a rule or a logo
MIN_PICTURE_HEIGHT = 24
MIN_PICTURE_AREA = 30_000
MIN_SCORE = 0.6  # a line recognised with less confidence is dropped (photos make faint noise)
PAGE_LIMIT = 60  # pages OCR-ed per document, unless QA_OCR_PAGES says otherwise
TIME_BUDGET = 900.0  # seconds of OCR per document, unless QA_OCR_SECONDS says otherwise


class OcrUnavailable(Exception):
    """The OCR engine cannot run here (not installed, or its models failed to load)."""


@dataclass(frozen=True)
class Box:
    """One recognised text line, its bounding box in the image's pixels."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    score: float

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class Reading:
    """What OCR found in one image: its size (in the pixels the boxes use) and its text lines."""

    width: int
    height: int
    boxes: list[Box] = field(default_factory=list)


@dataclass
class Stats:
    """OCR work done by this process (the build's progress bar shows the pages)."""

    pages: int = 0  # pages and pictures read by the engine
    cached: int = 0  # read from the cache instead
    seconds: float = 0.0


STATS = Stats()


def page_limit() -> int:
    try:
        return max(0, int(os.environ.get("QA_OCR_PAGES", PAGE_LIMIT)))
    except ValueError:
        return PAGE_LIMIT


def time_budget() -> float:
    try:
        return max(0.0, float(os.environ.get("QA_OCR_SECONDS", TIME_BUDGET)))
    except ValueError:
        return TIME_BUDGET


class Budget:
    """One document's allowance of OCR: pages and seconds."""

    def __init__(self) -> None:
        self.pages = page_limit()
        self.seconds = time_budget()
        self.used_pages = 0
        self.used_seconds = 0.0

    def allows(self) -> bool:
        return self.used_pages < self.pages and self.used_seconds < self.seconds

    def why_not(self) -> str:
        if self.used_pages >= self.pages:
            return f"the limit of {self.pages} OCR-ed pages per document (QA_OCR_PAGES)"
        return f"the {self.seconds:g} s OCR budget per document (QA_OCR_SECONDS)"

    def spend(self, seconds: float) -> None:
        self.used_pages += 1
        self.used_seconds += seconds


# ---------------------------------------------------------------- engine and cache

_engine = None
_lock = threading.Lock()


def unavailable() -> str:
    """Why OCR cannot run here ("" when it can): the engine's package or a library it needs is missing."""
    try:
        import rapidocr_onnxruntime  # noqa: F401
    except Exception as error:  # ImportError, or OSError for a missing system library of OpenCV
        return f"OCR is not available ({type(error).__name__}: {str(error)[:80]})"
    return ""


def available() -> bool:
    return not unavailable()


def _get_engine():
    global _engine
    with _lock:
        if _engine is None:
            try:
                from rapidocr_onnxruntime import RapidOCR

                # The image is already at most MAX_SIDE (rapidocr's own cap, 2000, would shrink small print).
                # Lines are found at full size: found on a copy of 1,280 pixels they took a third of the
                # time, but the looser boxes cost figures (35.7% read as 357%).
                _engine = RapidOCR(max_side_len=MAX_SIDE, use_cls=False)
            except Exception as error:
                raise OcrUnavailable(f"OCR is not available ({type(error).__name__}: {str(error)[:80]})") from None
        return _engine


def cache_folder() -> Path:
    from ..embedding import cache_dir

    return cache_dir() / "ocr"


def _cache_path(key: str) -> Path:
    return cache_folder() / key[:2] / f"{key}.json"


def _cached(key: str) -> Reading | None:
    try:
        data = json.loads(_cache_path(key).read_text(encoding="utf-8"))
        return Reading(int(data["width"]), int(data["height"]), [Box(**box) for box in data["boxes"]])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _store(key: str, reading: Reading) -> None:
    path = _cache_path(key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(asdict(reading), out, ensure_ascii=False)
        os.replace(temporary, path)
    except OSError:
        pass  # a cache that cannot be written only costs time


def _key(*parts: bytes) -> str:
    digest = hashlib.sha256(ENGINE.encode())
    for part in parts:
        digest.update(part)
    return digest.hexdigest()


def _recognise(image) -> Reading:
    """Run the engine on a PIL image (already at most MAX_SIDE)."""
    import numpy as np

    engine = _get_engine()
    array = np.asarray(image.convert("RGB"))
    started = time.perf_counter()
    # by word: a line the detector found across table cells comes back as one box per cell
    result, _ = engine(array, use_cls=False, return_word_box=True)
    STATS.seconds += time.perf_counter() - started
    STATS.pages += 1
    boxes = []
    for quad, text, score, *words in result or []:
        text = text.strip()
        if not text or float(score) < MIN_SCORE:
            continue
        xs = [float(point[0]) for point in quad]
        ys = [float(point[1]) for point in quad]
        box = Box(text, min(xs), min(ys), max(xs), max(ys), round(float(score), 4))
        boxes.extend(_split(box, words[0], words[1]) if len(words) >= 2 else [box])
    return Reading(image.width, image.height, boxes)


CELL_GAP = 0.75  # ems between two characters of one box that make them two boxes (table cells)


def _split(box: Box, quads, pieces) -> list[Box]:
    """A box split where its characters stand far apart: the detector joins neighbouring table cells
    into one line when only a thin rule separates them ("18.23万亿元 │ 9.9%")."""
    try:
        spans = [(min(float(p[0]) for p in quad), max(float(p[0]) for p in quad)) for quad in quads]
        pieces = [str(piece) for piece in pieces]
    except (TypeError, ValueError, IndexError):
        return [box]
    if len(spans) != len(pieces) or len(pieces) < 2 or "".join(pieces).replace(" ", "") != box.text.replace(" ", ""):
        return [box]
    ems = sum(_em(char) for piece in pieces for char in piece)
    em = (box.x1 - box.x0) / ems if ems else box.height
    parts, start = [], 0
    for index in range(1, len(pieces)):
        if spans[index][0] - spans[index - 1][1] > CELL_GAP * em:
            parts.append((start, index))
            start = index
    if not parts:
        return [box]
    parts.append((start, len(pieces)))
    result = []
    for first, end in parts:
        text = ""
        for piece in pieces[first:end]:
            text = join_pieces(text, piece)
        x0 = box.x0 if first == 0 else spans[first][0]
        x1 = box.x1 if end == len(pieces) else spans[end - 1][1]
        result.append(Box(text, x0, box.top, x1, box.bottom, box.score))
    return result


def read_image(image, key: str | None = None) -> Reading:
    """The text lines of a PIL image, downscaled to ``MAX_SIDE`` first; cached by ``key``, else by its pixels.

    Box coordinates are in the pixels of the image as given (scaled back)."""
    scale = 1.0
    if max(image.size) > MAX_SIDE:
        scale = max(image.size) / MAX_SIDE
        image = image.copy()
        image.thumbnail((MAX_SIDE, MAX_SIDE))
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    key = key or _key(f"{image.mode}{image.size}".encode(), image.tobytes())
    reading = _cached(key)
    if reading is None:
        reading = _recognise(image)
        _store(key, reading)
    else:
        STATS.cached += 1
    if scale != 1.0:
        reading = Reading(round(reading.width * scale), round(reading.height * scale), [
            Box(box.text, box.x0 * scale, box.top * scale, box.x1 * scale, box.bottom * scale, box.score)
            for box in reading.boxes])
    return reading


class PictureError(Exception):
    """A picture that cannot be read; the message says why in a few words."""


def picture_size(data: bytes) -> tuple[int, int]:
    """A picture's pixel size from its header alone."""
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(io.BytesIO(data)) as image:
                return image.size
    except Exception:
        raise PictureError("not a readable image") from None


def worth_reading(width: float, height: float) -> bool:
    """Large enough to hold a line of text: not an icon, a logo or a rule."""
    return min(width, height) >= MIN_PICTURE_HEIGHT and max(width, height) >= MIN_PICTURE_SIDE \
        and width * height >= MIN_PICTURE_AREA


def read_picture(data: bytes) -> Reading:
    """The text lines of a picture given as its file's bytes, cached by those bytes.

    Raises ``PictureError`` for a damaged picture or one too large to decode."""
    key = _key(b"picture", data)
    reading = _cached(key)
    if reading is not None:
        STATS.cached += 1
        return reading
    from PIL import Image

    width, height = picture_size(data)
    if width * height > MAX_PIXELS:
        raise PictureError(f"too large to OCR ({width}×{height} pixels; at most {MAX_PIXELS:,} are read)")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # PIL's decompression-bomb warning: the size was checked above
            with Image.open(io.BytesIO(data)) as image:
                image.draft("RGB", (MAX_SIDE, MAX_SIDE))  # a JPEG decodes straight at a fraction of its size
                if getattr(image, "n_frames", 1) > 1:
                    image.seek(0)
                image.load()
                if image.mode in ("RGBA", "LA", "P", "PA"):
                    image = image.convert("RGBA")
                    white = Image.new("RGBA", image.size, "white")
                    image = Image.alpha_composite(white, image).convert("RGB")
                elif image.mode not in ("RGB", "L"):
                    image = image.convert("L" if image.mode in ("1", "I", "I;16", "F") else "RGB")
                if max(image.size) > MAX_SIDE:
                    image.thumbnail((MAX_SIDE, MAX_SIDE))  # before OCR sees it, so memory stays bounded
    except Exception:
        raise PictureError("not a readable image") from None
    scale = width / image.width if image.width else 1.0
    reading = read_image(image, key=_key(b"decoded", data))
    if scale != 1.0:
        reading = Reading(width, height, [
            Box(box.text, box.x0 * scale, box.top * scale, box.x1 * scale, box.bottom * scale, box.score)
            for box in reading.boxes])
    _store(key, reading)
    return reading


# ---------------------------------------------------------------- rows, cells and tables

_SPACES = re.compile(r"\s+")


@dataclass
class Row:
    """Boxes on one line of the image, left to right, grouped into cells where a wide gap separates them."""

    cells: list[list[Box]]

    @property
    def boxes(self) -> list[Box]:
        return [box for cell in self.cells for box in cell]

    @property
    def top(self) -> float:
        return min(box.top for box in self.boxes)

    @property
    def bottom(self) -> float:
        return max(box.bottom for box in self.boxes)

    @property
    def height(self) -> float:
        return statistics.median(box.height for box in self.boxes)

    @property
    def size(self) -> float:
        """The font size in pixels: the width per em where the row holds enough characters (OCR's box heights
        vary by a fifth from line to line; a Chinese character is one em wide), else the boxes' height."""
        width = ems = 0.0
        for box in self.boxes:
            width += box.x1 - box.x0
            ems += sum(_em(char) for char in box.text)
        return width / ems if ems >= 4 else 0.75 * self.height  # a box stands about an eighth of an em out

    def text(self) -> str:
        return tidy_text(_join(box.text for box in self.boxes))


def _em(char: str) -> float:
    if char.isspace():
        return 0.3
    return 0.55 if ord(char) < 0x2000 else 1.0


def _join(pieces) -> str:
    result = ""
    for piece in pieces:
        result = join_pieces(result, _SPACES.sub(" ", piece).strip())
    return result


_PER_MILLE = re.compile(r"(?<=\d)[%％][0o](?![\d.])")
# a decimal point read as a full stop or a middle dot, where a percentage, a magnitude or yuan follows
_DECIMAL_POINT = re.compile(r"(?<=\d)[。·](?=\d{1,4}(?:[%％‰倍万亿元]))")


# a number whose characters the recogniser read with spaces between them, as in letter-spaced print
# (1 1 6 . 7万亩, 6 8个): single digits or points apart, the last part maybe longer; two numbers of several
# digits side by side ("392.66 45.31", cells one box holds) are left as they are, and so is the number of a
# caption before it (表1 2 0 2 3年 → 表1 2023年)
_SPACED_NUMBER = re.compile(r"(?<![\d.])(?<![\d.] )\d(?: [\d.])+(?: [\d.]+)?(?![\d.])")
_CAPTION_NUMBER = re.compile(r"(?<=[表图])(\d{1,3}) (?=\d)")
_KEPT_SPACE = "\x00"


def _close_spaced_numbers(text: str) -> str:
    text = _CAPTION_NUMBER.sub(lambda match: match.group(1) + _KEPT_SPACE, text)
    text = _SPACED_NUMBER.sub(lambda match: match.group().replace(" ", ""), text)
    return text.replace(_KEPT_SPACE, " ")


# 入 read as 人 after the characters that make a word with 入 (收入, 深入, 投入, 纳入 …), unless 人 begins a
# word of its own there (税收人员, 金融人才, 增加人口); 进 and 导 are left out: 促进人的, 领导人
_ENTERED = re.compile(r"(?<=[深收投融准纳列加注嵌流输切迈步转录植购侵陷汇插混])人"
                      r"(?![才员口民数次均们士工群居家大心性身事格权物生类手寿情气文造为选际品头道力])")


def tidy_text(text: str) -> str:
    """The spaces OCR reads into Chinese text and figures removed (784.2 亿元 → 784.2亿元, 1 1 6 . 7万亩 →
    116.7万亩), as the PDF converter does; signs the recogniser misreads inside figures put back: 6.45%0 →
    6.45‰, 0。7% → 0.7%; and 入 where it reads 人 (收人 → 收入)."""
    text = _close_spaced_numbers(text)
    return _ENTERED.sub("入", _DECIMAL_POINT.sub(".", _PER_MILLE.sub("‰", tidy(text))))


def rows(boxes: list[Box]) -> list[Row]:
    """Boxes grouped into rows top to bottom (a box joins a row when its middle lies within the row's height)."""
    ordered = sorted(boxes, key=lambda box: box.middle)
    grouped: list[list[Box]] = []
    for box in ordered:
        if grouped:
            row = grouped[-1]
            middle = statistics.fmean(b.middle for b in row)
            height = statistics.median(b.height for b in row)
            if abs(box.middle - middle) <= 0.45 * min(height, box.height):
                row.append(box)
                continue
        grouped.append([box])
    result = []
    for row in grouped:
        row.sort(key=lambda box: box.x0)
        em = Row([row]).size
        cells = [[row[0]]]
        for box in row[1:]:
            if box.x0 - cells[-1][-1].x1 > 0.5 * em:  # table cells sit about an em apart, words a third of one
                cells.append([box])
            else:
                cells[-1].append(box)
        result.append(Row(cells))
    return result


@dataclass
class Block:
    """A run of rows: running text (``table`` empty) or a table of aligned cells (``table``: cell texts per row)."""

    rows: list[Row]
    table: list[list[str]] = field(default_factory=list)

    @property
    def top(self) -> float:
        return self.rows[0].top


def _columns(table_rows: list[Row]) -> list[tuple[float, float]]:
    """Column extents: the cells of the first row with the most cells (a header row, as a rule)."""
    template = max(table_rows, key=lambda row: (len(row.cells), -row.top))
    columns = [[min(b.x0 for b in cell), max(b.x1 for b in cell)] for cell in template.cells]
    return [tuple(column) for column in columns]


def _column_of(cell: list[Box], columns: list[tuple[float, float]]) -> int:
    x0, x1 = min(b.x0 for b in cell), max(b.x1 for b in cell)
    overlaps = [min(x1, right) - max(x0, left) for left, right in columns]
    best = max(range(len(columns)), key=lambda i: overlaps[i])
    if overlaps[best] > 0:
        return best
    middle = (x0 + x1) / 2
    return min(range(len(columns)), key=lambda i: abs((columns[i][0] + columns[i][1]) / 2 - middle))


def _table(table_rows: list[Row]) -> list[list[str]]:
    columns = _columns(table_rows)
    grid = []
    for row in table_rows:
        cells: list[list[Box]] = [[] for _ in columns]
        for cell in row.cells:
            cells[_column_of(cell, columns)].extend(cell)
        grid.append([tidy_text(_join(box.text for box in sorted(cell, key=lambda b: b.x0))) for cell in cells])
    return grid


_BARE_NUMBER = re.compile(r"[\d.,，%％\s|–\-]+")
_HAN = re.compile(r"[\u4e00-\u9fff]")
CHART_NUMBERS = 0.6  # the share of a picture's text boxes that are bare numbers, above which it is a chart


def picture_boxes(boxes: list[Box]) -> list[Box]:
    """The boxes of a picture worth keeping: all of a table's or a text's, only the title of a chart's. A chart's ticks and data labels, read as rows of numbers, would pass for a table of
    figures (周口's 图1 gave 932.42887.71), and none of them can be cited as a figure the reader can check."""
    if len(boxes) < 8:
        return boxes
    numbers = sum(bool(_BARE_NUMBER.fullmatch(box.text.strip())) for box in boxes)
    if numbers < CHART_NUMBERS * len(boxes):
        return boxes
    # its title: the first line of words; legends and axis years read as cells would pass for a table's rows and
    # outrank the paragraph that states the figures
    worded = [box for box in boxes if _HAN.search(box.text)]
    titles = [row for row in rows(worded) if len(_HAN.findall(row.text())) >= 4]
    return titles[0].boxes if titles else []


_SENTENCE_END = re.compile(r"[。！？；!?;][”’」』）)》\"']*$")
CHART_ROWS = 4  # rows in a run of bare numbers, from which the run is a chart's ticks and data labels


def without_chart_numbers(found_rows: list[Row]) -> list[Row]:
    """Rows without the runs of ``CHART_ROWS`` or more rows that hold bare numbers alone, as many on one row as on
    the next or not: the ticks and data labels of a chart printed on a scanned page (a table's rows carry the
    words of their first cell, or keep their columns row after row). Read as text they say nothing a reader
    could cite, and their figures would pass for the indicator's."""
    kept: list[Row] = []
    run: list[Row] = []
    for row in [*found_rows, None]:
        if row is not None and all(_BARE_NUMBER.fullmatch(box.text.strip()) for box in row.boxes):
            run.append(row)
            continue
        columns = {len(numbers.cells) for numbers in run}
        if len(run) < CHART_ROWS or (len(columns) == 1 and min(columns) >= 2):
            kept.extend(run)
        run = []
        if row is not None:
            kept.append(row)
    return kept


def layout(found_rows: list[Row], min_table_rows: int = 3) -> list[Block]:
    """Rows split into blocks: a table is a run of at least ``min_table_rows`` rows of two or more cells
    (a single-cell row right above it joins as its title); the rest is running text. A chart's numbers are
    left out (``without_chart_numbers``)."""
    found_rows = without_chart_numbers(found_rows)
    blocks: list[Block] = []
    index = 0
    while index < len(found_rows):
        end = index
        while end < len(found_rows) and len(found_rows[end].cells) >= 2:
            end += 1
        if end - index >= min_table_rows:
            table_rows = found_rows[index:end]
            grid = _table(table_rows)
            title = None
            if blocks and not blocks[-1].table and blocks[-1].rows:
                last = blocks[-1].rows[-1]
                # a title is short and ends no sentence (the last line of a paragraph above the table does)
                if table_rows[0].top - last.bottom < 2.5 * last.height and len(last.text()) <= 40 \
                        and not _SENTENCE_END.search(last.text()):
                    title = blocks[-1].rows.pop()
                    if not blocks[-1].rows:
                        blocks.pop()
            if title is not None:
                grid.insert(0, [title.text()])
                table_rows = [title, *table_rows]
            blocks.append(Block(table_rows, grid))
            index = end
            continue
        if blocks and not blocks[-1].table:
            blocks[-1].rows.append(found_rows[index])
        else:
            blocks.append(Block([found_rows[index]]))
        index += 1
    return blocks


def paragraphs(found_rows: list[Row]) -> list[str]:
    """Running text rows joined back into paragraphs: a new one starts after a clearly larger gap, after a
    row that stops well short of the block's right edge, at an indented row or at a row of another height."""
    if not found_rows:
        return []
    left = min(row.boxes[0].x0 for row in found_rows)
    right = max(row.boxes[-1].x1 for row in found_rows)
    result: list[str] = []
    previous = None
    for row in found_rows:
        text = row.text()
        if not text:
            continue
        if previous is not None:
            height = previous.size
            new = (row.top - previous.bottom > 0.9 * height
                   or abs(row.size - height) > 0.15 * height
                   or previous.boxes[-1].x1 < right - 2 * height
                   or row.boxes[0].x0 - left > 1.2 * height)
            if not new:
                result[-1] = tidy_text(join_pieces(result[-1], text))
                previous = row
                continue
        result.append(text)
        previous = row
    return result
