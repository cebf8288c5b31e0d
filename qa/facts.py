"""What each figure of a passage measures, read once at build time and stored as a ``Fact``.

A figure alone (784.2亿元) says little; the card needs what it measures. For every figure of a
passage (dates and years aside) a fact records:

* the value as written, with a trailing approximation kept (7.5%左右), and its number normalised
  with its unit (784.2亿元 → 78420000000 元);
* the indicator as written, the words that name what the figure measures (年末全省常住人口,
  城镇常住人口占总人口的比重), and its normalised head, the indicator without places, times and
  qualifiers (常住人口, 城镇化率);
* the measure: a level, a change (增长7.5%, 增加1501亿元, 提高1.2个百分点), a share or rate
  (占…比重30%, 城镇化率56%), a count (270个) or a rank (第一);
* qualifiers (人均, 规模以上, 同比, 累计, 年均, 左右, 以上, 以内, 预计, and 起点 for where a change started:
  由45.9%提高到52.6%);
* the period and the stance: a result, a target or an estimate (预计);
* the place: the document's, or the one its clause names (全国, another province).

The indicator is the clause's words before the figure; a clause with no subject of its own (…，同比增长
7.5%) takes the clause before; a figure in a list paired with listed items (A、B分别增长7.4%、2.3%)
takes its item; a count takes the noun after it (200家企业). Nothing here names a document: the patterns
are those of report prose.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, replace
from decimal import Decimal, InvalidOperation

from .figures import Figure, extract_figures
from .gloss import MAGNITUDES
from .periods import Period
from .tokens import plain_words, tokenize
from .vocabulary import (BOUNDS, FOOTNOTE_MARK, HOUSEHOLD_NOUNS, ITEM_JOIN, MAGNITUDE, NEWLY_ADDED, PERSON_NOUNS,
                         WHOLE_PLACE)

MEASURES = ("level", "change", "share", "count", "rank", "date")
STANCES = ("result", "target", "estimate")
INDICATOR_REACH = 28  # characters of indicator kept, counted back from the figure
_NO_FACT_KINDS = frozenset()

_NUMBER = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?")
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．％／", "0123456789.%/")
_MAGNITUDE_AT_START = re.compile(rf"^[余多]?({MAGNITUDE})?[余多]?")

# what may follow a figure and belongs to it: 7.5%左右, 4000万元以上
_TRAILING_QUALIFIER = re.compile("|".join((*BOUNDS, "上下")))
_ESTIMATE = re.compile(r"预计|预估")  # 初步核算 in a communiqué is its official first figure, a result
_TARGET = re.compile(r"预期目标|主要目标|目标是|目标为|力争|争取|控制在")
# a list of targets introduced once (预期目标：生产总值增长8%；社会消费品零售总额增长12%左右；…): the colon's heading
# speaks for every clause up to the paragraph's end
_LIST_HEADING = re.compile(r"[^。\n]{0,60}：[^。\n：]*$")
LIST_REACH = 400  # characters looked back for a list's heading
# 城乡居民人均可支配收入分别增长5.3%、7%: the pair's first figure is the towns', the second the countryside's
_TOWN_AND_COUNTRY = re.compile(r"城乡|城(?:镇|市)(?:居民)?[和与、]农村(?:居民)?")
_PAIR_JOIN = re.compile(r"和|与|及|、|，")
_QUALIFIER_WORDS = (("人均", re.compile(r"人均|每人|户均|平均每")), ("规模以上", re.compile(r"规模以上|规上|规模(?=工业)")),
                    ("同比", re.compile(r"同比")), ("累计", re.compile(r"累计|累积")),
                    ("年均", re.compile(r"年均|年平均")), ("带动", re.compile(r"^(?:带动|拉动|撬动)")))
_CHANGE_BEFORE = re.compile(r"(?:增长|下降|提高|降低|增加|减少|上升|上涨|回落|增速|增幅|涨幅|降幅|下滑|扩大|缩小|缩短|压缩|压减|缩减|增产|减产|增收|减收|"
                            r"增|降|涨|减)"
                            r"(?:了|为|达|达到)?(?:约|近|超过|超)?$")
_SHARE_WORDS = re.compile(r"比重|占比|比例|率|占|达标|覆盖|贡献")
# words that stand between an indicator and its figure, not part of what it measures
_LINKING = re.compile(r"(?:分别|比上年|较上年|比去年|同比|增产|减产|[两二三四五六七八九十]年(?:来|间|以来)?|"
                      r"(?:比|较)(?:(?:19|20)\d{2}年(?:末|底)?|“?十[一二三四五]五”?(?:末期|期末|末)?)|"
                      r"累计|共计|合计|总计|全年|年均|平均|预计|约|近|超过|超|突破|"
                      r"达到|达|实现|完成|为|是|有|增长|增加|下降|减少|提高|降低|上升|上涨|回落|稳定在|保持在|控制在|"
                      r"增至|降至|提升至|提高到|增加到|达到了|了|至|到|在|以上|以内|左右|拟安排|安排|拟|由|从|将|(?:去年|上年|上一年)的?|"
                      r"实际|名义|稳定|继续|保持|按|创(?:历史)?(?:新高|最好水平|最高水平|最好成绩))+$")
_LEADING = re.compile(r"^(?:其中|实现|确保|力争|争取|正常年景下?|拟安排|拟|全面|大力|持续|共|全年|今年|去年|上年|当年|年末|年底|年初|截至\S{0,8}?年底|此外|同时|另外|并|和|与|及|以及|"
                      rf"{WHOLE_PLACE}|现有|实有|"
                      r"(?:19|20)\d{2}年(?:末|底)?|[一二三四五六七八九十]+是|\d+[.、])+")
_PLACE_WORDS = re.compile(WHOLE_PLACE)
_TIME_WORDS = re.compile(r"(?:19|20)\d{2}年(?:末|底|初)?|全年|今年|去年|上年|当年|年末|年底|年初|上半年|下半年|前三季度|"
                         r"一季度|[一二三四五]年来|过去[一五]年|十[一二三四五]五(?:时期|期间)?|“十[一二三四五]五”(?:时期|期间)?")
# a clause that says how a figure was computed, not what it measures (…5481.6亿元，按可比价计算，比上年增长3.5%)
_METHOD_NOTE = re.compile(r"(?:按|以)(?:可比价格?|不变价格?|可比口径|现价|当年价格?)(?:计算|计)?|扣除价格因素(?:影响)?|剔除价格因素")
# a verb of reaching a level, just before its figure (提高到52.6%, 增至30%)
_REACHED = re.compile(r"(?:提高|提升|上升|增加|增长|下降|降低|扩大|缩小)(?:到|至)$|(?:增|降|升)至$")
# a stock reached over a review (高速公路通车里程达5465公里, 森林面积达到…万亩): its level at the review's end; sums of
# money and counts over the years are often totals, so they are not read so
_LEVEL_REACHED = re.compile(r"(?:达到|达|突破|超过)$")
_LISTED_BEFORE = re.compile(r"(?:[0-9０-９.．]+[%％万亿元个家]*[、和])+$")  # 分别达到45.4%、47.8%: the figures listed before
_SPAN_NAMED = re.compile(r"[一二三四五六七八九十两\d]+年|累计|共|总计|合计|期间|以来")
_STOCK_KINDS = frozenset({"length", "area", "weight", "energy", "concentration", "duration"})
# a figure said to be last year's, just before it (将由去年的1076亿元增加到1562亿元)
_LAST_YEARS = re.compile(r"(?:去年|上年)的?$")
# a size threshold that scopes an indicator (500万元以上固定资产投资, 亿元以上项目): like 规模以上, not a figure of its own
_THRESHOLD = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?(?:万|亿|千万|百万)?元及?以上(?=[\u4e00-\u9fff])")
_CUT_THRESHOLD = re.compile(r"(?<!规模)(?<!限额)及?以上(?=[\u4e00-\u9fff])")
# a footnote's mark after a word: 生产总值②, 三次产业结构③
_BRACKETED_NOTE = re.compile(r"（[^（）]{0,30}）|\([^()]{0,30}\)")  # 固定资产投资（不含农户，下同）
_HEAD_STOP = re.compile(r"[，。；：、！？,;:（）()《》]|[“\"](?=[^”\"]{9})|(?<=[^“\"]{9})[”\"]")
# what a figure counts or measures may follow it: 200家企业, 46个项目, 120.5万平方米安置房
_COUNTED_NOUN = re.compile(r"[\u4e00-\u9fff]{1,8}")
# the people a bare figure may count (1.77亿农民, 7100万江淮儿女)
_PEOPLE = re.compile(rf"[\u4e00-\u9fff]{{0,4}}?(?:{PERSON_NOUNS})")
_HOUSEHOLDS = re.compile(rf"[\u4e00-\u9fff]{{0,6}}?(?:{HOUSEHOLD_NOUNS})")
_NOUN_ENDS = re.compile(r"实现|达到|参与|建成|完成|覆盖|受益|基本|全部|以上|左右|以内|同比|比上年|增长|下降|提高|的|是|为|和|与|及|等|"
                        r"[，。；、,;：]|大关|关口|台阶|量级|级台阶")  # 突破5000亿元大关: a threshold passed, not a thing counted
# a threshold passed, its figure already cut (突破大关, 连跨…千亿台阶): how far it went, not what it measures
_THRESHOLD_PASSED = re.compile(r"(?:首次|连续|历史性)?(?:突破|跨越|跨过|迈上|连跨|跨上|站上|越过|迈过)[^，。；]{0,8}?"
                               r"(?:大关|关口|台阶)|…?(?:大关|关口|台阶)$|(?:在全[国省市区])?(?:率先|首次)?破[亿万千百十]+$")
_YEAR_BEFORE = re.compile(r"(?<![比较由从])((?:19|20)\d{2})年(?:末|底)?[^，。；]{0,12}$")
# a clause's own span of years (五年全国新增城镇就业, 三年来累计): the figure is over them, not of the last
_YEARS_SPANNED = re.compile(r"(?:(?:^|[，,、；;：:—]|这|过去|近|最近)([两二三四五六七八九十]|[2-9])年(?:来|间|里|中|内|以来)?"
                            r"(?![均度底末初])(?=[\u4e00-\u9fff])|(?<![\d年])([两二三四五六七八九十]|[2-9])年(?=累计|来|以来))")
_CHINESE_COUNTS = {c: n for n, c in enumerate("一二三四五六七八九十", 1)} | {"两": 2}


def _count_of(word: str) -> int:
    return int(word) if word.isdigit() else _CHINESE_COUNTS[word]


# a change counted from a named year (比2002年增长65.5%, 较2020年提高1.16岁)
_COMPARED_YEAR = re.compile(r"(?:比|较|与)((?:19|20)\d{2})年(?:末|底)?(?:相比)?[^，。；0-9]{0,8}$")
# the year a figure is dated by just before it (从1997年的, 到2002年的): when, not what
_STARTED_IN = re.compile(r"[从由]((?:19|20)\d{2})年(?:末|底)?的?$")
_YEAR_OF_START = re.compile(r"(?:[从由到至])?(?:19|20)\d{2}年(?:末|底)?的?$")
# the growth of a level reads as a rate: 城镇化率, 增长率 are shares, not changes
_NATIONAL = re.compile(r"全国|我国|国内生产总值")

FACT_FIELDS = ("start", "end", "text", "value", "unit", "kind", "indicator", "head", "measure", "qualifiers",
               "period_first", "period_last", "part", "stance", "place")


@dataclass(frozen=True)
class Fact:
    """One figure and what it measures (see the module notes)."""

    start: int  # offsets in the passage text; the span covers a trailing 左右/以上 when written
    end: int
    text: str  # as written: 7.5%左右, 784.2亿元
    value: float | None  # normalised to ``unit``: 784.2亿元 → 78420000000.0
    unit: str  # 元, 人, %, 个百分点, 吨, 亩 … without magnitude or 余/多; "" for a bare number
    kind: str  # the figure's kind (qa.figures.KINDS)
    indicator: str  # as written: 年末全省常住人口
    head: str  # normalised: 常住人口
    measure: str  # one of MEASURES
    qualifiers: tuple[str, ...]
    period_first: int | None
    period_last: int | None
    part: str | None
    stance: str  # one of STANCES
    place: str  # the document's place, or the one the clause names ("" when unknown)

    @property
    def period_label(self) -> str:
        if self.period_first is None:
            return ""
        if self.period_first == self.period_last:
            return f"{self.period_first}年"
        return f"{self.period_first}–{self.period_last}年"

    def to_dict(self) -> dict:
        data = asdict(self)
        data["qualifiers"] = list(self.qualifiers)
        return data

    def to_row(self) -> list:
        return [getattr(self, name) if name != "qualifiers" else list(self.qualifiers) for name in FACT_FIELDS]

    @classmethod
    def from_row(cls, row: list) -> "Fact":
        data = dict(zip(FACT_FIELDS, row))
        data["qualifiers"] = tuple(data["qualifiers"])
        return cls(**data)


def facts_to_json(facts: tuple[Fact, ...]) -> str:
    return json.dumps([fact.to_row() for fact in facts], ensure_ascii=False, separators=(",", ":"))


def facts_from_json(text: str) -> tuple[Fact, ...]:
    return tuple(Fact.from_row(row) for row in json.loads(text)) if text else ()


def normalised_value(text: str) -> tuple[Decimal, str] | None:
    """A figure's value with its magnitude applied, and its unit without magnitude or 余/多: 784.2亿元 → (78420000000,
    元); a range (5-6%) gives its upper end."""
    text = text.translate(_FULL_WIDTH).replace(",", "")
    numbers = list(_NUMBER.finditer(text))
    if not numbers:
        return None
    number = numbers[-1] if len(numbers) == 2 and re.fullmatch(r"[-~～－—–]", text[numbers[0].end():numbers[1].start()]) \
        else numbers[0]
    rest = text[number.end():]
    magnitude = _MAGNITUDE_AT_START.match(rest)
    try:
        value = Decimal(number.group())
    except InvalidOperation:
        return None
    factor = MAGNITUDES.get(magnitude.group(1) or "", 1)
    unit = _TRAILING_QUALIFIER.sub("", rest[magnitude.end():]).strip("余多")
    if text[:number.start()].strip() in ("-", "−", "－"):  # -0.57‰
        value = -value
    return value * factor, unit


def same_value(a: Fact, b: Fact) -> bool:
    """The same figure, allowing for rounding: 784.2亿元 and 784.23亿元 agree to the digits the shorter one gives."""
    if a.unit != b.unit or a.value is None or b.value is None:
        return False
    return a.value == b.value or _within_rounding(a.text, a.value, b.text, b.value)


def same_written_value(a: str, b: str) -> bool:
    """Two figures as written that state one value to the digits the coarser gives (1466.64亿元, 14666372万元)."""
    parsed_a, parsed_b = normalised_value(a), normalised_value(b)
    if parsed_a is None or parsed_b is None or parsed_a[1] != parsed_b[1] or not parsed_a[1]:
        return False
    return _within_rounding(a, float(parsed_a[0]), b, float(parsed_b[0]))


def _within_rounding(a_text: str, a_value: float, b_text: str, b_value: float) -> bool:
    """The finer value lies within half a step of the coarser one, whose last digit stands for more: 2.1万人 (a step
    of 1000) against 21135人."""
    step_a, step_b = _step_of(a_text), _step_of(b_text)
    step, coarse = (step_a, a_value) if (step_a or 0.0) >= (step_b or 0.0) else (step_b, b_value)
    return step is not None and abs(a_value - b_value) <= step / 2 + 1e-9 * abs(coarse)


def _decimals(text: str) -> int:
    number = _NUMBER.search(text.translate(_FULL_WIDTH))
    if number is None or "." not in number.group():
        return 0
    return len(number.group().split(".")[1])


def _step_of(text: str) -> float | None:
    """What the last written digit stands for: 2.1万人 → 1000 (人)."""
    parsed = normalised_value(text)
    if parsed is None:
        return None
    value, _ = parsed
    number = _NUMBER.search(text.translate(_FULL_WIDTH).replace(",", ""))
    digits = Decimal(number.group())
    if digits == 0:
        return None
    return float(value / digits) * 10 ** -_decimals(text)


def head_of(indicator: str) -> str:
    """The indicator without places, times, qualifiers and linking words: 年末全省常住人口 → 常住人口."""
    head = _TIME_WORDS.sub("", indicator)
    head = _PLACE_WORDS.sub("", head)
    for _, pattern in _QUALIFIER_WORDS:
        head = pattern.sub("", head)
    head = _LINKING.sub("", head)
    head = _LEADING.sub("", re.sub(r"^(?:的|其中|和|与|及|并)+", "", head))
    return head.strip(" 的")[-12:]


def extract_facts(text: str, figures: list[Figure], where, period: Period, place: str = "") -> tuple[Fact, ...]:
    """The facts of one passage; ``where`` is its answer-picker layout (``qa.answers.Layout``), ``period`` its period,
    ``place`` its document's place."""
    facts = []
    clauses = [span for span, _ in where.clauses]
    indicators: dict[int, str] = {}
    measures: dict[int, str] = {}
    for figure in figures:
        if figure.kind in _NO_FACT_KINDS or figure.start not in where.clause_of:
            continue
        i = where.clause_of[figure.start]
        clause_start, clause_end = clauses[i]
        trailing = _TRAILING_QUALIFIER.match(text, figure.end)
        if figure.kind == "money" and _THRESHOLD.match(text, figure.start):
            continue
        end = trailing.end() if trailing else figure.end
        written = text[figure.start:end]
        indicator = _indicator(text, figure, i, clauses, where, figures)
        partner = _pair_partner(text, figure, figures)
        if not indicator and partner is not None:  # 2.36万元和1.53万元: the pair's second figure shares the first's
            indicator = indicators.get(partner.start, "")
        range_start = next((start for start, end in where.ranges.items() if end == figure.start), None)
        if not indicator and range_start is not None:  # 城镇化率由45.9%提高到52.6%: where it went measures the same
            indicator = indicators.get(range_start, "")
        opened = max(text.rfind("（", clause_start, figure.start), text.rfind("(", clause_start, figure.start))
        if opened >= 0 and text.startswith("其中", opened + 1) and not re.search(r"[）)]", text[opened:figure.start]):
            outer = next((f for f in reversed(figures) if f.end <= opened and f.start >= clause_start
                          and f.kind == figure.kind), None)  # 专利申请2641件（其中发明专利1058件）: 发明专利申请
            indicator = _part_of(indicator, indicators.get(outer.start, "")) if outer is not None else indicator
        indicators[figure.start] = indicator
        indicator = _paired_place_split(indicator, text, figure, figures)
        sentence_start = next((a for a, b in where.sentences if a <= figure.start < b), clause_start)
        lead = text[sentence_start:figure.start]
        near = text[clause_start:figure.start]
        if figure.start in where.items:  # A、B同比增长7.4%、2.3%: the shared predicate says what kind of figure
            _, shared = where.items[figure.start]
            near = text[clauses[shared][0]:clauses[shared][1]]
        qualifiers = [name for name, pattern in _QUALIFIER_WORDS if pattern.search(near) or pattern.search(indicator)]
        # the threshold's figure is cut from the indicator, its 以上 stays: 500万元以上固定资产投资 → 以上固定资产投资
        if _THRESHOLD.search(text, clause_start, figure.start) or _CUT_THRESHOLD.search(indicator):
            if "规模以上" not in qualifiers:
                qualifiers.append("规模以上")
            indicator = _CUT_THRESHOLD.sub("", indicator)
        if trailing:
            qualifiers.append(trailing.group())
        if figure.start in where.ranges:  # 由45.9%提高到52.6%: where it started, not where it went
            qualifiers.append("起点")
        if figure.kind not in ("percent", "multiple", "year", "date", "rank") and _added_in_list(lead, figure):
            qualifiers.append("新增")  # a rate is never what a year adds
        estimate = bool(_ESTIMATE.search(lead))
        if estimate:
            qualifiers.append("预计")
        stance = "estimate" if estimate else "target" if period.plan or (
            period.plan is None and (_TARGET.search(lead) or _listed_target(text, figure.start))) else "result"
        parsed = normalised_value(figure.text)
        value, unit = (float(parsed[0]), parsed[1]) if parsed else (None, figure.unit)
        kind = figure.kind
        if kind == "number" and not unit:  # 惠及70多万群众: persons counted; 新增450万农村沼气用户: households
            counted = _counted_after(text, figure)
            if counted:
                kind, unit = "count", counted
        first, last = period.first, period.last
        # a level reached over a review of several years (五年来…城镇化率提高到52.6%) is that of its last year
        if first is not None and last is not None and first < last and "累计" not in qualifiers and \
                "年均" not in qualifiers and (range_start is not None or _REACHED.search(near) or (
                    (figure.kind in _STOCK_KINDS or (figure.kind == "percent" and _SHARE_WORDS.search(indicator)))
                    and not period.plan and _LEVEL_REACHED.search(_LISTED_BEFORE.sub("", lead))
                    and "新增" not in qualifiers and not NEWLY_ADDED.search(indicator) and not _SPAN_NAMED.search(near))):
            first = last
        if first is not None and last is not None and first < last and not period.plan and \
                _ONE_YEAR_LEAD.match(lead) and "累计" not in qualifiers and "年均" not in qualifiers:
            first = last  # 全年地区生产总值…增长5.5% in a review of five years: the last year's
        measure = _measure(text, figure, near, indicator, where)
        years_said = _YEARS_SPANNED.search(near)
        if years_said and last is not None and not period.plan and figure.kind not in ("year", "date", "rank") and \
                not _REACHED.search(near) and not _LEVEL_REACHED.search(near):
            first = last - _count_of(years_said.group(1) or years_said.group(2)) + 1  # 五年全国新增城镇就业5100万人: over the five
            if measure in ("level", "count") and "累计" not in qualifiers:
                qualifiers.append("累计")
        if range_start is not None and range_start in measures:  # 从10.1%降到2.6%: a level, as where it started
            measure = measures[range_start]
        if partner is not None and measures.get(partner.start) == "change":  # 增加2.8平方米和5.5平方米, 增长8%、9%
            measure = "change"
        measures[figure.start] = measure
        if _LAST_YEARS.search(near) and first is not None and first == last:  # 将由去年的1076亿元增加到…: last year's
            first = last = first - 1
            stance = "result"
            qualifiers = [q for q in qualifiers if q != "起点"]  # where the rise starts is last year's level
        elif period.plan and first is not None and first == last and _LAST_YEAR_LEAD.match(lead) and \
                not re.search(r"今年|明年|目标|预期|力争|计划|确保", lead):
            first = last = first - 1  # 去年居民消费价格涨幅回落到2.6% among this year's targets: last year's result
            stance = "result"
        named_year = _YEAR_BEFORE.search(text, max(sentence_start, figure.start - 24), figure.start)
        between = text[named_year.end(1) + 1:figure.start].lstrip("末底") if named_year else ""
        reached_in = named_year is not None and between == "的" and \
            re.search(r"(?:到|至)$", text[max(0, named_year.start(1) - 2):named_year.start(1)]) is not None
        if named_year and (not between.startswith("的") or reached_in) and \
                figure.kind not in ("year", "date"):  # 增加到2002年的18914亿元: that year's
            first = last = int(named_year.group(1))
        compared = _COMPARED_YEAR.search(text, max(sentence_start, figure.start - 16), figure.start)
        if compared and measure == "change" and last is not None and int(compared.group(1)) < last:
            first = int(compared.group(1)) + 1  # 比2002年增长65.5%: the change over the years since, not in one
        started_in = _STARTED_IN.search(text, max(sentence_start, figure.start - 12), figure.start)
        if started_in and figure.start in where.ranges and figure.kind not in ("year", "date"):
            first = last = int(started_in.group(1))  # 从2007年的248亿美元上升到…: the level of 2007
            qualifiers = [q for q in qualifiers if q != "起点"]
        elif figure.start in where.ranges and first is not None and last is not None and last - first >= 2 and \
                not period.plan and figure.kind not in ("year", "date", "rank") and measure != "change":
            first = last = first - 1  # 五年来城镇化率由45.9%提高到52.6%: where the review started, the year before it
            qualifiers = [q for q in qualifiers if q != "起点"]
        paired = next((f for f in reversed(facts) if partner is not None and f.start == partner.start), None)
        if paired is not None and measure == "change" == paired.measure and not compared:
            first, last = paired.period_first, paired.period_last  # 比2007年增加2.8平方米和5.5平方米: both since 2007
        whole = facts[-1] if facts and facts[-1].start >= sentence_start else None
        if whole is not None and "累计" in whole.qualifiers and near.startswith("其中") and unit == whole.unit \
                and "累计" not in qualifiers:  # 五年累计1.6万亿元，其中用于农村基础设施建设近3000亿元: a part of that sum
            qualifiers.append("累计")
            first, last = whole.period_first, whole.period_last
        facts.append(Fact(
            start=figure.start, end=end, text=written, value=value, unit=unit, kind=kind,
            indicator=indicator, head=head_of(indicator), measure=measure,
            qualifiers=tuple(dict.fromkeys(qualifiers)), period_first=first, period_last=last, part=period.part,
            stance=stance, place=_place(near + indicator, place, text[end:end + _DESIGNATION_AFTER]),
        ))
    return _conversions(text, _items_completed(_levels_after_added(text, _totals_named(text, _respective_pairs(
        text, facts, where))), where), where)


# the same figure in another currency or unit (…26858元，按1月3日汇率折算约合3868美元)
_CONVERTED = re.compile(r"(?:折算|折合|约合|合计约合|相当于)[^，。；]{0,4}$")


def _conversions(text: str, facts: tuple[Fact, ...], where) -> tuple[Fact, ...]:
    """A figure converted from the one before it in its sentence measures what that one measures."""
    converted = list(facts)
    for k in range(1, len(converted)):
        fact = converted[k]
        sentence_start = next((a for a, b in where.sentences if a <= fact.start < b), 0)
        before = next((f for f in reversed(converted[:k]) if f.kind == fact.kind and f.measure == "level"), None)
        if before is not None and before.start >= sentence_start and \
                _CONVERTED.search(text, max(sentence_start, fact.start - 16), fact.start):
            converted[k] = replace(fact, indicator=before.indicator, head=before.head, qualifiers=before.qualifiers,
                                   place=before.place)
    return tuple(converted)


# 分别 before the first of two figures, and what may stand between it and the figure
_RESPECTIVELY = re.compile(r"分别(?:为|是|达到|达|实现|完成|增长|下降|提高|增加|减少|降低)?$")
_SUBJECT_TAIL = re.compile(r"[，,]?\s*(?:(?:19|20)\d{2}年(?:末|底)?|全年|今年|去年|上年)?\s*[，,]?\s*$")


# a level named only as the total (总量达到4773.3亿元): of the indicator the sentence named before it
_BARE_TOTAL = re.compile(r"(?:经济)?(?:总量|总额|总规模)|总(?P<measure>里程|面积|长度|产量|装机|规模)")


def _totals_named(text: str, facts: list[Fact]) -> list[Fact]:
    """地区生产总值增长6.0%、全省第二，…，总量达到4773.3亿元: the total is 地区生产总值's, named earlier in the sentence."""
    named = []
    for number, fact in enumerate(facts):
        total = _BARE_TOTAL.fullmatch(fact.indicator)
        if total and fact.measure in ("level", "count"):  # 总里程 is the total of a 里程 named before it
            earlier = next((other for other in reversed(facts[:number]) if len(other.head) >= 3
                            and not _BARE_TOTAL.fullmatch(other.indicator)
                            and (not total.group("measure") or other.head.endswith(total.group("measure")))
                            and not re.search(r"[。；;！？!?]", text[other.end:fact.start])), None)
            if earlier is not None:  # 新增新能源装机1258万千瓦、总量达到6437万千瓦: the total of what was added to
                named_as = NEWLY_ADDED.sub("", earlier.head) or earlier.head
                fact = replace(fact, indicator=named_as, head=named_as)
        named.append(fact)
    return named


# between what was added and the level it brought: 新增43.04万家、达到79.1万家
_LEVEL_AFTER_ADDED = re.compile(r"[，,、]?(?:总量|总数|总规模|累计|共)?(?:达到|达|突破|超过|增至|增加到|增加至)")
_ADDED_OVER = re.compile(rf"(?:(?:[一二三四五六七八九十两]|\d+)年|全年|年内|当年)?(?:{NEWLY_ADDED.pattern})$")


def _levels_after_added(text: str, facts: list[Fact]) -> list[Fact]:
    """注册市场主体五年新增43.04万家、达到79.1万家: the second figure is the level of 注册市场主体 the additions brought, at the
    end of the period, not another addition."""
    levels = list(facts)
    for k in range(len(levels) - 1):
        added, level = levels[k], levels[k + 1]
        over = _ADDED_OVER.search(added.indicator)
        if over is None or level.indicator != added.indicator or added.unit != level.unit or \
                not _LEVEL_AFTER_ADDED.fullmatch(text[added.end:level.start]):
            continue
        named = added.indicator[:over.start()]
        if len(head_of(named)) < 2:
            continue
        last = level.period_last
        levels[k] = replace(added, qualifiers=tuple(dict.fromkeys(added.qualifiers + ("新增",))))
        levels[k + 1] = replace(level, indicator=named, head=head_of(named), period_first=last,
                                qualifiers=tuple(q for q in level.qualifiers if q != "新增"))
    return levels


# two things named together, then a level verb and two figures (A、B参保率稳定在98%和95%以上): each its own
_LEVEL_VERB_END = re.compile(r"(?:稳定在|保持在|达到|达)$")
_TWO_NAMED_END = re.compile(r"[\u4e00-\u9fff]{2}[、和与][\u4e00-\u9fff]{2,16}$")


# a sentence that opens on one year (全年…, 过去一年…): its figures are that year's, in a review of several; one that
# opens on last year among a year's plans speaks of its result
_NO_SPAN_AFTER = r"(?![^，。；]{0,12}(?:年均|累计))"
_ONE_YEAR_LEAD = re.compile(rf"\s*(?:全年|过去一年|去年|上年){_NO_SPAN_AFTER}")
_LAST_YEAR_LEAD = re.compile(rf"\s*(?:去年|上年|过去一年){_NO_SPAN_AFTER}")


def _respective_pairs(text: str, facts: list[Fact], where) -> list[Fact]:
    """A和B，2000年分别达到2253元和6280元: the first figure is A's, the second B's (a shorter A takes the words B adds:
    城镇和农村居民人均可支配收入 → 城镇居民人均可支配收入)."""
    paired = list(facts)
    for k in range(len(paired) - 1):
        first, second = paired[k], paired[k + 1]
        if first.kind != second.kind or not re.fullmatch(r"和|与|及|、", text[first.end:second.start]):
            continue
        sentence_start = next((a for a, b in where.sentences if a <= first.start < b), 0)
        lead = text[sentence_start:first.start]
        respectively = _RESPECTIVELY.search(lead)
        if respectively is None and re.fullmatch(r"和|与", text[first.end:second.start]) and \
                _CHANGE_BEFORE.search(lead):  # A和B实际增长8.4%和11.4%: respectively, unsaid
            respectively = re.search(r"$", _CHANGE_BEFORE.sub("", lead))
        level_verb = _LEVEL_VERB_END.search(lead)
        if respectively is None and re.fullmatch(r"和|与", text[first.end:second.start]) and level_verb and \
                _TWO_NAMED_END.search(lead, 0, level_verb.start()):  # 基本养老、基本医疗保险参保率稳定在98%和95%以上
            respectively = level_verb
        if respectively is None:
            continue
        subject = re.split(r"[，,。；;：:]", _SUBJECT_TAIL.sub("", _LINKING.sub("", lead[:respectively.start()])))[-1]
        subject = _LEADING.sub("", subject)
        items = [item for item in ITEM_JOIN.split(subject) if item]
        # A 12312元、B 4331元，分别增长12.7%和9%: each item carries its own level; the indicator is that level's
        levels = {f.text: f.indicator for f in paired[:k] if f.start >= sentence_start and f.head}
        items = [next((levels[t] for t in levels if item.endswith(t)), item) for item in items]
        if len(items) != 2 or min(len(item) for item in items) < 2:
            # A 11759元，B 3587元，扣除价格因素，分别比上年实际增长10.4%和7.4%: the two named just before, in turn
            named = [f for f in paired[:k] if f.start >= sentence_start and f.head and f.kind != first.kind]
            listed = k + 2 < len(paired) and re.fullmatch(r"和|与|及|、", text[second.end:paired[k + 2].start])
            if len(items) > 1 or listed or not re.fullmatch(r"和|与", text[first.end:second.start]) or \
                    len(named) < 2 or named[-1].head == named[-2].head or respectively.start() < len(lead) - 24 or \
                    re.search(r"[。；;]", text[named[-2].start:first.start]):
                continue
            items = [named[-2].indicator, named[-1].indicator]
        for number, item in ((k, _completed_item(items[0], items[1])), (k + 1, items[1])):
            fact = paired[number]
            qualifiers = tuple(dict.fromkeys(fact.qualifiers + tuple(
                name for name, pattern in _QUALIFIER_WORDS if pattern.search(item))))
            paired[number] = replace(fact, indicator=item, head=head_of(item), qualifiers=qualifiers)
        first, second = paired[k], paired[k + 1]
        if first.period_first is not None and second.period_first is not None and \
                first.period_first <= second.period_first <= second.period_last <= first.period_last:
            # 比重分别达到45.4%、47.8% in a review of five years: both levels are dated alike, as the last was
            paired[k] = replace(first, period_first=second.period_first, period_last=second.period_last)
    return paired


# a table's column heading: what the column holds and, in brackets, its unit (绝对数（亿元）, 比上年增长（%）)
_CELL_NUMBER = re.compile(r"^[-−－]?[0-9０-９]+(?:[.．][0-9０-９]+)?$")
_BRACKETED_UNIT = re.compile(r"[（(]([^（）()]{1,8})[）)]\s*$")
_COLUMN_CHANGE = re.compile(r"增长|增减|增速|增幅|涨幅|涨跌|上涨|下降|比上年|比去年|同比|较上年|±")
_COLUMN_SHARE = re.compile(r"比重|占比|构成|占.{0,6}比")
# column headings that say only that the column holds the figures themselves
_COLUMN_PLAIN = re.compile(r"^(?:指标|项目|名称|单位|绝对数|绝对值|数值|数量|总量|金额|合计|全年|本年|年末数|年末|年底数|实绩|"
                           r"完成数|完成额|完成值|完成|实际|数据|计量单位|(?:19|20)\d{2}年?)?$")
_ROW_LABEL_LEADING = re.compile(r"^(?:其中[：:]?|#|＃|[（(]?[0-9０-９一二三四五六七八九十]+[)）.．、]\s*)+")
_COLUMN_YEAR = re.compile(r"^((?:19|20)\d{2})年?$")
_UNIT_COLUMN = re.compile(r"^(?:计量)?单位$")
_ROW_UNIT = re.compile(r"^[\u4e00-\u9fff%％/／a-zA-Z²³·]{1,8}$")


def table_row_facts(row: str, header: str, period: Period, place: str = "", separator: str = " | ") -> tuple[Fact, ...]:
    """The facts of one table row, read with its header row: each cell that is one number measures the row's
    label (less its numbering and 其中), in the unit its column heading gives in brackets (or the label's own
    bracket); a heading of growth (比上年增长（%）) makes it a change, of 比重 a share; a heading naming a year
    dates it. A row whose cells do not line up with the header gives nothing (its prose facts stand)."""
    bar = separator.strip()
    cells, headings = row.split(bar), header.split(bar)  # a stored header has lost its empty corner's spaces
    if len(cells) < 2 or len(cells) != len(headings):
        return ()
    label = _ROW_LABEL_LEADING.sub("", cells[0].strip()).replace(" ", "")
    scoped = bool(_THRESHOLD.search(label))
    label = _THRESHOLD.sub("", label)
    label_unit = _BRACKETED_UNIT.search(label)
    if label_unit:
        label = label[:label_unit.start()]
    if not re.search(r"[\u4e00-\u9fff]", label):
        return ()
    # the noun a level column names (产量（吨）) names the row's changes too: 粮食产量 grew 1.8%
    nouns = [words for words in (_BRACKETED_UNIT.sub("", heading.strip().replace(" ", "")) for heading in headings[1:])
             if not _COLUMN_PLAIN.match(words) and not _COLUMN_CHANGE.search(words) and not _COLUMN_SHARE.search(words)]
    if len(nouns) == 1 and nouns[0] not in label and len(nouns[0]) <= 6:
        label += nouns[0]
    # a column of units (指标 | 单位 | 绝对数 | 比上年增长（%）): the row's unit, for its columns of figures themselves
    unit_column = next((i for i, heading in enumerate(headings) if i and _UNIT_COLUMN.match(heading.strip().replace(" ", ""))), None)
    row_unit = cells[unit_column].strip() if unit_column is not None else ""
    row_unit = row_unit if _ROW_UNIT.match(row_unit) else ""
    facts, offset = [], len(cells[0]) + len(bar)
    for cell, heading in zip(cells[1:], headings[1:]):
        start = offset + len(cell) - len(cell.lstrip())
        offset += len(cell) + len(bar)
        number = cell.strip()
        if not _CELL_NUMBER.match(number):
            continue
        heading = heading.strip().replace(" ", "")
        bracket = _BRACKETED_UNIT.search(heading)
        words = heading[:bracket.start()] if bracket else heading
        unit = bracket.group(1) if bracket else label_unit.group(1) if label_unit else \
            row_unit if not (_COLUMN_CHANGE.search(words) or _COLUMN_SHARE.search(words)) else ""
        unit = "%" if unit == "％" else unit
        magnitude_free = number.lstrip("-−－")
        written = magnitude_free + unit if unit and not _CELL_NUMBER.match(unit) else magnitude_free
        figures = extract_figures(written)
        if not figures or figures[0].start != 0:
            continue
        figure = figures[0]
        measure = "change" if _COLUMN_CHANGE.search(words) else "share" if _COLUMN_SHARE.search(words) \
            else "count" if figure.kind == "count" else "level"
        year = _COLUMN_YEAR.match(words)
        first, last = (int(year.group(1)),) * 2 if year else (period.first, period.last)
        parsed = normalised_value(written)
        shown = ("-" if number[0] in "-−－" else "") + written
        qualifiers = tuple(name for name, pattern in _QUALIFIER_WORDS if pattern.search(label)) + \
            (("规模以上",) if scoped else ())
        signed = len(number) - len(magnitude_free)  # the span is the digits, as the passage's figure is
        facts.append(Fact(
            start=start + signed, end=start + len(number), text=shown, value=float(parsed[0]) if parsed else None,
            unit=parsed[1] if parsed else figure.unit, kind=figure.kind, indicator=label[-INDICATOR_REACH:],
            head=head_of(label), measure=measure, qualifiers=qualifiers, period_first=first, period_last=last,
            part=period.part, stance="target" if period.plan else "result", place=_place(label, place)))
    return tuple(facts)


def _items_completed(facts: list[Fact], where) -> tuple[Fact, ...]:
    """城镇、农村居民收入分别增长4.8%、5.9%: a listed item shorter than the last takes the words the last adds after
    the part they share (城镇 → 城镇居民收入; 城镇居民 → 城镇居民人均可支配收入 beside 农村居民人均可支配收入)."""
    last_of: dict[int, int] = {}
    for item, shared in where.items.values():
        last_of[shared] = max(item, last_of.get(shared, item))
    by_item = {where.items[fact.start][0]: fact for fact in facts if fact.start in where.items}
    completed = []
    for fact in facts:
        if fact.start in where.items:
            item, shared = where.items[fact.start]
            last = by_item.get(last_of[shared])
            if last is not None and item != last_of[shared]:
                indicator = _completed_item(fact.indicator, last.indicator)
                if indicator != fact.indicator:
                    qualifiers = tuple(dict.fromkeys(fact.qualifiers + tuple(
                        name for name, pattern in _QUALIFIER_WORDS if pattern.search(indicator))))
                    fact = replace(fact, indicator=indicator, head=head_of(indicator), qualifiers=qualifiers)
        completed.append(fact)
    return tuple(completed)


_MEASURED_TAIL = re.compile(r"增加值|产值|营业收入|主营业务收入|投资|产量|销售额|占\S*(?:比重|比例)|比重|参保率|覆盖率|普及率|参保人数")


def _completed_item(item: str, last: str) -> str:
    if not item or len(item) >= len(last):
        return item
    for size in range(len(item), 1, -1):  # the longest end of the item that the last item holds after its start
        at = last.find(item[-size:], 1)
        if at > 0:
            rest = last[at + size:]
            return item + rest if rest else item
    # 城镇 beside 农村居民收入, 苹果 beside 中药材产量: the last item's own words are as long as the item where a word
    # starts there (农村|居民收入), else its first word (中药材|产量); the rest is shared
    words = plain_words(last)
    if (len(item) != 2 and len(plain_words(item)) != 1) or len(words) < 2 or len(last) <= 3:
        # 装备制造业、高新技术产业增加值占规上工业的比重: an item naming no measure takes the last one's
        measured = _MEASURED_TAIL.search(last, 2)
        return item + last[measured.start():] if measured and not _MEASURED_TAIL.search(item) else item
    own = len(item) if len(item) < len(words[0]) and any(
        len(word) > 1 and last.startswith(word, len(item)) for word in tokenize(last)) else len(words[0])
    return item + last[own:]


def _indicator(text: str, figure: Figure, i: int, clauses: list[tuple[int, int]], where,
               figures: list[Figure]) -> str:
    clause_start = clauses[i][0]
    if figure.start in where.items:  # A、B分别增长7.4%、2.3%: the figure's own item
        item, _ = where.items[figure.start]
        words = text[clauses[item][0]:clauses[item][1]]
    else:
        # the words since the figure before it in the clause (总投资2550亿元的360个重点项目: 的, then 重点项目)
        previous = max((f.end for f in figures if where.clause_of.get(f.start) == i and f.end <= figure.start
                        and f.kind not in ("year", "date")), default=0)  # 财政收入从1997年的8651亿元: 财政收入's
        words = _YEAR_OF_START.sub("", text[max(clause_start, previous):figure.start])
        bare = _LEADING.sub("", _LINKING.sub("", words.strip("，、；,; 的")))
        short = len(re.sub(r"[^\u4e00-\u9fff]", "", bare)) < 2
        if short and previous > clause_start:
            words = ""
        elif (figure.start in where.subjectless or short) and i > 0:
            before, last = where.listed.get(i - 1, i - 1), i - 1
            level = _level_before_aside(text, i, clauses, where, figures)
            if level is not None:  # 地区生产总值达到5.53万亿元、稳居全国前十强、增长4.8%: the level's subject grew
                before = last = level
            while before > 0 and _METHOD_NOTE.fullmatch(text[clauses[before][0]:clauses[before][1]].strip("，,； ")):
                last = before = where.listed.get(before - 1, before - 1)  # 按可比价计算: how, not what
            while before > 0 and _subjectless_clause(before, where, figures) and \
                    not re.search(r"[。；;！？!?]", text[clauses[before - 1][0]:clauses[before][0]]):
                before = where.listed.get(before - 1, before - 1)  # 总值创历史新高，达到5379亿元、增长18.5%: the level's subject
            words = text[clauses[before][0]:clauses[last][1]] + words
    words = _HEAD_STOP.split(_BRACKETED_NOTE.sub("", words).strip("，、；。,;： "))
    words = [part for part in words if re.search(r"[\u4e00-\u9fff]", part)]
    indicator = words[-1] if words else ""
    back = 2  # 同比增长: the words of the level before; 达到5379亿元、增长: those of the level's subject before that
    while len(words) >= back and len(_LINKING.sub("", _LEADING.sub("", _without_figures(indicator)))) < 2:
        indicator = words[-back] + indicator
        back += 1
    indicator = _without_figures(indicator)  # 地区生产总值达到784.23亿元，同比增长1.3%: not the level
    indicator = _THRESHOLD_PASSED.sub("", indicator)
    indicator = _LINKING.sub("", FOOTNOTE_MARK.sub("", indicator).strip())
    indicator = _LEADING.sub("", indicator)
    if _GENERIC_MEASURE.fullmatch(indicator) and i > 0 and figure.start not in where.items:
        indicator = _subject_said_before(text, i, clauses, where, figures) + indicator
    noun = _COUNTED_NOUN.match(text, figure.end, min(len(text), figure.end + 8))
    if noun:  # 200家企业: the counted thing follows
        noun = _NOUN_ENDS.split(noun.group(), maxsplit=1)[0]
        if len(noun) >= 2 and not _LINKING.fullmatch(noun) and not _TRAILING_QUALIFIER.match(noun):
            indicator = f"{indicator}…{noun}" if indicator else noun
    return indicator[-INDICATOR_REACH:]


# what is measured, without of what (参保人数, 产量): the clause before may name the thing (养老保险制度不断完善，参保人数…)
_GENERIC_MEASURE = re.compile(r"参保人数|参保率|覆盖率|产量|总产量|总产(?!值)|总量|规模|总额|增加值|产值|营业收入|人数|招生|毕业生|在校生|在校学生|"
                              r"吞吐量|(?:新)?开工(?:建设)?|(?:基本)?建成|竣工")
_OTHER_MEASURE_END = re.compile(r"(?:(?:播种|种植|收获)?面积|总?产量|[增减]产|招生|毕业生|在校生|在校学生|人数|总量|增加值|产值|航线|吞吐量|"
                                r"(?:新)?开工(?:建设)?|(?:基本)?建成|竣工)$")
# where a clause's subject ends and what is said of it begins (城镇职工基本养老保险|制度不断完善)
_PREDICATE_START = re.compile(r"制度|体系|工作|改革|不断|持续|进一步|稳步|加快|显著|明显|得到|取得|全面|深入|大幅|有效|"
                              r"初步|快速|较快|平稳|稳定|实现|完成|继续|保持|连续|再创|又创|首次")


def _subject_said_before(text: str, i: int, clauses: list[tuple[int, int]], where, figures: list[Figure]) -> str:
    """The thing a bare measure (参保人数, 总产量, 在校生) is of, named before it in its sentence: in the clauses of
    figures just before it (粮食播种面积…，总产量…; 普通初中招生…，毕业生…，在校生…), else as the subject of the first
    clause back that holds no figure (城镇职工基本养老保险制度不断完善，参保人数…)."""
    sentence = next(((a, b) for a, b in where.sentences if a <= clauses[i][0] < b), None)
    if sentence is None:
        return ""
    for back in range(i - 1, max(-1, i - 5), -1):
        start, end = clauses[back]
        if start < sentence[0]:
            return ""
        stated = [f for f in figures if start <= f.start < end]
        if not stated:
            return _subject_of_clause(text[start:end])
        thing = _thing_measured_before(text[start:stated[0].start])
        if thing is not None:
            return thing
    return ""


def _thing_measured_before(words: str) -> str | None:
    """粮食播种面积 before its figure: 粮食, the thing another measure of which it gave; "" when the words name no
    such measure; None when they are a bare measure too (毕业生), so the thing is further back."""
    named = _TIME_WORDS.sub("", _PLACE_WORDS.sub("", _LEADING.sub("", words.strip("，、；,; "))))
    measured = _OTHER_MEASURE_END.search(named)
    if measured is None:
        return ""
    if measured.start() == 0:
        return None
    thing = named[:measured.start()]
    return thing if 2 <= len(thing) <= 12 and re.fullmatch(r"[\u4e00-\u9fff]+", thing) else ""


def _subject_of_clause(words: str) -> str:
    """城镇职工基本养老保险 of 城镇职工基本养老保险制度不断完善: the words before what is said of them."""
    words = words.strip("，、；,; ")
    cut = _PREDICATE_START.search(words)
    subject = re.sub(r"(?:生产|事业|建设|发展)$", "", _LEADING.sub("", words[:cut.start()])) if cut else ""
    return subject if 2 <= len(subject) <= 14 and re.fullmatch(r"[\u4e00-\u9fff]+", subject) else ""


# what ends the reach of a 新增 leading a list: the level reached, a total
_LEVEL_WORDS = re.compile(r"达到|达|累计|总量|总数|共有|共计|合计|总计|总规模|保有量|稳定在|保持在|稳定|[。；;！？]")
_LIST_LEAD = re.compile(r"(?:^|[，,、；;：:]|全年|今年|年内|当年|去年|上年|\d{4}年)\s*$")


def _added_in_list(lead: str, figure: Figure) -> bool:
    """全年新增高新技术企业7家、院士工作站1家，科技型中小企业81家: each figure of a list led by 新增 (at the start of a
    clause, not inside a name like 城镇新增就业) is one added, while every item before it counts the same unit."""
    leads = list(NEWLY_ADDED.finditer(lead))
    if not leads:
        return False
    added = leads[-1]
    if _LEVEL_WORDS.search(lead, added.end()) or not _LIST_LEAD.search(lead[:added.start()]):
        return False
    unit = figure.unit.lstrip("万亿千百")
    items = re.split(r"[，,、]", lead[added.end():])[:-1]
    return all(any(f.unit.lstrip("万亿千百") == unit for f in extract_figures(item)) for item in items)


def _counted_after(text: str, figure: Figure) -> str:
    """The unit of what a bare number with its magnitude counts, named after it: 人 for 71万农村人口, 70多万群众,
    1亿多中小学生; 户 for 450万农村沼气用户; "" for anything else."""
    if not re.search(f"(?:{MAGNITUDE})[余多]?$", figure.text):
        return ""
    if _PEOPLE.match(text, figure.end, min(len(text), figure.end + 10)):
        return "人"
    return "户" if _HOUSEHOLDS.match(text, figure.end, min(len(text), figure.end + 10)) else ""


def _part_of(part: str, whole: str) -> str:
    """发明专利 of 专利申请: the part named with what the whole measures after the word they share (发明专利申请)."""
    whole = _LEADING.sub("", re.sub(r"^(?:完成|实现|新增|累计)", "", whole))
    for size in range(min(len(part), len(whole)) - 1, 1, -1):
        if whole.startswith(part[-size:]):
            return part + whole[size:]
    return part


def _without_figures(words: str) -> str:
    for inner in reversed(extract_figures(words)):
        if inner.kind not in ("year", "date", "rank"):
            words = words[:inner.start] + words[inner.end:]
    return words


def _subjectless_clause(k: int, where, figures: list[Figure]) -> bool:
    return any(where.clause_of.get(f.start) == k and f.start in where.subjectless for f in figures)


# an aside says where the level stands, with no subject of its own (稳居全国前十强, 创历史新高); 全省进出口总值创历史新高
# names its own subject
_ASIDE_START = re.compile(r"\s*(?:稳居|位居|跃居|居|创|保持|继续|连续|首次|排名|排|列|进入|迈上|跨上|跃上|跨入)")


def _level_before_aside(text: str, i: int, clauses: list[tuple[int, int]], where, figures: list[Figure]) -> int | None:
    """The clause two before clause ``i`` when the one between holds no figure and the two before does, all in one
    sentence: a figure's subject named with a first figure, then an aside (稳居全国前十强), then the second figure."""
    if i < 2 or not _ASIDE_START.match(text, clauses[i - 1][0]) or \
            any(where.clause_of.get(f.start) == i - 1 for f in figures) or \
            not any(where.clause_of.get(f.start) == i - 2 for f in figures) or \
            re.search(r"[。；;！？!?]", text[clauses[i - 2][1] - 1:clauses[i][0]]):
        return None
    return i - 2


def _listed_target(text: str, start: int) -> bool:
    """The figure stands in a list whose heading, before a colon in the same paragraph, names targets."""
    heading = _LIST_HEADING.search(text, max(0, start - LIST_REACH), start)
    return bool(heading and _TARGET.search(heading.group().split("：")[0]))


def _pair_partner(text: str, figure: Figure, figures: list[Figure]) -> Figure | None:
    """The figure of the same kind just before this one, when only 和, 与, 及 or 、 stand between them."""
    before = [f for f in figures if f.kind == figure.kind and f.end <= figure.start]
    if before and re.fullmatch(r"和|与|及|、", text[before[-1].end:figure.start]):
        return before[-1]
    return None


def _paired_place_split(indicator: str, text: str, figure: Figure, figures: list[Figure]) -> str:
    """城乡居民人均可支配收入达到2.36万元和1.53万元: a pair of figures for 城乡 is the towns' then the countryside's."""
    if not _TOWN_AND_COUNTRY.search(indicator):
        return indicator
    alike = [f for f in figures if f.kind == figure.kind]
    position = alike.index(figure) if figure in alike else -1
    before = alike[position - 1] if position > 0 else None
    after = alike[position + 1] if 0 <= position < len(alike) - 1 else None
    if before is not None and _PAIR_JOIN.fullmatch(text[before.end:figure.start]) and not (
            position > 1 and _PAIR_JOIN.fullmatch(text[alike[position - 2].end:before.start])):
        return _TOWN_AND_COUNTRY.sub("农村", indicator, count=1)
    if after is not None and _PAIR_JOIN.fullmatch(text[figure.end:after.start]) and not (
            position + 2 < len(alike) and _PAIR_JOIN.fullmatch(text[after.end:alike[position + 2].start])):
        return _TOWN_AND_COUNTRY.sub("城镇", indicator, count=1)
    return indicator


def _measure(text: str, figure: Figure, near: str, indicator: str, where) -> str:
    if figure.kind in ("year", "date"):
        return "date"
    if figure.kind == "rank":
        return "rank"
    if "百分点" in figure.unit or figure.start in where.changes:
        return "change"
    if figure.kind == "percent":
        if _REACHED.search(near) and _SHARE_WORDS.search(near + indicator):
            return "share"  # 赤字率下降到1.5%左右: the rate it reached
        if _CHANGE_BEFORE.search(near) or re.search(r"增长|增速|增幅|涨幅|降幅|下降|上涨", near[-6:]):
            return "change"
        return "share" if _SHARE_WORDS.search(near + indicator) else "change" if re.search(r"增|降|涨", near) \
            else "share"
    if figure.kind == "multiple":
        return "share"
    if figure.kind == "count" or (figure.kind == "number" and "…" in indicator):
        return "count"
    if _CHANGE_BEFORE.search(near):
        return "change"
    return "level"


_DESIGNATION_AFTER = 16  # characters after a figure where the national title of what it counts may end (7项全国…试点)


def _place(words: str, document_place: str, after: str = "") -> str:
    """``after``: the text after the figure, where what it counts may be named a national title (7项全国市场监管重大改革
    创新试点 are the province's, not the nation's)."""
    if _NATIONAL.search(words) and document_place not in ("全国", ""):
        title = re.split(r"[，。；;]", after, maxsplit=1)[0]
        if re.search(r"全国(?:第|前|首|排|位|平均|水平|率先|领先|[\d一二三四五六七八九十]+强)|高于全国|低于全国|在全国|全国性|"
                     r"全国(?:\S{0,6})(?:试点|示范|改革|创新|标杆|样板)", words + title):
            return document_place  # 居全国第3位, 高于全国平均: the document's place measured against the nation
        return "全国"
    return document_place


def find_facts(store, indicator: str, places: set[str] = frozenset(), years: set[int] = frozenset(),
               measure: str | None = None, limit: int = 50) -> list[tuple[str, Fact]]:
    """The stored facts whose indicator or head holds ``indicator`` (traditional or full-width forms folded), of the
    given places (the fact's place, or its document's place or province) and years, each with its passage id."""
    from .tokens import normalise

    wanted = normalise(indicator).strip()
    documents = getattr(store, "documents", None) or {}
    found = []
    for position in range(len(store)):
        facts = store.facts(position)
        if not facts:
            continue
        matching = [fact for fact in facts if wanted in normalise(fact.indicator) or wanted in fact.head]
        if not matching:
            continue
        passage = store.passage(position)
        info = documents.get(passage.source)
        document_places = {fact_place for fact_place in (getattr(info, "place", ""), getattr(info, "province", ""))
                           if fact_place}
        for fact in matching:
            if places and fact.place not in places and not (fact.place != "全国" and document_places & places):
                continue
            if years and (fact.period_first is None or
                          not any(fact.period_first <= year <= (fact.period_last or fact.period_first)
                                  for year in years)):
                continue
            if measure and fact.measure != measure:
                continue
            found.append((passage.id, fact))
            if len(found) >= limit:
                return found
    return found


# what may stand between the thing a question counts and its question word: 工业企业有多少, 企业数量是多少
_BEFORE_ASKING = re.compile(r"(?:的)?(?:数量|数目|总数|个数|家数|人数)?(?:的)?(?:预期目标|目标|预期|计划|实际|完成|情况|规模|总量)*"
                            r"(?:一共|总共|共|合计)?(?:有|为|是|达到|达|约)?(?:多少|几|[？?]|$)")


def _asked_of(head: str, question: str) -> bool:
    """The question asks for the head itself (工业企业有多少家), not for something of it (工业企业实现利润多少)."""
    at = question.rfind(head)
    return bool(_BEFORE_ASKING.match(question, at + len(head)))


class IndicatorUnits:
    """What each indicator head is measured in across an index, counted from its facts at build time: 常住人口 →
    persons, 城镇化率 → a percent. Kept for the heads that occur often enough to say (``MIN_FACTS``)."""

    MIN_FACTS = 5

    def __init__(self, counts: dict[str, dict[str, int]] | None = None):
        self.counts = counts or {}

    def add(self, facts) -> None:
        for fact in facts:
            if fact.measure in ("level", "count", "share") and len(fact.head) >= 2:
                kinds = self.counts.setdefault(fact.head, {})
                kinds[fact.kind] = kinds.get(fact.kind, 0) + 1

    def kept(self) -> dict[str, dict[str, int]]:
        return {head: kinds for head, kinds in self.counts.items() if sum(kinds.values()) >= self.MIN_FACTS}

    def expected_kinds(self, question: str, share: float = 0.8) -> frozenset[str]:
        """The kinds the longest head a question names is stated in, when one kind or two cover ``share`` of its
        levels; empty when the question names none or the reports measure it in many ways."""
        named = [head for head in self.counts if len(head) >= 3 and head in question and _asked_of(head, question)]
        if not named:
            return frozenset()
        kinds = self.counts[max(named, key=len)]
        total = sum(kinds.values())
        top = sorted(kinds, key=kinds.get, reverse=True)[:2]
        covered = 0
        chosen = []
        for kind in top:
            chosen.append(kind)
            covered += kinds[kind]
            if covered >= share * total:
                return frozenset(chosen)
        return frozenset()
