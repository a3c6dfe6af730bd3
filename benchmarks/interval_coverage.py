"""Coverage of the calibration's 95 % parameter intervals on synthetic data sets drawn from known parameters.

Truth: the packaged fit. Each synthetic data set is the model at the truth plus noise from the noise model: every
observed datum moves by ``s * sigma_i * eps_i`` (``eps ~ N(0, 1)``, ``sigma_i`` the study's own spread, ``s`` the
common error scale estimated at the packaged fit, :mod:`neuroimmune.calibration.noise`). Since every observed
residual is ``(model - datum) / sigma`` on its own scale (linear or log), the synthetic residuals are
``r(x) - r(truth) - s * eps``, with no change to a study module; qualitative (ordinal) residuals stay as they are.

Each set is then treated as real data would be: refitted (``scipy.optimize.least_squares``, data and prior as
``neuroimmune calibrate`` does) from a random start about a posterior sd away from the truth, a draw of the
Laplace normal at the truth (as the posterior's walkers start). A start at the truth itself would centre the
intervals on it by construction: the truth sits on the wall of Suffredini 1999's dose-order penalty, where the
trust region rejects every step the new data ask for, so a refit started there does not move. Then its own
error scale is estimated at the refit, it is refitted again with the scaled residuals (the posterior's density),
and each parameter's 95 % interval is found on the profile of that objective (data + prior: the density the
posterior samples and every band downstream uses) by re-fits at a few values
(:func:`neuroimmune.calibration.profiles.interval_end`: Wald start, then a bracketing search on the profile's
square root). Profiles rather than posteriors because a posterior sample per set would cost about 9,000
evaluations against about 1,000 here. The Wald interval (1.96 Laplace sd at the refit) is reported alongside.

The record is rewritten after every set (``--out``), so a run stopped early keeps what it finished, and a rerun
of the same command resumes after the last finished set (each set draws from its own seed, ``[seed, set]``, so a
resumed run gives the sets an uninterrupted one would).

With ``--processes N`` N sets are computed at once in forked processes (:mod:`neuroimmune.calibration.workers`);
they are recorded in order, so the record is the one a single process writes.

Run: ``python benchmarks/interval_coverage.py --sets 20 [--seed 0] [--processes 2]
[--out benchmarks/interval_coverage.yaml]``;
it prints the Markdown table for ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import platform
import time
from pathlib import Path

import numpy as np
from scipy.optimize import least_squares

from neuroimmune.calibration.noise import estimate, scaled_residuals
from neuroimmune.calibration.posterior import laplace_covariance, log_density_of, start_ball
from neuroimmune.calibration.problem import Problem, joint_problem
from neuroimmune.calibration.profiles import THRESHOLD, interval_end
from neuroimmune.calibration.store import fingerprint, write_record
from neuroimmune.calibration.workers import forked_pool, ordered_map
from neuroimmune.model.parameters import base_parameters, default_parameters


def synthetic(problem: Problem, shift: np.ndarray) -> Problem:
    """The problem with every data residual moved by ``-shift`` (a new data set, same model and prior)."""
    base = problem.residual_fn
    return dataclasses.replace(problem, residual_fn=lambda values: base(values) - shift)


def one_set(problem: Problem, start: np.ndarray, x_true: np.ndarray, shift: np.ndarray, observed: np.ndarray,
            refit_nfev: int, profile_nfev: int) -> dict:
    began = time.monotonic()
    data = synthetic(problem, shift)
    lower, upper = data.lower, data.upper
    first = least_squares(data.residuals, start, bounds=(lower, upper), method="trf", max_nfev=refit_nfev,
                          diff_step=1e-6)
    noise = estimate(data, first.x, observed)

    def res(x: np.ndarray) -> np.ndarray:
        return scaled_residuals(data, noise, x)

    fit = least_squares(res, first.x, bounds=(lower, upper), method="trf", max_nfev=refit_nfev // 2, diff_step=1e-6)
    x_hat = fit.x
    cov = laplace_covariance(res, x_hat)
    sd = np.sqrt(np.diag(cov))
    out = {"error_scale": round(float(noise.scale), 4), "chi2_at_refit": round(float(fit.fun @ fit.fun), 4),
           "start": [round(float(v), 5) for v in start], "parameters": {}}
    evaluations = int(first.nfev + fit.nfev) + 16
    for j, name in enumerate(problem.names):
        low, low_open, n1 = interval_end(res, x_hat, j, -1, lower, upper, cov, max_nfev=profile_nfev)
        high, high_open, n2 = interval_end(res, x_hat, j, +1, lower, upper, cov, max_nfev=profile_nfev)
        evaluations += n1 + n2
        out["parameters"][name] = {
            "truth": round(float(x_true[j]), 5), "estimate": round(float(x_hat[j]), 5),
            "low": round(float(low), 5), "high": round(float(high), 5),
            "low_open": low_open, "high_open": high_open,
            "covered": bool(low <= x_true[j] <= high),
            "wald_covered": bool(abs(x_hat[j] - x_true[j]) <= np.sqrt(THRESHOLD) * sd[j])}
    out["evaluations_about"] = evaluations
    out["wall_s"] = round(time.monotonic() - began, 1)
    return out


def read_record(path: Path) -> dict | None:
    """The record of an earlier run at ``path``, or None where there is none."""
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None


def table(record: dict) -> str:
    sets = record["sets"]
    names = list(sets[0]["parameters"]) if sets else []
    lines = ["| parameter | profile interval covers | Wald interval covers | open side (bound) |", "|---|---|---|---|"]
    total = wald = n = 0
    for name in names:
        cov = sum(s["parameters"][name]["covered"] for s in sets)
        w = sum(s["parameters"][name]["wald_covered"] for s in sets)
        opened = sum(s["parameters"][name]["low_open"] or s["parameters"][name]["high_open"] for s in sets)
        total, wald, n = total + cov, wald + w, n + len(sets)
        lines.append(f"| {name} | {cov}/{len(sets)} | {w}/{len(sets)} | {opened}/{len(sets)} |")
    if n:
        lines.append(f"| **all** | **{total}/{n} ({100 * total / n:.0f} %)** | {wald}/{n} ({100 * wald / n:.0f} %) | |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", type=int, default=20)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--refit-nfev", type=int, default=40, help="iterations of each refit (least_squares max_nfev)")
    ap.add_argument("--profile-nfev", type=int, default=6, help="iterations of each profile re-fit")
    ap.add_argument("--out", type=Path, default=Path("benchmarks/interval_coverage.yaml"))
    ap.add_argument("--processes", type=int, default=1,
                    help="sets computed at once, each in a forked process (the record does not depend on it)")
    args = ap.parse_args()
    began, load = time.monotonic(), os.getloadavg()
    problem = joint_problem(base_parameters())
    fitted = default_parameters()
    x_true = np.log([fitted[n].value for n in problem.names])
    noise = estimate(problem, x_true)
    r_true = problem.residuals(x_true)[: problem.n_data]
    cov_true = laplace_covariance(lambda x: scaled_residuals(problem, noise, x), x_true)
    density = log_density_of(problem, noise)  # the posterior's: where its walkers start, the refits start
    command = (f"python benchmarks/interval_coverage.py --sets {args.sets} --seed {args.seed} --refit-nfev "
               f"{args.refit_nfev} --profile-nfev {args.profile_nfev}")
    record: dict = {"provenance": {
        "command": command, "start": "a draw of the Laplace normal at the truth (scaled data + prior)",
        "truth": "the packaged fit", "truth_fingerprint": fingerprint({n: fitted[n].value for n in problem.names}),
        "error_scale_of_the_noise": round(noise.scale, 4), "interval": "profile of data + prior, 95 %",
        "load_average_at_start": [round(v, 2) for v in load], "machine": f"{os.cpu_count()} cores, "
        f"{platform.machine()}, Python {platform.python_version()}"}, "sets": []}
    earlier = read_record(args.out)
    if earlier and {k: earlier["provenance"].get(k) for k in ("command", "truth_fingerprint", "start")} == {
            k: record["provenance"][k] for k in ("command", "truth_fingerprint", "start")}:
        record["sets"] = earlier["sets"]
        began -= float(earlier["provenance"].get("wall_s", 0.0))
        print(f"resuming after {len(record['sets'])} finished sets of {args.out}", flush=True)
    def one(k: int) -> dict:
        rng = np.random.default_rng([args.seed, k])
        eps = rng.standard_normal(problem.n_data)
        shift = np.where(noise.observed, r_true + noise.scale * eps, 0.0)
        start = start_ball(density, x_true, cov_true, problem.lower, problem.upper, 1, rng)[0]
        return {"set": k, **one_set(problem, start, x_true, shift, noise.observed, args.refit_nfev,
                                    args.profile_nfev)}

    todo = range(len(record["sets"]), args.sets)
    with forked_pool(min(args.processes, len(todo)), one) as pool:
        for done in ordered_map(one, todo, pool):
            k = done["set"]
            record["sets"].append(done)
            record["provenance"]["sets_finished"] = k + 1
            record["provenance"]["wall_s"] = round(time.monotonic() - began, 1)
            write_record(args.out, record, "Written by benchmarks/interval_coverage.py; rerun it rather than edit.")
            covered = sum(p["covered"] for p in done["parameters"].values())
            print(f"set {k + 1}/{args.sets} ({time.strftime('%H:%M:%S')}): {covered}/{len(problem.names)} covered, "
                  f"s = {done['error_scale']}, {done['wall_s']} s", flush=True)
    print(table(record))


if __name__ == "__main__":
    main()
