"""Declarations shared by the mechanism modules: a state variable and an observable."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any


@dataclasses.dataclass(frozen=True)
class State:
    """A state variable of the ODE system.

    ``initial`` maps the parameter namespace to the value before any challenge (the steady state).
    """

    name: str
    unit: str
    long_name: str
    initial: Callable[[Any], float]


@dataclasses.dataclass(frozen=True)
class Observable:
    """A named model output: its unit, description and dimensions beyond ``time``; ``state`` names the state it
    reads directly (None for a computed one) and ``group`` what it is (``"cytokine"`` for a plasma cytokine)."""

    name: str
    unit: str
    long_name: str
    dims: tuple[str, ...] = ()
    state: str | None = None
    group: str = ""
