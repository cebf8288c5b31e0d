"""Which figures in a passage answer the question.

The sentence that shares the most (rarest) words with the question is found
first; its figures of the kind the question asks for (多少人 → people,
比例 → a percentage, "how much" → money …) are the answering figures, and
the one nearest the question's words is the answer figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .figures import Figure
from .tokens import tokenize

_SENTENCE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]?")
_CLAUSE = re.compile(r"(?:[^，。！？；、!?;\n,]|(?<=\d),(?=\d))+[，。！？；、!?;,]?")


@dataclass(frozen=True)
class Asked:
    kinds: frozenset[str]  # figure kinds that would answer; empty when the question does not say
    unit: str = ""  # a unit the question names (人, 亿元, 亩 …)


# (pattern, kinds, unit) — checked in order, all that match are combined.
_CUES: list[tuple[re.Pattern, tuple[str, ...], str]] = [
    (re.compile(r"多少人|几人|人数|多少名|how many (?:people|persons|residents|workers|jobs|staff|volunteers|cadres)|number of (?:people|persons|jobs)"), ("count",), "人"),
    (re.compile(r"人次|person-times|visits"), ("count",), "人次"),
    (re.compile(r"多少(?:亿|万)?元|多少钱|金额|资金|总额|产值|收入|营收|投资(?:额|多少)|how much|yuan|revenue|investment|value|funds?|income|spending|amount|gdp|output"), ("money",), ""),
    (re.compile(r"比例|占比|比重|百分之|百分比|率|增速|增幅|增长|下降|同比|what share|proportion|percent|percentage|rate|grow|growth|increase|decrease|fell|rose"), ("percent",), "%"),
    (re.compile(r"多少天|几天|天数|how many days"), ("duration", "count"), "天"),
    (re.compile(r"哪天|哪一天|何时|什么时候|几月几日|日期|when|what date|which day|on what day"), ("date",), ""),
    (re.compile(r"哪一年|哪年|which year|what year"), ("year",), ""),
    (re.compile(r"第几|排名|排第|名次|位次|rank|place|first among"), ("rank",), ""),
    (re.compile(r"面积|多少平方米|多少万平方米|square met|area|floor space"), ("area",), ""),
    (re.compile(r"多少亩|几亩|\bmu\b"), ("area",), "亩"),
    (re.compile(r"多少公里|长度|里程|kilomet|km\b|length"), ("length",), ""),
    (re.compile(r"多少倍|几倍|倍数|times (?:as|larger|bigger)|fold"), ("multiple",), "倍"),
    (re.compile(r"浓度|微克|concentration"), ("concentration",), ""),
    (re.compile(r"多少个|几个|多少家|几家|多少所|几所|多少项|几项|多少条|几条|多少户|多少座|多少栋|多少套|多少宗|多少件|多少处|多少场|多少批|how many|number of"), ("count",), ""),
]
_MEASURE_WORD = re.compile(r"多少([个家所项条户座栋套宗件处场批名])|几([个家所项条户座栋套宗件处场批名])")
_RARELY_ANSWERS = {"year", "date", "rank"}  # unless asked for


def asked(question: str) -> Asked:
    text = question.lower()
    kinds: set[str] = set()
    unit = ""
    for pattern, cue_kinds, cue_unit in _CUES:
        if pattern.search(text):
            kinds.update(cue_kinds)
            unit = unit or cue_unit
    measure = _MEASURE_WORD.search(text)
    if measure:  # the measure word the question uses is the most precise unit it names
        unit = measure.group(1) or measure.group(2)
    return Asked(frozenset(kinds), unit)


@dataclass
class AnswerFigures:
    answer: Figure | None  # the single figure most likely to answer
    answering: list[Figure]  # figures in the best sentence of the asked kind (the answer among them)
    sentence: tuple[int, int] | None  # the best-matching sentence, offsets in the passage text


def sentence_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _SENTENCE.finditer(text) if m.group().strip()]


def clause_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _CLAUSE.finditer(text) if m.group().strip()]


def clause_tokens(text: str) -> list[tuple[tuple[int, int], frozenset[str]]]:
    """Each clause of a passage with its tokens; computed once per passage when a searcher loads."""
    return [(span, frozenset(tokenize(text[span[0] : span[1]]))) for span in clause_spans(text) or [(0, len(text))]]


def pick(question_tokens: list[str], question: str, text: str, figures: list[Figure],
         weights: dict[str, float] | None = None,
         clauses: list[tuple[tuple[int, int], frozenset[str]]] | None = None) -> AnswerFigures:
    """Find the answering figures of one passage.

    Each eligible figure is scored by the question words in its own clause
    (or, at half weight, in the clause before it, where the subject may stand), plus
    a bonus when it carries the unit the question names. ``weights`` gives a
    weight per token (e.g. its IDF); unknown tokens count 1.
    """
    if not figures:
        return AnswerFigures(None, [], None)
    wanted = asked(question)
    weights = weights or {}
    asked_tokens = set(question_tokens)

    def eligible(figure: Figure) -> bool:
        if figure.text in question:  # a figure the question already names is not its answer
            return False
        if wanted.kinds:
            return figure.kind in wanted.kinds
        return figure.kind not in _RARELY_ANSWERS

    candidates = [f for f in figures if eligible(f)]
    if not candidates:
        return AnswerFigures(None, [], None)

    def overlap(tokens: frozenset[str]) -> float:
        return sum(weights.get(token, 1.0) * (0.5 if token[0].isdigit() else 1.0) for token in tokens & asked_tokens)

    tokenised = clauses if clauses is not None else clause_tokens(text)
    clauses = [span for span, _ in tokenised]
    clause_scores = [overlap(tokens) for _, tokens in tokenised]

    def clause_of(figure: Figure) -> int:
        return next((i for i, (a, b) in enumerate(clauses) if a <= figure.start < b), len(clauses) - 1)

    def score(figure: Figure) -> float:
        i = clause_of(figure)
        context = max(clause_scores[i], 0.5 * (clause_scores[i - 1] if i > 0 else 0.0))
        unit_bonus = 1.5 if wanted.unit and wanted.unit in figure.unit else 0.0
        return context + unit_bonus - (0.5 if figure.kind == "number" else 0.0)

    answer = max(candidates, key=lambda f: (score(f), -f.start))
    sentence = next((span for span in sentence_spans(text) if span[0] <= answer.start < span[1]), None)
    answering = [f for f in candidates if sentence and sentence[0] <= f.start < sentence[1]] or [answer]
    return AnswerFigures(answer, answering, sentence)
