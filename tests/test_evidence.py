"""The answer figure's own words: a qualifier the question does not ask for (人均) demotes a passage."""

from qa.answers import layout, pick
from qa.evidence import answer_evidence
from qa.figures import extract_figures
from qa.query import understand

FIVE_YEARS = "全省地区生产总值年均增长5.9%；人均生产总值由7.34万元提升至10.26万元。"
THE_YEAR = "地区生产总值增长5.5%、达到10.3万亿元，成为全国第三个过10万亿元省份。"


def _evidence(question: str, text: str):
    figures = extract_figures(text)
    where = layout(text, figures)
    found = pick(understand(question).bm25_tokens, question, text, figures, None, where)
    return found.answer, answer_evidence(question, text, found.answer, where)


def test_a_per_person_figure_does_not_answer_a_question_about_the_total():
    answer, evidence = _evidence("What was Shandong's GDP in 2025?", FIVE_YEARS)
    assert answer.text == "10.26万元" and evidence.unasked == ("per person",) and evidence.mismatch == 1.0
    answer, evidence = _evidence("What was Shandong's GDP in 2025?", THE_YEAR)
    assert answer.text == "10.3万亿元" and evidence.mismatch == 0.0


def test_a_per_person_figure_answers_a_question_that_asks_per_person():
    for question in ("2025年山东人均生产总值是多少？", "What was Shandong's per capita GDP in 2025?"):
        answer, evidence = _evidence(question, FIVE_YEARS)
        assert answer.text == "10.26万元" and evidence.mismatch == 0.0, question


def test_a_passage_without_an_answer_figure_shows_no_mismatch():
    assert answer_evidence("地区生产总值是多少？", "加快建设现代化产业体系。", None, layout("加快建设现代化产业体系。", [])).mismatch == 0.0


def test_a_question_asking_per_person_is_not_answered_by_a_total():
    answer, evidence = _evidence("2025年山东人均地区生产总值是多少？", THE_YEAR)
    assert answer.text == "10.3万亿元" and evidence.missing == ("per person",) and evidence.mismatch == 1.0
