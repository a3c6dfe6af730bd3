"""What a scenario's result rests on: the parameters it depends on and the sources behind them, as BibTeX.

A state takes part when it moves in the scenario's own run (a bolus, an inoculum, a heat pack, a host whose
starting values differ); the result depends on the parameters that remain in the rates, starting values and
observables of the moving states once every idle state and input is replaced by its constant value (so the
virus's parameters drop out of an endotoxin run). The host's effective parameters (``g_TNF``, ``k_pge_eff``, a
virus kind's values, memory) are traced to the records they are made from by perturbing each record.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy

from ..engine.simulate import simulate
from ..model import host
from ..model.citation import bibtex, keys_for
from ..model.parameters import default_parameters
from ..model.symbolic import symbolic_model
from ..scenarios import Scenario

#: A state moves when it leaves its starting value by more than this, relative to its scale.
MOVES = 1e-9


def relevant_parameters(scenario: Scenario) -> set[str]:
    """Names of the records of ``parameters.yaml`` that the result of ``scenario`` depends on."""
    sm = symbolic_model()
    ds = simulate(scenario, include_states=True)
    moving, rest = set(), {}
    for name in sm.states:
        y = ds[f"state_{name}"].to_numpy()
        if np.max(np.abs(y - y[0])) > MOVES * max(1.0, float(np.max(np.abs(y)))):
            moving.add(name)
        else:
            rest[sm.symbols[name]] = float(y[0])
    idle_inputs = {sm.symbols[name]: 0.0 for name in sm.inputs}
    driven = {e.input for e in _events(scenario) if hasattr(e, "input")}
    for name in driven:
        idle_inputs.pop(sm.symbols[name], None)
    fixed = {**rest, **idle_inputs}
    exprs = [sm.rhs[n] for n in moving] + [sm.initial[n] for n in moving]
    moving_symbols = {sm.symbols[n] for n in moving}
    exprs += [e for e in sm.observables.values() if e.free_symbols & moving_symbols]
    used: set[str] = set()
    for e in exprs:
        used |= {str(s) for s in sympy.sympify(e).xreplace(fixed).free_symbols}
    used &= set(sm.parameters)
    base = default_parameters().values()
    return {n for n in used if n in base} | _made_from(used - set(base), base, scenario)


def _effective(scenario: Scenario) -> Any:
    from types import SimpleNamespace

    return SimpleNamespace(**host.effective(default_parameters().values(), scenario.host, scenario.challenge))


def _events(scenario: Scenario) -> list[Any]:
    p = _effective(scenario)
    sources = ([scenario.challenge] if scenario.challenge is not None else []) + list(scenario.interventions)
    return [e for src in sources for e in src.events(p, scenario)]


def _made_from(effective: set[str], base: dict[str, float], scenario: Scenario) -> set[str]:
    """The records an effective (host-derived) parameter is made from: those whose perturbation changes it."""
    reference = host.effective(base, scenario.host, scenario.challenge)
    out: set[str] = set()
    for name, value in base.items():
        moved = host.effective({**base, name: value * 1.01 + 1e-9}, scenario.host, scenario.challenge)
        if any(moved.get(e) != reference.get(e) for e in effective):
            out.add(name)
    return out


def sources(scenario: Scenario | None = None) -> list[str]:
    """Keys (in ``references.bib``) of what a result of ``scenario`` rests on: the sources of the parameters it
    depends on, its interventions' evidence, and the studies of the committed fit when it depends on a fitted
    parameter. Without a scenario: every source of the model."""
    if scenario is None:
        return keys_for(None)
    scenario = Scenario.coerce(scenario)
    extra = {k for item in scenario.interventions for k in item.sources()}
    return keys_for(relevant_parameters(scenario), extra)


def citation(scenario: Scenario | dict[str, Any] | str | None = None) -> str:
    """BibTeX of everything a result of ``scenario`` rests on (:func:`sources`)."""
    return bibtex(sources(None if scenario is None else Scenario.coerce(scenario)))
