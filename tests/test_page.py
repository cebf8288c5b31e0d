"""The page's HTML for a response: the answer card, "not found", parts, disagreement, both languages."""

import re

import pytest

from qa.answering import AnswerFigure, Notice, Part, Response
from qa.chunking import Passage
from qa.figures import extract_figures
from qa.metadata import DocumentInfo
from qa.page import Page
from qa.search import Result

DOCUMENTS = {
    "a.txt": DocumentInfo(title="二七区2021年国民经济和社会发展计划执行情况", place="二七区", year=2022),
    "b.txt": DocumentInfo(title="政府工作报告<script>", year=2022, date_text="2月21日"),
}


class Store:
    """Just enough of a passage store for the "surrounding section" of a card."""

    def __init__(self, passages):
        self.passages = passages

    def find(self, passage_id):
        return next((i for i, p in enumerate(self.passages) if p.id == passage_id), None)

    def section_of(self, position):
        return [position]

    def passage(self, position):
        return self.passages[position]


class Searcher:
    def __init__(self, passages):
        self.documents, self.store = DOCUMENTS, Store(passages)


def result(rank, source, text, answer_text=None):
    passage = Passage(id=f"{source}:0-{len(text)}", source=source, title=DOCUMENTS[source].title,
                      section=["一、2021年执行情况"], start=0, end=len(text), location=rank, text=text)
    figures = extract_figures(text)
    answer = next((f for f in figures if f.text == answer_text), None)
    return Result(rank=rank, score=1.0 / rank, passage=passage, figures=figures, answer=answer,
                  answering=[answer] if answer else [])


def figure(text, passage_id, **changes):
    values = dict(text=text, kind="money", unit="亿元", year=2021, period="2021年", stance="result", place="二七区",
                  document="二七区2021年国民经济和社会发展计划执行情况", date="2022", passage_id=passage_id, rank=1,
                  citation_zh=f"二七区人民政府．报告［R］．2022：{text}．", citation_en=f"People's Government. Report [R]. {text}.",
                  gloss_en=None, part="full", period_en="2021")
    values.update(changes)
    return AnswerFigure(**values)


FIRST = result(1, "a.txt", "2021年，全区地区生产总值达到784.23亿元，同比增长1.3%。", "784.23亿元")
SECOND = result(2, "b.txt", "全年地区生产总值达到784.2亿元,社会消费品零售总额498.7亿元。", "784.2亿元")


def response(found=True, parts=None, disagreement=(), question="2021年地区生产总值是多少", answer=None):
    answer = answer or (figure("784.23亿元", FIRST.passage.id) if found else None)
    parts = parts or [Part(question, found, answer, [FIRST, SECOND])]
    return Response(question=question, found=found, confidence=0.9 if found else 0.1, answer=answer, parts=parts,
                    disagreement=list(disagreement), results=[FIRST, SECOND],
                    notices=[] if found else [Notice("not_found")])


def render(language="zh", **changes):
    return Page(Searcher([FIRST.passage, SECOND.passage]), language).render(response(**changes))


def card(html):
    return re.search(r'<section class="qa-card.*?</section>', html, re.S).group()


def test_card_shows_the_answer_figure_period_place_document_and_citation():
    html = card(render())
    assert '<span class="qa-figure-main">784.23亿元</span>' in html
    assert "2021年 · 全年 · 实际完成" in html
    assert "二七区 · 《二七区2021年国民经济和社会发展计划执行情况》 · 2022" in html
    assert 'data-copy="二七区人民政府．报告［R］．2022：784.23亿元．"' in html
    assert "a.txt · 第 1 行 · 字符 0–" in html  # file and offsets on the details line


def test_an_answer_without_a_figure_points_to_the_first_passage():
    html = card(Page(Searcher([FIRST.passage, SECOND.passage]), "zh").render(
        Response(question="二七区有什么发展目标", found=True, confidence=0.8, answer=None,
                 parts=[Part("二七区有什么发展目标", True, None, [FIRST])], disagreement=[], results=[FIRST], notices=[])))
    assert "答案在下面第 1 段原文中" in html and "qa-figure" not in html


def test_card_in_english_uses_english_labels_citation_and_gloss():
    answer = figure("784.23亿元", FIRST.passage.id, gloss_en="78.423 billion yuan", stance="target", period_en="H1 2021",
                    part="H1")
    html = card(render("en", answer=answer))
    assert "Answer" in html and "= 78.423 billion yuan" in html
    assert "H1 2021 · target" in html and "full year" not in html
    assert "People&#x27;s Government. Report [R]. 784.23亿元." in html
    assert not re.search(r"[答案复制]", html)


def test_not_found_says_so_greys_the_passages_and_claims_no_answer_figure():
    html = render(found=False)
    assert "这些报告似乎没有回答这个问题" in card(html)
    assert "qa-figure" not in html and "qa-answer" not in html and "qa-answering" not in html
    assert html.count('class="qa-result qa-greyed"') == 2
    assert "最接近的段落" in html
    assert "784.23亿元" in html  # the figure is still marked as a figure in its passage


def test_a_question_of_several_parts_gets_a_line_per_part_and_says_which_found_nothing():
    parts = [Part("2021年的地区生产总值是多少", True, figure("784.23亿元", FIRST.passage.id), [FIRST], 0.97),
             Part("2023年的地区生产总值是多少", False, None, [SECOND], 0.2)]
    html = card(render(parts=parts, question="2021年和2023年的地区生产总值分别是多少"))
    lines = re.findall(r'<li class="qa-part" data-found="(\w+)"[^>]*>(.*?)</li>', html, re.S)
    assert [found for found, _ in lines] == ["true", "false"]
    assert "2021年的地区生产总值是多少" in lines[0][1] and "784.23亿元" in lines[0][1]
    assert "2023年的地区生产总值是多少" in lines[1][1] and "未找到" in lines[1][1]


def test_each_part_shows_its_own_confidence_and_the_card_none_when_a_part_is_missing():
    parts = [Part("2021年的地区生产总值是多少", True, figure("784.23亿元", FIRST.passage.id), [FIRST], 0.97),
             Part("2023年的地区生产总值是多少", False, None, [SECOND], 0.2)]
    html = card(render(parts=parts, question="2021年和2023年的地区生产总值分别是多少"))
    label = re.search(r'<div class="qa-card-label">(.*?)</div>', html).group(1)
    assert label == "答案" and "把握 97%" in html and "把握 20%" not in html
    both = [parts[0], Part("2023年的地区生产总值是多少", True, figure("900亿元", SECOND.passage.id), [SECOND], 0.6)]
    html = card(render(parts=both, question="2021年和2023年的地区生产总值分别是多少"))
    assert re.search(r'<div class="qa-card-label">答案 · 把握 60%</div>', html)  # the least sure part's
    assert html.count("qa-part-confidence") == 2 and html.count('class="qa-likely-word">可能是<') == 1


def test_a_figure_below_the_likely_threshold_is_shown_as_likely():
    from qa.page import likely_below

    sure, unsure = response(), response()
    sure.confidence, unsure.confidence = min(1.0, likely_below() + 0.01), likely_below() - 0.01
    searcher = Searcher([FIRST.passage, SECOND.passage])
    sure_html, unsure_html = (card(Page(searcher, "zh").render(r)) for r in (sure, unsure))
    assert "qa-likely" not in sure_html and "可能是" not in sure_html
    assert 'class="qa-card qa-likely"' in unsure_html and "可能是" in unsure_html
    assert "likely" in card(Page(searcher, "en").render(unsure))


def test_the_card_marks_the_rank_of_its_passage_and_keeps_file_names_behind_details():
    html = render()
    marker = re.search(r'<button class="qa-marker"[^>]*data-passage="([^"]+)"[^>]*>\[(\d)\]</button>', html)
    assert marker and marker.groups() == (FIRST.passage.id, "1")
    assert 'id="qa-passage-1"' in html
    visible = re.sub(r"<details class=\"qa-source-details\">.*?</details>", "", html, flags=re.S)
    visible = re.sub(r"<[^>]+>", "", visible)  # attributes (data-id, data-source) are not shown
    assert "a.txt" not in visible and "b.txt" not in visible and "字符" not in visible
    assert html.count('<details class="qa-source-details">') == 3  # the card's figure and both passages


def test_the_card_gives_the_reports_place_title_and_date_in_the_pages_language():
    assert "Erqi District · 《二七区2021年国民经济和社会发展计划执行情况》 · 2022" in card(render("en"))


def test_disagreeing_reports_are_named_and_both_cited():
    other = figure("784.2亿元", SECOND.passage.id, citation_zh="政府工作报告［R］．2022．", place=None,
                   document="政府工作报告")
    html = card(render(disagreement=[other]))
    assert "各报告给出的数字不一致" in html
    assert 'data-copy="二七区人民政府．报告［R］．2022：784.23亿元．"' in html
    assert 'data-copy="政府工作报告［R］．2022．"' in html


def test_document_text_and_titles_are_escaped():
    html = render()
    assert "<script>" not in html and "政府工作报告&lt;script&gt;" in html


@pytest.mark.parametrize("language, words", [("zh", ["原文段落", "所在章节全文", "复制引用", "得分"]),
                                             ("en", ["Source passages", "Surrounding section", "Copy citation",
                                                     "score"])])
def test_passage_cards_speak_the_page_language(language, words):
    html = render(language)
    for word in words:
        assert word in html


def test_export_choice_labels_keep_whole_words_and_the_passages_own_heading():
    from app import choice_label
    from qa.chunking import Passage

    passage = Passage(id="a.txt:0-9", source="a.txt", title="二七区2021年国民经济和社会发展计划执行情况与2022年计划（草案）",
                      section=["一、2021年国民经济和社会发展计划执行情况", "（一）综合实力持续提升"], start=0, end=9, text="x")
    label = choice_label(Result(rank=3, score=1.0, passage=passage, figures=[], answer=None, answering=[]))
    assert label == "3. 二七区2021年国民经济和社会发展计划执行情况与2022年… · （一）综合实力持续提升"
