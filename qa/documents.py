"""Reading source reports: encoding detection and the cleaning every offset relies on.

Cleaning (the only changes made to a file's text before it is shown):
  * conversion artifacts such as ``[bookmark: _GoBack]`` are removed;
  * markdown emphasis markers ``**`` are removed, and the emphasised spans are
    kept as hints that they hold a key figure.
Every character of the cleaned text comes from one character of the original,
so a passage's display text is always ``clean(original[start:end])``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from charset_normalizer import from_bytes

SOURCE_SUFFIXES = (".txt", ".md")
_ARTIFACT = re.compile(r"\[bookmark: [^\]]*\]|\*\*")


class DocumentError(Exception):
    """A source file or folder that cannot be read."""


@dataclass
class Document:
    name: str  # file name, the key evaluation files and citations use
    original: str  # the decoded file with line endings as \n; passage offsets index it
    text: str  # the cleaned text
    origin: list[int] = field(repr=False)  # origin[i] = offset in ``original`` of text[i]
    emphasis: list[tuple[int, int]] = field(repr=False)  # ``**`` spans, in cleaned coordinates
    encoding: str = "utf-8"
    sha256: str = ""

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a non-empty span of the cleaned text to the original file."""
        return self.origin[start], self.origin[end - 1] + 1


def clean(text: str) -> str:
    return _ARTIFACT.sub("", text)


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding); UTF-8 first, then what charset-normalizer detects."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
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
        raise DocumentError("cannot detect the text encoding")
    encoding = "gb18030" if best.encoding in ("gbk", "gb2312") else best.encoding
    return data.decode(encoding), encoding


def parse(name: str, original: str, encoding: str = "utf-8", sha256: str = "") -> Document:
    original = original.replace("\r\n", "\n").replace("\r", "\n")
    pieces, origin, emphasis = [], [], []
    position, open_emphasis = 0, None
    for match in _ARTIFACT.finditer(original):
        pieces.append(original[position : match.start()])
        origin.extend(range(position, match.start()))
        if match.group() == "**":
            cleaned_at = len(origin)
            if open_emphasis is None:
                open_emphasis = cleaned_at
            else:
                if cleaned_at > open_emphasis:
                    emphasis.append((open_emphasis, cleaned_at))
                open_emphasis = None
        position = match.end()
    pieces.append(original[position:])
    origin.extend(range(position, len(original)))
    return Document(
        name=name, original=original, text="".join(pieces), origin=origin,
        emphasis=emphasis, encoding=encoding, sha256=sha256,
    )


def read_document(path: Path) -> Document:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise DocumentError(f"cannot read {path}: {error.strerror}") from error
    try:
        text, encoding = decode(data)
    except DocumentError as error:
        raise DocumentError(f"{path}: {error}") from error
    return parse(path.name, text, encoding, hashlib.sha256(data).hexdigest())


def source_files(folder: Path) -> list[Path]:
    folder = Path(folder)
    if not folder.is_dir():
        raise DocumentError(f"seeds folder not found: {folder}")
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in SOURCE_SUFFIXES)
    if not files:
        raise DocumentError(f"no .txt or .md files in {folder}")
    return files


def load_corpus(folder: Path) -> list[Document]:
    return [read_document(path) for path in source_files(folder)]
