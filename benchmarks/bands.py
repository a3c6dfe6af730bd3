"""Time to bands after a change: one 24 h scenario's people-like-me bands (256 members, every observable, 0.1 h
steps) from a changed control to the shaded range drawn on the explorer's curves (target: under 300 ms), with
the server's part alone and a peer in the same run.

Each change is a new endotoxin dose (a scenario never seen, so nothing is cached). Measured:

* ``page``: Debian's headless Chromium (Playwright) against ``neuroimmune serve`` on loopback; from the input
  event to the first frame after the bands are drawn (``#band-caption[data-ms]``; the page asks for the bands
  right after the curves are drawn, so this includes the curves' own simulation and redraw);
* ``API``: ``POST /api/bands`` from Python against the same server, a new scenario each time, for the
  observables the page draws;
* ``in process``: ``predict`` alone (every observable), and the endpoint's answer (``predict`` and the JSON, for
  the observables the page draws);
* peer: the same 256 members, each simulated by :func:`neuroimmune.simulate` (LSODA, one at a time), quantiles
  taken the same way: what a band costs without the cohort kernel. Fewer repeats (each takes seconds); the
  largest difference of its band from ours is printed too (the two solvers' tolerances).

The cohort kernel is compiled before timing (once per machine; ``neuroimmune run --bands people`` does it).

Run: ``python benchmarks/bands.py [--changes 30] [--peer-repeats 3] [--no-browser]``; prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time

import httpx
import numpy as np

from load import open_explorer, pct, start_server
from neuroimmune import predict, simulate
from neuroimmune.analysis.uncertainty import MEMBERS, member_values, quantiles_over_members
from neuroimmune.scenarios import Scenario
from neuroimmune.web.results import WEB_QUANTILES, bands_json_bytes, canonical

#: The observables the explorer's charts draw, whose bands the page asks for (``app.js``: ``BAND_OBSERVABLES``).
PAGE_OBSERVABLES = ("temperature", "tnf", "il6", "il8", "il10", "back_pain", "fatigue", "appetite", "mood",
                    "viral_load")


def scenario(i: int, offset: float) -> dict:
    return {"challenge": {"kind": "endotoxin", "dose": round(0.7 + offset + 0.0137 * i, 4)}, "duration": 24,
            "output_step": 0.1}


def in_process(changes: int) -> tuple[list[float], list[float]]:
    alone, answer = [], []
    for i in range(changes):
        sc = Scenario.coerce(scenario(i, 0.001))
        t0 = time.perf_counter()
        predict(sc, quantiles=WEB_QUANTILES)
        alone.append(1e3 * (time.perf_counter() - t0))
        sc = Scenario.coerce(scenario(i, 0.002))
        t0 = time.perf_counter()
        bands_json_bytes(canonical(sc), "people", PAGE_OBSERVABLES)
        answer.append(1e3 * (time.perf_counter() - t0))
    return alone, answer


def peer(repeats: int) -> tuple[list[float], float]:
    """A loop of simulate over the band's members; returns the times and the largest difference from predict's
    band relative to each observable's range."""
    times, worst = [], 0.0
    for i in range(repeats):
        sc = Scenario.coerce(scenario(i, 0.003))
        names, values = member_values(sc, "people", MEMBERS, sc.seed or 0)
        t0 = time.perf_counter()
        runs = [simulate(sc, parameters=dict(zip(names, row, strict=True))) for row in values]
        ours = {k: quantiles_over_members(np.stack([r[k].values for r in runs]), WEB_QUANTILES)
                for k in ("tnf", "il6", "temperature", "back_pain", "fatigue")}
        times.append(1e3 * (time.perf_counter() - t0))
        band = predict(sc, quantiles=WEB_QUANTILES)
        for k, v in ours.items():
            span = float(np.ptp(v)) or 1.0
            worst = max(worst, float(np.abs(v - band[k].values).max()) / span)
    return times, worst


def api_times(url: str, changes: int) -> list[float]:
    out = []
    with httpx.Client(timeout=120) as http:
        for i in range(changes):
            t0 = time.perf_counter()
            res = http.post(url + "/api/bands", json={"scenario": scenario(i, 0.004), "uncertainty": "people",
                                                      "observables": list(PAGE_OBSERVABLES)})
            res.raise_for_status()
            out.append(1e3 * (time.perf_counter() - t0))
    return out


def browser_times(url: str, changes: int) -> tuple[list[float], list[float]]:
    from playwright.sync_api import sync_playwright

    bands, curves = [], []
    with sync_playwright() as p:
        browser, page = open_explorer(p, url, 60_000)
        page.wait_for_selector("#band-caption[data-uncertainty=people]", timeout=300_000)
        for i in range(changes):
            before = len(page.evaluate("window.explorer.bandTimings"))
            page.fill("#challenge-dose", f"{0.7 + 0.0137 * i + 0.005:.4f}")
            page.wait_for_function(f"window.explorer.bandTimings.length > {before} && "
                                   "document.querySelector('#band-caption').dataset.uncertainty === 'people'")
            bands.append(float(page.evaluate("window.explorer.bandTimings.at(-1)")))
            curves.append(float(page.get_attribute("#status", "data-ms")))
        browser.close()
    return bands, curves


def row(label: str, values: list[float], target: str = "") -> str:
    return (f"| {label} | {len(values)} | {statistics.median(values):.1f} | {pct(values, 95):.1f} | "
            f"{max(values):.1f} | {target} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--changes", type=int, default=30)
    parser.add_argument("--peer-repeats", type=int, default=3)
    parser.add_argument("--no-browser", action="store_true", help="skip the page and the API over HTTP")
    args = parser.parse_args()
    predict(scenario(0, 0.0))  # compile (first time on this machine) or load the kernel
    load = os.getloadavg()
    alone, answer = in_process(args.changes)
    peer_times, worst = peer(args.peer_repeats)
    page_bands = page_curves = api = []
    if not args.no_browser:
        proc, url = start_server()
        try:
            page_bands, page_curves = browser_times(url, args.changes)
            api = api_times(url, args.changes)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    print("| measured | n | median (ms) | p95 (ms) | max (ms) | target |")
    print("|---|---|---|---|---|---|")
    if page_bands:
        print(row("page: change -> bands drawn (Chromium)", page_bands, "< 300 ms"))
        print(row("of which: change -> curves drawn", page_curves))
        print(row("API: POST /api/bands, new scenario", api))
    print(row("in process: the endpoint's answer (predict + JSON)", answer))
    print(row("in process: predict", alone))
    print(row(f"peer: loop of simulate over the {MEMBERS} members", peer_times))
    ratio = statistics.median(peer_times) / statistics.median(alone)
    print(f"\npeer / predict (medians): {ratio:.0f}x; largest difference of the peer's band from predict's: "
          f"{worst:.1e} of each observable's range")
    print(f"load average at the start (1, 5, 15 min): {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; "
          f"{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}")


if __name__ == "__main__":
    main()
