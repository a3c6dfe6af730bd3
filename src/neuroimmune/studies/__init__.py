"""Published human studies, one module each: its packaged data with provenance, the scenarios that reproduce
it, its validate rows with tolerances from its own spread, and (for the studies that inform the fit) its
calibration residuals. ``neuroimmune validate`` and ``neuroimmune calibrate`` compose them.

Adding a study is one module here (with ``STUDY``, ``rows`` and, if it informs the fit, ``residuals``) and, where
it has a table, its data file under :mod:`neuroimmune.data`. Modules are found by name: nothing to register.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from types import ModuleType

from ..errors import UnknownNameError
from ..io.safe_yaml import load_yaml
from ..model.parameters import default_parameters
from ._base import Row, Study


@lru_cache(maxsize=1)
def modules() -> dict[str, ModuleType]:
    """Every study module by id, in alphabetical order."""
    out = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        study: Study = module.STUDY
        if study.id != info.name:
            raise ValueError(f"studies/{info.name}.py declares STUDY.id {study.id!r}; the two must match")
        out[info.name] = module
    return out


def studies() -> dict[str, Study]:
    """Every study's description by id."""
    return {name: m.STUDY for name, m in modules().items()}


def fitted() -> list[str]:
    """Ids of the studies that inform the joint calibration."""
    return [name for name, s in studies().items() if s.fitted]


def groups() -> dict[str, list[str]]:
    """Studies by cross-validation group (studies of one cohort are left out together)."""
    out: dict[str, list[str]] = {}
    for name, s in studies().items():
        out.setdefault(s.group, []).append(name)
    return out


def select(names: list[str] | None) -> list[str]:
    """Study ids, checking that each exists (all when ``names`` is None)."""
    known = list(modules())
    if names is None:
        return known
    for name in names:
        if name not in known:
            raise UnknownNameError("study", name, known)
    return list(names)


def validate(names: list[str] | None = None, values: Mapping[str, float] | None = None) -> list[Row]:
    """Every row of the named studies (all by default) with parameter ``values`` (the committed fit by
    default)."""
    values = dict(values) if values is not None else default_parameters().values()
    return [row for name in select(names) for row in modules()[name].rows(values)]


@lru_cache(maxsize=1)
def known_gaps() -> dict[tuple[str, str, str], str]:
    """Rows known to fail, keyed by (study, observable, metric), with the reason."""
    text = resources.files(__package__).joinpath("known_gaps.yaml").read_text(encoding="utf-8")
    gaps = load_yaml(text, field="known_gaps.yaml", what="known gaps") or []
    return {(g["study"], g["observable"], g["metric"]): g["why"] for g in gaps}


def is_known_gap(row: Row) -> bool:
    """True if ``row`` is listed in ``known_gaps.yaml``."""
    return (row.study, row.observable, row.metric) in known_gaps()


__all__ = ["Row", "Study", "fitted", "groups", "is_known_gap", "known_gaps", "modules", "select", "studies",
           "validate"]
