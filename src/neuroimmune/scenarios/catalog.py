"""What the model offers, read from the registries: challenge and intervention kinds with their fields, units
and JSON schemas, the host's fields, the body regions and the observables.

Everything here is derived at call time from :data:`neuroimmune.scenarios.CHALLENGES`,
:data:`neuroimmune.scenarios.INTERVENTIONS`, :class:`neuroimmune.scenarios.Host` and the model's observable
table, so a new kind shows up in the explorer and in ``GET /api/kinds`` without changes here.
"""

from __future__ import annotations

import inspect
from typing import Any

from pydantic import BaseModel, ValidationError

from ..model import assembly
from ..model.mechanisms import pain
from .challenges import CHALLENGES
from .host import Host
from .interventions import INTERVENTIONS
from .interventions import evidence as evidence_table
from .quantities import Quantity, unit_of
from .scenario import Scenario, default_scenario


def field_units(model: type[BaseModel]) -> dict[str, str]:
    """Canonical unit of each quantity field of ``model`` (fields typed with the unit-aware quantity types)."""
    units: dict[str, str] = {}
    for name, info in model.model_fields.items():
        unit = unit_of(info.annotation) or next((m.unit for m in info.metadata if isinstance(m, Quantity)), None)
        if unit:
            units[name] = unit
    return units


def example_challenge(kind: str) -> dict[str, Any]:
    """A valid challenge of ``kind``: the kind's own example if its schema has one, the packaged default's
    challenge for its kind, or ``{"kind": kind}`` (every field at its default)."""
    cls = CHALLENGES[kind]
    for example in cls.model_json_schema().get("examples", []) or []:
        if isinstance(example, dict):
            return {"kind": kind, **example}
    default = default_scenario().challenge
    if default is not None and getattr(default, "kind", None) == kind:
        return default.model_dump(mode="json", exclude_none=True)
    return {"kind": kind}


def example_intervention(kind: str) -> dict[str, Any]:
    """A valid intervention of ``kind``: its schema's example, or every field at its default."""
    for example in INTERVENTIONS[kind].model_json_schema().get("examples", []) or []:
        if isinstance(example, dict):
            return {"kind": kind, **example}
    return {"kind": kind}


def evidence(kind: str) -> dict[str, Any]:
    """Evidence of an intervention kind from ``scenarios/evidence.yaml``: grade, sources, what it acts on, the
    published effect and what the model does with it."""
    e = evidence_table().get(kind, {})
    return {"grade": e.get("grade"), "sources": list(e.get("sources", [])), "mechanism": e.get("mechanism"),
            "effect": e.get("effect"), "model_effect": e.get("model_effect")}


def _describe(kind: str, cls: type[BaseModel], example: dict[str, Any]) -> dict[str, Any]:
    try:
        cls.model_validate(example)
        valid = True
    except ValidationError:
        valid = False
    return {
        "kind": kind,
        "title": cls.__name__,
        "description": inspect.cleandoc(cls.__doc__ or "").split("\n\n")[0],
        "schema": cls.model_json_schema(),
        "units": field_units(cls),
        "example": example if valid else None,
    }


def describe_kinds() -> dict[str, Any]:
    """Challenges, interventions (with evidence), host fields, regions and observables, for clients."""
    challenges = [_describe(k, c, example_challenge(k)) for k, c in CHALLENGES.items()]
    interventions = []
    for kind, cls in INTERVENTIONS.items():
        entry = _describe(kind, cls, example_intervention(kind))
        entry["evidence"] = evidence(kind)
        interventions.append(entry)
    observables = [{"name": o.name, "units": o.unit, "long_name": o.long_name, "dims": list(o.dims)}
                   for o in assembly.OBSERVABLES]
    scenario_fields = Scenario.model_fields
    return {
        "challenges": challenges,
        "interventions": interventions,
        "host": {"schema": Host.model_json_schema(), "units": field_units(Host),
                 "default": Host.model_validate({}).model_dump(mode="json")},
        "regions": list(pain.REGIONS),
        "observables": observables,
        "scenario": {"duration_max_h": _bound(scenario_fields["duration"], "le"),
                     "output_step_max_h": _bound(scenario_fields["output_step"], "le")},
    }


def _bound(info: Any, name: str) -> float | None:
    for item in info.metadata:
        if hasattr(item, name):
            return float(getattr(item, name))
    return None
