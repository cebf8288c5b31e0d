"""Places: China's provincial-level divisions and the nation, found in Chinese and English text.

The table ``qa/data/places.tsv`` holds, for the nation and each of the 34 provincial-level
divisions, its full name, the short names text uses (河南, 广西), its one-character
abbreviations (豫, 桂), its English names and its capital. ``find_places`` matches, in this
order of precedence (an earlier match owns its characters):

1. an issuer written out with its administrative suffixes (``郑州市二七区人民政府``, ``在山东省
   第十四届人民代表大会``): one or more names of 2–6 Han characters (up to 10 before 自治州/
   自治县/自治区), each ending in 特别行政区/自治区/自治州/自治县/省/市/州/盟/县/区/旗, followed by
   人民政府, 政府工作报告, 人民代表大会, 人大, a leader's title (省长, 区长, 主席 …), 第…届 or a
   year; its first name is one the table knows, or it begins a line (after dashes, brackets or
   a year) or follows 在 or 代表. Each name becomes a ``Place`` whose parent is the name before
   it (郑州市二七区 → 二七区, parent 郑州市, whose own parent 河南省 the table knows);
2. table names: full names, short names (上海 and 上海市 are both 上海市), capitals (郑州 →
   the city 郑州市, parent 河南省), English names (case-insensitive, whole words: "Henan",
   "Zhejiang Province", "Inner Mongolia"). Leftmost-longest, so 浙江西部 is 浙江, not 江西;
   a short name that ends in 东/西/南/北 and is followed by 岸/麓/侧/坡/畔 is a bank or slope
   (黄河南岸), and a few fixed phrases (入海口, 经济南…) hide the name inside them;
3. one-character abbreviations, only where they cannot be ordinary words:
   * a run of 2–6 abbreviations of distinct places (京津冀, 苏浙沪, 川渝, 陕甘宁, 港澳台; 江浙 counts
     江 as 江苏), not followed by an administrative or landform character (新宁县, 云台山 are
     names of their own) and not one of a few common words made of them (青云, 藏青, 新台币 …).
     Abbreviations that are everyday characters count only beside clear ones: 青台甘黑吉 in a
     run of two with a clear partner (青藏, 闽台), 新宁云贵申秦蜀 only in runs of three or more
     that hold a clear one (陕甘宁, 云贵川), and 新 never opens or ends one (创新川渝, 甘川新通道) —
     so 出台新政策 and 至宁津 name nothing;
   * a single abbreviation as the first character of a short text (at most 40 characters, a
     question) when what follows is not a Han character (``豫 GDP``, ``苏2022年…``).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "places.tsv"

NATIONAL, PROVINCE, CITY, DISTRICT, COUNTY = "national", "province", "city", "district", "county"
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"

_SUFFIX_LEVEL = {"特别行政区": PROVINCE, "自治区": PROVINCE, "省": PROVINCE, "自治州": CITY, "州": CITY, "盟": CITY,
                 "市": CITY, "区": DISTRICT, "自治县": COUNTY, "自治旗": COUNTY, "县": COUNTY, "旗": COUNTY}
_SUFFIXES = "特别行政区|自治区|自治州|自治县|自治旗|省|市|州|盟|县|区|旗"
# one administrative name: 2–6 Han characters and a suffix (ethnic autonomous names run longer)
_SEGMENT = (rf"(?:[{HAN}]{{2,10}}?(?:自治州|自治县|自治区|自治旗)|[{HAN}]{{2,6}}?(?:{_SUFFIXES}))")
_SEGMENT_PARTS = re.compile(rf"([{HAN}]{{2,10}}?)(?:自治州|自治县|自治区|自治旗)|([{HAN}]{{2,6}}?)(?:{_SUFFIXES})")
COMPOUND = rf"(?:{_SEGMENT}){{1,4}}"
_NOT_A_BASE = {"自治", "特别行政", "人民", "全省", "全市", "全区", "全县", "本省", "本市", "本区", "市辖", "省辖",
               "地级", "县级", "市级", "省级", "区级"}
_LEADER = r"(?:代理|代)?(?:省长|市长|区长|县长|州长|盟长|旗长|主席)"
_ISSUER = re.compile(
    rf"({COMPOUND})(?=人民政府|政府工作报告|人民代表大会|人大|{_LEADER}|"
    rf"第?[一二三四五六七八九十〇零\d]+\s*届\s*(?:人民代表大会|人大|人民政府|政府)|(?:19|20)\d{{2}}\s*年)")
# what may stand before an issuer at the start of a line: dashes, brackets, a year
_LINE_LEAD = re.compile(r"[\s—―\-－–（(【\[“\"]*(?:(?:19|20)\d{2}\s*年)?\s*")
_MARKERS = ("在", "代表")
_NEVER_IN_NAMES = re.compile("[我们的了是把被请让这那该谁着过]")  # function words, not parts of place names

_DIRECTIONS = "东西南北"
_SLOPES = "岸麓侧坡畔"
_HIDING = ("入海口", "出海口", "经济南", "雅鲁藏布")  # fixed phrases that hold a name or abbreviations but are not one
_ABBREVIATION_WORDS = {"青云", "黑云", "云台", "藏青", "新贵", "新晋", "晋京", "新京", "新港", "澳新", "秦川", "台青",
                       "新台", "贵港"}
# abbreviations that are also everyday characters: in a run of two only beside a clear one
# (青藏, 闽台, 黑吉), the weakest only in runs of three or more (陕甘宁, 云贵川, 甘青新)
_WEAK = set("青台甘黑吉")
_WEAKEST = set("新宁云贵申秦蜀")
_AFTER_RUN = set("县市区镇乡村州盟旗路街山湖河江海岛港湾峡岭")
_RUN_PREFIX = {"江": "江苏省"}  # 江浙, 江浙沪: 江 stands for 江苏 only in front of 浙
_SHORT_TEXT = 40


@dataclass(frozen=True)
class Place:
    name: str  # full name: 河南省, 郑州市, 二七区, 全国
    level: str  # national / province / city / district / county
    parent: Place | None = None

    @property
    def province(self) -> Place | None:
        """The provincial-level division this place lies in (itself for a province)."""
        place: Place | None = self
        while place is not None and place.level != PROVINCE:
            place = place.parent
        return place

    def chain(self) -> tuple[Place, ...]:
        """The place and its parents, outermost first (the nation is left out)."""
        places, place = [], self
        while place is not None and place.level != NATIONAL:
            places.append(place)
            place = place.parent
        return tuple(reversed(places))


@dataclass(frozen=True)
class PlaceMention:
    place: Place
    start: int  # offsets in the searched text
    end: int
    text: str  # as written
    how: str  # "name", "short", "english", "capital", "abbreviation" or "issuer"


@dataclass(frozen=True)
class PlaceEntry:
    """One row of the table."""

    place: Place
    kind: str  # nation / province / autonomous region / municipality / special administrative region
    short: tuple[str, ...]
    abbreviations: tuple[str, ...]
    english: tuple[str, ...]
    capital: Place | None
    capital_english: tuple[str, ...]
    code: int = 0  # the division's code in GB/T 2260 (11 北京, 12 天津 … 65 新疆; 0 the nation): the usual order


def _split(value: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in value.split("|") if item.strip())


@lru_cache(maxsize=1)
def entries() -> tuple[PlaceEntry, ...]:
    """The table's rows: the nation and the provincial-level divisions."""
    with DATA.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    nation_row = next(row for row in rows if row["level"] == NATIONAL)
    nation = Place(nation_row["name"], NATIONAL)
    result = []
    for row in rows:
        place = nation if row is nation_row else Place(row["name"], row["level"], nation)
        capital = Place(row["capital"] + "市", CITY, place) if row["capital"] else None
        result.append(PlaceEntry(place, row["kind"], _split(row["short"]), _split(row["abbreviation"]),
                                 _split(row["english"]), capital, _split(row["capital_english"]),
                                 int(row.get("code") or 0)))
    return tuple(result)


def nation() -> Place:
    return next(entry.place for entry in entries() if entry.place.level == NATIONAL)


def provinces() -> tuple[Place, ...]:
    return tuple(entry.place for entry in entries() if entry.place.level == PROVINCE)


def administrative_order(named) -> list[str]:
    """Place names as lists of places print them: the nation first, then the provincial-level divisions in their
    GB/T 2260 order (北京 天津 河北 … 新疆), then the other places (cities, counties) grouped under their
    province in that order, by name within. ``named``: (name, its provincial-level division or "") pairs."""
    codes = {entry.place.name: entry.code for entry in entries()}
    unplaced = max(codes.values()) + 1

    def key(item: tuple[str, str]) -> tuple:
        name, province = item
        if name in codes:
            return (0, codes[name], "")
        return (1, codes.get(province, unplaced), name)

    return [name for name, _ in sorted(set(named), key=key)]


def entry_for(place: Place) -> PlaceEntry | None:
    """The table row of a provincial-level division or the nation (None for other places)."""
    return next((entry for entry in entries() if entry.place == place), None)


@lru_cache(maxsize=1)
def _names() -> dict[str, tuple[Place, str]]:
    """Every Chinese name the table knows → (place, how)."""
    names: dict[str, tuple[Place, str]] = {}
    for entry in entries():
        names[entry.place.name] = (entry.place, "name")
        for short in entry.short:
            names.setdefault(short, (entry.place, "short"))
        if entry.capital is not None:
            names.setdefault(entry.capital.name, (entry.capital, "capital"))
            names.setdefault(entry.capital.name[:-1], (entry.capital, "capital"))
    return names


@lru_cache(maxsize=1)
def _english() -> dict[str, tuple[Place, str]]:
    names: dict[str, tuple[Place, str]] = {}
    for entry in entries():
        for english in entry.english:
            names.setdefault(_fold(english), (entry.place, "english"))
        if entry.capital is not None:
            for english in entry.capital_english:
                names.setdefault(_fold(english), (entry.capital, "capital"))
    return names


@lru_cache(maxsize=1)
def _abbreviations() -> dict[str, Place]:
    return {abbreviation: entry.place for entry in entries() for abbreviation in entry.abbreviations}


def _fold(english: str) -> str:
    return re.sub(r"\s+", " ", english.replace("’", "'").replace("Ü", "U").replace("ü", "u")).strip().lower()


@lru_cache(maxsize=1)
def _chinese_pattern() -> re.Pattern:
    hiding = list(_HIDING)
    for name, (place, how) in _names().items():
        if how == "short" and name[-1] in _DIRECTIONS:
            hiding += [name + slope for slope in _SLOPES]
    alternatives = sorted(set(_names()) | set(hiding), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, alternatives)))


@lru_cache(maxsize=1)
def _english_pattern() -> re.Pattern:
    def pattern(name: str) -> str:
        return r"\s+".join(re.escape(word).replace("'", "['’]?").replace("u", "[uü]") for word in name.split())

    alternatives = sorted(_english(), key=len, reverse=True)
    return re.compile(r"(?<![A-Za-z])(?:" + "|".join(map(pattern, alternatives)) + r")(?![A-Za-z])", re.I)


def lookup(name: str) -> Place | None:
    """The place a name denotes: a table name (full, short, capital, English) or an administrative name."""
    name = name.strip()
    if name in _names():
        return _names()[name][0]
    if _fold(name) in _english():
        return _english()[_fold(name)][0]
    return parse_place_name(name)


@lru_cache(maxsize=1)
def _names_longest_first() -> tuple[str, ...]:
    return tuple(sorted(_names(), key=len, reverse=True))


def _segments(name: str) -> list[str] | None:
    """Split ``郑州市二七区`` into ``["郑州市", "二七区"]``; None when ``name`` is not made of place names.

    A table name is taken whole, with the suffix written after a short name (北京 + 市, 吉林 + 市).
    """
    segments, position = [], 0
    table = _names()
    while position < len(name):
        rest = name[position:]
        known = next((full for full in _names_longest_first()
                      if rest.startswith(full) and _is_suffix_start(rest[len(full):])), None)
        if known is not None:
            suffix = re.match(_SUFFIXES, rest[len(known):]) if table[known][0].name != known else None
            segment = rest[: len(known) + (len(suffix.group()) if suffix else 0)]
        else:
            match = _SEGMENT_PARTS.match(rest)
            if not match or (match.group(1) or match.group(2)) in _NOT_A_BASE \
                    or (match.group(1) or match.group(2)).endswith(("自治", "特别行政")):
                return None
            segment = match.group()
        segments.append(segment)
        position += len(segment)
    return segments or None


def _is_suffix_start(rest: str) -> bool:
    return rest == "" or re.match(_SUFFIXES, rest) is not None or re.match(_SEGMENT, rest) is not None


def _level(segment: str) -> str:
    for suffix in sorted(_SUFFIX_LEVEL, key=len, reverse=True):
        if segment.endswith(suffix):
            return _SUFFIX_LEVEL[suffix]
    return CITY


def parse_place_name(name: str) -> Place | None:
    """An administrative name, possibly nested (``河南省郑州市二七区``), as its innermost ``Place``.

    Names the table knows keep the table's place and parents; each other name's parent is the
    name written before it.
    """
    chain = parse_place_chain(name)
    return chain[-1] if chain else None


def parse_place_chain(name: str) -> list[Place]:
    segments = _segments(name.strip())
    if not segments:
        return []
    places: list[Place] = []
    table = _names()
    for segment in segments:
        if segment in table:
            place = table[segment][0]
        else:
            stem = segment[:-1]
            if stem in table and table[stem][1] == "short" and segment.endswith("市"):
                parent = table[stem][0]  # 吉林市: a city named like its province
            else:
                parent = places[-1] if places else None
            place = Place(segment, _level(segment), parent)
        places.append(place)
    return places


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = "\x00" * (end - start)
    return "".join(chars)


def _known_segment(segment: str) -> bool:
    return segment in _names() or (segment[:-1] in _names() and segment.endswith("市"))


def issuers(text: str) -> list[tuple[PlaceMention, ...]]:
    """Issuers written out with their suffixes, each as its chain of names (郑州市, 二七区).

    An issuer is followed by 人民政府, 政府工作报告, 人民代表大会, 人大, a leader's title (省长,
    市长, 区长, 主席 …), 第…届 (人民代表大会 / 人大 / 政府) or a year. Its first name is one the
    table knows (河南省, 郑州市, 吉林市), or else it begins a line (after dashes, brackets or a
    year) or follows 在 or 代表 — so 提请省人大 or 我代表省人民政府 name no issuer.
    """
    chains = []
    for match in _ISSUER.finditer(text):
        written, base = match.group(1), match.start(1)
        line_start = text.rfind("\n", 0, base) + 1
        for offset in range(len(written)):
            segments = _segments(written[offset:])
            if not segments:
                continue
            if any(marker in written[offset:] for marker in _MARKERS) or _NEVER_IN_NAMES.search(written[offset:]):
                continue
            before = text[line_start: base + offset]
            if _known_segment(segments[0]) or _LINE_LEAD.fullmatch(before) or before.endswith(_MARKERS):
                places = parse_place_chain(written[offset:])
                position, chain = base + offset, []
                for segment, place in zip(segments, places):
                    chain.append(PlaceMention(place, position, position + len(segment), segment, "issuer"))
                    position += len(segment)
                chains.append(tuple(chain))
                break
    return chains


def _run_allowed(run: str) -> bool:
    """Whether a run of abbreviations names places: 京津冀, 川渝, 青藏, 港澳台, 陕甘宁."""
    if any(word in run for word in _ABBREVIATION_WORDS):
        return False
    strong = sum(char not in _WEAK and char not in _WEAKEST for char in run)
    if len(run) == 2:
        return strong == 2 or (strong == 1 and not any(char in _WEAKEST for char in run))
    return strong >= 1


def _abbreviation_mentions(text: str, masked: str) -> list[PlaceMention]:
    table = _abbreviations()
    mentions = []
    for match in re.finditer(f"[{re.escape(''.join(table))}]{{2,6}}", masked):
        run, start = match.group(), match.start()
        if run[0] == "新":  # 新 opening or closing a run is the word "new": 创新川渝合作, 甘川新通道
            run, start = run[1:], start + 1
        run = run.rstrip("新")
        if len(run) < 2:
            continue
        places = [table[char] for char in run]
        if start and masked[start - 1] in _RUN_PREFIX and run[0] == "浙":
            start -= 1
            run = masked[start] + run
            places.insert(0, lookup(_RUN_PREFIX[run[0]]))
        if not _run_allowed(run) or masked[start + len(run): start + len(run) + 1] in _AFTER_RUN:
            continue
        if len(set(places)) != len(places):
            continue  # 津津乐道
        for offset, (char, place) in enumerate(zip(run, places)):
            mentions.append(PlaceMention(place, start + offset, start + offset + 1, char, "abbreviation"))
    stripped = text.strip()
    if stripped and len(stripped) <= _SHORT_TEXT:
        start = len(text) - len(text.lstrip())
        char, following = text[start], text[start + 1: start + 2]
        if char in table and masked[start] == char and not re.match(f"[{HAN}]", following) \
                and not any(mention.start == start for mention in mentions):
            mentions.append(PlaceMention(table[char], start, start + 1, char, "abbreviation"))
    return mentions


def find_places(text: str) -> list[PlaceMention]:
    """Every place named in ``text`` (Chinese or English), in order, without overlaps."""
    mentions = [mention for chain in issuers(text) for mention in chain]
    masked = _mask(text, [(m.start, m.end) for m in mentions])
    names = _names()
    hidden = []
    for match in _chinese_pattern().finditer(masked):
        found = names.get(match.group())
        if found is None:
            hidden.append((match.start(), match.end()))  # a phrase that hides a name
            continue
        place, how = found
        end = match.end()
        if how == "short" and masked[end: end + 1] == "市" and place.name != match.group() + "市":
            place, how, end = Place(match.group() + "市", CITY, place), "name", end + 1  # 吉林市
        mentions.append(PlaceMention(place, match.start(), end, text[match.start(): end], how))
    english = _english()
    for match in _english_pattern().finditer(masked):
        place, how = english[_fold(match.group())]
        mentions.append(PlaceMention(place, match.start(), match.end(), match.group(), how))
    masked = _mask(masked, [(m.start, m.end) for m in mentions] + hidden)
    mentions += _abbreviation_mentions(text, masked)
    return sorted(mentions, key=lambda mention: (mention.start, mention.end))


_ENGLISH_LEVEL = {"特别行政区": "Special Administrative Region", "自治区": "Autonomous Region",
                  "自治州": "Autonomous Prefecture", "自治县": "Autonomous County", "自治旗": "Autonomous Banner",
                  "省": "Province", "市": "City", "州": "Prefecture", "盟": "League", "县": "County", "区": "District",
                  "旗": "Banner"}
_FULL_ENGLISH = re.compile(r"(?:Province|Municipality|Region)$")
# the one-character levels a place name ends with (苏州市, 惠济区, 西藏自治区's 区) and the English words of all levels
LEVEL_ENDINGS = frozenset(suffix for suffix in _SUFFIXES.split("|") if len(suffix) == 1)
ENGLISH_LEVEL_WORDS = frozenset(english.split()[-1] for english in _ENGLISH_LEVEL.values())


@lru_cache(maxsize=256)
def english_name(name: str) -> str:
    """A place's English name: the table's full name (Shandong Province, Guangxi Zhuang Autonomous Region, China),
    else the name in pinyin with its level (二七区 → Erqi District)."""
    place = _names().get(name, (None, ""))[0]
    entry = entry_for(place) if place is not None else None
    if entry is not None and entry.english:
        return next((english for english in entry.english if _FULL_ENGLISH.search(english)), entry.english[0])
    from pypinyin import lazy_pinyin

    suffix = next((suffix for suffix in sorted(_ENGLISH_LEVEL, key=len, reverse=True)
                   if name.endswith(suffix) and len(name) > len(suffix)), "")
    base = name[: len(name) - len(suffix)] if suffix else name
    if "自治" in suffix:  # 黔东南苗族侗族自治州 → Qiandongnan, not Qiandongnanmiaozudongzu
        base = place_base(name)
    words = "".join(lazy_pinyin(base)).capitalize()
    return f"{words} {_ENGLISH_LEVEL[suffix]}" if suffix else words


# A place named in running text by its level, known to the table or not: 周口市, 黔东南州, 黔东南苗族侗族自治州, 徐水区.
# Its base is the name without level and ethnic words (周口, 黔东南, 徐水): the form questions and titles share.
_ETHNIC = ("维吾尔|哈萨克|柯尔克孜|土家|布依|蒙古|朝鲜|傈僳|纳西|仫佬|毛南|仡佬|鄂温克|达斡尔|撒拉|保安|裕固|"
           "苗|侗|壮|回|藏|彝|瑶|白|傣|黎|畲|水|羌|土|哈尼|景颇|拉祜|佤|东乡|锡伯|满")
_LEVEL_WORD = rf"(?:(?:(?:{_ETHNIC})族?)*自治(?:州|县|区|旗)|特别行政区|省|市|州|盟|县|区|旗)"
_NAMED_PLACE = re.compile(rf"([{HAN}]{{2,10}}?){_LEVEL_WORD}")
_NOT_PLACE_BASES = {"城", "市", "全", "本", "我", "各", "新", "老", "社", "小", "园", "城区", "市区", "新区", "老城", "园区",
                    "开发", "示范", "试验", "自贸", "保税", "片", "街", "学", "校", "景", "功能", "先行", "核心", "中心",
                    "城市", "县城", "辖", "地", "郊", "山", "农村", "社区", "安置", "贫困", "民族", "边境", "革命老"}
# a kind of area, not an administrative one: 樱桃沟景区, 生态休闲区, 温暖城区 (a district's own 城区 has a base of two:
# 东城区, 新城区)
_AREA = re.compile(r"(?:景|休闲|功能|示范|试验|开发|商务|集聚|保护|产业)区$|^\S{2,}城区$")
_BASE_TRIM = re.compile(r"^(?:\d{4}年|年末|年底|年初|年|末|底|全国|全|在|对|的|和|与|及|是|了|今年|去年)+")
_ETHNIC_LEVEL = re.compile(rf"{_LEVEL_WORD}$")
# 雄县, 易县, 蠡县: a county of one character, standing after a year, a mark or the start (not 全县, 该县, 郊县)
_ONE_CHARACTER_COUNTY = re.compile(r"(?:(?<=^)|(?<=年)|(?<=[\s，。、；：“（(]))([^\s全本我该各每郊此其县市区省州\W\d])县")
_PLAIN_LEVEL = re.compile(r"(?:自治区|自治州|自治县|自治旗|特别行政区|省|市|州|盟|县|区|旗)$")


def place_base(name: str) -> str:
    """A place's name without its level and ethnic words: 黔东南苗族侗族自治州 → 黔东南, 内蒙古自治区 → 内蒙古."""
    base = _ETHNIC_LEVEL.sub("", name)
    return base if len(base) >= 2 else _PLAIN_LEVEL.sub("", name)


def named_places(text: str) -> list[tuple[str, str]]:
    """The places a text names with a level word, in order, as (base, name as written): 周口市 → (周口, 周口市);
    generic words before a level (全市, 城区, 示范区) are no names."""
    found = [(match.group(1), match.group()) for match in _ONE_CHARACTER_COUNTY.finditer(text)]
    for match in _NAMED_PLACE.finditer(text):
        base = _BASE_TRIM.sub("", match.group(1))
        base = base[:-1] if base.endswith("新") else base  # 浦东新区, 二七新区: the new area of a place
        if len(base) >= 2 and base not in _NOT_A_BASE and base not in _NOT_PLACE_BASES \
                and not re.search("[省市县区州]|多少|几个|哪", base) \
                and not any(base.endswith(word) for word in ("城区", "新区", "园区", "社区", "开发区")) \
                and not _AREA.search(_BASE_TRIM.sub("", match.group())):
            base = base[-4:] if len(base) > 4 else base
            written = match.group()
            at = written.rfind(base, 0, len(match.group(1)))
            found.append((base, written[at:] if at >= 0 else base + written[len(match.group(1)):]))  # 两江新区 as written
    return found
