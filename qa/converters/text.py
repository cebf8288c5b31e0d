"""Plain text and Markdown: decoded as they are (UTF-8, else GB18030/Big5 as detected), located by line."""

from __future__ import annotations

import html
import re
from pathlib import Path

from charset_normalizer import from_bytes

from . import ConversionError, Converted, line_starts


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding); UTF-8 first, then what charset-normalizer detects."""
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        for encoding in ("utf-16-le", "utf-16-be"):  # UTF-16 without a byte-order mark is full of NULs too
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if _mostly_text(text):
                return text, encoding
        raise ConversionError("it looks like a binary file, not text")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if len(data) < 64:  # too little text for detection to tell GB18030 from Big5; mainland reports use GB
        try:
            return data.decode("gb18030"), "gb18030"
        except UnicodeDecodeError:
            pass
    best = from_bytes(data, cp_isolation=["gb18030", "big5", "utf_16", "utf_8"]).best() or from_bytes(data).best()
    if best is None:
        raise ConversionError("cannot detect the text encoding")
    encoding = "gb18030" if best.encoding in ("gbk", "gb2312") else best.encoding
    return data.decode(encoding, errors="replace"), encoding


def _mostly_text(text: str) -> bool:
    """Printable, with the spaces, line breaks and punctuation that real text has (gibberish has none)."""
    sample = text[:2000]
    printable = sum(c.isprintable() or c in "\n\r\t" for c in sample)
    separators = sum(c in "\n 。，,." for c in sample)
    return bool(sample) and printable >= 0.95 * len(sample) and separators * 200 >= len(sample)


# a page's text saved with its line breaks written out (…回顾\r\n2018年…) and its HTML entities (&nbsp;) left in
_ESCAPED_BREAK = re.compile(r"\\r\\n|\\n|\\r")
_ENTITY = re.compile(r"&(?:nbsp|amp|lt|gt|quot|ldquo|rdquo|hellip|mdash|middot|#\d{2,5});")


def unescaped(text: str) -> str:
    """A text with no real line breaks but written-out ones (``\\r\\n``) gets them back, and HTML entities are read."""
    if text.count("\n") < 3 and len(_ESCAPED_BREAK.findall(text)) >= 3:
        text = _ESCAPED_BREAK.sub("\n", text)
    if len(_ENTITY.findall(text)) >= 1:
        text = _ENTITY.sub(lambda entity: html.unescape(entity.group()), text).replace("\xa0", " ")
    return text


def convert(path: Path, data: bytes) -> Converted:
    text, encoding = decode(data)
    text = unescaped(text.replace("\r\n", "\n").replace("\r", "\n"))
    return Converted(text=text, unit="line", unit_starts=line_starts(text), encoding=encoding)
