"""Citations and exports: one formatting module for the CLI and the web UI.

A citation names the document (title, issuing place, delivery date), the
section path, where a reader finds the passage (page of a PDF, paragraph of a
Word file or web page, line of a text file; table and row for a table row),
the file and the character range, and quotes the passage.
Exports carry the question and the chosen passages as Markdown, CSV, JSON or
a Word document.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from dataclasses import dataclass

from .chunking import PATH_SEPARATOR, Passage
from .messages import HTML_LANG, MESSAGES, text
from .metadata import GOVERNMENT_WORK_REPORT, DocumentInfo
from .places import english_name, nation

FORMATS = ("markdown", "csv", "json", "docx")
SUFFIXES = {"markdown": ".md", "csv": ".csv", "json": ".json", "docx": ".docx"}
FORMAT_NAMES = {"markdown": "Markdown", "csv": "CSV", "json": "JSON", "docx": "Word"}  # as the page offers them
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
CSV_COLUMNS = ("rank", "score", "title", "place", "date", "year", "section", "location", "source", "start", "end",
               "id", "answer", "quote", "citation", "reference")  # reference: GB/T 7714-2015 style, to paste


@dataclass(frozen=True)
class ExportCard:
    """The answer card as an export carries it: the figure, its period, stance and place, and its reference."""

    figure: str
    period: str  # 2021年 / 2021
    stance: str  # result, target or estimate ("" when unknown)
    place: str
    reference_zh: str
    reference_en: str
    passage_id: str

    @classmethod
    def of(cls, answer) -> "ExportCard":
        """From a ``qa.answering.AnswerFigure``."""
        return cls(answer.text, answer.period, answer.stance or "", answer.place or "", answer.citation_zh,
                   answer.citation_en, answer.passage_id)

    def line(self, language: str = "zh") -> str:
        stance = text(f"stance_{self.stance}", language) if self.stance else ""
        period = self.period if language == "zh" else self.period.rstrip("年")
        pieces = [self.figure, period, stance, self.place]
        return " · ".join(piece for piece in pieces if piece)

    def reference(self, language: str = "zh") -> str:
        return self.reference_en if language == "en" else self.reference_zh

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class Citation:
    rank: int | None
    score: float | None
    passage: Passage
    info: DocumentInfo
    answer: str = ""

    @property
    def when(self) -> str:
        return self.info.when

    @property
    def reference(self) -> str:
        """The citation line, without the quote."""
        p = self.passage
        about = ", ".join(part for part in (self.info.place, self.when) if part)
        parts = [f"《{self.info.title or p.title}》" + (f" ({about})" if about else "")]
        if p.section:
            parts.append(PATH_SEPARATOR.join(p.section))
        if p.where:
            parts.append(p.where + (f" {OCR_MARK_EN}" if p.ocr else ""))
        elif p.ocr:
            parts.append(OCR_MARK_EN)
        parts.append(f"{p.source}, chars {p.start}–{p.end}")
        return ", ".join(parts)

    @property
    def quote(self) -> str:
        return " ".join(line.strip() for line in self.passage.text.splitlines() if line.strip())

    def text(self) -> str:
        """What the copy button copies: the quote, then the reference."""
        return f"“{self.quote}”\n— {self.reference}"

    def to_dict(self) -> dict:
        p = self.passage
        return {
            "rank": self.rank, "score": None if self.score is None else round(float(self.score), 6),
            "id": p.id, "title": self.info.title or p.title, "place": self.info.place, "date": self.when,
            "year": self.info.year or "", "section": PATH_SEPARATOR.join(p.section), "location": p.where,
            "source": p.source, "start": p.start, "end": p.end,
            "answer": self.answer, "quote": self.quote, "citation": self.reference,
            **({"ocr": True} if p.ocr else {}),  # read by OCR: the reader checks the page
        }

    @property
    def reference_zh(self) -> str:
        """A reference as a Chinese report prints it, in GB/T 7714-2015 style with full-width punctuation:
        issuing body．title［type］．date：page (or section)．"""
        issuer, title, kind, date, locator = self._reference_parts()
        head = f"{full_width(issuer)}．" if issuer else ""
        where = f"：{locator if self.passage.unit == 'page' else full_width(locator)}" if locator else ""
        mark = OCR_MARK_ZH if self.passage.ocr else ""
        return f"{head}{full_width(title)}［{kind}］．{date}{where}{mark}．"

    @property
    def reference_en(self) -> str:
        """The same reference in English: the issuing body in English, the title as written."""
        issuer, title, kind, date, locator = self._reference_parts(english=True)
        head = f"{issuer}. " if issuer else ""
        where = f": {locator}" if locator else ""
        mark = f" {OCR_MARK_EN}" if self.passage.ocr else ""
        return f"{head}{title} [{kind}]. {date}{where}{mark}."

    def reference_in(self, language: str) -> str:
        return self.reference_en if language == "en" else self.reference_zh

    def localised(self, language: str) -> dict:
        """``to_dict`` with the reader's words: date, place and location as the page shows them, the reference to
        paste and the details line (file, where, characters) in ``language``."""
        return {**self.to_dict(), "place": place_name(self.info.place, language),
                "date": report_date(self.info, language), "location": located(self.passage, language),
                "reference": self.reference_in(language), "citation": details(self.passage, language)}

    @property
    def details(self) -> str:
        """Where exactly, for whoever checks the source: file, location in it and character range."""
        p = self.passage
        where = " ".join(part for part in (p.where, OCR_MARK_EN if p.ocr else "") if part)
        return " · ".join(part for part in (p.source, where, f"chars {p.start}–{p.end}") if part)

    def _reference_parts(self, english: bool = False) -> tuple[str, str, str, str, str]:
        info, p = self.info, self.passage
        title = info.title or p.title
        issuer = issuing_body(info.place, english)
        kind = "R" if info.kind == GOVERNMENT_WORK_REPORT or _REPORT_TITLE.search(title) else "Z"
        date = info.date or _iso_date(info.year, info.date_text) or (str(info.year) if info.year else "")
        if p.unit == "page" and p.location:
            locator = str(p.location)
        else:
            locator = PATH_SEPARATOR.join(p.section) if english else "／".join(p.section)
        return issuer, title, kind, date or ("n.d." if english else "出版年不详"), locator


# A passage read by OCR says so, so that its reader checks the figures against the page
OCR_MARK_ZH = "【OCR】"
OCR_MARK_EN = "(OCR)"

# GB/T 7714-2015 document types: R a report (the title names a report, plan, budget or communiqué); Z any other
_REPORT_TITLE = re.compile(r"报告|计划|规划|执行情况|预算|决算|纲要|公报")
_HALF_WIDTH = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？", "(": "（", ")": "）", "[": "［", "]": "］"}
_PUNCTUATION = re.compile(r"(?<!\d)[,:;]|[,:;](?!\d)|[!?()\[\]]")
_MONTH_DAY = re.compile(r"(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def _iso_date(year: int | None, written: str) -> str:
    """2022 and 2月21日 → 2022-02-21; "" when either is missing."""
    found = _MONTH_DAY.search(written or "")
    return f"{year}-{int(found.group(1)):02d}-{int(found.group(2)):02d}" if year and found else ""


def full_width(text: str) -> str:
    """Half-width punctuation in Chinese text made full-width (a comma or colon inside a number stays)."""
    return _PUNCTUATION.sub(lambda match: _HALF_WIDTH[match.group()], text)


def issuing_body(place: str, english: bool = False) -> str:
    """The body that issues a place's reports: its 人民政府 (国务院 for the nation); "" when the place is unknown."""
    if not place:
        return ""
    if place == nation().name:
        return "State Council of the People's Republic of China" if english else "国务院"
    return f"People's Government of {english_name(place)}" if english else f"{place}人民政府"


def located(passage: Passage, language: str) -> str:
    """Where a reader finds the passage: 第 3 页 / p. 3, and the table row of a table's passage."""
    pieces = []
    if passage.location and f"at_{passage.unit}" in MESSAGES:
        pieces.append(text(f"at_{passage.unit}", language, n=passage.location))
    if passage.picture:
        pieces.append(text("at_picture", language, picture=passage.picture, row=passage.row))
    elif passage.table:
        pieces.append(text("at_table", language, table=passage.table, row=passage.row))
    if passage.ocr:
        pieces.append(text("read_by_ocr", language))
    return " · ".join(pieces)


def details(passage: Passage, language: str) -> str:
    """The details line in the reader's language: the file, where in it, and the character range."""
    return " · ".join(piece for piece in (passage.source, located(passage, language),
                                          text("characters", language, start=passage.start, end=passage.end)) if piece)


def report_date(info: DocumentInfo, language: str) -> str:
    """The report's date as the reader's language writes it (2022年2月21日 / 21 February 2022); a day whose year
    the report does not give says so; an undated report the year it reviews; "" when it gives neither."""
    if not (info.date or info.date_text or info.year) and info.reviews:
        return text("reviews_year", language, year=info.reviews)
    if language != "en":
        if info.date_text and not info.year and not info.date:
            return text("year_unknown", language, date=info.date_text)
        return info.when
    year = info.year
    month = day = None
    parts = [int(piece) for piece in re.findall(r"\d+", info.date)] if info.date else []
    if parts:
        year, month, day = (parts + [None, None])[:3]
    elif info.date_text:
        found = _MONTH_DAY.search(info.date_text)
        if found:
            month, day = int(found.group(1)), int(found.group(2))
    if month is None or not 1 <= month <= 12:
        return str(year) if year else ""
    written = " ".join(str(piece) for piece in (day, MONTHS[month - 1]) if piece)
    return f"{written} {year}" if year else text("year_unknown", language, date=written)


def place_name(place: str, language: str) -> str:
    return english_name(place) if language == "en" and place else place


def cite(passage: Passage, documents: dict[str, DocumentInfo], rank: int | None = None,
         score: float | None = None, answer: str = "") -> Citation:
    info = documents.get(passage.source) or DocumentInfo(title=passage.title)
    return Citation(rank=rank, score=score, passage=passage, info=info, answer=answer)


def from_results(results, documents: dict[str, DocumentInfo], figures: dict[str, str] | None = None) -> list[Citation]:
    """Citations of ranked results; ``figures``: the answer figure to show per passage id (the card's), else each
    result's own answer figure."""
    return [cite(r.passage, documents, r.rank, r.score,
                 figures.get(r.passage.id, "") if figures is not None else r.answer.text if r.answer else "")
            for r in results]


def to_markdown(question: str, citations: list[Citation], card: ExportCard | None = None,
                language: str | None = "zh") -> str:
    """The question, the answer card and each passage with its answer figure, quote, reference (GB/T 7714 style in
    Chinese, the English form in English) and details line, all labelled in ``language``."""
    language = language or "zh"
    dash = "——" if language == "zh" else "— "
    lines = [f"# {question}", ""]
    if card is not None:
        lines += [f"**{text('export_card', language)}** {card.line(language)}", "", f"{dash}{card.reference(language)}",
                  ""]
    for citation in citations:
        heading = f"{citation.rank}. " if citation.rank is not None else ""
        lines.append(f"## {heading}{citation.info.title or citation.passage.title}")
        lines.append("")
        if citation.answer:
            lines.append(f"**{text('export_answer', language).strip()}** {citation.answer}")
            lines.append("")
        lines.append(f"> {citation.quote}")
        lines.append("")
        lines.append(f"{dash}{citation.reference_in(language)}")
        lines.append("")
        lines.append(f"{text('details', language)}：{details(citation.passage, language)}" if language == "zh"
                     else f"{text('details', language)}: {details(citation.passage, language)}")
        lines.append("")
    return "\n".join(lines)


# A cell starting with one of these is read as a formula by spreadsheet programs (CSV injection: a question
# "=HYPERLINK(...)" would become a live link); such a cell is written with a leading apostrophe, shown as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def neutralise(value):
    """A CSV cell that no spreadsheet program reads as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


CARD_COLUMNS = ("card_figure", "card_period", "card_stance", "card_place", "card_reference")


def to_csv(question: str, citations: list[Citation], card: ExportCard | None = None,
           language: str | None = None) -> str:
    """One row per passage; the answer card's figure, period, stance, place and reference stand on every row.
    With ``language`` (a page's export) the headings and the place, date, location and details are in that
    language and the reference is the page's; without, the columns are named by their keys (the terminal's)."""
    buffer = io.StringIO()
    columns = ("question",) + CSV_COLUMNS + CARD_COLUMNS
    headings = {column: text(f"column_{column}", language) for column in columns} if language else \
        {column: column for column in columns}
    writer = csv.DictWriter(buffer, fieldnames=[headings[column] for column in columns], lineterminator="\n")
    writer.writeheader()
    shown = dict.fromkeys(CARD_COLUMNS, "")
    if card is not None:
        stance = text(f"stance_{card.stance}", language) if language and card.stance else card.stance
        period = card.period.rstrip("年") if language == "en" else card.period
        shown = dict(zip(CARD_COLUMNS, (card.figure, period, stance, place_name(card.place, language or "zh"),
                                        card.reference(language or "zh"))))
    for citation in citations:
        row = citation.localised(language) if language else {**citation.to_dict(), "reference": citation.reference_zh}
        values = {"question": question, **{column: row[column] for column in CSV_COLUMNS}, **shown}
        writer.writerow({headings[column]: neutralise(value) for column, value in values.items()})
    return buffer.getvalue()


def to_json(question: str, citations: list[Citation], card: ExportCard | None = None,
            language: str | None = None) -> str:
    """The question, the card and the passages; with ``language`` each passage carries its ``reference`` to paste
    and its place, date, location and details (``citation``) in that language, and the card its reference."""
    if language is None:
        return json.dumps({"question": question, "card": card.to_dict() if card is not None else None,
                           "passages": [c.to_dict() for c in citations]}, ensure_ascii=False, indent=2)
    shown = {**card.to_dict(), "reference": card.reference(language)} if card is not None else None
    return json.dumps({"question": question, "language": language, "card": shown,
                       "passages": [c.localised(language) for c in citations]}, ensure_ascii=False, indent=2)


def to_docx(question: str, citations: list[Citation], language: str = "zh", card: ExportCard | None = None) -> bytes:
    """A Word document tagged as Chinese (zh-CN), each quote with its answer figure in bold, then its reference
    (GB/T 7714-2015 style in Chinese, or the English form) and a small details line (file, place, characters)."""
    from docx import Document as WordDocument
    from docx.shared import Pt

    document = WordDocument()
    _tag_language(document, DOCX_LANGUAGE if language != "en" else "en-US")
    document.core_properties.title = question
    document.core_properties.language = HTML_LANG.get(language, DOCX_LANGUAGE)
    document.add_heading(question, level=1)
    if card is not None:
        paragraph = document.add_paragraph()
        paragraph.add_run(text("export_card", language) + " ").bold = True
        paragraph.add_run(card.line(language)).bold = True
        document.add_paragraph().add_run(f"——{card.reference(language)}" if language == "zh"
                                         else f"— {card.reference(language)}").italic = True
    for citation in citations:
        heading = f"{citation.rank}. " if citation.rank is not None else ""
        document.add_heading(f"{heading}{citation.info.title or citation.passage.title}", level=2)
        if citation.answer:
            paragraph = document.add_paragraph()
            paragraph.add_run(text("export_answer", language)).bold = True
            paragraph.add_run(citation.answer)
        quote = document.add_paragraph(style="Quote")
        before, figure, after = _split_at(citation.quote, citation.answer)
        quote.add_run(before)
        if figure:
            quote.add_run(figure).bold = True
            quote.add_run(after)
        reference = citation.reference_en if language == "en" else citation.reference_zh
        document.add_paragraph().add_run(f"——{reference}" if language == "zh" else f"— {reference}").italic = True
        document.add_paragraph().add_run(details(citation.passage, language)).font.size = Pt(8)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


DOCX_LANGUAGE = "zh-CN"


def _tag_language(document, language: str) -> None:
    """Set the document's default language (Word's template says en-US); East Asian text is always Chinese."""
    from docx.oxml.ns import qn

    defaults = document.styles.element.find(qn("w:docDefaults"))
    properties = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    tag = properties.find(qn("w:lang"))
    if tag is None:
        tag = properties.makeelement(qn("w:lang"), {})
        properties.append(tag)
    tag.set(qn("w:val"), language)
    tag.set(qn("w:eastAsia"), DOCX_LANGUAGE)


def _split_at(quote: str, figure: str) -> tuple[str, str, str]:
    """The quote before the answer figure, the figure, and after it; ("quote", "", "") when it is absent."""
    at = quote.find(figure) if figure else -1
    if at < 0:
        return quote, "", ""
    return quote[:at], figure, quote[at + len(figure):]


# Excel on Chinese Windows reads a CSV file without a byte-order mark in the system's code page (GBK)
# and shows UTF-8 text as mojibake; with the mark it reads UTF-8.
CSV_BOM = "\ufeff"
MAX_NAME = 40  # characters of the question kept in an export's file name
_UNSAFE = re.compile(r"[^\w]+")  # \w: letters (Chinese too) and digits; everything else becomes "_"


def export_name(question: str, day: datetime.date, format: str) -> str:
    """The export's file name: the question's letters and digits, then the date (2021年地区生产总值是多少_2025-01-31.csv)."""
    stem = _UNSAFE.sub("_", question or "")[:MAX_NAME].strip("_")
    return f"{stem or 'passages'}_{day.isoformat()}{SUFFIXES[format]}"


def export(question: str, citations: list[Citation], format: str, language: str = "zh",
           card: ExportCard | None = None) -> bytes:
    """The bytes of an export file: UTF-8 text (CSV with a byte-order mark) or a Word document; each carries the
    answer card (``card``) when the reports answer."""
    if format not in FORMATS:
        raise ValueError(f"unknown export format {format!r}: choose one of {', '.join(FORMATS)}")
    if format == "docx":
        return to_docx(question, citations, language, card)
    if format == "csv":
        return (CSV_BOM + to_csv(question, citations, card, language)).encode("utf-8")
    if format == "markdown":
        return to_markdown(question, citations, card, language).encode("utf-8")
    return to_json(question, citations, card, language).encode("utf-8")
