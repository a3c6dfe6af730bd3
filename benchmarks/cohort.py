"""Virtual cohort throughput and accuracy, against its peers at matched accuracy in the same run.

Ours: ``simulate_cohort`` (the generated numba kernel, every core) at its default tolerance, which is matched to
1e-4 on peaks (``engine.batch.engine.MATCHED_RTOL``), ``--scenario endotoxin`` (2 ng/kg bolus, 48 h, output every
0.1 h) or ``influenza`` (21 days, output every hour), the calibrated inter-individual variability. Reported:
wall time for ``--n`` members, the CPU time per member on one thread (``time.process_time`` over a chunk run
with one numba thread: what a shared machine's load does not inflate), the worst relative peak error of every
observable against the reference solver (Radau, rtol 1e-11) on ``--ref-sample`` members, memory (max RSS),
first-call compile and cache-load times.

Peers, over members of the same cohort, each at the loosest relative tolerance (from 1e-4 down by factors of
about 3) at which its worst peak error against the reference, over ``--tol-sample`` members and the observables
it reports, is at most 1e-4 (matched accuracy):

(a) a loop of SciPy ``solve_ivp`` (RK45, the Dormand-Prince pair, and LSODA), one process;
(b) a loop of libRoadRunner (CVODE) over the exported SBML (``neuroimmune.export``), one RoadRunner per process
    in 2 processes, the member's parameters set before each run;
(c) with the ``benchmark`` extra installed, a loop of AMICI (CVODES) over the same SBML compiled to C++, one
    process (its compile time is reported apart).

Run: ``python benchmarks/cohort.py [--n 100000] [--scenario influenza]``; it prints the Markdown rows for
``benchmarks/README.md``.
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
from neuroimmune import outcomes
from neuroimmune.cohort.members import RunSpec, layout
from neuroimmune.engine.batch import codegen
from neuroimmune.engine.batch.engine import MATCHED_RTOL, method_for
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
ATOL = 1e-8
TOLERANCES = (1e-4, 3e-5, 1e-5, 3e-6, 1e-6, 3e-7, 1e-7, 3e-8, 1e-8)
#: Observables whose peaks the peers are matched on (all that the SBML export carries as named quantities).
PEAKS = ("tnf", "il6", "il8", "il10", "temperature", "heart_rate", "back_pain", "fatigue", "appetite", "mood")


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


def peaks_of(t: np.ndarray, series: dict[str, np.ndarray]) -> dict[str, float]:
    """The peak of each observable in ``series`` (time on the last axis), of its kind (``outcomes.peak_kind``);
    the baseline of an "extreme" one is its first value (the pre-challenge state in these scenarios)."""
    return {k: outcomes.peak(v, t, outcomes.peak_kind(k), baseline=float(v[0]))[0] for k, v in series.items()}


def worst_error(peaks: list[dict[str, float]], ref, members: range) -> float:
    """Worst relative peak error against the reference cohort ``ref`` over ``members`` and the keys given."""
    pairs = zip(peaks, members, strict=True)
    return max(abs(p[k] / float(ref[f"{k}_peak"].values[m]) - 1) for p, m in pairs for k in p)


def scipy_loop(sample, method: str, rtol: float) -> tuple[float, list[dict[str, float]]]:
    """CPU seconds per member for a loop of solve_ivp over ``sample`` (parameter dicts), and their peaks."""
    sc = ni.Scenario.from_dict(SCENARIO)
    solver = SolveIvp(method, rtol=rtol, atol=ATOL)
    out = []
    t0 = time.process_time()
    for params in sample:
        p = resolve_parameters(sc, params)
        t, y = integrate(sc, p, solver)
        values = assembly.observables(y, p)
        out.append(peaks_of(t, {k: np.asarray(values[k]) for k in PEAKS}))
    return (time.process_time() - t0) / len(sample), out


_RR: dict[str, object] = {}


def _rr_member(args: tuple[str, dict[str, float], float, int, float]) -> dict[str, float]:
    import roadrunner

    sbml, params, t_end, points, rtol = args
    rr = _RR.get(sbml)
    if rr is None:
        rr = _RR[sbml] = roadrunner.RoadRunner(sbml)
        rr.integrator.absolute_tolerance = ATOL
        rr.integrator.maximum_num_steps = 100_000
    rr.integrator.relative_tolerance = rtol
    rr.resetAll()
    for name, value in params.items():
        rr[name] = value
    result = rr.simulate(0.0, t_end, points, selections=["time", *PEAKS])
    return peaks_of(result[:, 0], {k: result[:, i + 1] for i, k in enumerate(PEAKS)})


def roadrunner_loop(sample, rtol: float, processes: int = 2) -> tuple[float, list[dict[str, float]]]:
    """Seconds per member (wall time over ``processes`` processes) and the peaks, for libRoadRunner."""
    sbml_path = os.path.join(tempfile.mkdtemp(), "model.xml")
    ni.export(ni.Scenario.from_dict(SCENARIO), "sbml", sbml_path)
    sbml = open(sbml_path).read()
    with mp.get_context("spawn").Pool(processes) as pool:
        t_end = float(SCENARIO["duration"])
        points = int(round(t_end / SCENARIO["output_step"])) + 1
        pool.map(_rr_member, [(sbml, sample[0], t_end, points, rtol)] * processes)  # load the model in each first
        t0 = time.perf_counter()
        peaks = pool.map(_rr_member, [(sbml, p, t_end, points, rtol) for p in sample],
                         chunksize=max(1, len(sample) // (4 * processes)))
        dt = time.perf_counter() - t0
    return dt / len(sample), peaks


class Amici:
    """AMICI (CVODES) on the exported SBML, the model compiled to C++ once (its compile time reported apart),
    simulated member by member in one process; CPU time per member."""

    def __init__(self) -> None:
        import amici
        import amici.sim.sundials

        # wrap the model with the SWIG that AMICI itself was built with (installed beside it), not the system's
        swig = os.path.join(os.path.dirname(sys.executable), "swig")
        if os.path.exists(swig):
            os.environ.setdefault("SWIG", swig)
        folder = tempfile.mkdtemp()
        sbml_path = os.path.join(folder, "model.xml")
        ni.export(ni.Scenario.from_dict(SCENARIO), "sbml", sbml_path)
        name = "neuroimmune_" + re.sub(r"\W", "_", SCENARIO["name"])[:20]
        channels = [amici.MeasurementChannel(id_=f"obs_{k}", formula=k) for k in PEAKS]
        t0 = time.perf_counter()
        amici.SbmlImporter(sbml_path).sbml2amici(name, folder, observation_model=channels, verbose=False,
                                                 generate_sensitivity_code=False)
        self.compile_seconds = time.perf_counter() - t0
        self.model = amici.import_model_module(name, folder).get_model()
        t_end = float(SCENARIO["duration"])
        self.model.set_timepoints(np.linspace(0.0, t_end, int(round(t_end / SCENARIO["output_step"])) + 1))
        # no sensitivities are computed, but AMICI sizes its result for every parameter of the sensitivity list
        # (266 here: 100 ms a member of allocation, against 2 ms of integration); one entry keeps it small
        self.model.set_parameter_list([0])
        self.solver = self.model.create_solver()
        self.solver.set_return_data_reporting_mode(amici.sim.sundials.RDataReporting_observables_likelihood)
        self.solver.set_absolute_tolerance(ATOL)
        self.solver.set_max_steps(100_000)
        self.free = set(self.model.get_free_parameter_ids())
        self.fixed = set(self.model.get_fixed_parameter_ids())

    def loop(self, sample, rtol: float) -> tuple[float, list[dict[str, float]]]:
        from amici.sim.sundials import run_simulation

        self.solver.set_relative_tolerance(rtol)
        out = []
        t0 = time.process_time()
        for params in sample:
            for name, value in params.items():
                if name in self.free:
                    self.model.set_free_parameter_by_id(name, value)
                elif name in self.fixed:
                    self.model.set_fixed_parameter_by_id(name, value)
            r = run_simulation(self.model, self.solver)
            out.append(peaks_of(np.asarray(r.ts), {k: np.asarray(r.y)[:, i] for i, k in enumerate(PEAKS)}))
        return (time.process_time() - t0) / len(sample), out


def matched(run, sample, ref, k: int) -> tuple[float, float, float]:
    """The loosest tolerance of :data:`TOLERANCES` at which ``run(sample[:k], rtol)`` keeps peaks within 1e-4 of
    ``ref``; then ``run`` over the whole sample there: (rtol, seconds per member, worst error on the first k)."""
    for rtol in TOLERANCES:
        _, peaks = run(sample[:k], rtol)
        err = worst_error(peaks, ref, range(k))
        if err <= 1e-4:
            break
    seconds, _ = run(sample, rtol)
    return rtol, seconds, err


def one_thread_us(n: int) -> tuple[float, float]:
    """CPU time per member (us) of the kernel on one numba thread over ``n`` members, and of preparing their
    inputs (process time: a shared machine's load does not count)."""
    import numba

    from neuroimmune.cohort.members import member_inputs
    from neuroimmune.engine.batch.engine import Compiled, allocate, matched_rtol

    sc = ni.Scenario.from_dict(SCENARIO)
    rtol = matched_rtol("compiled", sc.duration)
    spec = RunSpec(sc.to_dict(), n, 0, ni.cohort.Variability.default().to_dict(), {}, "compiled", rtol, ATOL,
                   20_000, 0, SCENARIO["output_step"], n)
    lay = layout(spec.to_json())
    c0 = time.process_time()
    [(_, inputs)] = member_inputs(spec, lay, 0, n)
    prep = time.process_time() - c0
    threads = numba.get_num_threads()
    numba.set_num_threads(1)
    try:
        out = allocate(lay, n, 0)
        c0 = time.process_time()
        Compiled().run(lay, inputs, np.full(n, -1), rtol, ATOL, 20_000, out)
        kernel = time.process_time() - c0
    finally:
        numba.set_num_threads(threads)
    return 1e6 * kernel / n, 1e6 * prep / n


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
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--scenario", choices=sorted(SCENARIOS), default="endotoxin")
    parser.add_argument("--ref-sample", type=int, default=100, help="members checked against the reference solver")
    parser.add_argument("--tol-sample", type=int, default=8, help="members for choosing each peer's tolerance")
    parser.add_argument("--sample", type=int, default=20, help="members for timing the SciPy loops")
    parser.add_argument("--rr-sample", type=int, default=200, help="members for timing libRoadRunner")
    parser.add_argument("--amici-sample", type=int, default=100,
                        help="members for timing AMICI (0: leave AMICI out; it needs the 'benchmark' extra)")
    parser.add_argument("--chunk-size", type=int, default=65_536)
    parser.add_argument("--one-thread", type=int, default=8192, help="members for the one-thread CPU time")
    args = parser.parse_args()
    global SCENARIO
    SCENARIO = SCENARIOS[args.scenario]
    load = os.getloadavg()

    cold, warm = first_call_seconds()
    ni.simulate_cohort(SCENARIO, 64)  # this process: load (or compile) the kernel before timing

    cpu_us, prep_us = one_thread_us(args.one_thread)
    t0 = time.perf_counter()
    ds = ni.simulate_cohort(SCENARIO, args.n, execution={"chunk_size": args.chunk_size})
    wall = time.perf_counter() - t0
    rss_gib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    per_member = wall / args.n
    failed = int((ds["status"] != 0).sum())

    k = min(args.ref_sample, args.n)
    ref = ni.simulate_cohort(SCENARIO, k, tolerances={"engine": "reference"}, execution={"chunk_size": k})
    errors = {}
    for o in assembly.OBSERVABLES:
        a, b = ds[f"{o.name}_peak"].values[:k], ref[f"{o.name}_peak"].values
        errors[o.name] = float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-9)))
    worst = max(errors, key=errors.get)
    sample = [member_parameters(ds, m) for m in range(max(args.sample, args.rr_sample, args.amici_sample,
                                                           args.tol_sample))]
    m = min(args.tol_sample, k)
    rk45 = matched(lambda s, r: scipy_loop(s, "RK45", r), sample[: args.sample], ref, m)
    lsoda = matched(lambda s, r: scipy_loop(s, "LSODA", r), sample[: args.sample], ref, m)
    rr = matched(roadrunner_loop, sample[: args.rr_sample], ref, m)
    peers = [("SciPy solve_ivp RK45, 1 process", rk45, ">= 1000x"), ("SciPy solve_ivp LSODA, 1 process", lsoda,
             ">= 1000x"), ("libRoadRunner CVODE on the SBML, 2 processes", rr, ">= 50x")]
    amici_note = ""
    if args.amici_sample:
        try:
            peer = Amici()
        except ImportError:
            amici_note = "AMICI: not installed (pip install '.[benchmark]')"
        else:
            peers.append(("AMICI CVODES on the SBML, 1 process", matched(peer.loop, sample[: args.amici_sample], ref,
                                                                         m), "(third peer)"))
            amici_note = (f"AMICI: model compiled to C++ in {peer.compile_seconds:.0f} s (once per model, not timed "
                          "above)")

    spec = RunSpec(ni.Scenario.from_dict(SCENARIO).to_dict(), 1, 0, ni.cohort.Variability.default().to_dict(), {},
                   "compiled", 1e-6, ATOL, 20_000, 0, SCENARIO["output_step"], 1)
    ops, calls = flops_per_rhs(layout(spec.to_json()).model.source)
    n_rhs = float(ds["n_rhs"].sum())
    chosen = method_for("compiled", SCENARIO["duration"])
    assert chosen is not None
    method = {0: "Dormand-Prince 5(4)", 1: "ROS34PW2", 2: "Dormand-Prince 5(4) and ROS34PW2 by turns"}[chosen]
    rtol = MATCHED_RTOL[chosen]

    print(f"| members | wall (s) | members/s | one thread: kernel / inputs (us per member, CPU) | 10^6 on 2 cores "
          f"from one-thread CPU (s) | first call: compile / cached (s) | max RSS (GiB) | worst peak error vs "
          f"reference | failed | load average |\n|---|---|---|---|---|---|---|---|---|---|\n"
          f"| {args.n:,} | {wall:.1f} | {args.n / wall:,.0f} | {cpu_us:.1f} / {prep_us:.2f} "
          f"| {(cpu_us + prep_us) / 2:.1f} | {cold:.1f} / {warm:.2f} | {rss_gib:.2f} "
          f"| {errors[worst]:.1e} ({worst}; {k} members, every observable) | {failed} "
          f"| {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} |")
    print("\nworst peak error per observable: " + ", ".join(f"{o} {e:.1e}" for o, e in errors.items()))
    print("\n| peer (per member, same members) | matched rtol (worst peak error) | time (ms) | ours / peer "
          "(wall) | ours / peer (one-thread CPU) | target |\n|---|---|---|---|---|---|")
    for name, (tol, sec, err), target in peers:
        cpu_ratio = sec / (cpu_us * 1e-6) * (2 if "2 processes" in name else 1)  # RoadRunner: wall x processes
        print(f"| {name} | {tol:g} ({err:.1e}) | {sec * 1e3:.3f} | {sec / per_member:,.0f}x | {cpu_ratio:,.0f}x "
              f"| {target} |")
    print(f"\nours: {method} at rtol {rtol:g} (the compiled engine's choice for {SCENARIO['duration']} h); "
          f"{n_rhs / args.n:.0f} right-hand-side evaluations per member; right-hand side {ops} arithmetic "
          f"operations + {calls} exp/log/sqrt")
    if amici_note:
        print(amici_note)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"numba {__import__('numba').__version__}, kernel {codegen.cache_dir()}")


if __name__ == "__main__":
    main()
