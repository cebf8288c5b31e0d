"""Tests for qa.chunking: headings, section paths, document titles and bounded passages.

Synthetic reports use the heading styles of the real seeds; the seeds themselves are checked
for the invariants every passage must keep.
"""

import re
from pathlib import Path

import pytest

from qa.chunking import (
    HARD_MAX_CHARS,
    MAX_CHARS,
    MIN_CHARS,
    Passage,
    chunk_corpus,
    chunk_document,
    document_title,
)
from qa.documents import clean, load_corpus, parse, read_document
from qa.figures import figure_spans

from conftest import SEED_FILES as SEEDS
from conftest import SEEDS as SEEDS_DIR

SENTENCE_ENDS = "。！？；!?;"
CLOSERS = "”’」』）)》"


def chunk(text: str, name: str = "report.txt") -> list[Passage]:
    return chunk_document(parse(name, text))


def sections(passages: list[Passage]) -> list[list[str]]:
    """The distinct section paths, in order."""
    result = []
    for p in passages:
        if not result or result[-1] != p.section:
            result.append(p.section)
    return result


def by_text(passages: list[Passage], fragment: str) -> Passage:
    found = [p for p in passages if fragment in p.text]
    assert len(found) == 1, (fragment, [p.text for p in found])
    return found[0]


def seed(prefix: str):
    (path,) = [p for p in SEEDS if p.name.startswith(prefix)]
    doc = read_document(path)
    return doc, chunk_document(doc)


# --- explicit heading patterns -----------------------------------------------------------------


def test_chinese_numbered_headings_nest_by_level():
    passages = chunk(
        "关于2022年工作的报告\n\n"
        "一、总体情况\n全年经济平稳运行。\n"
        "（一）工业生产\n工业增加值增长9%。\n"
        "1. 规模以上工业\n规上工业增长10%。\n"
        "2、建筑业\n建筑业增长3%。\n"
        "（二）服务业\n服务业增长6%。\n"
        "二、主要任务\n全力以赴稳住经济大盘。\n"
    )
    assert [(p.section, p.text) for p in passages] == [
        (["一、总体情况"], "全年经济平稳运行。"),
        (["一、总体情况", "（一）工业生产"], "工业增加值增长9%。"),
        (["一、总体情况", "（一）工业生产", "1. 规模以上工业"], "规上工业增长10%。"),
        (["一、总体情况", "（一）工业生产", "2、建筑业"], "建筑业增长3%。"),
        (["一、总体情况", "（二）服务业"], "服务业增长6%。"),
        (["二、主要任务"], "全力以赴稳住经济大盘。"),
    ]
    assert {p.title for p in passages} == {"关于2022年工作的报告"}


def test_number_and_space_heading_like_seed_001():
    passages = chunk(
        "会议报告\n\n下半年\n\n重点抓好四个方面工作\n\n"
        "1 千方百计 把“保”的底线筑牢\n\n常态化抓好疫情防控。\n\n"
        "2 全力以赴 把“稳”的局面打开\n\n加快重点项目建设。\n"
    )
    assert sections(passages) == [
        ["下半年", "重点抓好四个方面工作", "1 千方百计 把“保”的底线筑牢"],
        ["下半年", "重点抓好四个方面工作", "2 全力以赴 把“稳”的局面打开"],
    ]


def test_a_decimal_figure_at_line_start_is_not_a_numbered_heading():
    passages = chunk("报告\n\n一、投资\n5.14亿元用于灾后重建。\n")
    assert [(p.section, p.text) for p in passages] == [(["一、投资"], "5.14亿元用于灾后重建。")]


def test_parenthesised_arabic_numbers_are_level_three():
    passages = chunk("报告\n\n一、目标\n（一）经济\n（1）增长\n增长7.5%。\n（2）就业\n就业稳定。\n")
    assert sections(passages) == [
        ["一、目标", "（一）经济", "（1）增长"],
        ["一、目标", "（一）经济", "（2）就业"],
    ]


def test_yishi_items_are_run_in_level_three_headings():
    passages = chunk(
        "报告\n\n三、重点工作\n（一）抓好经济运行，确保经济稳定可持续发展\n"
        "坚持稳字当头、稳中求进。\n"
        "一是着力扩大有效投资。坚持项目为王，聚焦全区360个重大项目。\n"
        "二是着力推动消费持续恢复。大力实施促消费计划。\n"
    )
    base = ["三、重点工作", "（一）抓好经济运行，确保经济稳定可持续发展"]
    assert [(p.section, p.text) for p in passages] == [
        (base, "坚持稳字当头、稳中求进。"),
        (base + ["一是着力扩大有效投资"], "一是着力扩大有效投资。坚持项目为王，聚焦全区360个重大项目。"),
        (base + ["二是着力推动消费持续恢复"], "二是着力推动消费持续恢复。大力实施促消费计划。"),
    ]


def test_bracketed_headings_are_sections():
    passages = chunk(
        "会议报告\n\n上半年\n\n【数字看成绩】\n\n●上半年,全区地区生产总值完成340.64亿元。\n\n"
        "【亮点工作】\n\n亮点很多。\n"
    )
    assert [(p.section, p.text) for p in passages] == [
        (["上半年", "【数字看成绩】"], "●上半年,全区地区生产总值完成340.64亿元。"),
        (["上半年", "【亮点工作】"], "亮点很多。"),
    ]


def test_markdown_headings_nest_by_hash_count():
    passages = chunk(
        "年度报告\n\n# 经济运行\n\n经济平稳运行。\n\n## 工业\n\n工业增长。\n\n### 规上工业\n\n规上增长。\n\n"
        "## 服务业\n\n服务业增长。\n\n# 社会民生\n\n民生改善。\n"
    )
    assert [(p.section, p.text) for p in passages] == [
        (["经济运行"], "经济平稳运行。"),
        (["经济运行", "工业"], "工业增长。"),
        (["经济运行", "工业", "规上工业"], "规上增长。"),
        (["经济运行", "服务业"], "服务业增长。"),
        (["社会民生"], "民生改善。"),
    ]
    assert passages[0].title == "年度报告"


def test_chapter_and_section_headings():
    passages = chunk(
        "规划纲要\n\n第一章 总体要求\n\n本章说明总体要求。\n\n第一节 发展目标\n\n目标是增长。\n\n"
        "第二部分 重点任务\n\n任务很多。\n"
    )
    assert [(p.section, p.text) for p in passages] == [
        (["第一章 总体要求"], "本章说明总体要求。"),
        (["第一章 总体要求", "第一节 发展目标"], "目标是增长。"),
        (["第二部分 重点任务"], "任务很多。"),
    ]


def test_run_in_heading_titles_its_section_with_the_first_sentence_and_stays_in_the_text():
    first = "（一）全力开展防汛救灾和灾后恢复重建，群众生产生活保障持续巩固。"
    body = "7·20郑州特大暴雨灾害以来，我区第一时间成立了领导小组。出台系列政策措施。"
    passages = chunk("报告\n\n一、2021年执行情况\n" + first + body + "\n")
    assert len(passages) == 1
    assert passages[0].section == ["一、2021年执行情况", "（一）全力开展防汛救灾和灾后恢复重建，群众生产生活保障持续巩固"]
    assert passages[0].text == first + body


def test_run_in_heading_with_a_long_first_sentence_is_titled_by_its_first_clause():
    first = "（二）全面加快产业结构转型步伐和新兴产业培育进程，经济综合竞争力和区域发展活力持续增强。"
    assert len(first) > 40
    passages = chunk("报告\n\n" + first + "一是项目建设顺利推进。\n")
    assert passages[0].section == ["（二）全面加快产业结构转型步伐和新兴产业培育进程"]
    assert passages[0].text.startswith(first)


def test_a_numbered_one_sentence_item_keeps_its_text_in_a_passage():
    passages = chunk(
        "2022年计划\n\n二、主要目标\n"
        "1. 地区生产总值增长7.5%左右，规模以上工业增加值增长9%，固定资产投资增长10%。\n"
        "2. 一般公共预算收入增长6%。\n"
        "三、重点工作\n全力稳住经济大盘。\n"
    )
    text = "\n".join(p.text for p in passages)
    assert "规模以上工业增加值增长9%" in text
    assert "一般公共预算收入增长6%" in text


# --- short title lines and period lines --------------------------------------------------------

REPORT_000_LIKE = (
    "2月21日,区委经济工作会议召开,全面总结2021年工作。记者 景静 通讯员 张一弛 文/图\n\n"
    "拉高标杆 狠抓落实 奋力突破\n\n"
    "2021年\n\n"
    "打好救灾抗疫双线战\n\n"
    "去年,二七区累计转运集中隔离**1.04万人**。\n\n"
    "经济社会高质量发展迈上新台阶\n\n"
    "综合实力持续提升\n\n"
    "全年地区生产总值达到**784.2亿元**。\n\n"
    "发展支撑更加坚实\n\n"
    "德化步行街入选首批国家级旅游休闲街区。\n\n"
    "2022年\n\n"
    "抓好项目建设 积蓄发展势能\n\n"
    "把项目建设作为重要抓手。\n"
)


def test_short_title_lines_and_period_lines_become_nested_sections():
    passages = chunk(REPORT_000_LIKE)
    assert [(p.section, p.text) for p in passages] == [
        ([], "2月21日,区委经济工作会议召开,全面总结2021年工作。记者 景静 通讯员 张一弛 文/图"),
        (["2021年", "打好救灾抗疫双线战"], "去年,二七区累计转运集中隔离1.04万人。"),
        (["2021年", "经济社会高质量发展迈上新台阶", "综合实力持续提升"], "全年地区生产总值达到784.2亿元。"),
        (["2021年", "经济社会高质量发展迈上新台阶", "发展支撑更加坚实"], "德化步行街入选首批国家级旅游休闲街区。"),
        (["2022年", "抓好项目建设 积蓄发展势能"], "把项目建设作为重要抓手。"),
    ]


def test_lead_paragraph_before_the_title_stays_under_the_title_only():
    passages = chunk(REPORT_000_LIKE)
    lead = by_text(passages, "区委经济工作会议召开")
    assert lead.section == []
    assert lead.title == "拉高标杆 狠抓落实 奋力突破"
    assert lead.section_path == "拉高标杆 狠抓落实 奋力突破"


def test_emphasis_is_carried_into_passages_relative_to_their_text():
    passage = by_text(chunk(REPORT_000_LIKE), "784.2亿元")
    assert [passage.text[s:e] for s, e in passage.emphasis] == ["784.2亿元"]


@pytest.mark.parametrize("period", ["上半年", "下半年", "2021年", "2022年上半年", "前三季度", "全年"])
def test_period_lines_are_top_level_sections(period):
    passages = chunk(f"会议报告\n\n{period}\n\n重点工作\n\n全区经济平稳运行。\n\n")
    assert passages[0].section == [period, "重点工作"]


BROKEN_FIRST = "二七区坚持把新发展理念融入经济社会发展的方方面面,立足“中优典范、西美示范”功能布局,确定了"


def test_a_short_line_continuing_a_broken_paragraph_is_not_a_heading():
    assert len(BROKEN_FIRST) > 40  # a long line cut mid-sentence, as in seed 002
    passages = chunk(
        "会议报告\n\n一、发展路径\n\n" + BROKEN_FIRST + "\n\n建设现代化新城区的美好愿景\n\n以及品质二七的发展路径。\n"
    )
    # the broken lines are joined back into one sentence
    assert [(p.section, p.text) for p in passages] == [
        (["一、发展路径"], BROKEN_FIRST + "建设现代化新城区的美好愿景以及品质二七的发展路径。"),
    ]


def test_link_words_on_lines_of_their_own_join_their_sentence():
    passages = chunk("政府工作报告\n\n一、回顾\n\n我们认真贯彻《\n法律援助条例\n》，五年来，我们贯彻\n民族区域自治法\n"
                     "，支持民族地区发展。\n")
    assert [(p.section, p.text) for p in passages] == [
        (["一、回顾"], "我们认真贯彻《法律援助条例》，五年来，我们贯彻民族区域自治法，支持民族地区发展。")]


def test_an_emphasised_short_line_is_not_a_heading():
    passages = chunk("会议报告\n\n一、成绩\n\n全区经济平稳运行。\n\n**成绩来之不易**\n\n各项工作稳步推进。\n")
    assert sections(passages) == [["一、成绩"]]
    assert "成绩来之不易" in "".join(p.text for p in passages)


def test_a_byline_is_body_text_not_a_heading():
    passages = chunk("会议报告\n\n一、民生\n\n民生事项全部完成。\n\n记者 景静\n通讯员 张一弛\n")
    assert sections(passages) == [["一、民生"]]
    assert passages[-1].text.endswith("记者 景静\n通讯员 张一弛")


def test_a_line_holding_a_figure_is_not_a_title_line():
    passages = chunk("会议报告\n\n一、荣誉\n\n全区连续12年被评为郑州市\n\n未成年人思想道德建设先进区。\n")
    assert sections(passages) == [["一、荣誉"]]


# --- document titles ---------------------------------------------------------------------------


def test_title_joins_a_title_broken_over_two_lines():
    doc = parse("r.txt", "二七区2021年国民经济和社会发展计划\n执行情况与2022年计划（草案）\n\n一、总体情况\n正文。\n")
    title, used = document_title(doc)
    assert title == "二七区2021年国民经济和社会发展计划执行情况与2022年计划（草案）"
    assert used == {0, 1}


def test_a_title_with_spaces_is_not_joined_with_the_next_title_line():
    doc = parse("r.txt", "拉高标杆 狠抓落实 奋力突破\n\n奋力建设“三个二七” 让“二七答卷”更加出彩\n\n2021年\n\n正文。\n")
    assert document_title(doc) == ("拉高标杆 狠抓落实 奋力突破", {0})


def test_a_document_without_a_title_line_is_titled_by_its_file_stem():
    doc = parse("004_abc.txt", "一、总体情况\n全年经济平稳运行。\n")
    assert document_title(doc) == ("004_abc", set())
    assert chunk_document(doc)[0].title == "004_abc"


@pytest.mark.parametrize(
    "prefix, title",
    [
        ("000", "拉高标杆 狠抓落实 奋力突破"),
        ("001", "二七区十六届政府第二次全体(扩大)会议召开 扎实做好“六稳”“六保” 推动“三个二七”高质量发展"),
        ("002", "“十三五”规划主要目标圆满完成 加快“三个二七”高质量发展"),
        ("003", "二七区2021年国民经济和社会发展计划执行情况与2022年计划（草案）"),
        ("004", "敢想敢为 善作善成 迈出高质量建设现代化 美好二七的坚实步伐"),
    ],
)
def test_seed_titles(prefix, title):
    _, passages = seed(prefix)
    assert {p.title for p in passages} == {title}


# --- real seed expectations --------------------------------------------------------------------


def test_seed_000_gdp_passage_section():
    _, passages = seed("000")
    passage = by_text(passages, "784.2亿元")
    assert passage.section == ["2021年", "经济社会高质量发展迈上新台阶", "综合实力持续提升"]
    assert passage.section_path == "拉高标杆 狠抓落实 奋力突破 › 2021年 › 经济社会高质量发展迈上新台阶 › 综合实力持续提升"
    assert passage.text.startswith("全年地区生产总值达到784.2亿元")
    assert "784.2亿元" in [passage.text[s:e] for s, e in passage.emphasis]


def test_seed_000_lead_paragraphs_are_under_the_title_only():
    _, passages = seed("000")
    assert passages[0].text.startswith("2月21日")
    assert passages[0].section == [] and passages[1].section == []
    assert by_text(passages, "7.5%以上").section[0] == "2022年"


def test_seed_001_first_half_figures_are_under_first_half():
    _, passages = seed("001")
    passage = by_text(passages, "340.64亿元")
    assert passage.section[0] == "上半年"
    assert passage.section == ["上半年", "【数字看成绩】"]
    assert by_text(passages, "2707亿元").section == ["下半年", "重点抓好四个方面工作", "2 全力以赴 把“稳”的局面打开"]


def test_seed_003_targets_are_under_part_two():
    _, passages = seed("003")
    passage = by_text(passages, "地区生产总值增长7.5%左右")
    assert passage.section == ["二、2022年经济社会发展总体要求和主要目标"]
    opening = by_text(passages, "784.23亿元")
    assert opening.section == ["一、2021年国民经济和社会发展计划执行情况"]


def test_seed_003_run_in_headings():
    _, passages = seed("003")
    passage = by_text(passages, "7·20郑州特大暴雨灾害以来")
    assert passage.section == [
        "一、2021年国民经济和社会发展计划执行情况",
        "（一）全力开展防汛救灾和灾后恢复重建，群众生产生活保障持续巩固",
    ]
    assert passage.text.startswith("（一）全力开展防汛救灾和灾后恢复重建，群众生产生活保障持续巩固。")
    assert by_text(passages, "一是着力扩大有效投资。").section[-1] == "一是着力扩大有效投资"


# --- bounded passages that never cut a figure --------------------------------------------------

FILLER = "全区经济运行总体平稳向好。"  # 13 characters


def _paragraph_cutting(figure_sentence: str, figure: str) -> tuple[str, str]:
    """A paragraph of many sentences whose MAX_CHARS boundary falls inside ``figure``.

    Returns the paragraph and the sentences before the figure's sentence.
    """
    offset = figure_sentence.index(figure)
    for n in range(40):
        for pad in range(len(FILLER)):
            before = FILLER * n + ("推进" * pad + "。" if pad else "")
            if len(before) + offset < MAX_CHARS < len(before) + offset + len(figure):
                return before + figure_sentence + FILLER * 30, before
    raise AssertionError("no layout found")


FIGURE_CASES = pytest.mark.parametrize(
    "figure_sentence, figure",
    [
        ("全年地区生产总值达到784.2亿元，同比增长7.5%。", "784.2亿元"),
        ("上半年全区地区生产总值完成340.64亿元；", "340.64亿元"),
        ("统筹推进总投资1,200万元的项目，进展顺利！", "1,200万元"),
    ],
    ids=["784.2亿元", "340.64亿元", "1,200万元"],
)


@FIGURE_CASES
def test_passages_never_start_or_end_inside_a_figure(figure_sentence, figure):
    paragraph, _ = _paragraph_cutting(figure_sentence, figure)
    heading = "测试报告\n\n一、经济运行\n"
    text = heading + paragraph + "\n"
    doc = parse("t.txt", text)
    para_start = len(heading)
    spans = [(s, e) for s, e in figure_spans(doc.text) if s >= para_start]
    # the naive cut at MAX_CHARS would fall inside the figure
    assert any(s < para_start + MAX_CHARS < e and doc.text[s:e] == figure for s, e in spans)

    passages = chunk_document(doc)
    assert len(passages) >= 2
    for p in passages:
        for s, e in spans:
            assert not s < p.start < e, (p.start, doc.text[s:e])
            assert not s < p.end < e, (p.end, doc.text[s:e])
    holder = by_text(passages, figure)
    assert figure_sentence in holder.text
    # every figure of the paragraph is found whole in some passage
    found = [doc.text[s:e] for p in passages for s, e in figure_spans(p.text) for s, e in [(p.start + s, p.start + e)]]
    assert found == [doc.text[s:e] for s, e in spans]


@FIGURE_CASES
def test_passages_are_bounded_and_break_only_after_a_sentence_end(figure_sentence, figure):
    paragraph, before = _paragraph_cutting(figure_sentence, figure)
    doc = parse("t.txt", "测试报告\n\n一、经济运行\n" + paragraph + "\n\n二、下一步\n\n继续努力。\n")
    passages = chunk_document(doc)
    body = [p for p in passages if p.section == ["一、经济运行"]]
    assert "".join(p.text for p in body) == paragraph
    assert len(body) >= 2
    for p in body:
        assert len(p.text) <= MAX_CHARS
        assert p.text.rstrip(CLOSERS)[-1] in SENTENCE_ENDS, p.text[-10:]
    # the first passage closes before the figure's sentence rather than cutting it
    assert body[0].text == before
    assert body[1].text.startswith(figure_sentence)
    assert passages[-1].section == ["二、下一步"] and passages[-1].text == "继续努力。"


def test_a_short_paragraph_end_closes_a_passage_once_it_has_min_chars():
    first = FILLER * 7  # 91 characters >= MIN_CHARS
    second = "第二段落的内容。"
    passages = chunk("报告\n\n一、情况\n" + first + "\n" + second + "\n")
    assert len(first) >= MIN_CHARS
    assert [p.text for p in passages] == [first, second]


def test_short_paragraphs_are_merged_into_one_passage():
    passages = chunk("报告\n\n一、情况\n第一段。\n第二段。\n第三段。\n")
    assert [p.text for p in passages] == ["第一段。\n第二段。\n第三段。"]


def test_an_over_long_sentence_is_cut_at_clause_marks_within_the_bound():
    sentence = "推进项目建设，" * 60 + "完成投资784.2亿元。"
    assert len(sentence) > MAX_CHARS
    passages = chunk("报告\n\n一、项目\n" + FILLER + sentence + FILLER + "\n")
    assert "".join(p.text for p in passages) == FILLER + sentence + FILLER
    assert all(len(p.text) <= MAX_CHARS for p in passages)
    assert sum("784.2亿元" in p.text for p in passages) == 1


def test_a_line_without_any_punctuation_is_cut_outside_figures():
    line = ("全区地区生产总值达到784.23亿元" + "甲" * 37) * 40  # 2,000 characters, no punctuation at all
    passages = chunk("报告\n\n一、项目\n" + line + "\n")
    assert "".join(p.text for p in passages) == line
    assert all(len(p.text) <= MAX_CHARS for p in passages)
    assert sum(p.text.count("784.23亿元") for p in passages) == 40


def test_a_sentence_over_the_hard_limit_is_cut_after_a_comma():
    sentence = "推进项目建设，" * 120 + "累计完成投资1,200万元。"
    assert len(sentence) > HARD_MAX_CHARS
    passages = chunk("报告\n\n一、项目\n" + sentence + "\n")
    assert "".join(p.text for p in passages) == sentence
    assert len(passages) >= 2
    for p in passages[:-1]:
        assert p.text.endswith("，")
        assert len(p.text) <= HARD_MAX_CHARS
    assert "1,200万元" in passages[-1].text


# --- invariants on the real seeds --------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_chunks():
    return [(doc, chunk_document(doc)) for doc in load_corpus(SEEDS_DIR)]


def test_every_seed_has_passages(seed_chunks):
    assert len(seed_chunks) == 5
    for doc, passages in seed_chunks:
        assert len(passages) >= 10, doc.name


def test_passage_text_is_the_cleaned_original_span(seed_chunks):
    for doc, passages in seed_chunks:
        for p in passages:
            assert clean(doc.original[p.start : p.end]) == p.text, p.id
            assert p.source == doc.name


def test_passages_are_in_order_and_do_not_overlap(seed_chunks):
    for doc, passages in seed_chunks:
        for a, b in zip(passages, passages[1:]):
            assert a.start < a.end <= b.start < b.end, (a.id, b.id)


def test_passages_are_never_empty_or_padded_with_whitespace(seed_chunks):
    for doc, passages in seed_chunks:
        for p in passages:
            assert p.text.strip(), p.id
            assert p.text == p.text.strip(), p.id


def test_passage_ids_are_unique_and_stable(seed_chunks):
    docs = [doc for doc, _ in seed_chunks]
    first = chunk_corpus(docs)
    second = chunk_corpus(load_corpus(SEEDS_DIR))
    ids = [p.id for p in first]
    assert len(ids) == len(set(ids))
    assert ids == [p.id for p in second]
    assert [p.to_dict() for p in first] == [p.to_dict() for p in second]
    assert ids[0] == "000_98a65f370833c6d2.txt:2-119"
    for p in first:
        assert p.id == f"{p.source}:{p.start}-{p.end}"


def test_passage_round_trips_through_dict(seed_chunks):
    for _, passages in seed_chunks:
        for p in passages:
            assert Passage.from_dict(p.to_dict()) == p


def test_passages_respect_the_length_bound(seed_chunks):
    for doc, passages in seed_chunks:
        for p in passages:
            assert len(p.text) <= MAX_CHARS, p.id


def test_passages_never_cross_a_section_boundary(seed_chunks):
    for doc, passages in seed_chunks:
        titles = {t for p in passages for t in p.section} | {passages[0].title}
        for p in passages:
            lines = [line.strip() for line in p.text.split("\n") if line.strip()]
            for index, line in enumerate(lines):
                assert line not in titles, (p.id, line)
                for t in titles:
                    if line.startswith(t) and line[len(t) : len(t) + 1] in tuple(SENTENCE_ENDS):
                        # a run-in heading opens the passage of its own section
                        assert index == 0 and p.section[-1] == t, (p.id, line)


def test_passages_never_cut_a_seed_figure(seed_chunks):
    for doc, passages in seed_chunks:
        spans = figure_spans(doc.text)
        boundaries = set()
        for p in passages:
            a = list(doc.origin).index(p.start)
            boundaries |= {a, a + len(p.text)}
        for s, e in spans:
            assert not any(s < b < e for b in boundaries), (doc.name, doc.text[s:e])


def test_seed_section_paths_have_at_most_three_levels(seed_chunks):
    for _, passages in seed_chunks:
        for p in passages:
            assert len(p.section) <= 3, p.id
            assert all(t and len(t) <= 41 for t in p.section), p.section


def test_a_footnote_mark_closing_the_title_line_and_the_issuing_bodies_under_it_are_not_the_title():
    doc = parse("r.txt", "2023年洛阳市国民经济和社会发展统计公报①\n\n洛阳市统计局\n\n国家统计局洛阳调查队\n\n一、综合\n全年生产总值5482.7亿元。\n")
    assert document_title(doc) == ("2023年洛阳市国民经济和社会发展统计公报", {0})


def test_a_chart_caption_and_its_labels_do_not_become_the_section_of_the_text_after_them():
    passages = chunk(
        "2023年统计公报\n\n"
        "二、农业\n全年粮食播种面积2066.70万亩。\n"
        "图1 2017-2023年粮食总产量\n单位：万吨\n2017年2018年2019年2020年2021年2022年2023年\n"
        "全年生猪出栏量745.02万头，增长2.7%。\n"
        "三、工业\n规上工业增加值增长5%。\n"
    )
    sections = {p.text: p.section for p in passages}
    assert sections["全年生猪出栏量745.02万头，增长2.7%。"] == ["二、农业"]
    assert ["二、农业", "图1 2017-2023年粮食总产量"] in sections.values()  # the chart's own text keeps its caption
    assert sections["规上工业增加值增长5%。"] == ["三、工业"]
