"""Which figures in a passage answer the question.

The sentence that shares the most (rarest) words with the question is found
first; its figures of the kind the question asks for (多少人 → people,
比例 → a percentage, "how much" → money …) are the answering figures, and
the one nearest the question's words is the answer figure.

Real sentences state ranges and changes: in "城镇化率由45.9%提高到52.6%" or
"从2000元提高到3500元" the answer is where the figure went (52.6%, 3500元)
unless the question asks where it started (从多少, 原来, "from what"); in
"比上年增加1501亿元，…达到11377亿元" the level (11377亿元) answers a question
about the level, the change (1501亿元) only a question about the change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .chunking import sentence_spans
from .figures import KIND_OF_UNIT, Figure
from .tokens import tokenize
from .vocabulary import BOUNDS, PERSON_NOUNS, RISE_OR_CHANGE_WORDS

# a note in brackets (不含农户，下同) stays inside its clause
_CLAUSE = re.compile(r"(?:（[^（）\n。]{0,30}）|\([^()\n。]{0,30}\)|[^，。！？；、!?;\n,]|(?<=\d),(?=\d))+[，。！？；、!?;,]?")


_PEOPLE = (r"people|persons|residents|workers|jobs|staff|volunteers|cadres|officials|employees|students|teachers|"
           r"doctors|elderly|seniors|children|tourists|visitors|members|talents|graduates")
_QUANTITIES = ("money", "area", "length", "weight", "volume", "number")

# (pattern, kinds, unit), in three tiers. A question's measure words (多少人, 比例, growth, how many days)
# say what it asks for; failing those, its subject (revenue, GDP, 资金) does; failing both, a bare
# "how much"/多少 asks for some quantity. Within a tier all cues that match are combined.
_ASKING_CUES: list[tuple[re.Pattern, tuple[str, ...], str]] = [
    (re.compile(rf"多少[万亿千百]*(?:个)?(?:人(?!次)|名|位|老人|老年人|群众|居民|学生|干部|党员|志愿者|义工|职工|游客|孩子|娃娃|婴儿|新生儿|儿童)|几人|人数|"
                rf"how many (?:[\w'-]+ ){{0,3}}?(?:{_PEOPLE})\b|number of (?:[\w'-]+ ){{0,3}}?(?:{_PEOPLE})\b"),
     ("count",), "人"),
    # people named last and then asked for (入境游客有多少, 常住人口一共是多少): persons
    (re.compile(rf"(?:{PERSON_NOUNS}|的人|人们)(?:的)?(?:人数|总数|数量|总量|规模)?(?:一共|总共|共|合计|大约|大概|约)?"
                rf"(?:有|是|为|达到|达)?多少[？?]?$"), ("count",), "人"),
    (re.compile(r"人次|person-times|visits"), ("count",), "人次"),
    (re.compile(r"多少(?:亿|万)?元|多少钱|how many yuan|how much money"), ("money",), ""),
    (re.compile(r"比例|占比|比重|百分之|百分比|率|强度|增速|增幅|增长|下降|变化|变动|同比|涨|满意|what share|\bshare (?:of|in)\b|proportion|percent|"
                r"percentage|rate\b|ratio\b|intensity|grow|growth|increase|decrease|decline|fell|\bfall|\bdrop|"
                rf"{RISE_OR_CHANGE_WORDS}|satisf|"
                r"year-on-year|per unit of|\bcutting\b"),
     ("percent",), "%"),
    (re.compile(r"多少天|几天|天数|how many days"), ("duration", "count"), "天"),
    (re.compile(r"多少岁|几岁|寿命|岁数|how old|life expectancy|years of age"), ("duration",), "岁"),
    (re.compile(r"哪天|哪一天|何时|什么时候|几月几日|日期|when|what date|which day|on what day"), ("date",), ""),
    (re.compile(r"哪一年|哪年|which year|what year"), ("year",), ""),
    (re.compile(r"第几|排名|排第|名次|位次|rank|place|first among"), ("rank",), ""),
    (re.compile(r"面积|多少平方米|多少万平方米|square met|(?:floor|land|built|green|total|covered|housing) area|area of|"
                r"floor space|green space|acreage|\\bland\\b"), ("area",), ""),
    (re.compile(r"多少亩|几亩|\bmu\b"), ("area",), "亩"),
    (re.compile(r"多少公里|长度|里程|多长(?!时间|期限|时期)|多远|kilomet|km\b|length|how long(?! did| will| has| have| was the)"),
     ("length",), ""),
    (re.compile(r"多少倍|几倍|倍数|times (?:as|larger|bigger)|fold"), ("multiple",), "倍"),
    (re.compile(r"浓度|微克|concentration"), ("concentration",), ""),
    # water is measured by volume (补水6600万方, 用水总量3.1亿立方米) or by weight (污水处理能力10万吨)
    (re.compile(r"多少(?:万|亿)?(?:立方米?|方|吨)?(?:的)?水|水量|how much water|cubic met"), ("volume", "weight"), ""),
    (re.compile(r"多少度|几度电|千瓦|装机|发电量|用电量|电量|\bkwh\b|kilowatt|(?:installed|generating|generation|power)\b"
                r"[\w -]{0,24}?\bcapacity|electricity (?:output|generation|consumption)|power generation|"
                r"how much (?:electric )?(?:power|electricity)|(?:electricity|power) consum"), ("energy",), ""),
    (re.compile(r"(?:多少|几)[万亿千百]*(?:个|家|所|项|条|户|座|栋|套|宗|件|处|场|批|份|部|辆|间|台|次|只|头|株|棵|枝|艘|架|起|笔|例|种)|"
                r"how many|number of"), ("count",), ""),
    (re.compile(r"(?:多少|几)[万亿千百]*(?:吨|斤|公斤|千克)|how many (?:tonnes|tons)"), ("weight",), ""),
]
_SUBJECT_CUES: list[tuple[re.Pattern, tuple[str, ...], str]] = [
    # what a harvest or a mine yields is weighed ("grain output" → 万吨, 亿斤), not priced
    (re.compile(r"(?:粮食|(?<![车机脑片池人])产量)(?!产值|生产总值)|(?:grain|crop|cereal|harvest|coal|steel|crude oil|cotton|meat|milk)s? ?"
                r"(?:output|production|yield)?(?! ?value)|(?:output|production|yield) of (?:grain|crops?|cereals?|coal|steel|"
                r"crude oil|cotton|meat|milk|maize|corn|wheat|rice|tea|fruits?|vegetables?)|"
                r"\b(?:maize|corn|wheat|rice|tea|fruit|vegetable|oilseed|pork|egg|aquatic product|fish)s? (?:\([\w ]+\) )?"
                r"(?:(?:and|&) [\w-]+ )?(?:output|production|yield)\b(?! ?value)|"
                r"\bin (?:[\d,]+ |ten thousand |thousand |million )?(?:metric )?(?:tonnes|tons)\b"),
     ("weight",), ""),
    (re.compile(r"金额|资金|总额|产值|收入|营收|投资|成交额|交易额|支出|税收|生产总值|(?:的|些|多少)钱|[挣赚]|revenue|investment|value|funds?|"
                r"\bearn(?:s|ed|ing|ings)?\b|\bwages?\b|\bsalar(?:y|ies)\b|"
                r"funding|income|spending|expenditure|amount|gdp|output|turnover|sales|budget|tax|deficit|bonds?\b"),
     ("money",), ""),
]
_SOME_QUANTITY = re.compile(r"how much")  # 多少 asks for anything, 人 or 元 alike
_MEASURE_WORD = re.compile(r"(?:多少|几)[万亿千百]*([个家所项条户座栋套宗件处场批名份部辆间台次只头株棵枝艘架起笔例种吨斤])")
# The measure word Chinese counts these things with ("How many roads" → 条).
_ENGLISH_MEASURE = {
    "条": r"roads?|streets?|routes?|lines?|rivers?",
    "所": r"schools?|kindergartens?|hospitals?|universit(?:y|ies)|colleges?",
    "家": r"enterprises?|compan(?:y|ies)|firms?|businesses|banks?",
    "户": r"households?|families",
    "栋": r"buildings?",
    "张": r"beds?",
}
# the noun counted is the last of its phrase: "how many hospital beds" counts beds, not hospitals
_COUNTED = [(re.compile(rf"how many (?:[\w-]+ ){{0,3}}?(?:{nouns})\b(?! (?:beds?|places|seats|staff|workers|students|"
                        rf"teachers|doctors|nurses|visits|projects|rooms|jobs|patients)\b)"), word)
            for word, nouns in _ENGLISH_MEASURE.items()]
_RARELY_ANSWERS = {"year", "date", "rank"}  # unless asked for
# Units and magnitudes are matched through the figure's unit, not as words of its clause.
_UNIT_WORD = re.compile(r"[万亿千百余多]*(?:" + "|".join(sorted(map(re.escape, KIND_OF_UNIT), key=len, reverse=True)) + ")")
# A clause opening with these has its subject in the clause before ("…收入完成29.9亿元,同比增长0.82%").
_SUBJECTLESS = re.compile(r"\s*(?:同比|比上年|较上年|比去年|增长|下降|增幅|占|其中|分别|累计|共计|合计|总计|达到|达|超过|超|均(?=为|达|超|在|已|有)|"
                          r"完成|实现|位居|排名|居(?=第|全|首|前))")
# "由45.9%提高到52.6%", "从2020年的5.2万元提高到2025年的7.4万元": what lies between a range's two figures
_TO_BETWEEN = re.compile(r"[^，。；！？,;]{0,4}?(?:(?:提高|增加|增长|上升|提升|扩大|增至|下降|降低|减少|缩小|压缩|压减|缩减|回落|攀升|跃升|"
                         r"突破|达)?(?:到|至)|→)[^，。；！？,;、]{0,12}")
_FROM_BEFORE = re.compile(r"(?:从|由)[^，。；！？,;、]{0,14}$")
_TO_WORD = re.compile(r"(?:提高|增加|增长|上升|提升|扩大|下降|降低|减少|缩小|压缩|压减|缩减|回落|攀升|跃升)(?:到|至)|增至|降至|升至|到|至")
# a question that asks where a change started
_ASKS_START = re.compile(r"从多少|由多少|原来|原先|起初|此前|之前是|提高前|调整前|from what|started? (?:at|from)|initially|"
                         r"originally|previously|before (?:the|it)", re.I)
# "比上年增加1501亿元", "减少500亿元", "提高1.34个百分点": a figure stated as a change
_CHANGE_BEFORE = re.compile(r"(?:(?<![新净])(?:增加|减少|增长|下降|提高|降低|上升)|比[^，。；、]{0,10}?[增减多少])了?$")
_ASKS_CHANGE = re.compile(r"增加|减少|增长|下降|提高|降低|上升|增量|净增|多了|少了|变化|变动|百分点|increase|decrease|grow|grew|"
                          r"rise|rose|fall|fell|declin|drop|change|more than|less than|up by|down by|percentage point", re.I)
# A bare 12万 followed by these is a number of people ("惠及近12万群众").
_PEOPLE_AFTER = re.compile(r"(?:[余多])?(?:群众|居民|老年人|老人|学生|儿童|职工|党员|干部|志愿者|游客|人)")


@dataclass(frozen=True)
class Asked:
    kinds: frozenset[str]  # figure kinds that would answer; empty when the question does not say
    unit: str = ""  # a unit the question names (人, 亿元, 亩 …)


def _matching(cues, text: str) -> tuple[set[str], str]:
    kinds: set[str] = set()
    unit = ""
    for pattern, cue_kinds, cue_unit in cues:
        if pattern.search(text):
            kinds.update(cue_kinds)
            unit = unit or cue_unit
    return kinds, unit


def asked(question: str) -> Asked:
    text = question.lower()
    kinds, unit = _matching(_ASKING_CUES, text)
    if not kinds:  # the first subject that matches: "grain output" is weighed, not priced
        kinds, unit = next((_matching([cue], text) for cue in _SUBJECT_CUES if cue[0].search(text)), (set(), ""))
    if not kinds and _SOME_QUANTITY.search(text):
        kinds = set(_QUANTITIES)
    measure = _MEASURE_WORD.search(text)
    if measure:  # the measure word the question uses is the most precise unit it names
        unit = measure.group(1)
    elif unit == "":
        unit = next((word for pattern, word in _COUNTED if pattern.search(text)), "")
    return Asked(frozenset(kinds), unit)


@dataclass
class AnswerFigures:
    answer: Figure | None  # the single figure most likely to answer
    answering: list[Figure]  # figures in the best sentence of the asked kind (the answer among them)
    sentence: tuple[int, int] | None  # the best-matching sentence, offsets in the passage text


def clause_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _CLAUSE.finditer(text) if m.group().strip()]


@dataclass
class Layout:
    """Where each figure of a passage stands; depends on the passage alone, so a searcher builds it once."""

    clauses: list[tuple[tuple[int, int], frozenset[str]]]  # each clause's span and tokens
    sentences: list[tuple[int, int]]
    clause_of: dict[int, int]  # figure start → index of its clause
    items: dict[int, tuple[int, int]]  # figure start → (clause of its listed item, clause of the shared predicate)
    subjectless: set[int]  # starts of figures whose clause takes its subject from the clause before
    word_before: dict[int, str]  # figure start → the word just before it in its clause
    ranges: dict[int, int] = field(default_factory=dict)  # start of a "from" figure → start of its "to" figure
    changes: set[int] = field(default_factory=set)  # starts of figures stated as a change (比上年增加1501亿元)
    listed: dict[int, int] = field(default_factory=dict)  # clause → first clause of the 、-joined run it ends


def layout(text: str, figures: list[Figure]) -> Layout:
    spans = clause_spans(text) or [(0, len(text))]
    clause_of = {f.start: next((i for i, (a, b) in enumerate(spans) if a <= f.start < b), len(spans) - 1)
                 for f in figures}
    subjectless, word_before = set(), {}
    for figure in figures:
        clause_start = spans[clause_of[figure.start]][0]
        if _SUBJECTLESS.match(text, clause_start) or figure.start == clause_start:
            subjectless.add(figure.start)
        words = tokenize(text[max(clause_start, figure.start - 8) : figure.start])
        if words:
            word_before[figure.start] = words[-1]
    listed, first = {}, 0
    for i, (a, b) in enumerate(spans):
        listed[i] = first
        if text[b - 1 : b] != "、":
            first = i + 1
    return Layout(
        clauses=[(span, frozenset(tokenize(text[span[0] : span[1]]))) for span in spans],
        sentences=sentence_spans(text), clause_of=clause_of,
        items=_respective_items(text, spans, figures, clause_of), subjectless=subjectless, word_before=word_before,
        ranges=_ranges(text, figures), changes=_changes(text, figures), listed=listed,
    )


def _comparable(a: Figure, b: Figure) -> bool:
    return a.kind == b.kind or {a.kind, b.kind} <= {"number", "count"}


def _ranges(text: str, figures: list[Figure]) -> dict[int, int]:
    """"From" figures → their "to" figures: 由45.9%提高到52.6%, 从2000元提高到3500元, 由1997年的7.4万亿元增加到…."""
    found = {}
    ordered = sorted(figures, key=lambda f: f.start)
    for i, figure in enumerate(ordered):
        if figure.kind in ("year", "date"):
            continue
        later = next((f for f in ordered[i + 1:] if _comparable(figure, f)), None)
        if later is None:
            continue
        between = text[figure.end : later.start]
        if not _TO_BETWEEN.fullmatch(between) or not _TO_WORD.search(between):
            continue
        # "提高到" right after the figure, or "从/由 … X … 到 Y"
        if _FROM_BEFORE.search(text[max(0, figure.start - 16) : figure.start]) or re.match(
                r"[^，。；、]{0,4}?(?:提高|增加|增长|上升|提升|扩大|下降|降低|减少|缩小|压缩|压减|缩减|回落|攀升|跃升)(?:到|至)", between):
            found[figure.start] = later.start
    return found


def _changes(text: str, figures: list[Figure]) -> set[int]:
    """Figures stated as a change of a level: 比上年增加1501亿元, 减少500亿元, 提高1.34个百分点 (not 增长9.9%: a rate)."""
    found = set()
    for figure in figures:
        if figure.kind == "percent" and "百分点" not in figure.unit:
            continue
        if figure.kind in ("year", "date", "rank"):
            continue
        if _CHANGE_BEFORE.search(text[max(0, figure.start - 14) : figure.start]):
            found.add(figure.start)
    return found


def pick(question_tokens: list[str], question: str, text: str, figures: list[Figure],
         weights: dict[str, float] | None = None, where: Layout | None = None) -> AnswerFigures:
    """Find the answering figures of one passage.

    Figures carrying the unit the question names (多少名 → 名) come first when there are any.
    Each is scored by the question words in its own clause; those of the clause before count
    fully when the clause has no subject of its own ("一般公共预算收入完成29.9亿元,同比增长0.82%"),
    else at half weight; the word just before the figure counts once more ("开工98个"); a
    listed figure scores by its listed item. ``weights`` gives a weight per token (e.g. its
    IDF); unknown tokens count 1. ``where`` is the passage's ``layout`` when already built.
    """
    if not figures:
        return AnswerFigures(None, [], None)
    wanted = asked(question)
    weights = weights or {}
    asked_tokens = {token for token in question_tokens if not _UNIT_WORD.fullmatch(token)}

    def unit_of(figure: Figure) -> str:
        if figure.kind == "number" and _PEOPLE_AFTER.match(text, figure.end):
            return figure.unit + "人"
        return figure.unit

    def kind_of(figure: Figure) -> str:
        return "count" if figure.kind == "number" and unit_of(figure) != figure.unit else figure.kind

    def eligible(figure: Figure) -> bool:
        if figure.text in question:  # a figure the question already names is not its answer
            return False
        if wanted.kinds:
            return kind_of(figure) in wanted.kinds
        return figure.kind not in _RARELY_ANSWERS

    candidates = [f for f in figures if eligible(f)]
    if wanted.unit:
        candidates = [f for f in candidates if wanted.unit in unit_of(f)] or candidates
    if not candidates:
        return AnswerFigures(None, [], None)
    where = where or layout(text, figures)
    candidates = _levels_and_ends(candidates, question, where)

    def weight(token: str) -> float:
        return weights.get(token, 1.0) * (0.5 if token[0].isdigit() else 1.0)

    clause_scores = [sum(weight(token) for token in tokens & asked_tokens) for _, tokens in where.clauses]

    def score(figure: Figure) -> float:
        i = where.clause_of[figure.start]
        before = clause_scores[i - 1] if i > 0 else 0.0
        if figure.start in where.items:  # "A、B同比增长7.4%、2.3%": each figure answers for its own item
            item, last = where.items[figure.start]
            context = clause_scores[item] + (0.5 * clause_scores[last] if item != last else 0.0)
        elif figure.start in where.subjectless:
            # the subject may stand further back in a run joined by 、 ("生产总值达到5.53万亿元、稳居全国前十强、增长4.8%")
            run = range(where.listed.get(i - 1, i - 1), i - 1) if i > 0 else range(0)
            context = clause_scores[i] + max([before, *(clause_scores[j] for j in run)])
        else:
            context = max(clause_scores[i], 0.5 * before)
        word = where.word_before.get(figure.start)
        if word in asked_tokens:
            context += weight(word)
        return context - (0.5 if kind_of(figure) == "number" else 0.0)

    answer = max(candidates, key=lambda f: (score(f), -f.start))
    sentence = next((span for span in where.sentences if span[0] <= answer.start < span[1]), None)
    answering = [f for f in candidates if sentence and sentence[0] <= f.start < sentence[1]] or [answer]
    return AnswerFigures(answer, answering, sentence)


def _levels_and_ends(candidates: list[Figure], question: str, where: Layout) -> list[Figure]:
    """Drop a range's start when its end is a candidate (unless the question asks where it started), and a
    change when a level of the same kind is a candidate (unless the question asks about the change)."""
    starts_asked = bool(_ASKS_START.search(question))
    present = {f.start for f in candidates}
    kept = []
    for figure in candidates:
        end = where.ranges.get(figure.start)
        if end is not None and end in present and not starts_asked:
            continue
        if starts_asked and figure.start in where.ranges.values() and any(
                where.ranges.get(f.start) == figure.start for f in candidates):
            continue
        kept.append(figure)
    if not _ASKS_CHANGE.search(question):
        levels = [f for f in kept if f.start not in where.changes]
        kept = [f for f in kept if f.start not in where.changes
                or not any(_comparable(f, level) for level in levels)]
    return kept or candidates


def _respective_items(text: str, spans: list[tuple[int, int]], figures: list[Figure],
                      clause_of: dict[int, int]) -> dict[int, tuple[int, int]]:
    """Figures listed in the same order as the items they belong to ("A、B同比增长7.4%、2.3%").

    Returns, for each such figure (by start), the clause of its item and the clause holding
    the shared predicate (the last item).
    """
    found: dict[int, tuple[int, int]] = {}
    in_clause: dict[int, list[Figure]] = {}
    for figure in figures:
        in_clause.setdefault(clause_of[figure.start], []).append(figure)
    first = 0
    for i, (start, end) in enumerate(spans):
        if text[end - 1 : end] == "、" and i + 1 < len(spans):
            continue  # the list goes on
        run = []  # trailing clauses holding nothing but a figure
        j = i
        while j > first and _only_figure(text, spans[j], in_clause.get(j)):
            run.insert(0, in_clause[j][0])
            j -= 1
        ending = in_clause.get(j)
        if run and ending and _LIST_BOUND.sub("", text[ending[-1].end : spans[j][1]].strip("、，,;；。 ")) == "" \
                and j - first + 1 == len(run) + 1:
            for item, figure in enumerate([ending[-1], *run]):
                found[figure.start] = (first + item, j)
        first = i + 1
    return found


def _only_figure(text: str, span: tuple[int, int], figures: list[Figure] | None) -> bool:
    return bool(figures) and len(figures) == 1 and \
        _LIST_BOUND.sub("", text[span[0] : span[1]].strip("、，,;；。 ")) == figures[0].text


# a bound after a listed figure (5.5%左右、6%左右): still nothing but the figure
_LIST_BOUND = re.compile(f"(?:{'|'.join(BOUNDS)})$")
