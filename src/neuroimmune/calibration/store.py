"""Writing fitted parameter files (values plus the provenance of the fit) and other calibration records; the
model reads the fits (:mod:`neuroimmune.model.fits`)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from ..io.atomic import write_text
from ..model.fits import fit_path

__all__ = ["fingerprint", "fit_path", "write_fit", "write_record"]


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
