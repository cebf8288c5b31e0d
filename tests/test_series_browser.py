"""A series question in the page, in headless Chromium: the chart's points, its axis unit and a point's tooltip with
the reference; the table and its downloads; and the /series API endpoint."""

import csv
import io

import pytest

pytestmark = pytest.mark.slow

QUESTION = "2019—2023年城镇新增就业"  # the seed reports state 2021's and 2023's results and 2022's target


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 1200}, accept_downloads=True, locale="zh-CN")
    opened = context.new_page()
    yield opened
    context.close()


def svg_texts(page, selector):
    return page.locator(selector).evaluate_all("nodes => nodes.map(node => node.textContent)")


def ask_series(page, url):
    page.goto(url)
    box = page.locator("#question textarea")
    box.fill(QUESTION)
    box.press("Enter")
    points = page.locator("#series-chart g.mark-symbol.role-mark path")
    points.first.wait_for(timeout=90000)
    return points


def test_a_series_question_draws_its_points_with_the_unit_on_the_axis(page, server):
    points = ask_series(page, server.url)
    assert points.count() == 3  # 2021's and 2023's results and 2022's target; the empty years have no point
    titles = svg_texts(page, "#series-chart g.role-axis-title text")
    assert "万人" in titles and "年份" in titles
    legend = svg_texts(page, "#series-chart g.role-legend-label text")
    assert legend == ["实际", "目标"]
    page.locator("#series-chart details summary").click()  # the chart's own menu saves it as SVG or PNG
    saves = page.locator("#series-chart details a").all_inner_texts()
    assert any("SVG" in item for item in saves) and any("PNG" in item for item in saves)


def test_pointing_at_a_point_shows_its_figure_reference_and_quote(page, server):
    points = ask_series(page, server.url)
    points.first.hover()
    tooltip = page.locator("#vg-tooltip-element")
    tooltip.wait_for(state="visible", timeout=10000)
    shown = tooltip.inner_text()
    assert "2.1万人" in shown and "000_98a65f370833c6d2.txt" in shown and "城镇新增就业2.1万人" in shown


def test_the_table_lists_every_year_and_its_downloads_open(page, server, tmp_path):
    ask_series(page, server.url)
    table = page.locator("#series-table table")
    assert table.locator("tbody tr").count() == 5
    assert table.locator(".qa-series-empty").count() == 7  # five years, two columns, three cells stated
    links = page.locator("#series-files a")
    links.first.wait_for(timeout=30000)
    with page.expect_download() as download:
        page.locator("#series-files tr", has_text=".csv").locator("a").first.click()
    saved = tmp_path / "series.csv"
    download.value.save_as(saved)
    raw = saved.read_bytes()
    assert raw.startswith("\ufeff".encode("utf-8"))
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert ["二七区", "2021", "实际"] == rows[5][:3] and rows[5][5] == "2.1万人" and "000_98a65f370833c6d2.txt" in rows[5][6]


def test_an_ordinary_question_shows_no_chart(page, server):
    page.goto(server.url)
    box = page.locator("#question textarea")
    box.fill("2021年地区生产总值是多少？")
    box.press("Enter")
    page.locator(".qa-result").first.wait_for(timeout=60000)
    page.wait_for_timeout(1500)
    assert not page.locator("#series").is_visible()


def test_the_series_endpoint_returns_the_table_as_the_command_prints_it(server):
    from gradio_client import Client

    reply = Client(server.url, verbose=False).predict(QUESTION, api_name="/series")
    assert set(reply) == {"question", "indicator", "unit", "rows", "notices"}
    stated = {(row["year"], row["stance"]): row["text"] for row in reply["rows"] if row["text"]}
    assert stated == {(2021, "result"): "2.1万人", (2022, "target"): "19500人", (2023, "result"): "2.04万人"}
    refused = Client(server.url, verbose=False).predict("hello", api_name="/series")
    assert refused["rows"] == [] and refused["notices"]
