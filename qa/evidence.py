"""Whether the figure a passage would answer with measures what the question asks.

A passage can hold the asked indicator and a figure of the asked kind and still answer another
question: "人均生产总值由7.34万元提升至10.26万元" is GDP per person, not GDP. The answer picker
(``qa.answers``) finds the figure a passage would answer with; this stage looks at the words just
before it, in its clause, for a qualifier the question does not share (and, the other way round, at
its sentence for a qualifier the question asks for), and the ranking demotes such a passage
(``Settings.evidence_weight``) among the best few (``EVIDENCE_DEPTH``), whose answer figures are
picked anyway for the results. The confidence model counts such an answer figure as not of the
asked kind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .answers import Layout
from .figures import Figure

EVIDENCE_DEPTH = 10  # the best candidates whose answer figure is checked
QUALIFIER_REACH = 20  # characters before the answer figure, within its clause, that qualify it

# (name, what qualifies a figure, what in a question may ask for it, what in a question surely asks for it)
QUALIFIERS: list[tuple[str, re.Pattern, re.Pattern, re.Pattern]] = [
    ("per person", re.compile(r"人均|平均每|每人|户均"),
     re.compile(r"人均|平均每|每人|户均|每个|per[- ]capita|per[- ]person|per[- ]head|per[- ]household|average", re.I),
     re.compile(r"人均|平均每人|每人|户均|per[- ]capita|per[- ]person|per[- ]head|per[- ]household", re.I)),
]


@dataclass(frozen=True)
class Evidence:
    """Qualifiers of a passage's answer figure that the question does not ask for."""

    unasked: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()  # qualifiers the question asks for that the answer figure's sentence lacks

    @property
    def mismatch(self) -> float:
        return float(len(self.unasked) + len(self.missing))


def answer_evidence(question: str, text: str, answer: Figure | None, where: Layout) -> Evidence:
    """The qualifiers standing just before ``answer`` in its clause that ``question`` does not ask for, and those
    it surely asks for (人均, per capita) that the answer's sentence up to the figure does not hold."""
    if answer is None or answer.start not in where.clause_of:
        return Evidence()
    clause_start = where.clauses[where.clause_of[answer.start]][0][0]
    before = text[max(clause_start, answer.start - QUALIFIER_REACH) : answer.start]
    sentence_start = next((a for a, b in where.sentences if a <= answer.start < b), 0)
    return Evidence(tuple(name for name, qualifier, asks, _ in QUALIFIERS
                          if qualifier.search(before) and not asks.search(question)),
                    tuple(name for name, qualifier, _, surely in QUALIFIERS
                          if surely.search(question) and not qualifier.search(text[sentence_start : answer.start])))
