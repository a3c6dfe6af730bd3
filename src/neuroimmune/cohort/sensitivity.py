"""Global sensitivity analysis on the cohort engine: a thin adapter onto SALib.

Each parameter is sampled within its bounds from ``parameters.yaml`` (log-uniformly where the lower bound is
positive, since rate constants span orders of magnitude; uniformly otherwise). The design runs as a cohort
(:func:`~neuroimmune.cohort.simulate_cohort` with per-member parameter values, every member the scenario's
host), so it uses the compiled engine, chunking and any scheduler; the output is one per-member summary.

Three steps, so that a stored cohort can be analysed again for another output: :func:`sample` (the design),
:func:`run` (the cohort) and :func:`analyse` (the indices); :func:`sobol` chains them.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from typing import Any

import numpy as np
import xarray as xr

from ..engine.batch.codegen import DIM_LABELS
from ..engine.batch.engine import STATUS
from ..errors import NeuroimmuneError, UnknownNameError
from ..io.atomic import write_with
from ..model.parameters import default_parameters

#: The largest fraction of failed runs (status not 0) that an analysis accepts; they take the mean output.
MAX_FAILED = 0.01


@dataclasses.dataclass(frozen=True)
class SensitivityResult:
    """First-order (``S1``) and total (``ST``) Sobol indices with their confidence half-widths, by parameter."""

    output: str
    method: str
    names: tuple[str, ...]
    S1: np.ndarray
    S1_conf: np.ndarray
    ST: np.ndarray
    ST_conf: np.ndarray
    n_runs: int
    n_failed: int

    def ranked(self) -> list[int]:
        """Parameter indices by decreasing total index."""
        return list(np.argsort(-np.nan_to_num(self.ST, nan=-1.0)))


def output_names() -> list[str]:
    """Outputs that can be analysed: every scalar summary, ``<variable>[<label>]`` for the dimensioned ones
    (``ppt_change_peak[lower_back]``), and ``<region>_ppt_min`` for the lowest threshold change of a region."""
    from ..model import assembly

    names = []
    for o in assembly.OBSERVABLES:
        for suffix in ("_peak", "_peak_time", "_auc"):
            if o.dims:
                names += [f"{o.name}{suffix}[{label}]" for label in DIM_LABELS.get(o.dims[0], [])]
            else:
                names.append(o.name + suffix)
    names += ["days_with_fever", "days_with_back_pain", "recovery_day"]
    names += [f"{r}_ppt_min" for r in DIM_LABELS["region"]]
    return names


def select(ds: Any, output: str) -> np.ndarray:
    """The values of ``output`` (a name from :func:`output_names`) for every member of a cohort result."""
    if output not in output_names():
        raise UnknownNameError("output", output, output_names())
    if output.endswith("_ppt_min"):
        return np.asarray(ds["ppt_change_peak"].sel(region=output.removesuffix("_ppt_min")).values, dtype=float)
    if "[" in output:
        var, label = output[:-1].split("[")
        dim = [d for d in ds[var].dims if d != "member"][0]
        return np.asarray(ds[var].sel({dim: label}).values, dtype=float)
    return np.asarray(ds[output].values, dtype=float)


def _problem(names: list[str]) -> tuple[dict[str, Any], Callable[[np.ndarray], np.ndarray]]:
    ps = default_parameters()
    lo = np.array([ps[n].lower for n in names])
    hi = np.array([ps[n].upper for n in names])
    log = lo > 0

    def to_values(x: np.ndarray) -> np.ndarray:
        lin = lo + (hi - lo) * x
        with np.errstate(divide="ignore", invalid="ignore"):
            lg = np.exp(np.log(np.where(log, lo, 1.0)) + x * np.log(np.where(log, hi / np.where(log, lo, 1.0), 1.0)))
        return np.where(log, lg, lin)

    problem = {"num_vars": len(names), "names": list(names), "bounds": [[0.0, 1.0]] * len(names)}
    return problem, to_values


@dataclasses.dataclass(frozen=True)
class Design:
    """A Saltelli design: ``unit`` points in the unit cube (``n * (k + 2)`` rows for ``k`` parameters, in SALib's
    order) and the parameter ``values`` they map to, column by column as ``names``."""

    names: tuple[str, ...]
    unit: np.ndarray
    values: np.ndarray
    seed: int


def sample(n: int = 4096, *, parameters: list[str] | None = None, seed: int = 0) -> Design:
    """Step one of three: the Saltelli design of ``n * (k + 2)`` runs (``n`` a power of 2).

    ``parameters`` defaults to the calibrated (free) parameters; ``["all"]`` takes every parameter with a range.
    """
    from SALib.sample import sobol as saltelli

    if isinstance(n, bool) or not isinstance(n, int) or n < 2 or n & (n - 1):
        raise NeuroimmuneError(f"n: must be a power of 2, at least 2, for the Sobol sequence (got {n!r})")
    names = _names(parameters)
    problem, to_values = _problem(names)
    x = saltelli.sample(problem, n, calc_second_order=False, seed=seed)
    return Design(tuple(names), x, to_values(x), seed)


def run(scenario: Any, design: Design, *, keep: Any = None, tolerances: Any = None,
        execution: Any = None) -> xr.Dataset:
    """Step two: every design point as one cohort member (the scenario's host, no other variability), on the
    cohort engine (:func:`~neuroimmune.cohort.run.simulate_members`; ``keep={"out": path}`` stores it in Zarr,
    resumable). The design's parameter names travel in the result's run spec, so :func:`analyse` can read a
    stored cohort again."""
    from .run import simulate_members

    return simulate_members(scenario, design.names, design.values, variability={"parameters": {}, "host": "scenario"},
                            seed=design.seed, keep=keep, tolerances=tolerances, execution=execution)


def analyse(ds: xr.Dataset, output: str, *, seed: int | None = None) -> SensitivityResult:
    """Step three: first-order and total Sobol indices of ``output`` from a cohort made by :func:`run`
    (in memory, or opened again from its store with :func:`~neuroimmune.cohort.open_cohort`)."""
    from SALib.analyze import sobol as sobol_analysis

    if output not in output_names():
        raise UnknownNameError("output", output, output_names())
    names = list(json.loads(ds.attrs.get("spec", "{}")).get("design") or [])
    if not names:
        raise NeuroimmuneError("ds: must be a cohort run from a sensitivity design (sensitivity.run); this one "
                               "names no design parameters")
    k = len(names)
    n_runs = int(ds.sizes["member"])
    if n_runs % (k + 2):
        raise NeuroimmuneError(f"ds: a Saltelli design of {k} parameters has a multiple of {k + 2} members "
                               f"(got {n_runs})")
    seed = int(ds.attrs.get("seed", 0)) if seed is None else seed
    problem, _ = _problem(names)
    y = select(ds, output)
    failed = ~np.isfinite(y)
    if failed.mean() > MAX_FAILED:
        codes, counts = np.unique(ds["status"].values[failed], return_counts=True)
        why = ", ".join(f"{c} x {STATUS.get(int(k), k)}" for k, c in zip(codes, counts, strict=True))
        raise NeuroimmuneError(f"parameters: at most {MAX_FAILED:.0%} of the runs may fail for the indices to mean "
                               f"something (got {failed.mean():.1%} failed: {why}); narrow the parameters or their "
                               "ranges")
    y = np.where(failed, np.nanmean(y), y)  # the few failed runs take the mean, which shrinks no index
    # seed + 1: SALib treats a seed of 0 as none and bootstraps the intervals from the global NumPy stream
    res = sobol_analysis.analyze(problem, y, calc_second_order=False, seed=seed + 1)
    return SensitivityResult(output, "sobol", tuple(names), np.asarray(res["S1"]), np.asarray(res["S1_conf"]),
                             np.asarray(res["ST"]), np.asarray(res["ST_conf"]), len(y), int(failed.sum()))


def sobol(scenario: Any, output: str, n: int = 4096, *, parameters: list[str] | None = None, seed: int = 0,
          keep: Any = None, tolerances: Any = None, execution: Any = None) -> SensitivityResult:
    """Sobol first-order and total indices of ``output``: :func:`sample`, :func:`run` and :func:`analyse` in one
    call (the cohort settings go to :func:`run`)."""
    if output not in output_names():
        raise UnknownNameError("output", output, output_names())
    design = sample(n, parameters=parameters, seed=seed)
    return analyse(run(scenario, design, keep=keep, tolerances=tolerances, execution=execution), output, seed=seed)


def _names(parameters: list[str] | None) -> list[str]:
    ps = default_parameters()
    if parameters is None:
        names = [p.name for p in ps.free()]
    elif list(parameters) == ["all"]:
        names = [k for k in ps if ps[k].lower < ps[k].upper]
    else:
        names = list(parameters)
    for name in names:
        if name not in ps:
            raise UnknownNameError("parameters", name, sorted(ps))
        if not ps[name].lower < ps[name].upper:
            raise NeuroimmuneError(f"parameters: {name} has no range to sample (bounds {ps[name].lower} to "
                                   f"{ps[name].upper})")
    return names


#: Sensitivity methods by name.
METHODS: dict[str, Callable[..., SensitivityResult]] = {"sobol": sobol}


def bar_chart(result: SensitivityResult, path: str, top: int = 15) -> None:
    """First-order and total indices of the ``top`` parameters with confidence intervals, as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    idx = result.ranked()[:top]
    fig, ax = plt.subplots(figsize=(8, 0.35 * len(idx) + 1.5))
    pos = np.arange(len(idx))
    ax.barh(pos - 0.2, result.ST[idx], 0.4, xerr=result.ST_conf[idx], label="total (ST)")
    ax.barh(pos + 0.2, result.S1[idx], 0.4, xerr=result.S1_conf[idx], label="first order (S1)")
    ax.set_yticks(pos, [result.names[i] for i in idx])
    ax.invert_yaxis()
    ax.set_xlabel("Sobol index (95 % confidence interval)")
    ax.set_title(f"sensitivity of {result.output} ({result.n_runs} runs)")
    ax.legend()
    fig.tight_layout()
    try:
        write_with(lambda tmp: fig.savefig(tmp, dpi=120), path)
    finally:
        plt.close(fig)
