"""What is known about a passage before any question: its figures and the period it speaks about.

Computed once when the index is built and stored beside the passages, so a
searcher that starts reads them for the passages it ranks instead of
re-deriving them for the whole corpus.
"""

from __future__ import annotations

from dataclasses import dataclass

from .figures import Figure, extract_figures
from .periods import Period, document_years, passage_period


@dataclass(frozen=True)
class PassageFeatures:
    figures: tuple[Figure, ...]
    period: Period

    @property
    def figure_kinds(self) -> set[tuple[str, str]]:
        return {(f.kind, f.unit) for f in self.figures}


def analyse_document(passages: list, year: int | None = None) -> list[PassageFeatures]:
    """Features of one document's passages; ``year`` is the year the document was delivered in, when known.

    A passage's period comes from its headings, then its text (今年/去年 read against the
    document's year), then its title; a report that names an earlier year in its title or
    headings and speaks of its own year is setting that year's plan.
    """
    if not passages:
        return []
    title = passages[0].title
    earliest, latest = document_years(title, [heading for p in passages for heading in p.section])
    reference = year or latest
    if year is not None and earliest is not None and earliest > year:
        earliest = year
    return [
        PassageFeatures(
            figures=tuple(extract_figures(p.text)),
            period=passage_period(p.section, p.text, title, reference, earliest),
        )
        for p in passages
    ]
