"""Time awareness: the period a passage speaks about, and the period a question asks about.

A period is a span of years, optionally narrowed to part of a year (the first
half, the second half, the first three quarters) and marked as a plan/target
or as a result. A passage's period comes from its section headings first
(``2021年``, ``上半年``, ``二、2022年…主要目标``), then from its own text
(years it names, and 今年/去年/过去一年/明年 resolved against the year the
report is delivered in), then from the document. Questions are parsed the same
way, in Chinese and in English ("in 2021", "first half of 2020", 十三五,
"target for 2022").

Results and targets. A report delivered in year Y looks back on Y−1 (工作回顾,
过去一年: results) and then sets targets and tasks for Y (主要预期目标, 今年工作
安排, 重点工作: plans); the result for Y is in the next year's report. Each
top-level section of a report is classified by its heading (回顾 / 执行情况 /
成就 versus 目标 / 任务 / 安排 / 部署; a heading that names only years before
the delivery year looks back, one that names only the delivery year or later
looks ahead), and a section without such words that follows a look back is part
of the plan. A question asks for a target when it says so (目标, 预期, 计划,
target, planned, aim), for a result when it says so (实际, actually, outturn),
and otherwise a question about a year's figure prefers the result (``stance``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from .vocabulary import ACTUAL_IN_NAME, SEVERAL_YEARS

FULL, H1, H2, Q3 = "full", "H1", "H2", "Q1-3"
FIVE_YEAR_PLANS = {"八五": (1991, 1995), "九五": (1996, 2000), "十五": (2001, 2005), "十一五": (2006, 2010),
                   "十二五": (2011, 2015), "十三五": (2016, 2020), "十四五": (2021, 2025), "十五五": (2026, 2030)}
# 十一五 … 十五五 are unmistakable; 八五, 九五 and 十五 are also plain numbers (十五届, 九五折), so they count
# only in quotes (but “八五”普法 is the eighth legal-education plan) or before 计划/时期/期间/规划/末/以来.
_PLAN_NAME = re.compile(r"十[一二三四五]五|“(?:[八九]五|十五)”(?!普法)|(?<![第一二三四五六七八九十百\d])(?:[八九]五|十五)"
                        r"(?=计划|时期|期间|规划|末|以来)")
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")

_YEAR = re.compile(r"(?<![\d.])((?:19|20)\d{2})\s*年")  # in reports a year always carries 年
_QUESTION_YEAR = re.compile(r"(?<![\d.])((?:19|20)\d{2})(?:\s*年|(?![\d.%万亿元人个家项]))")  # "in 2021" too
# words of a statement about several years: 年均增长, 累计, 五年来, 连续3年, 翻一番
_ORDINALS = {"eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
             "fourteenth": 14, "fifteenth": 15}
_ENGLISH_PLAN = re.compile(r"(?:(\d{1,2})(?:th|st|nd|rd)|(" + "|".join(_ORDINALS) + r")) five[- ]year plan", re.I)
_PART_PATTERNS = [
    (H1, re.compile(r"上半年|[前头]半年|[前头](?:六|6)个月|(?:1|一)\s*[-–—~～至到]\s*(?:6|六)\s*月|前两个季度|一二季度|"
                    r"first[- ]half|first six months|\bh1\b|mid-year|january.{0,4}june", re.I)),
    (H2, re.compile(r"下半年|后半年|后(?:六|6)个月|(?:7|七)\s*[-–—~～至到]\s*(?:12|十二)\s*月|"
                    r"second[- ]half|latter half|last six months|\bh2\b|july.{0,4}december", re.I)),
    (Q3, re.compile(r"[前头]三(?:个)?季度|[前头](?:九|9)个月|(?:1|一)\s*[-–—~～至到]\s*(?:9|九)\s*月|"
                    r"first three quarters|first nine months|january.{0,4}september", re.I)),
    (FULL, re.compile(r"全年|年度|全年度|年底|年末|full[- ]year|whole (?:of )?(?:the )?year|whole of \d{4}|annual|"
                      r"for the year|entire year|all of \d{4}|end of (?:the year|\d{4})|year[- ]end", re.I)),
]
# 预计/"expected" in these reports is an estimate of a result, not a plan
_PLAN = re.compile(r"计划|目标|预期(?!寿命)|力争|(?<!模)拟|打算|准备(?!金)|\bplan|target|goal|\baim|budgeted|\bintend|"
                   r"(?:was|were|is|are) to be\b|\bceiling\b|\b(?:set|put) an? (?:cap|limit)\b", re.I)
# names that hold a plan's word without asking for a plan: the 14th Five-Year Plan, 一般公共预算收入, 计划生育
_NOT_A_PLAN = re.compile(r"five[- ]year plan|(?:五年|发展)(?:计划|规划)|计划生育|计划单列", re.I)
# …unless the question says it wants the actual figure ("实际增长了多少（不是预期目标）")
_RESULT = re.compile(r"实际|实绩|完成值|actual|outturn|\bin fact\b|\brealis|\brealiz", re.I)
_PLAN_HEADING = re.compile(r"计划（草案）|目标|计划|任务|部署|安排|总体要求|重点工作|主要工作|建议|今年|明年|展望|"
                           r"主要考虑|重要要求|思路|打算")
_RESULT_HEADING = re.compile(r"执行情况|完成情况|圆满完成|成绩|成效|成就|回顾|总结|过去|一年来|五年来|去年|"
                             r"(?:目标|任务)\S{0,4}完成")
# a plan's word inside a result's phrase (计划执行情况, 目标任务圆满完成) does not make a heading a plan
_RESULT_PHRASE = re.compile(r"(?:计划|规划)?(?:执行|完成)情况|(?:目标|任务)\S{0,4}完成|完成\S{0,4}(?:目标|任务)")
# a passage that states targets, not only tasks: 主要预期目标是：…增长5%左右, 粮食产量1600亿斤以上, 控制在3%以内
_TARGET_STATEMENT = re.compile(r"预期目标|主要目标|目标是|目标为|控制在|\d(?:[.\d]*)\s*(?:%|％|[万亿]?[^\d，。；、\s]{0,3})(?:左右|以上|以内)")
# in a passage's own text: the report's words for a target ("主要预期目标是", "增长5%左右", "力争")
_PLAN_TEXT = re.compile(r"预期目标|主要目标|目标是|目标任务|左右|力争|确保|(?<!截)到20\d\d年")
_RESULT_TEXT = re.compile(r"过去一年|过去的一年|五年来|比上年|同比|完成了|实现了|累计|达到\d|增长\d[\d.]*%(?!左右)")
# a passage of the plan that first looks back ("过去一年，…国内生产总值增长10.3%。这为做好今年的工作打下了基础")
# a year's own words: the whole year, or against the year before
_ONE_YEAR_ONLY = re.compile(r"全年|同比|比上年|较上年|过去一年|过去的一年|刚刚过去的一年")
_LOOK_BACK = re.compile(r"过去一年|过去的一年|一年来|过去五年|过去的五年|五年来")
LOOK_BACK_OPENING = 60  # characters: a plan's passage that looks back this early is about last year
_RELATIVE = {"今年": (0,), "本年": (0,), "去年": (-1,), "上年": (-1,), "前年": (-2,), "明年": (1,),
             "过去一年": (-1,), "过去的一年": (-1,), "一年来": (-1,),
             "过去五年": (-5, -1), "过去的五年": (-5, -1), "五年来": (-5, -1)}
_COMPARED_WITH = re.compile(r"(?:比|较|与|同|高于|低于|快于|慢于|超过|相比)(?:上年|去年|前年)(?:末|底|同期)?|"
                            r"(?:上年|去年)同期|(?:上年|去年)(?:末|底)?(?:相比|同比)")
_ENGLISH_RELATIVE = {"this year": 0, "last year": -1, "next year": 1, "the previous year": -1}


@dataclass(frozen=True)
class Period:
    first: int | None = None  # first year covered, None when no year is known
    last: int | None = None
    part: str | None = None  # FULL, H1, H2, Q3, or None when not stated
    plan: bool | None = None  # True: a plan or target; False: a result; None: not stated

    @cached_property  # read for every candidate of every question
    def years(self) -> frozenset[int]:
        return frozenset(range(self.first, self.last + 1)) if self.first is not None else frozenset()

    def label(self) -> str:
        years = "" if self.first is None else str(self.first) if self.first == self.last else f"{self.first}–{self.last}"
        part = {H1: "上半年", H2: "下半年", Q3: "前三季度", FULL: "全年"}.get(self.part or "", "")
        kind = {True: "计划/目标", False: "完成"}.get(self.plan, "")
        return " ".join(item for item in (years + part, kind) if item)


# a heading of the work that opens a five-year plan: its first year, not the five
_PLAN_OPENING = re.compile(r"开好局|起好步|开局之年|开局起步|良好开局|开门红")
# a plan named as what is compared with (营业收入较“十三五”末期翻一番): the base, not the period
_COMPARED_PLAN = re.compile(r"(?:较|比|与|同|相比)“?(?:十[一二三四五]五|[八九]五|十五)”?(?:末期|期末|末|时期|期间)?")


# a year said to be a plan's closing or opening year (2025年是“十四五”收官之年): the year, not the plan's five
_YEAR_OF_PLAN = re.compile(r"((?:19|20)\d{2})年是“?(?:十[一二三四五]五|[八九]五|十五)”?(?:规划)?的?(?:收官|开局|起步|攻坚|关键|"
                           r"承上启下|决胜|最后一)")


def _plans_named(text: str) -> list[tuple[int, int]]:
    """The first and last years of each five-year plan a text names, in order."""
    text = _YEAR_OF_PLAN.sub(r"\1年", _COMPARED_PLAN.sub(" ", text))
    return [FIVE_YEAR_PLANS[match.group().strip("“”")] for match in _PLAN_NAME.finditer(text)]


def _plan_years(text: str) -> list[int]:
    return [year for span in _plans_named(text) for year in span]


def _years(text: str, reference: int | None = None) -> list[int]:
    text = text.translate(_FULL_WIDTH_DIGITS)
    years = [int(match) for match in _YEAR.findall(text)] + _plan_years(text)
    if reference is not None:
        text = _COMPARED_WITH.sub(" ", text)  # 比上年增长7%: last year is what it is compared with, not its period
        years += [reference + offset for word, offsets in _RELATIVE.items() if word in text for offset in offsets]
    return years


def _heading_years(heading: str, reference: int | None = None) -> list[int]:
    """Years a heading names: the years written out and the five-year plans beside them (2025年和“十四五”时期工作回顾
    is 2021–2025, which a passage's own text narrows); relative words (过去一年) only when it names none."""
    heading = heading.translate(_FULL_WIDTH_DIGITS)
    explicit = [int(match) for match in _YEAR.findall(heading)]
    plans = _plans_named(heading)
    if not explicit and len(plans) == 1 and _PLAN_OPENING.search(heading):
        return [plans[0][0]]  # 全力推动“十五五”开好局、起好步: the work of the plan's first year
    return explicit + _plan_years(heading) if explicit else _years(heading, reference)


def _plan_of_stance(heading: str, plan: bool) -> list[int] | None:
    """Of a heading naming two five-year plans and no year (“十四五”时期发展成就和“十五五”时期主要目标任务), the
    years of the earlier plan for a passage of results, of the later for one of plans; None for other headings."""
    if _YEAR.search(heading.translate(_FULL_WIDTH_DIGITS)):
        return None
    named = sorted(set(_plans_named(heading)))
    if len(named) < 2:
        return None
    return list(named[-1] if plan else named[0])


def heading_names_year_and_plan(heading: str) -> bool:
    """A heading naming a year beside a five-year plan (2025年和“十四五”时期工作回顾): its passages speak of
    that year unless their words span several years (``SEVERAL_YEARS``)."""
    heading = heading.translate(_FULL_WIDTH_DIGITS)
    return bool(_YEAR.search(heading)) and bool(_PLAN_NAME.search(heading))


def _part(text: str) -> str | None:
    for part, pattern in _PART_PATTERNS:
        if pattern.search(text):
            return part
    return None


def part_named(text: str) -> str | None:
    """The part of a year a text names (上半年, "first half" → H1; 全年 → the full year), None when it names none."""
    return _part(text)


def _span(years: list[int]) -> tuple[int | None, int | None]:
    return (min(years), max(years)) if years else (None, None)


def document_years(title: str, headings: list[str]) -> tuple[int | None, int | None]:
    """The earliest and the latest year a document's title (else its headings) names; the latest is its own year."""
    years = _years(title) or [year for heading in headings for year in _years(heading)]
    return (min(years), max(years)) if years else (None, None)


def heading_stance(heading: str, reference: int | None = None) -> bool | None:
    """True when a heading introduces plans or targets, False when it looks back on results, None when it does not say.

    Words decide first (工作回顾, 执行情况, 发展成就 / 主要目标, 重点工作, 工作安排); a heading with words of
    both kinds does not say. A heading without such words that names only years before ``reference`` (the
    delivery year) looks back, one that names only ``reference`` or later years looks ahead (关于2025年工作).
    """
    heading = heading.translate(_FULL_WIDTH_DIGITS)
    plan, result = bool(_PLAN_HEADING.search(_RESULT_PHRASE.sub("", heading))), bool(_RESULT_HEADING.search(heading))
    if plan or result:
        return None if plan and result else plan
    years = [int(match) for match in _YEAR.findall(heading)] + _plan_years(heading)
    if reference is not None and years:
        if max(years) < reference:
            return False
        if min(years) >= reference:
            return True
    return None


def mixed_heading(heading: str) -> bool:
    """A heading that announces both results and plans (“十四五”时期发展成就和“十五五”时期主要目标任务)."""
    return bool(_PLAN_HEADING.search(_RESULT_PHRASE.sub("", heading))) and bool(_RESULT_HEADING.search(heading))


def section_stances(headings: list[str], reference: int | None = None) -> dict[str, bool | None]:
    """The stance of each top-level section of one report, its headings given in document order.

    A report looks back first and then ahead: a section whose heading says nothing that follows
    a look back belongs to the plan (二、坚持实行扩大内需的方针 after 一、1999年工作回顾).
    """
    stances: dict[str, bool | None] = {}
    looked_back = False
    for heading in headings:
        if heading in stances:
            continue
        stance = heading_stance(heading, reference)
        if stance is None and looked_back and not mixed_heading(heading):
            stance = True
        looked_back = looked_back or stance is False
        stances[heading] = stance
    return stances


def text_stance(text: str) -> bool | None:
    """What a passage's own words say: targets (预期目标, 左右, 力争) or results (比上年, 同比, 累计), None if even."""
    plan, result = len(_PLAN_TEXT.findall(text)), len(_RESULT_TEXT.findall(text))
    return None if plan == result else plan > result


def passage_period(section: list[str], text: str, title: str, reference: int | None,
                   earliest: int | None = None, stance: bool | None = None, reviewed: int | None = None,
                   otherwise: int | None = None) -> Period:
    """What period a passage speaks about, and whether as a plan or a result.

    Years: the innermost heading that names a year (narrowed to the years of the passage's own text
    that lie inside the heading's span: 过去一年 under “2025年和十四五时期工作回顾” is 2025),
    then the passage's text (今年/去年/过去一年 read against ``reference``, the delivery year), then
    ``reviewed`` for a passage that looks back, then the title. ``earliest`` is the earliest year the
    title and headings name. ``stance`` is its top-level section's (``section_stances``); without one
    the innermost heading that says, then the title, then a heading naming both results and plans
    leaves it to the passage's words. ``otherwise``: the year of a passage nothing else dates (a communiqué's whose
    title lost its year).
    """
    years: list[int] = []
    year_heading = ""
    for year_heading in reversed(section):  # the innermost heading that names a year wins
        years = _heading_years(year_heading, reference)
        if years:
            break
    heading_years = years
    own = _years(text, reference)
    inside = [year for year in own if years and min(years) <= year <= max(years)]
    if inside and set(inside) != set(range(min(years), max(years) + 1)):
        years = inside  # the years of its own text that lie within its heading's span
    elif years and not own and heading_names_year_and_plan(year_heading) and not SEVERAL_YEARS.search(text):
        years = [int(match) for match in _YEAR.findall(year_heading.translate(_FULL_WIDTH_DIGITS))]
    if not years:
        years = own
    plan = stance
    if plan is None:
        for heading in reversed([title, *section]):
            plan = heading_stance(heading)
            if plan is not None or mixed_heading(heading):
                break
    if plan is None and any(mixed_heading(heading) for heading in section):
        plan = text_stance(text)
    if plan is not None and years and years is heading_years:  # the heading's, not narrowed by the text
        years = _plan_of_stance(year_heading, plan) or years
    if plan and reference is not None and _LOOK_BACK.search(text):
        back = _years(" ".join(_LOOK_BACK.findall(text)), reference)
        if _LOOK_BACK.search(text[:LOOK_BACK_OPENING]):  # it opens on last year's results
            years, plan = back, False
        else:  # it states last year's results as well as this year's plans
            years, plan = sorted(set(years) | set(back)), None
    if plan is not True and years is heading_years and len(years) > 1 and not own and _ONE_YEAR_ONLY.search(text) \
            and not SEVERAL_YEARS.search(text):
        years = [max(years)]  # under a five-year review, 全年 and 同比 with no span said: the review's last year
    if not years and plan is False and reviewed is not None:
        years = [reviewed]
    if not years:
        years = _years(title) or ([otherwise] if otherwise is not None else [])
    part = next((p for p in (_part(h) for h in reversed(section)) if p), None) or _part(text[:80])
    first, last = _span(years)
    if plan is None and reference is not None and earliest is not None and earliest < reference == first == last:
        plan = True
    return Period(first, last, part, plan)


def question_period(question: str, current_year: int | None = None) -> Period:
    """The period a question asks about; relative words resolve against ``current_year``."""
    text = question.lower()
    years = [int(match) for match in _QUESTION_YEAR.findall(text)]
    years += _plan_years(question)
    english_plan = _ENGLISH_PLAN.search(text)
    if english_plan:
        number = english_plan.group(1) or english_plan.group(2)
        ordinal = int(number) if number.isdigit() else _ORDINALS[number]
        start = 2016 + (ordinal - 13) * 5
        years += [start, start + 4]
    if current_year is not None and not years:
        relative = {**_RELATIVE, **{word: (offset,) for word, offset in _ENGLISH_RELATIVE.items()}}
        years += [current_year + offset for word, offsets in relative.items() if word in text for offset in offsets]
    first, last = _span(years)
    unnamed = ACTUAL_IN_NAME.sub(" ", question)
    plan = False if _RESULT.search(unnamed) else True if _PLAN.search(_NOT_A_PLAN.sub(" ", question)) else None
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
    return score


_TARGET_WORD = re.compile(r"目标|预期(?!寿命)|指标|打算|target|goal", re.I)


def asks_target(question: str) -> bool:
    """Whether a question asks for a target value (目标, 预期, target), not for a planned task or project."""
    return bool(_TARGET_WORD.search(_NOT_A_PLAN.sub(" ", question))) and not _RESULT.search(ACTUAL_IN_NAME.sub(" ", question))


def states_targets(text: str) -> bool:
    """Whether a passage states targets (主要预期目标是：地区生产总值增长5%左右…) rather than only tasks."""
    return bool(_TARGET_STATEMENT.search(text))


# a question that says which it wants (实际, 目标, target, outturn) counts a passage's stance this many times
# over the preference of one that does not say
EXPLICIT_STANCE = 2.0


def stance(asked: Period, passage: Period) -> float:
    """Results versus targets for the asked period: ±``EXPLICIT_STANCE`` when the question says which it wants
    (a target, or the actual figure) and the passage states that or the other; a question that names a period
    without saying prefers the result (±1). 0 when either does not say, or when
    the passage is not about the asked period (another year, the whole year when a half is asked, an
    unknown period: ``agreement`` not above 0)."""
    if passage.plan is None:
        return 0.0
    if asked.years and agreement(asked, passage) <= 0:
        return 0.0  # results and targets of another period, or of an unknown one, are the time signal's business
    if asked.plan is not None:
        return EXPLICIT_STANCE if passage.plan == asked.plan else -EXPLICIT_STANCE
    if asked.years or asked.part:
        return -1.0 if passage.plan else 1.0
    return 0.0
