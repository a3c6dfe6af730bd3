"""Pydantic field types for quantities with units: each accepts a number in the canonical unit or a string
such as ``"2 ng/kg"`` and stores a float in the canonical unit. Each type carries a :class:`Quantity` marker, from
which the catalogue reads the field's unit (:func:`unit_of`)."""

from __future__ import annotations

import dataclasses
import math
import typing
from typing import Annotated, Any

from pydantic import BeforeValidator

from ..units import CANONICAL, UnitProblem, to_canonical


@dataclasses.dataclass(frozen=True)
class Quantity:
    """Marks a field as a physical quantity of ``kind`` (a key of :data:`neuroimmune.units.CANONICAL`)."""

    kind: str

    @property
    def unit(self) -> str:
        """The canonical unit in which the field's float is stored."""
        return CANONICAL[self.kind][0]


def unit_of(annotation: Any) -> str | None:
    """Canonical unit of a field annotated with one of the quantity types (through ``X | None`` too)."""
    if typing.get_origin(annotation) is Annotated:
        for item in typing.get_args(annotation)[1:]:
            if isinstance(item, Quantity):
                return item.unit
    for arg in typing.get_args(annotation):
        unit = unit_of(arg)
        if unit:
            return unit
    return None


def _converter(kind: str):  # type: ignore[no-untyped-def]
    def convert(value: object) -> float:
        try:
            return to_canonical(value, kind)
        except UnitProblem as exc:
            raise ValueError(str(exc)) from None

    return convert


DosePerWeight = Annotated[float, Quantity("dose_per_weight"), BeforeValidator(_converter("dose_per_weight"))]
RatePerWeight = Annotated[float, Quantity("rate_per_weight"), BeforeValidator(_converter("rate_per_weight"))]
Hours = Annotated[float, Quantity("time"), BeforeValidator(_converter("time"))]
Years = Annotated[float, Quantity("age"), BeforeValidator(_converter("age"))]
Kilograms = Annotated[float, Quantity("mass"), BeforeValidator(_converter("mass"))]
Milligrams = Annotated[float, Quantity("drug_mass"), BeforeValidator(_converter("drug_mass"))]
InfectiousDose = Annotated[float, Quantity("infectious_dose"), BeforeValidator(_converter("infectious_dose"))]


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
