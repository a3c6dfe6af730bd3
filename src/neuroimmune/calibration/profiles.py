"""Profile likelihoods of the free parameters and what they say about identifiability.

For each parameter in turn, pyPESTO's profiler (Raue et al. 2009, Bioinformatics 25:1923; Schälte et al. 2023,
Bioinformatics 39:btad711) fixes it at values stepping away from the optimum and re-fits the others
(``scipy.optimize.least_squares`` on the residuals, Jacobian by forward differences of 1e-6 in log values, as in
:func:`~neuroimmune.calibration.posterior.laplace_covariance`), until the likelihood ratio falls below the 95 %
threshold or the walk reaches a bound. pyPESTO is used rather than a hand-written walk because its adaptive step
(a first-order extrapolation of the path with a line search on the target ratio) is the field's reference and
keeps the number of re-fits small.

The profiled objective is the data alone: the studies' weighted residuals divided by the common error scale of
:mod:`neuroimmune.calibration.noise`, without the weak prior. That is the question identifiability asks (what
do the data determine?); with the prior every parameter would look identifiable, because the prior alone crosses
the threshold at 1.96 prior sd, inside the bounds (2 sd). The posterior (:mod:`.posterior`) adds the prior back.

A parameter is *identifiable* when its profile rises past the 95 % threshold (Delta chi^2 = 3.84, one degree of
freedom) on both sides within its bounds; *practically non-identifiable* when it rises but crosses on one side
only, or on neither; *structurally non-identifiable* when the profile is flat, never rising by more than
:data:`FLAT` (a fortieth of the threshold) over the bounds it walked.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from scipy.stats import chi2

#: The 95 % threshold of a profile, in Delta chi^2 (twice the rise of the negative log likelihood).
THRESHOLD = float(chi2.ppf(0.95, 1))
#: A profile that never rises by more than this (Delta chi^2) is flat: structurally non-identifiable.
FLAT = 0.1

KINDS = ("identifiable", "practically non-identifiable", "structurally non-identifiable")


@dataclasses.dataclass(frozen=True)
class Profile:
    """One parameter's profile: log values ``x`` (sorted) and the rise ``delta`` of chi^2 (twice the rise of the
    negative log likelihood) above the optimum at each, the optimum's log value, and the parameter's log bounds."""

    name: str
    x: np.ndarray
    delta: np.ndarray
    optimum: float
    lower: float
    upper: float
    reference: float = 0.0  # the negative log likelihood the rise is measured from (the lowest seen)


@dataclasses.dataclass(frozen=True)
class Identifiability:
    """A parameter's class (one of :data:`KINDS`), the 95 % interval of its log value (a side that does not
    cross ends at the furthest point walked, normally the bound, and is marked open), and the profile's largest
    rise."""

    name: str
    kind: str
    low: float
    high: float
    low_open: bool
    high_open: bool
    max_rise: float

    def record(self) -> dict[str, Any]:
        return {"parameter": self.name, "class": self.kind,
                "low": float(f"{np.exp(self.low):.4g}"), "high": float(f"{np.exp(self.high):.4g}"),
                "low_open": self.low_open, "high_open": self.high_open, "max_delta_chi2": round(self.max_rise, 3)}


def _crossing(x: np.ndarray, delta: np.ndarray, threshold: float) -> float | None:
    """Where the profile first rises through ``threshold`` walking from ``x[0]`` (the optimum) outward, by linear
    interpolation; None if it never does."""
    for i in range(1, len(x)):
        if delta[i] >= threshold > delta[i - 1]:
            f = (threshold - delta[i - 1]) / (delta[i] - delta[i - 1])
            return float(x[i - 1] + f * (x[i] - x[i - 1]))
        if delta[i] >= threshold:
            return float(x[i])
    return None


def classify(profile: Profile, threshold: float = THRESHOLD, flat: float = FLAT) -> Identifiability:
    """The class and 95 % interval of one profile."""
    x, d = np.asarray(profile.x, dtype=float), np.asarray(profile.delta, dtype=float)
    left, right = x <= profile.optimum, x >= profile.optimum
    # walk outward from the optimum on each side
    lx, ld = x[left][::-1], d[left][::-1]
    rx, rd = x[right], d[right]
    low = _crossing(lx, ld, threshold) if lx.size else None
    high = _crossing(rx, rd, threshold) if rx.size else None
    rise = float(np.max(d)) if d.size else 0.0
    if low is not None and high is not None:
        kind = KINDS[0]
    elif rise <= flat:
        kind = KINDS[2]
    else:
        kind = KINDS[1]
    return Identifiability(profile.name, kind, low if low is not None else float(np.min(x)),
                           high if high is not None else float(np.max(x)), low is None, high is None, rise)


class _Cached:
    """Residuals remembered for the last point: pyPESTO asks for the value and the residuals separately."""

    def __init__(self, residuals: Callable[[np.ndarray], np.ndarray]):
        self.residuals = residuals
        self._x: np.ndarray | None = None
        self._r: np.ndarray = np.zeros(0)

    def res(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        if self._x is None or not np.array_equal(x, self._x):
            self._r = np.asarray(self.residuals(x), dtype=float)
            self._x = x.copy()
        return self._r

    def fun(self, x: np.ndarray) -> float:
        r = self.res(x)
        return 0.5 * float(r @ r)


def pypesto_problem(residuals: Callable[[np.ndarray], np.ndarray], lower: np.ndarray, upper: np.ndarray,
                    names: Sequence[str]) -> Any:
    """A pyPESTO problem over log values whose negative log likelihood is half the sum of squares of
    ``residuals``, with the residuals' Jacobian by forward differences of 1e-6."""
    import pypesto

    cached = _Cached(residuals)
    objective = pypesto.objective.FD(pypesto.Objective(fun=cached.fun, res=cached.res), grad=False, hess=False,
                                     sres=True, delta_res=1e-6, method="forward")
    return pypesto.Problem(objective, lb=np.asarray(lower, float), ub=np.asarray(upper, float), x_names=list(names))


def optimizer(max_nfev: int = 60) -> Any:
    import pypesto.optimize

    # a relative cost change of 1e-6 ends a re-fit: finer than any profile needs (1e-6 of chi^2 ~ 60), and the
    # default 1e-8 runs every re-fit to its evaluation limit against the noise of the solver
    return pypesto.optimize.ScipyOptimizer(method="ls_trf", options={"maxfun": max_nfev}, tol=1e-6)


def optimum(problem: Any, start: np.ndarray, max_nfev: int = 200) -> Any:
    """A pyPESTO result holding one local fit from ``start`` (the profiles start there)."""
    import pypesto.optimize

    problem.set_x_guesses([np.clip(np.asarray(start, dtype=float), problem.lb_full, problem.ub_full)])
    return pypesto.optimize.minimize(problem, optimizer=optimizer(max_nfev), n_starts=1, progress_bar=False)


def profiles(problem: Any, result: Any, indices: Sequence[int] | None = None, max_nfev: int = 10,
             max_step: float = 0.5, progress: Callable[[str], None] | None = None,
             min_step: float = 0.03) -> list[Profile]:
    """Profile the parameters ``indices`` (default all) of a pyPESTO ``problem`` from the best fit in ``result``
    until each profile crosses the 95 % threshold or reaches a bound; every re-fit takes at most ``max_nfev``
    evaluations, and a step is at most ``max_step`` in log value."""
    import pypesto.profile

    # steps in log value: at least min_step, at most max_step; the ratio may fall by up to 0.5 between two points
    # (pyPESTO's defaults give about 40 points a profile, each a re-fit of up to 10 finite-difference Jacobians:
    # over 10 minutes a parameter on two shared cores; the class and the crossing need far fewer)
    options = pypesto.profile.ProfileOptions(ratio_min=float(np.exp(-THRESHOLD / 2)) * 0.999,
                                             default_step_size_absolute=2 * min_step, default_step_size_relative=0.0,
                                             min_step_size_absolute=min_step, min_step_size_relative=0.0,
                                             max_step_size_absolute=max_step, max_step_size_relative=0.0,
                                             delta_ratio_max=0.5, step_size_precheck_mode="off")
    indices = list(range(problem.dim)) if indices is None else list(indices)
    paths = []
    for i in indices:
        if progress:
            progress(problem.x_names[i])
        result = pypesto.profile.parameter_profile(problem=problem, result=result, optimizer=optimizer(max_nfev),
                                                   profile_index=[i], profile_options=options, progress_bar=False,
                                                   overwrite=True)
        path = result.profile_result.list[-1][i]
        paths.append((i, np.asarray(path.x_path)[i], np.asarray(path.fval_path, dtype=float)))
    # the reference is the lowest value seen anywhere: a profile that finds a better fit than the optimizer's moves
    # the optimum (and every rise is measured from it)
    best = min([float(result.optimize_result[0].fval)] + [float(np.min(f)) for _, _, f in paths])
    out = []
    for i, x, fval in paths:
        order = np.argsort(x)
        out.append(Profile(problem.x_names[i], x[order], 2.0 * (fval[order] - best), float(x[np.argmin(fval)]),
                           float(problem.lb_full[i]), float(problem.ub_full[i]), best))
    return out


@dataclasses.dataclass(frozen=True)
class ProfileRun:
    """The profiles of the joint problem's free parameters, their classes and intervals, and the provenance."""

    profiles: list[Profile]
    table: list[Identifiability]
    provenance: dict[str, Any]
    fit: dict[str, float]


def joint_profiles(max_nfev: int = 4, command: str | None = None, progress: Callable[[str], None] | None = None,
                   names: Sequence[str] | None = None, max_step: float = 0.5, min_step: float = 0.1) -> ProfileRun:
    """Profile the free parameters ``names`` (default all) of the joint problem (data alone, error scale
    estimated at the packaged fit) from the optimum nearest the packaged fit."""
    import datetime as _dt
    import os
    import time

    import pypesto

    from .. import __version__
    from ..model.parameters import base_parameters, default_parameters
    from .noise import estimate, scaled_residuals
    from .problem import joint_problem
    from .store import fit_record

    began, load = time.monotonic(), os.getloadavg()[0]
    problem = joint_problem(base_parameters())
    fitted = default_parameters()
    x_fit = np.log([fitted[name].value for name in problem.names])
    record = fit_record(problem, {n: fitted[n].value for n in problem.names})
    noise = estimate(problem, x_fit)
    pp = pypesto_problem(lambda x: scaled_residuals(problem, noise, x, prior=False), problem.lower, problem.upper,
                         problem.names)
    result = optimum(pp, x_fit, max_nfev=30)
    indices = None if names is None else [problem.names.index(n) for n in names]
    profs = profiles(pp, result, indices, max_nfev=max_nfev, max_step=max_step, progress=progress, min_step=min_step)
    table = [classify(p) for p in profs]
    best = result.optimize_result[0]
    provenance = {
        "objective": "the studies' weighted residuals through the Cauchy loss (through_loss), divided by the "
                     "common error scale "
                     "(neuroimmune.calibration.noise), without the prior; Delta chi^2 = 2 x rise of half their sum "
                     "of squares",
        "threshold_delta_chi2": round(THRESHOLD, 4),
        "flat_below_delta_chi2": FLAT,
        "noise": noise.describe(),
        "profiler": f"pyPESTO {pypesto.__version__} parameter_profile (adaptive_step_order_1, steps {min_step:g}-"
                    f"{max_step:g} in log value), re-fits by scipy least_squares trf, at most {max_nfev} evaluations "
                    "(each with a forward-difference Jacobian) from pyPESTO's extrapolated start",
        "optimum": {"start": "the packaged fit", "data_chi2_at_packaged_fit": round(2 * noise.data_cost
                                                                                   / noise.scale**2, 4),
                    "chi2": round(2 * float(best.fval), 4),
                    "lowest_chi2_seen_in_the_profiles": round(2 * profs[0].reference, 4) if profs else None,
                    "values": {n: float(f"{v:.6g}") for n, v in zip(problem.names, np.exp(best.x), strict=True)}},
        "fingerprints": record,
        "command": command or "neuroimmune.calibration.profiles.joint_profiles",
        "wall_time_s": round(time.monotonic() - began, 1),
        "load_average_at_start": round(load, 2),
        "neuroimmune_version": __version__,
        "date": _dt.date.today().isoformat(),
    }
    return ProfileRun(profs, table, provenance, {n: float(fitted[n].value) for n in problem.names})


def write(run: ProfileRun, folder: Any) -> list[Any]:
    """Write ``identifiability.csv`` (the table) and ``identifiability.yaml`` (table, profiles and provenance)
    into ``folder``; returns the paths. The figure is drawn by :func:`neuroimmune.plotting.profiles.figure`."""
    import csv
    import io
    from pathlib import Path

    from ..io.atomic import write_text
    from .store import write_record

    folder = Path(folder)
    rows = [t.record() for t in run.table]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    csv_path, yaml_path = folder / "identifiability.csv", folder / "identifiability.yaml"
    folder.mkdir(parents=True, exist_ok=True)
    write_text(buffer.getvalue(), csv_path)
    write_record(yaml_path, {"provenance": run.provenance, "table": rows,
                             "profiles": {p.name: {"log_value": [round(float(v), 5) for v in p.x],
                                                   "delta_chi2": [round(float(v), 4) for v in p.delta],
                                                   "log_bounds": [round(p.lower, 5), round(p.upper, 5)]}
                                          for p in run.profiles}},
                 f"Written by `{run.provenance['command']}`; do not edit by hand, rerun it.")
    return [csv_path, yaml_path]


def interval_end(residuals: Callable[[np.ndarray], np.ndarray], x_opt: np.ndarray, j: int, direction: int,
                 lower: np.ndarray, upper: np.ndarray, cov: np.ndarray, threshold: float = THRESHOLD,
                 refits: int = 5, max_nfev: int = 15, tolerance: float = 0.1) -> tuple[float, bool, int]:
    """Where the profile of parameter ``j`` crosses ``threshold`` on one side (``direction`` +1 or -1) of the
    optimum ``x_opt`` (``residuals`` are scaled: their sum of squares is chi^2), found by re-fits at a few values
    instead of a walk. The first is at the Wald end (1.96 sd of the Laplace covariance ``cov``); each next one is
    where the root of the profile's square root, interpolated linearly between the nearest points below and above
    the threshold (the optimum is the first point below), would be: exact for a quadratic profile, and a bracketing
    search otherwise. Each re-fit starts from the Laplace approximation's conditional mean of the other parameters.
    Returns the log value, whether the side is open (the bound reached below the threshold) and the evaluations
    used. A cheap stand-in for a full profile where many data sets must be profiled
    (benchmarks/interval_coverage.py)."""
    from scipy.optimize import least_squares

    x_opt = np.asarray(x_opt, dtype=float)
    others = np.arange(x_opt.size) != j
    r0 = residuals(x_opt)
    chi2_opt = float(r0 @ r0)
    bound = float(upper[j] if direction > 0 else lower[j])
    inner, outer = (float(x_opt[j]), 0.0), None  # (value, sqrt of the rise) below and above the threshold
    v = float(np.clip(x_opt[j] + direction * 1.96 * np.sqrt(cov[j, j]), lower[j], upper[j]))
    nfev = 1
    root = np.sqrt(threshold)
    for _ in range(refits):
        start = x_opt + cov[:, j] / cov[j, j] * (v - x_opt[j])

        def fixed(z: np.ndarray, v: float = v) -> np.ndarray:
            x = x_opt.copy()
            x[others] = z
            x[j] = v
            return residuals(x)

        z0 = np.clip(start[others], lower[others] + 1e-9, upper[others] - 1e-9)
        fit = least_squares(fixed, z0, bounds=(lower[others], upper[others]), method="trf", max_nfev=max_nfev,
                            diff_step=1e-6)
        nfev += int(fit.nfev) + int(fit.njev or 0) * int(others.sum())
        delta = float(fit.fun @ fit.fun) - chi2_opt
        if abs(delta - threshold) < tolerance:
            return float(v), False, nfev
        if delta < threshold:
            if v == bound:
                return bound, True, nfev
            inner = (v, np.sqrt(max(delta, 0.0)))
        else:
            outer = (v, np.sqrt(delta))
        if outer is None:  # not bracketed yet: extrapolate from the optimum, at least 1.5 times as far
            step = (inner[0] - x_opt[j]) * max(1.5, root / max(inner[1], 1e-3))
            v = float(np.clip(x_opt[j] + step, lower[j], upper[j]))
        else:
            f = (root - inner[1]) / (outer[1] - inner[1])
            v = inner[0] + f * (outer[0] - inner[0])
    return float(outer[0] if outer is not None else v), False, nfev
