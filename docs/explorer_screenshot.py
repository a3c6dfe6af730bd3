"""Write ``docs/explorer.png``, the README's picture of the explorer: ``python docs/explorer_screenshot.py``.

Starts ``neuroimmune serve`` on a free loopback port, opens the page in Debian's headless Chromium (Playwright),
fills a short diary and checks it, and takes a full-page screenshot at a desktop's width.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
OUT = Path(__file__).resolve().parent / "explorer.png"


def main() -> None:
    proc = subprocess.Popen([sys.executable, "-m", "neuroimmune", "serve", "--port", "0"], stdout=subprocess.PIPE,
                            text=True)
    try:
        url = proc.stdout.readline().split(" on ", 1)[1].split()[0]
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=FLAGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(url)
            page.wait_for_selector("body[data-ready=true]", timeout=30_000)
            for day, ache, temp in ((1, "5", "38.8"), (2, "6", "38.1")):
                if day > 1:
                    page.click("#diary-add")
                row = page.locator("#diary tbody tr").last
                row.locator(".d-ache").fill(ache)
                row.locator(".d-temp").fill(temp)
            page.click("#diary-check")
            page.wait_for_selector("#diary-verdict[data-level]", timeout=30_000)
            page.screenshot(path=str(OUT), full_page=True)
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
