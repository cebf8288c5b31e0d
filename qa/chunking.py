"""Section-aware chunking: headings → section paths → bounded passages.

Headings recognised, from the outside in:
  level 1  一、…   第X章/部分   # markdown   period lines (2021年, 上半年, 下半年)
  level 2  （一）…  第X节   【…】   short standalone title lines
  level 3  1. / 1、 / （1）…   一是…   a short title line right under another one
A heading that runs on into its paragraph (``（一）标题。正文…``) titles the
section with its first sentence and stays part of the passage text.

Headings the file itself marks (a Word heading style, a larger PDF font) are
headings too. A short line is a heading only in context: after a paragraph
end or another heading, before the text it titles. Lines before the report's
title (what remains of a web page around it) are not indexed.

Passages never cross a section boundary, prefer paragraph ends, break after a
sentence end (。！？；) and never exceed ``MAX_CHARS``: a longer sentence is cut
at a clause end (，；、：), failing that at a character boundary outside any
figure, so a figure such as 784.2亿元 is never split. Each table row is a
passage of its own, carrying its table's caption and header row.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path

from .documents import Document
from .figures import extract_figures
from .vocabulary import BYLINE, ISSUING_BODY, SENTENCE_MARKS, TITLE_FOOTNOTE, Line, text_lines

# 3: what the converters read changed: a chart picture gives its title, not its ticks, legends and data labels
# 5: OCR closes figures read with spaces between their digits, puts 入 back where OCR read 人, drops page numbers
# 6: a table whose first row holds one heading after an empty corner keeps that row as its header, not its title; a
# table whose rows are only years (a chart's axis) is lines, not rows; a text file with its line breaks written out
# (\r\n as characters) gets them back
# 8: a chart's caption and labels are no section of the text after them
# 9: a communiqué whose title gives no year is about the year before it was published (or its file name's year)
CHUNKER_VERSION = "9"
MAX_CHARS = 300  # a passage never has more characters than this …
MIN_CHARS = 80  # … and stops at a paragraph end once it has this many
HARD_MAX_CHARS = MAX_CHARS  # kept for readers of older code: the bound is the same for one long sentence
TITLE_MAX_CHARS = 40
DOC_TITLE_MAX_CHARS = 80
PATH_SEPARATOR = " › "

_NUM = "一二三四五六七八九十百零〇两"
_EXPLICIT_HEADINGS = [
    (1, re.compile(rf"^[{_NUM}]+、")),
    (1, re.compile(rf"^第[{_NUM}\d]+[章部篇](分)?")),
    (2, re.compile(rf"^[（(][{_NUM}]+[）)]")),
    (2, re.compile(rf"^第[{_NUM}\d]+节")),
    (2, re.compile(r"^【[^】]{1,30}】")),
    (3, re.compile(r"^\d{1,2}(?:[.．、](?!\d)|\s)")),
    (3, re.compile(r"^[（(]\d{1,2}[）)]")),
    (3, re.compile(rf"^[{_NUM}]{{1,3}}是")),
]
_MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(.+)$")
_PERIOD_LINE = re.compile(r"^(?:\d{4}年)?(?:上半年|下半年|全年|前三季度|[一二三四]季度)?$|^\d{4}年$")
_BULLET = re.compile(r"^(?:[-*•●·▪◆■]\s*|\d+\)\s)")
_SENTENCE_END = re.compile(rf"[{SENTENCE_MARKS}][”’」』）)》]*")
_CLAUSE_END = re.compile(r"(?<!\d)[，,](?!\d)")
_CUT_AFTER = re.compile(r"[，,；;、：:）)》”](?!\d)")  # where an over-long sentence may be cut
_SENTENCE = re.compile(rf"[^{SENTENCE_MARKS}\n]+[{SENTENCE_MARKS}]?")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentences (up to 。！？； or a line break) as offsets into ``text``."""
    return [(m.start(), m.end()) for m in _SENTENCE.finditer(text) if m.group().strip()]
_TITLE_STOP = re.compile(r"[。！？；：:，,、!?]$|[。！？；]")
_BYLINE = BYLINE
_PARAGRAPH_END = re.compile(r"[。！？；：!?;:][”’」』）)》]*$|" + _BYLINE.pattern)
_FIGURE_DIGITS = re.compile(r"(?<!\d)(?!\d{4}年)\d+")


@dataclass
class Passage:
    id: str
    source: str  # file name
    title: str  # document title
    section: list[str]  # section path below the title
    start: int  # character offsets into the original file
    end: int
    text: str  # display text: clean(original[start:end])
    emphasis: list[tuple[int, int]] = field(default_factory=list)  # ``**`` spans within text
    unit: str = "line"  # what ``location`` counts in the source: line, paragraph or page
    location: int = 0  # the 1-based line, paragraph or page where the passage starts
    table: int = 0  # for a table row: its table's number (1-based) and its row number
    row: int = 0
    context: str = ""  # for a table row: its table's header row
    picture: int = 0  # for a row of a table read from a picture: the picture's number
    ocr: bool = False  # its text was read by OCR (a scanned page or a picture): a reader checks the source

    @property
    def section_path(self) -> str:
        return PATH_SEPARATOR.join([self.title, *self.section])

    @property
    def where(self) -> str:
        """Where a reader finds the passage: 'p. 3', 'table 2, row 4', 'line 12'."""
        place = {"page": "p.", "paragraph": "para.", "line": "line"}.get(self.unit, self.unit)
        located = f"{place} {self.location}" if self.location else ""
        if self.table:
            row = f"picture {self.picture}, row {self.row}" if self.picture else f"table {self.table}, row {self.row}"
            return ", ".join(part for part in (located, row) if part)
        return located

    def to_dict(self) -> dict:
        data = {
            "id": self.id, "source": self.source, "title": self.title, "section": self.section,
            "start": self.start, "end": self.end, "text": self.text,
            "emphasis": [list(span) for span in self.emphasis],
            "unit": self.unit, "location": self.location,
        }
        if self.table:
            data.update(table=self.table, row=self.row, context=self.context)
        if self.picture:
            data.update(picture=self.picture)
        if self.ocr:
            data.update(ocr=True)
        return data

    def windows(self) -> list[tuple[int, int]]:
        """The passage's finer retrieval units: each sentence with the one after it (offsets in ``text``)."""
        spans = sentence_spans(self.text) or [(0, len(self.text))]
        return [(spans[i][0], spans[min(i + 1, len(spans) - 1)][1]) for i in range(len(spans))]

    @classmethod
    def from_dict(cls, data: dict) -> "Passage":
        return cls(**{**data, "emphasis": [tuple(span) for span in data.get("emphasis", [])]})


_Line = Line


@dataclass
class _Heading:
    level: int
    title: str
    body_start: int | None  # where the body begins on the same line, None for a title-only line
    short: bool = False  # a standalone title line rather than a numbered heading
    chart: bool = False  # a chart's caption (图1 2017-2023年粮食总产量): its section ends with the chart's labels


_lines = text_lines


def _is_title_line(text: str, max_chars: int = TITLE_MAX_CHARS) -> bool:
    return (
        len(text) <= max_chars
        and not text[-1].isdigit()
        and not _BYLINE.search(text)
        and (" " in text or not _FIGURE_DIGITS.search(text))  # "连续12年被评为…" is a broken line
        and not _TITLE_STOP.search(text)
        and not _BULLET.match(text)
        and re.search(r"[\u4e00-\u9fffA-Za-z]", text) is not None
    )


def _short_title(sentence: str) -> str:
    sentence = sentence.strip().rstrip("。！？；;:：")
    if len(sentence) <= TITLE_MAX_CHARS:
        return sentence
    clause = _CLAUSE_END.split(sentence, maxsplit=1)[0]
    return clause if len(clause) <= TITLE_MAX_CHARS else sentence[:TITLE_MAX_CHARS] + "…"


def _explicit_heading(line: _Line) -> _Heading | None:
    markdown = _MARKDOWN_HEADING.match(line.text)
    if markdown:
        return _Heading(min(len(markdown.group(1)), 3), markdown.group(2).strip(), None)
    if _BULLET.match(line.text):
        return None
    for level, pattern in _EXPLICIT_HEADINGS:
        if pattern.match(line.text):
            end = _SENTENCE_END.search(line.text)
            if end is None and len(line.text) <= 2 * TITLE_MAX_CHARS:
                return _Heading(level, _short_title(line.text), None)  # a title line
            # a heading sentence, alone or running into its paragraph: its text stays in the passage
            return _Heading(level, _short_title(line.text[: end.end()] if end else line.text), 0)
    if _PERIOD_LINE.match(line.text):
        return _Heading(1, line.text, None)
    return None


def document_title(doc: Document, lines: list[_Line] | None = None) -> tuple[str, set[int]]:
    """The report's title and the indexes of the lines it was taken from.

    The title is the first standalone title line among the opening lines (a
    lead paragraph or a period line may come first); a second title line joins
    it when the first holds no space, as when a long title is broken in two.
    """
    lines = lines if lines is not None else _lines(doc.text)
    if lines and (markdown := _MARKDOWN_HEADING.match(lines[0].text)) and len(markdown.group(1)) == 1:
        return markdown.group(2).strip(), {0}
    for index, line in enumerate(lines[:6]):
        if _PERIOD_LINE.match(line.text) or _explicit_heading(line) is not None:
            continue
        text = TITLE_FOOTNOTE.sub("", line.text)
        if text and _is_title_line(text, DOC_TITLE_MAX_CHARS):
            used = {index}
            title = text
            following = lines[index + 1] if index + 1 < len(lines) else None
            if following and " " not in title and _is_title_line(following.text) \
                    and _explicit_heading(following) is None and not ISSUING_BODY.search(following.text):
                title += following.text
                used.add(index + 1)
            return title, used
    return Path(doc.name).stem, set()


def _sentences(text: str, offset: int) -> list[tuple[int, int]]:
    """Sentence spans (absolute offsets) of one paragraph, none longer than ``MAX_CHARS``.

    An over-long sentence is cut after the last clause mark (，；、：) within the bound, or,
    when there is none in its last two thirds, at the bound moved back to the start of any
    figure it would split. Linear in the paragraph's length.
    """
    spans, position = [], 0
    for match in _SENTENCE_END.finditer(text):
        spans.append((position, match.end()))
        position = match.end()
    if position < len(text):
        spans.append((position, len(text)))
    if all(end - start <= MAX_CHARS for start, end in spans):
        return [(offset + s, offset + e) for s, e in spans if text[s:e].strip()]
    cuts = [match.end() for match in _CUT_AFTER.finditer(text)]
    figures = [(f.start, f.end) for f in extract_figures(text)]
    figure_starts = [start for start, _ in figures]
    result = []
    for start, end in spans:
        while end - start > MAX_CHARS:
            limit = start + MAX_CHARS
            at = bisect.bisect_right(cuts, limit) - 1
            cut = cuts[at] if at >= 0 and cuts[at] > start + MAX_CHARS // 3 else limit
            inside = bisect.bisect_right(figure_starts, cut - 1) - 1  # the last figure starting before the cut
            if inside >= 0 and figures[inside][0] < cut < figures[inside][1] and figures[inside][0] > start:
                cut = figures[inside][0]
            result.append((start, cut))
            start = cut
        result.append((start, end))
    return [(offset + s, offset + e) for s, e in result if text[s:e].strip()]


def _pack(paragraphs: list[list[tuple[int, int]]]) -> list[tuple[int, int]]:
    """Group sentence spans into passages of bounded length."""
    passages: list[tuple[int, int]] = []
    current: tuple[int, int] | None = None
    for paragraph in paragraphs:
        if current and current[1] - current[0] >= MIN_CHARS:
            passages.append(current)
            current = None
        for start, end in paragraph:
            if current and end - current[0] > MAX_CHARS:
                passages.append(current)
                current = None
            current = (current[0], end) if current else (start, end)
    if current:
        passages.append(current)
    return passages


def _line_of(lines: list[_Line], starts: list[int], start: int, end: int) -> int | None:
    """The index of the line that the span (start, end) lies on, if any."""
    index = bisect.bisect_right(starts, start) - 1
    return index if index >= 0 and lines[index].start < end and lines[index].end > start else None


def _hinted_levels(doc: Document, lines: list[_Line]) -> dict[int, int]:
    """Line index → heading level, for the lines the file itself marks as headings."""
    starts = [line.start for line in lines]
    spans = ((_line_of(lines, starts, hint.start, hint.end), hint.level) for hint in doc.headings)
    return {index: level for index, level in spans if index is not None}


def _classify(doc: Document, lines: list[_Line], skip: set[int]) -> list[_Heading | None]:
    """A heading for each heading line, None for body lines (and for skipped lines).

    A short standalone line is a heading only in context: what comes before it has
    ended (a paragraph end, a heading, the title), and the line after it is text of
    its own rather than the rest of the same sentence.
    """
    hinted = _hinted_levels(doc, lines)
    kinds: list[_Heading | None] = []
    emphasis_starts = sorted(doc.emphasis)
    for index, line in enumerate(lines):
        heading = None
        if index not in skip:
            heading = _explicit_heading(line)
            if index in hinted:
                level = min(max(hinted[index], 1), 3)
                if heading is not None:
                    heading.level = min(heading.level, level)
                elif len(line.text) <= 2 * TITLE_MAX_CHARS:
                    heading = _Heading(level, _short_title(line.text), None)
            if heading is None and _is_title_line(line.text) and index not in hinted:
                previous = lines[index - 1] if index else None
                after_an_end = (
                    previous is None or index - 1 in skip or kinds[-1] is not None
                    or _PARAGRAPH_END.search(previous.text) is not None
                )
                following = lines[index + 1] if index + 1 < len(lines) else None
                before_text = following is not None and not _CONTINUES.match(following.text)
                emphasised = _overlaps(emphasis_starts, line.start, line.end)
                if after_an_end and before_text and not emphasised:
                    heading = _Heading(2, line.text, None, short=True)
        if index not in skip and _CHART_CAPTION.match(line.text) and len(line.text) <= 2 * TITLE_MAX_CHARS:
            heading = _Heading(3, _short_title(line.text), None, chart=True)
        kinds.append(heading)
    return kinds


# a chart's caption; the short lines after it (单位：万吨, 2017年2018年…2023年) are its labels, and the text after
# them is the enclosing section's again, not about the chart's years
_CHART_CAPTION = re.compile(r"^图\s*[\d一二三四五六七八九十]{1,3}(?![\d.．])\s*\S")
_CHART_LABEL_END = re.compile(r"[。！？；;，,|]")
_TABLE_CAPTION = re.compile(r"^表\s*[\d一二三四五六七八九十]{1,3}(?![\d.．])")
_CONTINUES = re.compile(r"^[》”’」』）)，,、。；;：:！？!?]")


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and e > start for s, e in spans)


def describe(doc: Document, metadata=None, lines: list[_Line] | None = None):
    """The document's metadata; a document that is no report of a known kind keeps the title the chunker finds."""
    import dataclasses

    from .metadata import read_metadata

    metadata = metadata or read_metadata(doc.text, doc.stated, doc.name)
    if metadata.kind and metadata.title:
        return metadata
    title, used = document_title(doc, lines if lines is not None else _lines(doc.text))
    return dataclasses.replace(metadata, title=title, title_lines=tuple(sorted(used)))


def chunk_document(doc: Document, metadata=None) -> list[Passage]:
    lines = _lines(doc.text)
    metadata = describe(doc, metadata, lines)
    title_lines = set(metadata.title_lines)
    title = metadata.title or Path(doc.name).stem
    skip = set(title_lines)
    if metadata.kind and title_lines:  # a report: what remains of a page before its title, and the
        # delivery and byline lines between the title and the report's own text, are not indexed
        skip |= set(range(max(min(title_lines), metadata.body_start or 0)))
    table_lines = _table_lines(doc, lines)
    skip |= set(table_lines)
    kinds = _classify(doc, lines, skip)

    stack: list[_Heading] = []  # the open sections, outermost first
    sections: list[tuple[list[str], list[tuple[int, int]]]] = [([], [])]  # path, paragraph spans
    table_sections: dict[int, list[str]] = {}  # table number → the section path where it stands
    paragraph: tuple[int, int] | None = None
    for index, (line, heading) in enumerate(zip(lines, kinds)):
        if index in table_lines:
            if stack and stack[-1].chart:
                stack.pop()
                sections.append(([open_.title for open_ in stack], []))
            table_sections.setdefault(table_lines[index], [open_.title for open_ in stack])
            if paragraph:
                sections[-1][1].append(paragraph)
                paragraph = None
            continue
        if index in skip:
            continue
        if stack and stack[-1].chart:
            if heading is None or heading.short:
                if len(line.text) <= TITLE_MAX_CHARS and not _CHART_LABEL_END.search(line.text) \
                        and not _TABLE_CAPTION.match(line.text):
                    heading = None  # a label of the chart
                    paragraph = (paragraph[0], line.end) if paragraph else (line.start, line.end)
                    continue
            if paragraph:
                sections[-1][1].append(paragraph)
                paragraph = None
            stack.pop()
            sections.append(([open_.title for open_ in stack], []))
        if heading is not None:
            if paragraph:
                sections[-1][1].append(paragraph)
                paragraph = None
            if heading.short:
                heading.level = _short_title_level(stack, kinds, index)
            if heading.chart:  # inside the section it stands in, which goes on after the chart
                heading.level = stack[-1].level + 1 if stack else 1
            while stack and stack[-1].level >= heading.level:
                stack.pop()
            stack.append(heading)
            sections.append(([open_.title for open_ in stack], []))
            if heading.body_start is None:
                continue
        paragraph = (paragraph[0], line.end) if paragraph else (line.start, line.end)
        if _PARAGRAPH_END.search(line.text):
            sections[-1][1].append(paragraph)
            paragraph = None
    if paragraph:
        sections[-1][1].append(paragraph)

    passages = []
    for path, paragraphs in sections:
        sentences = [_sentences(doc.text[start:end], start) for start, end in paragraphs]
        for start, end in _pack(sentences):
            passages.append(_passage(doc, title, path, start, end))
    for table in doc.tables:
        caption = table.caption or (f"图{table.picture}" if table.picture else f"表{table.number}")
        path = [*table_sections.get(table.number, []), caption]
        header = doc.text[table.header[0] : table.header[1]].strip() if table.header else ""
        for row, (row_start, row_end) in enumerate(table.rows, start=1):
            for start, end in _sentences(doc.text[row_start:row_end], row_start):
                passages.append(_passage(doc, title, path, start, end, table=table.number, row=row, context=header,
                                         picture=table.picture))
    passages.sort(key=lambda p: p.start)
    return passages


def _table_lines(doc: Document, lines: list[_Line]) -> dict[int, int]:
    """Line index → table number, for the lines that hold table rows (the header row included)."""
    starts = [line.start for line in lines]
    found = {}
    for table in doc.tables:
        for start, end in ([table.header] if table.header else []) + list(table.rows):
            index = _line_of(lines, starts, start, end)
            if index is not None:
                found[index] = table.number
    return found


def _passage(doc: Document, title: str, path: list[str], start: int, end: int,
             table: int = 0, row: int = 0, context: str = "", picture: int = 0) -> Passage:
    while start < end and doc.text[start].isspace():
        start += 1
    while end > start and doc.text[end - 1].isspace():
        end -= 1
    original_start, original_end = doc.original_span(start, end)
    emphasis = [(max(s, start) - start, min(e, end) - start) for s, e in doc.emphasis if s < end and e > start]
    return Passage(
        id=f"{doc.name}:{original_start}-{original_end}", source=doc.name, title=title,
        section=list(path), start=original_start, end=original_end, text=doc.text[start:end],
        emphasis=emphasis, unit=doc.unit, location=doc.locate(original_start),
        table=table, row=row, context=context, picture=picture,
        ocr=bool(doc.ocr) and doc.read_by_ocr(original_start, original_end),
    )


def _short_title_level(stack: list[_Heading], kinds: list[_Heading | None], index: int) -> int:
    """Title lines in a row nest (group › topic); a lone one after a paragraph is a sibling of the last topic."""
    previous = kinds[index - 1] if index else None
    if previous is not None and previous.body_start is None and stack and stack[-1] is previous:
        return min(previous.level + 1, 3)
    following = kinds[index + 1] if index + 1 < len(kinds) else None
    starts_a_group = following is not None and following.short
    if stack and stack[-1].short and not starts_a_group:
        return stack[-1].level
    return 2


def chunk_corpus(documents: list[Document]) -> list[Passage]:
    return [passage for doc in documents for passage in chunk_document(doc)]
