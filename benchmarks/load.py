"""Load test of the explorer's HTTP API: N clients on loopback for T seconds, closed loop, and the latency
percentiles and errors they saw.

The server runs as its own process (``neuroimmune serve --port 0``), as a user would start it; the clients are
asyncio tasks sharing one ``httpx.AsyncClient`` in this process. Each client repeats a request drawn from a mix
that resembles people using the explorer: mostly ``POST /api/simulate`` with endotoxin doses and hosts from a
grid of slider positions (so, as with real users, many answers are already cached), plus ``/api/compare``,
``/api/kinds`` and ``/api/health``. ``--unique`` makes every simulate request a scenario never seen before (the
cache never helps: the worst case); ``--think`` adds a pause between a client's requests.
Only loopback is contacted. Every loop is bounded by the duration.

Run: ``python benchmarks/load.py [--clients 50 --seconds 30 --warmup 0 --unique --think 0]``; prints a Markdown
table row.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import statistics
import subprocess
import sys
import time

import httpx

#: Chromium's switches for the explorer benchmarks (headless in a container, no background traffic).
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def open_explorer(playwright, url: str, ready_ms: int):
    """Debian's Chromium on the explorer page at ``url`` (1280 x 900), once the page says it is ready (within
    ``ready_ms``): the browser and the page."""
    browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_FLAGS)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(url + "/")
    page.wait_for_selector("body[data-ready=true]", timeout=ready_ms)
    return browser, page


def start_server(workers: int = 1) -> tuple[subprocess.Popen, str]:
    """Start ``neuroimmune serve`` on a free loopback port; returns the process and its base URL."""
    proc = subprocess.Popen([sys.executable, "-m", "neuroimmune", "serve", "--port", "0", "--workers", str(workers)],
                            stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env={**os.environ, "COLUMNS": "200"})
    line = proc.stdout.readline()  # "neuroimmune explorer on http://127.0.0.1:PORT/ ..."
    url = line.split(" on ", 1)[1].split()[0].rstrip("/")
    if not url.startswith("http://127.0.0.1:"):
        proc.kill()
        raise SystemExit(f"unexpected server output: {line!r}")
    return proc, url


def request_factory(unique: bool, rng: random.Random):
    counter = iter(range(10**9))

    def scenario() -> dict:
        if unique:
            dose = 0.5 + next(counter) * 1e-4
        else:
            dose = rng.choice([0.5 + 0.25 * i for i in range(24)])
        host = {"sex": rng.choice(["male", "female"]), "age": rng.choice([25, 45, 65])}
        return {"challenge": {"kind": "endotoxin", "dose": dose}, "host": host, "duration": 24, "output_step": 0.1}

    def make() -> tuple[str, str, dict | None]:
        r = rng.random()
        if r < 0.75:
            return "simulate", "/api/simulate", scenario()
        if r < 0.85:
            return "compare", "/api/compare", {"scenarios": [scenario(), scenario()]}
        if r < 0.95:
            return "kinds", "/api/kinds", None
        return "health", "/api/health", None

    return make


async def client_loop(http: httpx.AsyncClient, url: str, make, stop: float, think: float, out: list) -> None:
    while time.perf_counter() < stop:
        kind, path, body = make()
        t0 = time.perf_counter()
        try:
            res = await (http.post(url + path, json=body) if body is not None else http.get(url + path))
            ok = res.status_code == 200
            status = res.status_code
        except httpx.HTTPError as exc:
            ok, status = False, type(exc).__name__
        out.append((kind, time.perf_counter() - t0, ok, status))
        if think:
            await asyncio.sleep(think)


async def run(url: str, clients: int, seconds: float, unique: bool, think: float, seed: int) -> list:
    rng = random.Random(seed)
    make = request_factory(unique, rng)
    out: list = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(limits=limits, timeout=30.0) as http:
        await http.get(url + "/api/health")
        stop = time.perf_counter() + seconds
        await asyncio.gather(*(client_loop(http, url, make, stop, think, out) for _ in range(clients)))
    return out


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--unique", action="store_true", help="every simulate request a new scenario (no cache)")
    parser.add_argument("--think", type=float, default=0.0, help="pause between a client's requests, seconds")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2, help="server processes (neuroimmune serve --workers)")
    parser.add_argument("--warmup", type=float, default=0.0,
                        help="seconds of the same load before measuring (fills the cache: a server that has been up)")
    args = parser.parse_args()
    if not 1 <= args.clients <= 500 or not 0 < args.seconds <= 600:
        raise SystemExit("--clients must be 1-500 and --seconds 0-600")
    proc, url = start_server(args.workers)
    try:
        if args.warmup:
            asyncio.run(run(url, args.clients, args.warmup, args.unique, args.think, args.seed + 1))
        out = asyncio.run(run(url, args.clients, args.seconds, args.unique, args.think, args.seed))
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    lat = [1e3 * d for _, d, _, _ in out]
    errors = [s for _, _, ok, s in out if not ok]
    mix = "unique scenarios (no cache)" if args.unique else "explorer mix (slider grid)"
    print("| mix | workers | clients | seconds (+warm-up) | think (s) | requests | req/s | p50 (ms) | p95 (ms) "
          "| p99 (ms) | max (ms) | errors |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    print(f"| {mix} | {args.workers} | {args.clients} | {args.seconds:g} (+{args.warmup:g}) | {args.think:g} | "
          f"{len(out)} | {len(out) / args.seconds:.0f} | "
          f"{statistics.median(lat):.0f} | {pct(lat, 95):.0f} | {pct(lat, 99):.0f} | {max(lat):.0f} | {len(errors)} |")
    by_kind = {}
    for kind, d, _, _ in out:
        by_kind.setdefault(kind, []).append(1e3 * d)
    print("\nper endpoint p99 (ms): " + ", ".join(f"{k} {pct(v, 99):.0f} (n={len(v)})"
                                              for k, v in sorted(by_kind.items())))
    if errors:
        print("errors: " + ", ".join(sorted({str(e) for e in errors})))
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")


if __name__ == "__main__":
    main()
