"""How well series answers (``qa.series``) match hand-written expected cells (``gold/series.jsonl``).

Each gold question lists cells by place, year and column (result or target): the figure as a report writes it and
the reports that state it, or ``null`` where the reports state nothing. Three rates:

* cell precision: of the filled cells the answer shows at the places, years and columns the gold lists, the share
  that are right (the figure as written, or the same number with the same qualifier, from a listed report);
* cell recall: of the gold's stated cells, the share shown right;
* empty-cell honesty: of the gold's empty cells, the share shown empty. A filled cell where the gold is empty
  counts against precision too.

Cells the gold does not list are not scored (counted as ``unscored``). Figures shown beside a cell as another
report's (``differs``) are not scored.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .evaluation import GoldError
from .facts import _FULL_WIDTH, _TRAILING_QUALIFIER, normalised_value
from .figures import extract_figures
from .vocabulary import without_fall


@dataclass(frozen=True)
class GoldCell:
    place: str
    year: int
    stance: str  # result or target (the column)
    text: str | None  # None: the reports state nothing
    docs: tuple[str, ...]


@dataclass(frozen=True)
class SeriesQuestion:
    id: str
    question: str
    kind: str
    group: str
    series: str
    split: str
    cells: tuple[GoldCell, ...]


@dataclass
class CellCounts:
    questions: int = 0
    shown: int = 0  # filled cells shown at gold-listed keys
    shown_right: int = 0
    stated: int = 0  # gold cells with a figure
    found: int = 0  # of those, shown right
    empty: int = 0  # gold cells the reports leave empty
    empty_shown_empty: int = 0
    unscored: int = 0  # filled cells at keys the gold does not list
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float | None:
        return self.shown_right / self.shown if self.shown else None

    @property
    def recall(self) -> float | None:
        return self.found / self.stated if self.stated else None

    @property
    def honesty(self) -> float | None:
        return self.empty_shown_empty / self.empty if self.empty else None

    @property
    def filled_where_empty(self) -> int:
        return self.empty - self.empty_shown_empty

    def to_dict(self) -> dict:
        return {"questions": self.questions, "precision": self.precision, "recall": self.recall,
                "honesty": self.honesty, "shown": self.shown, "stated": self.stated, "empty": self.empty,
                "filled_where_empty": self.filled_where_empty, "unscored": self.unscored}


def load_series_gold(path: Path) -> list[SeriesQuestion]:
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise GoldError(f"cannot read {path}: {error.strerror or error}") from None
    questions = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            cells = tuple(GoldCell(cell["place"], int(cell["year"]), cell["stance"], cell["text"],
                                   tuple(cell.get("docs", ()))) for cell in row["cells"])
            questions.append(SeriesQuestion(row["id"], row["question"], row.get("kind", ""), row.get("group", ""),
                                            row.get("series", ""), row.get("split", ""), cells))
        except (ValueError, KeyError, TypeError) as error:
            raise GoldError(f"{path}, line {number}: not a series gold question ({error})") from None
    if not questions:
        raise GoldError(f"{path} holds no series questions")
    return questions


def _plain(text: str) -> str:
    return re.sub(r"\s+", "", text.translate(_FULL_WIDTH))


def same_figure(shown: str, expected: str) -> bool:
    """The same figure as written, allowing for full-width digits and 4% = 4.0%, but not for a dropped 左右 or 以上; a
    table's bare cell (69.10) is the figure shown with its column's unit (69.10亿元), as the card's evaluation counts
    a figure holding a gold answer."""
    if _plain(shown) == _plain(expected) or _plain(without_fall(shown)) == _plain(expected):
        return True  # 下降2.0% where the gold writes the figure alone (2.0%)
    if re.fullmatch(r"[-−－]?\d+(?:\.\d+)?", _plain(expected)) and _plain(shown).startswith(_plain(expected)) and \
            not re.search(r"[\d.]", _plain(shown)[len(_plain(expected)):]):
        return True
    written = extract_figures(expected)  # 12.4万套（间）: the figure it is written with, as the card's evaluation reads it
    if written and _plain(written[0].text) == _plain(shown) and not _TRAILING_QUALIFIER.search(expected):
        return True
    a, b = normalised_value(shown), normalised_value(expected)
    qualifier = lambda text: "".join(_TRAILING_QUALIFIER.findall(text))
    return a is not None and a == b and qualifier(shown) == qualifier(expected)


def score_question(question: SeriesQuestion, series, counts: CellCounts) -> None:
    """Add one answered question (``series``: a ``qa.series.Series`` or None) to ``counts``."""
    counts.questions += 1
    shown = {}
    for cell in series.cells() if series is not None else []:
        column = "target" if cell.stance == "target" else "result"
        shown[(cell.place, cell.year, column)] = cell
    gold_keys = set()
    for gold in question.cells:
        key = (gold.place, gold.year, gold.stance)
        gold_keys.add(key)
        cell = shown.get(key)
        filled = cell is not None and cell.stated
        right = filled and gold.text is not None and same_figure(cell.text, gold.text) and \
            (not gold.docs or cell.source in gold.docs)
        if filled:
            counts.shown += 1
            counts.shown_right += right
        if gold.text is None:
            counts.empty += 1
            counts.empty_shown_empty += not filled
            if filled:
                counts.misses.append(f"{question.id} {key}: shown {cell.text} where the reports state nothing")
        else:
            counts.stated += 1
            counts.found += right
            if not right:
                what = f"shown {cell.text} ({cell.source})" if filled else "not shown"
                counts.misses.append(f"{question.id} {key}: expected {gold.text}, {what}")
    counts.unscored += sum(1 for key, cell in shown.items() if cell.stated and key not in gold_keys)


def evaluate_series(store, questions: list[SeriesQuestion]) -> dict[str, CellCounts]:
    """Counts per split (and ``all``), then per split by group (national, provinces, cities) and by language
    (``test/national``, ``test/en``)."""
    from .series import series_for

    answered = [(question, series_for(store, question.question)) for question in questions]
    by_split: dict[str, CellCounts] = {"all": CellCounts()}
    for question, series in answered:
        for name in ("all", question.split or "none"):
            score_question(question, series, by_split.setdefault(name, CellCounts()))
    for question, series in answered:  # after every split, so that the splits' rows come first
        split = question.split or "none"
        for part in filter(None, (question.group, question.kind)):
            score_question(question, series, by_split.setdefault(f"{split}/{part}", CellCounts()))
    return by_split
