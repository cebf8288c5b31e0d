"""Retrieval evaluation against a gold question set (JSONL).

A retrieved passage is relevant when its display text contains one of the
question's answers and, where the question names documents, it comes from
one of them. Metrics: Hit@1/3/5/10, MRR@10 and nDCG@10 (binary relevance; the
ideal ranking counts every relevant passage in the index), and answer-figure
accuracy: over the questions whose top passage is relevant and whose answer
is a figure, how often the top result's answer figure is a gold answer.

A gold file may also hold questions the reports do not answer (``"answerable": false``, no
answers; ``gold/unanswerable.jsonl``). They take no part in the retrieval metrics; when the search
says whether it found an answer (``qa.answering.Response.found``), abstention is measured over all
questions: recall (the share of unanswerable questions flagged as not found), the false-flag rate
(the share of answerable ones flagged) and precision (the share of flagged questions that are
unanswerable).

The answer card (``CardScore``) is what a reader sees first, so it is scored on its own: over the
answerable questions whose answer is a figure, the card is right (its figure is a gold answer, or holds
one, or is the figure a longer gold answer is written around, and its passage comes from a gold
document), wrong (another figure, or the right figure from a document that does not state it), or
silent (not found); over the unanswerable questions, the share that still get a figure; and the
precision of the figures it claims (right over right and wrong).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

from .chunking import PATH_SEPARATOR, Passage
from .figures import extract_figures
from .facts import normalised_value, same_written_value
from .vocabulary import without_fall

HIT_LEVELS = (1, 3, 5, 10)
CUTOFF = 10
METRICS = tuple(f"hit@{k}" for k in HIT_LEVELS) + (f"mrr@{CUTOFF}", f"ndcg@{CUTOFF}")


class GoldError(Exception):
    """A gold file that cannot be read."""


def _bare_magnitude_agrees(gold: str, shown: str) -> bool:
    gold_value, shown_value = normalised_value(gold), normalised_value(shown)
    return gold_value is not None and shown_value is not None and not gold_value[1] and \
        re.search(r"[万亿]$", gold) is not None and gold_value[0] == shown_value[0]


def _significant_digits(text: str) -> int:
    number = re.search(r"\d+(?:\.\d+)?", text)
    return len(number.group().replace(".", "").lstrip("0")) if number else 0


@dataclass
class GoldQuestion:
    id: str
    question: str
    answers: list[str]
    docs: list[str] = field(default_factory=list)
    kind: str = "all"
    split: str = ""
    answerable: bool = True

    def answered_by(self, figure_text: str) -> bool:
        """The figure is a gold answer, or holds one, or is the figure a longer gold answer starts with (a card's
        7.5%左右, 98%以上 or 下降4.8% counts by its figure when the gold answer is written without the qualifier)."""
        bare = re.sub(r"(?:左右|以上|以内|以下|上下)$", "", without_fall(figure_text))
        if bare != figure_text and self.answered_by(bare):
            return True
        for answer in self.answers:
            if answer in figure_text:
                return True
            figures = extract_figures(answer)
            if figures and figures[0].text == figure_text:
                return True
            # the same value in another magnitude (a table's 14666372 under 万元 for 1466.64亿元), to at least three
            # digits: 2亿人 rounds 1.8亿人 but does not state it
            if figures and _significant_digits(figures[0].text) >= 3 and _significant_digits(bare) >= 3 \
                    and same_written_value(figures[0].text, bare):
                return True
            # a gold figure the report writes without its unit (减免税费8.4亿) is the card's 8.4亿元
            if figures and _bare_magnitude_agrees(figures[0].text, bare):
                return True
        return False

    def card_is_right(self, answer) -> bool:
        """The card's figure answers, and comes from a document that states it (``answer``: an ``AnswerFigure``)."""
        return self.answered_by(answer.text) and (not self.docs or answer.source in self.docs)

    @property
    def has_figure_answer(self) -> bool:
        return any(extract_figures(answer) for answer in self.answers)

    def is_relevant(self, passage: Passage) -> bool:
        if self.docs and passage.source not in self.docs:
            return False
        return any(answer in passage.text for answer in self.answers)


def load_gold(path: Path) -> list[GoldQuestion]:
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise GoldError(f"cannot read gold file {path}: {getattr(error, 'strerror', None) or error}") from error
    questions = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise GoldError(f"{path}, line {number}: not valid JSON ({error.msg})") from error
        questions.append(_question(record, path, number))
    if not questions:
        raise GoldError(f"{path} holds no questions")
    return questions


def _question(record, path: Path, number: int) -> GoldQuestion:
    where = f"{path}, line {number}"
    if not isinstance(record, dict):
        raise GoldError(f"{where}: expected a JSON object")
    question = record.get("question")
    if not isinstance(question, str) or not question.strip():
        raise GoldError(f"{where}: 'question' must be a non-empty string")
    answerable = record.get("answerable", True)
    if not isinstance(answerable, bool):
        raise GoldError(f"{where}: 'answerable' must be true or false")
    answers = record.get("answers", [] if not answerable else None)
    if not isinstance(answers, list) or not all(isinstance(a, str) and a for a in answers) or \
            (answerable and not answers):
        raise GoldError(f"{where}: 'answers' must be a non-empty list of strings")
    if not answerable and answers:
        raise GoldError(f"{where}: a question the reports do not answer has no 'answers'")
    docs = record.get("docs") or []
    if not isinstance(docs, list) or not all(isinstance(d, str) for d in docs):
        raise GoldError(f"{where}: 'docs' must be a list of file names")
    return GoldQuestion(
        id=str(record.get("id") or f"line{number}"), question=question, answers=answers, docs=docs,
        kind=str(record.get("kind") or "all"), split=str(record.get("split") or ""), answerable=answerable,
    )


def metrics_for(first_relevant: int | None, relevant_ranks: Sequence[int], relevant_total: int) -> dict[str, float]:
    """Metrics of one ranked list; ranks are 1-based."""
    values = {f"hit@{k}": float(first_relevant is not None and first_relevant <= k) for k in HIT_LEVELS}
    values[f"mrr@{CUTOFF}"] = 1.0 / first_relevant if first_relevant and first_relevant <= CUTOFF else 0.0
    dcg = sum(1.0 / math.log2(rank + 1) for rank in relevant_ranks if rank <= CUTOFF)
    ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, min(relevant_total, CUTOFF) + 1))
    values[f"ndcg@{CUTOFF}"] = dcg / ideal if ideal else 0.0
    return values


def _mean(rows: list[dict[str, float]]) -> dict[str, float]:
    """Mean of each metric over the rows that have it (answer_figure exists only where the top passage is relevant)."""
    names = [name for name in METRICS + ("answer_figure",) if any(name in row for row in rows)]
    means = {}
    for name in names:
        values = [row[name] for row in rows if name in row]
        means[name] = sum(values) / len(values)
    return means


@dataclass
class Abstention:
    """How well "not found" separates the questions the reports do not answer from those they do."""

    unanswerable: int
    flagged_unanswerable: int
    answerable: int
    flagged_answerable: int
    by_kind: dict[str, dict[str, float]] = field(default_factory=dict)  # kind → n, flagged, rate

    @property
    def recall(self) -> float | None:
        return self.flagged_unanswerable / self.unanswerable if self.unanswerable else None

    @property
    def false_flag_rate(self) -> float | None:
        return self.flagged_answerable / self.answerable if self.answerable else None

    @property
    def precision(self) -> float | None:
        flagged = self.flagged_unanswerable + self.flagged_answerable
        return self.flagged_unanswerable / flagged if flagged else None

    @classmethod
    def measure(cls, outcomes: list[tuple[GoldQuestion, bool]]) -> "Abstention":
        """``outcomes``: each question with whether the search flagged it as not answered."""
        kinds: dict[str, list[bool]] = {}
        for question, flagged in outcomes:
            kinds.setdefault(question.kind, []).append(flagged)
        return cls(
            unanswerable=sum(not q.answerable for q, _ in outcomes),
            flagged_unanswerable=sum(not q.answerable and flagged for q, flagged in outcomes),
            answerable=sum(q.answerable for q, _ in outcomes),
            flagged_answerable=sum(q.answerable and flagged for q, flagged in outcomes),
            by_kind={kind: {"n": len(flags), "flagged": sum(flags), "rate": sum(flags) / len(flags)}
                     for kind, flags in sorted(kinds.items())},
        )

    def to_dict(self) -> dict:
        return {"unanswerable": self.unanswerable, "flagged_unanswerable": self.flagged_unanswerable,
                "answerable": self.answerable, "flagged_answerable": self.flagged_answerable,
                "recall": self.recall, "false_flag_rate": self.false_flag_rate, "precision": self.precision,
                "by_kind": self.by_kind}


CARD_OUTCOMES = ("right", "wrong", "silent")


@dataclass
class CardScore:
    """How often the answer card's figure is right, wrong or withheld (see the module notes)."""

    outcomes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CARD_OUTCOMES, 0))
    unanswerable: int = 0
    figured_unanswerable: int = 0  # unanswerable questions that still got a figure
    by_kind: dict[str, dict[str, int]] = field(default_factory=dict)  # kind → outcome → count

    @property
    def answerable(self) -> int:
        return sum(self.outcomes.values())

    def rate(self, outcome: str) -> float | None:
        return self.outcomes[outcome] / self.answerable if self.answerable else None

    @property
    def precision(self) -> float | None:
        claimed = self.outcomes["right"] + self.outcomes["wrong"]
        return self.outcomes["right"] / claimed if claimed else None

    @property
    def figure_on_unanswerable(self) -> float | None:
        return self.figured_unanswerable / self.unanswerable if self.unanswerable else None

    def add(self, question: "GoldQuestion", response) -> str | None:
        """Score one question's response (``qa.answering.Response``); returns its outcome, None when not scored."""
        answer = response.answer if response.found else None
        if not question.answerable:
            self.unanswerable += 1
            self.figured_unanswerable += answer is not None
            return "figure" if answer is not None else "silent"
        if not question.has_figure_answer:
            return None
        outcome = "silent" if answer is None else "right" if question.card_is_right(answer) else "wrong"
        self.outcomes[outcome] += 1
        kind = self.by_kind.setdefault(question.kind, dict.fromkeys(CARD_OUTCOMES, 0))
        kind[outcome] += 1
        return outcome

    def to_dict(self) -> dict:
        return {**{outcome: self.rate(outcome) for outcome in CARD_OUTCOMES}, "counts": dict(self.outcomes),
                "precision": self.precision, "figure_on_unanswerable": self.figure_on_unanswerable,
                "unanswerable": self.unanswerable, "figured_unanswerable": self.figured_unanswerable,
                "by_kind": {kind: {**{o: counts[o] / max(sum(counts.values()), 1) for o in CARD_OUTCOMES},
                                   "n": sum(counts.values())} for kind, counts in sorted(self.by_kind.items())}}


@dataclass
class EvaluationReport:
    metrics: dict[str, float]
    by_kind: dict[str, dict[str, float]]
    counts: dict[str, int]
    questions: list[dict]
    abstention: Abstention | None = None
    card: CardScore | None = None

    def to_dict(self) -> dict:
        data = {"metrics": self.metrics, "by_kind": self.by_kind, "counts": self.counts, "questions": self.questions}
        if self.abstention is not None:
            data["abstention"] = self.abstention.to_dict()
        if self.card is not None:
            data["card"] = self.card.to_dict()
        return data


class RetrievalEvaluator:
    """Runs each gold question through ``search`` and scores the ranked passages."""

    def __init__(self, questions: Sequence[GoldQuestion], corpus: Iterable[Passage], k: int = CUTOFF):
        self.questions = list(questions)
        self.k = max(k, CUTOFF)
        self.relevant_total = {q.id: 0 for q in self.questions}
        for passage in corpus:  # one pass: the corpus may be a stream over a large store
            for q in self.questions:
                if q.is_relevant(passage):
                    self.relevant_total[q.id] += 1

    def __call__(self, search: Callable[[str, int], object]) -> EvaluationReport:
        """``search(question, depth)`` returns the ranked results, or a response with ``results`` and ``found``
        (``qa.answering.Response``), which also measures abstention."""
        rows, per_kind, details, outcomes = [], {}, [], []
        card = CardScore()
        for question in self.questions:
            found = search(question.question, self.k)
            results = found.results if hasattr(found, "results") else found
            detail = {"id": question.id, "question": question.question, "kind": question.kind}
            if question.answerable:
                relevant_ranks = [r.rank for r in results if question.is_relevant(r.passage)]
                first = relevant_ranks[0] if relevant_ranks else None
                row = metrics_for(first, relevant_ranks, self.relevant_total[question.id])
                answer = results[0].answer if results and getattr(results[0], "answer", None) else None
                if first == 1 and question.has_figure_answer:
                    row["answer_figure"] = float(answer is not None and question.answered_by(answer.text))
                rows.append(row)
                per_kind.setdefault(question.kind, []).append(row)
                detail.update(rank=first, answers=question.answers, answer_figure=answer.text if answer else None)
            else:
                detail["answerable"] = False
            detail["results"] = [
                {"source": r.passage.source, "section": PATH_SEPARATOR.join(r.passage.section),
                 "text": r.passage.text, "score": round(float(r.score), 6)}
                for r in results
            ]
            if hasattr(found, "found"):
                outcomes.append((question, not found.found))
                detail.update(found=found.found, confidence=round(float(found.confidence), 4))
                if hasattr(found, "answer"):  # a response with an answer card
                    answer = found.answer if found.found else None
                    detail.update(card=card.add(question, found), card_figure=answer.text if answer else None,
                                  card_source=answer.source if answer else None)
            details.append(detail)
        return EvaluationReport(
            metrics=_mean(rows),
            by_kind={kind: _mean(kind_rows) for kind, kind_rows in sorted(per_kind.items())},
            counts={"all": len(rows), **{kind: len(kind_rows) for kind, kind_rows in sorted(per_kind.items())}},
            questions=details,
            abstention=Abstention.measure(outcomes) if outcomes else None,
            card=card if card.answerable or card.unanswerable else None,
        )
