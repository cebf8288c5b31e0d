"""Time awareness: the period a passage speaks about, and the period a question asks about.

A period is a span of years, optionally narrowed to part of a year (the first
half, the second half, the first three quarters) and marked as a plan/target
or as a result. A passage's period comes from its section headings first
(``2021年``, ``上半年``, ``二、2022年…主要目标``), then from its own text
(years it names, and 今年/去年/明年 resolved against the document's own year),
then from the document. Questions are parsed the same way, in Chinese and in
English ("in 2021", "first half of 2020", 十三五, "target for 2022").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FULL, H1, H2, Q3 = "full", "H1", "H2", "Q1-3"
FIVE_YEAR_PLANS = {"十一五": (2006, 2010), "十二五": (2011, 2015), "十三五": (2016, 2020), "十四五": (2021, 2025),
                   "十五五": (2026, 2030)}

_YEAR = re.compile(r"(?<![\d.])((?:19|20)\d{2})\s*年")  # in reports a year always carries 年
_QUESTION_YEAR = re.compile(r"(?<![\d.])((?:19|20)\d{2})(?:\s*年|(?![\d.%万亿元人个家项]))")  # "in 2021" too
_PLAN_PERIOD = re.compile("|".join(FIVE_YEAR_PLANS))
_ENGLISH_PLAN = re.compile(r"(\d{2})(?:th|st|nd|rd) five-year plan", re.I)
_PART_PATTERNS = [
    (H1, re.compile(r"上半年|前(?:六|6)个月|(?:1|一)\s*[-–—~～至到]\s*(?:6|六)\s*月|前两个季度|一二季度|"
                    r"first[- ]half|first six months|\bh1\b|mid-year|january.{0,4}june", re.I)),
    (H2, re.compile(r"下半年|后(?:六|6)个月|(?:7|七)\s*[-–—~～至到]\s*(?:12|十二)\s*月|"
                    r"second[- ]half|latter half|last six months|\bh2\b|july.{0,4}december", re.I)),
    (Q3, re.compile(r"前三(?:个)?季度|前(?:九|9)个月|(?:1|一)\s*[-–—~～至到]\s*(?:9|九)\s*月|"
                    r"first three quarters|first nine months|january.{0,4}september", re.I)),
    (FULL, re.compile(r"全年|年度|全年度|年底|年末|full[- ]year|whole (?:of )?(?:the )?year|whole of \d{4}|annual|"
                      r"for the year|entire year|all of \d{4}|end of (?:the year|\d{4})|year[- ]end", re.I)),
]
# 预计/"expected" in these reports is an estimate of a result, not a plan
_PLAN = re.compile(r"计划|目标|预期|力争|plan|target|goal|aim", re.I)
_PLAN_HEADING = re.compile(r"计划（草案）|主要目标|总体要求|重点工作|目标|计划|任务|部署")
_RESULT_HEADING = re.compile(r"执行情况|完成情况|圆满完成|取得|成绩|成效|成就|回顾|总结")
_RELATIVE = {"今年": 0, "本年": 0, "去年": -1, "上年": -1, "前年": -2, "明年": 1}
_ENGLISH_RELATIVE = {"this year": 0, "last year": -1, "next year": 1, "the previous year": -1}


@dataclass(frozen=True)
class Period:
    first: int | None = None  # first year covered, None when no year is known
    last: int | None = None
    part: str | None = None  # FULL, H1, H2, Q3, or None when not stated
    plan: bool | None = None  # True: a plan or target; False: a result; None: not stated

    @property
    def years(self) -> set[int]:
        return set(range(self.first, self.last + 1)) if self.first is not None else set()

    def label(self) -> str:
        years = "" if self.first is None else str(self.first) if self.first == self.last else f"{self.first}–{self.last}"
        part = {H1: "上半年", H2: "下半年", Q3: "前三季度", FULL: "全年"}.get(self.part or "", "")
        kind = {True: "计划/目标", False: "完成"}.get(self.plan, "")
        return " ".join(item for item in (years + part, kind) if item)


def _years(text: str, reference: int | None = None) -> list[int]:
    years = [int(match) for match in _YEAR.findall(text)]
    for name, (first, last) in FIVE_YEAR_PLANS.items():
        if name in text:
            years += [first, last]
    if reference is not None:
        years += [reference + offset for word, offset in _RELATIVE.items() if word in text]
    return years


def _part(text: str) -> str | None:
    for part, pattern in _PART_PATTERNS:
        if pattern.search(text):
            return part
    return None


def _span(years: list[int]) -> tuple[int | None, int | None]:
    return (min(years), max(years)) if years else (None, None)


def document_years(title: str, headings: list[str]) -> tuple[int | None, int | None]:
    """The earliest and the latest year a document's title (else its headings) names; the latest is its own year."""
    years = _years(title) or [year for heading in headings for year in _years(heading)]
    return (min(years), max(years)) if years else (None, None)


def passage_period(section: list[str], text: str, title: str, reference: int | None,
                   earliest: int | None = None) -> Period:
    """What period a passage speaks about: its headings first, then its text, then its document.

    ``reference`` is the document's own year and ``earliest`` the earliest year its title and
    headings name: a report that looks back on an earlier year and speaks of its own year is
    setting that year's plan.
    """
    years: list[int] = []
    for heading in reversed(section):  # the innermost heading that names a year wins
        years = _years(heading)
        if years:
            break
    if not years:
        years = _years(text, reference)
    if not years:
        years = _years(title)
    part = next((p for p in (_part(h) for h in reversed(section)) if p), None) or _part(text[:80])
    plan = None
    for heading in reversed([title, *section]):
        if _RESULT_HEADING.search(heading):
            plan = False
            break
        if _PLAN_HEADING.search(heading):
            plan = True
            break
    first, last = _span(years)
    if plan is None and reference is not None and earliest is not None and earliest < reference == first == last:
        plan = True
    return Period(first, last, part, plan)


def question_period(question: str, current_year: int | None = None) -> Period:
    """The period a question asks about; relative words resolve against ``current_year``."""
    text = question.lower()
    years = [int(match) for match in _QUESTION_YEAR.findall(text)]
    plan_match = _PLAN_PERIOD.search(question)
    if plan_match:
        years += list(FIVE_YEAR_PLANS[plan_match.group()])
    english_plan = _ENGLISH_PLAN.search(text)
    if english_plan:
        ordinal = int(english_plan.group(1))
        start = 2016 + (ordinal - 13) * 5
        years += [start, start + 4]
    if current_year is not None and not years:
        years += [current_year + offset for word, offset in {**_RELATIVE, **_ENGLISH_RELATIVE}.items() if word in text]
    first, last = _span(years)
    plan = True if _PLAN.search(question) else None
    return Period(first, last, _part(text), plan)


def agreement(asked: Period, passage: Period) -> float:
    """+1 when the passage speaks about the asked period, −1 when it clearly speaks about another, 0 otherwise."""
    score = 0.0
    if asked.years and passage.years:
        if asked.years <= passage.years or passage.years <= asked.years:
            score += 1.0 if passage.years == asked.years else 0.5
        elif asked.years & passage.years:
            score += 0.25
        else:
            score -= 1.0
    if asked.part in (H1, H2, Q3):
        if passage.part == asked.part:
            score += 1.0
        else:  # an unmarked passage speaks of the whole year: the right year, but not the asked period
            score = min(score, 0.5) - 0.5
    elif passage.part in (H1, H2, Q3) and (asked.part == FULL or asked.years):
        score -= 0.5  # a question naming a year without a part asks about the whole year
    if asked.plan is True and passage.plan is not None:
        score += 0.3 if passage.plan else -0.3
    return score
