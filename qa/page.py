"""The web page's HTML: the answer card above the passage cards, in the page's language.

Everything here is escaped: document text, titles and questions are shown as text and never run.
The card shows the answer figure, its period (year, part of the year, result or target), the report's
place, title and date, its citation behind a copy button, and a numbered marker ([1]) that leads to
the passage it comes from; below ``LIKELY_BELOW`` the figure is shown as a likely answer (可能是 /
likely). A question that asks several things gets one line per part, each with its own confidence
(and no overall figure when a part is not found); the other figures when the reports disagree; and,
when the reports do not answer, a notice and no answer figure at all, with the closest passages
greyed below. File names and character ranges stand only behind a 详情 / details toggle.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from .chunking import PATH_SEPARATOR
from .citations import cite, details, located, place_name, report_date
from .messages import text
from .periods import FULL
from .search import Result

STANCES = ("result", "target", "estimate")
# A shown figure's confidence is the card model's probability that it is right (qa/card.py), and no figure below
# the model's threshold (``qa/data/card.json``) is shown. Just above the threshold the figures shown are right less
# often (benchmarks/likely.py), so those below the model's ``likely_below`` (the least confidence from which 98% of
# the dev figures shown were right, out of fold: benchmarks/card_gate.py) are shown as likely answers (lighter, with
# 可能是 / likely) for the reader to check against their passage. LIKELY_BELOW serves a model that names none.
LIKELY_BELOW = 0.9


def likely_below() -> float:
    """The confidence under which a shown figure is marked as a likely answer."""
    from .card import card_gate

    gate = card_gate()
    return gate.likely_below if gate is not None and getattr(gate, "likely_below", None) is not None else LIKELY_BELOW


def escape(value) -> str:
    return html.escape(str(value), quote=True)


def highlight(passage_text: str, result: Result, answers: bool = True) -> str:
    """The passage as safe HTML, every figure marked; with ``answers``, the answering ones more strongly."""
    pieces, position = [], 0
    for figure in result.figures:
        if figure.start < position:
            continue
        role = ""
        if answers:
            role = "qa-answer" if figure == result.answer else "qa-answering" if figure in result.answering else ""
        pieces.append(html.escape(passage_text[position : figure.start]))
        pieces.append(f'<mark class="qa-fig {role}" data-kind="{escape(figure.kind)}">{html.escape(figure.text)}</mark>')
        position = figure.end
    pieces.append(html.escape(passage_text[position:]))
    return "".join(pieces)


def copy_button(copied: str, language: str) -> str:
    label = text("copy_citation", language)
    return (f'<button class="qa-copy" type="button" data-copy="{escape(copied)}" data-label="{escape(label)}" '
            f'data-copied="{escape(text("copied", language))}">{escape(label)}</button>')


def period_text(figure, language: str) -> str:
    """The period an answer figure belongs to: 2021年 · 全年 · 实际完成 / 2021 · full year · result."""
    label = figure.period_en if language == "en" else figure.period
    pieces = [label or (text("year", language, year=figure.year) if figure.year else "")]
    if figure.part == FULL:  # the label names a half or the first three quarters, not the whole year
        pieces.append(text("period_full", language))
    if figure.stance in STANCES:
        pieces.append(text(f"stance_{figure.stance}", language))
    return " · ".join(piece for piece in pieces if piece)


def citation_copy(quote: str, reference: str, language: str) -> str:
    """What a passage's copy button copies: the quote, then its reference."""
    return f"“{quote}”\n——{reference}" if language == "zh" else f"“{quote}”\n— {reference}"


@dataclass
class Page:
    """Renders one response for a page in ``language``; ``searcher`` gives the documents and sections."""

    searcher: object
    language: str
    shown: dict = field(default_factory=dict)  # passage id → passage, of the response being rendered
    ranks: dict = field(default_factory=dict)  # passage id → its rank among the passages shown

    def render(self, response) -> str:
        self.shown = {result.passage.id: result.passage for part in response.parts for result in part.results}
        self.shown.update((result.passage.id, result.passage) for result in response.results)
        self.ranks = {result.passage.id: result.rank for result in response.results}
        return self.card(response) + self.passages(response.results, response.found)

    # -- the answer card ---------------------------------------------------
    def card(self, response) -> str:
        language = self.language
        several = len(response.parts) > 1
        if not response.found:
            body = f'<p class="qa-not-found-notice">{escape(text("not_found", language))}</p>'
            parts = self.parts(response) if several else ""
            return f'<section class="qa-card qa-not-found" data-found="false">{body}{parts}</section>'
        overall = self.overall_confidence(response)
        likely = not several and overall is not None and overall < likely_below()
        label = [text("answer", language)]
        if overall is not None:
            label.append(text("confidence", language, percent=round(100 * overall)))
        body = [f'<div class="qa-card-label">{escape(" · ".join(label))}</div>']
        if several:
            body.append(self.parts(response))
        elif response.answer is not None:
            body.append(self.figure(response.answer, main=True, likely=likely))
        else:  # answered in words: the best passage holds no figure to pick out
            body.append(f'<p class="qa-in-words">{escape(text("answer_in_words", language))}</p>')
        same = [figure for part in response.parts for figure in part.same]
        if same:
            body.append(self.same_figure(same))
        if response.disagreement:
            body.append(self.disagreement(response.disagreement))
        classes = "qa-card qa-likely" if likely else "qa-card"
        shown = "" if overall is None else f' data-confidence="{overall:.4f}"'
        return f'<section class="{classes}" data-found="true"{shown}>{"".join(body)}</section>'

    @staticmethod
    def overall_confidence(response) -> float | None:
        """The card's confidence: a plain question's own; for several parts the least sure part's, and none when a
        part is not found (each part then says its own)."""
        if len(response.parts) <= 1:
            return response.confidence
        if any(not part.found or part.answer is None for part in response.parts):
            return None
        return min(part.confidence for part in response.parts)

    def figure(self, figure, main: bool = False, likely: bool = False) -> str:
        """An answer figure with its period, the report's place, title and date, its marker leading to its passage,
        its citation behind a copy button, and the file and range behind the details toggle."""
        language = self.language
        gloss = ""
        if figure.gloss_en:
            gloss = f' <span class="qa-gloss">{escape(text("gloss", language, gloss=figure.gloss_en))}</span>'
        citation = figure.citation_en if language == "en" else figure.citation_zh
        size = "qa-figure-main" if main else "qa-figure"
        likely_word = f'<span class="qa-likely-word">{escape(text("likely", language))}</span> ' if likely else ""
        classes = "qa-answer-line qa-likely-answer" if likely else "qa-answer-line"
        return (f'<div class="{classes}" data-passage="{escape(figure.passage_id)}">'
                f'{likely_word}<span class="{size}">{escape(figure.text)}</span>{gloss}{self.marker(figure)}'
                f'<div class="qa-period">{escape(period_text(figure, language))}</div>'
                f'<div class="qa-where">{escape(self.figure_where(figure))}</div>'
                f'<div class="qa-cite"><span class="qa-reference">{escape(citation)}</span>{copy_button(citation, language)}</div>'
                f'{self.details_toggle(self.figure_details(figure))}</div>')

    def marker(self, figure) -> str:
        """[1]: the rank of the passage the figure comes from; clicking it scrolls there and highlights the figure."""
        rank = self.ranks.get(figure.passage_id)
        if rank is None:
            return ""
        label = text("to_passage", self.language, rank=rank)
        return (f' <button class="qa-marker" type="button" data-passage="{escape(figure.passage_id)}" '
                f'data-figure="{escape(figure.text)}" title="{escape(label)}" aria-label="{escape(label)}">'
                f'[{rank}]</button>')

    def figure_where(self, figure) -> str:
        """The report's place, title and date, in the page's language, as the index's metadata gives them."""
        info = (getattr(self.searcher, "documents", None) or {}).get(figure.source)
        if info is None:
            pieces = (figure.place or "", f"《{figure.document}》" if figure.document else "", figure.date or "")
        else:
            title = info.title or figure.document
            pieces = (place_name(info.place, self.language), f"《{title}》" if title else "",
                      report_date(info, self.language))
        return " · ".join(piece for piece in pieces if piece)

    def details_toggle(self, shown: str) -> str:
        if not shown:
            return ""
        return (f'<details class="qa-source-details"><summary>{escape(text("details", self.language))}</summary>'
                f'<div class="qa-details">{escape(shown)}</div></details>')

    def figure_details(self, figure) -> str:
        passage = self.shown.get(figure.passage_id)
        return details(passage, self.language) if passage is not None else figure.details

    def parts(self, response) -> str:
        language = self.language
        rows = []
        for part in response.parts:
            found = part.found and part.answer is not None
            if found:
                likely = part.confidence < likely_below()
                confidence = text("confidence", language, percent=round(100 * part.confidence))
                answer = (f'<span class="qa-part-confidence">{escape(confidence)}</span>'
                          f'{self.figure(part.answer, likely=likely)}')
            else:
                answer = f'<span class="qa-part-missing">{escape(text("part_missing", language))}</span>'
            rows.append(f'<li class="qa-part" data-found="{"true" if found else "false"}" '
                        f'data-confidence="{part.confidence:.4f}"><span class="qa-part-question">'
                        f'{escape(part.question)}</span> {answer}</li>')
        return f'<div class="qa-parts"><ul>{"".join(rows)}</ul></div>'

    def same_figure(self, figures) -> str:
        """Other reports writing the same figure rounded otherwise (784.23亿元 for 784.2亿元): cited, not contradicted."""
        lines = "".join(f"<li>{self.figure(figure)}</li>" for figure in figures)
        return (f'<div class="qa-same-figure"><p>{escape(text("same_figure", self.language))}</p>'
                f"<ul>{lines}</ul></div>")

    def disagreement(self, figures) -> str:
        lines = "".join(f"<li>{self.figure(figure)}</li>" for figure in figures)
        return (f'<div class="qa-disagreement"><p>{escape(text("differ", self.language))}</p>'
                f"<ul>{lines}</ul></div>")

    # -- the passages ------------------------------------------------------
    def passages(self, results: list[Result], found: bool = True) -> str:
        if not results:
            return ""
        heading = text("passages" if found else "closest_passages", self.language)
        cards = "\n".join(self.passage(result, found) for result in results)
        return f'<h3 class="qa-passages-heading">{escape(heading)}</h3>\n{cards}'

    def passage(self, result: Result, found: bool) -> str:
        language = self.language
        passage = result.passage
        citation = cite(passage, self.searcher.documents, result.rank, result.score,
                        result.answer.text if result.answer and found else "")
        section = PATH_SEPARATOR.join(passage.section)
        where = " · ".join(part for part in (place_name(citation.info.place, language),
                                             report_date(citation.info, language), located(passage, language)) if part)
        greyed = "" if found else " qa-greyed"
        reference = citation.reference_en if language == "en" else citation.reference_zh
        return f"""
<div class="qa-result{greyed}" id="qa-passage-{result.rank}" data-rank="{result.rank}" data-id="{escape(passage.id)}" data-source="{escape(passage.source)}">
  <div class="qa-head"><span class="qa-rank">{result.rank}</span>
    <span class="qa-title">{escape(citation.info.title or passage.title)}</span>
    <span class="qa-where">{escape(where)}</span>
    <span class="qa-score">{escape(text("found_by_name", language) if result.found_by_name
                                   else text("score", language, score=result.score))}</span></div>
  <div class="qa-section">{escape(section) or "&nbsp;"}</div>
  <p class="qa-text">{highlight(passage.text, result, answers=found)}</p>
  <details><summary>{escape(text("surrounding", language))}</summary><div class="qa-context">{self.context(result)}</div></details>
  <div class="qa-cite"><span class="qa-reference">{escape(reference)}</span>{copy_button(citation_copy(citation.quote, reference, language), language)}</div>
  {self.details_toggle(details(passage, language))}
</div>"""

    def context(self, result: Result) -> str:
        store = self.searcher.store
        passage = result.passage
        position = store.find(passage.id)
        around = [store.passage(p) for p in store.section_of(position)] if position is not None else [passage]
        return "\n\n".join(
            f"<b>{html.escape(p.text)}</b>" if p.id == passage.id else html.escape(p.text) for p in around)
