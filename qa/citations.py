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
import io
import json
import re
from dataclasses import dataclass

from .chunking import PATH_SEPARATOR, Passage
from .metadata import GOVERNMENT_WORK_REPORT, DocumentInfo
from .places import english_name, nation

FORMATS = ("markdown", "csv", "json", "docx")
SUFFIXES = {"markdown": ".md", "csv": ".csv", "json": ".json", "docx": ".docx"}
CSV_COLUMNS = ("rank", "score", "title", "place", "date", "year", "section", "location", "source", "start", "end",
               "id", "answer", "quote", "citation")


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
            parts.append(p.where)
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
        }

    @property
    def reference_zh(self) -> str:
        """A reference as a Chinese report prints it, in GB/T 7714-2015 style with full-width punctuation:
        issuing body．title［type］．date：page (or section)．"""
        issuer, title, kind, date, locator = self._reference_parts()
        head = f"{full_width(issuer)}．" if issuer else ""
        where = f"：{locator if self.passage.unit == 'page' else full_width(locator)}" if locator else ""
        return f"{head}{full_width(title)}［{kind}］．{date}{where}．"

    @property
    def reference_en(self) -> str:
        """The same reference in English: the issuing body in English, the title as written."""
        issuer, title, kind, date, locator = self._reference_parts(english=True)
        head = f"{issuer}. " if issuer else ""
        where = f": {locator}" if locator else ""
        return f"{head}{title} [{kind}]. {date}{where}."

    @property
    def details(self) -> str:
        """Where exactly, for whoever checks the source: file, location in it and character range."""
        p = self.passage
        return " · ".join(part for part in (p.source, p.where, f"chars {p.start}–{p.end}") if part)

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


def cite(passage: Passage, documents: dict[str, DocumentInfo], rank: int | None = None,
         score: float | None = None, answer: str = "") -> Citation:
    info = documents.get(passage.source) or DocumentInfo(title=passage.title)
    return Citation(rank=rank, score=score, passage=passage, info=info, answer=answer)


def from_results(results, documents: dict[str, DocumentInfo]) -> list[Citation]:
    return [cite(r.passage, documents, r.rank, r.score, r.answer.text if r.answer else "") for r in results]


def to_markdown(question: str, citations: list[Citation]) -> str:
    lines = [f"# {question}", ""]
    for citation in citations:
        heading = f"{citation.rank}. " if citation.rank is not None else ""
        lines.append(f"## {heading}{citation.info.title or citation.passage.title}")
        lines.append("")
        if citation.answer:
            lines.append(f"**Answer figure:** {citation.answer}")
            lines.append("")
        lines.append(f"> {citation.quote}")
        lines.append("")
        lines.append(f"— {citation.reference}")
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


def to_csv(question: str, citations: list[Citation]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=("question",) + CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for citation in citations:
        row = citation.to_dict()
        writer.writerow({column: neutralise(value) for column, value in
                         {"question": question, **{column: row[column] for column in CSV_COLUMNS}}.items()})
    return buffer.getvalue()


def to_json(question: str, citations: list[Citation]) -> str:
    return json.dumps({"question": question, "passages": [c.to_dict() for c in citations]},
                      ensure_ascii=False, indent=2)


def to_docx(question: str, citations: list[Citation]) -> bytes:
    from docx import Document as WordDocument
    from docx.shared import Pt

    document = WordDocument()
    document.add_heading(question, level=1)
    for citation in citations:
        heading = f"{citation.rank}. " if citation.rank is not None else ""
        document.add_heading(f"{heading}{citation.info.title or citation.passage.title}", level=2)
        if citation.answer:
            paragraph = document.add_paragraph()
            paragraph.add_run("Answer figure: ").bold = True
            paragraph.add_run(citation.answer)
        document.add_paragraph(citation.quote, style="Quote")
        reference = document.add_paragraph().add_run(f"— {citation.reference}")
        reference.italic = True
        reference.font.size = Pt(9)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def export(question: str, citations: list[Citation], format: str) -> str | bytes:
    writers = {"markdown": to_markdown, "csv": to_csv, "json": to_json, "docx": to_docx}
    if format not in writers:
        raise ValueError(f"unknown export format {format!r}: choose one of {', '.join(FORMATS)}")
    return writers[format](question, citations)
