"""One indicator across years or places, answered from the stored facts (``qa.facts``): a table, every cell cited.

A series question names an indicator and a run of years (2015—2024年, 2015年以来, since 2018, 历年) or a set of
places (各省, the provinces, 北京和上海). Its answer is a table whose rows are years (one place) or places (one
year) and whose columns are the result and the target. A cell holds the figure as written and its number in the
series' unit, with the report and passage it comes from. The rules:

* an empty cell means the reports do not state it; nothing is estimated or carried over;
* a year's result is taken first from the report that reviews that year (the next year's work report) or a
  statistical communiqué of that year; a target from the report of that year; other reports only when those
  say nothing;
* two reports that state different figures for one cell are both shown and the cell is marked (``differs``);
  the same figure rounded otherwise (784.2亿元, 784.23亿元) is not a difference (``qa.facts.same_value``).

Which facts measure the indicator is the card's matching (``qa.card.check_fact``) for kind, measure, qualifiers,
place, year and stance, with one stricter rule for the indicator: the fact's head must be the indicator (or a
variant the synonym table lists), with nothing before it but words of time, place or stance (海洋生产总值 is not
生产总值).
"""

from __future__ import annotations

import re
import weakref
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache
from decimal import Decimal

from .card import ASKS_NATION, REFUSING_SIDES, Source, Wanted, check_fact, sides_named, wanted_by
from .confidence import KeyTerms
from .facts import _LEADING, _LINKING, _PLACE_WORDS, _TIME_WORDS, Fact, head_of, normalised_value, same_value
from .gloss import MAGNITUDES, UNIT_CONVERSIONS
from .periods import Period
from .places import find_places, place_base
from .query import glossary, is_english, synonyms, to_simplified
from .tokens import normalise
from .figures import KIND_OF_UNIT
from .vocabulary import (ANNUAL_MEAN, ASKS_AVERAGE, BOUNDS, GENERIC_COUNTERS, ITEM_JOIN, MAGNITUDE, MONEY_ASKED, NEWLY_ADDED,
                         PERIOD_AND_STANCE_WORDS, RISE_OR_CHANGE_WORDS, bound_before, fall_before, range_after,
                         sentence_before)

COLUMNS = ("result", "target")  # a series table's columns; an estimate stands in the result column
MAX_YEARS = 40  # a run of years longer than this is cut to its last MAX_YEARS
_YEAR = r"((?:19|20)\d{2})"
_DASH = r"\s*(?:—|–|-|－|~|～|至|到|\bto\b|\band\b|\bthrough\b)\s*"
_RANGE = re.compile(rf"{_YEAR}\s*(?:年)?{_DASH}{_YEAR}\s*年?", re.I)
# years named one by one: 2004年、2007年和2012年, 2024 and 2025
_LISTED_YEARS = re.compile(rf"{_YEAR}\s*年?(?:\s*(?:、|，|,|和|与|及|以及|\band\b|&)\s*{_YEAR}\s*年?)+", re.I)
_SINCE = re.compile(rf"{_YEAR}\s*年?\s*(?:以来|来|起|之后|以后)|(?:\bsince|\bafter|\bfrom)\s+{_YEAR}", re.I)
_EVERY_YEAR = re.compile(r"历年|逐年|各年|每年|多年来|\bover the years\b|\bevery year\b|\beach year\b|\byear by year\b|"
                         r"\bover time\b|\bhistor(?:y|ical)\b", re.I)
_EVERY_PLACE = re.compile(r"各省|各省份|各省区市|各地区|各地|分省|\b(?:the |all |each |by |across |of )?provinces\b|"
                          r"\bby province\b|\bprovincial\b|\beach province\b", re.I)
_TREND = re.compile(r"走势|趋势|变化情况|变化|怎么变|如何变化|\bhow (?:has|have|did)\b|\bchanged?\b|\bmoved?\b|"
                    r"\btrend\b|\bevolved?\b", re.I)
_TARGET = re.compile(r"目标|预期|计划|预算安排|安排数|预算数|上限|\btargets?\b|\bgoals?\b|\bplanned\b|\bplan\b|\bbudgeted\b|"
                     r"\bceilings?\b|\bcaps?\b",
                     re.I)
_BESIDES_TARGET = re.compile(r"(?:以及|(?<=[年末底）)])及|及(?=\s*(?:19|20)\d{2})|[，,]\s*(?:并且?|及|和|\band\b))[^，,。？?]{0,40}?(?:目标|预期|\btargets?\b|\bgoals?\b)",
                             re.I)
_RESULT = re.compile(r"实际|完成|实绩|结果|达到多少|达到了多少|(?<!目标)(?<!目标是)达到|\bresults?\b|\bactual\b|\boutturns?\b|\bachieved\b", re.I)
_GROWTH = re.compile(r"增速|(?<!自然)增长率|增幅|涨幅|提高幅度|提高多少|(?<!自然)增长|降低|下降|\bgrowth(?: rates?)?\b|\bgrowth\b|\bgrew\b|\bincrease\b|"
                     rf"\bdecline\b|\breduction\b|\bfell\b|{RISE_OR_CHANGE_WORDS}", re.I)
# growth said not to be asked (export value, level in US dollars, not growth)
_NOT_GROWTH = re.compile(r"\b(?:not|rather than|instead of)\s+(?:the\s+)?growth\b|不是增速|而非增速|不是增长率?|不要增速", re.I)
# the scope of an English indicator, a qualifier rather than what is measured
_ENGLISH_SCOPE = re.compile(r"\bamong\s+(?:the\s+)?(?:industrial\s+)?(?:enterprises|firms|companies)\s+"
                            r"above[- ]designated[- ]size\b", re.I)
# the words of a series question that are not its indicator
_NOT_INDICATOR = re.compile(
    r"(?:19|20)\d{2}\s*年?(?:末|底|初)?|以来|以后|之后|历年|逐年|各年|每年|多年来|各省区市|各省份|各省|分省|各地区|各地|全国|我国|"
    r"目标|预期|计划|预算安排|安排|实际|完成|情况|控制|走势|趋势|变化幅度|变化|变动|提高幅度|提高多少|怎么变|如何|是多少|多少|分别|对比|比较|比上年|比去年|同比|较上年|的|了|"
    rf"{ITEM_JOIN.pattern}|，|,|？|\?|：|:|；|;|（|）|\(|\)|"
    r"—|–|-|－|~|～|(?<![\u4e00-\u9fff])(?:至|到)|(?<=[\d年])(?:至|到)|年[末底初]|(?<![老青少成])年(?!均|轻|龄)|增速|(?<!自然)增长率|增幅|涨幅|(?<!自然)增长|降低|下降|"
    r"[两三四五六七八九十几多]+个?(?:省份|省区|省|市|区|县|州|地)|"
    r"[“\"]?十[一二三四五六]五[”\"]?(?:末|期末|期间|时期|规划)?|达到|达|年度|年份|水平值|各是|是")
# a short aside in brackets inside a name, another word for the one before it (市场（经营）主体总量)
_ASIDE = re.compile(r"(?<=[\u4e00-\u9fff])[（(][\u4e00-\u9fff]{1,4}[）)](?=[\u4e00-\u9fff])")
# words a question may put inside an indicator's name (粮食实际产量): dropped, not a break between two names
_INSIDE_INDICATOR = re.compile(r"(?<=[\u4e00-\u9fff])(?:实际|完成的?)(?=产量|收入|支出|人数|投资|金额)")
_HEAD_PREFIX = re.compile(r"(?:国家级|国家|中央提出|保障|提出|出|把|将|使|确定|安排|实现|完成|开展|组织|实施|(?:新)?筹集|发行|(?:新)?建成|争取|预期|目标|年初|全年|今年|当年|地区|地方|国内|全社会|"
                          r"(?:银行业)?金融机构|设区(?:城)?市|建设|新建|改造|接待|注册|登记在册的?|在册|各类)+$")
_GROWTH_END = re.compile(r"(?:增速|增长率|增长|增幅)$")
_ENGLISH_SKIP = re.compile(r"\b(?:how|has|have|did|the|of|in|for|since|from|to|between|and|changed?|moved?|"
                           r"over|years?|provinces?|each|all|by|across|what|were|was|is|are|targets?|goals?|"
                           r"results?|actual|growth|trend|national|china'?s?|nationwide)\b", re.I)
_ENGLISH_SKIP_BUT_GROWTH = re.compile(_ENGLISH_SKIP.pattern.replace("growth|", ""), re.I)
# what may follow an indicator's name in a head without changing what it measures (居民消费价格总水平涨幅, 失业率低于)
_TAIL = re.compile(r"(?:完成投资|余额|通车|运营|营运|均值|平均值|新增|资金|总水平|水平|指数|总额|总量|总规模|规模|装机容量|装机|容量|交易额|成交额|销售额|营业额|数量|总数|人次|金额|额|产量|增加值|面积|里程|涨幅|增幅|增速|增长|人数|人口|低于|不高于|不超过|不低于|控制在|的|从|比|由|预算|预期|目标|拟定|拟)+$|" +
                   _LINKING.pattern)
# what an actor spends on (spending on social security, funds for affordable housing projects)
_PURPOSE = re.compile(r"\b(?:spend|spent|spending|expenditure|funds?|funding|allocations?|subsid(?:y|ies)|investment|money|outlays?)"
                      r" (?:on|for) (?:the )?(.+?)(?=[:;,.?]|\bin (?:19|20)\d\d|\b(?:actual|budget|from|between|since)\b|$)")
# the purpose named before the spending word (central government health spending)
_PURPOSE_BEFORE = re.compile(r"\bcentral(?: government)?(?: budget)?\s+(.+?)\s+(?:spending|expenditure|outlays?|funds?|funding)\b")
_ENGLISH_COUNTING = re.compile(r"\b(?:how many|number of)\b")
# who spends or acts, read alone where the question's words for what is measured were not understood
_ACTOR_ONLY = re.compile(r"中央|中央政府|中央财政|政府|财政|国家|地方|地方政府|各级政府")
# a question that asks for the amount itself (第三产业增加值（总量）), though the reports mostly state its growth
_LEVEL = re.compile(r"总量|总额|规模|绝对额|绝对值|\b(?:level|total|amount|value)s?\b", re.I)
_COMMUNIQUE = re.compile(r"统计公报|国民经济和社会发展统计")


@dataclass(frozen=True)
class SeriesAsk:
    """What a series question asks: the indicator (its variants), the places or years, and which stances."""

    question: str
    indicator: str  # the indicator as the reports name it (地区生产总值)
    variants: tuple[str, ...]  # the forms a fact's head may take (生产总值, 国内生产总值 …)
    growth: bool  # its growth rate, not its level
    first: int | None  # the run of years; None: from the first the reports state
    last: int | None  # None: to the last the reports state
    places: tuple[str, ...]  # the places named (their full names); empty with every_place or for the nation
    every_place: bool  # 各省, the provinces: one row per provincial report
    stances: tuple[str, ...]  # result, target or both
    english: bool
    years: tuple[int, ...] = ()  # years named one by one (2004年、2007年和2012年): only these rows; () for a run
    pairs: tuple[tuple[str, int], ...] = ()  # each place with its own years (徐水区2018年、清苑县2004年): only these rows


@dataclass(frozen=True)
class SeriesCell:
    """One figure of the table: as written, in the series' unit, and where it is stated."""

    place: str
    year: int
    stance: str  # result, target or estimate (an estimate stands in the result column)
    text: str | None  # None: the reports do not state it
    value: float | None = None  # in the series' unit
    passage_id: str | None = None
    reference: str | None = None
    quote: str | None = None
    source: str | None = None  # the report's path in the index
    differs: tuple["SeriesCell", ...] = ()  # other reports' different figures for this cell
    position: int | None = field(default=None, compare=False, repr=False)  # its passage's position in the index
    fact: Fact | None = field(default=None, compare=False, repr=False)

    @property
    def stated(self) -> bool:
        return self.text is not None

    def to_dict(self) -> dict:
        return {"place": self.place, "year": self.year, "stance": self.stance, "value": self.value,
                "text": self.text, "passage_id": self.passage_id, "reference": self.reference,
                "differs": [{key: value for key, value in other.to_dict().items() if key != "differs"}
                            for other in self.differs]}


@dataclass(frozen=True)
class SeriesRow:
    """A year of one place, or a place in one year: its result and target cells."""

    place: str
    year: int
    result: SeriesCell | None  # None when the result column was not asked
    target: SeriesCell | None

    def cells(self) -> list[SeriesCell]:
        return [cell for cell in (self.result, self.target) if cell is not None]


# what a series could not do, in the reader's language
NOTICE_TEXT = {
    "other_units": ("单位不是{unit}的数字未列入", "figures in units other than {unit} were left out"),
    "no_figure": ("没有存储的数字指向{indicator}", "no stored figure names {indicator}"),
    "other_years": ("这些报告载明{indicator}的年份是{first}–{last}，不是所问的年份",
                    "these reports state {indicator} for {first}–{last}, not for the years asked"),
}
_NO_UNIT = ("无单位的数字", "a bare number")


@dataclass(frozen=True)
class SeriesNotice:
    key: str  # one of NOTICE_TEXT
    params: tuple[tuple[str, str], ...] = ()

    def text(self, language: str = "en") -> str:
        chinese = language == "zh"
        params = {name: value or _NO_UNIT[0 if chinese else 1] for name, value in self.params}
        return NOTICE_TEXT[self.key][0 if chinese else 1].format(**params)

    def __str__(self) -> str:
        return self.text("en")


@dataclass(frozen=True)
class Series:
    question: str
    indicator: str
    unit: str  # the series' unit: %, 万人, 亿元
    by: str  # "year" or "place": what the rows run over
    rows: tuple[SeriesRow, ...]
    notices: tuple[SeriesNotice, ...] = ()

    def cells(self) -> list[SeriesCell]:
        return [cell for row in self.rows for cell in row.cells()]

    @property
    def found(self) -> bool:
        return any(cell.stated for cell in self.cells())

    def to_dict(self, language: str = "en") -> dict:
        return {"question": self.question, "indicator": self.indicator, "unit": self.unit,
                "rows": [cell.to_dict() for cell in self.cells()],
                "notices": [notice.text(language) for notice in self.notices]}


# ---------------------------------------------------------------------------------------------- the question


def is_series_question(question: str) -> bool:
    """Whether a question asks for a series rather than one figure: a run of years, 以来 / since, 历年, or 各省 / the
    provinces with an indicator named."""
    text = normalise(question)
    if _RANGE.search(text) or _SINCE.search(text) or _EVERY_YEAR.search(text) or _EVERY_PLACE.search(text) \
            or len(_listed_years(text)) > 1 or len(_separate_places(text)) > 1:
        return bool(_indicator_of(text, is_english(text))[0])
    return False


def _listed_years(text: str) -> tuple[int, ...]:
    """The years a question names one by one (2004年、2007年和2012年), in order; () when it names a run or one."""
    listed = _LISTED_YEARS.search(text)
    # "between 2015 and 2020" is a run; "2004, 2007 and 2012", "2024 and 2025 actual" and 2024年和2025年 name years
    # one by one
    run = _RANGE.search(text)
    if run and re.search(r"\band\b", run.group(), re.I) and not re.search(r"\b(?:between|from)\s*$", text[:run.start()], re.I):
        run = None
    if not listed or (run and not re.search(r"[、，,]", listed.group())):
        return ()
    # every year the question names is a row (…in 2008 and 2020, and its targets for 2021 and 2025)
    return tuple(sorted({int(year) for year in re.findall(rf"(?<!\d){_YEAR}(?!\d)", text)}))


def _separate_places(text: str) -> list[str]:
    """The places a question names, other than the nation and than a place inside another it names (郑州市二七区
    is one place)."""
    mentions = [mention.place for mention in find_places(text) if mention.place.level != "national"]
    names = {place.name for place in mentions}
    return [place.name for place in mentions
            if not any(outer.name in names for outer in place.chain() if outer is not place)]


def read_series_question(question: str, places: tuple[str, ...] = (), years: tuple[int, ...] = (),
                         stance: str | None = None, index_places: frozenset[str] = frozenset()) -> SeriesAsk | None:
    """The series a question asks for, or None when it names no indicator the glossary or synonyms know. ``places``,
    ``years`` and ``stance`` (result, target, both) override what the question says; ``index_places``: the places
    of the index's reports (a district the place table does not know)."""
    from .placing import index_place_names, index_places_named

    english = is_english(question)
    text = question.strip() if english else to_simplified(normalise(question))
    names = index_place_names(frozenset(index_places)) if index_places else {}
    named_in_index = sorted(index_places_named(text, names), key=len, reverse=True) if names else []
    named_names = [name for name in names if (re.search(rf"\b{re.escape(name)}\b", text, re.I) if name.isascii()
                                              else name in text)]
    indicator, variants = _indicator_of(_without(text, named_names), english)
    for named_otherwise in _aside_readings(_without(text, named_names)):  # 造林（营造林）面积: 营造林面积 too
        variants = tuple(dict.fromkeys((*variants, *_indicator_of(named_otherwise, english)[1])))
    if not indicator:
        return None
    if _ASKS_NEW.search(text) and not any(NEWLY_ADDED.search(variant) for variant in variants):
        variants = (*variants, *(f"新增{variant}" for variant in variants))  # new firms above size: 新增规上工业企业
    first, last = _years_of(text)
    listed = _listed_years(text)
    if listed:
        first, last = listed[0], listed[-1]
    if years:
        first, last, listed = min(years), max(years), ()
    named = tuple(dict.fromkeys([mention.place.name for mention in find_places(text)
                                 if mention.place.level != "national"] + named_in_index))
    # 各地比较：云南、吉林…: the places listed are the rows, not every province
    every_place = bool(_EVERY_PLACE.search(text)) and not places and len(named) < 2
    if places:
        named = tuple(places)
    if every_place or len(named) > 1:
        if first is not None and last is None:
            last = first
    # targets asked besides (…实际增长，以及…的增长目标; …, and its targets for 2021): both columns
    asked_target, asked_result = bool(_TARGET.search(text)), bool(_RESULT.search(text) or _BESIDES_TARGET.search(text))
    clauses = [clause for clause in re.split(r"[，,；;？?。]", text) if re.search(r"(?:19|20)\d{2}", clause)]
    if asked_target and len(clauses) > 1 and not _TARGET.search(clauses[0]):
        asked_result = True  # 福建2025年达到多少，山西2030年目标是多少: a result asked beside the target
    elif asked_target and len(clauses) > 1 and not all(_TARGET.search(clause) for clause in clauses):
        # 保定市2021年目标，周口市2023年: a target said of one year, not of them all (国内生产总值增长目标：2003年、2004年)
        year = re.search(r"(?:19|20)\d{2}", clauses[0])
        asked_result = not _TARGET.search(clauses[0][:year.start()])
    stances = ("target",) if asked_target and not asked_result else ("result",) if asked_result and not asked_target \
        else COLUMNS
    if stance in COLUMNS:
        stances = (stance,)
    elif stance == "both":
        stances = COLUMNS
    return SeriesAsk(question=question, indicator=indicator, variants=variants, growth=bool(_GROWTH.search(_TREND.sub(" ", _NOT_GROWTH.sub(" ", text)))),
                     first=first, last=last, places=named, every_place=every_place, stances=stances, english=english,
                     years=listed, pairs=_place_years(text, named, names) if len(named) > 1 and not places else ())


def _place_years(text: str, named: tuple[str, ...], names: dict[str, str]) -> tuple[tuple[str, int], ...]:
    """Each place with the years the question gives it, when it gives the places different years (徐水区2018年、清苑县
    2004年; Zhoukou in 2023 and Baoding in 2024): the years after a place, up to the next, are its own, and places
    listed without years share the years of the next that has some (吉林、河北2024年). () when every place has the same
    years, or when years come before the places (2024年新疆、湖南…)."""
    mentions = [(m.start, m.end, m.place.name) for m in find_places(text) if m.place.name in named]
    for name, place in names.items():
        # a short name two places share (qingyuan: 清苑区, 清苑县) names the one the question was read to name
        place = place if place in named else next((p for p in named if place_base(p) == place_base(place)), place)
        if place in named:
            pattern = rf"\b{re.escape(name)}\b" if name.isascii() else re.escape(name)
            mentions += [(m.start(), m.end(), place) for m in re.finditer(pattern, text, re.I)]
    mentions = sorted({(start, end, place) for start, end, place in mentions
                       if not any(s <= start and end <= e and (s, e) != (start, end) for s, e, _ in mentions)})
    years = [(m.start(), int(m.group(1))) for m in re.finditer(rf"(?<!\d){_YEAR}(?!\d)", text)]
    if not mentions or not years or years[0][0] < mentions[0][0]:
        return ()
    own: list[tuple[str, set[int]]] = []
    for i, (start, end, place) in enumerate(mentions):
        until = mentions[i + 1][0] if i + 1 < len(mentions) else len(text)
        own.append((place, {year for at, year in years if end <= at < until}))
    for i in range(len(own) - 2, -1, -1):  # a place listed without years: the next group's
        if not own[i][1]:
            own[i] = (own[i][0], set(own[i + 1][1]))
    by_place: dict[str, set[int]] = {}
    for place, place_years in own:
        by_place.setdefault(place, set()).update(place_years)
    if len({frozenset(place_years) for place_years in by_place.values()}) <= 1 or set(by_place) != set(named):
        return ()
    return tuple(sorted((place, year) for place, place_years in by_place.items() for year in place_years))


def _without(text: str, names: list[str]) -> str:
    for name in sorted(names, key=len, reverse=True):
        text = re.sub(rf"\b{re.escape(name)}\b", " ", text, flags=re.I) if name.isascii() else text.replace(name, " ")
    return text


def _years_of(text: str) -> tuple[int | None, int | None]:
    span = _RANGE.search(text)
    if span:
        a, b = int(span.group(1)), int(span.group(2))
        return min(a, b), max(a, b)
    since = _SINCE.search(text)
    if since:
        return int(since.group(1) or since.group(2)), None
    years = [int(year) for year in re.findall(rf"(?<!\d){_YEAR}(?!\d)", text)]
    if years:
        return min(years), max(years) if len(years) > 1 else min(years)
    return None, None


_SHARE_OF = re.compile(r"\bshare of (.+?) (?:in|of|within) ")


_NAMED_OTHERWISE = re.compile(r"(?<=[\u4e00-\u9fff])[（(][\u4e00-\u9fff]{1,10}[）)]")


def _aside_readings(text: str) -> list[str]:
    """The question read with each aside in place of the words before it that it names otherwise: 造林（营造林）面积 →
    营造林面积, 市场（经营）主体 → 经营主体, 城镇居民收入（人均可支配收入） → 城镇居民人均可支配收入."""
    readings = []
    for aside in _NAMED_OTHERWISE.finditer(text):
        other, before = aside.group()[1:-1], text[:aside.start()]
        shared = next((size for size in range(len(other), 0, -1) if before.endswith(other[-size:])), 0)
        cut = len(before) - (shared or min(len(other), len(before)))
        readings.append(_ASIDE.sub("", before[:cut] + other + text[aside.end():]))
        if not shared:  # 市场（经营）主体: also 市场经营主体
            readings.append(_ASIDE.sub("", before + other + text[aside.end():]))
        # 新登记（新设）经营主体: the aside names the longer word that begins as it does (新设经营主体)
        longer = next((size for size in (len(other) + 1, len(other) + 2)
                       if size <= len(before) and before[-size] == other[0]
                       and (size == len(before) or before[-size - 1] in "，,、：: ")), None)
        if longer:
            readings.append(_ASIDE.sub("", before[:-longer] + other + text[aside.end():]))
    return readings


def _indicator_of(text: str, english: bool) -> tuple[str, tuple[str, ...]]:
    """The indicator a series question names, as the reports name it, and the variants a fact's head may take."""
    named_in_chinese = _CHINESE_NAME_IN_BRACKETS.search(text) if english else None
    if named_in_chinese:  # Newly added skilled workers (新增技能人才): the reports' own name
        return _indicator_of(named_in_chinese.group(1), english=False)
    stripped = text
    for mention in sorted(find_places(text), key=lambda m: m.start, reverse=True):  # Inner Mongolia is no indicator
        stripped = stripped[:mention.start] + " " + stripped[mention.end:]
    if english:
        stripped = re.sub(r"\([^)]*\)", " ", stripped)  # (in US dollars): a unit, not the indicator
        plain = re.sub(r"['’]s\b|(?<=s)['’]", "", re.sub(r"(?:19|20)\d{2}", " ", stripped.lower()))  # residents' → residents
        scoped = _ENGLISH_SCOPE.sub(" ", plain)  # light industry among firms above designated size: light industry
        if _longest_phrase(scoped)[0]:
            plain = scoped
        # the glossary's phrase with its growth words (industrial output growth), else without them (GDP growth)
        # and as written, where the phrase holds a skipped word (total value of imports and exports)
        share = _SHARE_OF.search(plain)  # the share of livelihood spending in budget expenditure: of the first
        if share and _longest_phrase(share.group(1))[0]:
            plain = share.group(1)
        with_growth = max(_longest_phrase(_ENGLISH_SKIP_BUT_GROWTH.sub(" ", plain)), _longest_phrase(plain),
                          key=lambda found: found[0])
        without_growth = _longest_phrase(_ENGLISH_SKIP.sub(" ", plain))
        _, chinese = max(with_growth, without_growth, key=lambda found: found[0])
        if not chinese:
            return "", ()
        words = [term for term in chinese if re.search(r"[\u4e00-\u9fff]", term)]
        if words and len(words[0]) < 2:  # how many companies … went public: a counter, not what is counted
            _, chinese = _longest_phrase(_ENGLISH_COUNTING.sub(" ", plain))
            words = [term for term in chinese if re.search(r"[\u4e00-\u9fff]", term)]
            if not words:
                return "", ()
        indicator = words[0] if words else chinese[0]
        if with_growth[0] > without_growth[0]:
            indicator = _GROWTH_END.sub("", indicator) or indicator  # 规模以上工业增加值增速: the indicator, its growth
    else:
        stripped = _ASIDE.sub("", stripped)
        whole = _known_name_in(normalise(stripped))  # 研究与试验发展经费投入强度: a name holding 与 kept whole
        stripped = _NOT_INDICATOR.sub(" ", _INSIDE_INDICATOR.sub("", stripped.replace(whole, " ")) if whole else
                                      _INSIDE_INDICATOR.sub("", stripped))
        if whole:
            stripped = f"{stripped} {whole}"
        pieces = [piece for piece in stripped.split() if len(re.sub(r"[^\u4e00-\u9fff]", "", piece)) >= 2
                  and not _UNIT_ALONE.fullmatch(piece)]  # 各达到多少亿元: a unit asked, not what is measured
        if not pieces:
            return "", ()
        known = synonyms().canonical
        # the piece the synonyms know (森林覆盖率), else the longest
        indicator = max(pieces, key=lambda piece: (normalise(piece) in known or normalise(piece) in known.values(),
                                                   len(piece)))
        if normalise(indicator) not in known and indicator.endswith("总量") and normalise(indicator[:-2]) in known:
            indicator = indicator[:-2]  # GDP总量: GDP's level
        scoped = re.match(r"(?:全社会|全省|全市|全国|全部)(?=..)", indicator)
        if scoped and normalise(indicator) not in known and normalise(indicator[scoped.end():]) in known:
            indicator = indicator[scoped.end():]  # 全社会研发经费投入: 研发经费投入, whose variants are known
    if _ACTOR_ONLY.fullmatch(normalise(indicator)):  # Central government spending on …: who spends, not on what
        purpose = (_PURPOSE.search(plain) or _PURPOSE_BEFORE.search(plain)) if english else None
        found = _longest_phrase(purpose.group(1)) if purpose else (0, [])
        named = [term for term in found[1] if re.search(r"[\u4e00-\u9fff]", term)]
        if not named or _ACTOR_ONLY.fullmatch(named[0]):
            return "", ()
        actor = normalise(indicator) if normalise(indicator).endswith("财政") else "中央财政"
        # 中央财政用于社会保障的资金, 中央财政安排社会保障支出: what the actor spends on the purpose, in its usual words
        variants = tuple(dict.fromkeys(f"{actor}{name}{spent}" for name in named[:2] for spent in ("支出", "资金", "投入")))
        return variants[0], variants
    known = synonyms().canonical
    looked_up = normalise(indicator)
    stem = _MEASURE_TAIL.sub("", looked_up)
    if looked_up not in known and looked_up not in known.values() and stem != looked_up and \
            (stem in known or stem in known.values()):
        looked_up = stem  # 第三产业增加值: the variants of 第三产业 (三产增加值, 服务业 …)
    canonical = known.get(looked_up, looked_up if looked_up != normalise(indicator) else indicator)
    variants = [canonical] + [variant for variant, name in known.items() if name == canonical]
    if looked_up == stem and normalise(indicator).startswith(stem) and normalise(indicator) != stem:
        tail = normalise(indicator)[len(stem):]  # 二产增加值: the stem's short names with the measure named
        variants += [variant + tail for variant in variants[1:] if not variant.endswith(tail)]
    variants = [v for v in dict.fromkeys(variants)
                if len(re.sub(r"[^\u4e00-\u9fff]", "", v)) >= 3 or re.fullmatch(r"(?=.{2,5}$)[a-z]{1,4}\d?", v, re.I)]  # M2, GDP
    if _QUALIFIER_ONLY.fullmatch(normalise(indicator)) or _MEASURE_ONLY.fullmatch(normalise(indicator)):
        return "", ()  # newly added …, how fast … grew: a qualifier or a measure, no indicator
    if indicator not in variants:
        variants.insert(0, indicator)
    if english:  # the glossary's other Chinese names of the phrase (non-financial outward direct investment)
        variants += [term for term in words[1:] if term not in variants and len(term) >= 4
                     and not _ACTOR_ONLY.fullmatch(term)]  # 中央财政 alone is who spends, not what
    return (canonical if english else indicator), tuple(variants)


_CHINESE_NAME_IN_BRACKETS = re.compile(r"[(（]\s*([\u4e00-\u9fff“”\"]{3,20})\s*[)）]")
_UNIT_ALONE = re.compile(rf"(?:{MAGNITUDE})*(?:{'|'.join(re.escape(unit) for unit in sorted(KIND_OF_UNIT, key=len, reverse=True))})")
_QUALIFIER_ONLY = re.compile(r"新增|新建|累计|净增|全年|年均|人均|总量|总额|新")
_MEASURE_ONLY = re.compile(r"增速|增长率|增长速度|增幅|增长|涨幅|降幅|比重|占比|比例")


def _known_name_in(text: str) -> str:
    """The longest name the synonyms know that a question holds verbatim, when it holds a word that would otherwise
    split it (与, 和, 的); "" when none."""
    return next((name for name in _joined_names() if name in text), "")


@lru_cache(maxsize=1)
def _joined_names() -> tuple[str, ...]:
    """The synonyms' names holding a joining word (研究与试验发展经费投入强度), longest first: read once."""
    return tuple(sorted((name for name in synonyms().canonical if re.search(r"与|和|及|的", name) and len(name) >= 5),
                        key=len, reverse=True))


def _longest_phrase(text: str) -> tuple[int, list[str]]:
    """The Chinese terms of the longest English phrase of the glossary in ``text`` (registered urban unemployment
    rate, not registered), with its length in words."""
    from .query import _words

    words, table = _words(MONEY_ASKED.sub("how much", text)), glossary()
    best: tuple[int, list[str]] = (0, [])
    for start in range(len(words)):
        for size in range(min(table.longest, len(words) - start), best[0], -1):
            terms = table.phrases.get(tuple(words[start:start + size]))
            if terms and not set(terms) <= PERIOD_AND_STANCE_WORDS:  # at the end of the plan: when, not what
                best = (size, terms)
                break
    return best


# ---------------------------------------------------------------------------------------------- the facts


@dataclass(frozen=True)
class StoredFact:
    fact: Fact
    position: int
    source: str


_FACTS: "weakref.WeakKeyDictionary[object, tuple[StoredFact, ...]]" = weakref.WeakKeyDictionary()
_PAIRS: "weakref.WeakKeyDictionary[object, dict[str, tuple[int, ...]]]" = weakref.WeakKeyDictionary()
_BY_HEAD: "weakref.WeakKeyDictionary[object, dict[str, tuple[StoredFact, ...]]]" = weakref.WeakKeyDictionary()


def _once_per_store(cache: weakref.WeakKeyDictionary, store, build):
    """What ``build()`` reads from ``store``, kept for as long as the store is open (built each time for a store that
    cannot be weakly referenced)."""
    try:
        cached = cache.get(store)
    except TypeError:
        return build()
    if cached is None:
        cached = cache[store] = build()
    return cached


def facts_naming(store, variants: tuple[str, ...]) -> list[StoredFact]:
    """The stored facts whose plain head or indicator holds every character pair of one of the indicator's forms: the
    only ones that can name it (``named_form_length``), found through an index of character pairs built once per
    open store (``variants`` empty: only build it)."""
    facts = stored_facts(store)
    postings = _once_per_store(_PAIRS, store, lambda: _pair_postings(facts))
    forms = _firm_forms(_share_forms(_variant_forms(variants)))
    if any(len(form) < 2 for form in forms):
        return list(facts)
    numbers: set[int] = set()
    for form in forms:
        lists = sorted((postings.get(pair, ()) for pair in _pairs(form)), key=len)
        if lists and lists[0]:
            numbers.update(set(lists[0]).intersection(*lists[1:]))
    return [facts[number] for number in sorted(numbers)]


_ASKS_NEW = re.compile(r"新增|\b(?:new|newly|added)\b", re.I)
_ASKS_ADDED = re.compile(r"新增|新建|新开工|新投产|净增|建设|建成|完成|改造|就业|淘汰|脱贫|培训|转移|\b(?:new|newly|added|adds?|built|builds?|"
                         r"constructed)\b", re.I)


# what is only ever counted by the year (专利授权量): 新增 before it adds nothing
_COUNTED_BY_YEAR = re.compile(r"授权|申请")


def _flow_for_level(fact: Fact, ask: SeriesAsk) -> bool:
    """新建新能源装机1500万千瓦 is what one year adds, not the 新能源装机规模 asked: a figure named as newly added,
    when the question does not ask what is added."""
    return bool(NEWLY_ADDED.search(fact.head) or "新增" in fact.qualifiers) and not _ASKS_ADDED.search(ask.question) and \
        not any(NEWLY_ADDED.search(variant) or _COUNTED_BY_YEAR.search(variant) for variant in ask.variants)


def _average_for_year(fact: Fact, ask: SeriesAsk) -> bool:
    """社会消费品零售总额年均增长5% is an average over years, never one year's growth, unless an average is asked (a
    level's 年均, as PM2.5年均浓度, is how the level is measured)."""
    return "年均" in fact.qualifiers and fact.measure == "change" and not ASKS_AVERAGE.search(ask.question) and \
        not any("年均" in variant for variant in ask.variants)


def names_elsewhere(store, name: str) -> bool:
    """Some stored fact of the index is named ``name`` (its head ends in it): the reports measure such a thing."""
    plain = _plain_name(name)
    return len(plain) >= 3 and any(_plain_name(stored.fact.head).endswith(plain) for stored in facts_naming(store, (plain,)))


def _pair_postings(facts: tuple[StoredFact, ...]) -> dict[str, tuple[int, ...]]:
    found: dict[str, list[int]] = {}
    for number, stored in enumerate(facts):
        added = "|新增" + stored.fact.head if "新增" in stored.fact.qualifiers else ""
        added += "".join("|" + _plain_name(name.replace("…", "")) for name in (stored.fact.head, stored.fact.indicator)
                         if "…" in name)
        for pair in _pairs(_plain_name(stored.fact.head) + "|" + _plain_name(stored.fact.indicator) + added):
            found.setdefault(pair, []).append(number)
    return {pair: tuple(numbers) for pair, numbers in found.items()}


def _pairs(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)}


def stored_facts(store) -> tuple[StoredFact, ...]:
    """Every dated figure of the index with its passage's position, read once per open store."""
    return _once_per_store(_FACTS, store, lambda: _read_facts(store))


def _read_facts(store) -> tuple[StoredFact, ...]:
    sources = getattr(store, "sources", None)
    columns = getattr(store, "columns", None)
    found = []
    for position in range(len(store)):
        facts = store.facts(position)
        if not facts:
            continue
        source = sources[int(columns["source"][position])] if sources is not None and columns is not None \
            else store.passage(position).source
        facts = _ends_named(store, position, facts)
        found += [StoredFact(fact, position, source) for fact in facts
                  if fact.kind not in ("year", "date") and fact.value is not None]
    return tuple(found)


_TO = re.compile(r"[^，。；;]{0,14}(?:到|至)[^，。；;]{0,8}")


def _ends_named(store, position: int, facts: tuple[Fact, ...]) -> tuple[Fact, ...]:
    """In 国内生产总值从26.6万亿元增加到51.9万亿元 the indicator is stored with where the change started; where it went
    takes it too."""
    named = list(facts)
    figures = [i for i, fact in enumerate(named) if fact.kind not in ("year", "date")]  # 从1997年的…增加到2002年的…
    for before, i in zip(figures, figures[1:]):
        start, end = named[before], named[i]
        if "起点" in start.qualifiers and not end.indicator and end.unit == start.unit and start.indicator:
            if _TO.fullmatch(store.text(position)[start.end:end.start]):
                named[i] = replace(end, indicator=start.indicator, head=start.head)
    return tuple(named)


# 粮食总产量 is 粮食产量, 进出口总额 is 进出口额: a 总 before what is totalled says nothing more (粮食总产: 粮食产量);
# 财政总收入 is not 财政收入 (it holds more than the budget revenue)
_TOTAL = re.compile(r"总(?=产量|额|量|人数|人次|花费|产值|规模|里程|面积)")
# words inside a name that do not change what it measures: 中央财政用于科技的支出 is 中央财政科技支出, 金融机构本外币各项存款余额
# 金融机构存款余额, 空气质量优良天数比率 its 比例
_FILLER = re.compile(r"(?<=[\u4e00-\u9fff])(?:用于|解决|(?:将|拟)?安排|本外币|各项|各类|全年|今年|当年|实现|海内外|国内外|的)(?=[\u4e00-\u9fff])")
# what a name may end with when it asks for a count or a work: 高新技术企业数量 is counted as 高新技术企业, 高标准农田建设 in mu
_VARIANT_TAIL = re.compile(r"(?<=[\u4e00-\u9fff]{2})(?:覆盖人数|水平|人次|[套家所项条户座辆台间艘架列]数|数量|总数|个数|数目|人数|数|建设|总量|规模|面积|通车里程|总里程|里程|容量)$")
# what is measured of a named thing, after its name (第三产业增加值, 市场主体总量)
_MEASURE_TAIL = re.compile(r"(?<=..)(?:增加值|总量|规模|数量|面积|人数|人次|水平|[套家所项条户座辆台间艘架]数)$")
# a work named after its object (老旧小区改造) as reports also name it before (改造老旧小区)
_WORK_AFTER = re.compile(r"^([\u4e00-\u9fff]{2,})(改造提升|改造|建设|整治|治理|发行)$")
# a name's Latin alias after it: 广义货币M2, 广义货币（M2）, 居民消费价格指数(CPI)
_ALIAS = re.compile(r"(?<=[\u4e00-\u9fff])[（(]?[a-z]{1,4}\d?[）)]?(?=[\u4e00-\u9fff]|$)")


@lru_cache(maxsize=65536)  # every stored fact's head is compared at each question
def _plain_name(name: str) -> str:
    """An indicator's name as heads and variants are compared: normal form, GDP of any level as 生产总值, no Latin
    alias, no 总 before what is totalled."""
    named = re.sub(r"(?:国内|地区)生产总值|gdp", "生产总值", normalise(name))  # 单位GDP能耗 is 单位地区生产总值能耗
    named = re.sub(r"(每[十百千万]+人)口", r"\1", named)  # 每千人口托位数 is 每千人托位数
    named = re.sub(r"[“”\"‘’'「」『』]", "", named)  # 专精特新“小巨人”: quotes are no part of a name
    plain = _TOTAL.sub("", re.sub(r"总产$", "产量", _ALIAS.sub("", named)))
    return re.sub(r"比率$", "比例", _FILLER.sub("", plain))


@lru_cache(maxsize=256)
def _variant_forms(variants: tuple[str, ...]) -> tuple[str, ...]:
    """Each variant as a fact's head would hold it too: without its qualifiers (城镇常住居民人均可支配收入 →
    城镇常住居民可支配收入), longest first."""
    forms = {_plain_name(form) for variant in variants for form in (variant, head_of(variant)) if form}
    # 高新技术企业数量 as 高新技术企业; PM2.5年均浓度 as PM2.5浓度
    forms |= {_VARIANT_TAIL.sub("", form) for form in forms} | {form.replace("年均", "") for form in forms if "年均" in form[1:]}
    forms |= {_plain_name(_VARIANT_TAIL.sub("", variant)) for variant in variants}  # before 总量 loses its 总
    forms |= {f"{work.group(2)}{work.group(1)}" for form in forms for work in [_WORK_AFTER.match(form)] if work}
    forms |= {re.sub(r"(?<=[\u4e00-\u9fff]{3})(?:总额|总值|额)$", "", form) for form in forms}  # 进出口总额: 进出口
    # 国家外汇储备: 外汇储备; 金融机构存款余额: 存款余额 (全县存款余额)
    forms |= {re.sub(r"^(?:国家|全国|我国|(?:银行业)?金融机构)(?=..)", "", form) for form in forms}
    forms |= {re.sub(r"^国家级(?=..)", "", form) for form in forms}  # 国家级专精特新企业: 专精特新企业 too
    # 城市低保 is also written 城镇低保, 农村居民 乡村居民, and 低保标准 低保保障标准
    forms |= {form.replace(a, b) for form in forms for a, b in (("城市", "城镇"), ("城镇", "城市"), ("农村居民", "乡村居民"),
                                                                ("低保标准", "低保保障标准")) if a in form}
    # what a government spends on a purpose is its 支出 or its 投入 (中央财政用于教育的投入)
    # (中央财政教育支出, 财政用于教育的投入): of a purpose named; 财政投入 alone is what one programme got, not all spending
    forms |= {form[:-2] + other for form in forms if "财政" in form and not re.fullmatch(r"(?:地方|中央)?财政..", form)
              for end, other in (("支出", "投入"), ("投入", "支出")) if form.endswith(end)}
    return tuple(sorted(forms, key=len, reverse=True))


# 民生支出占一般公共预算支出比例: a share of the indicator in a whole named after it
_SHARE_OF_WHOLE = re.compile(r"占[\u4e00-\u9fff]{2,14}?的?(?:比重|比例|比)?")


@lru_cache(maxsize=256)
def _firm_forms(forms: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted({*forms, *(form[:-2] for form in forms if form.endswith("企业") and len(form) >= 6)},
                        key=len, reverse=True))


@lru_cache(maxsize=256)
def _share_forms(forms: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys([*forms, *(re.sub(r"(?<=..)(?:比例|比重)$", "", form) for form in forms)]))


# before the indicator in a longer name: a narrower kind of it (单位国内生产总值能耗, 制造业贷款余额, 重组省重点实验室)
_KIND_BEFORE = re.compile(r"(?:单位|跨境电商|制造业|装备|农林牧渔|农产品|小微企业|小微|普惠|绿色|科技型?|涉农|消费|民营|国有|外资|"
                          r"省级?|市级?|县级?|国家级?|重组|[轻重]工业|高技术|战略性新兴产业|数字经济|海洋|县域|园区|开发区)$")
_CHANGE_FROM = re.compile(r"[从由]")  # after it: a change from one level to another (城镇调查失业率从…降到)


def _named_within(fact: Fact, variants: tuple[str, ...]) -> bool:
    """The fact's head or indicator holds one of the indicator's forms (of three characters or more) whole, after
    no narrower kind and before no change from one level: what it measures is named within a longer name."""
    forms = _variant_forms(variants)
    forms = _firm_forms(forms) if fact.unit == "家" else _share_forms(forms) if fact.unit == "%" else forms
    for name in {_plain_name(fact.head), _plain_name(fact.indicator)}:
        for form in forms:
            at = name.find(form)
            if len(form) < 3 or at < 0 or _KIND_BEFORE.search(name[:at]) or _CHANGE_FROM.search(name[at + len(form):]):
                continue
            return True
    return False


def names_indicator(fact: Fact, variants: tuple[str, ...]) -> bool:
    """The fact's head is one of the indicator's forms, with nothing before it but time, place or stance words."""
    return named_form_length(fact, variants) > 0


def named_form_length(fact: Fact, variants: tuple[str, ...]) -> int:
    """The length of the longest of the indicator's forms the fact's head names (0: none): of two facts of one cell,
    the one named more closely (地方一般预算收入 for 一般预算收入, not 财政收入) is shown."""
    forms = _variant_forms(variants)
    if fact.unit == "%":  # a share named without its 比例 (空气质量优良天数92.9%)
        forms = _share_forms(forms)
    elif fact.unit == "家":  # firms counted under their kind's name (专精特新“小巨人”322家 for 专精特新小巨人企业)
        forms = _firm_forms(forms)
    # the head, and the indicator as written where the head was cut short (广义货币M2预期增长目标拟定)
    # and, for one of a list led by 新增 (新增高新技术企业3500家、科技型中小企业7533家), the head with its 新增
    added = (f"新增{fact.head}",) if "新增" in fact.qualifiers and not NEWLY_ADDED.search(fact.head) else ()
    # a name the figure stands inside (新增450万农村沼气用户: 新增…农村沼气用户) read as one (新增农村沼气用户)
    joined = tuple(name.replace("…", "") for name in (fact.head, fact.indicator) if "…" in name)
    for written in dict.fromkeys((fact.head, fact.indicator, *added, *joined)):
        head = _plain_name(written)
        for variant in forms:  # longest first
            at = head.rfind(variant)
            rest = head[at + len(variant):]
            if at < 0 or (_TAIL.sub("", rest) and not (fact.unit == "%" and _SHARE_OF_WHOLE.fullmatch(rest))):
                continue
            before = _TIME_WORDS.sub("", _PLACE_WORDS.sub("", head[:at]))
            before = _HEAD_PREFIX.sub("", _LEADING.sub("", _LINKING.sub("", before)))
            before = re.sub(r"^.*[\u4e00-\u9fff]等$", "", before)  # 大数据、智能终端等数字经济核心产业: examples of it
            if before == "新增" and _COUNTED_BY_YEAR.search(variant):
                before = ""  # 新增授权专利 is the year's grants, as 专利授权量 is
            if before == "全部" and not re.search(r"财政|收入", variant):
                before = ""  # 全部贷款余额 is all loans; 全部财政收入 is another total than 财政收入
            if not before:
                return len(variant)
    return 0


SUBJECT_WINDOW = 60  # characters of its paragraph before a figure where the subject of a bare measure may be named


def _facts_by_plain_head(store) -> dict[str, tuple[StoredFact, ...]]:
    """The facts whose indicator is its head alone (投入强度), by that head's plain name, once per open store."""
    def build():
        found: dict[str, list[StoredFact]] = {}
        for stored in stored_facts(store):
            if stored.fact.head and _plain_name(stored.fact.indicator) == _plain_name(stored.fact.head):
                found.setdefault(_plain_name(stored.fact.head), []).append(stored)
        return {head: tuple(facts) for head, facts in found.items()}
    return _once_per_store(_BY_HEAD, store, build)


def named_by_subject_before(store, variants: tuple[str, ...]) -> list[tuple[StoredFact, int]]:
    """Facts named by a bare measure whose subject the paragraph names just before: 研发经费投入增长25%、投入强度提升至1.4%
    (研发投入强度), ——粮食生产再创新高。…总产量达到853.2亿斤 (粮食产量). The fact's whole name is the end of one of the
    indicator's forms; the rest of that form stands in the ``SUBJECT_WINDOW`` characters before the figure, in its
    paragraph. Each with the length of the form so named."""
    by_head = _facts_by_plain_head(store)
    found, seen = [], set()
    for form in _variant_forms(variants):
        for cut in range(2, len(form) - 1):
            subject, measure = form[:cut], form[cut:]
            if len(NEWLY_ADDED.sub("", subject)) < 2:  # 新增 names what a year adds, not what is measured
                continue
            for stored in by_head.get(measure, ()):
                if id(stored) in seen:
                    continue
                text = store.text(stored.position)
                before = normalise(text[max(0, stored.fact.start - SUBJECT_WINDOW):stored.fact.start]).rsplit("\n", 1)[-1]
                if subject in before:
                    seen.add(id(stored))
                    found.append((stored, len(form)))
    return found


# what a government spends on a purpose, named apart: 中央财政 + 再就业 + 支出 (中央财政预算安排再就业补助资金83亿元)
_SPENDING = re.compile(r"^(中央财政|地方财政|各级财政|财政)(.{2,10}?)(支出|资金|投入|经费|补助资金|补助)$")
_MONEY_WORDS = re.compile(r"支出|资金|投入|经费|补助|补贴")


def spent_on_purpose(store, variants: tuple[str, ...]) -> list[tuple[StoredFact, int]]:
    """The money facts whose name holds a spending indicator's actor, purpose and a money word with other words
    between them (中央财政预算安排再就业补助资金 for 中央财政再就业支出; 中央财政安排就业再就业资金), each with the length
    of the actor and purpose so named. Only for an indicator named as an actor's spending on a purpose."""
    spending = [match for variant in variants if (match := _SPENDING.match(_plain_name(variant)))]
    if not spending:
        return []
    found, seen = [], set()
    for match in spending:
        actor, purpose = match.group(1), match.group(2)
        for stored in facts_naming(store, (purpose,)):
            name = _plain_name(stored.fact.indicator)
            at = name.find(actor)
            if id(stored) in seen or stored.fact.kind != "money" or at < 0 or purpose not in name[at:] \
                    or not _MONEY_WORDS.search(name[name.find(purpose, at) + len(purpose):]):
                continue
            seen.add(id(stored))
            found.append((stored, len(actor) + len(purpose)))
    return found


# ---------------------------------------------------------------------------------------------- the answer


@dataclass(frozen=True)
class Candidate:
    stored: StoredFact
    preference: int  # 0: the report that reviews the year (or sets its target); higher: less preferred
    named: int = 0  # the length of the indicator's form its head names: longer is closer


def answer_series(store, ask: SeriesAsk, reference_of=None, named_within: bool = True) -> Series:
    """The table a series question asks for, from the facts stored in ``store``. ``reference_of``: passage position
    → (passage id, reference, quote), the citation of a cell (defaults to ``qa.citations.cite``). ``named_within``: a
    cell no fact names the indicator for as its own name may be filled by a fact naming it within a longer name
    (新建和改造提升高标准农田, 减税降费及退税)."""
    documents = getattr(store, "documents", None) or {}
    cite = reference_of or _citer(store)
    naming = facts_naming(store, ask.variants)
    named = {id(stored): length for stored in naming if (length := named_form_length(stored.fact, ask.variants))
             and not _flow_for_level(stored.fact, ask) and not _average_for_year(stored.fact, ask)}
    for stored, length in named_by_subject_before(store, ask.variants):
        if id(stored) not in named and not _flow_for_level(stored.fact, ask) and not _average_for_year(stored.fact, ask):
            naming.append(stored)
            named[id(stored)] = length
    for stored, length in spent_on_purpose(store, ask.variants):
        if id(stored) not in named and not _average_for_year(stored.fact, ask):
            naming.append(stored)
            named[id(stored)] = length
    facts = [stored for stored in naming if id(stored) in named]
    asked_sides = sides_named(ask.question, english=is_english(ask.question))
    within = [stored for stored in naming if id(stored) not in named and _named_within(stored.fact, ask.variants)
              and sides_named(stored.fact.indicator) - REFUSING_SIDES <= asked_sides
              and not _flow_for_level(stored.fact, ask) and not _average_for_year(stored.fact, ask)] \
        if named_within else []
    wants = _wanted(ask, facts)
    places = _row_places(ask, documents, facts)
    known_places = {info.place for info in documents.values() if info.place}
    by_cell: dict[tuple[str, int, str], list[Candidate]] = {}
    within_cells: dict[tuple[str, int, str], list[Candidate]] = {}
    for stored in facts + within:
        fact = stored.fact
        is_within = id(stored) not in named
        info = documents.get(stored.source)
        place = _fact_place(fact, info, places)
        if place is None:
            continue
        stance = "target" if fact.stance == "target" else "result"
        if stance not in ask.stances:
            continue
        year, from_span = _year_of(stored, stance, info, store)
        if year is None:
            continue
        check = check_fact(replace(fact, period_first=year, period_last=year), 1,
                           replace(wants, period=Period(year, year, plan=stance == "target")),
                           KeyTerms(()), _source(info, place))
        if not check.agrees:
            continue
        (within_cells if is_within else by_cell).setdefault((place, year, stance), []).append(
            Candidate(stored, SPAN_PREFERENCE if from_span else _preference(fact, stance, info, stored.source),
                      0 if is_within else named[id(stored)]))
    # in a unit the facts named as their own already give, where they do
    own_units = {c.stored.fact.unit for candidates in by_cell.values() for c in candidates}
    for key, candidates in within_cells.items():
        fitting = [c for c in candidates if not own_units or c.stored.fact.unit in own_units]
        if key not in by_cell and fitting:
            by_cell[key] = fitting
    by_cell = {key: sorted(candidates, key=_cell_order) for key, candidates in by_cell.items()}
    years = _row_years(ask, by_cell)
    notices = []
    unit, factor, kept = _series_unit(by_cell)
    if kept is not None:
        # a figure in a unit that converts (亿斤 beside 万吨) stays, its value converted; others are dropped
        fits = lambda fact: fact.unit == kept or (fact.unit, kept) in UNIT_CONVERSIONS or \
            (fact.unit in GENERIC_COUNTERS and kept in GENERIC_COUNTERS)  # 5G基站9.5万座 beside 24.2万个
        dropped = {key: [c for c in candidates if not fits(c.stored.fact)] for key, candidates in by_cell.items()}
        if any(dropped.values()):
            notices.append(SeriesNotice("other_units", (("unit", kept),)))
        by_cell = {key: [c for c in candidates if fits(c.stored.fact)] for key, candidates in by_cell.items()}
    rows = []
    by = "place" if ask.every_place or len(places) > 1 else "year"
    # a place asked with its own years has a row for those years only
    paired = {(_known_name(place, known_places), year) for place, year in ask.pairs}
    for place in places:
        for year in years:
            if paired and (place, year) not in paired:
                continue
            cells = {stance: _cell(place, year, stance, by_cell.get((place, year, stance), []), factor, cite, store.text,
                                   kept)
                     for stance in ask.stances}
            rows.append(SeriesRow(place, year, cells.get("result"), cells.get("target")))
    if by == "place":
        rows.sort(key=lambda row: (row.year, row.place))
    if not facts and not by_cell:
        notices.append(SeriesNotice("no_figure", (("indicator", ask.indicator),)))
    elif by_cell and not any(cell.stated for row in rows for cell in row.cells()):
        stated = sorted({year for _, year, _ in by_cell})
        notices.append(SeriesNotice("other_years", (("indicator", ask.indicator), ("first", str(stated[0])),
                                                    ("last", str(stated[-1])))))
    return Series(question=ask.question, indicator=ask.indicator + ("增长" if ask.growth else ""), unit=unit, by=by,
                  rows=tuple(rows), notices=tuple(notices))


SPAN_PREFERENCE = 3  # a figure read from a passage dated to a span: used only where nothing else states the cell
BOUND_PREFERENCE = 4  # a result stated as a bound (以内, 以上, 左右): only where no figure states the cell exactly
_BOUNDS = set(BOUNDS)
# words before a figure that make it a span's (五年城镇新增就业5100万人, “十四五”时期年均增长5%) rather than one year's
_SPAN_WORDS = re.compile(r"五年|累计|年均|平均|期间|时期|以来|过去|十[一二三四五]五|规划|(?:19|20)\d{2}年(?:比|较|以来)|(?:比|较)(?:19|20)\d{2}年|"
                         r"稳定在|保持在|连续|始终|每年")  # 粮食总产稳定在1100亿斤以上: every year of the span
# a count reached, not added up (5G基站达到9.5万座, 快递业务量突破8.5亿件): the stock at the review's end
_STOCK_REACHED = re.compile(r"(?:达到|达|突破|超过|超|逾|近|增至|增加到|增长到|提高到|提升至|总数|总量|保有量)$")
SPAN_WINDOW = 24  # characters before the figure, within its sentence, where such words are looked for


def _year_of(stored: StoredFact, stance: str, info, store) -> tuple[int | None, bool]:
    """The one year a fact speaks of, and whether it was read from a span. A fact dated to one year speaks of it; one
    with no date, in a communiqué, of the communiqué's year. A report often dates a whole review (2021–2025) or plan
    (2026–2030) by its span; a figure there with no word of a span before it speaks of the year the report reviews
    (a result) or plans (a target)."""
    fact = stored.fact
    if fact.period_first is not None and fact.period_first == fact.period_last:
        return fact.period_first, False
    if fact.period_first is None:
        if _is_communique(info, stored.source):
            return getattr(info, "year", None), False
        if stance == "target" and fact.stance == "target":  # a plan section naming no year plans the report's year
            return getattr(info, "year", None), True
        return None, False
    if ("年均" in fact.qualifiers and not ANNUAL_MEAN.search(fact.indicator)) or "累计" in fact.qualifiers \
            or "起点" in fact.qualifiers:
        return None, False
    text = store.text(stored.position)
    before = text[max(0, fact.start - SPAN_WINDOW):fact.start]
    before = re.split(r"[。；;！？，,]", before)[-1]  # its own clause: 城镇新增就业累计106万人，城镇化率达到71.5%
    if fact.measure == "count" and stance == "result" and not (
            _STOCK_REACHED.search(before) and not NEWLY_ADDED.search(fact.head) and not _ASKS_ADDED.search(before)):
        return None, False  # a count in a review of several years is their total (城镇新增就业50.2万人 in 五年来)
    if _SPAN_WORDS.search(ANNUAL_MEAN.sub("", before)):
        return None, False
    report_year = getattr(info, "year", None)
    reviews = getattr(info, "reviews", None) or (report_year - 1 if report_year else None)
    if stance == "result" and reviews == fact.period_last:
        return reviews, True
    if stance == "target" and report_year == fact.period_first:
        return report_year, True
    # a review that runs up to the report's year and turns to its plan (1998年以来…今年…拟发行长期建设国债800亿元)
    if stance == "target" and report_year == fact.period_last and \
            _PLANNED_NOW.search(sentence_before(text, fact.start, PLAN_WINDOW)):
        return report_year, True
    return None, False


PLAN_WINDOW = 80  # characters of its sentence before a target where the report's own year may be planned
_PLANNED_NOW = re.compile(r"今年|本年|拟")


MOSTLY_CHANGES = 0.75  # an indicator whose named facts are this share of changes is asked for by its change


# an amount asked in English by its plural noun (Profits of …, Exports in …): the amounts, not their rise
_COUNTED_NOUN_ASKED = re.compile(r"^\s*(?:the\s+)?(?:profits|revenues|exports|imports|outputs|sales|deposits|loans|"
                                 r"amounts?|levels?|values?|numbers?|totals?|volumes?)\b", re.I)


def _wanted(ask: SeriesAsk, facts: list[StoredFact]) -> Wanted:
    """What each cell asks of a fact: the question's measure and qualifiers, its years and places judged apart. An
    indicator the question names without a measure is read as the reports mostly state it (a price index by its
    rise)."""
    text = _TREND.sub(" ", _NOT_GROWTH.sub(" ", ask.question))
    wants = wanted_by(text, Period())
    measures = Counter(stored.fact.measure for stored in facts)
    if ask.growth or (wants.measure is None and not wants.kinds and measures and not _LEVEL.search(text)
                      and measures["change"] >= MOSTLY_CHANGES * sum(measures.values())
                      and not (ask.english and _COUNTED_NOUN_ASKED.search(text))):
        # 接待游客人次增长: the growth of a count is in percent, whatever the count is in
        unit = wants.unit if wants.unit in ("%", "％") or "百分点" in wants.unit else ""
        wants = replace(wants, measure="change", kinds=frozenset({"percent"}), unit=unit)
    # an indicator per person by its name (居民收入: 居民人均可支配收入) asks for the per-person figure
    per_person = True if wants.per_person or "人均" in (ask.variants[0] if ask.variants else "") else wants.per_person
    return replace(wants, national=False, places=frozenset(), target=None, actual=False, start=False,
                   per_person=per_person)


def _row_places(ask: SeriesAsk, documents: dict, facts: list[StoredFact]) -> tuple[str, ...]:
    """The places of the rows: the provinces of the index's reports (各省), the places named, else the nation's, or
    the one place whose reports state the indicator when the index holds no national report that does."""
    if ask.every_place:
        return tuple(sorted({info.place for info in documents.values() if _is_province(info)}))
    if ask.places:
        known = {info.place for info in documents.values() if info.place}
        return tuple(_known_name(name, known) for name in ask.places)
    stating = {getattr(documents.get(stored.source), "place", "") for stored in facts} - {""}
    if "全国" not in stating and len(stating) == 1:
        return (next(iter(stating)),)
    return ("全国",)


def _is_province(info) -> bool:
    return bool(info.place) and info.place == info.province


def _known_name(name: str, known: set[str]) -> str:
    """The index's name for a place the question names (山东 → 山东省)."""
    if name in known:  # 清苑县 is not 清苑区, though both are 清苑
        return name
    base = place_base(name)
    return next((place for place in sorted(known) if place_base(place) == base), name)


def _fact_place(fact: Fact, info, places: tuple[str, ...]) -> str | None:
    """The row place a fact speaks of, or None when it speaks of none of them."""
    document_place = getattr(info, "place", "") or ""
    if "全国" in places and (fact.place == "全国" or (document_place == "全国" and fact.place in ("", "全国"))):
        return "全国"
    if fact.place == "全国":
        return None
    if document_place in places and fact.place in ("", document_place):
        return document_place
    return None


def _source(info, place: str) -> Source:
    return Source(national=place == "全国")


def _preference(fact: Fact, stance: str, info, source: str = "") -> int:
    """0 for the report a year's figure belongs in: a result in the report that reviews the year or a communiqué of
    the year, a target in the report of the year; 1 for another report; 2 for an estimate; ``BOUND_PREFERENCE`` for
    a result stated only as a bound."""
    year = fact.period_first
    report_year = getattr(info, "year", None)
    if stance == "target":
        return 0 if report_year == year else 1
    if fact.stance == "estimate":
        return 2
    if _BOUNDS & set(fact.qualifiers):  # 控制在5.5%以内: a bound met, used only where no figure is stated exactly
        return BOUND_PREFERENCE
    communique = _is_communique(info, source)
    reviews = getattr(info, "reviews", None) or (report_year - 1 if report_year and not communique else None)
    if reviews == year or (communique and report_year == year):
        return 0
    return 1


def _is_communique(info, source: str = "") -> bool:
    """A statistical communiqué, known by its title or file name."""
    return bool(_COMMUNIQUE.search(f"{getattr(info, 'title', '')} {getattr(info, 'source', '')} {source}"))


def _row_years(ask: SeriesAsk, by_cell: dict) -> list[int]:
    if ask.years:
        return list(ask.years)
    stated = sorted({year for _, year, _ in by_cell})
    if not stated and (ask.first is None or ask.last is None):
        return [ask.first] if ask.first is not None else []
    first = ask.first if ask.first is not None else stated[0]
    last = ask.last if ask.last is not None else max([first] + stated)
    if last - first >= MAX_YEARS:
        first = last - MAX_YEARS + 1
    return list(range(first, last + 1))


def _series_unit(by_cell: dict) -> tuple[str, Decimal, str | None]:
    """The unit most cells are written in (万人, 亿元, %), its factor over the stored unit, and the stored unit kept;
    ``by_cell``: each cell's candidates in ``_cell_order``."""
    written = Counter()
    for candidates in by_cell.values():
        for candidate in candidates[:1]:
            fact = candidate.stored.fact
            magnitude = next((word for word in sorted(MAGNITUDES, key=len, reverse=True)
                              if _after_number(fact.text).startswith(word)), "")
            written[(fact.unit, magnitude)] += 1
    if not written:
        return "", Decimal(1), None
    (unit, magnitude), _ = written.most_common(1)[0]
    return magnitude + unit, Decimal(MAGNITUDES.get(magnitude, 1)), unit


def _after_number(text: str) -> str:
    return re.sub(r"^[\d０-９.．,]+[余多]?", "", text)


def _cell_order(candidate: Candidate) -> tuple:
    """The order a cell's candidates are shown in: the best report first; and a level before its change (达357万辆
    over 增长40%以上), since a question asking for a change admits only changes."""
    return (candidate.preference, candidate.stored.fact.measure == "change", -candidate.named,
            candidate.stored.position, candidate.stored.fact.start)


def _cell(place: str, year: int, stance: str, candidates: list[Candidate], factor: Decimal, cite,
          text_of=None, unit: str | None = None) -> SeriesCell:
    """One cell from its candidates, in ``_cell_order``: the first shown, the others that differ from it noted."""
    if not candidates:
        return SeriesCell(place, year, stance, None)
    best = candidates[0]
    shown = _made(place, year, best, factor, cite, text_of, unit)
    others, seen_sources = [], {best.stored.source}
    for candidate in candidates[1:]:
        fact = candidate.stored.fact
        if candidate.stored.source in seen_sources or candidate.preference > best.preference + 1 \
                or candidate.preference >= SPAN_PREFERENCE:
            continue
        if same_value(fact, best.stored.fact) or any(same_value(fact, o.stored.fact) for o in others):
            continue
        others.append(candidate)
        seen_sources.add(candidate.stored.source)
    return replace(shown, differs=tuple(_made(place, year, other, factor, cite, text_of, unit) for other in others))


def _made(place: str, year: int, candidate: Candidate, factor: Decimal, cite, text_of=None,
          unit: str | None = None) -> SeriesCell:
    """One cell from a fact: as written, and its value in the series' unit (``factor`` over ``unit``, the stored
    unit without magnitude)."""
    fact = candidate.stored.fact
    passage_id, reference, quote = cite(candidate.stored.position)
    written = fact.text
    if text_of is not None and fact.kind == "percent":  # 5%—5.5%: the range as written, its upper end as the value
        passage = text_of(candidate.stored.position)
        ending = range_after(passage, fact.end)
        if ending:
            written = passage[fact.start:fact.end] + ending
    parsed = normalised_value(written)
    value = float(parsed[0] / factor) if parsed else fact.value
    if parsed and unit is not None and parsed[1] != unit:
        value *= UNIT_CONVERSIONS.get((parsed[1], unit), 1.0)
    if text_of is not None:  # 突破106万户: the bound the report states stays with the figure
        passage = text_of(candidate.stored.position)
        bound = bound_before(passage, fact.start)
        written = bound + written
        fall = fall_before(passage, fact.start - len(bound)) if fact.measure == "change" else ""
        if fall:  # 下降2.0%: a fall is shown as one, and charted below zero
            written = fall + written
            value = -abs(value) if value is not None else None
    return SeriesCell(place=place, year=year, stance=fact.stance, text=written,
                      value=round(value, 6) if value is not None else None, passage_id=passage_id,
                      reference=reference, quote=quote, source=candidate.stored.source,
                      position=candidate.stored.position, fact=fact)


def _citer(store):
    from .citations import cite

    documents = getattr(store, "documents", None) or {}
    cache: dict[int, tuple[str, str, str]] = {}

    def reference_of(position: int) -> tuple[str, str, str]:
        if position not in cache:
            citation = cite(store.passage(position), documents)
            cache[position] = (citation.passage.id, citation.reference, citation.quote)
        return cache[position]

    return reference_of


# The card's own fallback reads names strictly: on dev, letting it read names within longer ones took 9 questions from
# silence to right but gave 2 wrong figures and 2 figures to unanswerable questions (新能源汽车产量 for 汽车总产量).
CARD_NAMED_WITHIN = False


def stated_for_question(store, question: str, year: int, places: tuple[str, ...] = (),
                        target: bool | None = None) -> SeriesCell | None:
    """The one figure the stored facts give, under the indicator's own name, for a single-figure question's year and
    place: the card's figure when none of its passages holds one that agrees. None when the question names no
    indicator the glossary or synonyms know, names several places, when no fact names the indicator for that year,
    place and stance (a result unless a target is asked), or when the reports differ."""
    stance = "target" if target else "result"
    ask = read_series_question(question, places, (year,), stance, index_places_of(store))
    if ask is None:
        return None
    series = answer_series(store, ask, named_within=CARD_NAMED_WITHIN)
    if len(series.rows) != 1:
        return None
    cell = series.rows[0].target if target else series.rows[0].result
    if cell is None or not cell.stated or cell.differs or cell.position is None or _bare_number(cell) \
            or _a_change_for_an_amount(cell, ask, store):
        return None
    return cell if _names_the_side_asked(cell, question, ask.english) else None


def _a_change_for_an_amount(cell: SeriesCell, ask: SeriesAsk, store) -> bool:
    """工业增加值是多少 asked, 规模以上工业增加值增长16.9% found by name: the reports mostly state the indicator's
    growth, but its level is an amount (the index's own levels of it are in money or counts), and no growth is asked."""
    if cell.fact is None or cell.fact.measure != "change" or ask.growth:
        return False
    units = getattr(store, "indicator_units", None)
    learned = units().expected_kinds(normalise(ask.question)) if units is not None else frozenset()
    return bool(learned) and "percent" not in learned


def rival_named_alike(rival: Fact, cell: SeriesCell, question: str, places: tuple[str, ...] = ()) -> bool:
    """Another figure the card doubted is named as the indicator asked too (完成全部财政收入47亿元 beside 全部财政收入
    63.8亿元), both added or neither, with another value: two candidates, neither sure, so neither is shown."""
    ask = read_series_question(question, places, (), "result", ())
    if ask is None or same_value(rival, cell.fact) or not named_form_length(rival, ask.variants):
        return False
    return ("新增" in rival.qualifiers) == ("新增" in cell.fact.qualifiers)


def _bare_number(cell: SeriesCell) -> bool:
    """A figure with no unit (a table's 5.0 under a heading the passage lost): what it counts is not known."""
    return cell.fact is not None and cell.fact.kind == "number" and not cell.fact.unit


def _names_the_side_asked(cell: SeriesCell, question: str, english: bool) -> bool:
    """农村 asked: a figure found by name must name 农村 too, not the whole of town and country (收入 and 支出 name kinds of
    money more than sides: R&D expenditure)."""
    sides = sides_named(question, english=english) - {"收入", "支出"} - REFUSING_SIDES
    return sides <= sides_named(cell.fact.indicator)


def stated_latest(store, question: str, places: tuple[str, ...] = ()) -> SeriesCell | None:
    """For a single-figure question naming no year (青海高速公路通车里程是多少): the latest result the stored facts give
    under the indicator's own name for the place asked, when the reports agree on it; None otherwise."""
    ask = read_series_question(question, places, (), "result", index_places_of(store))
    if ask is None or len(ask.places) > 1 or ask.every_place:
        return None
    if not ask.places and not ASKS_NATION.search(question):
        return None  # a place the index has no report of (二七区 in a pile of provinces) is not the nation
    series = answer_series(store, ask, named_within=CARD_NAMED_WITHIN)
    stated = [row.result for row in series.rows if row.result is not None and row.result.stated]
    if not stated or stated[-1].differs or stated[-1].position is None or _bare_number(stated[-1]) \
            or _a_change_for_an_amount(stated[-1], ask, store):
        return None
    return stated[-1] if _names_the_side_asked(stated[-1], question, ask.english) else None


def series_for(store, question: str, places: tuple[str, ...] = (), years: tuple[int, ...] = (),
               stance: str | None = None) -> Series | None:
    """The series a question asks for, or None when it names no indicator."""
    ask = read_series_question(question, places, years, stance, index_places_of(store))
    return answer_series(store, ask) if ask is not None else None


def index_places_of(store) -> frozenset[str]:
    """The places of the index's reports other than the nation (a district the place table does not know)."""
    documents = getattr(store, "documents", None) or {}
    return frozenset(info.place for info in documents.values()
                     if info is not None and info.place and info.place != "全国")


# ---------------------------------------------------------------------------------------------- exports

TABLE_HEADER_ZH = ("地区", "年份", "类别", "数值", "单位", "原文", "出处", "段落")
STANCE_ZH = {"result": "实际", "target": "目标", "estimate": "预计"}


def table_rows(series: Series) -> list[list]:
    """One line per cell (differing figures on lines of their own, marked), as the CSV and Excel exports hold it."""
    lines = []
    for cell in series.cells():
        for shown, mark in [(cell, "")] + [(other, "（另一报告）") for other in cell.differs]:
            lines.append([shown.place, shown.year, STANCE_ZH.get(shown.stance, shown.stance) + mark,
                          shown.value if shown.stated else None, series.unit if shown.stated else "",
                          shown.text if shown.stated else "未载明", shown.reference or "", shown.passage_id or ""])
    return lines


def to_csv(series: Series) -> str:
    """The table as CSV with a UTF-8 byte-order mark (so spreadsheet programs read the Chinese)."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(TABLE_HEADER_ZH)
    for line in table_rows(series):
        writer.writerow(["" if value is None else value for value in line])
    return "\ufeff" + buffer.getvalue()


def to_markdown(series: Series) -> str:
    def shown(cell: SeriesCell | None) -> str:
        if cell is None:
            return ""
        if not cell.stated:
            return "—"
        text = cell.text + (" (预计)" if cell.stance == "estimate" else "")
        return text + "".join(f" ≠ {other.text}" for other in cell.differs)

    first = "年份" if series.by == "year" else "地区"
    lines = [f"# {series.question}", "", f"{series.indicator}（{series.unit or '—'}）", "",
             f"| {first} | 实际 | 目标 |", "|---|---|---|"]
    for row in series.rows:
        label = str(row.year) if series.by == "year" else f"{row.place} {row.year}"
        lines.append(f"| {label} | {shown(row.result)} | {shown(row.target)} |")
    lines.append("")
    references = {cell.reference for cell in series.cells() for cell in (cell, *cell.differs) if cell.reference}
    lines += [f"- {reference}" for reference in sorted(references)]
    lines += [f"> {notice}" for notice in series.notices]
    return "\n".join(lines) + "\n"


def to_xlsx(series: Series, path) -> None:
    """The table as an Excel workbook: a header row, one line per cell, its reference and passage beside it."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "series"
    sheet.append(list(TABLE_HEADER_ZH))
    for line in table_rows(series):
        sheet.append(line)
    book.save(path)
