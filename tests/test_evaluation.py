"""Gold files and retrieval metrics."""

import math

import pytest

from qa.chunking import Passage
from qa.evaluation import Abstention, GoldError, GoldQuestion, RetrievalEvaluator, load_gold, metrics_for
from qa.search import Result


def passage(pid, text, source="a.txt"):
    return Passage(id=pid, source=source, title="T", section=[], start=0, end=len(text), text=text)


def test_relevant_needs_the_answer_and_one_of_the_named_documents():
    question = GoldQuestion(id="1", question="?", answers=["784.2亿元"], docs=["a.txt"])
    assert question.is_relevant(passage("x", "达到784.2亿元。"))
    assert not question.is_relevant(passage("y", "达到784.2亿元。", source="b.txt"))
    assert not question.is_relevant(passage("z", "达到773亿元。"))
    assert GoldQuestion(id="2", question="?", answers=["773亿元"]).is_relevant(passage("w", "773亿元", "c.txt"))


def test_metrics_of_a_first_hit_at_rank_two():
    values = metrics_for(2, [2], relevant_total=1)
    assert values["hit@1"] == 0 and values["hit@3"] == values["hit@10"] == 1
    assert values["mrr@10"] == 0.5
    assert math.isclose(values["ndcg@10"], 1 / math.log2(3))


def test_metrics_of_a_miss_are_zero():
    assert set(metrics_for(None, [], relevant_total=2).values()) == {0.0}


def test_evaluator_reports_overall_and_per_kind():
    corpus = [passage("p1", "地区生产总值784.2亿元"), passage("p2", "新增城镇就业19500人"), passage("p3", "无关")]
    questions = [
        GoldQuestion(id="q1", question="gdp", answers=["784.2亿元"], kind="zh"),
        GoldQuestion(id="q2", question="jobs", answers=["19500人"], kind="en"),
    ]
    rankings = {"gdp": ["p1", "p3", "p2"], "jobs": ["p3", "p1", "p2"]}

    def search(question, k):
        by_id = {p.id: p for p in corpus}
        return [Result(rank=i, score=1 / i, passage=by_id[pid], figures=[]) for i, pid in enumerate(rankings[question], 1)][:k]

    report = RetrievalEvaluator(questions, corpus, k=10)(search)
    assert report.metrics["hit@1"] == 0.5 and report.metrics["hit@3"] == 1.0
    assert report.metrics["mrr@10"] == pytest.approx((1 + 1 / 3) / 2)
    assert report.by_kind["zh"]["hit@1"] == 1.0 and report.by_kind["en"]["hit@1"] == 0.0
    assert report.counts == {"all": 2, "en": 1, "zh": 1}
    assert [q["rank"] for q in report.questions] == [1, 3]


def test_malformed_gold_line_is_named(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"question": "a", "answers": ["1"]}\n{"question": "b", "answers": [\n', encoding="utf-8")
    with pytest.raises(GoldError, match="line 2: not valid JSON"):
        load_gold(gold)


@pytest.mark.parametrize("line, message", [
    ('{"answers": ["1"]}', "'question' must be a non-empty string"),
    ('{"question": "  ", "answers": ["1"]}', "'question' must be a non-empty string"),
    ('{"question": "q", "answers": []}', "'answers' must be a non-empty list"),
    ('{"question": "q", "answers": ["1"], "docs": "a.txt"}', "'docs' must be a list"),
    ('["q"]', "expected a JSON object"),
    ('{"question": "q", "answerable": "no"}', "'answerable' must be true or false"),
    ('{"question": "q", "answerable": false, "answers": ["1"]}', "a question the reports do not answer has no"),
])
def test_gold_line_with_missing_or_wrong_fields_is_rejected(tmp_path, line, message):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(GoldError, match=message):
        load_gold(gold)


def test_unreadable_gold_file_is_reported(tmp_path):
    with pytest.raises(GoldError, match="cannot read gold file"):
        load_gold(tmp_path / "missing.jsonl")


def test_a_question_the_reports_do_not_answer_needs_no_answers(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"id": "u1", "question": "二七区有多少只熊猫？", "answerable": false, "kind": "missing-indicator"}\n',
                    encoding="utf-8")
    (question,) = load_gold(gold)
    assert not question.answerable and question.answers == [] and question.kind == "missing-indicator"


class Answered:
    """What ``qa.answering.answer_question`` gives the evaluator: the ranked results and whether it found an answer."""

    def __init__(self, results, found, confidence=0.5):
        self.results, self.found, self.confidence = results, found, confidence


def test_abstention_counts_flags_of_unanswerable_and_of_answerable_questions():
    corpus = [passage("p1", "地区生产总值784.2亿元"), passage("p2", "无关")]
    questions = [
        GoldQuestion(id="q1", question="gdp", answers=["784.2亿元"], kind="zh"),
        GoldQuestion(id="q2", question="gdp again", answers=["784.2亿元"], kind="zh"),
        GoldQuestion(id="u1", question="pandas", answers=[], kind="missing-indicator", answerable=False),
        GoldQuestion(id="u2", question="2019 gdp", answers=[], kind="missing-year", answerable=False),
        GoldQuestion(id="u3", question="jinshui gdp", answers=[], kind="missing-place", answerable=False),
    ]
    flagged = {"gdp": False, "gdp again": True, "pandas": True, "2019 gdp": True, "jinshui gdp": False}

    def answer(question, k):
        ranked = [Result(rank=i, score=1 / i, passage=p, figures=[]) for i, p in enumerate(corpus, 1)]
        return Answered(ranked, found=not flagged[question])

    report = RetrievalEvaluator(questions, corpus, k=10)(answer)
    assert report.counts["all"] == 2 and report.metrics["hit@1"] == 1.0  # unanswerable questions are not ranked
    abstention = report.abstention
    assert (abstention.unanswerable, abstention.flagged_unanswerable) == (3, 2)
    assert (abstention.answerable, abstention.flagged_answerable) == (2, 1)
    assert abstention.recall == pytest.approx(2 / 3) and abstention.false_flag_rate == 0.5
    assert abstention.precision == pytest.approx(2 / 3)
    assert abstention.by_kind["missing-place"] == {"n": 1, "flagged": 0, "rate": 0.0}
    assert report.to_dict()["abstention"]["recall"] == pytest.approx(2 / 3)
    assert [q.get("found") for q in report.questions] == [True, False, False, False, True]


def test_abstention_without_unanswerable_questions_has_no_recall():
    abstention = Abstention.measure([(GoldQuestion(id="q", question="?", answers=["1"]), False)])
    assert abstention.recall is None and abstention.false_flag_rate == 0.0 and abstention.precision is None


def test_a_plain_ranking_measures_no_abstention():
    corpus = [passage("p1", "784.2亿元")]
    question = GoldQuestion(id="q1", question="gdp", answers=["784.2亿元"])
    report = RetrievalEvaluator([question], corpus)(lambda q, k: [Result(rank=1, score=1.0, passage=corpus[0], figures=[])])
    assert report.abstention is None and "abstention" not in report.to_dict()


def test_a_card_figure_of_the_same_value_in_another_magnitude_answers_but_another_value_does_not():
    question = GoldQuestion(id="d", question="?", answers=["1466.64亿元"], docs=["a.txt"])
    assert question.answered_by("14666372万元")  # a table's cell under 万元
    assert not question.answered_by("14766372万元")
    assert not question.answered_by("1466.64万元")
    assert not GoldQuestion(id="e", question="?", answers=["2亿人"]).answered_by("1.8亿人")  # rounds, not states


def test_a_gold_figure_written_without_its_unit_is_the_card_figure_with_it():
    question = GoldQuestion(id="f", question="?", answers=["减免税费8.4亿"])
    assert question.answered_by("8.4亿元") and not question.answered_by("8.5亿元")
    assert not GoldQuestion(id="g", question="?", answers=["190.90"]).answered_by("190.91万人")


def test_a_card_showing_the_fall_with_its_figure_answers_a_gold_answer_written_either_way():
    question = GoldQuestion(id="x", question="q", answers=["万元生产总值综合能耗下降4.8%"])
    assert question.answered_by("下降4.8%")
    assert GoldQuestion(id="y", question="q", answers=["4.8%"]).answered_by("下降4.8%")
    assert not question.answered_by("下降4.9%")
