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
