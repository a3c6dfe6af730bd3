"""Pydantic field types for quantities with units: each accepts a number in the canonical unit or a string
such as ``"2 ng/kg"`` and stores a float in the canonical unit."""

from __future__ import annotations

import math
from typing import Annotated, Any

from pydantic import BeforeValidator

from ..units import CANONICAL, UnitProblem, to_canonical


def _converter(kind: str):  # type: ignore[no-untyped-def]
    def convert(value: object) -> float:
        try:
            return to_canonical(value, kind)
        except UnitProblem as exc:
            raise ValueError(str(exc)) from None

    convert.__doc__ = f"Convert to {CANONICAL[kind][0]}."
    return convert


DosePerWeight = Annotated[float, BeforeValidator(_converter("dose_per_weight"))]
RatePerWeight = Annotated[float, BeforeValidator(_converter("rate_per_weight"))]
Hours = Annotated[float, BeforeValidator(_converter("time"))]
Years = Annotated[float, BeforeValidator(_converter("age"))]
Kilograms = Annotated[float, BeforeValidator(_converter("mass"))]
Milligrams = Annotated[float, BeforeValidator(_converter("drug_mass"))]
InfectiousDose = Annotated[float, BeforeValidator(_converter("infectious_dose"))]


def nonfinite_fields(data: Any, prefix: str = "") -> list[tuple[str, str, object]]:
    """``(field, rule, value)`` for every NaN or infinite float in a nested mapping/list of plain values.

    The scenario checks its whole content with this after validation, so a NaN or infinity in a field without
    bounds (where pydantic accepts it) is refused for every caller.
    """
    problems: list[tuple[str, str, object]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            problems += nonfinite_fields(value, f"{prefix}{key}.")
    elif isinstance(data, list | tuple):
        for i, value in enumerate(data):
            problems += nonfinite_fields(value, f"{prefix}{i}.")
    elif isinstance(data, float) and not math.isfinite(data):
        problems.append((prefix.rstrip("."), "must be a finite number", str(data)))
    return problems
