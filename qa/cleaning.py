"""Cleaning a converted document: what real files need before their text can be chunked.

Every step only removes characters or replaces one character by one, so each
character of the cleaned text keeps the offset of the character it came from
(``Cleaned.origin``) and a citation still points at the original text.

Steps, in order:
  * conversion artifacts (``[bookmark: _GoBack]``) and markdown ``**`` (kept as emphasis spans);
  * invisible characters (zero-width spaces and joiners, soft hyphens, BOMs);
  * full-width and no-break spaces become plain spaces; indents go with line stripping later;
  * the space an extractor leaves between a number and its unit (``784.23 亿元``) and a line
    break inside a figure (``8.4亿⏎元``);
  * page chrome: navigation and tool lines (下载 / 打印 / 【字号：…】 / 您的位置 / 首页 / >)
    before the report starts, and stray site lines anywhere (相关报道：, 扫一扫…);
  * metadata lines (``来源：…``, ``时间：…``, ``编辑：…``): removed from the text, kept in ``stated``;
  * a copied site's licence footer (a public-domain notice after the report's end);
  * link words standing on lines of their own (copied wiki pages): a line that cannot end a
    paragraph or starts with closing punctuation is joined to its neighbour.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

import numpy as np

from .figures import KIND_OF_UNIT
from .vocabulary import BYLINE, HEADING_NUMBER, OPENING_MARKS

_DIGITS = "0-9０-９"
_MAGNITUDES = "万亿千百"
_UNIT_STARTS = "".join(sorted({unit[0] for unit in KIND_OF_UNIT if "\u4e00" <= unit[0] <= "\u9fff"}))

_ARTIFACT = re.compile(r"\[bookmark: [^\]]*\]|\*\*")
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u00ad\ufeff\ufe00-\ufe0f]")
_PLAIN_SPACES = {ord(c): " " for c in "\u3000\u00a0\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\t"}
# "784.23 亿元", "5.5 %", "12 万人": the space between a number and what follows it
_LIST_NUMBER = re.compile(r"\s*[0-9０-９]{1,2}")
_NUMBER_UNIT_SPACE = re.compile(rf"(?<=[{_DIGITS}]) +(?=[%％‰{_MAGNITUDES}{_UNIT_STARTS}])")
# "8.4亿\n元", "74.4\n万亿元": a line break inside a figure
_BROKEN_FIGURE = re.compile(rf"(?<=[{_DIGITS}{_MAGNITUDES}])\n(?=[%％‰{_MAGNITUDES}{_UNIT_STARTS}])")
_HEADING_START = re.compile(rf"^(?:{HEADING_NUMBER.pattern}|#|——)")

# Lines that belong to the page around a report, never to the report.
CHROME_LINES = frozenset("""
下载 打印 全屏 收藏 关闭 加大 还原 减小 大 中 小 】 【 > » 首页 分享 分享到 分享: 分享： 【字号： 【字体： 字号： 字体：
【字号 【字体 您的位置: 您的位置： 您当前的位置： 当前位置： 当前位置: 阅读量： 阅读量: 浏览次数： 打印本页 关闭窗口
相关报道： 相关文档： 相关链接： 扫一扫在手机打开当前页 扫一扫 微信 微博 QQ空间 返回顶部 【打印】 【关闭】 [打印] [关闭]
上一篇 下一篇 责任编辑 附件 | × 分享到: 分享到： 分享到微信 分享到微博 分享到QQ 分享到QQ空间 打印本页 【打印本页】
""".split())
_CHROME_PATTERN = re.compile(
    r"^(?:.{0,4}点击.{0,12}进入专题.{0,4}|【?字[号体][:：].*】?|[【\[]?(?:打印|关闭|收藏|分享)[^\w]{0,2}(?:本页|窗口)?[】\]]?|"
    r"\d{4}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?|.{0,30}记者.{0,12}\s*摄|【\s*[大中小]\s*[大中小]?\s*[大中小]?\s*】)$")
_METADATA_LINE = re.compile(
    r"^[（(]?(来源|时间|发表时间|发布时间|日期|发布日期|作者|编辑|责任编辑|阅读量|浏览次数|字数)[：:]\s*(.*?)[）)]?$")
_DATE_VALUE = re.compile(r"^\d{4}[-年./]\d{1,2}[-月./]\d{1,2}")
# Licence notices that sites add after a copied text (a public-domain note, its template words).
_LICENCE_START = re.compile(r"^(?:本作品是|本作品在|注：中文维基文库|Public domain$|此作品)")
_LICENCE_WORDS = re.compile(r"公有领域|著作权法|Public domain|维基文库|^false$|^true$")
_PARAGRAPH_END = re.compile(r"[。！？；：!?;:…][”’」』）)》]*$")
_OPENING = OPENING_MARKS
_BYLINE = re.compile(BYLINE.pattern + "|摄$")
_INNER_CLAUSE = re.compile(r"[，,、；;。：:！？]")  # a line with a clause mark inside that does not end a sentence is broken
_CLOSING_START = re.compile(r"^[》”’」』）)，,、。；;：:！？!?]")
LONG_LINE = 40  # a line longer than this that does not end a sentence is a broken line, not a heading


@dataclass
class Cleaned:
    text: str
    origin: np.ndarray  # origin[i] = offset in the converted text of text[i] (int64)
    emphasis: list[tuple[int, int]] = field(default_factory=list)  # ``**`` spans, in cleaned coordinates
    stated: dict[str, str] = field(default_factory=dict)  # metadata lines read out of the text (来源, 时间 …)


class _Editor:
    """Removes spans of a text while keeping each surviving character's original offset."""

    def __init__(self, text: str, origin: np.ndarray | None = None):
        self.text = text
        self.origin = np.arange(len(text), dtype=np.int64) if origin is None else origin
        self.keep = np.ones(len(text), dtype=bool)

    def remove(self, start: int, end: int) -> None:
        self.keep[start:end] = False

    def apply(self) -> tuple[str, np.ndarray]:
        """Commit the removals: the text that is left and its origin map."""
        if self.keep.all():
            return self.text, self.origin
        edges = np.flatnonzero(np.diff(np.concatenate(([False], self.keep, [False])).astype(np.int8)))
        self.text = "".join(self.text[a:b] for a, b in zip(edges[::2], edges[1::2]))
        self.origin = self.origin[self.keep]
        self.keep = np.ones(len(self.text), dtype=bool)
        return self.text, self.origin


def _line_starts(text: str) -> list[int]:
    return [0] + [match.end() for match in re.finditer("\n", text)]


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, line break excluded."""
    spans, position = [], 0
    for line in text.split("\n"):
        spans.append((position, position + len(line)))
        position += len(line) + 1
    return spans


def _report_starts(text: str, lines: list[tuple[int, int]]) -> int:
    """Index of the first line that is surely report text (an address to the delegates, a long paragraph, 一、)."""
    for index, (start, end) in enumerate(lines):
        line = text[start:end].strip()
        if re.match(r"^(?:各位代表|同志们|各位委员)", line) or len(line) > 80 or re.match(r"^[一二三四五六七八九十]+、", line):
            return index
    return len(lines)


def clean(text: str) -> Cleaned:
    editor = _Editor(text)
    # 1. artifacts; the spans between ``**`` pairs are remembered in original offsets
    marked: list[tuple[int, int]] = []
    open_at = None
    for match in _ARTIFACT.finditer(text):
        editor.remove(match.start(), match.end())
        if match.group() == "**":
            if open_at is None:
                open_at = match.end()
            else:
                marked.append((open_at, match.start()))
                open_at = None
    # 2. invisible characters; wide spaces become plain ones (one character for one: offsets stay)
    for match in _INVISIBLE.finditer(text):
        editor.remove(match.start(), match.end())
    text, origin = editor.apply()
    editor = _Editor(text.translate(_PLAIN_SPACES), origin)
    text = editor.text
    # 3. the space between a number and its unit (not after a list number: "1 千方百计")
    starts = _line_starts(text)
    for match in _NUMBER_UNIT_SPACE.finditer(text):
        line_start = starts[bisect.bisect_right(starts, match.start()) - 1]
        if _LIST_NUMBER.fullmatch(text, line_start, match.start()):
            continue
        editor.remove(match.start(), match.end())
    text, _ = editor.apply()
    # 4. chrome, metadata lines, licence footers
    stated: dict[str, str] = {}
    lines = _lines(text)
    report_start = _report_starts(text, lines)
    pending_key = None
    for index, (start, end) in enumerate(lines):
        line = text[start:end].strip()
        if not line:
            continue
        in_preamble = index < report_start
        metadata = _METADATA_LINE.match(line)
        if metadata and (in_preamble or len(line) <= 40):
            key, value = _key(metadata.group(1)), metadata.group(2).strip()
            if value:
                stated.setdefault(key, value)
            pending_key = None if value else key
            editor.remove(start, end)
            continue
        if pending_key and in_preamble and len(line) <= 30 and line not in CHROME_LINES and not line.startswith("【"):  # "来源：" with its value on the next line
            stated.setdefault(pending_key, line)
            pending_key = None
            editor.remove(start, end)
            continue
        pending_key = None
        if line in CHROME_LINES or (in_preamble and _CHROME_PATTERN.match(line)):
            if in_preamble and _DATE_VALUE.match(line):
                stated.setdefault("date", line)
            editor.remove(start, end)
    for first, last in _breadcrumbs(text, lines[:report_start]):
        editor.remove(first, last)
    for start, end in _repeated_preamble_lines(text, lines[:report_start]):
        editor.remove(start, end)
    licence = _licence_footer(text, lines)
    if licence is not None:
        editor.remove(licence, len(text))
    text, _ = editor.apply()
    # a line break inside a figure, in a line of running text ("…增长到8.4亿⏎元")
    starts = _line_starts(text)
    for match in _BROKEN_FIGURE.finditer(text):
        line_start = starts[bisect.bisect_right(starts, match.start()) - 1]
        number = re.search(r"[\d.．万亿千百]+$", text[line_start : match.start()])
        table_row = " | " in text[line_start : match.start()]  # 服装 | 万件 | 747.50 | 123.4⏎人造板 | …: two rows
        # a table's last cell before a paragraph opening on 年末 (…67.94⏎年末全州金融机构…)
        table_row = table_row or re.match(r"年[末底初度]", text[match.end() : match.end() + 2]) is not None
        if match.start() - line_start > 10 and number and text[number.start() - 1 : number.start()] not in "-/:：" \
                and not table_row:
            editor.remove(match.start(), match.end())
    text, origin = editor.apply()
    # 5. link words on lines of their own
    text, origin = _join_fragments(text, origin)
    emphasis = []
    for first, last in marked:
        start, end = np.searchsorted(origin, first), np.searchsorted(origin, last)
        if end > start:
            emphasis.append((int(start), int(end)))
    return Cleaned(text=text, origin=origin, emphasis=emphasis, stated=stated)


def _key(name: str) -> str:
    return {"来源": "source", "时间": "date", "发表时间": "date", "发布时间": "date", "日期": "date",
            "发布日期": "date", "作者": "author", "编辑": "editor", "责任编辑": "editor"}.get(name, name)


def _breadcrumbs(text: str, lines: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Navigation trails before a report (您的位置 › 首页 › 要闻): the short lines around each ``>``."""
    spans = [(s, e) for s, e in lines if text[s:e].strip()]
    found = []
    for index, (start, end) in enumerate(spans):
        if text[start:end].strip() in (">", "»", "›", "首页"):
            for neighbour in spans[max(0, index - 1) : index + 2]:
                if len(text[neighbour[0] : neighbour[1]].strip()) <= 12:
                    found.append(neighbour)
    return found


def _repeated_preamble_lines(text: str, lines: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A title or delivery line a page shows twice before the report: the earlier copies."""
    seen: dict[str, tuple[int, int]] = {}
    repeated = []
    for start, end in lines:
        line = text[start:end].strip()
        if not line:
            continue
        if line in seen:
            repeated.append(seen[line])
        seen[line] = (start, end)
    return repeated


def _licence_footer(text: str, lines: list[tuple[int, int]]) -> int | None:
    """Where a trailing licence notice begins, when the last lines are one."""
    tail = [(s, e) for s, e in lines[-60:] if text[s:e].strip()]
    for position, (start, end) in enumerate(tail):
        line = text[start:end].strip()
        if _LICENCE_START.match(line):
            rest = " ".join(text[s:e] for s, e in tail[position:])
            if _LICENCE_WORDS.search(rest) and len(rest) < 2000:
                return start
    return None


def _join_fragments(text: str, origin: np.ndarray) -> tuple[str, np.ndarray]:
    """Join a line that cannot stand alone to the line before it (the line breaks between are removed).

    A line joins the one before when that one has not ended its paragraph and: it ends with an
    opening mark (《“), or this line starts with closing punctuation (》，、), or it is a long line of
    running text, or this line is a link word inside a sentence (the line after it starts with
    closing punctuation). Headings are never joined to what follows them.
    """
    lines = [(s, e) for s, e in _lines(text) if text[s:e].strip()]
    editor = _Editor(text, origin)
    previous: tuple[int, int] | None = None  # the logical line built so far: (start of its first line, end)
    for index, (start, end) in enumerate(lines):
        line = text[start:end].strip()
        if previous is not None:
            before = text[previous[0] : previous[1]].rstrip()
            following = text[lines[index + 1][0] : lines[index + 1][1]].strip() if index + 1 < len(lines) else ""
            ends_paragraph = bool(_PARAGRAPH_END.search(before) or _BYLINE.search(before))
            joins = not ends_paragraph and not _HEADING_START.match(line) and (
                before[-1:] in _OPENING
                or _CLOSING_START.match(line) is not None
                or not _HEADING_START.match(before) and (
                    (len(before) > LONG_LINE and _INNER_CLAUSE.search(before) is not None)
                    or _CLOSING_START.match(following) is not None
                )
            )
            if joins:
                editor.remove(previous[1], start)
                previous = (previous[0], end)
                continue
        previous = (start, end)
    return editor.apply()
