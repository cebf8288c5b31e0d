"""Example questions for the page, from the index's own reports: what their stored facts state.

An indicator that most of the reports state as a result for one year (地区生产总值, 一般公共预算收入)
makes a question any reader of them might ask. Each example names the place of the report it comes
from and the year, so that this report answers it: 二七区2021年地区生产总值是多少？; a growth rate
gives a 增长了多少 question. Nothing here names a document: an index of other reports gets other
examples, and the app keeps only those its search answers (``App``'s loading).
"""

from __future__ import annotations

from dataclasses import dataclass

from .places import nation

PASSAGES_PER_REPORT = 80  # the opening passages hold the review of the year, where a report's results stand
SCANNED_PASSAGES = 20_000  # a store that cannot list a report's passages: the first ones, whatever their report
HEAD_CHARS = (3, 10)  # an indicator's head short enough for a question, long enough to say what it measures
CANDIDATES = 8


@dataclass(frozen=True)
class Example:
    """A question one report answers, and what it is built from."""

    question: str
    source: str
    head: str
    measure: str  # level or change
    reports: int  # how many reports state this indicator: the commoner, the better an example


def usable(fact) -> bool:
    """A result for one year, of a plain indicator (no 人均 or 规模以上), a level with a unit or a rate of growth."""
    if fact.stance != "result" or fact.period_first is None or fact.period_first != fact.period_last:
        return False
    if fact.qualifiers or fact.part not in (None, "full") or not HEAD_CHARS[0] <= len(fact.head) <= HEAD_CHARS[1]:
        return False
    return (fact.measure == "level" and fact.kind == "money") or (fact.measure == "change" and fact.unit == "%")


def question_for(head: str, measure: str, year: int, place: str) -> str:
    """二七区2021年地区生产总值是多少？; without the place when the report does not say it."""
    asks = "增长了多少" if measure == "change" else "是多少"
    if place == nation().name:
        return f"{year}年全国{head}{asks}？"
    return f"{place}{year}年{head}{asks}？"


def _openings(store, sources) -> dict[str, list[int]]:
    """The first passages of each report, by position."""
    if hasattr(store, "positions_of_source"):
        return {source: [int(p) for p in store.positions_of_source(source)[:PASSAGES_PER_REPORT]] for source in sources}
    openings: dict[str, list[int]] = {source: [] for source in sources}
    for position in range(min(len(store), SCANNED_PASSAGES)):
        source = store.passage(position).source
        if source in openings and len(openings[source]) < PASSAGES_PER_REPORT:
            openings[source].append(position)
    return openings


def candidate_examples(store, documents: dict, count: int = CANDIDATES) -> list[Example]:
    """Questions the index's reports answer: the indicators most reports state first, then those they speak of
    most; each from another report where there are enough; at most one about growth."""
    newest_first = sorted(documents, key=lambda source: (-(documents[source].year or 0), source))
    stated: dict[tuple[str, str], dict[str, object]] = {}  # (head, measure) → report → its first such fact
    mentions: dict[str, int] = {}  # head → figures of it in any sense: how much the reports speak of it
    for source, positions in _openings(store, newest_first).items():
        place = documents[source].place
        for position in positions:
            for fact in store.facts(position):
                mentions[fact.head] = mentions.get(fact.head, 0) + 1
                if usable(fact) and (fact.place in ("", place) or not place):
                    stated.setdefault((fact.head, fact.measure), {}).setdefault(source, fact)
    ranked = sorted(stated.items(), key=lambda item: (-len(item[1]), -mentions[item[0][0]], item[0][1] != "level",
                                                      item[0]))
    examples, used_reports, used_heads, growth = [], set(), set(), False
    for (head, measure), by_report in ranked:
        if head in used_heads or (measure == "change" and growth):
            continue
        source = next((s for s in newest_first if s in by_report and s not in used_reports), None) \
            or next(s for s in newest_first if s in by_report)
        fact = by_report[source]
        place = documents[source].place or fact.place
        examples.append(Example(question_for(head, measure, fact.period_first, place), source, head,
                                measure, len(by_report)))
        used_reports.add(source)
        used_heads.add(head)
        growth = growth or measure == "change"
        if len(examples) >= count:
            break
    return examples
