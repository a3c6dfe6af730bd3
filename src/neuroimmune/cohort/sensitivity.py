"""Global sensitivity analysis on the cohort engine: a thin adapter onto SALib.

Each parameter is sampled within its bounds from ``parameters.yaml`` (log-uniformly where the lower bound is
positive, since rate constants span orders of magnitude; uniformly otherwise). The design runs as a cohort
(:func:`~neuroimmune.cohort.simulate_cohort` with per-member parameter values, every member the scenario's
host), so it uses the compiled engine, chunking and any scheduler; the output is one per-member summary.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import numpy as np

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


def sobol(scenario: Any, output: str, n: int = 4096, *, parameters: list[str] | None = None, seed: int = 0,
          **cohort: Any) -> SensitivityResult:
    """Sobol first-order and total indices of ``output`` (Saltelli design of ``n * (k + 2)`` runs for ``k``
    parameters; ``n`` a power of 2).

    ``parameters`` defaults to the calibrated (free) parameters; ``["all"]`` takes every parameter with a range.
    ``cohort`` goes to :func:`simulate_cohort` (scheduler, chunk_size, ...).
    """
    from SALib.analyze import sobol as analyze
    from SALib.sample import sobol as sample

    from .run import simulate_cohort

    if output not in output_names():
        raise UnknownNameError("output", output, output_names())
    if isinstance(n, bool) or not isinstance(n, int) or n < 2 or n & (n - 1):
        raise NeuroimmuneError(f"n: must be a power of 2, at least 2, for the Sobol sequence (got {n!r})")
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
    problem, to_values = _problem(list(names))
    x = sample.sample(problem, n, calc_second_order=False, seed=seed)
    values = to_values(x)
    ds = simulate_cohort(scenario, len(values), variability={"parameters": {}, "host": "scenario"}, seed=seed,
                         design=(tuple(names), values), **cohort)
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
    res = analyze.analyze(problem, y, calc_second_order=False, seed=seed + 1)
    return SensitivityResult(output, "sobol", tuple(names), np.asarray(res["S1"]), np.asarray(res["S1_conf"]),
                             np.asarray(res["ST"]), np.asarray(res["ST_conf"]), len(y), int(failed.sum()))


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
