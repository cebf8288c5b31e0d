"""The patterns of report text that several stages share, in one place: lines, bylines, heading numbers, years.

Reading (``qa.cleaning``), describing (``qa.metadata``) and chunking (``qa.chunking``) all ask the same
questions of a line: where it is, whether it is a byline, whether it starts with a heading number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CHINESE_NUMERALS = "一二三四五六七八九十百零〇两"
# a year in report text always carries 年 ("2021年"); not part of a longer number ("12021年", "1.2021年")
YEAR = re.compile(r"(?<![\d.])((?:19|20)\d{2})\s*年")
# a reporter's byline or photo credit that closes a news item ("记者 景静 通讯员 张一弛 文/图")
BYLINE = re.compile(r"(?:记者|通讯员|编辑|责任编辑|来源)[\s：:]\S{1,12}$|文/图$")
# the numbering a heading line starts with: 一、 （一） 1. 第一章 …
HEADING_NUMBER = re.compile(
    r"(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d{1,2}[.、．](?!\d)|"
    r"第[一二三四五六七八九十\d]+[章节部篇分])")
# the magnitude a figure's number may carry before its unit, longest first (千 not in 千瓦, a unit of its own)
MAGNITUDE = "万亿|千万|百万|千亿|百亿|亿|万|千(?!瓦)|百"
# a question asking for an average over years (年均增长, average annual growth), not one year's figure
ASKS_AVERAGE = re.compile(r"年均|平均每年|\b(?:average annual|annual average|a year on average|per year on average)\b", re.I)
# a level measured as a year's mean (PM2.5年均浓度): its 年均 names how the level is measured, not an average over years
# words of a passage that speak of several years (a review's span), also what was done every year and a level that went
# from one figure to another (由2552万辆增加到…)
SEVERAL_YEARS = re.compile(r"年均|年平均|累计|五年|\d+年来|连续\S{1,2}年|翻[一两]?番|期间|以来|每年|"
                           r"由[^，。；]{1,24}?(?:增加|提高|提升|增长|扩大|缩小|下降|降低|减少|上升|跃升)(?:到|至)")
ANNUAL_MEAN = re.compile(r"年均(?:浓度|值)")
# the counters of things counted one by one (个, 座, 家): one thing's count is the same number under any of them
GENERIC_COUNTERS = ("个", "项", "份", "件", "家", "所", "座", "处", "批", "场", "宗", "部", "间", "栋", "类", "种", "起", "笔")
# a footnote mark (①, ¹, [1], ［注2］): the note's, not the text's
_FOOTNOTE = r"[\u2460-\u2473\u00b9\u00b2\u00b3\u2070-\u2079]|[\[［]\s*(?:注\s*)?\d{1,2}\s*[\]］]"
FOOTNOTE_MARK = re.compile(_FOOTNOTE)
# the marks closing a title line (…统计公报①, …公报[1], …公报*)
TITLE_FOOTNOTE = re.compile(rf"\s*(?:{_FOOTNOTE}|[*＊])+$")
# a line naming the body that issues a report (洛阳市统计局, 国家统计局洛阳调查队): under the title, not part of it
ISSUING_BODY = re.compile(r"(?:局|厅|委员会|办公室|办公厅|人民政府|调查队|统计中心)$")
# the bound a figure may be stated with (7.5%左右, 4000万元以上, 控制在5.5%以内)
BOUNDS = ("左右", "以上", "以内", "以下")
# the bound a figure may be stated with before it (突破7亿元, 超过2000亿元, 近12万人, 约30%): kept in the card's figure
LEADING_BOUND = re.compile(r"(?:突破|超过|超|逾|近|约|不低于|不少于|不到|不足)$")


def bound_before(text: str, start: int) -> str:
    """The bound written just before the figure at ``start`` of ``text`` (突破 of 突破106万户), or ""."""
    bound = LEADING_BOUND.search(text, max(0, start - 3), start)
    return bound.group() if bound else ""

# English words of a rise or a change that ask for a rate (prices rise, how did investment change)
RISE_OR_CHANGE_WORDS = r"\brose\b|\bris(?:e|es|en|ing)\b|(?<!climate )\bchanged?\b"

# a fall written just before its figure (下降24.4%, 减少了3.2万吨): shown with the figure, which is stored unsigned
FALL_BEFORE = re.compile(r"(?:下降|减少|降低|回落|下滑|缩小|缩短|收窄|缩减|压缩|压减|萎缩)了?$")


def fall_before(text: str, start: int) -> str:
    """The word of a fall written just before the figure at ``start`` of ``text`` (下降 of 下降24.4%), or ""."""
    fall = FALL_BEFORE.search(text, max(0, start - 3), start)
    return fall.group() if fall else ""


def without_fall(figure_text: str) -> str:
    """A card's figure without the word of a fall it opens with (24.4% of 下降24.4%)."""
    fall = re.match(FALL_BEFORE.pattern.rstrip("$"), figure_text)
    return figure_text[fall.end():] if fall else figure_text


# the upper end of a range after a percentage (5%—5.5%, 5%-5.5%左右)
_RANGE_END = re.compile(r"\s*[—–\-~～至]\s*[0-9０-９]+(?:[.．][0-9０-９]+)?\s*[%％]?(?:左右|以上|以内)?")


def range_after(text: str, end: int) -> str:
    """The rest of a range written just after the percentage ending at ``end`` of ``text`` (—5.5% of 5%—5.5%), or ""."""
    found = _RANGE_END.match(text, end)
    return found.group() if found else ""


# nouns of people counted (71万农村人口, 70多万群众, 多少个娃娃): a bare number before them, or 个 before them in a
# question, counts persons
PERSON_NOUNS = r"人口|群众|农民|居民|儿童|学生|职工|劳动力|婴幼儿|老人|老年人|人民|儿女|员工|人才|患者|游客|旅客|市民|村民|" \
               r"妇女|青年|毕业生|党员|干部|教师|工人|乘客|观众|志愿者|残疾人|娃娃|孩子|婴儿|新生儿"
# nouns of households counted (新增450万农村沼气用户)
HOUSEHOLD_NOUNS = r"用户|农户|住户"


# the marks that end a sentence (a line break ends one too)
SENTENCE_MARKS = "。！？；!?;"


def sentence_before(text: str, end: int, reach: int) -> str:
    """The words of the sentence that runs up to ``end`` of ``text``, at most ``reach`` characters of them."""
    return re.split(rf"[{SENTENCE_MARKS}\n]", text[max(0, end - reach):end])[-1]


# names that hold 实际 (实际利用外资): the name of an indicator, not a question's wish for the actual result
ACTUAL_IN_NAME = re.compile(r"实际(?:利用|使用|到位|到账)")
# words naming what a year adds rather than the level reached (新增新能源装机, 新建高标准农田)
NEWLY_ADDED = re.compile(r"新增|新建|新开工|新投产|新投运|新并网|净增")
# a word for the whole of the place a report speaks for (全省, 我市, 全疆: 全 and a province's one-character name)
WHOLE_PLACE = r"全国|全省|全市|全区|全县|全州|全盟|我国|我省|我市|我区|我县|本省|本市|本区|本县|" \
              r"全(?:疆|川|蜀|黔|滇|桂|粤|闽|浙|苏|皖|赣|鲁|豫|鄂|湘|冀|晋|辽|吉|陕|陇|青|藏|琼|渝|沪|津|蒙)(?=[\u4e00-\u9fff])"
OPENING_MARKS = "《“‘「『（("
CLOSING_MARKS = "》”’」』）)"


@dataclass(frozen=True)
class Line:
    """A non-empty line of a text, stripped: its number among such lines and its offsets in the text."""

    index: int
    start: int
    end: int
    text: str


def text_lines(text: str) -> list[Line]:
    """The non-empty lines of ``text``, stripped, with their offsets."""
    lines, position = [], 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            start = position + raw.index(stripped[0])
            lines.append(Line(len(lines), start, start + len(stripped), stripped))
        position += len(raw) + 1
    return lines


# words of the period or the stance asked, judged on their own (as the place is), not words a figure's name holds
PERIOD_AND_STANCE_WORDS = frozenset("目标 目标任务 预期目标 期末 规划期末 年末 年底 年初 岁末".split())
# what joins listed items (城镇和农村, A、B及C); not the 及 inside a word (普及率, 涉及, 以及)
ITEM_JOIN = re.compile(r"和|与|(?<![普涉以波危])及|、")


# how much money: the kind asked (a sum of money), judged through a figure's unit; no name of what it measures
# (资金 of 援企稳岗扩就业政策资金 is no spending on education)
MONEY_ASKED = re.compile(r"\bhow much money\b|\bamount of money\b", re.I)
