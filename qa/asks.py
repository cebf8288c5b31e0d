"""Several asks in one question: "2021年和2023年的地区生产总值分别是多少", "GDP in 2021 and 2022",
"北京和上海的城镇新增就业", "2021年地区生产总值和社会消费品零售总额分别是多少".

A question asks several things when it lists years, places, or (with 分别) indicators joined by
和 / 与 / 及 / 、 / and. Each ask becomes a question of its own, the list replaced by one of its
items and 分别 / respectively dropped; years and places multiply (two places in two years are four
asks). A range (2021年至2023年, between 2021 and 2023) is one period, not a list.
"""

from __future__ import annotations

import itertools
import re

from .places import find_places
from .vocabulary import ITEM_JOIN

MAX_ASKS = 6
_JOIN = r"\s*(?:和|与|及|以及|、|，|,|&|\band\b|\bor\b)\s*"
_YEAR = r"(?<![\d.])(?:19|20)\d{2}(?![\d.%])"
_YEAR_LIST = re.compile(rf"({_YEAR})(\s*年(?:度)?)?((?:{_JOIN}{_YEAR}(?:\s*年(?:度)?)?)+)")
_BETWEEN = re.compile(r"between\s*$|from\s*$", re.I)
_RESPECTIVELY = re.compile(r"分别|各自|,?\s*respectively|\beach\b")
# 分别 with a list of indicators before it: the list runs back to the last year, place or clause mark
_INDICATORS = re.compile(r"(?P<items>[^，。？?！,；;年]{2,40}?(?:(?:和|与|及|、)[^，。？?！,；;和与及、]{2,20})+)(?=分别|各自)")


def _year_variants(question: str) -> list[tuple[int, int, list[str]]]:
    found = []
    for match in _YEAR_LIST.finditer(question):
        if _BETWEEN.search(question[: match.start()]):
            continue
        years = re.findall(_YEAR, match.group())
        suffix = "年" if "年" in match.group() else ""
        if len(set(years)) > 1:
            found.append((match.start(), match.end(), [f"{year}{suffix}" for year in dict.fromkeys(years)]))
    return found


def _place_variants(question: str) -> list[tuple[int, int, list[str]]]:
    mentions = find_places(question)
    runs, run = [], []
    for mention in mentions:
        if run and re.fullmatch(_JOIN, question[run[-1].end : mention.start]):
            run.append(mention)
            continue
        if len(run) > 1:
            runs.append(run)
        run = [mention]
    if len(run) > 1:
        runs.append(run)
    return [(run[0].start, run[-1].end, [mention.text for mention in dict((m.place, m) for m in run).values()])
            for run in runs if len({m.place for m in run}) > 1]


def _indicator_variants(question: str, taken: list[tuple[int, int]]) -> list[tuple[int, int, list[str]]]:
    match = _INDICATORS.search(question)
    if match is None or any(start < match.end("items") and match.start("items") < end for start, end in taken):
        return []
    items = [item.strip() for item in ITEM_JOIN.split(match.group("items")) if item.strip()]
    return [(match.start("items"), match.end("items"), items)] if len(items) > 1 else []


def split_asks(question: str) -> list[str]:
    """The separate asks of a question, or the question alone when it asks one thing."""
    variants = _year_variants(question) + _place_variants(question)
    variants += _indicator_variants(question, [(start, end) for start, end, _ in variants])
    if not variants:
        return [question]
    variants.sort()
    asks = []
    for choice in itertools.product(*(items for _, _, items in variants)):
        pieces, position = [], 0
        for (start, end, _), item in zip(variants, choice):
            pieces += [question[position:start], item]
            position = end
        pieces.append(question[position:])
        ask = _RESPECTIVELY.sub("", "".join(pieces)).strip()
        asks.append(re.sub(r"\s{2,}", " ", ask))
        if len(asks) == MAX_ASKS:
            break
    return list(dict.fromkeys(asks))
