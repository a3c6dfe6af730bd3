"""Unit strings of the model (pint syntax, as in ``parameters.yaml``) to SBML unit definitions.

Each factor of a unit string is read by pint and mapped onto an SBML base unit with a multiplier: ``mL`` is
0.001 litre, ``h`` 3600 second, ``ng`` 1e-9 gram, ``percent`` 0.01 dimensionless, ``delta_degC`` 1 kelvin. SBML's
``item`` counts entities; :data:`COUNT_UNITS` names the model's counted units that pint does not know (cells).

A unit is left undeclared, and the reason returned for a note, where SBML cannot express it: an offset unit
(``degC``: SBML Level 3 has no Celsius, and a kelvin value would differ by 273.15) or a name that neither pint
nor :data:`COUNT_UNITS` knows.
"""

from __future__ import annotations

import re

import libsbml
from pint.util import ParserHelper

from ..units import registry
from ._libsbml import ok

#: Counted entities that pint has no unit for; SBML counts them in ``item``.
COUNT_UNITS = frozenset({"cell", "cells"})

#: SBML base units by pint dimensionality, with the pint unit that has the same size.
_BASE = {
    "[time]": (libsbml.UNIT_KIND_SECOND, "second"),
    "[mass]": (libsbml.UNIT_KIND_GRAM, "gram"),
    "[length] ** 3": (libsbml.UNIT_KIND_LITRE, "liter"),
    "[length]": (libsbml.UNIT_KIND_METRE, "meter"),
    "[temperature]": (libsbml.UNIT_KIND_KELVIN, "kelvin"),
    "[substance]": (libsbml.UNIT_KIND_MOLE, "mole"),
    "dimensionless": (libsbml.UNIT_KIND_DIMENSIONLESS, "dimensionless"),
}


class UnitTable:
    """Unit definitions of one SBML model, created on first use of each unit string."""

    def __init__(self, model: libsbml.Model):
        self.model = model
        self._ids: dict[str, str | None] = {}
        #: Why a unit string could not be expressed, by unit string.
        self.problems: dict[str, str] = {}

    def unit_id(self, unit: str) -> str | None:
        """The SBML id for ``unit`` (a built-in name or a new unitDefinition), or None if SBML cannot express it."""
        unit = unit.strip()
        if unit not in self._ids:
            self._ids[unit] = self._define(unit)
        return self._ids[unit]

    def _define(self, unit: str) -> str | None:
        if unit in ("1", ""):
            return "dimensionless"
        factors = self._factors(unit)
        if factors is None:
            return None
        uid = _sid(unit)
        definition = self.model.createUnitDefinition()
        ok(definition.setId(uid), uid)
        ok(definition.setName(unit), unit)
        for kind, exponent, multiplier in factors:
            u = definition.createUnit()
            ok(u.setKind(kind), unit)
            ok(u.setExponent(exponent), unit)
            ok(u.setScale(0), unit)
            ok(u.setMultiplier(multiplier), unit)
        return uid

    def _factors(self, unit: str) -> list[tuple[int, float, float]] | None:
        ureg = registry()
        try:
            parsed = ParserHelper.from_string(unit)
        except Exception as exc:  # pint raises several types for unreadable text
            self.problems[unit] = f"pint cannot read it ({exc})"
            return None
        factors = []
        scale = float(str(parsed.scale))  # pint types it as any number; a unit string gives a real one
        if scale != 1.0:
            factors.append((libsbml.UNIT_KIND_DIMENSIONLESS, 1.0, scale))
        for name, raw_power in parsed.items():
            power = float(str(raw_power))
            if name in COUNT_UNITS:
                factors.append((libsbml.UNIT_KIND_ITEM, power, 1.0))
                continue
            try:
                q = ureg.Quantity(1.0, name)
                offset = ureg.Quantity(0.0, name).to_base_units().magnitude
            except Exception:  # an unknown name
                self.problems[unit] = f"pint does not know the unit {name!r}"
                return None
            if offset != 0.0:
                self.problems[unit] = (f"{name} is an offset unit; SBML Level 3 has no Celsius-like units, so the "
                                       "value is given in that unit without an SBML unit")
                return None
            base = _BASE.get(str(q.dimensionality))
            if base is None:
                self.problems[unit] = f"SBML has no base unit of dimension {q.dimensionality} ({name})"
                return None
            kind, pint_name = base
            multiplier = float(f"{q.to(pint_name).magnitude:.12g}")  # drop pint's last-digit rounding noise
            factors.append((kind, power, multiplier))
        return factors


def _sid(unit: str) -> str:
    """An SBML id that reads like the unit: ``pg/mL/h/cell`` -> ``pg_per_mL_per_h_per_cell``."""
    text = unit.replace(" ", "").replace("**", "^")
    text = re.sub(r"^1/", "per_", text).replace("/", "_per_").replace("*", "_").replace("^", "_pow_")
    text = re.sub(r"[^A-Za-z0-9_]", "_", text)
    reserved = libsbml.UnitKind_forName(text) != libsbml.UNIT_KIND_INVALID  # base units cannot be redefined
    return f"u_{text}" if reserved or not re.match(r"[A-Za-z_]", text) else text
