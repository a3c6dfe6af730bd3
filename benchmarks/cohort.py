"""Virtual cohort throughput, measured against its peers in the same run on the same machine.

Ours: ``simulate_cohort`` (the generated numba kernel, every core), ``--scenario endotoxin`` (2 ng/kg bolus, 48 h,
output every 0.1 h) or ``influenza`` (21 days, output every hour), the calibrated inter-individual variability.
Peers, over a sample of the same members:

(a) a loop of SciPy ``solve_ivp`` (RK45, the same Dormand-Prince pair as ours, and LSODA) at the same tolerances;
(b) a loop of libRoadRunner (CVODE) over the exported SBML (``neuroimmune.export``), one RoadRunner per process
    in 2 processes, at the same tolerances, the member's parameters set before each run.

Also reported: accuracy of the peaks against the reference solver (Radau, rtol 1e-11), compile and cache-load
time, peak memory (max RSS) of the run, the stiffness of the model along the default run, and the achieved
floating-point rate, estimated from the right-hand-side evaluations the kernel counted times the arithmetic
operations in the generated right-hand side, against the machine's peak (cores x clock x double-precision flops
per cycle: 16 with AVX2 FMA, 32 with AVX-512). The compiled engine picks its method by the run's duration
(Dormand-Prince 5(4) for 48 h of endotoxin, the additive pair ARK4(3)6L[2]SA for 21 days of influenza); the
method is printed.

Run: ``python benchmarks/cohort.py [--n 1000000]``; it prints the Markdown rows for ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import platform
import re
import resource
import subprocess
import sys
import tempfile
import time
from types import SimpleNamespace

import numpy as np

import neuroimmune as ni
from neuroimmune.cohort.members import RunSpec, layout
from neuroimmune.engine.batch import codegen
from neuroimmune.engine.batch.engine import ADDITIVE_FROM_HOURS
from neuroimmune.engine.batch.tableaus import ARK_B, ARK_E, DOPRI5_A, DOPRI5_B, real_stability_interval
from neuroimmune.engine.simulate import integrate, resolve_parameters
from neuroimmune.engine.solvers import SolveIvp
from neuroimmune.model import assembly

SCENARIOS = {
    "endotoxin": {"name": "endotoxin 2 ng/kg, 48 h", "challenge": {"kind": "endotoxin", "dose": 2.0}, "duration": 48,
                  "output_step": 0.1},
    "influenza": {"name": "influenza, 21 days", "challenge": {"kind": "influenza"}, "duration": 504,
                  "output_step": 1.0},
}
SCENARIO = SCENARIOS["endotoxin"]  # chosen with --scenario
RTOL, ATOL = 1e-6, 1e-8
PEAKS = ("tnf", "il6", "il8", "il10", "temperature", "heart_rate", "back_pain")


def first_call_seconds() -> tuple[float, float]:
    """First cohort call in a fresh process: with an empty kernel cache (code generation and numba compilation),
    then again in another fresh process with that cache filled (generation and loading the compiled kernel)."""
    code = ("import time, neuroimmune as ni; t = time.perf_counter(); "
            f"ni.simulate_cohort({SCENARIO!r}, 64); print(time.perf_counter() - t)")
    times = []
    with tempfile.TemporaryDirectory() as cache:
        for _ in range(2):
            out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                                 env={**os.environ, "NEUROIMMUNE_CACHE": cache})
            times.append(float(out.stdout.strip().splitlines()[-1]))
    return times[0], times[1]


def member_parameters(ds, m: int) -> dict[str, float]:
    return {name.removeprefix("param_"): float(ds[name].values[m]) for name in ds.data_vars
            if name.startswith("param_")}


def scipy_loop(sample, method: str) -> float:
    """Seconds per member for a loop of solve_ivp over ``sample`` (a list of parameter dicts)."""
    sc = ni.Scenario.from_dict(SCENARIO)
    solver = SolveIvp(method, rtol=RTOL, atol=ATOL)
    t0 = time.perf_counter()
    for params in sample:
        integrate(sc, resolve_parameters(sc, params), solver)
    return (time.perf_counter() - t0) / len(sample)


_RR: dict[str, object] = {}


def _rr_member(args: tuple[str, dict[str, float], float, int]) -> float:
    import roadrunner

    sbml, params, t_end, points = args
    rr = _RR.get("rr")
    if rr is None:
        rr = _RR["rr"] = roadrunner.RoadRunner(sbml)
        rr.integrator.relative_tolerance = RTOL
        rr.integrator.absolute_tolerance = ATOL
        rr.integrator.maximum_num_steps = 100_000
    rr.resetAll()
    for name, value in params.items():
        rr[name] = value
    result = rr.simulate(0.0, t_end, points, selections=["tnf"])
    return float(np.max(result[:, 0]))


def roadrunner_loop(sample, processes: int = 2) -> tuple[float, np.ndarray]:
    """Seconds per member (wall time over ``processes`` processes) and the TNF peaks, for libRoadRunner."""
    sbml_path = os.path.join(tempfile.mkdtemp(), "model.xml")
    ni.export(ni.Scenario.from_dict(SCENARIO), "sbml", sbml_path)
    sbml = open(sbml_path).read()
    with mp.get_context("spawn").Pool(processes) as pool:
        t_end = float(SCENARIO["duration"])
        points = int(round(t_end / SCENARIO["output_step"])) + 1
        pool.map(_rr_member, [(sbml, sample[0], t_end, points)] * processes)  # load the model in each process first
        t0 = time.perf_counter()
        peaks = pool.map(_rr_member, [(sbml, p, t_end, points) for p in sample],
                         chunksize=max(1, len(sample) // (4 * processes)))
        dt = time.perf_counter() - t0
    return dt / len(sample), np.array(peaks)


def flops_per_rhs(source: str) -> tuple[int, int]:
    """Arithmetic operations (+ - * /) and transcendental calls (exp, log, sqrt, pow) per member in the generated
    ``rhs_lanes``."""
    body = source.split("def rhs_lanes(")[1].split("@numba")[0]
    ops = len(re.findall(r" [-+*/] ", body))
    calls = len(re.findall(r"\bv(?:exp|log|sqrt)\(|\*\*", body))
    return ops, calls


def peak_flops() -> tuple[float, str]:
    info = open("/proc/cpuinfo").read()
    mhz = max(float(x) for x in re.findall(r"cpu MHz\s*:\s*([\d.]+)", info))
    per_cycle = 32 if " avx512f" in info else 16 if " fma" in info else 8
    cores = os.cpu_count() or 1
    return cores * mhz * 1e6 * per_cycle, f"{cores} cores x {mhz / 1e3:.2f} GHz x {per_cycle} flop/cycle"


def stiffness() -> float:
    """Largest |eigenvalue| of the Jacobian along the scenario's run (1/h)."""
    sc = ni.Scenario.from_dict(SCENARIO)
    p = resolve_parameters(sc, None)
    t, y = integrate(sc, p, "lsoda")
    rhs = assembly.make_rhs(p)
    u = SimpleNamespace(**dict.fromkeys(assembly.INPUTS, 0.0))
    worst = 0.0
    for k in range(0, len(t), 10):
        y0, n = y[:, k], len(y)
        f0 = np.array(rhs(0.0, y0, u))
        jac = np.empty((n, n))
        for j in range(n):
            h = 1e-7 * max(abs(y0[j]), 1e-3)
            yy = y0.copy()
            yy[j] += h
            jac[:, j] = (np.array(rhs(0.0, yy, u)) - f0) / h
        worst = max(worst, float(np.max(np.abs(np.linalg.eigvals(jac)))))
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--scenario", choices=sorted(SCENARIOS), default="endotoxin")
    parser.add_argument("--sample", type=int, default=20, help="members for the reference and SciPy loops")
    parser.add_argument("--rr-sample", type=int, default=400, help="members for the libRoadRunner loop")
    parser.add_argument("--chunk-size", type=int, default=65_536)
    args = parser.parse_args()
    global SCENARIO
    SCENARIO = SCENARIOS[args.scenario]

    cold, warm = first_call_seconds()
    ni.simulate_cohort(SCENARIO, 64)  # this process: load (or compile) the kernel before timing

    t0 = time.perf_counter()
    ds = ni.simulate_cohort(SCENARIO, args.n, chunk_size=args.chunk_size)
    wall = time.perf_counter() - t0
    rss_gib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    per_member = wall / args.n
    failed = int((ds["status"] != 0).sum())

    k = args.sample
    ref = ni.simulate_cohort(SCENARIO, k, engine="reference", chunk_size=k)
    worst = max(float(np.max(np.abs(ds[f"{o}_peak"].values[:k] / ref[f"{o}_peak"].values - 1))) for o in PEAKS)
    sample = [member_parameters(ds, m) for m in range(max(k, args.rr_sample))]
    rk45 = scipy_loop(sample[:k], "RK45")
    lsoda = scipy_loop(sample[:k], "LSODA")
    rr, rr_peaks = roadrunner_loop(sample[: args.rr_sample])
    rr_err = float(np.max(np.abs(rr_peaks / ds["tnf_peak"].values[: args.rr_sample] - 1)))

    spec = RunSpec(ni.Scenario.from_dict(SCENARIO).to_dict(), 1, 0, ni.cohort.Variability.default().to_dict(), {},
                   "compiled", RTOL, ATOL, 20_000, 0, SCENARIO["output_step"], 1)
    ops, calls = flops_per_rhs(layout(spec.to_json()).model.source)
    n_rhs = float(ds["n_rhs"].sum())
    achieved = n_rhs * ops / wall
    peak, peak_text = peak_flops()
    lam = stiffness()
    long_run = SCENARIO["duration"] >= ADDITIVE_FROM_HOURS
    method = "the additive pair ARK4(3)6L[2]SA" if long_run else "Dormand-Prince 5(4)"
    explicit_limit = real_stability_interval(*((ARK_E, ARK_B) if long_run else (DOPRI5_A, DOPRI5_B)))

    print(f"| members | wall (s) | members/s | per member (us) | first call: compile / cached (s) | max RSS (GiB) "
          f"| worst peak error vs reference | failed |\n|---|---|---|---|---|---|---|---|\n"
          f"| {args.n:,} | {wall:.1f} | {args.n / wall:,.0f} | {per_member * 1e6:.1f} | {cold:.1f} / {warm:.2f} "
          f"| {rss_gib:.2f} | {worst:.1e} ({k} members) | {failed} |")
    print(f"\n| peer (per member, same members) | time (ms) | ours / peer speed-up | target |\n|---|---|---|---|\n"
          f"| SciPy solve_ivp RK45, 1 process | {rk45 * 1e3:.1f} | {rk45 / per_member:,.0f}x | >= 1000x |\n"
          f"| SciPy solve_ivp LSODA, 1 process | {lsoda * 1e3:.1f} | {lsoda / per_member:,.0f}x | >= 1000x |\n"
          f"| libRoadRunner CVODE on the SBML, 2 processes | {rr * 1e3:.3f} | {rr / per_member:,.1f}x | >= 50x |")
    print(f"\nlibRoadRunner TNF peaks agree with ours to {rr_err:.1e} (relative, {args.rr_sample} members)")
    print(f"right-hand side: {ops} arithmetic operations + {calls} exp/log/sqrt; {n_rhs / args.n:.0f} evaluations "
          f"per member; {achieved / 1e9:.2f} GFLOP/s counted (calls not counted) of {peak / 1e9:.0f} GFLOP/s peak "
          f"({peak_text}): {100 * achieved / peak:.2f} %")
    print(f"method: {method} (the compiled engine's choice for {SCENARIO['duration']} h); stiffness: largest "
          f"|eigenvalue| along the default run {lam:.1f} /h, so explicit steps are stable up to "
          f"~{explicit_limit / lam:.2f} h; mean step {SCENARIO['duration'] / (n_rhs / args.n / 6):.2f} h "
          f"(six evaluations a step)")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"numba {__import__('numba').__version__}, kernel {codegen.cache_dir()}")


if __name__ == "__main__":
    main()
