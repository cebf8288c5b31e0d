"""Place awareness in ranking: the places a question names, and whether a document is from there.

A pile of reports holds the same indicators (GDP, 城镇新增就业, 一般公共预算收入 …) for many
places, so "2025年江苏省城镇新增就业多少人" must prefer Jiangsu's report over Beijing's. Places are
matched the way periods are: the question's places (``qa.places.find_places``: Chinese names with
or without 省/市/自治区, short forms such as 广西 or 内蒙, capitals, English names such as
"Inner Mongolia" or "Tibet (Xizang)") against the place each document states about itself
(``DocumentInfo.place`` and ``province``, read from the report by ``qa.metadata``).

* A document of an asked place (or of the province an asked city lies in) agrees (+1).
* A document of another provincial-level division, or the national report when a province is
  asked, disagrees (−1): it is demoted, never hidden.
* The nation counts as asked only when the question names no other place ("China's GDP",
  全国财政收入); being often an adjective ("全国百强区", "national pilot"), it weighs half.
* A document whose place, or whose place's province, is unknown is neither (0).
* A place the table does not know but some report of the index is of (二七区, "Erqi District": the
  index's places, ``index_place_names``) is asked too; as its province is unknown, a report of it and
  a report of unknown place are neither, and a report of another place is demoted (−1).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import rjieba

from .places import HAN, ENGLISH_LEVEL_WORDS, LEVEL_ENDINGS, NATIONAL, PROVINCE, english_name, find_places, lookup, named_places, place_base
from .query import glossary
from .vocabulary import YEAR

NATION_WEIGHT = 0.5  # the nation named alone: half the weight of a named province


@dataclass(frozen=True)
class AskedPlaces:
    regions: frozenset[str] = frozenset()  # provincial-level divisions asked about (河南省), or 全国
    places: frozenset[str] = frozenset()  # every place named, at any level (郑州市, 二七区, 河南省)
    national: bool = False  # only the nation is named
    unresolved: bool = False  # places of the index's reports the place table cannot put in a province

    def __bool__(self) -> bool:
        return bool(self.regions)

    def label(self) -> str:
        return "、".join(sorted(self.regions))


@lru_cache(maxsize=2048)
def asked_places(question: str) -> AskedPlaces:
    """The places a question asks about, as provincial-level divisions (or the nation)."""
    regions, places = set(), set()
    national = False
    for mention in find_places(question):
        place = mention.place
        if place.level == NATIONAL:
            national = True
            continue
        places.add(place.name)
        province = place.province
        if province is not None:
            regions.add(province.name)
    if regions:
        return AskedPlaces(frozenset(regions), frozenset(places))
    if national:
        name = _nation_name()
        return AskedPlaces(frozenset({name}), frozenset({name}), national=True)
    return AskedPlaces(frozenset(), frozenset(places))


@lru_cache(maxsize=1)
def _nation_name() -> str:
    from .places import nation

    return nation().name


@lru_cache(maxsize=4096)
def _region_of(place: str, province: str) -> str | None:
    """The provincial-level division a document belongs to (or the nation), None when unknown."""
    if province:
        return province
    if not place:
        return None
    found = lookup(place)
    if found is None:
        return None
    if found.level == NATIONAL:
        return found.name
    if found.level == PROVINCE:
        return found.name
    parent = found.province
    return parent.name if parent is not None else None


def document_region(info) -> str | None:
    """The provincial-level division (or 全国) a document's metadata places it in; None when unknown."""
    if info is None:
        return None
    return _region_of(getattr(info, "place", "") or "", getattr(info, "province", "") or "")


_GENERIC_WORDS = {"district", "city", "county", "province", "municipality", "autonomous", "region", "prefecture",
                  "league", "banner", "special", "administrative", "zhuang", "hui", "uygur"}


@lru_cache(maxsize=64)
def index_place_names(places: frozenset[str]) -> dict[str, str]:
    """The index's places and their provinces, by name and by the words of their English names (二七区, erqi →
    二七区; shandong → 山东省)."""
    # in a fixed order, so that a short name two places share (清苑 for 清苑区 and 清苑县) names the same one in every
    # process (a set's order changes with the process's hash seed)
    ordered = sorted(places)
    found = {place: place for place in ordered}
    # the forms a question uses for a place the table need not know: 黔东南 and 黔东南州 for 黔东南苗族侗族自治州
    for place in ordered:
        base = place_base(place)
        if len(base) >= 2 and base != place:
            found.setdefault(base, place)
            found.setdefault(base + place[-1], place)
    for place in ordered:
        for word in english_name(place).lower().split():
            if word not in _GENERIC_WORDS:
                found.setdefault(word, place)
    return found


def asked_index_places(question: str, names: dict[str, str]) -> AskedPlaces:
    """What ``asked_places`` finds, else the index's places the question names (``index_place_names``), marked
    unresolved: a district the place table does not know (二七区), in Chinese or by its English name."""
    asked = asked_places(question)
    if not names:
        return asked
    if asked and not asked.national:
        # Qiandongnan Prefecture (Guizhou): the table's places only stand beside the index's place asked
        around = places_in_asides(question, names.values())
        if {place_base(place) for place in asked.places} <= around:
            inner = frozenset(place for place in index_places_named(question, names) if place_base(place) not in around)
            return AskedPlaces(inner, inner, unresolved=True) if inner else asked
    if asked:
        return asked
    named = index_places_named(question, names)
    return AskedPlaces(named, named, unresolved=True) if named else asked


def index_places_named(question: str, names: dict[str, str]) -> frozenset[str]:
    """The index's places (``index_place_names``) a question names, in Chinese or by an English word.

    A name inside a longer one the question gives is not named apart (清苑县 names 清苑县, not also what 清苑
    alone stands for), and a short name two places share names both (清苑 for 清苑区 and 清苑县; "Qingyuan"
    for both, "Qingyuan County" for the county)."""
    places = set(names.values())
    found: set[str] = set()
    spans = [(match.start(), match.end(), name) for name in names if not name.isascii()
             for match in re.finditer(re.escape(name), question)]
    for start, end, name in spans:
        if any(s <= start and end <= e and (e - s) > (end - start) for s, e, _ in spans):
            continue
        found |= _places_called(name, names[name], places)
    lowered = question.lower()
    words = set(re.findall(r"[a-z]+", lowered))
    for name in names:
        if name.isascii() and name in words:
            sharing = {place for place in places if name in english_name(place).lower().split()}
            spelled_out = {place for place in sharing if english_name(place).lower() in lowered}
            found |= spelled_out or sharing or {names[name]}
    return frozenset(found)


def _places_called(name: str, place: str, places: set[str]) -> set[str]:
    """The places a Chinese name stands for: the place itself when the name is whole, else every place of the
    index whose short form it is."""
    if name in places:
        return {name}
    sharing = {other for other in places if name in (place_base(other), place_base(other) + other[-1])}
    return sharing or {place}


def place_names_asked(question: str, index_places: dict[str, str]) -> list[set[str]]:
    """The places a question names (other than the nation), each as the names a passage may give it: the place
    table's, the index's (``index_place_names``: 二七区, which the table need not know) and places nothing knows
    (``unknown_places``: 苏州市, "Suzhou's GDP")."""
    asked = [{mention.place.name, mention.text} for mention in find_places(question) if mention.place.level != NATIONAL]
    asked += [{name} for name in index_places_named(question, index_places)
              if not any(name in names for names in asked)]
    asked += [set(names) for names in unknown_places(question, index_places)]
    return asked


# "Suzhou's", "Huiji District": a name an English question gives a place, known to the place table or not
_ENGLISH_PLACE_NAME = re.compile(
    rf"\b([A-Z][a-z]+(?:[ -][A-Z][a-z]+)?)(?:['’]s)?\s+(?:{'|'.join(sorted(ENGLISH_LEVEL_WORDS))})\b"
    r"|(?<![.?!]\s)(?<!^)(?<!\bthe )\b([A-Z][a-z]+)['’]s\b")


@lru_cache(maxsize=1)
def _pinyin_syllables() -> frozenset[str]:
    from pypinyin import Style, lazy_pinyin

    return frozenset(lazy_pinyin([chr(code) for code in range(0x4E00, 0xA000)], style=Style.NORMAL, errors="ignore"))


@lru_cache(maxsize=1024)
def is_pinyin(word: str) -> bool:
    """Whether a word reads as Chinese syllables (suzhou, huiji, xi'an): a Chinese place's name, not "Party"."""
    word = word.lower().replace("'", "").replace("’", "").replace(" ", "").replace("-", "")
    syllables = _pinyin_syllables()
    reachable = [True] + [False] * len(word)
    for end in range(1, len(word) + 1):
        reachable[end] = any(reachable[start] and word[start:end] in syllables for start in range(max(0, end - 6), end))
    return len(word) > 1 and reachable[-1]


# what a word before a level is when it is no name: 各市县, 全市, 百强县, 示范区
_NOT_A_NAME = re.compile(r"^[各全本我该每其此这那诸多两数几首]|强|示范|先行|试点|重点|中心|[新城]$"
                         r"|^(?:城市|城镇|乡村|农村|沿海|沿江|园区)$")
# a national or provincial new area is named by its place (浦东新区, 滨海新区), unlike 城市新区
_NEW_AREA = re.compile(rf"[{HAN}]{{2,}}新区$")
_AFTER_A_NAME = LEVEL_ENDINGS | {"新区"}


def unknown_places(question: str, known: Iterable[str]) -> list[frozenset[str]]:
    """Places a question names that neither the place table, the glossary nor ``known`` (the index's places,
    their names and English words) knows, each as the names a passage may give it.

    English: a capitalised name before District, City … or a possessive ("What was Suzhou's GDP", "Huiji
    District's GDP") that reads as Chinese syllables (not "the Party's"). Chinese: a word jieba tags as a place
    and that ends with a level (苏州市, 洛阳市), or a place or proper name followed by 区, 县, 市, 旗 or 新区 (惠济 区,
    浦东新区), but not a generic one (各市县, 百强县, 城市新区); it may be written without the level (苏州)."""
    known = {name.lower() for name in known}
    mentioned = [mention.text.lower() for mention in find_places(question)]
    found: list[frozenset[str]] = []
    for match in _ENGLISH_PLACE_NAME.finditer(question):
        name = match.group(1) or match.group(2)
        words = name.lower().split()
        if any(word in " ".join(mentioned) or word in known for word in words):
            continue
        if not glossary().concepts(name)[1] or not is_pinyin(name):  # a term the glossary renders, or no Chinese name
            continue
        found.append(frozenset({name}))
    tags = rjieba.tag(YEAR.sub("，", question))  # a year's 年 may otherwise join the name after it (年雄安)
    for i, (word, tag) in enumerate(tags):
        if tag == "ns" and len(word) >= 3 and word[-1] in LEVEL_ENDINGS:
            name = word
        elif tag in ("ns", "nr", "nz") and len(word) >= 2 and i + 1 < len(tags) and tags[i + 1][0] in _AFTER_A_NAME:
            name = word + tags[i + 1][0]
        else:
            continue
        base = name[:-2] if _NEW_AREA.search(name) else name[:-1]
        if _NOT_A_NAME.search(base) or any(base in text or text in name for text in mentioned) \
                or any(base in other for other in known):
            continue
        found.append(frozenset({name, base}))
    return found


def place_agreement(asked: AskedPlaces, info) -> float:
    """+1 when a document is from an asked place, −1 when it is from another, 0 when either is unknown."""
    if not asked or info is None:
        return 0.0
    if asked.unresolved:  # a report of the place or of unknown place is neither; one of another place is demoted
        own = info.place in asked.places or (not info.place and document_region(info) is None)
        return 0.0 if own else -1.0
    weight = NATION_WEIGHT if asked.national else 1.0
    if info.place and info.place in asked.places:
        return weight
    region = document_region(info)
    if region is None:
        return 0.0
    return weight if region in asked.regions else -weight


def without_places(text: str, named_in: str | None = None) -> str:
    """``text`` with the places ``named_in`` (``text`` itself by default) names blanked out, longest first: what is
    left is what the question asks of them (新疆 and 新乡 are names, not what is new; 徐水区新修成 is not 区新)."""
    for mention in sorted({m.text for m in find_places(text if named_in is None else named_in)}, key=len, reverse=True):
        text = text.replace(mention, " ")
    return text


def place_bases(text: str) -> frozenset[str]:
    """The bases of the places a text names by an administrative suffix (周口市 → 周口, 黔东南苗族侗族自治州 → 黔东南),
    plus the Chinese names of places named in English (Baoding → 保定): what tells a report of one place from
    another's."""
    names = _names_written(text)
    around = places_around(text, names)
    return frozenset(base for base, _ in names if base not in around)


def places_around(text: str, names: list[tuple[str, str]] | None = None) -> frozenset[str]:
    """湖南省长沙市, 周口市鹿邑县: the bases of places written just before a place of a lower level, which lie around it;
    only the inner one is asked (``names``: the text's places as (base, as written), when already found)."""
    names = _names_written(text) if names is None else names
    return frozenset(outer for outer, written in names for inner, other in names
                     if inner != outer and written + other in text and _lies_within(other, written))


_ASIDE = re.compile(r"[(（]([^()（）]{2,60})[)）]")
ASIDE_REACH = 40  # characters before a bracket where the place it stands beside is named


def places_in_asides(text: str, index_places: Iterable[str] = ()) -> frozenset[str]:
    """Qingyuan County (Baoding, Hebei), 黔东南州（贵州）: the bases of places named in brackets just after another
    place, which lie around it; a place's own name in another language (Liping County (黎平县)) is not around it.
    ``index_places``: the index's places, known by their English names where the place table does not know them."""
    def named_in(part: str) -> set[str]:
        words = set(re.findall(r"[a-z]+", part.lower()))
        return set(place_bases(part)) | {place_base(place) for place in index_places
                                         if (english := english_name(place).lower().split())
                                         and english[0] not in _GENERIC_WORDS and english[0] in words}

    around: set[str] = set()
    for aside in _ASIDE.finditer(text):
        inside = named_in(aside.group(1))
        if inside and named_in(text[max(0, aside.start() - ASIDE_REACH):aside.start()]) - inside:
            around |= inside
    return frozenset(around)


def _names_written(text: str) -> list[tuple[str, str]]:
    names = list(named_places(text))
    for mention in find_places(text):
        if mention.place.level != NATIONAL:
            names.append((place_base(mention.place.name), mention.text))
    return names


_LEVEL_RANK = (("自治区", 0), ("省", 0), ("自治州", 1), ("州", 1), ("盟", 1), ("市", 1), ("县", 2), ("区", 2), ("旗", 2))


def _lies_within(inner: str, outer: str) -> bool:
    rank = lambda name: next((level for end, level in _LEVEL_RANK if name.endswith(end)), None)
    inside, around = rank(inner), rank(outer)
    if inside is None or around is None:
        return False
    return around < inside or (around == 1 and inner.endswith("市") and not outer.endswith("市"))  # 黔东南州凯里市
