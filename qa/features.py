"""What is known about a passage before any question: its figures and the period it speaks about.

Computed once when the index is built and stored beside the passages, so a
searcher that starts reads them for the passages it ranks instead of
re-deriving them for the whole corpus.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .facts import Fact, extract_facts, table_row_facts
from .figures import Figure, extract_figures
from .periods import Period, document_years, passage_period, section_stances
from .vocabulary import SEVERAL_YEARS

# What is derived from passages at build time changes with this version: ``analyse_document`` (3: results
# versus targets by section, the delivery year, look-backs in plans) and the answer picker's layout of each
# passage (``qa.answers.layout``, stored from 4); 5: a passage under a heading naming a year and a five-year
# plan speaks of the year unless its words span several; 6: under a heading naming two plans (“十四五”时期发展成就和
# “十五五”时期主要目标任务) a passage of results speaks of the earlier plan's years, one of plans of the later's;
# 7: 起 and 笔 count things (并购重组397起, 贷款1.2万笔); 8: the facts of every figure (``qa.facts``); 9: 比上年 and
# 上年同期 name what a figure is compared with, not the period it speaks about; 10: a report whose text names no
# place takes the one its title or file name names by its level (周口市统计公报2023.pdf); 11: the units each indicator
# head is stated in across the index (``qa.facts.IndicatorUnits``); 12: an undated report's place from the district or
# county its text speaks of as its subject (中共二七区委…, ，二七区累计…), and the year it reviews from a year standing
# above it or the latest year whose results it states (``qa.metadata``).
# An index built under another version holds older features.
# 13: a list of targets under one heading is all targets (预期目标：A；B；C); a 城乡 pair of figures is the towns'
# then the countryside's, and the second of a pair (X和Y) shares the first's indicator; 14: a title given as a
# labelled field (标题：…) without its label; 15: a table row's facts read with its header row (units and measures
# from the column headings); 16: 将 and 去年的 before a figure are not what it measures, and a figure just after
# 去年的 is last year's result (…支出将由去年的1076亿元增加到…); 17: a figure after an aside without one is of the
# subject named with the figure before the aside (地区生产总值达到5.53万亿元、稳居全国前十强、增长4.8%), and A和B…分别X和Y
# gives X to A and Y to B. 30: a bracketed note (不含农户，下同) stays inside its clause and out of the indicator; an
# aside with a subject of its own (全省进出口总值创历史新高) is no aside; what a figure drove (带动进出口415.4亿元) is
# marked 带动; 城镇和农村 take a pair of figures in turn, as do two things named before a level verb (A、B参保率稳定在
# 98%和95%以上), and the second of a pair of changes is a change; a sentence opening on one year (全年…) in a review of
# several is that year's, and one opening on last year among a year's plans is last year's result; a year said to
# close a plan (2025年是“十四五”收官之年) is that year; a part in brackets (其中发明专利1058件) measures what the whole
# before it measures; 按, 连续 and 继续 are no part of a name. 31: a harvest's 总产 after the thing's 增产 (粮食增产…，
# 总产466亿斤) is that thing's output. 32: the 及 inside a word (普及率) no longer splits listed items. 33: a short quoted term
# inside a name (国家级专精特新“小巨人”企业) is part of it. 34: 规模工业 is 规模以上工业. 35: a
# report that only looks back, whose title names no year, dates the passages nothing else dates by its own year.
# 36: a bare number before the households it counts is a count in 户; a national title after a count (7项全国…试点)
# leaves it the report's place; 压缩, 缩短 before a figure are a change; 微克／立方米 (full-width slash) is a unit.
# 37: a passage under a five-year review whose words are a year's own (全年, 同比) and name no span is the last year's,
# and so are those after one that opens on that year (刚刚过去的2025年，…) until one opens on the five years again; under
# a heading naming a year and a plan, 每年 and 由…增加到 are words of the plan's span.
# 38: 方 after a number is cubic metres (补水6600万方).
FEATURES_VERSION = "38"


@dataclass(frozen=True)
class PassageFeatures:
    figures: tuple[Figure, ...]
    period: Period
    facts: tuple[Fact, ...] = ()  # what each figure measures (qa.facts); stored apart, read for results only

    def with_facts(self, text: str, where, place: str, header: str = "") -> "PassageFeatures":
        """These features with the facts of the passage's figures (``where``: its ``qa.answers.Layout``); a table
        row's read with its ``header`` row where its cells line up with it (``qa.facts.table_row_facts``)."""
        facts = table_row_facts(text, header, self.period, place) if header else ()
        return replace(self, facts=facts or extract_facts(text, list(self.figures), where, self.period, place))

    @property
    def figure_kinds(self) -> set[tuple[str, str]]:
        return {(f.kind, f.unit) for f in self.figures}


_YEAR_IN_TITLE = re.compile(r"(?:19|20)\d{2}")


def analyse_document(passages: list, year: int | None = None) -> list[PassageFeatures]:
    """Features of one document's passages; ``year`` is the year the document was delivered in, when known.

    A passage's period comes from its headings, then its text (今年/去年/过去一年 read against the
    document's year), then its title; a report that names an earlier year in its title or
    headings and speaks of its own year is setting that year's plan. Each top-level section is
    a look back (results) or a look ahead (plans, targets) by its heading and its place in the
    report (``section_stances``); a look back in a report that also looks ahead is about the year
    before the delivery year unless it names another.
    """
    if not passages:
        return []
    title = passages[0].title
    earliest, latest = document_years(title, [heading for p in passages for heading in p.section])
    reference = year or latest
    if year is not None and earliest is not None and earliest > year:
        earliest = year
    stances = section_stances([p.section[0] for p in passages if p.section], year)
    looks_ahead = any(stances.values())
    reviewed = reference - 1 if reference is not None and looks_ahead else None
    # a report that only looks back and whose title names no year (a communiqué's title read without it): its year
    otherwise = year if not looks_ahead and not _YEAR_IN_TITLE.search(title) else None
    periods = [passage_period(p.section, p.text, title, reference, earliest,
                              stance=stances.get(p.section[0]) if p.section else None, reviewed=reviewed,
                              otherwise=otherwise) for p in passages]
    return [PassageFeatures(figures=tuple(extract_figures(p.text)), period=period)
            for p, period in zip(passages, _year_carried(passages, periods))]


# how a year's review opens inside a five-year review (刚刚过去的2025年，… / 过去一年，…), and how a span's opens
_YEAR_OPENING = re.compile(r"\s*(?:刚刚过去的|过去的)?(?:((?:19|20)\d{2})年|一年)(?:来)?[，,是里]")
_SPAN_OPENING = re.compile(r"\s*(?:回顾)?(?:过去五年|五年来|这五年|“?十[一二三四五]五”?(?:时期|期间|以来))")


def _year_carried(passages: list, periods: list[Period]) -> list[Period]:
    """刚刚过去的2025年，… opens one year's review inside a five-year one (under “一、‘十四五’时期工作回顾”): the passages
    after it in the same section that the section's span dates and whose words name no span are that year's, until a
    passage opens on the span again (过去五年, 五年来)."""
    carried, section, found = None, None, []
    for passage, period in zip(passages, periods):
        top = passage.section[0] if passage.section else None
        if top != section:
            carried, section = None, top
        if _SPAN_OPENING.match(passage.text):
            carried = None
        elif (opening := _YEAR_OPENING.match(passage.text)) and period.plan is False and period.last is not None \
                and int(opening.group(1) or period.last) == period.last:
            carried = period.last
        elif carried is not None and period.plan is False and period.first is not None \
                and period.first < carried == period.last and not SEVERAL_YEARS.search(passage.text):
            period = replace(period, first=carried)
        found.append(period)
    return found
