"""A person's path through the page, in headless Chromium: ask, read the answer, cite, filter, export; and escaping."""

import csv
import io
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

    top.locator("summary").click()
    assert "784.2亿元" in top.locator(".qa-context").inner_text()

    page.locator("#chosen label").first.click()
    page.locator("#export-format label", has_text="docx").click()
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


def test_top_k_and_examples_run_the_search(page, server):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.goto(server.url)
    mark_old(page)
    page.locator("#examples button", has_text="2020年上半年固定资产投资增长了多少").click()
    wait_for_new_results(page)
    assert page.locator("#question textarea").input_value() == "2020年上半年固定资产投资增长了多少？"
    assert page.locator(".qa-result").count() == 5
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


def test_csv_export_starts_with_a_bom_and_reads_as_chinese(page, server, tmp_path):
    page.goto(server.url)
    ask(page, "2021年地区生产总值是多少")
    page.locator("#export-format label", has_text="csv").click()
    page.locator("#export-button").click()
    link = page.locator("#export-file a").first
    link.wait_for(timeout=30000)
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".csv")
    saved = tmp_path / "export.csv"
    download.value.save_as(saved)
    data = saved.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows and all(row["question"] == "2021年地区生产总值是多少" for row in rows)
    assert rows[0]["title"] == "拉高标杆 狠抓落实 奋力突破" and rows[0]["answer"] == "784.2亿元"


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
