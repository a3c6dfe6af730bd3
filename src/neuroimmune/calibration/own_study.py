"""A user's own study: a PEtab measurement table fitted with the same optimizer as the packaged studies.

The table is PEtab v1's measurement table (tab-separated; https://petab.readthedocs.io, "Measurement table"):

``observableId``
    a model observable (``tnf``, ``il6``, ``il8``, ``il10``, ``temperature``, ``heart_rate``, ``back_pain``,
    ``fatigue``, ...; see :func:`observable_ids`), or ``ppt_change_<region>`` for one body region;
``simulationConditionId``
    the scenario of the arm: a scenario file ``<id>.yaml`` (or ``.yml``, ``.json``) in the table's folder;
``time``
    hours from the start of the scenario, within its duration;
``measurement``
    the value, in the observable's unit (``neuroimmune observables`` lists them);
``noiseParameters``
    the standard deviation of the measurement error of this value (for a mean of ``n`` people, the standard error
    ``SD / sqrt(n)``), in the same unit: a positive number. PEtab also allows a noise formula in an observable
    table; a single table carries numbers only, so the column is required here.

``preequilibrationConditionId`` and ``observableParameters`` must be empty if present (the model starts from its
own steady state, and its observables take no parameters); ``datasetId`` and ``replicateId`` are kept as labels.
The weighted residual of a row is ``(model - measurement) / noise``, plus the same weak log-normal prior as the
packaged calibration (:data:`neuroimmune.calibration.problem.PRIOR_WIDTH_SIGMAS`); the fit starts from the
packaged fit and keeps every parameter it does not free.

Why not ``petab.v1.get_measurement_df``: the table is read with pandas, the reader it uses, and checked here so
that every error names the row, the column, the rule and the value (the PEtab linter reports problems as log
lines, without stopping at them).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InputError, NeuroimmuneError, UnknownNameError
from ..model import assembly
from ..model.mechanisms import pain
from ..model.parameters import ParameterSet, default_parameters
from ..scenarios import Scenario
from ..studies._base import simulate_arm
from .problem import PRIOR_WIDTH_SIGMAS, Problem

REQUIRED = ("observableId", "simulationConditionId", "time", "measurement", "noiseParameters")
#: Columns PEtab defines that a table here may hold; the first two must be empty.
OPTIONAL = ("preequilibrationConditionId", "observableParameters", "datasetId", "replicateId")
SCENARIO_SUFFIXES = (".yaml", ".yml", ".json")


def observable_ids() -> list[str]:
    """Observable ids a measurement table may use: every scalar observable, and ``ppt_change_<region>``."""
    ids = [o.name for o in assembly.OBSERVABLES if not o.dims]
    ids += [f"ppt_change_{region}" for region in pain.REGIONS]
    return ids


@dataclasses.dataclass(frozen=True)
class Measurements:
    """A checked measurement table: one row per value, and the scenario of each condition."""

    path: Path
    observable: tuple[str, ...]
    condition: tuple[str, ...]
    time: np.ndarray
    value: np.ndarray
    noise: np.ndarray
    scenarios: dict[str, Scenario]

    def __len__(self) -> int:
        return len(self.value)


def read_measurements(path: str | Path) -> Measurements:
    """Read and check a PEtab measurement table; every problem found is reported at once, by row and column."""
    import pandas as pd

    path = Path(path)
    if not path.is_file():
        raise NeuroimmuneError(f"data: must be an existing measurement table (a .tsv file) (got {str(path)!r})")
    try:
        df = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False, comment=None)
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError([("data", "must be a tab-separated PEtab measurement table", f"{path.name}: {exc}")])\
            from None
    missing = [c for c in REQUIRED if c not in df.columns]
    if missing:
        raise InputError([("data", f"must have the PEtab column {c}", list(map(str, df.columns))) for c in missing])
    unknown = [c for c in df.columns if c not in REQUIRED + OPTIONAL]
    if unknown:
        raise UnknownNameError("data: column", unknown[0], list(REQUIRED + OPTIONAL))
    if df.empty:
        raise InputError([("data", "must hold at least one measurement row", str(path.name))])
    problems: list[tuple[str, str, object]] = []
    known = observable_ids()
    scenarios: dict[str, Scenario] = {}
    unresolved: set[str] = set()
    numbers: dict[str, list[float]] = {"time": [], "measurement": [], "noiseParameters": []}
    for i, row in df.iterrows():
        where = f"data row {int(str(i)) + 2}"  # the header is line 1
        obs = row["observableId"].strip()
        if obs not in known:
            problems.append((f"{where} observableId", f"must be one of {', '.join(known)}", obs))
        for col in OPTIONAL[:2]:
            if col in df.columns and row[col].strip():
                problems.append((f"{where} {col}", "must be empty (not supported by this model)", row[col]))
        for col in numbers:
            try:
                x = float(row[col])
            except ValueError:
                problems.append((f"{where} {col}", "must be a number", row[col]))
                x = math.nan
            else:
                if not math.isfinite(x):
                    problems.append((f"{where} {col}", "must be a finite number", row[col]))
                elif col == "noiseParameters" and x <= 0:
                    problems.append((f"{where} {col}", "must be a positive standard deviation", row[col]))
                elif col == "time" and x < 0:
                    problems.append((f"{where} {col}", "must be hours from the start, 0 or more", row[col]))
            numbers[col].append(x)
        cond = row["simulationConditionId"].strip()
        if cond not in scenarios and cond not in unresolved:
            found = _scenario_for(path.parent, cond, f"{where} simulationConditionId", problems)
            if found is None:
                unresolved.add(cond)
            else:
                scenarios[cond] = found
        t = numbers["time"][-1]
        if cond in scenarios and math.isfinite(t) and t > scenarios[cond].duration:
            problems.append((f"{where} time", f"must lie within the scenario's {scenarios[cond].duration:g} h",
                             row["time"]))
    if problems:
        raise InputError(problems)
    return Measurements(path, tuple(df["observableId"].str.strip()), tuple(df["simulationConditionId"].str.strip()),
                        np.array(numbers["time"]), np.array(numbers["measurement"]),
                        np.array(numbers["noiseParameters"]), scenarios)


def _scenario_for(folder: Path, cond: str, field: str, problems: list[tuple[str, str, object]]) -> Scenario | None:
    if not cond or any(c in cond for c in "/\\") or cond.startswith("."):
        problems.append((field, "must be a condition id naming a scenario file in the table's folder", cond))
        return None
    for suffix in SCENARIO_SUFFIXES:
        candidate = folder / f"{cond}{suffix}"
        if candidate.is_file():
            try:
                return Scenario.coerce(candidate)
            except NeuroimmuneError as exc:
                problems.append((field, f"must name a valid scenario ({candidate.name}: {exc})", cond))
                return None
    problems.append((field, f"must name a scenario file {cond}.yaml (or .yml, .json) next to the table", cond))
    return None


def own_problem(data: Measurements, free: Sequence[str] | None = None,
                parameters: ParameterSet | None = None) -> Problem:
    """The calibration problem of ``data`` over the parameters ``free`` (default: the packaged free parameters),
    starting from the packaged fit (``parameters``), with the weak log-normal prior of the packaged problem."""
    ps = parameters or default_parameters()
    names = list(free) if free else [p.name for p in ps.free()]
    if len(set(names)) != len(names):
        raise NeuroimmuneError(f"free: each parameter may be named once (got {names})")
    for name in names:
        if name not in ps:
            raise UnknownNameError("free", name, sorted(ps))
        p = ps[name]
        if not (0 < p.lower < p.upper):
            raise NeuroimmuneError(f"free: {name} must have a positive range to fit on a log scale (bounds "
                                   f"{p.lower} to {p.upper})")
    lower = np.log([ps[n].lower for n in names])
    upper = np.log([ps[n].upper for n in names])
    start = np.clip(np.log([ps[n].value for n in names]), lower, upper)

    def residuals(values: dict[str, float]) -> np.ndarray:
        return (predictions(data, values) - data.value) / data.noise

    return Problem(names=tuple(names), lower=lower, upper=upper, start=start, fixed=ps.values(),
                   residual_fn=residuals, studies=(str(data.path.name),),
                   prior_sigma=(upper - lower) / PRIOR_WIDTH_SIGMAS)


def predictions(data: Measurements, values: dict[str, float]) -> np.ndarray:
    """The model's value for every row of ``data`` at parameter ``values`` (linear interpolation on each
    scenario's output grid, the rule the packaged studies use)."""
    out = np.empty(len(data))
    for cond, scenario in data.scenarios.items():
        obs = simulate_arm(scenario, values)
        for i in np.flatnonzero(np.array(data.condition) == cond):
            name = data.observable[i]
            if name.startswith("ppt_change_"):
                series = np.asarray(obs["ppt_change"])[list(pain.REGIONS).index(name.removeprefix("ppt_change_"))]
            else:
                series = np.asarray(obs[name])
            out[i] = np.interp(data.time[i], obs["time"], series)
    return out


def fit_own_study(path: str | Path, free: Sequence[str] | None = None, *, n_starts: int = 1, seed: int = 0,
                  max_nfev: int = 200, out: str | Path, command: str = "") -> dict[str, Any]:
    """Fit ``free`` to the measurement table at ``path`` and write the fitted-parameter file ``out`` (the fitted
    values, which :func:`neuroimmune.simulate` and ``neuroimmune run --parameters`` apply over the packaged fit).
    Returns the provenance written, with the table of fit per observable."""
    from .optimize import best_values, multistart
    from .store import fingerprint, write_fit

    data = read_measurements(path)
    problem = own_problem(data, free)
    start_cost = 0.5 * float(np.sum(problem.residuals(problem.start) ** 2))
    results = multistart(problem, n_starts=n_starts, seed=seed, max_nfev=max_nfev)
    best = min(results, key=lambda r: r.cost)
    fitted = best_values(problem, best)
    model = predictions(data, {**problem.fixed, **fitted})
    table = {}
    for obs in dict.fromkeys(data.observable):
        rows = np.array(data.observable) == obs
        r = (model[rows] - data.value[rows]) / data.noise[rows]
        table[obs] = {"n": int(rows.sum()), "rms": float(np.sqrt(np.mean(r**2))),
                      "cost": 0.5 * float(np.sum(r**2))}
    provenance = {
        "problem": f"own study: {data.path.name}",
        "data": str(data.path),
        "conditions": {k: v.name or k for k, v in data.scenarios.items()},
        "free": fitted,
        "applies_over": "the packaged fit (model/fitted/endotoxemia.yaml) and parameters.yaml",
        "objective": "weighted least squares (model - measurement) / noiseParameters, plus the packaged weak "
                     f"log-normal prior ({PRIOR_WIDTH_SIGMAS:g} standard deviations across the bounds)",
        "optimizer": f"scipy.optimize.least_squares trf on log values, {n_starts} start(s), seed {seed}, "
                     f"max_nfev {max_nfev}",
        "start_cost": start_cost,
        "final_cost": float(best.cost),
        "fit_by_observable": table,
        "base_fit": fingerprint(default_parameters().values()),
        "command": command,
    }
    write_fit(Path(out), fitted, provenance)
    return provenance
