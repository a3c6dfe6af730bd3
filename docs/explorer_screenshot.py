"""Write the README's pictures of the explorer: ``python docs/explorer_screenshot.py``.

Starts ``neuroimmune serve`` on a free loopback port and opens the page in Debian's headless Chromium
(Playwright), fills a short diary and checks it, then writes

* ``docs/explorer.png``: two screens of a desktop (1280 x 900 px), one above the other: the first screen (the
  form, the body map with its table, the curves) and "When to worry" with the checked diary;
* ``docs/explorer_phone.png``: three screens of a phone (390 x 844 px) side by side: the first screen (the way
  to "When to worry" and the body map), "What helps" as cards, and "When to worry".
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from PIL import Image
from playwright.sync_api import Page, sync_playwright

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
HERE = Path(__file__).resolve().parent
DESKTOP, PHONE = HERE / "explorer.png", HERE / "explorer_phone.png"
PHONE_SIZE = {"width": 390, "height": 844}
GAP = 16


def prepare(page: Page, url: str) -> None:
    """Open the page, wait for the curves and the cards of "What helps", fill and check a two-day diary."""
    page.goto(url)
    page.wait_for_selector("body[data-ready=true]", timeout=60_000)
    page.wait_for_selector("#helps .card", timeout=60_000)
    for day, ache, temp in ((1, "5", "38.8"), (2, "6", "38.1")):
        if day > 1:
            page.click("#diary-add")
        row = page.locator("#diary tbody tr").last
        row.locator(".d-ache").fill(ache)
        row.locator(".d-temp").fill(temp)
    page.click("#diary-check")
    # the first diary check on a machine compiles the cohort kernel and builds the forecast library (the server
    # answers 503 with Retry-After meanwhile and the page asks again): minutes on first use, not seconds
    page.wait_for_selector("#diary-verdict[data-level]", timeout=600_000)


def screens(page: Page, targets: tuple[str | None, ...], across: bool) -> Image.Image:
    """Screens of the page scrolled to each target (None: the top), side by side or one above the other, on a
    light grey ground."""
    shots = []
    for target in targets:
        page.evaluate("t => t ? document.querySelector(t).scrollIntoView() : window.scrollTo(0, 0)", target)
        page.wait_for_timeout(100)  # let the scroll settle before the picture (a picture, not a test)
        shots.append(Image.open(io.BytesIO(page.screenshot())))
    w, h = shots[0].size
    n = len(shots)
    size = (n * w + (n + 1) * GAP, h + 2 * GAP) if across else (w + 2 * GAP, n * h + (n + 1) * GAP)
    sheet = Image.new("RGB", size, (225, 225, 225))
    for k, shot in enumerate(shots):
        sheet.paste(shot, (GAP + k * (w + GAP), GAP) if across else (GAP, GAP + k * (h + GAP)))
    return sheet


def main() -> None:
    proc = subprocess.Popen([sys.executable, "-m", "neuroimmune", "serve", "--port", "0"], stdout=subprocess.PIPE,
                            text=True)
    try:
        url = proc.stdout.readline().split(" on ", 1)[1].split()[0]
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=FLAGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            prepare(page, url)
            screens(page, (None, "#worry-section"), across=False).save(DESKTOP, optimize=True)
            page = browser.new_page(viewport=PHONE_SIZE, device_scale_factor=1)
            prepare(page, url)
            screens(page, (None, "#helps-section", "#worry-section"), across=True).save(PHONE, optimize=True)
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    print(f"wrote {DESKTOP} and {PHONE}")


if __name__ == "__main__":
    main()
