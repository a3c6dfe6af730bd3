"""How it is fitted: multi-start trust-region least squares (``scipy.optimize.least_squares``) on log-scale
parameters within their bounds, and the writer of the fitted parameter file with its provenance."""

from __future__ import annotations

import dataclasses
import datetime as _dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import scipy
from scipy.optimize import least_squares
from scipy.stats import qmc

from .. import __version__, studies
from ..errors import NeuroimmuneError
from ..model.parameters import base_parameters, default_parameters
from .problem import PRIOR_WIDTH_SIGMAS, ROBUST_SCALE, Problem, fit_table, joint_problem
from .store import fit_path, write_fit


@dataclasses.dataclass(frozen=True)
class StartResult:
    """One local optimisation: where it started and ended, its cost and status."""

    start: np.ndarray
    x: np.ndarray
    cost: float
    nfev: int
    message: str


def multistart(problem: Problem, n_starts: int = 4, seed: int = 0, max_nfev: int = 400,
               progress: Callable[[int, StartResult], None] | None = None,
               first: np.ndarray | None = None) -> list[StartResult]:
    """Run ``n_starts`` fits: the first from ``first`` (log values; default the base values), the rest from a
    scrambled Sobol design within the central half of the log bounds. Returns the results sorted by cost (best
    first)."""
    starts = [problem.start if first is None else np.clip(first, problem.lower, problem.upper)]
    if n_starts > 1:
        sampler = qmc.Sobol(d=len(problem.names), scramble=True, seed=seed)
        u = sampler.random(n_starts - 1)
        span = problem.upper - problem.lower
        starts += list(problem.lower + span * (0.25 + 0.5 * u))
    results = []
    for i, x0 in enumerate(starts):
        # x_scale="jac": each log-parameter's step is scaled by its Jacobian column. With a unit scale the trust
        # region stays as small as the stiffest direction allows, and a loosely coupled parameter does not move:
        # the CRP read-out (crp_0, residual 4.3 at the start) stayed where it started through 200 evaluations;
        # scaled, the fit ends on the ftol condition after 173, with crp_0 fitted and the rest as before.
        fit = least_squares(problem.residuals, x0, bounds=(problem.lower, problem.upper), method="trf",
                            x_scale="jac", max_nfev=max_nfev)
        result = StartResult(start=x0, x=fit.x, cost=float(fit.cost), nfev=int(fit.nfev), message=fit.message)
        results.append(result)
        if progress:
            progress(i, result)
    return sorted(results, key=lambda r: r.cost)


def best_values(problem: Problem, result: StartResult) -> dict[str, float]:
    """The fitted free parameters of ``result``, rounded to 6 decimals as the fit files store them."""
    return {name: round(float(v), 6) for name, v in zip(problem.names, np.exp(result.x), strict=True)}


def calibrate(exclude: Sequence[str] = (), n_starts: int = 4, seed: int = 0, max_nfev: int = 400,
              out: Path | None = None, progress: Callable[[int, StartResult], None] | None = None,
              command: str | None = None, from_fit: bool = False) -> dict[str, Any]:
    """Fit the free parameters to every fitted study except ``exclude`` and write the fitted parameter file
    (default: the packaged fit, which the model reads; a fit that leaves studies out must go elsewhere).
    ``from_fit`` starts the first optimisation from the packaged fit instead of the base values (continuing a
    calibration after a change to the model or the studies); the prior stays centred on the base values.

    Returns the provenance written with the values, with the per-study table of fit (``fit_by_study``).
    """
    if exclude and out is None:
        raise NeuroimmuneError(f"out: a fit that leaves out {', '.join(exclude)} must not replace the packaged fit; "
                               "give a file to write (got none)")
    problem = joint_problem(base_parameters(), exclude=exclude)
    start_cost = 0.5 * float(np.sum(problem.residuals(problem.start) ** 2))
    first = None
    if from_fit:
        fitted = default_parameters()
        first = np.log([fitted[name].value for name in problem.names])
    results = multistart(problem, n_starts=n_starts, seed=seed, max_nfev=max_nfev, progress=progress, first=first)
    best = results[0]
    values = best_values(problem, best)
    table = fit_table(problem.studies, {**problem.fixed, **values})
    provenance = {
        "problem": "joint: every study of neuroimmune.studies with fitted=True"
                   + (f", except {', '.join(exclude)}" if exclude else ""),
        "studies": list(problem.studies),
        "excluded": list(exclude),
        "data": [f"{name}: {studies.studies()[name].citation}" for name in problem.studies],
        "objective": "weighted residuals (each study's residuals and scales in neuroimmune.studies.<id>) through a "
                     f"Cauchy loss of scale {ROBUST_SCALE:g} (qualitative studies squared; "
                     "neuroimmune.calibration.problem.through_loss); a weak "
                     "log-normal prior on each free parameter around its documented value (bounds = +/- "
                     f"{PRIOR_WIDTH_SIGMAS / 2:g} sd, neuroimmune.calibration.problem.PRIOR_WIDTH_SIGMAS)",
        "from_fit": from_fit,
        "optimizer": f"scipy.optimize.least_squares (trf, log-parameters, bounds) scipy {scipy.__version__}",
        "starts": n_starts,
        "seed": seed,
        "max_nfev": max_nfev,
        "start_cost": round(start_cost, 6),
        "final_cost": round(best.cost, 6),
        "costs_of_all_starts": [round(r.cost, 6) for r in results],
        "n_residuals": problem.n_residuals,
        "fit_by_study": {f.study: {"n_residuals": f.n_residuals, "cost": round(f.cost, 6),
                                   "rms": round(f.rms, 6)} for f in table},
        "prior_cost": round(0.5 * float(np.sum(problem.prior_residuals(best.x) ** 2)), 6),
        "command": command or "neuroimmune.calibration.optimize.calibrate",
        "neuroimmune_version": __version__,
        "date": _dt.date.today().isoformat(),
    }
    write_fit(out or fit_path("endotoxemia"), values, provenance)
    return provenance
