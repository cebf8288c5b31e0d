"""Example questions come from the index's own reports: their places, years and the indicators they state."""

from qa.examples import candidate_examples, question_for
from qa.facts import Fact
from qa.metadata import DocumentInfo


def fact(head, year, measure="level", kind="money", unit="元", stance="result", place=""):
    return Fact(start=0, end=4, text="1亿元", value=1e8, unit=unit, kind=kind, indicator=head, head=head,
                measure=measure, qualifiers=(), period_first=year, period_last=year, part=None, stance=stance,
                place=place)


class Store:
    """Each report's passages and the facts of each passage."""

    def __init__(self, facts_by_source):
        self.rows = [(source, facts) for source, passages in facts_by_source.items() for facts in passages]

    def positions_of_source(self, source):
        return [position for position, (owner, _) in enumerate(self.rows) if owner == source]

    def facts(self, position):
        return self.rows[position][1]


def test_examples_name_the_reports_place_and_year_and_the_commonest_indicator_first():
    documents = {"a.txt": DocumentInfo(place="周口市", year=2024), "b.txt": DocumentInfo(place="保定市", year=2023)}
    store = Store({"a.txt": [(fact("地区生产总值", 2023), fact("旅游收入", 2023))],
                   "b.txt": [(fact("地区生产总值", 2022), fact("社会消费品零售总额", 2022, "change", "percent", "%"))]})
    questions = [example.question for example in candidate_examples(store, documents)]
    assert questions[0] == "周口市2023年地区生产总值是多少？"  # stated by both reports, the newer one asked
    assert "保定市2022年社会消费品零售总额增长了多少？" in questions
    assert all(not question.startswith("二七区") for question in questions)


def test_targets_estimates_and_spans_make_no_example():
    documents = {"a.txt": DocumentInfo(place="周口市", year=2024)}
    span = fact("地区生产总值", 2021)
    span = Fact(**{**span.__dict__, "period_last": 2025})
    store = Store({"a.txt": [(fact("地区生产总值", 2025, stance="target"), fact("财政收入", 2024, stance="estimate"),
                              span)]})
    assert candidate_examples(store, documents) == []


def test_the_nations_reports_ask_about_the_country():
    assert question_for("国内生产总值", "level", 2023, "全国") == "2023年全国国内生产总值是多少？"
    assert question_for("地区生产总值", "change", 2021, "") == "2021年地区生产总值增长了多少？"
