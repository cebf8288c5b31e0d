"""What a report says about itself: title, place, date and year, kind, source.

``read_metadata`` reads the opening of a report's text (the lines before its body: a web
page's chrome, the title, the delivery line, the speaker line) and, where that is silent, what
the file format states. It only analyses; it changes nothing.

Title: the first line before the body that names a 政府工作报告 and is neither page chrome, a
breadcrumb, a photo caption (…记者…摄, X作政府工作报告) nor the delivery line; else the stated
title; else the first standalone title line among the first lines (a lead paragraph or a period
line such as 2023年 may come first; a title broken over two lines is joined). A title that is
only ``政府工作报告`` (or ``2026年政府工作报告``) becomes ``2026年山东省政府工作报告`` when the
year and the place are both known from the text.

Place, first found of: the title; a ``XX人民政府`` line; a ``XX省长 / 市长 / 区长 / 主席`` line;
the delivery line's ``在XX第十四届人民代表大会``; the body's ``我代表XX人民政府`` (国务院 is the
nation).

Year, first found of: the delivery line (``——2026年1月27日在…会议上``, also in Chinese numerals);
a 政府工作报告 title's year; a ``时间：`` / ``发表时间：`` / ``发布时间：`` line; another title's
latest year; for a body that opens on a bare ``8月6日``, the latest year the text names that is
neither a target (到2025年, 2035年远景目标) nor later than the year after the latest year it
reviews (总结2021年…, 2021年…执行情况); five-year plan names (十四五) never count. Then the
stated date, and last a year in the file name (``year_from`` says which).

Reviews: the year before for a 政府工作报告; otherwise a year the title or a short heading line
says it looks back on (2021年…执行情况, 2021年工作回顾), or None.
"""

from __future__ import annotations

import re
from pathlib import Path
from dataclasses import dataclass, fields

from .places import HAN, Place, find_places, issuers, named_places, nation, parse_place_name
from .vocabulary import BYLINE, ISSUING_BODY, TITLE_FOOTNOTE, YEAR, Line, text_lines

GOVERNMENT_WORK_REPORT = "government work report"
HEAD_LINES = 40  # the title and the lines about it come within the first lines

_TIME_KEYS = ("发表时间", "发布时间", "发稿时间", "更新时间", "时间", "日期", "发布日期")
_SOURCE_KEYS = ("信息来源", "文章来源", "来源")
_COUNT_KEYS = ("阅读量", "阅读数", "浏览量", "浏览次数", "点击数")
_PERSON_KEYS = ("责任编辑", "作者", "编辑")
_KEYS = _TIME_KEYS + _SOURCE_KEYS + _COUNT_KEYS + _PERSON_KEYS
_KEY = "|".join(sorted(_KEYS, key=len, reverse=True))
_KEY_AT_START = re.compile(rf"\s*[（(【\[]?\s*({_KEY})\s*[:：]")
_KEY_ANYWHERE = re.compile(rf"(?:^|(?<=\s)|(?<=[（(【\[]))[（(【\[]?\s*({_KEY})\s*[:：]")
_METADATA_LINE_MAX = 80
_NUMERIC_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_TIMESTAMP_LINE = re.compile(r"\s*(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*")

_CHROME_WORDS = {
    "下载", "打印", "全屏", "收藏", "字号", "字体", "加大", "还原", "减小", "大", "中", "小", "默认", "A", "A+", "A-",
    "分享", "分享到", "首页", "您的位置", "当前位置", "您现在的位置", "关闭", "关闭窗口", "打印本页", "返回顶部", "返回",
    ">", ">>", "»", "›", "×", "相关报道", "相关文档", "相关新闻", "相关阅读", "相关链接", "微信", "微博", "QQ空间",
    "分享到微信", "扫一扫在手机打开当前页", "纠错", "保存", "复制链接", "【", "】",
}
_CHROME_START = re.compile(r"(?:您的位置|您现在的位置|当前位置|所在位置|分享到|相关报道|相关文档|相关新闻|相关阅读|"
                           r"相关链接|扫一扫|【字号|【字体|关闭窗口|打印本页|返回顶部)")
_CHROME_SPLIT = re.compile(r"[\s【】\[\]：:|/·]+")
_BREADCRUMB_MARK = re.compile(r"[>»›]+|>>")
_CAPTION_MAX = 80  # a photo caption is a short line; a lead paragraph may end in 记者…
_CAPTION = re.compile(r"记者|摄影|摄\s*[）)]?$|供图|图片来源|作政府工作报告")

_CN_NUMBER = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_DATE = (r"((?:19|20)\d{2}|[〇零一二三四五六七八九]{4})\s*年\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*月"
         r"(?:\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*日)?")
_DATE_ONLY = re.compile(_DATE)
_DELIVERY = re.compile(rf"(?:^|[—―]{{1,2}})[\s—―\-－–~～（(]*{_DATE}[^。]*?在[^。]*?(?:人民代表大会|人大|大会|会议)")
_BARE_DATE = re.compile(r"^(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_YEAR = YEAR
_FILE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_COMMUNIQUE = re.compile(r"统计公报")
_BARE_TITLE = re.compile(r"(?:((?:19|20)\d{2})\s*年)?\s*政府工作报告")
_PERIOD_ONLY = re.compile(r"(?=.)(?:(?:19|20)\d{2}\s*年(?:度)?)?(?:上半年|下半年|全年|前三季度|[一二三四]季度)?")
_LEADER_WORD = re.compile(r"省长|市长|区长|县长|州长|盟长|旗长|主席")
_BODY_OPENING = re.compile(r"(?:各位代表|代表们|同志们)|[一二三四五六七八九十]+、")
_TITLE_CONTINUES = re.compile(r"(?:执行情况|与|和|及|暨|的|（草案）|\(草案\)|草案)")
_TITLE_SEARCH_LINES = 6  # a plain title stands among the first lines, after a lead paragraph at most
_BYLINE = BYLINE
_FIGURE_DIGITS = re.compile(r"(?<!\d)(?!\d{4}年)\d+")
_SENTENCE_MARK = re.compile(r"[。！？；：:，,、]$|[。！？；]")
_HEADING_START = re.compile(r"(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．]|"
                            r"第[一二三四五六七八九十\d]+[章节部分]|[-*•●·▪◆■])")
_FILE_NAME = re.compile(r"(?:Microsoft Word - )?[\w.\- ]+\.(?:docx?|pdf|txt|html?)")
_TITLE_TAIL = re.compile(r"\s*(?:(?:来源|时间|发布时间|发表时间|作者|编辑)\s*[:：]|[（(]\s*来源|[—―]{1,2}|[（(]\s*(?:19|20)\d{2}\s*年).*$")

# what follows (and precedes) an issuer in the lines that name the report's place
_GOVERNMENT = (re.compile(r"人民政府"), None)
_LEADER = (re.compile(r"(?:人民政府)?(?:代理|代)?(?:省长|市长|区长|县长|州长|盟长|旗长|主席)"), None)
_CONGRESS = (re.compile(r"\s*第?[一二三四五六七八九十〇零\d]+\s*届"), re.compile(r"在\s*$"))
_REPRESENTING = (re.compile(r"人民政府"), re.compile(r"代表\s*$"))
_STATE_COUNCIL = re.compile(r"我代表\s*国务院")
_SUBJECT = re.compile(rf"(?:^|(?<=[，,。；;：:\s])|(?<=中共)|(?<=从))([{HAN}]{{2,4}}?(?:区|县|市|旗))(?=委|[{HAN}])", re.M)
_NOT_A_SUBJECT = re.compile(r"^[全本各该我辖市县区为对以在把将由与和及做创成新排荣推坚运彰]|全[省市区县]|城市|上市|"
                            r"地区|城区|市区|园区|社区|校区|景区|片区|街区|辖区|山区|矿区|灾区|试验区|示范区|开区")

_TARGET_BEFORE = re.compile(r"(?:(?<!截)(?<!截止)到|(?<!截)至|力争|预计到|展望)\s*$")
_TARGET_AFTER = re.compile(r"\s*年(?:前|以前|之前|远景|目标)")
_REVIEW_BEFORE = re.compile(r"(?:总结|回顾|截至|截止|截止到)\s*$")
_REVIEW_AFTER = re.compile(r"\s*年[^。；\n]{0,24}?(?:工作回顾|执行情况|工作总结|以来|完成|实现|达到|增长|下降|比上年|同比)")
_REVIEWED = re.compile(r"((?:19|20)\d{2})\s*年[^。；\n]{0,24}?(?:工作回顾|执行情况|工作总结)")


@dataclass(frozen=True)
class DocumentMetadata:
    title: str = ""
    title_lines: tuple[int, ...] = ()  # indexes among the non-empty stripped lines of the text
    place: Place | None = None
    date: str = ""  # ISO YYYY-MM-DD when fully known, YYYY-MM, or ""
    date_text: str = ""  # the date as written
    year: int | None = None  # the year the report is delivered in
    year_from: str = ""  # "text", "stated", "file name", or "" when unknown
    reviews: int | None = None  # the year it looks back on
    kind: str = ""  # GOVERNMENT_WORK_REPORT or ""
    source: str = ""  # the 来源 line's value
    published: str = ""  # the ISO date of the page's 时间 / 发布时间 line
    body_start: int | None = None  # index (as title_lines) of the first line of the report's own text


    def info(self, unit: str = "") -> DocumentInfo:
        """The plain record an index keeps and a citation shows; ``unit`` is what the file's locator counts."""
        province = self.place.province if self.place is not None else None
        return DocumentInfo(
            title=self.title, place=self.place.name if self.place is not None else "",
            province=province.name if province is not None else "", date=self.date, date_text=self.date_text,
            year=self.year, year_from=self.year_from, reviews=self.reviews, kind=self.kind, source=self.source,
            unit=unit,
        )


@dataclass(frozen=True)
class DocumentInfo:
    """A document's metadata as plain strings and numbers (what an index stores and a citation shows)."""

    title: str = ""
    place: str = ""  # the place's name: 山东省, 二七区, 全国
    province: str = ""  # the provincial-level division it lies in, "" for the nation or when unknown
    date: str = ""
    date_text: str = ""
    year: int | None = None
    year_from: str = ""
    reviews: int | None = None
    kind: str = ""
    source: str = ""
    unit: str = ""  # line / paragraph / page

    @property
    def when(self) -> str:
        """The report's date for a reader: the full date, else the year with the written day, else the year."""
        if self.date:
            return self.date
        if self.year and self.date_text:
            return f"{self.year}年{self.date_text}" if self.date_text[:4] != str(self.year) else self.date_text
        return str(self.year) if self.year else self.date_text

    @classmethod
    def from_dict(cls, data: dict) -> DocumentInfo:
        known = {field.name for field in fields(cls)}
        return cls(**{key: value for key, value in data.items() if key in known})


_Line = Line
_lines = text_lines


def _is_chrome(line: str) -> bool:
    if _CHROME_START.match(line):
        return True
    tokens = [token for token in _CHROME_SPLIT.split(line) if token]
    return not tokens or all(token in _CHROME_WORDS for token in tokens)


def _plausible_value(key: str, line: str) -> bool:
    if key in _TIME_KEYS:
        return _NUMERIC_DATE.match(line) is not None
    if key in _COUNT_KEYS:
        return line.isdigit()
    return (len(line) <= 30 and not _is_chrome(line) and not _KEY_AT_START.match(line)
            and not re.search(r"[。！？：:]$|^[【\[]", line))


def metadata_lines(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, key, value) of every line of ``text`` that is page metadata, not report text.

    A ``key：value`` line (来源, 时间, 发表时间, 发布时间, 阅读量, 作者, 责任编辑 …, also in
    brackets: ``（来源：青海日报）``); a key alone on its line takes the next line as its value
    when that line fits it (a date after 时间：, a short name after 来源：), and the span covers
    both lines; a line holding only a date and time is a 时间 line. Several keys on one line
    share it out: each span runs from its key to the next. Spans cover whole lines (without
    the line break) and never overlap.
    """
    lines = text.split("\n")
    starts, position = [], 0
    for raw in lines:
        starts.append(position)
        position += len(raw) + 1
    result: list[tuple[int, int, str, str]] = []
    skip = -1
    for number, raw in enumerate(lines):
        if number <= skip:
            continue
        line_start, line_end = starts[number], starts[number] + len(raw)
        if _TIMESTAMP_LINE.fullmatch(raw):
            result.append((line_start, line_end, "时间", raw.strip()))
            continue
        if len(raw.strip()) > _METADATA_LINE_MAX or not _KEY_AT_START.match(raw):
            continue
        keys = list(_KEY_ANYWHERE.finditer(raw))
        for position_in_line, match in enumerate(keys):
            following = keys[position_in_line + 1].start() if position_in_line + 1 < len(keys) else len(raw)
            value = raw[match.end(): following].strip().rstrip("）)】]").strip()
            start = line_start if position_in_line == 0 else line_start + match.start()
            end = line_start + following if position_in_line + 1 < len(keys) else line_end
            key = match.group(1)
            if not value and len(keys) == 1:
                # the value may stand on the next non-empty line
                following_number = number + 1
                while following_number < len(lines) and not lines[following_number].strip():
                    following_number += 1
                if following_number < len(lines) and _plausible_value(key, lines[following_number].strip()):
                    value = lines[following_number].strip()
                    end = starts[following_number] + len(lines[following_number])
                    skip = following_number
            result.append((start, end, key, value))
    return result


# ---- dates ------------------------------------------------------------------------------------

def _number(value: str) -> int:
    if value.isdigit():
        return int(value)
    if len(value) == 4 and all(char in _CN_NUMBER for char in value):  # 二〇二六
        return int("".join(str(_CN_NUMBER[char]) for char in value))
    if "十" in value:  # 十, 十二, 二十七
        tens, _, ones = value.partition("十")
        return (_CN_NUMBER.get(tens, 1) if tens else 1) * 10 + (_CN_NUMBER.get(ones, 0) if ones else 0)
    return _CN_NUMBER.get(value, 0)


def _iso(year: int, month: int | None = None, day: int | None = None) -> str:
    if month is None or not 1 <= month <= 12:
        return ""
    if day is None or not 1 <= day <= 31:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def _stated_date(value: str) -> tuple[int | None, str]:
    match = re.match(r"\s*(?:D:)?((?:19|20)\d{2})(?:-?(\d{2})(?:-?(\d{2}))?)?", value or "")
    if not match:
        return None, ""
    year = int(match.group(1))
    month = int(match.group(2)) if match.group(2) else None
    day = int(match.group(3)) if match.group(3) else None
    return year, _iso(year, month, day)


def _is_target(text: str, match: re.Match) -> bool:
    return bool(_TARGET_BEFORE.search(text[max(0, match.start() - 4): match.start()])
                or _TARGET_AFTER.match(text, match.end(1)))


def reviewed_years(text: str) -> list[int]:
    """The years whose results the text states (总结2021年…, 2021年…增长, 2021年工作回顾), targets left out."""
    return [int(match.group(1)) for match in _YEAR.finditer(text) if not _is_target(text, match)
            and (_REVIEW_BEFORE.search(text[max(0, match.start() - 4): match.start()])
                 or _REVIEW_AFTER.match(text, match.end(1)))]


def infer_year(text: str) -> int | None:
    """The year a text that dates itself only by month and day most likely speaks in.

    The latest year it names, leaving out targets (到2025年, 2025年前, 2035年远景目标) and any
    year after the one following the latest year it reviews (总结2021年…, 2021年…增长);
    five-year plan names (十四五) are not years here.
    """
    named, reviewed = [], []
    for match in _YEAR.finditer(text):
        year = int(match.group(1))
        if _is_target(text, match):
            continue
        named.append(year)
        before = text[max(0, match.start() - 4): match.start()]
        if _REVIEW_BEFORE.search(before) or _REVIEW_AFTER.match(text, match.end(1)):
            reviewed.append(year)
    if reviewed:
        named = [year for year in named if year <= max(reviewed) + 1]
    return max(named) if named else None


# ---- the head of a report -----------------------------------------------------------------------

def _delivery(line: str) -> re.Match | None:
    """The delivery date and meeting (——2026年1月27日在…会议上), at the start of a line or after a dash."""
    return _DELIVERY.search(line)


def _is_delivery(line: str) -> bool:
    match = _delivery(line)
    return match is not None and match.start() == 0


def _is_caption(line: str) -> bool:
    return (len(line) <= _CAPTION_MAX and _CAPTION.search(line) is not None
            and not _BODY_OPENING.match(line) and "我代表" not in line)


def _body_start(lines: list[_Line], metadata: set[int]) -> int:
    for line in lines[: HEAD_LINES + 1]:
        text = line.text
        if line.index in metadata or _is_chrome(text) or _is_delivery(text):
            continue
        if _BARE_DATE.match(text) and len(text) >= 30 and "作政府工作报告" not in text:
            return line.index  # a news lead: 8月6日，…会议召开。
        if _is_caption(text):
            continue
        if _BODY_OPENING.match(text):
            return line.index
        if len(text) >= 60 and re.search(r"[。，,；]", text):
            return line.index
    return min(len(lines), HEAD_LINES)


def _breadcrumbs(head: list[_Line]) -> set[int]:
    marks = {line.index for line in head if _BREADCRUMB_MARK.fullmatch(line.text)}
    crumbs = set(marks)
    for mark in marks:
        crumbs |= {mark - 1, mark + 1}
    for line in head:
        if re.search(r"\S\s*[>»›]\s*\S", line.text) and not re.search(r"[。，]", line.text):
            crumbs.add(line.index)  # 首页 > 要闻 > 正文 on one line
    return crumbs


# a title given as a labelled field (标题：2022年保定市政府工作报告): the label is not part of it
_TITLE_LABEL = re.compile(r"^\s*(?:标题|题目|文件标题|文章标题|title)\s*[:：]\s*", re.I)


def _clean_title(line: str) -> str:
    return TITLE_FOOTNOTE.sub("", _TITLE_TAIL.sub("", _TITLE_LABEL.sub("", line)).strip())


def _is_plain_title(text: str, max_chars: int = 80) -> bool:
    """A standalone title line: short, no sentence inside, no byline, no heading number, no figure."""
    return (4 <= len(text) <= max_chars and not text[-1].isdigit() and not _BYLINE.search(text)
            and (" " in text or not _FIGURE_DIGITS.search(text)) and not _SENTENCE_MARK.search(text)
            and not _HEADING_START.match(text) and not _PERIOD_ONLY.fullmatch(text)
            and not _BODY_OPENING.match(text) and not _TIMESTAMP_LINE.fullmatch(text)
            and not (_LEADER_WORD.search(text) and len(text) <= 25))


def _title(lines: list[_Line], head: list[_Line], skip: set[int], stated_title: str) -> tuple[str, tuple[int, ...]]:
    def usable(line: _Line) -> bool:
        return (line.index not in skip and not _is_chrome(line.text) and not _is_caption(line.text)
                and not _is_delivery(line.text))

    reports = [line for line in head if usable(line) and "政府工作报告" in line.text
               and 0 < len(_clean_title(line.text)) <= 50]
    if reports:
        bare = [line for line in reports if _BARE_TITLE.fullmatch(_clean_title(line.text))]
        informative = [line for line in reports if line not in bare]
        chosen = (informative or reports)[0]
        return _clean_title(chosen.text), tuple(sorted(line.index for line in reports))
    opening = [line for line in lines[: HEAD_LINES + 1] if usable(line)][:_TITLE_SEARCH_LINES]
    stated_title = _clean_stated_title(stated_title)
    if stated_title:
        return stated_title, tuple(line.index for line in opening if _clean_title(line.text) == stated_title)
    for position, line in enumerate(opening):  # a lead paragraph or a period line may come first
        text = _clean_title(line.text)
        if not _is_plain_title(text):
            continue
        indexes = [line.index]
        following = opening[position + 1] if position + 1 < len(opening) else None
        if following is not None and following.index == line.index + 1 and not ISSUING_BODY.search(following.text) and (
                (" " not in text and _is_plain_title(following.text, 40))
                or (len(following.text) <= 30 and _TITLE_CONTINUES.match(following.text))):
            text += _clean_title(following.text)
            indexes.append(following.index)
        return text, tuple(indexes)
    return "", ()


def _clean_stated_title(title: str) -> str:
    title = (title or "").strip()
    if not title or _is_chrome(title) or _FILE_NAME.fullmatch(title):
        return ""
    return re.split(r"\s*(?:_|\s[-|–]\s)\s*", title)[0].strip()


def _innermost(mentions: list) -> Place | None:
    """The place of the first mention (not an abbreviation); a run of issuer names gives its last."""
    mentions = [mention for mention in mentions if mention.how != "abbreviation"]
    if not mentions:
        return None
    place, end = mentions[0].place, mentions[0].end
    for mention in mentions[1:]:
        if mentions[0].how == "issuer" and mention.how == "issuer" and mention.start == end:
            place, end = mention.place, mention.end
        else:
            break
    return place


def _issuer_place(rule: tuple[re.Pattern, re.Pattern | None], lines: list[_Line]) -> Place | None:
    after, before = rule
    for line in lines:
        if rule is _REPRESENTING and _STATE_COUNCIL.search(line.text):
            return nation()
        for chain in issuers(line.text):
            if after.match(line.text, chain[-1].end) and (before is None or before.search(line.text[: chain[0].start])):
                return chain[-1].place
    return None


def _place(title: str, head: list[_Line], opening: list[_Line]) -> Place | None:
    place = _innermost(find_places(title)) if title else None
    if place is not None:
        return place
    for rule, lines in ((_GOVERNMENT, head), (_LEADER, head), (_CONGRESS, head), (_REPRESENTING, opening)):
        place = _issuer_place(rule, lines)
        if place is not None:
            return place
    return None


def _subject_place(text: str) -> Place | None:
    """The place a text speaks of as its subject, when no line names its issuer: a district, county or city named
    after 中共 or 从 or at the start of a clause (中共二七区委…, ，二七区累计转运…) at least twice, and more often
    than any other."""
    counts: dict[str, int] = {}
    for match in _SUBJECT.finditer(text):
        name = match.group(1).removeprefix("中共")
        if len(name) >= 3 and not _NOT_A_SUBJECT.search(name):
            counts[name] = counts.get(name, 0) + 1
    # a part named after the place (二七新区 in 二七区) speaks of the place too
    merged = {name: count + sum(other_count for other, other_count in counts.items()
                                if other != name and other.startswith(name[:-1]))
              for name, count in counts.items()}
    ranked = sorted(merged.items(), key=lambda item: -item[1])
    if not ranked or ranked[0][1] < 2 or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
        return None
    return parse_place_name(ranked[0][0])


def _place_label(place: Place) -> str:
    return "中华人民共和国国务院" if place.level == "national" else place.name


def _reviews(title: str, head_and_headings: list[str], year: int | None) -> int | None:
    for text in [title, *head_and_headings]:
        match = _REVIEWED.search(text)
        if match:
            reviewed = int(match.group(1))
            if year is None or reviewed <= year:
                return reviewed
    return None


def read_metadata(text: str, stated: dict[str, str] | None = None, file_name: str = "") -> DocumentMetadata:
    """What the report ``text`` says about itself; ``stated`` is what its file format states
    ("title", "date"); ``file_name`` is used only as a last resort for the year."""
    stated = stated or {}
    lines = _lines(text)
    entries = metadata_lines(text)
    metadata_indexes: set[int] = set()
    for start, end, _key, _value in entries:
        metadata_indexes |= {line.index for line in lines if line.start < end and line.end > start}
    body = _body_start(lines, metadata_indexes)
    head = lines[:body]
    skip = metadata_indexes | _breadcrumbs(head)
    title, title_lines = _title(lines, head, skip, stated.get("title", ""))
    kind = GOVERNMENT_WORK_REPORT if "政府工作报告" in title else ""

    opening = lines[body: body + 3]
    place = _place(title, [line for line in head if line.index not in skip], opening)
    if place is None:  # a communiqué's title or file name names its place by its level (周口市统计公报2023.pdf)
        place = next((found for _, name in named_places(f"{title} {Path(file_name).stem if file_name else ''}")
                      if (found := parse_place_name(name)) is not None), None)
    if place is None:
        place = _subject_place(text)

    source = next((value for _s, _e, key, value in entries if key in _SOURCE_KEYS and value), "")
    published, published_text, published_year = "", "", None
    for _s, _e, key, value in entries:
        match = _NUMERIC_DATE.match(value) if key in _TIME_KEYS else None
        if match:
            published_year = int(match.group(1))
            published = _iso(published_year, int(match.group(2)), int(match.group(3)))
            published_text = value
            break

    year, year_from, date, date_text = None, "", "", ""
    delivery = next((match for line in head if (match := _delivery(line.text))), None)
    title_years = [int(year) for year in _YEAR.findall(title)]
    if delivery is not None:
        year = _number(delivery.group(1))
        month = _number(delivery.group(2))
        day = _number(delivery.group(3)) if delivery.group(3) else None
        year_from, date = "text", _iso(year, month, day)
        date_text = _DATE_ONLY.search(delivery.group(0)).group(0)
    elif kind and title_years:
        year, year_from = title_years[0], "text"
    elif published_year is not None:
        year, year_from = published_year, "text"
    elif title_years:
        year, year_from = max(title_years), "text"
    bare = _BARE_DATE.match(lines[body].text) if body < len(lines) else None
    inferred = False
    if year is None and bare is not None:
        year = infer_year(text)
        year_from, inferred = ("text", True) if year is not None else ("", False)
    stated_year, stated_iso = _stated_date(stated.get("date", ""))
    if year is None and stated_year is not None:
        year, year_from = stated_year, "stated"
    if year is None and file_name:
        match = _FILE_YEAR.search(file_name)
        if match:
            year, year_from = int(match.group(1)), "file name"
    communique = any(_COMMUNIQUE.search(words) for words in (title, file_name, *(line.text for line in head[:6])))
    if communique and not title_years and year is not None and year_from != "file name":
        # a communiqué is about the year before it is published (a 2023 communiqué dated 2024-05-08), unless its
        # file name says which year
        named = _FILE_YEAR.search(file_name) if file_name else None
        year, year_from = (int(named.group(1)), "file name") if named else (year - 1, year_from)

    if not date:
        if published:
            date, date_text = published, published_text
        elif stated_iso and (year_from == "stated" or communique):
            date, date_text = stated_iso, stated.get("date", "")
        elif bare is not None:
            date_text = bare.group(0)
            if year is not None and year_from == "text" and not inferred:  # the year is stated, not inferred
                date = _iso(year, int(bare.group(1)), int(bare.group(2)))

    if kind and _BARE_TITLE.fullmatch(title) and place is not None and year is not None and year_from == "text":
        written = _BARE_TITLE.fullmatch(title).group(1)
        title = f"{written or year}年{_place_label(place)}政府工作报告"

    if kind and year is not None:
        reviews = year - 1
    else:
        headings = [line.text for line in lines[: body + 200] if len(line.text) <= 40]
        reviews = _reviews(title, headings, year)
    if reviews is None and year is None:  # undated: a year standing alone above it, else the latest it reviews
        standing = [int(match.group(1)) for line in head if _PERIOD_ONLY.fullmatch(line.text)
                    and (match := _YEAR.match(line.text))]
        reviews = standing[0] if standing else max(reviewed_years(text), default=None)

    return DocumentMetadata(
        title=title, title_lines=title_lines, place=place, date=date, date_text=date_text, year=year,
        year_from=year_from, reviews=reviews, kind=kind, source=source, published=published,
        body_start=body if body < len(lines) else None,
    )
