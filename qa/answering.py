"""The answer to a question: the figure with its period, place, document and citation, or "not found".

``answer_question`` is what the CLI and the web UI call. It

1. splits a question that asks several things (2021年和2023年…分别是多少) into parts (``qa.asks``);
2. searches each part (``Searcher.search``, optionally restricted by ``Filters``);
3. judges from the ranking's evidence how likely the reports answer it (``qa.confidence``): below
   the calibrated threshold the part is not found, its closest passages are still returned, and no
   answer figure is claimed;
4. takes the best passage's answer figure as the answer, with its period (year, half-year, result
   or target), place, document and references (GB/T 7714-2015 and English, ``qa.citations``), and
   an English gloss of its magnitude for English readers (``qa.gloss``);
5. lists the figures that other well-supported passages among the top results give for the same
   period when they differ from the answer (784.2亿元 against 784.23亿元).

What the page or the command line says about the outcome comes as ``Notice`` records: a message
key and its parameters, translated by the interface's message table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache, partial
from decimal import Decimal

from .asks import split_asks
from .card import (CARD_DEPTH, FULL_COVERAGE, MEANING_CONFIDENCE, CardEvidence, Contrast, Refusal, Source, card_evidence,
                   card_gate, check_fact, judge_facts, pick_by_meaning, pick_from, wanted_by)
from .facts import Fact, normalised_value, same_value
from .figures import extract_figures
from .vocabulary import bound_before, fall_before, range_after
from .placing import asked_index_places, asked_places, index_places_named, place_bases
from .citations import cite
from .chunking import sentence_spans
from .confidence import EVIDENCE_DEPTH, Calibration, Evidence, KeyTerms, Trees, calibration, evidence, key_terms, presence
from .embedding import ModelError
from .filters import Filters
from .gloss import english_gloss
from .places import english_name
from .periods import FULL, H1, H2, Q3, Period, part_named, question_period
from .query import is_english, understand
from .tokens import normalise, tokenize
from .search import MAX_QUESTION_CHARS, QueryError, Result, limit_question

__all__ = ["AnswerFigure", "Filters", "Notice", "Part", "Response", "answer_question", "LANGUAGES", "NOTICES"]

LANGUAGES = ("zh", "en")
CARD_MODES = ("facts", "rules")
# Notice keys and their parameters (the interface's message table holds the wording):
NOTICES = {
    "not_found": "no part of the question is answered by the reports; the closest passages are still given",
    "part_not_found": "one part of a multi-part question is not answered: {part}",
    "disagreement": "passages give different figures for the same period: {figures} (、-joined)",
    "question_cut": "the question was cut to {limit} characters",
    "no_results": "no passage matched at all (an empty index, or filters that leave nothing)",
    "missing": "the passages were found but no figure in them agrees with the question on {condition} (one of "
               "qa.card.CONDITIONS); the closest figures: {closest}",
    "uncertain": "a figure agrees with the question, but the card model finds it not likely enough to be the answer "
                 "to show it as one: {closest}",
}
SAME_INDICATOR = 0.8  # another answer counts as the same indicator when its sentence names this share of the answer's
_PARTS_ZH = {H1: "上半年", H2: "下半年", Q3: "前三季度"}
_PARTS_EN = {H1: "H1 ", H2: "H2 ", Q3: "Q1–Q3 "}


@dataclass(frozen=True)
class Notice:
    key: str  # one of NOTICES
    params: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"key": self.key, "params": dict(self.params)}


@dataclass(frozen=True)
class AnswerFigure:
    text: str  # the figure as written, e.g. "784.2亿元"
    kind: str  # money, percent, count … (qa.figures.KINDS)
    unit: str  # as written after the digits: 亿元, %, 万余人
    year: int | None  # the year the passage speaks about, None for a span or when unknown
    period: str  # period label: "2021年", "2024年上半年", "2021–2025年"
    stance: str | None  # "result" | "target" | None
    place: str | None  # the document's place
    document: str  # document title
    date: str | None  # the report's delivery date as a reader reads it
    passage_id: str
    rank: int  # the passage's rank among its part's results (1-based)
    citation_zh: str  # GB/T 7714-2015 style reference
    citation_en: str
    gloss_en: str | None  # 784.2亿元 → "78.42 billion yuan"; None without a magnitude or for a Chinese reader
    part: str | None = None  # FULL, H1, H2, Q1-3 (qa.periods), None when not stated
    period_en: str = ""  # "2021", "H1 2024", "2021–2025"
    details: str = ""  # where exactly: file, character range, paragraph or line
    quote: str = ""  # the passage text
    fact: dict | None = None  # what the figure measures (``qa.facts.Fact.to_dict``): indicator, head, measure …

    @property
    def source(self) -> str:
        """The report the figure comes from, as the index names it (the passage id without its range)."""
        return self.passage_id.rsplit(":", 1)[0]

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class Part:
    question: str
    found: bool
    answer: AnswerFigure | None
    results: list  # list[qa.search.Result]
    confidence: float = 0.0
    disagreement: list[AnswerFigure] = field(default_factory=list)
    evidence: Evidence | None = None  # of the best-ranked passage
    refusal: Refusal | None = None  # why no fact answers, when the ranking found the passages but no figure agrees
    same: list[AnswerFigure] = field(default_factory=list)  # the same figure as other reports write it (784.23亿元)
    card_evidence: CardEvidence | None = None  # what the card's figure was judged on (``qa.card.CardEvidence``)

    def to_dict(self) -> dict:
        return {"question": self.question, "found": self.found, "confidence": round(self.confidence, 4),
                "answer": self.answer.to_dict() if self.answer else None,
                "disagreement": [figure.to_dict() for figure in self.disagreement],
                "results": [result.passage.id for result in self.results],
                "evidence": self.evidence.to_dict() if self.evidence else None,
                "missing": self.refusal.reason if self.refusal else None,
                "same": [figure.to_dict() for figure in self.same]}


@dataclass
class Response:
    question: str
    found: bool
    confidence: float  # calibrated probability that the reports answer (the best part's)
    answer: AnswerFigure | None  # None when not found
    parts: list[Part]  # one for a plain question
    disagreement: list[AnswerFigure]
    results: list  # list[qa.search.Result]: the parts' results, merged in turn, ranks renumbered
    notices: list[Notice]

    def card_figures(self) -> dict[str, str]:
        """The figures the card shows, by passage id: each part's answer and the figures that differ from it."""
        answers = [part.answer for part in self.parts if part.found and part.answer] + list(self.disagreement)
        return {answer.passage_id: answer.text for answer in answers}

    def claimed_passages(self) -> set[str]:
        """Ids of the passages whose answer figures may be shown: those of the parts found. A part not found
        claims no figure, so its closest passages are shown without one."""
        return {result.passage.id for part in self.parts if part.found for result in part.results}

    def to_dict(self) -> dict:
        claimed = self.claimed_passages()
        return {
            "question": self.question, "found": self.found, "confidence": round(self.confidence, 4),
            "answer": self.answer.to_dict() if self.answer else None,
            "results": [result.to_dict() if result.passage.id in claimed else {**result.to_dict(), "answer": None}
                        for result in self.results],
            "notices": [notice.to_dict() for notice in self.notices],
            "parts": [part.to_dict() for part in self.parts],
            "disagreement": [figure.to_dict() for figure in self.disagreement],
        }


def answer_question(searcher, question: str, k: int = 5, mode: str = "hybrid", filters: Filters | None = None,
                    language: str = "zh", calibrated: Calibration | Trees | None = None,
                    card: str = "facts", gate: "bool | Trees" = True) -> Response:
    """Search ``question`` and say what it finds (see the module notes); ``language`` is the reader's (zh, en);
    ``card``: ``facts`` (the figure is a stored fact that agrees with the question, ``qa.card``) or ``rules`` (the
    best passage's answer figure as the picker reads it, the earlier behaviour, kept for comparison); ``gate``: the
    card shows its figure only when the card model (``qa.card.card_gate``, or the model given) finds it likely enough
    to be right; False shows every figure that agrees with the question."""
    if card not in CARD_MODES:
        raise QueryError(f"unknown card mode {card!r}: choose one of {', '.join(CARD_MODES)}")
    if language not in LANGUAGES:
        raise QueryError(f"unknown language {language!r}: choose one of {', '.join(LANGUAGES)}")
    question, cut = limit_question(question)
    model = calibrated or calibration()
    english = language == "en" or is_english(question)
    asks = split_asks(question)
    parts = [_answer_part(searcher, ask, k, mode, filters, english, model, card, gate) for ask in asks]
    notices = [Notice("question_cut", {"limit": MAX_QUESTION_CHARS})] if cut else []
    if not any(part.results for part in parts):
        notices.append(Notice("no_results"))
    elif not any(part.found for part in parts):
        notices.append(Notice("not_found"))
    elif len(parts) > 1:
        notices += [Notice("part_not_found", {"part": part.question}) for part in parts if not part.found]
    notices += [Notice("uncertain", {"closest": part.refusal.closest_text()}) if part.refusal.reason == "uncertain"
                else Notice("missing", {"condition": part.refusal.reason, "closest": part.refusal.closest_text()})
                for part in parts if part.refusal is not None and part.refusal.closest]
    disagreement = [figure for part in parts for figure in part.disagreement]
    if disagreement:
        shown = [part.answer for part in parts if part.answer and part.disagreement]
        notices.append(Notice("disagreement", {"figures": "、".join(f.text for f in [*shown, *disagreement])}))
    answered = next((part for part in parts if part.found), None)
    return Response(
        question=question, found=answered is not None, confidence=max(part.confidence for part in parts),
        answer=answered.answer if answered else None, parts=parts, disagreement=disagreement,
        results=parts[0].results if len(parts) == 1 else _merged([part.results for part in parts]),
        notices=notices,
    )


def ranked_evidence(searcher, question: str, k: int = 5, mode: str = "hybrid",
                    filters: Filters | None = None) -> tuple[list, list[Evidence]]:
    """The first ``k`` results of one question and the evidence each gives that it answers (``qa.confidence``;
    measured over at least ``EVIDENCE_DEPTH`` results)."""
    results, found, _, _ = _ranked(searcher, question, k, mode, filters)
    return results, found


def _ranked(searcher, question: str, k: int, mode: str, filters: Filters | None):
    results = searcher.search(question, k=max(k, EVIDENCE_DEPTH), mode=mode, filters=filters)
    if not results:
        return results, [], KeyTerms(()), None
    query = understand(question, use_glossary=searcher.settings.glossary, use_synonyms=searcher.settings.synonyms)
    documents = searcher.documents or {}
    index_places = searcher.index_places()
    terms = key_terms(query, question, searcher.store, frozenset(index_places))
    found = evidence(results, question, terms, [documents.get(r.passage.source) for r in results],
                     [_period_of(searcher, r) for r in results], searcher.current_year, index_places)
    return results[:k], found[:k], terms, query


def _answer_part(searcher, question: str, k: int, mode: str, filters: Filters | None, english: bool,
                 model: Calibration | Trees, card: str = "facts", gate: "bool | Trees" = True) -> Part:
    asked_as = _with_filters(question, filters, getattr(searcher, "current_year", None)) if card == "facts" else question
    results, found_evidence, terms, query = _ranked(searcher, asked_as, k, mode, filters)
    if not results:
        return Part(question, False, None, results)
    results = [_with_fact(searcher, result) for result in results]
    # each passage judged on its own content, with the ranking's leads of the best one
    confidences = [model.confidence(replace(item, dense_lead=found_evidence[0].dense_lead,
                                            score_lead=found_evidence[0].score_lead)) for item in found_evidence]
    found = confidences[0] >= model.threshold
    if card == "facts":
        part = _answer_from_facts(searcher, asked_as, results, confidences, found_evidence, terms, found, english,
                                  model.threshold, filters, query, card_gate() if gate is True else gate or None)
        return replace(part, question=question)
    top = results[0]
    answer = _figure(searcher, top, english) if found and top.answer else None
    disagreement = []
    if answer is not None:
        top_period, top_terms = _period_of(searcher, top), _answer_coverage(top, terms)
        for result, confidence in zip(results[1:], confidences[1:]):
            if confidence >= model.threshold and result.answer and _differs(top.answer, result.answer) \
                    and _same_period(top_period, _period_of(searcher, result)) \
                    and _answer_coverage(result, terms) >= SAME_INDICATOR * top_terms:
                disagreement.append(_figure(searcher, result, english))
    return Part(question, found, answer, results, confidences[0], disagreement, found_evidence[0])


def _with_filters(question: str, filters: Filters | None, current_year: int | None) -> str:
    """The question as its filters would have it asked: one year filtered and none named, or one place filtered and
    none named, are read as if the question named them (2024年山东省 + 地区生产总值是多少), so the ranking's
    evidence and the card judge the figures against them."""
    if not filters:
        return question
    place = filters.places[0] if len(filters.places) == 1 and not asked_places(question) else ""
    year = filters.years[0] if len(filters.years) == 1 and not question_period(question, current_year).years else None
    if is_english(question):  # "What was GDP growth in Shandong in 2024?"
        short = re.sub(r" (?:Province|City|District|County|Municipality|Autonomous Region|Autonomous Prefecture|"
                       r"Special Administrative Region|[A-Z][a-z]+ Autonomous Region)$", "", english_name(place)) \
            if place and place != _nation() else "China" if place else ""
        words = "".join(f" in {word}" for word in (short, str(year) if year else "") if word)
        return f"{question.rstrip('?？ ')}{words}?" if words else question
    return f"{f'{year}年' if year else ''}{place}{question}"


def _answer_from_facts(searcher, question: str, results: list, confidences: list[float], found_evidence: list,
                       terms: KeyTerms, found: bool, english: bool, threshold: float,
                       filters: Filters | None = None, query=None, gate=None) -> Part:
    """The card from the stored facts of the first passages (``qa.card``): a fact that agrees with the question on
    unit, measure, qualifiers, place, period and stance, or none, with the condition no fact met. Filters steer it
    as the question would: a year filter is the period asked when the question names none, a place filter the
    place."""
    period = question_period(question, searcher.current_year)
    if filters and filters.years and not period.years:
        period = replace(period, first=min(filters.years), last=max(filters.years))
    if not found:
        asks_target = wanted_by(question, period, frozenset()).target
        return _stated_by_name(searcher, question, period, filters, results, english, found_evidence[0],
                               asks_target) or \
            Part(question, False, None, results, confidences[0], [], found_evidence[0])
    names = searcher.index_places()
    # the index's places named beside places the table knows (Qingyuan County (Baoding, Hebei)) are asked too
    asked = asked_index_places(question, names)
    places = asked.places | index_places_named(question, names) | \
        (frozenset(filters.places) - {_nation()} if filters else frozenset())
    wants = wanted_by(question, period, places)
    if not wants.kinds and wants.measure is None:  # 常住人口是多少: what the reports measure it in
        units = getattr(searcher.store, "indicator_units", None)
        learned = units().expected_kinds(normalise(question)) if units is not None else frozenset()
        if learned:
            wants = replace(wants, kinds=learned)
    if filters and _nation() in filters.places and not places:
        wants = replace(wants, national=True)
    documents = searcher.documents or {}
    candidates = [(result.rank, _facts_of(searcher, result), result.answer.start if result.answer else None,
                   _source(result.passage, documents), result.passage.text) for result in results[:CARD_DEPTH]]
    heads = {word for _, facts, _, _, _ in candidates for fact in facts for word in tokenize(fact.head)}
    query = query or understand(question, use_glossary=searcher.settings.glossary,
                                use_synonyms=searcher.settings.synonyms)
    from .series import names_elsewhere

    contrast = Contrast(frozenset(query.bm25_tokens) | frozenset(tokenize(question)),
                        searcher.store.token_weights(sorted(heads)), "" if english else normalise(question),
                        partial(names_elsewhere, searcher.store), "".join(query.expansions) if english else "")
    judged = judge_facts(candidates, wants, terms, contrast)
    choice = pick_from(judged, wants)
    meaning = None
    if isinstance(choice, Refusal) and choice.reason == "indicator":
        meaning = pick_by_meaning(judged, {rank: text for rank, _, _, _, text in candidates}, wants,
                                  _similarity_to(searcher, question), contrast, terms)
        if meaning is not None:
            choice = meaning[0]
    if isinstance(choice, Refusal):
        return _stated_by_name(searcher, question, period, filters, results, english, found_evidence[0],
                               wants.target) or Part(question, False, None, results, confidences[0], [],
                                                     found_evidence[0], choice)
    judgement = card_evidence(choice, judged, wants, confidences[0], english, meaning[1] if meaning else 0.0)
    if meaning is not None:  # read by meaning, not by the card model's features (see qa.card.MEANING_CONFIDENCE)
        confidences = [MEANING_CONFIDENCE, *confidences[1:]]
    elif gate is not None:  # the card's confidence is now that its figure is right
        likely = gate.confidence(judgement)
        if likely < gate.threshold:
            return _stated_by_name(searcher, question, period, filters, results, english, found_evidence[0],
                                   wants.target, doubted=choice.fact,
                                   doubted_fully_named=choice.coverage >= FULL_COVERAGE) or \
                Part(question, False, None, results, likely, [], found_evidence[0], Refusal("uncertain", (choice,)),
                     card_evidence=judgement)
        confidences = [likely, *confidences[1:]]
    results = [_only_agreeing(searcher, result, wants, terms, documents, contrast) for result in results]
    results = [_marked(result, choice.fact) if result.rank == choice.rank else result for result in results]
    chosen = results[choice.rank - 1]
    answer = _figure(searcher, chosen, english, choice.fact)
    disagreement, same, seen = [], [], [choice.fact]
    for result, confidence in zip(results, confidences):
        if result.rank == choice.rank or confidence < threshold or result.answer is None:
            continue
        other = next((f for f in _facts_of(searcher, result) if f.start == result.answer.start), None)
        if other is None or other.text in {fact.text for fact in seen}:
            continue
        check = check_fact(other, result.rank, wants, terms, _source(result.passage, documents),
                           result.passage.text[max(0, other.start - 40):other.end + 10])
        if not (check.agrees and _same_fact_frame(choice.fact, other)
                and check.coverage >= SAME_INDICATOR * choice.coverage and check.coverage > 0):
            continue
        seen.append(other)
        # the same figure rounded otherwise (784.2亿元 / 784.23亿元) is one figure with both forms cited
        (same if same_value(other, choice.fact) else disagreement).append(_figure(searcher, result, english, other))
    return Part(question, True, answer, results, confidences[0], disagreement, found_evidence[0], same=same,
                card_evidence=judgement)


def _same_fact_frame(a: Fact, b: Fact) -> bool:
    """Facts that measure alike (measure, unit, period, stance and place, a place unknown matching any): only such
    facts can contradict."""
    return (a.measure, a.unit, a.period_first, a.period_last, a.stance == "target") == \
        (b.measure, b.unit, b.period_first, b.period_last, b.stance == "target") and \
        (a.place == b.place or not a.place or not b.place)


def _facts_of(searcher, result) -> tuple[Fact, ...]:
    position = searcher.store.find(result.passage.id)
    return tuple(searcher.store.facts(position)) if position is not None else ()


# How often a figure found by its indicator's own name in the stored facts is right, when the card's passages held
# none to show: on the dev split (pile and communiqués, seeds), measured as (right + 1) / (shown + 2).
STATED_CONFIDENCE = 0.9


def found_by_name_stands(cell, question: str, places: tuple[str, ...] = (), doubted: Fact | None = None,
                         doubted_fully_named: bool = False) -> bool:
    """Whether a figure found by the indicator's name may stand on the card when the card doubted ``doubted``: not
    when that figure is named as the indicator asked too, or names every key term of the question (医院病床 for
    hospital beds, when the name finds another 床位), with another value: two candidates, neither sure."""
    from .series import rival_named_alike

    if doubted is None:
        return True
    if rival_named_alike(doubted, cell, question, places):
        return False
    return not (doubted_fully_named and not same_value(doubted, cell.fact))


def _stated_by_name(searcher, question: str, period: Period, filters: Filters | None, results: list, english: bool,
                    evidence, target: bool | None = None, doubted: Fact | None = None,
                    doubted_fully_named: bool = False) -> Part | None:
    """The card when its passages hold no figure it can show: the one figure the index's stored facts give under the
    indicator's own name for the year and place asked (``qa.series.stated_for_question``), cited from its passage,
    which is added after the ranked ones when the ranking did not find it. None for a question over several years,
    and None when the card doubted another figure of its passages that rivals it (``found_by_name_stands``)."""
    from .series import stated_for_question, stated_latest

    places = tuple(p for p in filters.places if p != _nation()) if filters and filters.places else ()
    if period.first is None and period.part is None and not target:  # no year asked: the latest the reports state
        cell = stated_latest(searcher.store, question, places)
    elif period.first is None or period.first != period.last or period.part not in (None, FULL):
        return None
    else:
        cell = stated_for_question(searcher.store, question, period.first, places, target)
    if cell is None or not found_by_name_stands(cell, question, places, doubted, doubted_fully_named):
        return None
    chosen = next((result for result in results if result.passage.id == cell.passage_id), None)
    if chosen is None:
        features = searcher.features(cell.position)
        figure = next((f for f in features.figures if f.start == cell.fact.start), None)
        if figure is None:
            return None
        chosen = Result(rank=len(results) + 1, score=0.0, passage=searcher.store.passage(cell.position),
                        figures=list(features.figures), answer=figure, answering=[figure], found_by_name=True)
        results = [*results, chosen]
    chosen = _marked(chosen, cell.fact)
    # the other passages' own answer figures measure something else: they stay plain
    results = [chosen if result.rank == chosen.rank else replace(result, answer=None, answering=[], fact=None)
               for result in results]
    return Part(question, True, _figure(searcher, chosen, english, cell.fact), results, STATED_CONFIDENCE, [], evidence)


def _similarity_to(searcher, question: str):
    """Each text's cosine to the question by the index's embedding model; nothing close when the model cannot load."""
    def similarity(texts: list[str]) -> list[float]:
        try:
            embedder = searcher.embedder
            question_vector = embedder.embed_query(question).reshape(-1)
            return list(embedder.embed_passages(texts) @ question_vector)
        except ModelError:
            return [0.0] * len(texts)
    return similarity


def _marked(result, fact: Fact):
    """The result with the card's fact as its answer figure, so the passage marks the figure the card shows."""
    figure = next((f for f in result.figures if f.start == fact.start), None)
    if figure is None:
        return result
    answering = result.answering if figure in result.answering else [*result.answering, figure]
    return replace(result, answer=figure, answering=answering, fact=fact)


def _only_agreeing(searcher, result, wants, terms, documents: dict, contrast: Contrast):
    """The result with only the figures whose facts agree with the question marked as answering, and its answer
    figure kept only when its fact agrees (a neighbouring figure of another indicator is not an answer)."""
    source = _source(result.passage, documents)
    text = result.passage.text
    agreeing = {fact.start: fact for fact in _facts_of(searcher, result)
                if check_fact(fact, result.rank, wants, terms, source, text[max(0, fact.start - 12):fact.end + 10],
                              contrast=contrast).agrees}
    answer = result.answer if result.answer is not None and result.answer.start in agreeing else None
    return replace(result, answer=answer, answering=[f for f in result.figures if f.start in agreeing],
                   fact=agreeing.get(answer.start) if answer is not None else None)


def _with_fact(searcher, result):
    """The result with the fact of its answer figure (what the figure measures), for JSON and exports."""
    if result.answer is None:
        return result
    fact = next((f for f in _facts_of(searcher, result) if f.start == result.answer.start), None)
    return replace(result, fact=fact) if fact is not None else result


def _source(passage, documents: dict) -> Source:
    """The report of a passage as the card sees it: the nation's or not, its place (its metadata's, else what its
    title and file name name) and the years it reports on."""
    info = documents.get(passage.source)
    place = getattr(info, "place", "") or ""
    names = place or " ".join(filter(None, (getattr(info, "title", ""), passage.title, passage.source)))
    years = frozenset(year for year in (getattr(info, "reviews", None), getattr(info, "year", None)) if year)
    return _named_source(place == _nation(), names, years, getattr(info, "reviews", None))


@lru_cache(maxsize=4096)
def _named_source(national: bool, names: str, years: frozenset[int], reviews: int | None = None) -> Source:
    return Source(national, frozenset() if national else place_bases(names), years, reviews)


@lru_cache(maxsize=1)
def _nation() -> str:
    from .places import nation

    return nation().name


def _answer_coverage(result, terms: KeyTerms) -> float:
    """The share of the question's key terms in the sentence that holds the result's answer figure: two figures
    answer about the same indicator when their sentences name it alike (784.2亿元 and 784.23亿元 both after
    地区生产总值; not 1.04万人 of people quarantined beside 2.1万人 of new jobs)."""
    text, start = result.passage.text, result.answer.start
    span = next(((a, b) for a, b in sentence_spans(text) if a <= start < b), (0, len(text)))
    haystack = normalise(text[span[0]:span[1]])
    total = sum(term.weight for term in terms.terms)
    return sum(term.weight * presence(term, haystack) for term in terms.terms) / total if total else 1.0


def _period_of(searcher, result) -> Period | None:
    position = searcher.store.find(result.passage.id)
    return searcher.features(position).period if position is not None else None


def _same_period(a: Period | None, b: Period | None) -> bool:
    """The same years, and not a result against a target (the part of the year is left to the confidence, which
    judges each passage against the asked period)."""
    return a is not None and b is not None and bool(a.years) and a.years == b.years and \
        (a.plan is None or b.plan is None or a.plan == b.plan)


def value_of(figure) -> tuple[Decimal, str] | None:
    """A figure's value (magnitude applied) and its unit without magnitude or qualifier: 784.2亿元 → (78420000000, 元)."""
    return normalised_value(figure.text)


def _differs(a, b) -> bool:
    """Two answer figures of the same kind and unit with different values."""
    if a.kind != b.kind:
        return False
    first, second = value_of(a), value_of(b)
    if first is None or second is None or first[1] != second[1]:
        return False
    return first[0] != second[0]


def _labels(period: Period | None, part: str | None, report_year: int | None) -> tuple[int | None, str, str]:
    """The figure's year (None for a span) and its period label in Chinese and English; a passage whose own
    period names no year is taken to speak about its report's year (8月6日…上半年 → 2020年上半年)."""
    first, last = (period.first, period.last) if period is not None and period.first is not None else \
        (report_year, report_year)
    part = part if part in _PARTS_ZH else None
    if first is None:
        return None, _PARTS_ZH[part] if part else "", _PARTS_EN[part].strip() if part else ""
    years = str(first) if first == last else f"{first}–{last}"
    zh = f"{years}年" + (_PARTS_ZH[part] if part else "")
    en = (_PARTS_EN[part] if part else "") + years
    return (first if first == last else None), zh, en


def _figure_part(result) -> str | None:
    """The part of the year a figure is about: named by the passage's headings, else by the figure's own sentence
    (a passage that mentions 上半年 in passing while giving a full year's figure is about the full year)."""
    passage, start = result.passage, result.answer.start
    sentence = next((passage.text[a:b] for a, b in sentence_spans(passage.text) if a <= start < b), passage.text)
    return next((part for part in map(part_named, reversed(passage.section)) if part), None) or part_named(sentence)


def _figure(searcher, result, english: bool, fact: Fact | None = None) -> AnswerFigure:
    """The card's figure from a result's answer figure, or from one of its facts (its period and stance then)."""
    passage, figure = result.passage, result.answer
    period = _period_of(searcher, result)
    if fact is not None and fact.period_first is not None and period is not None:
        period = replace(period, first=fact.period_first, last=fact.period_last)
    part = _figure_part(result)
    citation = cite(passage, searcher.documents or {}, result.rank, result.score, figure.text)
    info = citation.info
    year, label_zh, label_en = _labels(period, part, info.year)
    stance = None if period is None or period.plan is None else "target" if period.plan else "result"
    if fact is not None:
        stance = fact.stance
        # a table cell's fact is written with the unit its column heading gives (156.40 under 绝对数（亿元）)
        written = extract_figures(fact.text) if fact.text != figure.text else []
        if written and written[0].start == 0 and not figure.unit:
            figure = written[0]
    # 突破7亿元: the report's bound stays with the figure, as 7.5%左右 does, and so does a range's upper end (5%-5.5%)
    bound = bound_before(passage.text, result.answer.start)
    text = bound + (fact.text if fact is not None else figure.text)
    if fact is not None and fact.measure == "change":  # "how did it change": 下降24.4%, never a bare 24.4%
        text = fall_before(passage.text, result.answer.start - len(bound)) + text
    if figure.kind == "percent" and (fact is None or fact.text == passage.text[fact.start:fact.end]):
        text += range_after(passage.text, fact.end if fact is not None else result.answer.start + len(figure.text))
    return AnswerFigure(
        text=text, kind=figure.kind, unit=figure.unit, year=year,
        period=label_zh, stance=stance, fact=fact.to_dict() if fact is not None else None,
        place=info.place or None, document=info.title or passage.title, date=info.when or None,
        passage_id=passage.id, rank=result.rank, citation_zh=citation.reference_zh,
        citation_en=citation.reference_en, gloss_en=english_gloss(figure) if english else None,
        part=part, period_en=label_en, details=citation.details, quote=citation.quote,
    )


def _merged(lists: list[list]) -> list:
    """Results of several parts taken in turn (first of each part, then second …), each passage once."""
    merged, seen = [], set()
    for row in range(max(len(results) for results in lists)):
        for results in lists:
            if row < len(results) and results[row].passage.id not in seen:
                seen.add(results[row].passage.id)
                merged.append(replace(results[row], rank=len(merged) + 1))
    return merged
