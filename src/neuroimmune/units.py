"""Physical quantities at the boundary: text such as ``"2 ng/kg"`` or ``"29 h"`` becomes a float in the
model's canonical unit.

Inside the model every number is a plain float in a fixed unit (hours, ng/kg, pg/mL, degC, years, kg); pint is
used only here, where user input enters, so that a wrong dimension is caught with a clear message.
"""

from __future__ import annotations

from functools import lru_cache

import pint

#: Canonical units of the quantities a scenario may contain, and an example for error messages.
CANONICAL: dict[str, tuple[str, str]] = {
    "dose_per_weight": ("ng/kg", "2 ng/kg"),
    "rate_per_weight": ("ng/kg/h", "0.5 ng/kg/h"),
    "time": ("h", "24 h"),
    "age": ("year", "25 year"),
    "mass": ("kg", "75 kg"),
    "drug_mass": ("mg", "400 mg"),
    "infectious_dose": ("TCID50", "10**4.2 TCID50"),
}


@lru_cache(maxsize=1)
def registry() -> pint.UnitRegistry:
    """The shared unit registry (created once; pint registries are expensive)."""
    ureg = pint.UnitRegistry()
    # the tissue-culture infectious dose is a count of its own kind, not convertible to mass or copies
    ureg.define("TCID50 = [infectious_dose]")
    return ureg


class UnitProblem(ValueError):
    """A value whose unit cannot be read or has the wrong dimension; the message states the rule."""


def to_canonical(value: object, kind: str) -> float:
    """Convert ``value`` to a float in the canonical unit of ``kind``.

    Parameters
    ----------
    value
        A number (taken to be in the canonical unit already) or a string with a unit, e.g. ``"2 ng/kg"``.
    kind
        A key of :data:`CANONICAL`.

    Raises
    ------
    UnitProblem
        If the string cannot be parsed or its dimension differs from the canonical unit's.
    """
    unit, example = CANONICAL[kind]
    if isinstance(value, bool):
        raise UnitProblem(f"must be a quantity in {unit}, such as '{example}'")
    if isinstance(value, int | float):
        return float(value)
    if not isinstance(value, str):
        raise UnitProblem(f"must be a number in {unit} or a string with units, such as '{example}'")
    ureg = registry()
    try:
        quantity = ureg.Quantity(value.strip())
    except Exception as exc:  # pint raises several unrelated types for unreadable text
        raise UnitProblem(f"must be a quantity with units such as '{example}' ({exc})") from None
    target = ureg.Unit(unit)
    if isinstance(quantity, int | float) or quantity.dimensionless and not target.dimensionless:
        raise UnitProblem(f"needs a unit of {unit}, such as '{example}'")
    if quantity.dimensionality != target.dimensionality or _split(quantity) != _split(ureg.Quantity(1, target)):
        raise UnitProblem(
            f"must have units of {unit} (dimension {target.dimensionality}), such as '{example}'; "
            f"'{value}' has dimension {quantity.dimensionality}"
        )
    if kind in ("dose_per_weight", "rate_per_weight"):
        amount, body = _mass_units(quantity)
        if amount is not None and body is not None and ureg.Quantity(1, amount) >= ureg.Quantity(1, body):
            raise UnitProblem(
                f"must be an amount per kg of body weight, such as '{example}'; '{value}' is upside down"
            )
    return float(quantity.to(target).magnitude)


def _mass_units(quantity: pint.Quantity) -> tuple[str | None, str | None]:
    """The mass unit of the numerator (the drug) and of the denominator (the body)."""
    ureg = registry()
    amount = body = None
    for name, power in quantity.unit_items():
        if ureg.Quantity(1, name).dimensionality == ureg.Quantity(1, "kg").dimensionality:
            if power > 0:
                amount = name
            else:
                body = name
    return amount, body


def _split(quantity: pint.Quantity) -> tuple[object, object]:
    """Dimensions of the numerator and of the denominator separately.

    Needed because pint sees ``ng/kg`` and ``kg/ng`` as the same (dimensionless) dimension, while a dose per
    body weight written upside down is an error we want to report.
    """
    ureg = registry()
    num, den = ureg.Quantity(1), ureg.Quantity(1)
    for name, power in quantity.unit_items():
        if power > 0:
            num = num * ureg.Quantity(1, name) ** power
        else:
            den = den * ureg.Quantity(1, name) ** -power
    return num.dimensionality, den.dimensionality
