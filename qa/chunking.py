"""Section-aware chunking: headings → section paths → bounded passages.

Headings recognised, from the outside in:
  level 1  一、…   第X章/部分   # markdown   period lines (2021年, 上半年, 下半年)
  level 2  （一）…  第X节   【…】   short standalone title lines
  level 3  1. / 1、 / （1）…   一是…   a short title line right under another one
A heading that runs on into its paragraph (``（一）标题。正文…``) titles the
section with its first sentence and stays part of the passage text.

Passages never cross a section boundary, prefer paragraph ends, break only
after a sentence end (。！？；), and so never inside a figure such as 784.2.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .documents import Document

CHUNKER_VERSION = "1"
MAX_CHARS = 300  # a passage grows to at most this many characters …
MIN_CHARS = 80  # … and stops at a paragraph end once it has this many
HARD_MAX_CHARS = 600  # a single sentence longer than this is cut at a comma
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
_SENTENCE_END = re.compile(r"[。！？；!?;][”’」』）)》]*")
_CLAUSE_END = re.compile(r"(?<!\d)[，,](?!\d)")
_SENTENCE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]?")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentences (up to 。！？； or a line break) as offsets into ``text``."""
    return [(m.start(), m.end()) for m in _SENTENCE.finditer(text) if m.group().strip()]
_TITLE_STOP = re.compile(r"[。！？；：:，,、]$|[。！？；]")
_BYLINE = re.compile(r"(?:记者|通讯员|编辑|责任编辑|来源)[\s：:]\S{1,12}$|文/图$")
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

    @property
    def section_path(self) -> str:
        return PATH_SEPARATOR.join([self.title, *self.section])

    def to_dict(self) -> dict:
        return {
            "id": self.id, "source": self.source, "title": self.title, "section": self.section,
            "start": self.start, "end": self.end, "text": self.text,
            "emphasis": [list(span) for span in self.emphasis],
        }

    def windows(self) -> list[tuple[int, int]]:
        """The passage's finer retrieval units: each sentence with the one after it (offsets in ``text``)."""
        spans = sentence_spans(self.text) or [(0, len(self.text))]
        return [(spans[i][0], spans[min(i + 1, len(spans) - 1)][1]) for i in range(len(spans))]

    @classmethod
    def from_dict(cls, data: dict) -> "Passage":
        return cls(**{**data, "emphasis": [tuple(span) for span in data.get("emphasis", [])]})


@dataclass
class _Line:
    start: int  # offsets in the cleaned text
    end: int
    text: str


@dataclass
class _Heading:
    level: int
    title: str
    body_start: int | None  # where the body begins on the same line, None for a title-only line
    short: bool = False  # a standalone title line rather than a numbered heading


def _lines(text: str) -> list[_Line]:
    lines, position = [], 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            start = position + raw.index(stripped[0])
            lines.append(_Line(start, start + len(stripped), stripped))
        position += len(raw) + 1
    return lines


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
        if _is_title_line(line.text, DOC_TITLE_MAX_CHARS):
            used = {index}
            title = line.text
            following = lines[index + 1] if index + 1 < len(lines) else None
            if following and " " not in title and _is_title_line(following.text) \
                    and _explicit_heading(following) is None:
                title += following.text
                used.add(index + 1)
            return title, used
    return Path(doc.name).stem, set()


def _sentences(text: str, offset: int) -> list[tuple[int, int]]:
    """Sentence spans (absolute offsets) of one paragraph; over-long ones are cut at commas."""
    spans, position = [], 0
    for match in _SENTENCE_END.finditer(text):
        spans.append((position, match.end()))
        position = match.end()
    if position < len(text):
        spans.append((position, len(text)))
    result = []
    for start, end in spans:
        while end - start > HARD_MAX_CHARS:
            cut = None
            for comma in _CLAUSE_END.finditer(text, start, start + HARD_MAX_CHARS):
                cut = comma.end()
            if cut is None or cut <= start:
                break
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


def _classify(doc: Document, lines: list[_Line], skip: set[int]) -> list[_Heading | None]:
    """A heading for each heading line, None for body lines (and for the title's lines)."""
    kinds: list[_Heading | None] = []
    for index, line in enumerate(lines):
        heading = None if index in skip else _explicit_heading(line)
        if heading is None and index not in skip and _is_title_line(line.text):
            previous = lines[index - 1] if index else None
            continues_previous = (
                previous is not None and kinds[-1] is None and index - 1 not in skip
                and not _PARAGRAPH_END.search(previous.text)
            )
            emphasised = any(s < line.end and e > line.start for s, e in doc.emphasis)
            if not continues_previous and not emphasised:
                heading = _Heading(2, line.text, None, short=True)
        kinds.append(heading)
    return kinds


def chunk_document(doc: Document) -> list[Passage]:
    lines = _lines(doc.text)
    title, title_lines = document_title(doc, lines)
    kinds = _classify(doc, lines, title_lines)

    stack: list[_Heading] = []  # the open sections, outermost first
    sections: list[tuple[list[str], list[tuple[int, int]]]] = [([], [])]  # path, paragraph spans
    paragraph: tuple[int, int] | None = None
    for index, (line, heading) in enumerate(zip(lines, kinds)):
        if index in title_lines:
            continue
        if heading is not None:
            if paragraph:
                sections[-1][1].append(paragraph)
                paragraph = None
            if heading.short:
                heading.level = _short_title_level(stack, kinds, index)
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
    stem = Path(doc.name).stem
    for path, paragraphs in sections:
        sentences = [_sentences(doc.text[start:end], start) for start, end in paragraphs]
        for start, end in _pack(sentences):
            original_start, original_end = doc.original_span(start, end)
            emphasis = [
                (max(s, start) - start, min(e, end) - start)
                for s, e in doc.emphasis if s < end and e > start
            ]
            passages.append(Passage(
                id=f"{stem}:{original_start}-{original_end}", source=doc.name, title=title,
                section=path, start=original_start, end=original_end, text=doc.text[start:end],
                emphasis=emphasis,
            ))
    return passages


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


_YEAR = re.compile(r"(?<!\d)(19\d{2}|20\d{2})年")
_DAY = re.compile(r"(?<!\d)(\d{1,2})月(\d{1,2})日")


@dataclass
class DocumentInfo:
    """What a citation says about the document beyond its file name."""

    title: str
    period: str  # the years the report covers, as it states them ("2021–2022"), or ""
    date: str  # a date the report states in its opening (e.g. "2月21日"), or ""

    def to_dict(self) -> dict:
        return {"title": self.title, "period": self.period, "date": self.date}


def describe_document(doc: Document) -> DocumentInfo:
    """Title, period and date, taken from the text itself: the title's years, else the headings', else the lead's."""
    lines = _lines(doc.text)
    title, title_lines = document_title(doc, lines)
    headings = [line.text for index, line in enumerate(lines)
                if index not in title_lines and _explicit_heading(line) is not None or _is_title_line(line.text)]
    lead = next((line.text for index, line in enumerate(lines)
                 if index not in title_lines and not _is_title_line(line.text)), "")
    years: list[int] = []
    for source in ([title], headings, [lead]):
        years = sorted({int(year) for text in source for year in _YEAR.findall(text)})
        if years:
            break
    period = "" if not years else str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"
    day = _DAY.search(lead[:60])
    return DocumentInfo(title=title, period=period, date=day.group() if day else "")


def chunk_corpus(documents: list[Document]) -> list[Passage]:
    return [passage for doc in documents for passage in chunk_document(doc)]
