"""Reading fitted parameter files (values plus the provenance of the fit) packaged with the model.

The model reads its fits here; :mod:`neuroimmune.calibration` writes them (``neuroimmune calibrate``), so the
model never imports calibration.
"""

from __future__ import annotations

import dataclasses
from importlib import resources
from pathlib import Path
from typing import Any

from ..io.safe_yaml import load_yaml


@dataclasses.dataclass(frozen=True)
class Fit:
    """A fitted parameter file: ``values`` by name and its ``provenance`` (data, objective, optimizer, cost)."""

    path: Path
    values: dict[str, float]
    provenance: dict[str, Any]


def fit_path(problem: str) -> Path:
    """Where the packaged fit of ``problem`` lives (``model/fitted/<problem>.yaml``)."""
    return Path(str(resources.files(__package__).joinpath("fitted", f"{problem}.yaml")))


def load_fit(problem: str, path: Path | None = None) -> Fit | None:
    """The fit of ``problem``, or None if it has never been calibrated."""
    path = path or fit_path(problem)
    if not path.exists():
        return None
    tree = load_yaml(path.read_bytes(), field=str(path), what="fit file")
    return Fit(path=path, values={k: float(v) for k, v in tree["parameters"].items()}, provenance=tree["provenance"])


@dataclasses.dataclass(frozen=True)
class Posterior:
    """A packaged posterior sample of the free parameters of one calibration problem.

    ``draws`` holds natural (not log) values, one row per draw and one column per name in ``names``; ``provenance``
    holds the sampler, its settings, the convergence diagnostics, the command that regenerates the file and the
    fingerprints of the model, fit and data it belongs to. Written by ``neuroimmune calibrate --posterior``
    (:mod:`neuroimmune.calibration`); read here so the model never imports calibration.
    """

    path: Path
    names: tuple[str, ...]
    draws: Any  # numpy.ndarray, shape (n_draws, len(names))
    provenance: dict[str, Any]

    def sample(self, n: int, seed: int = 0) -> list[dict[str, float]]:
        """``n`` draws (with replacement when ``n`` exceeds the sample), each as a name -> value mapping."""
        import numpy as np

        rng = np.random.default_rng(seed)
        rows = rng.choice(len(self.draws), size=n, replace=n > len(self.draws))
        return [dict(zip(self.names, map(float, self.draws[i]), strict=True)) for i in rows]


def posterior_path(problem: str) -> Path:
    """Where the packaged posterior sample of ``problem`` lives (``model/fitted/<problem>_posterior.nc``)."""
    return Path(str(resources.files(__package__).joinpath("fitted", f"{problem}_posterior.nc")))


def load_posterior(problem: str, path: Path | None = None) -> Posterior | None:
    """The posterior sample of ``problem`` (a NetCDF file with variable ``draws`` over dimensions ``draw`` and
    ``parameter``, and its provenance as a JSON attribute), or None if none has been sampled."""
    import json

    import xarray as xr

    path = path or posterior_path(problem)
    if not path.exists():
        return None
    with xr.open_dataset(path, engine="netcdf4") as ds:
        draws = ds["draws"].values.copy()
        names = tuple(str(n) for n in ds["parameter"].values)
        provenance = json.loads(ds.attrs["provenance"])
    return Posterior(path=path, names=names, draws=draws, provenance=provenance)


def read_parameter_file(path: str | Path, field: str = "parameters") -> dict[str, float]:
    """The values of a fitted-parameter file (``neuroimmune calibrate --data ... --out FILE`` writes one), for
    ``simulate(..., parameters=FILE)`` and the CLI's ``--parameters``; a clear error naming ``field`` if the
    file is missing or is not a fitted-parameter file."""
    from ..errors import InputError

    path = Path(path)
    if not path.is_file():
        raise InputError([(field, "must be an existing fitted-parameter file (YAML)", str(path))])
    tree = load_yaml(path.read_bytes(), field=field, what="fitted-parameter file")
    values = tree.get("parameters") if isinstance(tree, dict) else None
    if not isinstance(values, dict) or not values:
        raise InputError([(field, "must be a fitted-parameter file with a 'parameters' mapping of name: value",
                           str(path))])
    out: dict[str, float] = {}
    bad = []
    for name, value in values.items():
        try:
            out[str(name)] = float(value)
        except (TypeError, ValueError):
            bad.append((f"{field} {path.name}: parameters.{name}", "must be a number", value))
    if bad:
        raise InputError(bad)
    return out
