"""Spaces in extracted text, as every converter treats them: CJK-aware joining of the pieces of one paragraph,
and the removal of the spaces extractors put between CJK characters, between CJK and Western characters and
between a number and its unit."""

from __future__ import annotations

import re

_CJK = (
    "\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3190-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u2018-\u201f\u2026\u2014\u00b7"
    "\U00020000-\U0002fa1f"
)
CJK_RANGES = _CJK  # for a character class: f"[{CJK_RANGES}]"
CJK_CHAR = re.compile(f"[{_CJK}]")
_SPACE_BETWEEN_CJK = re.compile(f"(?<=[{_CJK}])[ \t\u00a0\u3000]+(?=[{_CJK}])")
_WHITESPACE = re.compile(r"\s+")


def is_cjk(char: str) -> bool:
    return bool(char) and CJK_CHAR.match(char) is not None


def drop_cjk_spaces(text: str) -> str:
    """Remove spaces that sit between two CJK characters (or CJK punctuation)."""
    return _SPACE_BETWEEN_CJK.sub("", text)


def normalise_inline(text: str) -> str:
    """Runs of whitespace → one space, none between CJK characters, none at the ends."""
    return drop_cjk_spaces(_WHITESPACE.sub(" ", text)).strip()


def join_pieces(left: str, right: str) -> str:
    """Join two pieces of one paragraph: nothing between CJK text, one space between Latin words."""
    if not left:
        return right
    if not right:
        return left
    if is_cjk(left[-1]) or is_cjk(right[0]) or left[-1].isspace() or right[0].isspace():
        return left + right
    return left + " " + right


GAP = "\x00"  # where the characters of a line leave a gap a PDF holds no space character for
# a number and the Chinese unit, magnitude or percent sign after it stay together
UNIT_START = "亿万千百十元角分%％‰个倍年月日时天周次家户人名位项件座条所吨度米公平立亩台辆套架艘只头口例批期届余多美欧港英元"
NUMBER_UNIT_SPACE = re.compile(rf"(?<=\d)[ \u00a0{GAP}]+(?=[{UNIT_START}])")
# the gap a typesetter leaves between Chinese and Western text comes out as a space; the source has none
_CJK_LATIN_SPACE = re.compile(rf"(?<=[{CJK_RANGES}])[ \u00a0]+(?=[0-9A-Za-z])|(?<=[0-9A-Za-z])[ \u00a0]+(?=[{CJK_RANGES}])")


def tidy(text: str) -> str:
    """Remove the spaces an extractor puts between CJK characters, between CJK and Western characters
    ("增长 3.3%", "成立 75周年") and between a number and its unit ("784.23 亿元", "5.5 %")."""
    text = drop_cjk_spaces(text.replace("\u3000", " "))
    return NUMBER_UNIT_SPACE.sub("", _CJK_LATIN_SPACE.sub("", text)).strip()
