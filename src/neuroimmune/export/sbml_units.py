"""Units in the SBML document: pint quantities to SBML unit definitions, and the units of every expression.

Unit strings (pint syntax, as in ``parameters.yaml``) are read by pint into a *unit quantity*: a pint quantity
whose magnitude is the unit's scale (``1e6/mL`` is ``1e6 / milliliter``). Products, quotients and numeric
powers of them are then exact, and two units are the same when their quotient is dimensionless 1.

:class:`UnitTable` writes each distinct unit once as an SBML ``unitDefinition``: ``mL`` is 0.001 litre, ``h``
3600 second, ``ng`` 1e-9 gram, ``percent`` 0.01 dimensionless. SBML's ``item`` counts entities (``cell``).

:class:`UnitInference` gives every sub-expression of the model its unit, so that each literal number in the
exported math can carry an ``sbml:units`` attribute and libSBML can check every equation:

* symbols (states, parameters, inputs) have declared units; time is in hours;
* a sum has the unit of its terms, which must agree; a product multiplies units; a number to a numeric power
  raises it; a power with a symbolic exponent, ``exp`` and ``log`` need a dimensionless argument;
* a literal number takes the unit that its place requires: in ``x + 1`` the unit of ``x``; in a product, the
  unit needed to give the product the unit its place requires (``100 * f`` as ``percent``, the ``1e6`` in
  ``B * 1e6`` as ``mL / 1e6`` so that the count per mL is dimensionless inside the logarithm);
* symbols whose unit is not declared (the inputs that events switch) take the unit their place requires, the
  same at every place;
* inside a logarithm, a dimensioned symbol means its value in its declared unit (``log10(V + 1)`` with ``V`` in
  1/mL): it is written ``V * 1 mL`` so that the argument is dimensionless.

A sum of terms with different units, or a power or exponential of a dimensioned quantity, is an error in the
model's declarations: :class:`SbmlUnitError` names the expression and the units.

Temperature: pint and SBML Level 3 have no unit for a value on the Celsius scale (an offset unit). The model's
``degC`` values enter the equations only through differences (``T - T_0``, a set point relaxing to ``T``) and
sums with ``delta_degC`` amounts, so they are declared with the *size* of a degree Celsius, one kelvin (the
unit definition ``degC``, named so); each such parameter's notes say that its value is on the Celsius scale.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, cast

import libsbml
import pint
import sympy

from ..model.symbolic import TIME
from ._libsbml import SbmlValidationError, ok

#: Counted entities that pint has no unit for; SBML counts them in ``item``.
COUNT_UNITS = ("cell",)

#: Unit strings of values on the Celsius scale; declared with the size of a degree (see the module docstring).
CELSIUS = ("degC",)

#: SBML unit kinds of pint's base units (pint's base mass is the kilogram).
_KINDS = {
    "kilogram": libsbml.UNIT_KIND_KILOGRAM,
    "meter": libsbml.UNIT_KIND_METRE,
    "second": libsbml.UNIT_KIND_SECOND,
    "kelvin": libsbml.UNIT_KIND_KELVIN,
    "mole": libsbml.UNIT_KIND_MOLE,
    "cell": libsbml.UNIT_KIND_ITEM,
}

#: SBML base units for readable definitions of declared unit strings, by pint dimensionality.
_READABLE = {
    "[time]": (libsbml.UNIT_KIND_SECOND, "second"),
    "[mass]": (libsbml.UNIT_KIND_GRAM, "gram"),
    "[length] ** 3": (libsbml.UNIT_KIND_LITRE, "liter"),
    "[length]": (libsbml.UNIT_KIND_METRE, "meter"),
    "[temperature]": (libsbml.UNIT_KIND_KELVIN, "kelvin"),
    "[substance]": (libsbml.UNIT_KIND_MOLE, "mole"),
    "[cell]": (libsbml.UNIT_KIND_ITEM, "cell"),
}


class SbmlUnitError(SbmlValidationError):
    """The model's declared units do not fit one of its equations; the message names the expression."""


@lru_cache(maxsize=1)
def ureg() -> pint.UnitRegistry:
    """A unit registry for the export (counted cells added); separate from the scenario parser's registry."""
    reg: pint.UnitRegistry = pint.UnitRegistry()
    reg.define("cell = [cell]")
    return reg


def quantity(unit: str) -> pint.Quantity:
    """The unit quantity of a unit string (``"1"`` and ``""`` are dimensionless; ``degC`` has a degree's size)."""
    text = unit.strip()
    for name in CELSIUS:
        text = re.sub(rf"\b{name}\b", "delta_degC", text)
    if text in ("", "1"):
        return ureg().Quantity(1.0, "dimensionless")
    return ureg().Quantity(text)


def dimensionless() -> pint.Quantity:
    """The dimensionless unit quantity 1."""
    return ureg().Quantity(1.0, "dimensionless")


def same(a: pint.Quantity, b: pint.Quantity) -> bool:
    """Whether two unit quantities are the same unit (same dimension and scale, to 1e-9)."""
    ratio = (a / b).to_base_units()
    return bool(ratio.dimensionless) and math.isclose(_magnitude(ratio), 1.0, rel_tol=1e-9)


def _magnitude(q: Any) -> float:
    """A unit quantity's magnitude as a float (pint types magnitudes as any number)."""
    return float(cast(float, q.magnitude))


def describe(q: pint.Quantity) -> str:
    """A unit quantity as text, e.g. ``1e-06 mL`` or ``pg / mL / h``."""
    text = f"{q.units:~C}" or "1"
    return text if math.isclose(_magnitude(q), 1.0, rel_tol=1e-12) else f"{_magnitude(q):g} {text}"


def _key(q: pint.Quantity) -> tuple[Any, ...]:
    base = q.to_base_units()
    dims = tuple(sorted((str(name), float(cast(float, power))) for name, power in base._units.items()))
    return dims, float(f"{_magnitude(base):.12g}")


class UnitTable:
    """Unit definitions of one SBML model, created on first use of each distinct unit."""

    def __init__(self, model: libsbml.Model):
        self.model = model
        self._ids: dict[tuple[Any, ...], str] = {}
        self._names: dict[str, str] = {}

    def unit_id(self, unit: str | pint.Quantity) -> str:
        """The SBML id of ``unit`` (a unit string or a unit quantity), defining it on first use."""
        q = quantity(unit) if isinstance(unit, str) else unit
        key = _key(q)
        if key in self._ids:
            return self._ids[key]
        if q.to_base_units().dimensionless and math.isclose(_magnitude(q.to_base_units()), 1.0, rel_tol=1e-12):
            uid = "dimensionless"
        else:
            text = unit.strip() if isinstance(unit, str) else describe(q)
            uid = self._define(text, q)
        self._ids[key] = uid
        return uid

    def _define(self, text: str, q: pint.Quantity) -> str:
        uid = _sid(text)
        n = 2
        while uid in self._names:
            uid, n = f"{_sid(text)}_{n}", n + 1
        self._names[uid] = text
        definition = self.model.createUnitDefinition()
        ok(definition.setId(uid), uid)
        name = "degree Celsius (size of one degree)" if text in CELSIUS else text
        ok(definition.setName(name), text)
        for kind, exponent, multiplier in _readable_factors(text) or _base_factors(q):
            u = definition.createUnit()
            ok(u.setKind(kind), text)
            ok(u.setExponent(exponent), text)
            ok(u.setScale(0), text)
            ok(u.setMultiplier(multiplier), text)
        return uid


def _readable_factors(text: str) -> list[tuple[int, float, float]] | None:
    """Factors of a declared unit string, each name mapped to the SBML unit of its own kind (mL as litre)."""
    if text in CELSIUS:
        return [(libsbml.UNIT_KIND_KELVIN, 1.0, 1.0)]
    try:
        parsed = pint.util.ParserHelper.from_string(text)
    except Exception:  # pint raises several types for text that is not a unit string
        return None
    factors = []
    scale = float(str(parsed.scale))
    if scale != 1.0:
        factors.append((libsbml.UNIT_KIND_DIMENSIONLESS, 1.0, scale))
    for name, raw_power in parsed.items():
        power = float(str(raw_power))
        try:
            q = quantity(name)
        except Exception:  # not a unit name pint knows
            return None
        if q.to_base_units().dimensionless:
            scale = float(f"{_magnitude(q.to('dimensionless')):.12g}")
            factors.append((libsbml.UNIT_KIND_DIMENSIONLESS, power, scale))
            continue
        base = _READABLE.get(str(q.dimensionality))
        if base is None:
            return None
        kind, pint_name = base
        factors.append((kind, power, float(f"{q.to(pint_name).magnitude:.12g}")))
    return factors


def _base_factors(q: pint.Quantity) -> list[tuple[int, float, float]]:
    """Factors of any unit quantity in SBML base kinds, its scale as a dimensionless multiplier."""
    base = q.to_base_units()
    factors = [(_KINDS[str(name)], float(cast(float, power)), 1.0) for name, power in base._units.items()]
    scale = float(f"{_magnitude(base):.12g}")
    if scale != 1.0 or not factors:
        factors.append((libsbml.UNIT_KIND_DIMENSIONLESS, 1.0, scale))
    return factors


def _sid(unit: str) -> str:
    """An SBML id that reads like the unit: ``pg/mL/h/cell`` -> ``pg_per_mL_per_h_per_cell``."""
    text = unit.replace(" ", "").replace("**", "^")
    text = re.sub(r"^1/", "per_", text).replace("/", "_per_").replace("*", "_").replace("^", "_pow_")
    text = re.sub(r"[^A-Za-z0-9_]", "_", text).strip("_") or "unit"
    reserved = libsbml.UnitKind_forName(text) != libsbml.UNIT_KIND_INVALID  # base units cannot be redefined
    return f"u_{text}" if reserved or not re.match(r"[A-Za-z_]", text) else text


# -- units of expressions -------------------------------------------------------------------------------------

@dataclass
class UnitInference:
    """The unit of every sub-expression of the model (see the module docstring).

    Parameters
    ----------
    declared
        Unit quantity of every symbol with a declared unit, by name.
    open_symbols
        Names whose unit is found from the places they appear (inputs switched by events); after the
        expressions have been seen (:meth:`require`), :attr:`found` holds their units.
    """

    declared: dict[str, pint.Quantity]
    open_symbols: set[str] = field(default_factory=set)
    found: dict[str, pint.Quantity] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._cache: dict[sympy.Basic, pint.Quantity | None] = {}

    def symbol_unit(self, name: str) -> pint.Quantity | None:
        """The unit of a symbol: declared, found from its places, or None while still open."""
        if name in self.declared:
            return self.declared[name]
        if name in self.found:
            return self.found[name]
        if name in self.open_symbols:
            return None
        raise SbmlUnitError(f"units: the symbol {name!r} has no declared unit")

    def unit_of(self, expr: sympy.Basic) -> pint.Quantity | None:
        """The unit of ``expr`` from its symbols alone, or None where it depends on a literal's place."""
        if expr in self._cache:
            return self._cache[expr]
        out = self._unit_of(expr)
        if out is not None or not any(s.name in self.open_symbols for s in expr.free_symbols):
            self._cache[expr] = out  # an open symbol's unit may still be found: no cached None for it
        return out

    def natural(self, expr: sympy.Basic) -> pint.Quantity | None:
        """The unit of ``expr`` with each literal factor of a product taken as a pure number (``(x + |x|) * 0.5``
        has the unit of ``x``), or None for a literal on its own."""
        if isinstance(expr, sympy.Mul):
            out = dimensionless()
            for arg in expr.args:
                if isinstance(arg, sympy.Number):
                    continue
                unit = self.natural(arg)
                if unit is None:
                    return None
                out = out * unit
            return out
        if isinstance(expr, sympy.Add | sympy.Piecewise):
            values = expr.args if isinstance(expr, sympy.Add) else [value for value, _ in expr.args]
            return next((u for u in map(self.natural, values) if u is not None), None)
        if isinstance(expr, sympy.Pow) and isinstance(expr.args[1], sympy.Number):
            unit = self.natural(expr.args[0])
            return None if unit is None else unit ** float(expr.args[1])
        return self.unit_of(expr)

    def _unit_of(self, expr: sympy.Basic) -> pint.Quantity | None:
        if expr == TIME:
            return quantity("h")
        if isinstance(expr, sympy.Symbol):
            return self.symbol_unit(expr.name)
        if isinstance(expr, sympy.Number):
            return None
        if isinstance(expr, sympy.Add | sympy.Piecewise):
            values = expr.args if isinstance(expr, sympy.Add) else [value for value, _ in expr.args]
            for arg in values:
                unit = self.unit_of(arg)
                if unit is not None:
                    return unit
            return None
        if isinstance(expr, sympy.Mul):
            out = dimensionless()
            for arg in expr.args:
                if arg == -1:
                    continue
                unit = self.unit_of(arg)
                if unit is None:
                    return None
                out = out * unit
            return out
        if isinstance(expr, sympy.Pow):
            base, exponent = expr.args
            if isinstance(exponent, sympy.Number):
                unit = self.unit_of(base)
                return None if unit is None else unit ** float(exponent)
            return dimensionless()
        if isinstance(expr, sympy.exp | sympy.log | sympy.Rel):
            return dimensionless()
        if isinstance(expr, sympy.Abs):
            return self.unit_of(expr.args[0])
        raise SbmlUnitError(f"units: no rule for the expression {expr!r}")

    def require(self, expr: sympy.Basic, want: pint.Quantity, *, log: bool = False) -> None:
        """Check that ``expr`` can have unit ``want`` (finding open symbols' units on the way)."""
        plan = self.plan(expr, want, log=log)
        for arg, unit, arg_log in plan.children:
            self.require(arg, unit, log=arg_log)

    def plan(self, expr: sympy.Basic, want: pint.Quantity, *, log: bool = False) -> Plan:
        """How ``expr`` gets unit ``want``: the unit each argument needs, or the unit of a literal."""
        if isinstance(expr, sympy.Number):
            return Plan(literal=want)
        if expr == TIME:
            self._check(expr, quantity("h"), want)
            return Plan()
        if isinstance(expr, sympy.Symbol):
            name = expr.name
            unit = self.symbol_unit(name)
            if unit is None:
                self.found[name] = want
                self._cache.clear()
                return Plan()
            if same(unit, want):
                return Plan()
            if log and unit.dimensionality != want.dimensionality:
                return Plan(convert=want / unit)  # its value in its declared unit (see the module docstring)
            raise SbmlUnitError(f"units: {name} has unit {describe(unit)} where {describe(want)} is needed")
        if isinstance(expr, sympy.Add):
            unit = self.unit_of(expr) or want
            if log and not same(unit, want):
                unit = want  # each term is converted to its value in its declared unit
            self._check(expr, unit, want)
            return Plan(children=[(arg, unit, log) for arg in expr.args])
        if isinstance(expr, sympy.Mul):
            units = {i: self.unit_of(arg) for i, arg in enumerate(expr.args) if arg != -1}
            for i, unit in units.items():  # a factor with a literal inside: its natural unit, if it has one
                if unit is None and not isinstance(expr.args[i], sympy.Number):
                    units[i] = self.natural(expr.args[i])
            # the factors that take what is left: literal numbers first, else factors of no unit of their own
            open_ = sorted((i for i, unit in units.items() if unit is None),
                           key=lambda i: not isinstance(expr.args[i], sympy.Number))
            known = dimensionless()
            for unit in units.values():
                if unit is not None:
                    known = known * unit
            if not open_ and log and not same(known, want):
                # inside a logarithm: convert the first symbol to its value in its declared unit
                first = next(i for i, arg in enumerate(expr.args) if isinstance(arg, sympy.Symbol))
                units[first] = want / (known / units[first])
                known = want
            children = []
            for i, arg in enumerate(expr.args):
                if arg == -1:
                    continue
                if units[i] is None:  # the first open factor makes the product what its place needs
                    children.append((arg, want / known if i == open_[0] else dimensionless(), log))
                else:
                    children.append((arg, units[i], log))
            if not open_:
                self._check(expr, known, want, log=log)
            return Plan(children=children)
        if isinstance(expr, sympy.Pow):
            base, exponent = expr.args
            if isinstance(exponent, sympy.Number):
                unit = self.unit_of(base)
                base_unit = unit if unit is not None else want ** (1.0 / float(exponent))
                if unit is not None:
                    self._check(expr, unit ** float(exponent), want, log=log)
                return Plan(children=[(base, base_unit, log), (exponent, dimensionless(), False)])
            self._check(expr, dimensionless(), want)
            return Plan(children=[(base, dimensionless(), False), (exponent, dimensionless(), False)])
        if isinstance(expr, sympy.exp | sympy.log):
            self._check(expr, dimensionless(), want)
            return Plan(children=[(expr.args[0], dimensionless(), isinstance(expr, sympy.log))])
        if isinstance(expr, sympy.Abs):
            unit = self.unit_of(expr.args[0]) or want
            self._check(expr, unit, want)
            return Plan(children=[(expr.args[0], unit, log)])
        if isinstance(expr, sympy.Piecewise):
            unit = self.unit_of(expr) or want
            self._check(expr, unit, want)
            parts: list[tuple[sympy.Basic, pint.Quantity, bool]] = []
            for value, condition in expr.args:
                parts.append((value, unit, log))
                if condition is not sympy.true:
                    parts.append((condition, dimensionless(), False))
            return Plan(children=parts)
        if isinstance(expr, sympy.Rel):
            sides = [self.unit_of(side) for side in expr.args]
            unit = next((u for u in sides if u is not None), dimensionless())
            return Plan(children=[(side, unit, False) for side in expr.args])
        raise SbmlUnitError(f"units: no rule for the expression {expr!r}")

    def _check(self, expr: sympy.Basic, unit: pint.Quantity, want: pint.Quantity, *, log: bool = False) -> None:
        if not same(unit, want) and not (log and unit.dimensionality != want.dimensionality):
            raise SbmlUnitError(f"units: {expr} has unit {describe(unit)} where {describe(want)} is needed")


@dataclass
class Plan:
    """What :meth:`UnitInference.plan` found for one node: the units its arguments need (with whether they are
    inside a logarithm), the unit of the literal it is, or the unit of the factor that converts a dimensioned
    symbol inside a logarithm."""

    children: list[tuple[sympy.Basic, pint.Quantity, bool]] = field(default_factory=list)
    literal: pint.Quantity | None = None
    convert: pint.Quantity | None = None
