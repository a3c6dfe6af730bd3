"""Physical quantities at the boundary: text such as ``"2 ng/kg"`` or ``"29 h"`` becomes a float in the
model's canonical unit.

Inside the model every number is a plain float in a fixed unit (hours, ng/kg, pg/mL, degC, years, kg); pint is
used only here, where user input enters, so that a wrong dimension is caught with a clear message.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Any

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

#: What each kind of quantity is, in words, for error messages.
MEANING: dict[str, str] = {
    "dose_per_weight": "a dose per body weight",
    "rate_per_weight": "a dose rate per body weight",
    "time": "a time",
    "age": "an age",
    "mass": "a body weight",
    "drug_mass": "a drug amount (a mass)",
    "infectious_dose": "an infectious dose",
}

#: Longest quantity text read (the longest sensible one, '10**4.2 TCID50', has 14 characters).
MAX_TEXT = 100
#: A power whose base is itself a power (``9**9**9``): refused before pint evaluates it, which could take hours.
_TOWER = re.compile(r"\*\*\s*[-+(]*[\d.eE]+[\s)]*\*\*")
_POWER = re.compile(r"\*\*\s*[-+(]*\s*([\d.]+(?:[eE][-+]?\d+)?)")
#: Largest exponent accepted after ``**`` (10**400 is already beyond a float).
MAX_EXPONENT = 400.0


@lru_cache(maxsize=1)
def registry() -> pint.UnitRegistry:
    """The shared unit registry (created once; pint registries are expensive)."""
    ureg: pint.UnitRegistry[Any] = pint.UnitRegistry()
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
    meaning = MEANING[kind]
    if isinstance(value, bool):
        raise UnitProblem(f"must be {meaning} in {unit}, such as '{example}', not true/false")
    if isinstance(value, int | float):
        return _finite(float(value), example)
    if not isinstance(value, str):
        raise UnitProblem(f"must be {meaning}: a number in {unit} or a text with units, such as '{example}'")
    text = value.strip()
    if len(text) > MAX_TEXT:
        raise UnitProblem(f"must be {meaning} of at most {MAX_TEXT} characters, such as '{example}'")
    powers = [float(x) for x in _POWER.findall(text)]
    if _TOWER.search(text) or any(abs(x) > MAX_EXPONENT for x in powers):
        raise UnitProblem(f"must be {meaning} with at most one power of at most {MAX_EXPONENT:g}, "
                          f"such as '{example}'")
    ureg = registry()
    try:
        quantity: pint.Quantity = ureg.Quantity(text)
    except Exception as exc:  # pint raises several unrelated types for unreadable text
        reason = str(exc).splitlines()[0][:80] if str(exc) else type(exc).__name__
        raise UnitProblem(f"must be {meaning} with units such as '{example}' (unreadable: {reason})") from None
    target = ureg.Unit(unit)
    if isinstance(quantity, int | float) or not dict(quantity.unit_items()) or (
            quantity.dimensionless and not target.dimensionless):
        raise UnitProblem(f"must be {meaning}: it needs a unit of {unit}, such as '{example}'")
    if quantity.dimensionality != target.dimensionality or _split(quantity) != _split(ureg.Quantity(1, target)):
        raise UnitProblem(f"must be {meaning} in units of {unit} or a unit of the same kind, such as '{example}'; "
                          f"'{text}' is {_describe(quantity)}")
    if kind in ("dose_per_weight", "rate_per_weight"):
        amount, body = _mass_units(quantity)
        if amount is not None and body is not None and ureg.Quantity(1, amount) >= ureg.Quantity(1, body):
            raise UnitProblem(
                f"must be an amount per kg of body weight, such as '{example}'; '{value}' is upside down"
            )
    try:
        magnitude = float(quantity.to(target).magnitude)
    except OverflowError:
        magnitude = math.inf
    return _finite(magnitude, example)


def _finite(value: float, example: str) -> float:
    if not math.isfinite(value):
        raise UnitProblem(f"must be a finite number, such as '{example}'")
    return value


#: Words for pint's base dimensions.
_WORDS = {"[mass]": "mass", "[time]": "time", "[length]": "length", "[infectious_dose]": "infectious dose",
          "[substance]": "amount of substance", "[temperature]": "temperature", "[current]": "electric current",
          "[luminosity]": "luminosity"}


def _describe(quantity: pint.Quantity) -> str:
    """The dimension of ``quantity`` in words: 'a mass', 'a mass per time', 'a plain number'."""
    def words(dimensionality: object) -> str:
        parts = []
        for name, power in dict(dimensionality).items():  # type: ignore[call-overload]
            word = _WORDS.get(name, name.strip("[]"))
            parts.append(word if power == 1 else f"{word}^{power:g}")
        return " x ".join(parts)

    num, den = _split(quantity)
    top, bottom = words(num), words(den)
    if not top and not bottom:
        return "a plain number"
    if not bottom:
        return f"a {top}"
    return f"a {top or '1'} per {bottom}"


def _mass_units(quantity: pint.Quantity) -> tuple[str | None, str | None]:
    """The mass unit of the numerator (the drug) and of the denominator (the body)."""
    ureg = registry()
    amount = body = None
    for name, power in quantity.unit_items():
        if ureg.Quantity(1, name).dimensionality == ureg.Quantity(1, "kg").dimensionality:
            if power.real > 0:  # pint types an exponent as any number, complex included; a unit's is real
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
        if power.real > 0:  # as in _mass_units: a unit's exponent is real
            num = num * ureg.Quantity(1, name) ** power
        else:
            den = den * ureg.Quantity(1, name) ** -power
    return num.dimensionality, den.dimensionality
