"""A person's path through the page, in headless Chromium: ask, read the answer, cite, filter, export; and escaping."""

import csv
import io
import json
import statistics
import time

import pytest

from conftest import Server, run_qa

pytestmark = pytest.mark.slow

# WCAG 2.x contrast of each matched element's text against what is painted behind it: the nearest opaque
# background up the tree, with translucent layers (and the elements' opacity) blended in.
CONTRAST_JS = """
(selector) => {
  const parse = (value) => {
    const numbers = (value.match(/[\\d.]+/g) || []).map(Number);
    return {r: numbers[0] || 0, g: numbers[1] || 0, b: numbers[2] || 0, a: numbers.length > 3 ? numbers[3] : 1};
  };
  const over = (top, bottom) => ({r: top.r * top.a + bottom.r * (1 - top.a), g: top.g * top.a + bottom.g * (1 - top.a),
                                  b: top.b * top.a + bottom.b * (1 - top.a), a: 1});
  const luminance = ({r, g, b}) => {
    const linear = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  };
  return Array.from(document.querySelectorAll(selector)).map((element) => {
    const layers = [];
    let opacity = 1;
    for (let node = element; node; node = node.parentElement) {
      const style = getComputedStyle(node);
      opacity *= Number(style.opacity);
      const background = parse(style.backgroundColor);
      if (background.a > 0) layers.push(background);
      if (background.a >= 1) break;
    }
    let behind = {r: 255, g: 255, b: 255, a: 1};
    for (const layer of layers.reverse()) behind = over(layer, behind);
    const color = parse(getComputedStyle(element).color);
    const shown = over({...color, a: color.a * opacity}, behind);
    const [light, dark] = [luminance(shown), luminance(behind)].sort((x, y) => y - x);
    return {text: element.innerText.slice(0, 30), ratio: (light + 0.05) / (dark + 0.05)};
  });
}
"""


def new_page(browser, locale):
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, accept_downloads=True, locale=locale)
    return context, context.new_page()


@pytest.fixture
def page(browser):
    """A reader whose browser prefers Chinese."""
    context, opened = new_page(browser, "zh-CN")
    yield opened
    context.close()


@pytest.fixture
def english_page(browser):
    """A reader whose browser prefers English."""
    context, opened = new_page(browser, "en-US")
    yield opened
    context.close()


def mark_old(page):
    page.evaluate("document.querySelectorAll('.qa-result, .qa-card').forEach(card => card.dataset.old = '1')")


def wait_for_new_results(page):
    page.locator(".qa-result:not([data-old])").first.wait_for(timeout=60000)


def ask(page, question):
    """Type, press Enter, wait for freshly rendered results; return the seconds that took."""
    mark_old(page)
    box = page.locator("#question textarea")
    box.fill(question)
    started = time.perf_counter()
    box.press("Enter")
    wait_for_new_results(page)
    return time.perf_counter() - started


def sources(page):
    return page.locator(".qa-result").evaluate_all("cards => cards.map(card => card.dataset.source)")


def test_question_enter_highlighted_answer_and_export(page, server, tmp_path):
    page.goto(server.url)
    ask(page, "2021年地区生产总值是多少？")
    top = page.locator(".qa-result").first
    assert top.get_attribute("data-rank") == "1"
    assert top.locator("mark.qa-answer").inner_text() == "784.2亿元"
    assert top.locator("mark.qa-fig").count() >= 3
    assert "2021年 › 经济社会高质量发展迈上新台阶" in top.locator(".qa-section").inner_text()

    top.locator("summary", has_text="所在章节全文").click()
    assert "784.2亿元" in top.locator(".qa-context").inner_text()

    page.locator("#chosen label").first.click()
    page.locator("#export-format label", has_text="Word").click()
    page.locator("#export-button").click()
    link = page.locator("#export-file a").first
    link.wait_for(timeout=30000)
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.startswith("2021年地区生产总值是多少_")
    saved = tmp_path / "passages.docx"
    download.value.save_as(saved)
    from docx import Document

    quote = next(p for p in Document(saved).paragraphs if "784.2亿元" in p.text and p.style.name == "Quote")
    assert [run.text for run in quote.runs if run.bold] == ["784.2亿元"]


def test_answer_card_shows_the_figure_and_its_year_above_the_passages(page, server):
    page.goto(server.url)
    ask(page, "2021年地区生产总值是多少")
    card = page.locator(".qa-card")
    assert card.get_attribute("data-found") == "true"
    assert card.locator(".qa-figure-main").inner_text() == "784.2亿元"
    assert "2021" in card.locator(".qa-period").first.inner_text()
    assert card.locator(".qa-copy").first.inner_text() == "复制引用"
    above = page.evaluate("document.querySelector('.qa-card').compareDocumentPosition("
                          "document.querySelector('.qa-result')) & Node.DOCUMENT_POSITION_FOLLOWING")
    assert above


def test_unanswerable_question_says_not_found_and_shows_no_answer_figure(page, server):
    page.goto(server.url)
    ask(page, "二七区有多少只熊猫")
    card = page.locator(".qa-card")
    assert card.get_attribute("data-found") == "false"
    assert "这些报告似乎没有回答这个问题" in card.inner_text()
    assert page.locator(".qa-figure-main, .qa-figure, mark.qa-answer, mark.qa-answering").count() == 0
    cards = page.locator(".qa-result")
    assert cards.count() > 0 and page.locator(".qa-result.qa-greyed").count() == cards.count()


def test_interface_follows_the_browser_language_and_the_switch(english_page, page, server):
    english_page.goto(server.url)
    english_page.locator("#question label", has_text="Question").wait_for(timeout=30000)
    assert english_page.locator("#search-button").inner_text() == "Search"
    ask(english_page, "What was the GDP in 2021?")
    card = english_page.locator(".qa-card")
    assert card.locator(".qa-figure-main").inner_text() == "784.2亿元"
    assert "78.42 billion yuan" in card.inner_text()
    mark_old(english_page)
    english_page.locator("#language label", has_text="中文").click()
    english_page.locator("#search-button", has_text="搜索").wait_for(timeout=30000)
    wait_for_new_results(english_page)  # the results are shown again, in Chinese
    assert english_page.locator(".qa-result .qa-copy").first.inner_text() == "复制引用"
    assert english_page.evaluate("document.documentElement.lang") == "zh-CN"

    page.goto(server.url)
    assert page.locator("#search-button").inner_text() == "搜索"
    assert page.locator("#question label").first.inner_text() == "问题"


def test_a_filter_narrows_the_results_and_reruns_the_search(page, server):
    page.goto(server.url)
    ask(page, "2021年地区生产总值是多少")
    before = sources(page)
    chosen = "003_5812a0cf500341c3.txt"
    assert chosen in before and set(before) != {chosen}
    page.locator("#filters").get_by_text("筛选").first.click()
    mark_old(page)
    page.locator("#filter-documents input").click()
    page.get_by_role("option", name="二七区2021年国民经济和社会发展计划执行情况").first.click()
    wait_for_new_results(page)
    after = sources(page)
    assert after and set(after) == {chosen}


def example_questions(page):
    """The example questions shown, once their buttons show them (a button is drawn before its text)."""
    page.wait_for_function("() => { const shown = [...document.querySelectorAll('#examples button')];"
                           " return shown.length && shown.every(button => button.innerText.trim()); }", timeout=30000)
    return [text.strip() for text in page.locator("#examples button").all_inner_texts()]


def test_top_k_and_examples_run_the_search(page, server):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.goto(server.url)
    mark_old(page)
    asked = example_questions(page)[0]
    example = page.locator("#examples button").first
    example.click()
    wait_for_new_results(page)
    # the box and the results are updated by one event, but drawn one after the other
    page.wait_for_function("asked => document.querySelector('#question textarea').value === asked", arg=asked,
                           timeout=10000)
    assert page.locator(".qa-result").count() == 5
    assert page.locator(".qa-card").get_attribute("data-found") == "true"  # the index's reports answer it
    page.locator("#advanced").get_by_text("高级选项").first.click()
    mark_old(page)
    box = page.locator("#top-k input[type=number]")
    box.wait_for(state="visible")
    box.fill("3")
    box.press("Enter")
    try:
        page.locator(".qa-result:not([data-old])").first.wait_for(timeout=20000)
    except PlaywrightTimeout:  # on a loaded machine the Enter may land before the box listens; leaving it commits too
        box.press("Tab")
        wait_for_new_results(page)
    assert page.locator(".qa-result").count() == 3


def exported(page, format_name, tmp_path):
    """Choose a format by its name, export, download the file; return where it is saved."""
    page.locator("#export-format label", has_text=format_name).click()
    page.locator("#export-button").click()
    link = page.locator("#export-file a").first
    link.wait_for(timeout=30000)
    with page.expect_download() as download:
        link.click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    page.evaluate("document.querySelector('#export-file a') && document.querySelector('#export-file a').remove()")
    return saved


def test_csv_export_starts_with_a_bom_and_reads_as_chinese(page, server, tmp_path):
    page.goto(server.url)
    ask(page, "2021年地区生产总值是多少")
    saved = exported(page, "CSV", tmp_path)
    assert saved.suffix == ".csv"
    data = saved.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows and all(row["问题"] == "2021年地区生产总值是多少" for row in rows)
    assert rows[0]["标题"] == "拉高标杆 狠抓落实 奋力突破" and rows[0]["答案数字"] == "784.2亿元"


SETTLED_JS = """
() => Array.from(document.querySelectorAll('.qa-card, .qa-result')).every((element) => {
  for (let node = element; node; node = node.parentElement) if (getComputedStyle(node).opacity !== '1') return false;
  return true;
})
"""


def contrasts(page, selectors):
    page.wait_for_function(SETTLED_JS, timeout=30000)  # the page fades new results in: measure them once shown
    measured = []
    for selector in selectors:
        found = page.evaluate(CONTRAST_JS, selector)
        assert found, f"nothing matches {selector}"
        measured += [(selector, item["text"], round(item["ratio"], 2)) for item in found]
    return measured


def test_card_period_date_and_section_text_meet_wcag_aa_contrast(page, server):
    page.goto(server.url)
    ask(page, "2021年地区生产总值是多少")
    measured = contrasts(page, [".qa-card .qa-period", ".qa-card .qa-where", ".qa-card .qa-details",
                                ".qa-card .qa-card-label", ".qa-result .qa-where", ".qa-result .qa-section",
                                ".qa-result .qa-score", ".qa-result .qa-details"])
    ask(page, "二七区有多少只熊猫")  # the not-found notice and the greyed passages
    measured += contrasts(page, [".qa-not-found-notice", ".qa-greyed .qa-text", ".qa-greyed .qa-section",
                                 ".qa-greyed .qa-where"])
    low = [item for item in measured if item[2] < 4.5]
    assert not low, low


def test_english_question_and_empty_question(english_page, server):
    english_page.goto(server.url)
    ask(english_page, "What was the GDP in 2021?")
    texts = english_page.locator(".qa-result .qa-text").all_inner_texts()
    assert any("784.2" in text for text in texts)
    english_page.locator("#question textarea").fill("   ")
    english_page.locator("#search-button").click()
    english_page.locator("#notice", has_text="Type a question first").wait_for(timeout=30000)
    # the notice and the emptied results may render one after the other: the page ends with no results
    english_page.wait_for_function("() => document.querySelectorAll('.qa-result').length === 0", timeout=30000)
    assert english_page.locator(".qa-result").count() == 0


def test_warm_response_time_is_measured(page, server):
    """Question to rendered results, warm; printed for the README, never a pass/fail limit."""
    page.goto(server.url)
    ask(page, "2021年地区生产总值是多少？")
    timings = [ask(page, q) for q in ["2020年上半年固定资产投资增长了多少？", "2021年累计转运集中隔离多少人？",
                                       "What was the GDP in 2021?", "How many new urban jobs were created in 2023?",
                                       "2023年空气质量优良天数是多少？"]]
    print(f"\nUI warm response, question to rendered answer and passages: median {statistics.median(timings) * 1000:.0f} "
          f"ms over {len(timings)} questions (min {min(timings) * 1000:.0f}, max {max(timings) * 1000:.0f})")
    assert len(timings) == 5


def test_document_html_is_shown_as_text_and_never_runs(browser, tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "hostile.txt").write_text(
        "测试报告\n\n一、总体情况\n全年地区生产总值达到123.4亿元<script>window.__attacked = 1</script>。\n"
        "新增就业<img src=x onerror=\"window.__attacked = 2\">5000人。\n", encoding="utf-8")
    index = tmp_path / "index"
    built = run_qa("build", "--seeds", seeds, "--index", index)
    assert built.returncode == 0, built.stderr
    server = Server(index, seeds)
    try:
        context = browser.new_context()
        page = context.new_page()
        page.goto(server.url)
        ask(page, "地区生产总值是多少")
        text = " ".join(page.locator(".qa-result .qa-text").all_inner_texts())
        assert "<script>window.__attacked = 1</script>" in text
        assert '<img src=x onerror="window.__attacked = 2">' in text
        assert page.locator(".qa-result script, .qa-result img, .qa-card script, .qa-card img").count() == 0
        assert page.evaluate("window.__attacked") is None
        context.close()
    finally:
        server.stop()


LIKELY_QUESTION = "2021年二七区有多少家企业被认定为河南省“专精特新”中小企业？"  # answered, below the likely band's top
SURE_QUESTION = "2021年地区生产总值是多少？"


def test_an_answer_below_the_likely_threshold_looks_different_and_says_likely(page, english_page, server):
    from qa.page import likely_below

    page.goto(server.url)
    ask(page, LIKELY_QUESTION)
    card = page.locator(".qa-card")
    assert card.get_attribute("data-found") == "true"
    assert float(card.get_attribute("data-confidence")) < likely_below(), "pick another question for this test"
    assert "qa-likely" in card.get_attribute("class") and card.locator(".qa-likely-word").inner_text() == "可能是"
    likely = card.evaluate("c => [getComputedStyle(c).borderLeftStyle, "
                           "getComputedStyle(c.querySelector('.qa-figure-main')).color]")
    ask(page, SURE_QUESTION)
    card = page.locator(".qa-card")
    assert float(card.get_attribute("data-confidence")) >= likely_below()
    assert "qa-likely" not in card.get_attribute("class") and card.locator(".qa-likely-word").count() == 0
    sure = card.evaluate("c => [getComputedStyle(c).borderLeftStyle, "
                         "getComputedStyle(c.querySelector('.qa-figure-main')).color]")
    assert likely[0] != sure[0] and likely[1] != sure[1]  # visibly different: the border and the figure's colour

    english_page.goto(server.url)
    english_page.locator("#question label", has_text="Question").wait_for(timeout=30000)
    ask(english_page, LIKELY_QUESTION)
    assert english_page.locator(".qa-card .qa-likely-word").inner_text() == "likely"


def test_the_marker_scrolls_to_the_passage_and_highlights_its_figure(page, server):
    page.goto(server.url)
    ask(page, SURE_QUESTION)
    marker = page.locator(".qa-card .qa-marker").first
    figure = page.locator(".qa-card .qa-figure-main").inner_text()
    target = marker.get_attribute("data-passage")
    assert marker.inner_text() == "[1]"
    page.evaluate("window.scrollTo(0, 0)")
    marker.click()
    passage = page.locator(f'.qa-result[data-id="{target}"]')
    passage.locator("mark.qa-target-figure").wait_for(timeout=5000)
    assert passage.locator("mark.qa-target-figure").inner_text() == figure
    assert "qa-target" in passage.get_attribute("class")
    box = passage.bounding_box()
    height = page.evaluate("window.innerHeight")
    assert box["y"] < height and box["y"] + box["height"] > 0  # in view
    mark_colours = passage.locator("mark.qa-target-figure").evaluate(
        "m => [getComputedStyle(m).backgroundColor, getComputedStyle(m).outlineStyle]")
    assert mark_colours[0] not in ("rgba(0, 0, 0, 0)", "transparent") and mark_colours[1] != "none"


def test_each_part_has_its_own_confidence_and_no_overall_when_one_is_missing(page, server):
    page.goto(server.url)
    ask(page, "2021年和2023年的地区生产总值分别是多少")
    card = page.locator(".qa-card")
    parts = card.locator(".qa-part")
    assert parts.count() == 2
    assert [parts.nth(i).get_attribute("data-found") for i in range(2)] == ["true", "false"]
    assert card.locator(".qa-card-label").inner_text().strip() == "答案"  # no overall figure
    assert parts.nth(0).locator(".qa-part-confidence").inner_text().startswith("把握 ")
    assert parts.nth(1).locator(".qa-part-confidence").count() == 0 and "未找到" in parts.nth(1).inner_text()


def test_no_file_name_on_the_card_outside_the_details_toggle(page, server):
    page.goto(server.url)
    ask(page, SURE_QUESTION)
    for selector in (".qa-card", ".qa-result"):
        first = page.locator(selector).first
        assert ".txt" not in first.inner_text() and "字符" not in first.inner_text()
        first.locator(".qa-source-details summary").first.click()
        opened = first.locator(".qa-source-details .qa-details").first.inner_text()
        assert ".txt" in opened and "字符" in opened
    where = page.locator(".qa-card .qa-where").first.inner_text()
    assert "二七区" in where and "《" in where and "2022" in where  # place, title and date


ALL_TEXTS_JS = """
() => {
  let count = 0;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const element = walker.currentNode.parentElement;
    if (!walker.currentNode.textContent.trim() || !element || element.dataset.text) continue;
    const box = element.getBoundingClientRect(), style = getComputedStyle(element);
    if (!box.width || !box.height || style.visibility === 'hidden') continue;
    element.dataset.text = String(count++);
  }
  return count;
}
"""

PLACEHOLDER_JS = """
() => {
  const box = document.querySelector('#question textarea');
  return [getComputedStyle(box, '::placeholder').color, getComputedStyle(box).backgroundColor];
}
"""

RATIO_JS = """
([color, background]) => {
  const parse = (value) => (value.match(/[\\d.]+/g) || []).map(Number);
  const luminance = ([r, g, b]) => {
    const linear = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  };
  const [light, dark] = [luminance(parse(color)), luminance(parse(background))].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}
"""


def test_every_text_on_the_page_helper_texts_included_meets_wcag_aa_contrast(page, server):
    page.goto(server.url)
    ask(page, SURE_QUESTION)
    page.locator("#filters").get_by_text("筛选").first.click()
    page.locator("#advanced").get_by_text("高级选项").first.click()
    page.locator("#mode [data-testid='block-info']").wait_for(timeout=10000)
    page.wait_for_function(SETTLED_JS, timeout=30000)
    assert page.evaluate(ALL_TEXTS_JS) > 50
    measured = contrasts(page, ["[data-text]"])
    helpers = [text for _, text, _ in measured]
    assert any("不选即全部" in text for text in helpers) and any("综合：" in text for text in helpers)
    assert any(text.strip() == "20" for text in helpers)  # the slider's range
    low = [item for item in measured if item[2] < 4.5]
    assert not low, low
    assert page.evaluate(RATIO_JS, page.evaluate(PLACEHOLDER_JS)) >= 4.5
    assert not page.locator("footer").first.is_visible()  # Gradio's footer would speak the browser's language


FOCUS_JS = """
(element) => {
  const style = getComputedStyle(element);
  return {outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2 ? style.outlineColor : '',
          shadow: style.boxShadow !== 'none' && !/rgba\\(0, 0, 0, 0\\)/.test(style.boxShadow) ? style.boxShadow : ''};
}
"""


def test_focus_is_visible_on_every_control(page, server):
    page.goto(server.url)
    ask(page, SURE_QUESTION)
    page.locator("#advanced").get_by_text("高级选项").first.click()
    page.locator("#mode input[type=radio]").first.wait_for(state="visible")
    controls = ["#language input[type=radio]", "#mode input[type=radio]", "#export-format input[type=radio]",
                "#chosen input[type=checkbox]", "#search-button", "#export-button", "#examples button",
                ".qa-card .qa-copy", ".qa-card .qa-marker", ".qa-result summary"]
    invisible = []
    for selector in controls:
        control = page.locator(selector).first
        control.focus()
        shown = control.evaluate(FOCUS_JS)
        background = control.evaluate("e => getComputedStyle(e).backgroundColor")
        if not shown["outline"] and not shown["shadow"]:
            invisible.append(selector)
        elif shown["outline"]:  # an outline the reader can see against what it sits on
            assert page.evaluate(RATIO_JS, [shown["outline"], "rgb(255, 255, 255)"]) >= 3, selector
            assert shown["outline"] != background, selector
    assert not invisible, invisible


def test_a_phone_wide_page_keeps_the_heading_whole_and_brings_the_card_into_view(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True,
                                  has_touch=True)
    phone = context.new_page()
    try:
        phone.goto(server.url)
        phone.locator("#question textarea").wait_for(timeout=30000)
        heading = phone.locator("#heading").bounding_box()
        language = phone.locator("#language").bounding_box()
        assert heading["width"] >= 300  # not squeezed into a narrow column beside the language switch
        assert language["y"] >= heading["y"] + heading["height"] - 1  # the switch sits below the heading
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # nothing runs off the side
        ask(phone, SURE_QUESTION)
        try:
            phone.wait_for_function("() => { const top = document.querySelector('.qa-card').getBoundingClientRect().top;"
                                    " return top > -8 && top < window.innerHeight / 2; }", timeout=10000)
        except Exception:
            top = phone.evaluate("[document.querySelector('.qa-card').getBoundingClientRect().top, window.innerHeight]")
            pytest.fail(f"the card is not in view after asking: its top at {top[0]:.0f} px of {top[1]}")
    finally:
        context.close()


def test_filters_list_places_in_administrative_order_and_reports_with_place_year_and_title(page, server):
    page.goto(server.url)
    page.locator("#filters").get_by_text("筛选").first.click()
    page.locator("#filter-documents input").click()
    options = page.get_by_role("option").all_inner_texts()
    assert options and all(len(option.split(" · ")) == 3 for option in options)  # place · year · title
    place, year, _ = options[0].split(" · ")
    assert place == "二七区" and year.isdigit()
    box = page.locator("#question").bounding_box()
    listed = page.locator("[role=listbox]").first.bounding_box()
    assert listed["y"] >= box["y"] + box["height"] or listed["y"] + listed["height"] <= box["y"]


def test_the_examples_come_from_the_indexs_own_reports(page, server):
    page.goto(server.url)
    examples = example_questions(page)
    assert examples and all(example.startswith("二七区") for example in examples)  # the seed reports' place


def test_exports_speak_the_pages_language(page, english_page, server, tmp_path):
    from docx import Document

    page.goto(server.url)
    ask(page, SURE_QUESTION)
    assert [label.strip() for label in page.locator("#export-format label").all_inner_texts()] == \
        ["Markdown", "CSV", "JSON", "Word"]
    cut = page.locator("#chosen label").evaluate_all(
        "labels => labels.filter(label => label.scrollWidth > label.clientWidth + 1).map(label => label.innerText)")
    assert not cut, cut  # every export label is shown whole
    markdown = exported(page, "Markdown", tmp_path).read_text(encoding="utf-8")
    page.locator("#export-notice", has_text="已将 5 个段落导出为 Markdown").wait_for(timeout=10000)
    assert "**答案数字：** 784.2亿元" in markdown and "第 " in markdown and "字符 " in markdown
    assert "二七区人民政府．拉高标杆 狠抓落实 奋力突破［Z］．" in markdown
    assert not any(word in markdown for word in ("Answer", "line ", "chars "))
    data = json.loads(exported(page, "JSON", tmp_path).read_text(encoding="utf-8"))
    assert data["language"] == "zh" and data["passages"][0]["reference"].endswith("．")
    assert data["card"]["reference"].startswith("二七区人民政府．")
    word = Document(exported(page, "Word", tmp_path))
    assert word.core_properties.title == SURE_QUESTION
    assert any(p.text.startswith("——二七区人民政府．") for p in word.paragraphs)

    english = tmp_path / "en"
    english.mkdir()
    english_page.goto(server.url)
    english_page.locator("#question label", has_text="Question").wait_for(timeout=30000)  # the page has switched
    ask(english_page, "What was the GDP in 2021?")
    text = exported(english_page, "Markdown", english).read_text(encoding="utf-8")
    english_page.locator("#export-notice", has_text="as Markdown").wait_for(timeout=10000)
    assert "**Answer figure:** 784.2亿元" in text and "chars " in text and "People's Government of Erqi District" in text
    assert "答案数字" not in text and "字符" not in text
    rows = list(csv.DictReader(io.StringIO(exported(english_page, "CSV", english).read_text(encoding="utf-8-sig"))))
    assert rows[0]["reference"].startswith("People's Government of Erqi District.")
    assert rows[0]["date"] == "21 February 2022"
