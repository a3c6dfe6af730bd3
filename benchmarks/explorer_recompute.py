"""Time what a person waits for in the explorer: from a change of a control to the redrawn page (target: under
150 ms), in Debian's headless Chromium driven by Playwright, against ``neuroimmune serve`` on loopback.

Each change is a new endotoxin dose (a scenario the server has not seen, so it simulates); the page measures from
the input event to the first frame after the curves, body map and text are redrawn (``#status[data-ms]``), and
how much of that was the HTTP round trip with the simulation (``data-fetch-ms``). Beside it, the API alone:
``POST /api/simulate`` from Python for a new scenario and for a cached one.

Run: ``python benchmarks/explorer_recompute.py [--changes 40]``; prints a Markdown table.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time

import httpx
from playwright.sync_api import sync_playwright

from load import open_explorer, pct, start_server


def browser_times(url: str, changes: int) -> tuple[list[float], list[float]]:
    total, fetch = [], []
    with sync_playwright() as p:
        browser, page = open_explorer(p, url, 30_000)
        for i in range(changes):
            before = int(page.get_attribute("#status", "data-updates"))
            page.fill("#challenge-dose", f"{0.7 + 0.113 * i:.3f}")
            page.wait_for_function(f"Number(document.querySelector('#status').dataset.updates) > {before}")
            total.append(float(page.get_attribute("#status", "data-ms")))
            fetch.append(float(page.get_attribute("#status", "data-fetch-ms")))
        browser.close()
    return total, fetch


def api_times(url: str, n: int) -> tuple[list[float], list[float]]:
    new, cached = [], []
    with httpx.Client() as http:
        for i in range(n):
            body = {"challenge": {"kind": "endotoxin", "dose": 1.0 + 0.0071 * i}, "duration": 24, "output_step": 0.1}
            for out in (new, cached):
                t0 = time.perf_counter()
                http.post(url + "/api/simulate", json=body).raise_for_status()
                out.append(1e3 * (time.perf_counter() - t0))
    return new, cached


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--changes", type=int, default=40)
    args = parser.parse_args()
    proc, url = start_server()
    try:
        total, fetch = browser_times(url, args.changes)
        new, cached = api_times(url, args.changes)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    print("| measured | n | median (ms) | p95 (ms) | max (ms) | target |")
    print("|---|---|---|---|---|---|")
    print(f"| page: change -> redrawn (Chromium) | {len(total)} | {statistics.median(total):.1f} | "
          f"{pct(total, 95):.1f} | {max(total):.1f} | < 150 ms |")
    print(f"| of which HTTP + simulation | {len(fetch)} | {statistics.median(fetch):.1f} | {pct(fetch, 95):.1f} | "
          f"{max(fetch):.1f} | |")
    print(f"| API: POST /api/simulate, new scenario | {len(new)} | {statistics.median(new):.1f} | {pct(new, 95):.1f} "
          f"| {max(new):.1f} | |")
    print(f"| API: POST /api/simulate, cached | {len(cached)} | {statistics.median(cached):.1f} | "
          f"{pct(cached, 95):.1f} | {max(cached):.1f} | |")
    print(f"\nmachine: {platform.machine()}, Python {platform.python_version()}")


if __name__ == "__main__":
    sys.exit(main())
