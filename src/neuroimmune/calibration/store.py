"""Writing fitted parameter files (values plus the provenance of the fit); the model reads them
(:mod:`neuroimmune.model.fits`)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import yaml

from ..model.fits import fit_path

__all__ = ["fit_path", "write_fit"]


def write_fit(path: Path, values: dict[str, float], provenance: dict[str, Any]) -> None:
    """Write atomically: a temporary file in the same folder renamed over the target, never half-written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "# Written by `neuroimmune calibrate`; do not edit by hand, rerun the command.\n" + yaml.safe_dump(
        {"provenance": provenance, "parameters": {k: float(v) for k, v in values.items()}}, sort_keys=False
    )
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)
