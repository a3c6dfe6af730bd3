"""Time one scenario after import, against a SciPy peer in the same run: the packaged default (24 h of
endotoxin; target under 50 ms) and a 21-day influenza (target under 100 ms).

The explorer recomputes a scenario as a slider moves, so ``simulate`` must answer in tens of milliseconds.
Peer: the same right-hand side integrated by ``scipy.integrate.solve_ivp`` (BDF, the same tolerances), the
generic way a user would solve it; the ratio is peer time / our time.

Run: ``python benchmarks/single_run.py [--repeats 30]``; it prints a Markdown table row for the README.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time

import neuroimmune as ni
from neuroimmune.engine.solvers import SolveIvp
from neuroimmune.scenarios import default_scenario


def median_ms(fn, repeats: int) -> float:
    fn()  # warm-up: first call pays for lazy imports and caches
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(1e3 * (time.perf_counter() - t0))
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    cases = [
        ("default 24 h scenario (endotoxin)", default_scenario(), "< 50 ms"),
        ("influenza, 21 days at 1 h", ni.Scenario.from_dict({"challenge": {"kind": "influenza"},
                                                             "duration": "21 days", "output_step": "1 h"}), "< 100 ms"),
    ]
    print("| benchmark | simulate() median (ms) | solve_ivp BDF median (ms) | ratio | Radau rtol 1e-11 (ms) | target |")
    print("|---|---|---|---|---|---|")
    for label, scenario, target in cases:
        ours = median_ms(lambda s=scenario: ni.simulate(s), args.repeats)
        peer = median_ms(lambda s=scenario: ni.simulate(s, solver=SolveIvp("BDF", rtol=1e-7, atol=1e-9)),
                         args.repeats)
        ref = median_ms(lambda s=scenario: ni.simulate(s, solver="reference"), max(3, args.repeats // 10))
        print(f"| {label} | {ours:.1f} | {peer:.1f} | {peer / ours:.1f}x | {ref:.0f} | {target} |")
    print(f"\nmachine: {platform.processor() or platform.machine()}, Python {platform.python_version()}, "
          f"neuroimmune {ni.__version__}")


if __name__ == "__main__":
    main()
