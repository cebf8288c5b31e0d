"""The README's screenshot: the Chinese page answering a question, taken in headless Chromium.

    python app.py &                      # then, once it is up:
    python docs/screenshot.py [--url http://127.0.0.1:7860/] [--question Q] [--out docs/screenshot.png]
"""

from __future__ import annotations

import argparse
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


def asked(playwright, url: str, question: str, width: int, height: int):
    """Chromium on the Chinese page at ``url`` with ``question`` asked; returns the browser and the page."""
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN", device_scale_factor=1)
    page = context.new_page()
    page.goto(url)
    box = page.locator("#question textarea")
    box.fill(question)
    box.press("Enter")
    return browser, page


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:7860/")
    parser.add_argument("--question", default="2021年地区生产总值是多少？")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "screenshot.png")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=1100)
    options = parser.parse_args()

    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser, page = asked(playwright, options.url, options.question, options.width, options.height)
        page.locator(".qa-result").first.wait_for(timeout=120_000)
        page.evaluate("document.activeElement && document.activeElement.blur()")
        page.wait_for_timeout(1500)  # the page fades results in
        page.screenshot(path=str(options.out))
        browser.close()
    print(f"Wrote {options.out}")


if __name__ == "__main__":
    main()
