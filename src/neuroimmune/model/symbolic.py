"""The model as symbolic expressions: right-hand side, initial values and observables in sympy.

The mechanism modules are written with arithmetic only (see :mod:`neuroimmune.model.functions`), so the very
code that the simulator runs on floats also runs on sympy symbols. :func:`symbolic_model` does exactly that: it
calls :func:`neuroimmune.model.assembly.make_rhs`, each state's ``initial`` and
:func:`neuroimmune.model.assembly.observables` with

* a symbol per state (named as in :data:`~neuroimmune.model.assembly.STATE_NAMES`),
* a symbol per input (:data:`~neuroimmune.model.assembly.INPUTS`), and
* a parameter namespace whose attribute access yields a symbol of that name and records that it was used,

and returns the expressions in a :class:`SymbolicModel`. Nothing here names a state, parameter or input, so new
mechanisms appear in the export (and in generated code) without change here. Module code that is not plain
arithmetic (``numpy.exp``, ``max``, an ``if`` on a state) fails here with a ``TypeError`` naming the module.

The expressions are built with ``sympy.evaluate(False)``: sympy keeps the code's grouping instead of expanding
it, so that the exported arithmetic is the arithmetic the simulator runs. The smooth positive part
:func:`neuroimmune.model.functions.pos` stays one unevaluated function ``pos(x)`` in the expressions (the SBML
export names each distinct one as a parameter with an assignment rule); code printers write out its arithmetic.

Observables with a dimension beyond time (``ppt_change`` over ``region``) become one scalar expression per
coordinate, named ``<observable>_<coordinate>`` (``ppt_change_lower_back``); :data:`COORDINATES` lists the
coordinate labels of each dimension.

Examples
--------
>>> from neuroimmune.model.symbolic import symbolic_model
>>> m = symbolic_model()
>>> m.rhs["E"]                                     # doctest: +SKIP
-E*k_E + lps_rate
>>> sorted(m.observables)[:2]                      # doctest: +SKIP
['appetite', 'back_pain']
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache
from types import MappingProxyType, SimpleNamespace
from typing import Any

import numpy as np
import sympy

from . import assembly
from .mechanisms import pain

#: Coordinate labels of the observables' extra dimensions, in the order the model returns them.
COORDINATES: dict[str, tuple[str, ...]] = {"region": tuple(pain.REGIONS)}

#: The symbol passed as time to the right-hand side (the modules are autonomous today; exporters map it to time).
TIME = sympy.Symbol("time", real=True)


class ParameterSymbols:
    """A parameter namespace for symbolic evaluation: ``p.k_E`` is ``sympy.Symbol("k_E")``.

    Every name read is recorded in :attr:`used` (in first-use order), so the caller learns which parameters the
    equations need without a list kept by hand.
    """

    def __init__(self) -> None:
        self.used: dict[str, sympy.Symbol] = {}

    def __getattr__(self, name: str) -> sympy.Symbol:
        if name.startswith("_"):  # keep copy/pickle protocols and private lookups out of the model
            raise AttributeError(name)
        used = self.__dict__["used"]
        if name not in used:
            used[name] = sympy.Symbol(name, real=True)
        return used[name]


@dataclasses.dataclass(frozen=True)
class SymbolicModel:
    """The model's equations as sympy expressions.

    Attributes
    ----------
    states
        State names, in the order of the simulator's state vector.
    inputs
        Input names (piecewise-constant, set by the scenario's events; 0 when no event sets them).
    parameters
        Names of the parameters that the equations, initial values or observables read, in first-use order.
    symbols
        The symbol of every state, input and parameter by name (all ``real=True``).
    rhs
        ``d state / dt`` by state name, in :attr:`states` order.
    initial
        The value of each state before any challenge, as an expression of the parameters.
    observables
        Scalar observables by name; extra dimensions flattened as ``<name>_<coordinate>``.
    units
        Unit string (as in the model's declarations) of every state and scalar observable.
    long_names
        Description of every state and scalar observable.
    coordinates
        For each flattened observable, ``{"observable": name, "coordinate": label}`` (``ppt_change_neck``:
        ``ppt_change``, ``neck``); scalar observables are absent.
    """

    states: tuple[str, ...]
    inputs: tuple[str, ...]
    parameters: tuple[str, ...]
    symbols: MappingProxyType[str, sympy.Symbol]
    rhs: MappingProxyType[str, sympy.Expr]
    initial: MappingProxyType[str, sympy.Expr]
    observables: MappingProxyType[str, sympy.Expr]
    units: MappingProxyType[str, str]
    long_names: MappingProxyType[str, str]
    coordinates: MappingProxyType[str, dict[str, str]]

    def lambdify(self, modules: str = "numpy", *, observables: bool = False) -> Any:
        """A function ``f(y, u, p)`` returning the right-hand side (or the observables) as a list.

        ``y`` is a sequence in :attr:`states` order, ``u`` in :attr:`inputs` order and ``p`` in
        :attr:`parameters` order; with ``observables=True`` the list follows :attr:`observables`. Useful for
        checking generated code against the simulator, or as a starting point for it.
        """
        args = [[self.symbols[n] for n in names] for names in (self.states, self.inputs, self.parameters)]
        exprs = list(self.observables.values()) if observables else [self.rhs[n] for n in self.states]
        return sympy.lambdify(args, exprs, modules=modules)


@lru_cache(maxsize=1)
def symbolic_model() -> SymbolicModel:
    """Build the symbolic form of :mod:`neuroimmune.model.assembly` (cached; the model is fixed at import)."""
    p = ParameterSymbols()
    states = assembly.STATE_NAMES
    y = [sympy.Symbol(name, real=True) for name in states]
    u = SimpleNamespace(**{name: sympy.Symbol(name, real=True) for name in assembly.INPUTS})

    try:
        with sympy.evaluate(False):  # keep the code's order of operations (see the module docstring)
            rhs = assembly.make_rhs(p)(TIME, y, u)
            initial = [sympy.sympify(state.initial(p)) for state in assembly.STATES]
            observables, units, long_names, coordinates = _flat_observables(y, p)
    except (TypeError, AttributeError) as exc:  # e.g. numpy.exp, math.*, max() or an `if` on a symbol
        raise TypeError(
            f"model equations: symbolic evaluation needs arithmetic only (+, -, *, /, **, abs; see "
            f"neuroimmune.model.functions); {_culprit(y, u)} raised {type(exc).__name__}: {exc}"
        ) from exc
    for state in assembly.STATES:
        units[state.name] = state.unit
        long_names[state.name] = state.long_name

    symbols: dict[str, sympy.Symbol] = {}
    for name, sym in [*zip(states, y, strict=True), *vars(u).items(), *p.used.items()]:
        if name in symbols or name == TIME.name:
            raise ValueError(f"model names: each state, input and parameter name must be unique and not "
                             f"{TIME.name!r} (got {name!r})")
        symbols[name] = sym
    return SymbolicModel(
        states=states,
        inputs=assembly.INPUTS,
        parameters=tuple(p.used),
        symbols=MappingProxyType(symbols),
        rhs=MappingProxyType({name: sympy.sympify(e) for name, e in zip(states, rhs, strict=True)}),
        initial=MappingProxyType(dict(zip(states, initial, strict=True))),
        observables=MappingProxyType(observables),
        units=MappingProxyType(units),
        long_names=MappingProxyType(long_names),
        coordinates=MappingProxyType(coordinates),
    )


def _culprit(y: list[sympy.Symbol], u: SimpleNamespace) -> str:
    """Name the mechanism module whose code fails on symbols, for the error message."""
    s = SimpleNamespace(**dict(zip(assembly.STATE_NAMES, y, strict=True)))
    for module in assembly.MODULES:
        for name in ("rates", "observables"):
            func = getattr(module, name, None)
            try:
                if func is not None:
                    func(s, ParameterSymbols(), u) if name == "rates" else func(s, ParameterSymbols())
            except (TypeError, AttributeError):
                return f"{module.__name__}.{name}"
    return "the assembly"


def _flat_observables(
    y: list[sympy.Symbol], p: ParameterSymbols
) -> tuple[dict[str, sympy.Expr], dict[str, str], dict[str, str], dict[str, dict[str, str]]]:
    """Observables of :func:`assembly.observables` on symbols, extra dimensions flattened."""
    values = assembly.observables(y, p)  # type: ignore[arg-type]  # the same code path as on arrays
    exprs: dict[str, sympy.Expr] = {}
    units: dict[str, str] = {}
    long_names: dict[str, str] = {}
    coordinates: dict[str, dict[str, str]] = {}
    for obs in assembly.OBSERVABLES:
        value = np.asarray(values[obs.name], dtype=object)
        if not obs.dims:
            entries = [(obs.name, value.item(), obs.long_name)]
        else:
            labels = [COORDINATES.get(dim) for dim in obs.dims]
            if len(obs.dims) != 1 or labels[0] is None or len(labels[0]) != value.shape[0]:
                raise ValueError(
                    f"observable {obs.name}: extra dimensions must be one of {sorted(COORDINATES)} with one "
                    f"expression per coordinate (got dims {obs.dims} and shape {value.shape})"
                )
            entries = [
                (f"{obs.name}_{label}", value[i], f"{obs.long_name}, {obs.dims[0]} {label}")
                for i, label in enumerate(labels[0])
            ]
            coordinates.update({f"{obs.name}_{label}": {"observable": obs.name, "coordinate": label}
                                for label in labels[0]})
        for name, expr, long_name in entries:
            exprs[name] = sympy.sympify(expr)
            units[name] = obs.unit
            long_names[name] = long_name
    return exprs, units, long_names, coordinates
