"""Cross-validation: how the model does on studies its fit did not see.

Each cross-validation group (:func:`neuroimmune.studies.groups`: the studies of one cohort of people) is left out
in turn. A group holding a study that informs the joint calibration is refitted without it: the same problem
(:func:`~neuroimmune.calibration.problem.joint_problem` with ``exclude`` = the group), the same optimizer
(:func:`~neuroimmune.calibration.optimize.multistart`) from the same base values as the full calibration, so
nothing of the left-out studies reaches the refit. The group's rows are then predicted with the refit values.
A group with no fitted study needs no refit: its rows are out of sample already and are evaluated with the full
fit (the committed one). In-sample results are every row with the full fit.

Rows flagged in-sample by hand (parameters set from the study outside the joint calibration, e.g. an
intervention's effect) stay so: leaving a group out of the joint fit does not undo that.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import functools
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import scipy

from .. import __version__, studies
from ..errors import NeuroimmuneError
from ..model.fits import load_fit
from ..model.parameters import base_parameters, default_parameters
from ..studies import Row
from .optimize import StartResult, best_values, multistart
from .problem import StudyFit, fit_table, joint_problem
from .store import fingerprint, fit_record, write_record
from .workers import forked_pool, ordered_map


def record_path() -> Path:
    """Where the packaged record of the last full cross-validation lives (``studies/crossval.yaml``)."""
    from importlib import resources

    return Path(str(resources.files(studies.__name__).joinpath("crossval.yaml")))


@dataclasses.dataclass(frozen=True)
class Refit:
    """The joint calibration refitted without one group: the studies left out, the studies whose residuals the
    refit saw, the values it found (every parameter), its cost, and the cost of the full fit on the same
    problem (if the refit's is higher, the optimizer fell short and the out-of-sample rows are pessimistic)."""

    group: str
    left_out: tuple[str, ...]
    problem_studies: tuple[str, ...]
    values: dict[str, float]
    cost: float
    full_fit_cost: float
    nfev: int
    fit_by_study: tuple[StudyFit, ...] = ()


@dataclasses.dataclass(frozen=True)
class StudyResult:
    """One study's rows passed with the full fit (in sample) and with its group's leave-out fit (out of
    sample)."""

    study: str
    group: str
    fitted: bool
    refit: bool
    rows: int
    passed_in_sample: int
    passed_out_of_sample: int


@dataclasses.dataclass(frozen=True)
class CrossValidation:
    """Rows of the evaluated studies with the full fit (``in_sample``) and predicted out of sample
    (``out_of_sample``, same order), and the refits by group."""

    in_sample: list[Row]
    out_of_sample: list[Row]
    refits: dict[str, Refit]
    full_values: dict[str, float]

    def by_study(self) -> list[StudyResult]:
        group_of = {s: g for g, members in studies.groups().items() for s in members}
        fitted = set(studies.fitted())
        out = []
        for name in dict.fromkeys(r.study for r in self.in_sample):
            rin = [r for r in self.in_sample if r.study == name]
            rout = [r for r in self.out_of_sample if r.study == name]
            out.append(StudyResult(name, group_of[name], name in fitted, group_of[name] in self.refits, len(rin),
                                   sum(r.passed for r in rin), sum(r.passed for r in rout)))
        return out

    def totals(self) -> dict[str, float]:
        n = len(self.in_sample)
        passed_in = sum(r.passed for r in self.in_sample)
        passed_out = sum(r.passed for r in self.out_of_sample)
        return {"rows": n, "passed_in_sample": passed_in, "passed_out_of_sample": passed_out,
                "fraction_in_sample": round(passed_in / n, 4) if n else float("nan"),
                "fraction_out_of_sample": round(passed_out / n, 4) if n else float("nan")}

    def changed(self) -> list[tuple[Row, Row]]:
        """Rows whose verdict differs in and out of sample."""
        return [(a, b) for a, b in zip(self.in_sample, self.out_of_sample, strict=True) if a.passed != b.passed]


def refit_without(group: str, n_starts: int = 3, seed: int = 0, max_nfev: int = 400,
                  progress: Callable[[int, StartResult], None] | None = None) -> Refit:
    """The joint calibration without the studies of ``group``, from the base values as the full calibration."""
    left_out = tuple(studies.groups()[group])
    base = base_parameters()
    problem = joint_problem(base, exclude=left_out)
    results = multistart(problem, n_starts=n_starts, seed=seed, max_nfev=max_nfev, progress=progress)
    best = results[0]
    values = {**problem.fixed, **best_values(problem, best)}
    full = default_parameters().values()
    full_x = np.log([full[name] for name in problem.names])
    full_cost = 0.5 * float(np.sum(problem.residuals(full_x) ** 2))
    return Refit(group, left_out, problem.studies, values, best.cost, full_cost, sum(r.nfev for r in results),
                 tuple(fit_table(problem.studies, values)))


def cross_validate(names: Sequence[str] | None = None, n_starts: int = 3, seed: int = 0, max_nfev: int = 400,
                   progress: Callable[[str, int, StartResult], None] | None = None,
                   processes: int = 1, finished: Callable[[Refit], None] | None = None) -> CrossValidation:
    """Rows of the named studies (all by default) in sample (the committed fit) and out of sample (their group's
    leave-out refit where the group holds a fitted study, else the committed fit).

    ``progress`` reports each start of a refit as it ends (one process only); ``finished`` each refit as it ends.
    ``processes`` > 1 runs the refits in that many forked processes; each refit is still one process's serial
    optimisation, so the result does not depend on it."""
    names = studies.select(list(names) if names is not None else None)
    groups = studies.groups()
    group_of = {s: g for g, members in groups.items() for s in members}
    fitted = set(studies.fitted())
    full = default_parameters().values()
    order = list(dict.fromkeys(group_of[name] for name in names))
    to_refit = [g for g in order if fitted & set(groups[g])]
    refits = _refits(to_refit, n_starts, seed, max_nfev, progress, processes, finished)
    in_rows: list[Row] = []
    out_rows: list[Row] = []
    for group in order:
        members = [s for s in groups[group] if s in names]
        rows = studies.validate(members, full)
        in_rows += rows
        out_rows += studies.validate(members, refits[group].values) if group in refits else rows
    return CrossValidation(in_rows, out_rows, refits, full)


def _refits(groups: list[str], n_starts: int, seed: int, max_nfev: int,
            progress: Callable[[str, int, StartResult], None] | None, processes: int,
            finished: Callable[[Refit], None] | None) -> dict[str, Refit]:
    """The leave-out refit of each group, serially (with progress reports) or in ``processes`` forked workers;
    ``finished`` is called with each refit, in the order of ``groups``, as soon as it is done."""
    if processes < 1:
        raise NeuroimmuneError(f"processes: must be at least 1 (got {processes})")

    def serial(group: str) -> Refit:
        report = (lambda i, r: progress(group, i, r)) if progress else None
        return refit_without(group, n_starts, seed, max_nfev, report)

    out = {}
    refit = functools.partial(refit_without, n_starts=n_starts, seed=seed, max_nfev=max_nfev)
    with forked_pool(min(processes, len(groups)), refit) as pool:
        for group, result in zip(groups, ordered_map(refit, groups, pool, serial), strict=True):
            out[group] = result
            if finished:
                finished(result)
    return out


def write(result: CrossValidation, path: Path, command: str, n_starts: int, seed: int, max_nfev: int) -> None:
    """Write a cross-validation's summary with its provenance (the command, the fits' fingerprints)."""
    fit = load_fit("endotoxemia")
    problem = joint_problem(base_parameters())
    tree: dict[str, Any] = {
        "provenance": {
            "command": command,
            "starts": n_starts,
            "seed": seed,
            "max_nfev": max_nfev,
            "full_fit": {"file": f"model/fitted/{fit.path.name}" if fit else "none (base values)",
                         "fingerprint": fingerprint(result.full_values),
                         "fingerprints": fit_record(problem, result.full_values),
                         **({k: fit.provenance.get(k) for k in ("final_cost", "starts", "seed", "date")}
                            if fit else {})},
            "optimizer": f"scipy.optimize.least_squares (trf, log-parameters, bounds) scipy {scipy.__version__}",
            "neuroimmune_version": __version__,
            "date": _dt.date.today().isoformat(),
        },
        "totals": result.totals(),
        "studies": [dataclasses.asdict(s) for s in result.by_study()],
        "refits": {g: {"left_out": list(r.left_out), "studies_fitted": list(r.problem_studies),
                       "cost": round(r.cost, 6), "full_fit_cost_on_this_problem": round(r.full_fit_cost, 6),
                       "nfev": r.nfev, "fingerprint": fingerprint(r.values),
                       "fit_by_study": {f.study: {"n_residuals": f.n_residuals, "cost": round(f.cost, 6),
                                                  "rms": round(f.rms, 6)} for f in r.fit_by_study},
                       "free_values": {k: r.values[k] for k in _free_names()}}
                   for g, r in result.refits.items()},
        "changed": [{"study": a.study, "observable": a.observable, "metric": a.metric, "tolerance": a.tolerance,
                     "data": round(a.data, 6), "in_sample": round(a.model, 6), "out_of_sample": round(b.model, 6),
                     "passed_in_sample": a.passed, "passed_out_of_sample": b.passed}
                    for a, b in result.changed()],
    }
    write_record(path, tree, "Written by `neuroimmune validate --cross-validate`; do not edit by hand, rerun it.")


def _free_names() -> list[str]:
    return [p.name for p in base_parameters().free()]
