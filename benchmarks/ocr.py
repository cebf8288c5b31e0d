"""OCR of scanned reports: character accuracy, figures read exactly, table pictures rebuilt, pages per second.

    python benchmarks/ocr.py [--corpus corpus/national] [--pages 8] [--tables 4] [--cache DIR] [--json]

Test scans are made from reports whose text is known: pages of the corpus's text
reports are typeset with a CJK font (headings larger, paragraphs indented and
wrapped to the page width), rendered at 200 dpi, some rotated by ±1° or slightly
blurred, and saved as image-only PDFs; table pictures are drawn from real figures
of the same reports (indicator, amount, growth) and put into Word files. Each is
read by the converters as a build reads it, and compared with what was drawn:

- character accuracy: 1 − (edits between the known and the read text) / known characters, whitespace aside;
- figures: each number with its unit in the known text (qa.figures) read exactly, wrongly (other digits
  in its place) or missed;
- table rows: body rows whose cells all come back right.

The OCR cache starts empty (a temporary folder unless --cache), so the first pass measures OCR and a
second pass measures a rebuild that reads every page from the cache.
"""

from __future__ import annotations

import argparse
import difflib
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DPI = 200
PAGE = (1654, 2339)  # A4 at 200 dpi
MARGIN = 190
BODY_PT, HEADING_PT = 12, 16
VARIANTS = ("clean", "rotated +1°", "rotated −1°", "blurred")


# ---------------------------------------------------------------- drawing (the tests use these too)

def cjk_font() -> Path | None:
    """A font that draws Chinese, as fontconfig knows it; None when there is none."""
    try:
        listed = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        listed = ""
    files = [Path(line.split(":")[0].strip()) for line in listed.splitlines() if line.strip()]
    for known in (Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),):
        if known.exists():
            files.insert(0, known)
    regular = [path for path in files if "Bold" not in path.name and path.exists()]
    return (regular or [path for path in files if path.exists()] or [None])[0]


def _font(path: Path, points: float, dpi: int = DPI):
    from PIL import ImageFont

    return ImageFont.truetype(str(path), round(points / 72 * dpi))


def _wrap(text: str, font, width: float, indent: float = 0.0) -> list[str]:
    lines, current, limit = [], "", width - indent
    for char in text:
        if font.getlength(current + char) > limit and current:
            lines.append(current)
            current, limit = "", width
        current += char
    if current:
        lines.append(current)
    return lines


def draw_pages(blocks: list[tuple[str, str]], font_path: Path, size: tuple[int, int] = PAGE,
               margin: int = MARGIN, body_pt: float = BODY_PT, heading_pt: float = HEADING_PT, dpi: int = DPI):
    """Typeset ``blocks`` ((kind, text), kind "heading" or "para") onto page images.

    Returns [(image, [block texts on that page])]; a paragraph carried over to the next page is
    counted on the page where it starts, its text split at the page end."""
    from PIL import Image, ImageDraw

    body, heading = _font(font_path, body_pt, dpi), _font(font_path, heading_pt, dpi)
    pages = []
    image, draw, y, texts = None, None, 0, []

    def new_page():
        nonlocal image, draw, y, texts
        if image is not None:
            pages.append((image, texts))
        image = Image.new("L", size, 255)
        draw = ImageDraw.Draw(image)
        y, texts = margin, []

    new_page()
    width = size[0] - 2 * margin
    for kind, text in blocks:
        font = heading if kind == "heading" else body
        pitch = round(font.size * (1.9 if kind == "heading" else 1.75))
        indent = 0 if kind == "heading" else 2 * font.getlength("国")
        lines = _wrap(text, font, width, indent)
        written = ""
        for number, line in enumerate(lines):
            if y + pitch > size[1] - margin:
                if written:
                    texts.append(written)
                    written = ""
                new_page()
            x = margin + (indent if number == 0 else 0)
            if kind == "heading":
                x = margin + (width - font.getlength(line)) / 2
            draw.text((x, y), line, font=font, fill=0)
            written += line
            y += pitch
        if written:
            texts.append(written)
        y += round(font.size * 0.3)
    pages.append((image, texts))
    return pages


def spoil(image, variant: str):
    """A scan's faults: a slight rotation or blur."""
    from PIL import Image, ImageFilter

    if variant.startswith("rotated"):
        angle = 1.0 if "+" in variant else -1.0
        return image.rotate(angle, resample=Image.BICUBIC, fillcolor="white")
    if variant == "blurred":
        return image.filter(ImageFilter.GaussianBlur(0.8))
    return image


def image_pdf(images, path: Path, dpi: int = DPI) -> Path:
    """An image-only PDF (no text layer), one image a page."""
    images = [image.convert("RGB") for image in images]
    images[0].save(path, save_all=True, append_images=images[1:], resolution=dpi)
    return path


def draw_table(caption: str, rows: list[list[str]], font_path: Path, points: float = 11, dpi: int = 150):
    """A picture of a ruled table: its caption above, then the rows (the first is the header)."""
    from PIL import Image, ImageDraw

    font = _font(font_path, points, dpi)
    pad = font.size // 2
    columns = len(rows[0])
    widths = [max(font.getlength(row[i]) for row in rows) + 2 * pad for i in range(columns)]
    row_height = font.size + 2 * pad
    top = 2 * row_height if caption else pad
    size = (int(sum(widths) + 2 * pad), int(top + row_height * len(rows) + pad))
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    if caption:
        draw.text(((size[0] - font.getlength(caption)) / 2, pad), caption, font=font, fill="black")
    for r, row in enumerate(rows):
        y = top + r * row_height
        x = pad
        for c, cell in enumerate(row):
            draw.rectangle((x, y, x + widths[c], y + row_height), outline="black")
            draw.text((x + pad, y + pad * 0.8), cell, font=font, fill="black")
            x += widths[c]
    return image


def docx_with_pictures(path: Path, before: str, pictures, after: str = "") -> Path:
    """A Word file: a paragraph, the pictures (PIL images or PNG bytes), a paragraph."""
    import docx
    from docx.shared import Inches

    document = docx.Document()
    document.add_paragraph(before)
    for picture in pictures:
        data = picture if isinstance(picture, bytes) else _png(picture)
        document.add_picture(io.BytesIO(data), width=Inches(5.5))
    if after:
        document.add_paragraph(after)
    document.save(path)
    return path


def _png(image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


# ---------------------------------------------------------------- known texts

_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")
_ROW = re.compile(r"(?<=[，。；：])([\u4e00-\u9fff]{2,12}?)(?:达到|为|完成|实现|超过)?"
                  r"(\d[\d.]*(?:万亿|亿|万)?(?:元|美元|吨|千瓦|人|户|公里|斤|家|个))(?:，(?:比上年|同比)?(?:增长|下降)(\d[\d.]*%))?")


def report_blocks(path: Path, limit: int = 60) -> list[tuple[str, str]]:
    blocks = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip().replace("\u3000", "")
        if not line:
            continue
        kind = "heading" if (_HEADING.match(line) and len(line) <= 40) or not blocks else "para"
        blocks.append((kind, line))
        if len(blocks) >= limit:
            break
    return blocks


def table_rows(paths: list[Path], tables: int, per_table: int = 5) -> list[tuple[str, list[list[str]]]]:
    """Tables of real figures from the reports (indicator, amount, growth), ``per_table`` rows each."""
    rows, seen = [], set()
    for path in paths:
        for match in _ROW.finditer(unicodedata.normalize("NFKC", path.read_text(encoding="utf-8"))):
            name = re.sub(r"^(?:全年|其中|全国|年末)", "", match.group(1))
            if len(name) >= 2 and (name, match.group(2)) not in seen:
                seen.add((name, match.group(2)))
                rows.append([name, match.group(2), match.group(3) or ""])
    found = []
    for number in range(min(tables, len(rows) // per_table)):
        body = rows[number * per_table:(number + 1) * per_table]
        found.append((f"表{number + 1} 主要指标", [["指标", "数值", "比上年增长"], *body]))
    return found


# ---------------------------------------------------------------- measures

_SPACE = re.compile(r"\s+")


@dataclass
class Score:
    characters: int = 0
    errors: int = 0
    figures: int = 0
    exact: int = 0
    wrong: int = 0
    missed: int = 0
    wrong_examples: list[str] = field(default_factory=list)

    def add(self, known: str, read: str, order_free: bool = False) -> None:
        """Score ``read`` against ``known``. ``order_free``: a figure also counts as read exactly when it stands
        elsewhere in ``read`` (a table whose known text is laid out in another order than the one read)."""
        from collections import Counter

        from qa.figures import extract_figures

        known, read = _squeezed(known), _squeezed(read)
        matcher = difflib.SequenceMatcher(None, known, read, autojunk=False)
        opcodes = matcher.get_opcodes()
        self.characters += len(known)
        self.errors += sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in opcodes if tag != "equal")
        elsewhere = Counter(figure.text for figure in extract_figures(read)) if order_free else Counter()
        for figure in extract_figures(known):
            if figure.kind in ("year", "date", "rank"):
                continue
            self.figures += 1
            got = _mapped(opcodes, figure.start, figure.end, read)
            if got == figure.text or elsewhere[figure.text] > 0:
                elsewhere[figure.text] -= 1
                self.exact += 1
            elif re.search(r"\d", got):
                self.wrong += 1
                if len(self.wrong_examples) < 8:
                    self.wrong_examples.append(f"{figure.text} → {got}")
            else:
                self.missed += 1

    @property
    def accuracy(self) -> float:
        return 1 - self.errors / self.characters if self.characters else 0.0


_CELL_SEPARATOR = re.compile(r"\s*\|\s*")
_BETWEEN_NUMBERS = re.compile(r"(?<=[\d%‰])\s+(?=[-+]?\d)")


def _squeezed(text: str) -> str:
    """Text as compared: cleaned, NFKC (full-width digits and signs, ６．１％, are the same figure to a reader and
    to the index), whitespace dropped, except that two numbers side by side (table cells, whether the cells
    were told apart or not) keep a "|" between them rather than run into one figure."""
    from qa.cleaning import clean

    text = unicodedata.normalize("NFKC", clean(text).text)
    text = _BETWEEN_NUMBERS.sub("|", _CELL_SEPARATOR.sub(" ", text))
    return _SPACE.sub("", text)


def _mapped(opcodes, start: int, end: int, read: str) -> str:
    """The part of ``read`` aligned with ``known[start:end]``."""
    begin = stop = None
    for tag, i1, i2, j1, j2 in opcodes:
        if begin is None and i2 > start:
            begin = j1 + (start - i1 if tag == "equal" else 0)
        if i2 >= end:
            stop = j1 + (end - i1 if tag == "equal" else j2 - j1)
            break
    if begin is None or stop is None or stop < begin:
        return ""
    return read[begin:stop]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus" / "national")
    parser.add_argument("--pages", type=int, default=16, help="scanned pages to read (one variant after another)")
    parser.add_argument("--tables", type=int, default=8, help="table pictures to read (5 rows each)")
    parser.add_argument("--cache", type=Path, default=None, help="OCR cache folder (default: a new temporary one)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    font = cjk_font()
    if font is None:
        sys.exit("Error: no CJK font (install fonts-noto-cjk)")
    work = Path(tempfile.mkdtemp(prefix="ocr-bench-"))
    os.environ["QA_CACHE"] = str(args.cache or work / "cache")
    from qa.converters import convert, ocr

    reports = sorted(args.corpus.glob("*.txt"))
    # the known pages: the first two pages of reports, spread over the corpus
    wanted = []
    for index, path in enumerate(reports[:: max(1, len(reports) // max(1, args.pages // 2))]):
        for image, texts in draw_pages(report_blocks(path), font)[:2]:
            wanted.append((path.name, image, texts))
        if len(wanted) >= args.pages:
            break
    wanted = wanted[: args.pages]
    scans = []
    for number, (name, image, texts) in enumerate(wanted):
        variant = VARIANTS[number % len(VARIANTS)]
        scans.append((name, variant, image_pdf([spoil(image, variant)], work / f"scan-{number}.pdf"), texts))

    by_variant: dict[str, Score] = {}
    total = Score()
    started = time.perf_counter()
    engine_before = ocr.STATS.seconds
    for name, variant, path, texts in scans:
        read = convert(path).text
        known = "\n".join(texts)
        total.add(known, read)
        by_variant.setdefault(variant, Score()).add(known, read)
    first_pass = time.perf_counter() - started
    engine = ocr.STATS.seconds - engine_before
    cache_files = list(Path(os.environ["QA_CACHE"], "ocr").rglob("*.json"))
    cache_bytes = sum(path.stat().st_size for path in cache_files)
    started = time.perf_counter()
    for _, _, path, _ in scans:
        convert(path)
    second_pass = time.perf_counter() - started

    # table pictures in Word files
    rows_total = rows_right = 0
    table_misses: list[str] = []
    table_time = time.perf_counter()
    for number, (caption, rows) in enumerate(table_rows(reports, args.tables)):
        picture = draw_table(caption, rows, font)
        if number % 2:
            picture = spoil(picture, "rotated +1°" if number % 4 == 1 else "blurred")
        path = docx_with_pictures(work / f"table-{number}.docx", "主要指标如下。", [picture])
        converted = convert(path)
        read_rows = set()
        for table in converted.tables:
            for start, end in ([table.header] if table.header else []) + list(table.rows):
                read_rows.add(tuple(cell.strip() for cell in converted.text[start:end].split(" | ")))
        for row in rows[1:]:
            rows_total += 1
            rows_right += tuple(row) in read_rows
            if tuple(row) not in read_rows and len(table_misses) < 6:
                table_misses.append(" | ".join(row))
    table_time = time.perf_counter() - table_time

    pages = len(scans)
    result = {
        "pages": pages,
        "character_accuracy": round(total.accuracy, 4),
        "figures": total.figures, "figures_exact": round(total.exact / max(1, total.figures), 4),
        "figures_wrong": round(total.wrong / max(1, total.figures), 4),
        "figures_missed": round(total.missed / max(1, total.figures), 4),
        "wrong_examples": total.wrong_examples,
        "by_variant": {variant: {"accuracy": round(score.accuracy, 4),
                                 "figures_exact": round(score.exact / max(1, score.figures), 4)}
                       for variant, score in by_variant.items()},
        "table_rows": rows_total, "table_rows_right": round(rows_right / max(1, rows_total), 4),
        "pages_per_second": round(pages / first_pass, 3), "engine_seconds_per_page": round(engine / max(1, pages), 2),
        "cached_seconds_per_page": round(second_pass / pages, 3), "cache_bytes_per_page": round(cache_bytes / pages),
        "table_seconds": round(table_time, 1),
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    print(f"{'measure':<42} {'value':>10}  target")
    print(f"{'character accuracy':<42} {result['character_accuracy']:>10.2%}  ≥ 97%")
    print(f"{'figures read exactly (of ' + str(total.figures) + ')':<42} {result['figures_exact']:>10.2%}  ≥ 99%")
    print(f"{'figures read wrongly':<42} {result['figures_wrong']:>10.2%}")
    print(f"{'figures missed':<42} {result['figures_missed']:>10.2%}")
    for variant, score in by_variant.items():
        print(f"{'  ' + variant + ': characters / figures':<42} {score.accuracy:>10.2%}  "
              f"{score.exact / max(1, score.figures):.2%}")
    print(f"{'table picture rows right (of ' + str(rows_total) + ')':<42} {result['table_rows_right']:>10.2%}  ≥ 90%")
    print(f"{'pages per second (OCR, empty cache)':<42} {result['pages_per_second']:>10.3f}")
    print(f"{'seconds per page (OCR engine)':<42} {result['engine_seconds_per_page']:>10.2f}")
    print(f"{'seconds per page (rebuild, cached)':<42} {result['cached_seconds_per_page']:>10.3f}")
    print(f"{'cache bytes per page':<42} {result['cache_bytes_per_page']:>10,}")
    for example in total.wrong_examples:
        print(f"  wrong: {example}")
    for row in table_misses:
        print(f"  table row not rebuilt: {row}")


if __name__ == "__main__":
    main()
