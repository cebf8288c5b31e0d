"""A person's path through the page, in headless Chromium: ask, read, cite, export; and escaping."""

import statistics
import time

import pytest

from conftest import Server, run_qa

pytestmark = pytest.mark.slow


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, accept_downloads=True)
    yield context.new_page()
    context.close()


def ask(page, question):
    """Type, press Enter, wait for freshly rendered results; return the seconds that took."""
    page.evaluate("document.querySelectorAll('.qa-result').forEach(card => card.dataset.old = '1')")
    box = page.locator("#question textarea")
    box.fill(question)
    started = time.perf_counter()
    box.press("Enter")
    page.locator(".qa-result:not([data-old])").first.wait_for(timeout=60000)
    return time.perf_counter() - started


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
    saved = tmp_path / "passages.docx"
    download.value.save_as(saved)
    from docx import Document

    assert any("784.2亿元" in p.text for p in Document(saved).paragraphs)


def test_english_question_and_empty_question(page, server):
    page.goto(server.url)
    ask(page, "What was the GDP in 2021?")
    texts = page.locator(".qa-result .qa-text").all_inner_texts()
    assert any("784.2" in text for text in texts)
    page.locator("#question textarea").fill("   ")
    page.locator("#search-button").click()
    page.locator("#notice", has_text="Type a question first").wait_for(timeout=30000)
    assert page.locator(".qa-result").count() == 0


def test_warm_response_time_is_measured(page, server):
    """Question to rendered results, warm; printed for the README, never a pass/fail limit."""
    page.goto(server.url)
    ask(page, "2021年地区生产总值是多少？")
    timings = [ask(page, q) for q in ["2020年上半年固定资产投资增长了多少？", "2021年累计转运集中隔离多少人？",
                                       "What was the GDP in 2021?", "How many new urban jobs were created in 2023?",
                                       "2023年空气质量优良天数是多少？"]]
    print(f"\nUI warm response, question to rendered results: median {statistics.median(timings) * 1000:.0f} ms "
          f"over {len(timings)} questions (min {min(timings) * 1000:.0f}, max {max(timings) * 1000:.0f})")
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
        assert page.locator(".qa-result script, .qa-result img").count() == 0
        assert page.evaluate("window.__attacked") is None
        context.close()
    finally:
        server.stop()
