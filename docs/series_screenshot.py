"""The README's series screenshot: a series question's chart and table, taken in headless Chromium.

    python app.py --index pile-index --seeds corpus &     # then, once it is up:
    python docs/series_screenshot.py [--url http://127.0.0.1:7860/] [--question Q] [--out docs/series.png]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from screenshot import asked  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:7860/")
    parser.add_argument("--question", default="2004—2013年城镇新增就业")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "series.png")
    options = parser.parse_args()

    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser, page = asked(playwright, options.url, options.question, 1280, 1400)
        points = page.locator("#series-chart g.mark-symbol.role-mark path")
        points.first.wait_for(timeout=180_000)
        page.evaluate("document.activeElement && document.activeElement.blur()")
        points.nth(4).hover()  # a point's tooltip: its figure, report and quote
        page.wait_for_timeout(1000)
        box = page.locator("#series-chart").bounding_box()
        table = page.locator("#series-table").bounding_box()
        page.screenshot(path=str(options.out), full_page=True, clip={
            "x": box["x"], "y": box["y"], "width": box["width"],
            "height": min(table["y"] + table["height"], box["y"] + 1300) - box["y"]})
        browser.close()
    print(options.out)


if __name__ == "__main__":
    main()
