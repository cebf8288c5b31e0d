"""Understanding a question before it is searched: language, glossary expansion, synonyms.

English questions are expanded with the Chinese terms of a reviewed bilingual
glossary (``data/glossary.tsv``: GDP → 地区生产总值, fixed-asset investment →
固定资产投资, …), so BM25 can match Chinese passages and the dense model gets
a Chinese rendering of the question too. Chinese questions are normalised
(full-width to half-width, traditional to simplified) and have abbreviations
and variants mapped to the terms reports use (``data/synonyms.tsv``: 社零 →
社会消费品零售总额, 规上 → 规模以上).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from .tokens import normalise, tokenize

DATA = Path(__file__).parent / "data"
TERMS_PER_CONCEPT = 2  # the most standard Chinese renderings of a matched English phrase
_WORD = re.compile(r"[a-z0-9]+(?:['.&/][a-z0-9]+)*")  # a hyphen joins two words: "elderly-care" = "elderly care"
# a possessive ends a phrase (Erqi District's | government services) unless the glossary's phrase holds it
_POSSESSIVE = re.compile(r"(?<=[a-z])['’]s(?![a-z])|(?<=[a-z]s)['’](?![a-z])")  # Shandong's, the provinces'
POSSESSIVE = "'s"
# what a question says it does not ask for (（问的是实际结果，不是预期目标）, "outturn, not the budget") is not searched for
_NEGATED = re.compile(r"(?:(?<!是)不是|而非|并非|\bnot\b|\brather than\b)[^，。,.;；:：？?）)]*", re.I)
_LATIN = re.compile(r"[A-Za-z]")
_HAN = re.compile(r"[\u4e00-\u9fff]")


_AUXILIARIES = frozenset("was were been being is are be".split())  # of the passive, left out of a phrase's words


def _words(text: str) -> list[str]:
    """Singular forms of a text's words, a possessive a word of its own ("people's congress" → people 's congress)."""
    words: list[str] = []
    for number, piece in enumerate(_POSSESSIVE.split(text.lower())):
        if number:
            words.append(POSSESSIVE)
        words += [_stem(word) for word in _WORD.findall(piece)]
    return words


def _stem(word: str) -> str:
    """Singular form, as the glossary's phrasings are singular."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "xes", "ches", "shes", "zes")):
        return word[:-2]  # classes, boxes, branches
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _rows(path: Path) -> list[tuple[str, str]]:
    """The first two columns of a tab-separated data file, header skipped."""
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    return [(columns[0], columns[1]) for columns in (line.split("\t") for line in lines) if len(columns) >= 2]


def _split_field(value: str) -> list[str]:
    return [item.strip() for item in value.split("|") if item.strip()]


class Glossary:
    """English phrasings → Chinese terms, matched longest phrase first."""

    def __init__(self, entries: list[tuple[list[str], list[str]]]):
        self.phrases: dict[tuple[str, ...], list[str]] = {}
        for english, chinese in entries:
            for phrase in english:
                key = tuple(_words(phrase))
                if key:
                    self.phrases.setdefault(key, chinese)
        self.longest = max((len(key) for key in self.phrases), default=0)

    @classmethod
    def load(cls, path: Path = DATA / "glossary.tsv") -> "Glossary":
        return cls([(_split_field(english), _split_field(chinese)) for english, chinese in _rows(path)])

    def expand(self, text: str) -> list[str]:
        """Chinese terms for the English phrases in ``text``, in order of appearance."""
        terms = []
        for concept in self.concepts(text)[0]:
            terms.extend(term for term in concept if term not in terms)
        return terms

    def concepts(self, text: str) -> tuple[list[list[str]], list[str]]:
        """The Chinese terms of each English phrase in ``text`` (alternatives for one concept), and the words
        (singular forms) that no phrase covers."""
        words = _words(text)
        found = [(size, start, range(start, start + size), chinese) for start in range(len(words))
                 for size in range(min(self.longest, len(words) - start), 0, -1)
                 if (chinese := self.phrases.get(tuple(words[start : start + size])))]
        # a phrase said in the passive ("urban jobs were created" for "urban jobs created"): the same phrase
        kept = [position for position, word in enumerate(words) if word not in _AUXILIARIES]
        if len(kept) < len(words):
            plain = [words[position] for position in kept]
            found += [(size, kept[start], range(kept[start], kept[start + size - 1] + 1), chinese)
                      for start in range(len(plain)) for size in range(min(self.longest, len(plain) - start), 1, -1)
                      if kept[start + size - 1] - kept[start] >= size
                      and (chinese := self.phrases.get(tuple(plain[start : start + size])))]
        # the longest phrases first, wherever they stand: "new high-tech enterprises" is new + high-tech
        # enterprises, not "new high" + tech enterprises
        taken: dict[int, tuple[int, list[str]]] = {}
        covered: set[int] = set()
        for size, start, positions, chinese in sorted(found, key=lambda match: (-match[0], match[1])):
            span = set(positions)
            if not span & covered:
                taken[start] = (size, chinese)
                covered |= span
        concepts = [taken[start][1][:TERMS_PER_CONCEPT] for start in sorted(taken)]
        unmatched = [word for position, word in enumerate(words) if position not in covered and word != POSSESSIVE]
        return concepts, unmatched


class Synonyms:
    """Variant → the term reports use."""

    def __init__(self, groups: list[tuple[str, list[str]]]):
        self.canonical = {normalise(v): canonical for canonical, variants in groups for v in variants}
        self.pattern = re.compile("|".join(re.escape(v) for v in sorted(self.canonical, key=len, reverse=True))) \
            if self.canonical else None
        # everyday phrases as people say them with or without 了 or a measure word (种了多少亩树 / 种了多少树)
        self.spoken = {spoken(v): canonical for v, canonical in self.canonical.items() if len(spoken(v)) >= 2}
        self.spoken_pattern = re.compile("|".join(re.escape(v) for v in sorted(self.spoken, key=len, reverse=True))) \
            if self.spoken else None

    def matches(self, text: str) -> list[tuple[str, str]]:
        """Each variant ``text`` (normalised) holds, as written or as spoken, with the term reports use for it."""
        if self.pattern is None:
            return []
        found = [(match.group(), self.canonical[match.group()]) for match in self.pattern.finditer(text)]
        if self.spoken_pattern is not None:
            found += [(match.group(), self.spoken[match.group()]) for match in self.spoken_pattern.finditer(spoken(text))]
        return found

    @classmethod
    def load(cls, path: Path = DATA / "synonyms.tsv") -> "Synonyms":
        return cls([(canonical.strip(), _split_field(variants)) for canonical, variants in _rows(path)])

    def expand(self, text: str) -> list[str]:
        found = []
        for _, canonical in self.matches(normalise(text)):
            if canonical not in text and canonical not in found:
                found.append(canonical)
        return found


# what spoken Chinese drops or adds around an everyday phrase: 了 and 着, 一共, and the measure word after 多少
_SPOKEN_SLACK = re.compile(r"了|着|一共|总共|(?<=多少)[万亿千百]?[亩个户人元辆吨斤座所家件块趟次间套]")


def spoken(text: str) -> str:
    """``text`` without what everyday speech drops or adds at will (打了多少粮食 → 打多少粮食)."""
    return _SPOKEN_SLACK.sub("", text)


def synonym_matches(text: str) -> list[tuple[str, str]]:
    """The abbreviations and variants in ``text`` (normalised) with the terms reports use for them."""
    return synonyms().matches(normalise(text))


@lru_cache(maxsize=1)
def glossary() -> Glossary:
    return Glossary.load()


@lru_cache(maxsize=1)
def synonyms() -> Synonyms:
    return Synonyms.load()


def to_simplified(text: str) -> str:
    """Traditional characters to simplified, as the reports are written in simplified Chinese."""
    import zhconv

    return zhconv.convert(text, "zh-cn")


def is_english(text: str) -> bool:
    return len(_LATIN.findall(text)) > 2 * len(_HAN.findall(text))


@dataclass
class Query:
    text: str
    english: bool
    expansions: list[str] = field(default_factory=list)  # Chinese terms added to the question

    @cached_property
    def bm25_tokens(self) -> list[str]:
        return tokenize(self.text) + [token for term in self.expansions for token in tokenize(term)]

    @property
    def chinese_rendering(self) -> str | None:
        """The question's content in Chinese terms, for the dense model; None when nothing was translated."""
        if not (self.english and self.expansions):
            return None
        numbers = re.findall(r"\d+(?:\.\d+)?%?", self.text)
        return " ".join(self.expansions + numbers)


def understand(question: str, use_glossary: bool = True, use_synonyms: bool = True) -> Query:
    english = is_english(question)
    text = question.strip() if english else to_simplified(normalise(question)).strip()
    text = _NEGATED.sub(" ", text).strip() or text
    expansions: list[str] = []
    if english and use_glossary:
        expansions += glossary().expand(text)
    if use_synonyms:
        expansions += [term for term in synonyms().expand(text) if term not in expansions]
    return Query(text=text, english=english, expansions=expansions)
