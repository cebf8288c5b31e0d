"""Find numeric figures (amounts, rates, counts, dates, ranks, ...) in Chinese report text.

Matching runs on the original string (no normalisation), so full-width digits
(０-９), ％ and the full-width decimal point ． work and every offset indexes the
text that was passed in.

Conventions:
- ``unit`` is everything written after the digits: magnitude, the 余/多
  qualifier and the unit itself. "784.2亿元" -> "亿元", "6.8万余人" -> "万余人"
  (kind "count"), "400多万平方" -> "多万平方" (kind "area").
- A number with only a magnitude is kind "number": "12万" -> unit "万".
- Qualifiers before or after the figure (近, 约, 超, 以上, 左右, ...) are left out:
  "40%以上" gives "40%".
- Dates: unit is the last calendar suffix ("2月21日" -> "日", "1-11月" -> "月",
  "6-12月份" -> "月份"), "" for "7·20". A 4-digit number (1800-2199) followed by
  年 is kind "year" ("2021年"); any other number of 年 is a duration ("5年").
- Ranks: 第 + Arabic or Chinese numeral, optionally followed by 位/名 (which then
  is the unit), and 首位. Chinese numerals are accepted only after 第, so slogans
  such as "三个二七", "十大政策", "十三五" are never figures.
- Digits glued to Latin letters or "+" are identifiers or formulas ("PM2.5",
  "X014", "4A级", "1+N") and are skipped, as are bare numbers that are list
  markers ("1 千方百计"), wrapped in quotes or brackets ("“153”"), or house
  numbers ("47号").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .vocabulary import MAGNITUDE

KINDS = (
    "money",
    "percent",
    "count",
    "area",
    "length",
    "weight",
    "volume",
    "concentration",
    "energy",
    "multiple",
    "duration",
    "compute",
    "date",
    "year",
    "rank",
    "number",
)


@dataclass(frozen=True)
class Figure:
    start: int  # offset within the text passed in
    end: int  # exclusive
    text: str  # == text[start:end]
    kind: str  # one of KINDS
    unit: str  # the unit as written, e.g. "亿元", "%", "万人", "平方米", "" for none


UNITS_BY_KIND: dict[str, tuple[str, ...]] = {
    "money": ("元", "美元", "欧元", "港元", "日元", "英镑", "人民币"),
    "percent": ("%", "％", "‰", "个百分点", "百分点"),
    "count": (
        "人", "人次", "个", "家", "所", "处", "条", "项", "件", "栋", "幢", "户",
        "部", "宗", "座", "辆", "名", "场", "次", "批", "剂", "剂次", "套", "间",
        "张", "台", "本", "篇", "类", "支", "只", "位", "封", "轮", "例", "种",
        "头", "棵", "株", "架", "艘", "份", "组", "届", "册", "起", "笔",
        "标准箱", "标箱", "列", "枚", "块", "颗", "对", "卷",  # containers (TEU), trains, medals, chips, satellites
    ),
    "area": ("平方米", "平方公里", "平方千米", "平方", "平米", "公顷", "亩", "㎡", "m²", "km²"),
    "length": ("公里", "千米", "米", "厘米", "毫米", "km"),
    "weight": ("吨", "公斤", "千克", "克", "斤", "kg"),
    "volume": ("立方米", "立方", "方", "m³"),  # 6600万方: cubic metres of water or gas
    "concentration": ("微克/立方米", "毫克/立方米", "毫克/升", "微克／立方米", "毫克／立方米", "毫克／升",  # ／: full width
                      "μg/m³", "μg/m3", "mg/m³", "mg/L"),
    "energy": ("千瓦时", "千瓦", "兆瓦", "吉瓦", "度"),  # power and electricity: 1.35亿千瓦, 3150亿度
    "multiple": ("倍",),
    "compute": ("EFLOPS", "PFLOPS", "EFlops", "PFlops", "P"),  # computing power: 9.4万P
    "duration": (
        "年", "个月", "周", "周年", "周岁", "岁", "天", "小时", "个小时", "分钟", "秒",
        "工作日", "个工作日",
    ),
}
KIND_OF_UNIT = {unit: kind for kind, units in UNITS_BY_KIND.items() for unit in units}

_DIGIT = "[0-9０-９]"
_LETTER = "A-Za-zＡ-Ｚａ-ｚ"
# Atomic so that a rejected thousands group or decimal never backtracks into a shorter number.
_NUMBER = (
    rf"(?>(?:{_DIGIT}{{1,3}}(?:,{_DIGIT}{{3}})+(?!{_DIGIT})|{_DIGIT}+)(?:[.．]{_DIGIT}+)?)"
)
_RANGE_SEP = "[-~～－—–]"
_MAGNITUDE = MAGNITUDE
# a unit that also opens common words is a unit only where it ends its word (5方面 is no volume)
_NOT_UNIT_BEFORE = {"方": "面案式向法针阵舱位圆正便略剂"}
_UNIT_ALTERNATION = "|".join(re.escape(u) + (f"(?![{_NOT_UNIT_BEFORE[u]}])" if u in _NOT_UNIT_BEFORE else "")
                             for u in sorted(KIND_OF_UNIT, key=len, reverse=True))

_QUANTITY_RE = re.compile(
    rf"(?<![{_LETTER}0-9０-９.．+＋])"
    rf"(?P<num>{_NUMBER}(?:{_RANGE_SEP}{_NUMBER})?)"
    rf"(?P<qualifier>[余多](?:{_MAGNITUDE})?|(?:{_MAGNITUDE})[余多]?)?"
    rf"(?:(?P<unit>{_UNIT_ALTERNATION})(?![{_LETTER}]))?"
)

# a minus sign before a rate, after a word or a mark rather than a number (增长-0.5%, 自然增长率-0.57‰, 为-1.2%)
_MINUS_BEFORE = re.compile(r"(?<=[\u4e00-\u9fff：:，,（(\s])[-−－]$")

_DATE_RE = re.compile(
    rf"(?<![{_LETTER}0-9０-９.．])"
    rf"(?:(?P<year>{_DIGIT}{{4}})年)?"
    rf"(?:(?P<first_month>{_DIGIT}{{1,2}})(?:{_RANGE_SEP}|至))?"
    rf"(?P<month>{_DIGIT}{{1,2}})(?P<month_suffix>月份?)"
    rf"(?:(?P<day>{_DIGIT}{{1,2}})(?P<day_suffix>[日号]))?"
)
# "7·20": month·day, the usual way to name a disaster or event day.
_DOT_DATE_RE = re.compile(
    rf"(?<![{_LETTER}0-9０-９.．·・])"
    rf"(?P<month>{_DIGIT}{{1,2}})[·・](?P<day>{_DIGIT}{{1,2}})"
    rf"(?![0-9０-９.．·・])"
)
# 号 alone is left out: "47号" is far more often an address than a day.
_DAY_RE = re.compile(rf"(?<![{_LETTER}0-9０-９.．月])(?P<day>{_DIGIT}{{1,2}})日")

_CHINESE_NUMERALS = "一二三四五六七八九十百千零〇两"
# 第一 in idioms ("第一时间", "第一线") and category names ("第三产业") is no ranking.
_NOT_A_RANK_AFTER = "时间|线|书记|责任人|要务|动力|资源|生产力|品牌|方|产业|课堂"
_RANK_RE = re.compile(
    rf"第(?:{_NUMBER}|[{_CHINESE_NUMERALS}]++(?!{_NOT_A_RANK_AFTER}))(?P<suffix>[位名])?"
    rf"|首(?P<first_suffix>位)(?!度)"
)

_OPENERS = "“\"「『（(【《‘'"
_CLOSERS = "”\"」』）)】》’'"
_LIST_MARKER_FOLLOWERS = " \t\u3000、.．)）"
# A bare number glued to a letter or "+" is a code or formula ("4A级", "5G", "1+N"); 号 marks a house number.
_IDENTIFIER_NEXT_RE = re.compile(rf"[{_LETTER}+＋号]")


def extract_figures(text: str) -> list[Figure]:
    """All figures in ``text``, sorted by start, non-overlapping; longest candidate wins."""
    candidates = [*_quantities(text), *_dates(text), *_ranks(text)]
    # Longest first; on equal length the earlier start, then the more specific pattern.
    candidates.sort(key=lambda c: (c[0] - c[1], c[0], c[4]))
    taken = bytearray(len(text))
    chosen = []
    for start, end, kind, unit, _priority in candidates:
        if taken.find(1, start, end) != -1:
            continue
        taken[start:end] = b"\x01" * (end - start)
        chosen.append(Figure(start, end, text[start:end], kind, unit))
    chosen.sort(key=lambda f: f.start)
    return chosen


def figure_spans(text: str) -> list[tuple[int, int]]:
    return [(f.start, f.end) for f in extract_figures(text)]


_DATE_PRIORITY, _RANK_PRIORITY, _QUANTITY_PRIORITY = 0, 1, 2


def _quantities(text: str):
    for m in _QUANTITY_RE.finditer(text):
        unit = m.group("unit")
        qualifier = m.group("qualifier") or ""
        if unit is None and not qualifier and _is_identifier_or_label(text, m.start(), m.end("num")):
            continue
        if unit is None:
            kind = "number"
        elif unit == "年" and not qualifier and _looks_like_year(m.group("num")):
            kind = "year"
        else:
            kind = KIND_OF_UNIT[unit]
        start = m.start()
        if kind == "percent" and _MINUS_BEFORE.search(text, 0, start):  # 自然增长率-0.57‰: a negative rate
            start -= 1
        yield start, m.end(), kind, qualifier + (unit or ""), _QUANTITY_PRIORITY


def _is_identifier_or_label(text: str, start: int, num_end: int) -> bool:
    after = text[num_end : num_end + 1]
    if _IDENTIFIER_NEXT_RE.fullmatch(after):
        return True
    before = text[start - 1 : start]
    if before and after and before in _OPENERS and after in _CLOSERS:
        return True
    line_start = text.rfind("\n", 0, start) + 1
    return bool(after) and after in _LIST_MARKER_FOLLOWERS and not text[line_start:start].strip()


def _looks_like_year(num: str) -> bool:
    first = re.split(_RANGE_SEP, num, maxsplit=1)[0]
    return len(first) == 4 and first.isdigit() and 1800 <= int(first) <= 2199


def _dates(text: str):
    for m in _DATE_RE.finditer(text):
        month = int(m.group("month"))
        first_month = m.group("first_month")
        day = m.group("day")
        if not 1 <= month <= 12:
            continue
        if first_month is not None and not 1 <= int(first_month) < month:
            continue
        if day is not None and 1 <= int(day) <= 31:
            yield m.start(), m.end(), "date", m.group("day_suffix"), _DATE_PRIORITY
        else:  # an impossible day still leaves a valid month ("5月32日" -> "5月")
            yield m.start(), m.end("month_suffix"), "date", m.group("month_suffix"), _DATE_PRIORITY
    for m in _DOT_DATE_RE.finditer(text):
        if 1 <= int(m.group("month")) <= 12 and 1 <= int(m.group("day")) <= 31:
            yield m.start(), m.end(), "date", "", _DATE_PRIORITY
    for m in _DAY_RE.finditer(text):
        if 1 <= int(m.group("day")) <= 31:
            yield m.start(), m.end(), "date", "日", _DATE_PRIORITY


def _ranks(text: str):
    for m in _RANK_RE.finditer(text):
        unit = m.group("suffix") or m.group("first_suffix") or ""
        yield m.start(), m.end(), "rank", unit, _RANK_PRIORITY
