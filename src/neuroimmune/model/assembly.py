"""Assembly of the mechanism modules into one vector field, plus the observables computed from its states.

Modules run in the order of the chain (challenge and pathogen -> innate and adaptive immunity -> humoral
signalling, with drugs and behaviour acting on it -> pain -> sickness); each contributes
its states and their rates. Nothing here knows a particular equation.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np

from .mechanisms import MODULES, pain, pathogen, sickness
from .state import Observable, State

STATES: tuple[State, ...] = tuple(state for module in MODULES for state in module.STATES)
STATE_NAMES: tuple[str, ...] = tuple(state.name for state in STATES)
INDEX: dict[str, int] = {name: i for i, name in enumerate(STATE_NAMES)}

#: Inputs held constant within an integration segment (set by the scenario's events, 0 otherwise).
INPUTS: tuple[str, ...] = tuple(name for module in MODULES for name in getattr(module, "INPUTS", ()))

#: Observables of SYSTEM.md with their units: first those each module reads straight from a state (cytokines,
#: temperature, heart rate), then the computed ones (pain, sickness, pathogen).
OBSERVABLES: tuple[Observable, ...] = (
    *(o for module in MODULES for o in getattr(module, "STATE_OBSERVABLES", ())),
    *pain.OBSERVABLES,
    *sickness.OBSERVABLES,
    *pathogen.OBSERVABLES,
)
OBSERVABLE_NAMES: tuple[str, ...] = tuple(o.name for o in OBSERVABLES)
_FROM_STATE = {o.name: o.state for o in OBSERVABLES if o.state is not None}
#: The plasma cytokines the model has, in state order.
CYTOKINES: tuple[str, ...] = tuple(o.name for o in OBSERVABLES if o.group == "cytokine")

def initial_state(p: Any) -> np.ndarray:
    """The state before any challenge (every module's steady state)."""
    return np.array([state.initial(p) for state in STATES], dtype=float)

def make_rhs(p: Any) -> Any:
    """The right-hand side ``f(t, y, u)`` for parameters ``p`` (a namespace of floats).

    ``u`` is the namespace of inputs that are constant within an integration segment (:data:`INPUTS`).
    """
    names = STATE_NAMES
    modules = MODULES

    def rhs(t: float, y: Any, u: Any) -> list[Any]:
        s = SimpleNamespace(**dict(zip(names, y, strict=True)))
        d: dict[str, Any] = {}
        for module in modules:
            d.update(module.rates(s, p, u))
        return [d[name] for name in names]

    return rhs

def observables(y: np.ndarray, p: Any) -> dict[str, np.ndarray]:
    """Observables from a state trajectory ``y`` of shape (n_states, n_times).

    ``ppt_change`` has shape (n_regions, n_times) in :data:`pain.REGIONS` order.
    """
    s = SimpleNamespace(**{name: y[i] for i, name in enumerate(STATE_NAMES)})
    out = {obs: np.asarray(getattr(s, state)) for obs, state in _FROM_STATE.items()}
    for module in (pain, sickness, pathogen):
        for name, value in module.observables(s, p).items():
            out[name] = np.asarray(value)
    return out
