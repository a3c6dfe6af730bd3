"""Writing fitted parameter files (values plus the provenance of the fit) and other calibration records; the
model reads the fits (:mod:`neuroimmune.model.fits`)."""

from __future__ import annotations

import hashlib
import inspect
import json
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import yaml

from ..io.atomic import write_text
from ..model.fits import fit_path, posterior_path

if TYPE_CHECKING:
    from .problem import Problem

__all__ = ["data_fingerprint", "fingerprint", "fit_path", "fit_record", "posterior_path", "write_fit",
           "write_posterior", "write_record"]


def write_record(path: Path, tree: Mapping[str, Any], header: str) -> None:
    """Write ``tree`` as YAML under a comment ``header``, atomically (:func:`neuroimmune.io.atomic.write_text`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text(f"# {header}\n" + yaml.safe_dump(dict(tree), sort_keys=False), path)


def write_fit(path: Path, values: dict[str, float], provenance: dict[str, Any]) -> None:
    """Write a fitted parameter file (``provenance`` and ``parameters``)."""
    write_record(path, {"provenance": provenance, "parameters": {k: float(v) for k, v in values.items()}},
                 "Written by `neuroimmune calibrate`; do not edit by hand, rerun the command.")


def fingerprint(values: Mapping[str, float]) -> str:
    """A short hash of parameter values (name and value, sorted), to tell fits apart in records."""
    text = json.dumps(sorted((k, float(v)) for k, v in values.items()))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def data_fingerprint(names: Sequence[str]) -> str:
    """A short hash of the data the named studies are fitted to: each study module's source (its published
    numbers, their scales and how residuals are formed live there) and the packaged data files it declares
    (``Study.data``), in the order given."""
    from .. import studies

    h = hashlib.sha256()
    for name in names:
        module = studies.modules()[name]
        h.update(name.encode())
        h.update(inspect.getsource(module).encode())
        for dataset in module.STUDY.data:
            h.update(dataset.encode())
            h.update(resources.files("neuroimmune.data").joinpath(f"{dataset}.csv").read_bytes())
    return h.hexdigest()[:16]


def write_posterior(path: Path, names: Sequence[str], draws: np.ndarray, provenance: Mapping[str, Any],
                    units: Sequence[str] | None = None, log_density: np.ndarray | None = None) -> None:
    """Write a posterior sample as NetCDF (read by :func:`neuroimmune.model.fits.load_posterior`): variable
    ``draws`` (natural values) over dimensions ``draw`` and ``parameter`` (coordinate = ``names``, with their
    ``unit``), the log posterior density of each draw if given, and ``provenance`` as a JSON attribute."""
    import xarray as xr

    from ..io.netcdf import write_netcdf

    draws = np.asarray(draws, dtype=float)
    if draws.ndim != 2 or draws.shape[1] != len(names):
        raise ValueError(f"draws: must have shape (n_draws, {len(names)}) (got {draws.shape})")
    coords: dict[str, Any] = {"parameter": list(names)}
    if units is not None:
        coords["unit"] = ("parameter", list(units))
    data: dict[str, Any] = {"draws": (("draw", "parameter"), draws,
                                      {"long_name": "posterior draws of the free parameters (natural scale)"})}
    if log_density is not None:
        data["log_posterior"] = (("draw",), np.asarray(log_density, dtype=float),
                                 {"long_name": "log posterior density of each draw, up to a constant"})
    ds = xr.Dataset(data, coords=coords, attrs={"provenance": json.dumps(dict(provenance), allow_nan=False),
                                                "written_by": "neuroimmune calibrate --posterior"})
    path.parent.mkdir(parents=True, exist_ok=True)
    write_netcdf(ds, path)


def fit_record(problem: Problem, fit: Mapping[str, float]) -> dict[str, Any]:
    """What identifies the fit, model and data a sample or profile belongs to: fingerprints of the fitted values
    ``fit`` (the free parameters, natural values as the fit file holds them), of every parameter value, of the
    fitted studies' data, of the code of the equations, and the cost of each study at the fit (the model's output
    there: a change of the equations or the solver that moves it shows as a different cost)."""
    from ..engine.compiled import _fingerprint as equations_fingerprint
    from .problem import fit_table

    free = {n: float(fit[n]) for n in problem.names}
    values = {**problem.fixed, **free}
    r = problem.residuals(np.log([free[n] for n in problem.names]))
    return {"fit": fingerprint(free), "parameters": fingerprint(values), "data": data_fingerprint(problem.studies),
            "equations": equations_fingerprint(),
            "cost_at_fit": round(0.5 * float(r @ r), 9),
            "cost_by_study_at_fit": {f.study: round(f.cost, 9) for f in fit_table(problem.studies, values)}}
