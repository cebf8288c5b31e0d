"""How sure the reports answer a question: evidence from the ranking, turned into a calibrated probability.

A pile of reports always has a closest passage; whether it answers is another matter. For
二七区有多少只熊猫 the closest passages are about 二七区 and hold counts, but nothing in them is
about pandas. What separates an answer from a near miss, measured on the best-ranked passage
(``Evidence``):

* ``dense``: the embedding similarity of question and passage (raw cosine, not the ranking's
  normalised score, which is relative to the other candidates), and ``dense_lead``: how far it
  stands above the next passages of the ranking (a question nothing answers meets a flat field);
* ``score_lead``: how far its ranking score stands above the second passage's;
* ``agreement``: how high both retrievers, dense and BM25, rank it;
* ``coverage``: the share of the question's key terms (weighted by their rarity, IDF) that the
  passage, its title or its section path holds (``key_terms``);
* ``unknown``: the share of the question's key-term weight that no passage of the index holds;
* ``unglossed``: of an English question, the share of its content words the glossary does not
  cover ("giant pandas"): it is about something the system cannot relate to the reports;
* ``period``: whether the passage speaks about the asked period (+1), names the asked year (+0.5),
  covers it in a span of years ending with it (+0.25: a five-year review states end levels) or holding
  it within (+0.1), speaks about another (−1), or the question names none (0); ``period_conflict`` is
  the case of another period on its own;
* ``place``: whether the asked places are the passage's document's place or are named in it (+1),
  are not while the document is of another place or the index holds no report of them (−1), or
  none is asked (0); ``place_conflict`` is the −1 on its own;
* ``figure``: whether the passage's answer figure is of the asked kind (1), of another kind or
  qualified otherwise than asked (0.25: 人均 for a total, ``qa.evidence``), missing (0), or the
  question asks for no quantity (0.5);
* ``best_answer``: the best ``figure`` × ``coverage`` among the first three passages: a figure of the asked
  kind in a passage holding the question's terms, when the best-ranked passage is the right section without
  the figure (a review's opening paragraph above the one that states it).

A conflict gets a feature of its own because a linear model cannot otherwise weigh "another place"
far more than "no place asked" while "the asked place" counts little more than the latter.

Gradient-boosted trees over these (``Trees``, stored as data in ``qa/data/confidence.json``) give the
probability that the reports answer; an older file may hold a logistic model (``Calibration``), which
still loads. The model was fitted on the dev split of the answerable gold questions and of the
unanswerable ones (``gold/unanswerable.jsonl``), asked of the seed index, the pile index and one index
of both, and so was the threshold below which a question counts as not answered;
``benchmarks/abstention.py`` fits both and reports the test split.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import asdict, dataclass, replace
from functools import lru_cache
from pathlib import Path

import numpy as np

from .answers import asked
from .periods import Period, agreement, question_period
from .placing import place_names_asked, without_places
from .places import find_places
from .query import Query, glossary, synonym_matches
from .tokens import STOPWORDS, normalise, tokenize
from .vocabulary import MONEY_ASKED, PERIOD_AND_STANCE_WORDS

CALIBRATION = Path(__file__).parent / "data" / "confidence.json"
AGREEMENT_DEPTH = 50  # ranks past this count as no agreement
_ASCII = re.compile(r"[\x00-\x7f]+")
_ASKING = re.compile(r"多少|几(?=[个项家所名次条天年倍岁户座件])")  # 多少岁, 几家: what kind of answer, not what about
# Words of a question that say what kind of answer it wants, not what about: they need not be in the passage.
QUESTION_WORDS = frozenset("""
    哪天 哪年 哪一年 哪一天 哪些 哪个 哪里 哪儿 多大 多长 多高 多远 多久 几个 几项 几家 几所 几名 几次 几条 几天 几年 几倍
    至少 最多 打算 一共 总共 共有 分别 大约 大概 左右 情况 具体 当时 其中 目前 截至 什么 怎样 如何 是否 有没有 多少钱
    多少 比例 占比 比重 第几 排第几 排名第几 数量 人数 个数 区 城区 市辖区 全区 全市 全省 全年 年度 今年 去年 当年 同年
""".split())
_CHINESE_IN_BRACKETS = re.compile(r"[（(]\s*([\u4e00-\u9fff]{2,12})\s*[)）]")
# English words that carry no content of their own, beyond the search's stopwords
_ENGLISH_FILLER = STOPWORDS | {"have", "has", "had", "there", "their", "create", "created", "add", "added", "get",
                               "got", "make", "made", "reach", "reached", "give", "given", "total", "year", "s",
                               "when", "where", "why", "will", "would", "should", "could", "can", "than", "then",
                               "into", "over", "under", "all", "any", "each", "every", "some", "such", "not", "no",
                               "what's", "it's", "i", "we", "you", "they", "he", "she", "our", "your", "actually",
                               "period", "during", "between"}


@dataclass(frozen=True)
class Evidence:
    """What one ranked passage shows about whether it answers the question (see the module notes)."""

    dense: float
    dense_lead: float
    score_lead: float
    agreement: float
    coverage: float
    unknown: float
    unglossed: float
    period: float
    place: float
    figure: float
    best_answer: float = 0.0

    @property
    def period_conflict(self) -> float:
        return float(self.period < 0)

    @property
    def place_conflict(self) -> float:
        return float(self.place < 0)

    def value(self, name: str) -> float:
        return float(getattr(self, name))

    def to_dict(self) -> dict:
        return {name: round(self.value(name), 4) for name in FEATURES}


FEATURES = ("dense", "dense_lead", "score_lead", "agreement", "coverage", "unknown", "unglossed", "period",
            "period_conflict", "place", "place_conflict", "figure", "best_answer")
EVIDENCE_DEPTH = 5  # passages the leads are measured over
# Evidence whose direction is never in doubt: more of it never makes an answer less likely (+1) or more (−1). The
# trees are fitted under these constraints, so they cannot learn a band of values from a few near misses.
MONOTONE = {"coverage": 1, "agreement": 1, "best_answer": 1, "unknown": -1, "unglossed": -1, "period_conflict": -1,
            "place_conflict": -1}
ANSWER_DEPTH = 3  # passages ``best_answer`` looks over


@dataclass(frozen=True)
class KeyTerm:
    forms: tuple[str, ...]  # any one of these in a passage will do (a term and its synonyms, or a concept's renderings)
    weight: float  # its rarity in the index (IDF); the rarest possible when the index does not know it
    known: bool  # some passage of the index holds it


@dataclass(frozen=True)
class KeyTerms:
    """The question's words that an answering passage must hold."""

    terms: tuple[KeyTerm, ...]
    unglossed: float = 0.0  # of an English question: the share of its content words the glossary does not cover

    @property
    def unknown(self) -> float:
        """The share of the weight that no passage of the index holds."""
        total = sum(term.weight for term in self.terms)
        return sum(term.weight for term in self.terms if not term.known) / total if total else 0.0


_MEASURE_FORMS = frozenset({"增速", "增长率", "增幅", "增长速度", "增长", "增加", "下降", "减少"})


def key_terms(query: Query, question: str, store, place_names: frozenset[str] = frozenset()) -> KeyTerms:
    """Content words of the question that an answering passage must hold.

    Left out: years and numbers, single characters, place names (the place is judged on its own; ``place_names``
    are the index's places, in Chinese and as English words), question and measure words (``QUESTION_WORDS``),
    and of a compound and its parts (生产总值, 生产, 总值) the compound, which a passage may write in another order;
    an abbreviation may be met by the term it stands for (社零 by 社会消费品零售总额). An English question counts
    each concept its glossary finds, met by any of the concept's Chinese renderings; the share of its content
    words the glossary does not cover ("giant pandas") is kept apart (``unglossed``)."""
    places = "".join(mention.text for mention in find_places(question)) + "|" + "|".join(place_names)
    rarest = math.log(1 + max(len(store), 1))
    if query.english:
        concepts, unmatched = glossary().concepts(MONEY_ASKED.sub("how much", question))
        concepts = [concept for concept in concepts if not set(concept) <= QUESTION_WORDS | PERIOD_AND_STANCE_WORDS]
        # how fast, growth rate: the measure asked, judged as a measure; beside what grew it is no word a passage or a
        # figure's name must hold (自然增长率 holds 增长率, not the economy asked)
        measured = [concept for concept in concepts if not set(concept) <= _MEASURE_FORMS]
        concepts = measured or concepts
        # the reports' own word, given in brackets (national tax (国税) revenue): a key term as written
        concepts += [[name] for name in _CHINESE_IN_BRACKETS.findall(question)
                     if not any(name in term for concept in concepts for term in concept)]
        weights = store.token_weights([token for concept in concepts for term in concept for token in tokenize(term)])
        terms = []
        for concept in concepts:
            parts = [weights[token] for term in concept for token in tokenize(term) if token in weights]
            terms.append(KeyTerm(tuple(concept), max(parts, default=rarest), bool(parts)))
        words = {word.removesuffix("'s").rstrip("'") for word in unmatched}
        foreign = [word for word in words if word and word not in _ENGLISH_FILLER and not word[0].isdigit()
                   and word not in places.lower()]
        content = len(foreign) + len(terms)
        return KeyTerms(tuple(terms), len(foreign) / content if content else 0.0)
    standing_for = synonym_matches(query.text)
    # the places cut out before the words are cut (徐水区新修成: not 区新)
    unplaced = without_places(query.text, question)
    index_places = _places_pattern(place_names)
    unplaced = index_places.sub(" ", unplaced) if index_places else unplaced
    tokens = [token for token in dict.fromkeys(tokenize(unplaced))
              if len(token) >= 2 and not token[0].isdigit() and token not in places
              and token not in QUESTION_WORDS and token not in PERIOD_AND_STANCE_WORDS
              and not _ASKING.match(token) and not _ASCII.fullmatch(token)]
    parts = [token for token in tokens if not any(other != token and other in token for other in tokens)]
    forms = {token: (token, *dict.fromkeys(canonical for variant, canonical in standing_for if token in variant))
             for token in parts}
    # a word the reports never use may stand for one they do (穷人 for 贫困人口): known when that one is
    canonical_tokens = {form: tokenize(form) for token in parts for form in forms[token][1:]}
    weights = store.token_weights(parts + [t for tokens_ in canonical_tokens.values() for t in tokens_])
    terms = []
    for token in parts:
        if token in weights:
            terms.append(KeyTerm(forms[token], weights[token], True))
            continue
        standing = [max(weights[t] for t in canonical_tokens[form]) for form in forms[token][1:]
                    if canonical_tokens[form] and all(t in weights for t in canonical_tokens[form])]
        terms.append(KeyTerm(forms[token], max(standing, default=rarest), bool(standing)))
    # a question whose words are all question words but for a variant (住了多少人 for 常住人口) asks what it stands for
    for variant, canonical in standing_for if not terms else ():
        if not any(canonical in term.forms for term in terms):
            canonical_weights = store.token_weights(tokenize(canonical))
            if canonical_weights:
                terms.append(KeyTerm((canonical,), max(canonical_weights.values()), True))
    return KeyTerms(tuple(terms))


@lru_cache(maxsize=4096)
def _normal_form(form: str) -> str:
    return normalise(form)


@lru_cache(maxsize=256)
def _places_pattern(names: frozenset[str]) -> re.Pattern | None:
    """The index's places, longest first, as one pattern, built once per index."""
    named = sorted((name for name in names if len(name) >= 2), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, named))) if named else None


def presence(term: KeyTerm, haystack: str) -> float:
    """How much of one of the term's forms a passage (its normalised text, title and section path) holds: 1 for
    the form as written or all its words in any order (转运隔离 in 转运集中隔离), else the share of its words
    (居民消费价格指数 against 居民消费价格上涨)."""
    best = 0.0
    for form in term.forms:
        form = _normal_form(form)  # 5G, GDP as the glossary writes them; the haystack is normalised
        if form in haystack:
            return 1.0
        words = [token for token in dict.fromkeys(tokenize(form)) if len(token) > 1]
        words = [token for token in words if not any(other != token and other in token for other in words)]
        if len(words) > 1:
            best = max(best, sum(token in haystack for token in words) / len(words))
    return best


def evidence(results: list, question: str, terms: KeyTerms, infos: list, periods: list[Period | None],
             current_year: int | None, index_places: dict[str, str] | None = None) -> list[Evidence]:
    """The evidence each of the ranked ``results`` gives; ``infos`` and ``periods`` are, per result, its document's
    metadata and the period its passage speaks about (None when unknown); ``index_places`` are the index's places
    (see ``_place``)."""
    asked_period = question_period(question, current_year)
    wanted = asked(question)
    places = place_names_asked(question, index_places or {})
    signals = [result.signals for result in results]
    dense = [float(signal.dense_score or 0.0) for signal in signals]
    scores = [float(signal.score) for signal in signals]
    found = []
    for i, (result, info, period) in enumerate(zip(results, infos, periods)):
        passage = result.passage
        haystack = normalise(" ".join([passage.text, passage.title, *passage.section,
                                       getattr(info, "title", "") or ""]))
        total = sum(term.weight for term in terms.terms)
        others = [j for j in range(min(len(results), EVIDENCE_DEPTH)) if j != i]
        found.append(Evidence(
            dense=dense[i],
            dense_lead=dense[i] - float(np.mean([dense[j] for j in others])) if others else 0.0,
            score_lead=scores[i] - max(scores[j] for j in others) if others else 0.0,
            agreement=_agreement(signals[i].dense_rank, signals[i].bm25_rank),
            coverage=sum(term.weight * presence(term, haystack) for term in terms.terms) / total if total else 0.5,
            unknown=terms.unknown,
            unglossed=terms.unglossed,
            period=_period(asked_period, passage.text, period),
            place=_place(question, passage.text, info, index_places or {}, places),
            figure=_figure(wanted, result.answer, bool(signals[i].unasked)),
        ))
    best = max((item.figure * item.coverage for item in found[:ANSWER_DEPTH]), default=0.0)
    return [replace(item, best_answer=best) for item in found]


def _agreement(dense_rank: int | None, bm25_rank: int | None) -> float:
    if not dense_rank or not bm25_rank:
        return 0.0
    worst = max(dense_rank, bm25_rank)
    return max(0.0, 1.0 - math.log(worst) / math.log(AGREEMENT_DEPTH))


def _period(asked: Period, text: str, period: Period | None) -> float:
    """+1 the passage speaks about the asked period; +0.5 it names the asked year; +0.25 it speaks about a span
    of years ending with it (a five-year review), +0.1 about a span holding it within; −1 about another period
    (−0.5 another part of the year); 0 when the question names no year or the passage's period is unknown.

    A question without a year is not taken as met by every passage (+1): that lets a question about something the
    reports never state (二七区有多少个博物馆) read as sure as one whose year is found."""
    if not asked.years:
        return 0.0
    score = agreement(asked, period) if period is not None else 0.0
    named = any(f"{year}年" in text for year in asked.years)
    if 0 < score < 1.0:
        score = 0.5 if named else 0.25 if _ends_span(asked, period) else 0.1
    elif score <= 0 and named:
        score = 0.5
    return max(-1.0, min(1.0, score))


def _ends_span(asked: Period, period: Period | None) -> bool:
    """Whether the asked years end the passage's span, or open the span of a plan: a five-year review states
    where things stood at its end (地区生产总值突破3万亿元 under 十四五 is the 2025 level), a plan what is due in
    its first year (今年 under 十五五开好局), not the figure of a year within."""
    if period is None or not period.years or not asked.years or not asked.years <= period.years:
        return True
    return max(asked.years) == period.last or bool(period.plan and min(asked.years) == period.first)


def _place(question: str, text: str, info, index_places: dict[str, str], asked: list[set[str]] | None = None) -> float:
    """+1 when the places a question names are the passage's document's place or are named in the passage, +0.5
    when some are; −1 when none is and either the document is of another known place or no report of the index
    is of any asked place; 0 when the question names no place (or only the nation), or nothing is known.
    ``asked``: ``place_names_asked(question, index_places)`` when already found."""
    if asked is None:
        asked = place_names_asked(question, index_places)
    if not asked:
        return 0.0
    document = [field for field in (getattr(info, "place", ""), getattr(info, "province", ""),
                                    getattr(info, "title", "")) if field]
    hits = sum(any(name and (name in text or any(name in field for field in document)) for name in names)
               for names in asked)
    if hits:
        return 1.0 if hits == len(asked) else 0.5
    known = set(index_places.values())
    if getattr(info, "place", "") or not any(names & known for names in asked):
        return -1.0
    return 0.0


def _figure(wanted, answer, qualified_otherwise: bool = False) -> float:
    """1 an answer figure of the asked kind (0.75 without the asked unit), 0.25 of another kind or qualified
    otherwise than asked (人均 for a total, ``qa.evidence``), 0 none; 0.5 when the question asks for no quantity."""
    if not wanted.kinds:
        return 0.5
    if answer is not None and qualified_otherwise:
        return 0.25
    if answer is not None and answer.kind in wanted.kinds:
        return 1.0 if not wanted.unit or wanted.unit in answer.unit else 0.75
    return 0.25 if answer is not None else 0.0


@dataclass(frozen=True)
class Calibration:
    """A logistic model over ``Evidence`` and the threshold below which a question counts as not answered."""

    names: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float
    fitted_on: str = ""

    def confidence(self, found: Evidence) -> float:
        values = np.array([found.value(name) for name in self.names], dtype=float)
        z = float(np.dot((values - np.array(self.mean)) / np.array(self.scale), self.weights) + self.bias)
        return 1.0 / (1.0 + math.exp(-z))

    def to_dict(self) -> dict:
        return asdict(self)

    def save(self, path: Path = CALIBRATION) -> None:
        _write_json(self.to_dict(), path)


@dataclass(frozen=True)
class Trees:
    """Gradient-boosted decision trees over ``Evidence`` with a logistic link, and the threshold below which a
    question counts as not answered. Trees weigh evidence jointly where a linear model adds it up: the right
    year counts for little when the passage holds none of the question's terms (2023年二七区地区生产总值 meeting
    a 2023 passage about something else), which matters most on a big pile, where some passage is always
    about the asked year and place.

    Each tree is stored as one list per node attribute; a node sends a question left when its evidence
    ``names[feature]`` is at most ``threshold``; a leaf adds its ``value`` to ``baseline``."""

    names: tuple[str, ...]
    baseline: float
    trees: tuple[dict, ...]
    threshold: float
    fitted_on: str = ""
    kind: str = "trees"
    likely_below: float | None = None  # a shown figure under this is marked "likely" (the card model only)

    def raw(self, values: list[float]) -> float:
        total = self.baseline
        for tree in self.trees:
            node = 0
            while not tree["leaf"][node]:
                goes_left = values[tree["feature"][node]] <= tree["threshold"][node]
                node = tree["left"][node] if goes_left else tree["right"][node]
            total += tree["value"][node]
        return total

    def confidence(self, found: Evidence) -> float:
        z = self.raw([found.value(name) for name in self.names])
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    def to_dict(self) -> dict:
        return asdict(self)

    def save(self, path: Path = CALIBRATION) -> None:
        data = self.to_dict()
        trees = data.pop("trees")
        text = json.dumps(data, ensure_ascii=False, indent=1)
        rows = ",\n  ".join(json.dumps(tree, separators=(",", ":")) for tree in trees)  # a tree a line
        _write_json(None, path, text[:-2] + f',\n "trees": [\n  {rows}\n ]\n}}')

    @classmethod
    def from_sklearn(cls, model, names: tuple[str, ...], threshold: float, fitted_on: str = "",
                     likely_below: float | None = None) -> "Trees":
        """From a fitted ``sklearn.ensemble.HistGradientBoostingClassifier`` (binary, numeric evidence)."""
        trees = []
        for (predictor,) in model._predictors:
            nodes = predictor.nodes
            trees.append({"feature": [int(v) for v in nodes["feature_idx"]],
                          "threshold": [float(v) for v in nodes["num_threshold"]],
                          "left": [int(v) for v in nodes["left"]], "right": [int(v) for v in nodes["right"]],
                          "value": [float(v) for v in nodes["value"]], "leaf": [bool(v) for v in nodes["is_leaf"]]})
        baseline = float(np.ravel(model._baseline_prediction)[0])
        return cls(tuple(names), baseline, tuple(trees), float(threshold), fitted_on,
                   likely_below=None if likely_below is None else float(likely_below))


def _write_json(data: dict | None, path: Path, text: str | None = None) -> None:
    """Written to a temporary file first, so a failure leaves the previous calibration in place."""
    path = Path(path)
    temporary = path.with_suffix(".tmp")
    temporary.write_text((text or json.dumps(data, ensure_ascii=False, indent=2)) + "\n", encoding="utf-8")
    temporary.replace(path)


@lru_cache(maxsize=1)
def calibration(path: Path = CALIBRATION) -> "Calibration | Trees":
    """The shipped model: trees (``kind: trees``) or, in an older file, the logistic ``Calibration``."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if data.get("kind") == "trees":
        return Trees(names=tuple(data["names"]), baseline=data["baseline"], trees=tuple(data["trees"]),
                     threshold=data["threshold"], fitted_on=data.get("fitted_on", ""),
                     likely_below=data.get("likely_below"))
    return Calibration(**{key: tuple(value) if isinstance(value, list) else value for key, value in data.items()})


def fit(rows: list[Evidence], answerable: list[bool], ridge: float = 1.0,
        names: tuple[str, ...] = FEATURES) -> tuple[tuple, tuple, tuple, float]:
    """Logistic regression with an L2 penalty (scipy's L-BFGS) on standardised evidence.

    Returns (mean, scale, weights, bias)."""
    from scipy.optimize import minimize

    x = np.array([[row.value(name) for name in names] for row in rows], dtype=float)
    y = np.array(answerable, dtype=float)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale

    def loss(theta):
        w, b = theta[:-1], theta[-1]
        logits = z @ w + b
        value = np.sum(np.logaddexp(0, logits) - y * logits) + 0.5 * ridge * np.dot(w, w)
        p = 1 / (1 + np.exp(-logits))
        gradient = np.append(z.T @ (p - y) + ridge * w, np.sum(p - y))
        return value, gradient

    solution = minimize(loss, np.zeros(z.shape[1] + 1), jac=True, method="L-BFGS-B")
    return tuple(mean), tuple(scale), tuple(solution.x[:-1]), float(solution.x[-1])
