"""Straight-line code for the right-hand side and the observables, generated from the model's one symbolic form.

The rate laws are pure arithmetic (:mod:`neuroimmune.model.functions`), and :mod:`neuroimmune.model.symbolic`
evaluates them on sympy symbols, keeping the code's order of operations: the same expressions that the compiled
right-hand side of a single run and the SBML export are made from. :class:`_Emitter` writes them out as
straight-line code, one temporary per operation, sharing every repeated subexpression, with the parameters that
every member shares, the idle states and the inputs the scenario never sets folded in as literals. The code
becomes the body of two functions that work on :data:`LANES` members at once, one per SIMD lane,

* ``rhs_lanes(w)``: the rate of every state of :data:`~neuroimmune.model.assembly.STATES`,
* ``obs_lanes(w)``: every observable of :data:`~neuroimmune.model.assembly.OBSERVABLES`, flattened (one entry
  per region for ``ppt_change``),

where ``w`` is the work vector of a group of members: entry ``i`` of a slot for lane ``l`` sits at
``slot + i * LANES + l`` (states, effective parameters and inputs in; rates and observables out; the
integrator's own vectors after them, see :func:`work_layout`). Every index is a constant plus the lane, so LLVM
proves that the lanes are independent and turns the loop over lanes into vector instructions; ``exp``, ``log``
and ``sqrt`` come from :mod:`.vmath` for the same reason. Nothing here names a state, parameter or mechanism: a
new module, state or input in the model appears in the generated code on the next import.

Building the symbolic model takes seconds (sympy), so what :func:`generate` makes is kept on disk under a hash
of everything it depends on (the model's code, this generator, the outcome definitions and the arguments); the
generated source is kept under a hash of itself, so compiled kernels are reused only while it is unchanged.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
import inspect
import json
import math
import os
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from ... import outcomes
from ...model import assembly
from ...model.symbolic import COORDINATES
from . import tableaus

# ---- code from the symbolic model --------------------------------------------------------------------------

Value = float | str  # a literal (folded) or the name of a variable in the generated code


class _Emitter:
    """Writes sympy expressions out as straight-line code: one assignment ``t<k> = ...`` per operation, each
    distinct subexpression once. ``values`` gives the code of each symbol: a name (``y[3]``) or a float, which
    folds: constant subexpressions are computed here, ``x + 0`` is ``x``, ``x * 0`` and ``0 / x`` are 0 (the
    values folded are finite rates, states and parameters; a member whose state becomes inf or NaN fails by
    status whatever its idle states do).

    Powers: ``x ** 2``, ``x ** 3`` and ``x ** 4`` are products, ``x ** 1.5`` is ``x * sqrt(x)``, another
    constant exponent c is ``exp(c log x)`` with ``log x`` computed once per base (Hill terms raise the same
    cytokine to several exponents: about 15 % less CPU per member), NaN for x < 0 as ``pow`` gives; an exponent
    that varies between members stays ``pow``."""

    def __init__(self, values: dict[Any, Value]):
        self.values = values
        self.lines: list[str] = []
        self.memo: dict[Any, Value] = {}
        self.logs: dict[str, str] = {}

    def emit(self, code: str) -> str:
        name = f"t{len(self.lines)}"
        self.lines.append(f"{name} = {code}")
        return name

    def __call__(self, expr: Any) -> Value:
        out = self.memo.get(expr)
        if out is None:
            out = self.memo[expr] = self._value(expr)
        return out

    def _value(self, e: Any) -> Value:
        import sympy

        if e.is_Symbol:
            try:
                return self.values[e]
            except KeyError:
                raise ValueError(f"cohort code generator: the model reads {e.name!r}, which is neither a state, "
                                 "an input nor a parameter") from None
        if e.is_Number:
            return float(e)
        if e.is_Add:
            return self._add(e.args)
        if e.is_Mul:
            return self._mul(e.args)
        if e.is_Pow:
            return self._pow(self(e.base), self(e.exp))
        (arg,) = e.args
        x = self(arg)
        if isinstance(e, sympy.Abs):
            return abs(x) if isinstance(x, float) else self.emit(f"abs({x})")
        if isinstance(e, sympy.log):
            return math.log(x) if isinstance(x, float) else self.log(x)
        if isinstance(e, sympy.exp):
            return math.exp(x) if isinstance(x, float) else self.emit(f"vexp({x})")
        raise TypeError(f"cohort code generator: no vector code for {type(e).__name__} (use +, -, *, /, **, abs, "
                        "exp, log; see neuroimmune.model.functions)")

    def log(self, x: str) -> str:
        if x not in self.logs:
            self.logs[x] = self.emit(f"vlog({x})")
        return self.logs[x]

    def _add(self, args: tuple) -> Value:
        """A sum, a term ``-x`` (``Mul(-1, x)``) subtracted rather than negated and added."""
        plus: list[Value] = []
        minus: list[Value] = []
        for a in args:
            if a.is_Mul and a.args[0] == -1:
                rest = a.func(*a.args[1:], evaluate=False) if len(a.args) > 2 else a.args[1]
                minus.append(self(rest))
            else:
                plus.append(self(a))
        acc: Value = 0.0
        for v in plus:
            acc = self._binary(acc, v, "+")
        for v in minus:
            acc = self._binary(acc, v, "-")
        return acc

    def _mul(self, args: tuple) -> Value:
        """A product; factors ``x ** -1`` divide."""
        num: list[Value] = []
        den: list[Value] = []
        for a in args:
            if a.is_Pow and a.exp == -1:
                den.append(self(a.base))
            else:
                num.append(self(a))
        acc: Value = 1.0
        for v in num:
            acc = self._binary(acc, v, "*")
        for v in den:
            acc = self._binary(acc, v, "/")
        return acc

    def _binary(self, a: Value, b: Value, op: str) -> Value:
        if isinstance(a, float) and isinstance(b, float):
            return {"+": a + b, "-": a - b, "*": a * b, "/": a / b if b else math.nan}[op]
        if op in "+-" and b == 0.0:
            return a
        if op == "+" and a == 0.0:
            return b
        if op == "-" and a == 0.0:
            return self.emit(f"-{b}")
        if op == "*" and (a == 0.0 or b == 0.0):
            return 0.0
        if op == "*" and a == 1.0:
            return b
        if op in "*/" and b == 1.0:
            return a
        if op == "/" and a == 0.0:
            return 0.0
        if op == "*" and a == -1.0:
            return self.emit(f"-{b}")
        return self.emit(f"{_lit(a)} {op} {_lit(b)}")

    def _pow(self, x: Value, c: Value) -> Value:
        if isinstance(x, float) and isinstance(c, float):
            try:
                return math.pow(x, c)
            except (ValueError, OverflowError):
                return math.nan
        if not isinstance(c, float):  # an exponent that varies: pow, which keeps (-x) ** 2.0 = x ** 2
            return self.emit(f"{_lit(x)} ** {c}")
        assert isinstance(x, str)
        if c == 0.0:
            return 1.0
        if c == 1.0:
            return x
        if c in (2.0, 3.0, 4.0):  # exact, cheaper than pow
            out = x
            for _ in range(int(c) - 1):
                out = self.emit(f"{out} * {x}")
            return out
        if c == -1.0:
            return self.emit(f"1.0 / {x}")
        if c == 0.5:
            return self.emit(f"vsqrt({x})")
        if c == 1.5:
            return self.emit(f"{x} * {self.emit(f'vsqrt({x})')}")
        return self.emit(f"vexp({c!r} * {self.log(x)})")


def _lit(v: Value) -> str:
    return repr(float(v)) if isinstance(v, float) else v


# ---- the generated model ----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class FlatObservable:
    """One entry of the flattened observable vector: the observable's name and, for a dimensioned one
    (``ppt_change`` over ``region``), the dimension and label."""

    name: str
    dim: str | None = None
    label: str | None = None


@dataclasses.dataclass(frozen=True)
class GeneratedModel:
    """The generated source and the layout of its vectors."""

    source: str
    parameters: tuple[str, ...]
    states: tuple[str, ...]
    inputs: tuple[str, ...]
    observables: tuple[FlatObservable, ...]
    active: tuple[int, ...]  # the states integrated (the others are idle: constant in every member)

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.source.encode()).hexdigest()[:16]


#: Coordinates of the observables' extra dimensions (those of :data:`neuroimmune.model.symbolic.COORDINATES`).
DIM_LABELS: dict[str, list[str]] = {dim: list(labels) for dim, labels in COORDINATES.items()}


#: Members integrated together, one per SIMD lane (8 doubles: two AVX2 registers or one AVX-512 register;
#: measured per member and right-hand side on the 39-state model: 4 lanes 58 ns, 8 lanes 45 ns, 16 lanes 44 ns).
LANES = 8


def work_layout(n_states: int, n_params: int, n_inputs: int, n_obs: int, n_symptoms: int = 0) -> dict[str, int]:
    """Offsets of the slots of a group's work vector ``w`` (each slot holds ``size * LANES`` entries), and its
    length ``NW``. The model's inputs and outputs: ``Y`` state, ``P`` parameters, ``U`` inputs, ``DY`` rates,
    ``O`` observables. The integrator's: ``YC`` current state, ``YN`` proposed state, ``K1``..``K7`` stages,
    ``HQ`` step size per entry, ``B`` the six dense-output weights per lane and whether the output is at the
    step's end, ``JD`` the Jacobian's diagonal, ``JE`` the part of it treated implicitly by the additive method
    (0 in a lane stepping explicitly), ``INV`` its 1 / (1 - h gamma d), ``G2`` its d Y_2, ``ERR`` the
    squared scaled error per entry. The recording's: per
    observable the baseline, largest deviation, peak, its time, area and previous deviation; per lane whether
    an output is being recorded, its time, the time since the previous output, its day and its index; per
    symptom the days counted and the last day counted; the index of the last output at which the member was
    ill. The generated module names them ``O_Y``, ``O_P``, ... One vector with constant offsets, not separate
    arrays: LLVM then needs no run-time alias checks to vectorise over lanes."""
    sizes = {"Y": n_states, "P": n_params, "U": n_inputs, "DY": n_states, "O": n_obs, "YC": n_states,
             "YN": n_states, **{f"K{i}": n_states for i in range(1, 8)}, "HQ": n_states, "B": 7, "JD": n_states,
             "JE": n_states, "INV": n_states, "G2": n_states, "ERR": n_states,
             **dict.fromkeys(("BASE", "BEST", "PK", "PKT", "AUC", "PREV"), n_obs), "PEND": 1,
             "TJ": 1, "DT": 1, "DAYV": 1, "JIDX": 1, "SDAYS": n_symptoms, "SLAST": n_symptoms, "LILL": 1}
    out, at = {}, 0
    for name, size in sizes.items():
        out[name] = at
        at += size * LANES
    out["NW"] = at
    return out


def _interpolation(states: list[int], slots: dict[str, int]) -> list[str]:
    """Dense output into the Y slot for the states the observables read: ``y + h sum_r b_r k_r`` with the
    lane's weights in the B slot, or the step's end state where the output time is the step's end."""
    out = ["x = w[{B} + 6 * LANES + l] == 1.0".format(**slots)]
    out += [f"b{r} = w[{slots['B'] + r * LANES} + l]" for r in range(6)]
    for i in states:
        q = i * LANES
        ks = " + ".join(f"b{r} * w[{slots[f'K{k}'] + q} + l]" for r, k in enumerate((1, 3, 4, 5, 6, 7)))
        out.append(f"w[{slots['Y'] + q} + l] = w[{slots['YN'] + q} + l] if x else "
                   f"w[{slots['YC'] + q} + l] + w[{slots['HQ'] + q} + l] * ({ks})")
    return out


def _recording(kinds: list[str], slots: dict[str, int], symptoms: list[tuple[int, float]],
               ill_from: list[tuple[int, float]]) -> list[str]:
    """Running summaries of each observable for the lanes recording an output (PEND 1): its peak of kind
    ``kinds[f]`` (:func:`neuroimmune.outcomes.peak_kind`: the highest value, the lowest, or the one furthest from
    the baseline; the first output of equal ones) and its time, and the trapezoid area from the baseline; per
    symptom, a day counted when the observable reaches its threshold on a day not yet counted (outputs come in
    time order, DAYV holds :func:`neuroimmune.outcomes.day_index` of the output); the index of the last output at
    which the member was ill. Other lanes keep theirs. :func:`_peak_start` sets the peaks so that the first
    output always replaces them."""
    out = ["on = w[{PEND} + l] == 1.0".format(**slots), "tj = w[{TJ} + l]".format(**slots),
           "dt = w[{DT} + l]".format(**slots), "dv = w[{DAYV} + l]".format(**slots)]
    for k, (f, thr) in enumerate(symptoms):
        days, last_day = (slots[s] + k * LANES for s in ("SDAYS", "SLAST"))
        out += [
            f"above = on & (w[{slots['O'] + f * LANES} + l] >= {thr!r})",
            f"w[{days} + l] += 1.0 if above & (dv != w[{last_day} + l]) else 0.0",
            f"w[{last_day} + l] = dv if above else w[{last_day} + l]",
        ]
    if ill_from:
        cond = " | ".join(f"(w[{slots['O'] + f * LANES} + l] >= {thr!r})" for f, thr in ill_from)
        out += [f"ill = on & ({cond})",
                "w[{LILL} + l] = w[{JIDX} + l] if ill else w[{LILL} + l]".format(**slots)]
    for f, kind in enumerate(kinds):
        at = {k: slots[k] + f * LANES for k in ("O", "BASE", "BEST", "PK", "PKT", "AUC", "PREV")}
        out += [f"o = w[{at['O']} + l]", f"dev = o - w[{at['BASE']} + l]"]
        if kind == "max":
            out.append(f"better = on & (o > w[{at['PK']} + l])")
        elif kind == "min":
            out.append(f"better = on & (o < w[{at['PK']} + l])")
        else:
            out += [f"better = on & (abs(dev) > w[{at['BEST']} + l])",
                    f"w[{at['BEST']} + l] = abs(dev) if better else w[{at['BEST']} + l]"]
        out += [
            f"w[{at['PK']} + l] = o if better else w[{at['PK']} + l]",
            f"w[{at['PKT']} + l] = tj if better else w[{at['PKT']} + l]",
            f"w[{at['AUC']} + l] += 0.5 * (dev + w[{at['PREV']} + l]) * dt if on else 0.0",
            f"w[{at['PREV']} + l] = dev if on else w[{at['PREV']} + l]",
        ]
    return out


def _peak_start(kinds: list[str], slots: dict[str, int]) -> list[str]:
    """The observables in the O slot become the baseline; peaks start where the first output replaces them (a
    maximum at -inf, a minimum at +inf, the largest deviation at -1)."""
    out = []
    for f, kind in enumerate(kinds):
        at = {k: slots[k] + f * LANES for k in ("O", "BASE", "BEST", "PK")}
        out.append(f"w[{at['BASE']} + l] = w[{at['O']} + l]")
        start = {"max": "-math.inf", "min": "math.inf"}.get(kind)
        if start is None:
            out.append(f"w[{at['BEST']} + l] = -1.0")
        else:
            out.append(f"w[{at['PK']} + l] = {start}")
    return out


def _symbol_values(parameter_names: tuple[str, ...], constants: dict[str, float], idle: dict[int, float],
                   zero_inputs: set[str]) -> dict[Any, Value]:
    """The code of every symbol of the symbolic model: ``y[i]``, ``p[i]``, ``u[i]``, or a literal for an idle
    state, a parameter shared by every member and an input the scenario never sets."""
    from ...model.symbolic import symbolic_model

    m = symbolic_model()
    index = {name: i for i, name in enumerate(parameter_names)}
    values: dict[Any, Value] = {}
    for i, name in enumerate(m.states):
        values[m.symbols[name]] = idle[i] if i in idle else f"y[{i}]"
    for i, name in enumerate(m.inputs):
        values[m.symbols[name]] = 0.0 if name in zero_inputs else f"u[{i}]"
    for name in m.parameters:
        if name in index:
            values[m.symbols[name]] = f"p[{index[name]}]"
        elif name in constants:
            values[m.symbols[name]] = constants[name]
        else:
            raise ValueError(f"cohort code generator: parameter {name!r} is neither varying nor given a value")
    return values


def idle_states(parameter_names: tuple[str, ...], constants: dict[str, float], driven_states: set[str],
                driven_inputs: set[str]) -> dict[int, float]:
    """States that stay at their initial value in every member: not driven by a jump, a value shared by every
    member, and a rate that is identically zero when every idle state holds its value and every input the
    scenario never sets is zero (found by writing the rate with those values as literals, which fold away;
    repeated until no candidate is left with a non-zero rate). In an endotoxin run 19 of the 39 states
    (pathogen, adaptive, drugs, heat) are idle; the integrator leaves them out."""
    from ...model.symbolic import symbolic_model

    m = symbolic_model()
    zero_inputs = set(m.inputs) - driven_inputs
    start = _Emitter(_symbol_values(parameter_names, constants, {}, zero_inputs))
    idle: dict[int, float] = {}
    for i, name in enumerate(m.states):
        value = start(m.initial[name])
        if name not in driven_states and isinstance(value, float):
            idle[i] = value
    while True:
        rate = _Emitter(_symbol_values(parameter_names, constants, idle, zero_inputs))
        busy = [i for i in idle if rate(m.rhs[m.states[i]]) != 0.0]
        if not busy:
            return idle
        for i in busy:
            del idle[i]


_G_SLOT = {2: "O_G2", 3: "_G3", 4: "_G4", 5: "_G5"}  # where the additive pair keeps d Y_2 .. d Y_5


def _rk_step(name: str, doc: str, a: tuple, b: tuple, e: tuple, prefix: str, implicit: bool = False) -> str:
    """A Runge-Kutta step over all lanes as straight-line code, from a tableau: stage ``i`` puts f(Y_i) in
    ``K{i}``, the new state goes to YN and its rates to the next K (FSAL), the error (weights ``e`` over the
    K slots) into ERR; zero coefficients are left out. Coefficients are the constants ``{prefix}A{i}{j}``,
    ``{prefix}B{j}``, ``{prefix}E{j}``. With ``implicit`` (the additive pair), each stage also carries the
    implicit part d Y (``{prefix}D{i}{j}`` = a^I_ij - a^E_ij, d in JE, d Y_j in the G slots) and is divided by
    1 - h gamma d (INV)."""
    def terms(kind: str, i: int | str, row: tuple) -> list[str]:
        return [f"{prefix}{kind}{i}{j + 1} * w[O_K{j + 1} + q]" for j, v in enumerate(row) if v != 0]

    out = ["@numba.njit(cache=True, inline='always', error_model='numpy')", f"def {name}(w, rtol, atol):",
           f'    """{doc}"""']
    for i in range(2, len(a) + 1):
        out.append("    for q in range(_SL):")
        if implicit and i == 2:
            out.append(f"        w[O_INV + q] = 1.0 / (1.0 - w[O_HQ + q] * {prefix}G * w[O_JE + q])")
        total = " + ".join(terms("A", i, a[i - 1]))
        if implicit:
            total += f" + {prefix}D{i}1 * w[O_JE + q] * w[O_YC + q]"
            total += "".join(f" + {prefix}D{i}{j} * w[{_G_SLOT[j]} + q]" for j in range(2, i))
            out.append(f"        w[O_Y + q] = w[O_INV + q] * (w[O_YC + q] + w[O_HQ + q] * ({total}))")
            if i in _G_SLOT:
                out.append(f"        w[{_G_SLOT[i]} + q] = w[O_JE + q] * w[O_Y + q]")
        else:
            out.append(f"        w[O_Y + q] = w[O_YC + q] + w[O_HQ + q] * ({total})")
        out.append(f"    _rates(w, O_K{i})")
    new = " + ".join(f"{prefix}B{j + 1} * w[O_K{j + 1} + q]" for j, v in enumerate(b) if v != 0)
    err = " + ".join(f"{prefix}E{j + 1} * w[O_K{j + 1} + q]" for j, v in enumerate(e) if v != 0)
    out += ["    for q in range(_SL):", f"        w[O_YN + q] = w[O_YC + q] + w[O_HQ + q] * ({new})",
            "        w[O_Y + q] = w[O_YN + q]", f"    _rates(w, O_K{len(a) + 1})", "    for q in range(_SL):",
            f"        _error(w, rtol, atol, q, w[O_HQ + q] * ({err}))"]
    return "\n".join(out) + "\n"


def _rk_steps() -> str:
    """The kernel's Runge-Kutta steps, generated from :mod:`.tableaus`: Dormand-Prince 5(4) (method 0) and the
    additive pair ARK4(3)6L[2]SA (method 2) with and without its implicit part."""
    t = tableaus
    ark_e = tuple(bi - ei for bi, ei in zip(t.ARK_B, t.ARK_B_EMBEDDED, strict=True))
    return "\n\n".join([
        _rk_step("_dp5_step", "One Dormand-Prince 5(4) step of size HQ from YC (with f(YC) in K1): YN, f(YN) in "
                 "K7, errors in ERR.", t.DOPRI5_A, t.DOPRI5_B, t.DOPRI5_E, "_D"),
        _rk_step("_ark_step", "One ARK4(3)6L[2]SA step of size HQ from YC (f(YC) in K1), with d Y treated "
                 "implicitly (d in JE, 0 in a lane stepping explicitly): 1 / (1 - h gamma d) in INV, the stage "
                 "rates f(Y_i) in K2..K6 and d Y_i in G2 and, while they are free, YN, K7 and ERR; YN, f(YN) in "
                 "K7, errors in ERR.", t.ARK_E, t.ARK_B, ark_e, "_X", implicit=True),
        _rk_step("_erk_step", "The step of _ark_step when every lane of the group steps explicitly (d = 0): the "
                 "same sums in the same order without the terms that are then exactly zero (and a factor exactly "
                 "1), so a lane's numbers do not depend on what the other lanes of its group do.",
                 t.ARK_E, t.ARK_B, ark_e, "_X"),
    ])


def generate(parameter_names: tuple[str, ...], constants: dict[str, float] | None = None,
             driven_states: set[str] | None = None, driven_inputs: set[str] | None = None,
             symptoms: tuple[tuple[str, float], ...] = (),
             ill_from: tuple[tuple[str, float], ...] = ()) -> GeneratedModel:
    """The kernel's source for one run's model: the rates and observables of the symbolic model with the run's
    shared parameters folded in, and the integrator around them. Read from the disk cache when it was made
    before with the same arguments, model and generator (:func:`_cache_key`).

    Parameters
    ----------
    parameter_names
        Effective parameters that vary between members, in the order of the ``p`` vector.
    constants
        Effective parameters shared by every member, folded into the code as literals.
    driven_states, driven_inputs
        States that the scenario's events add to and inputs that they set (None: all). The others may be
        idle (:func:`idle_states`): held as literals, not integrated.
    symptoms
        (observable, threshold) pairs: the kernel counts, per member, the days on which the observable reached
        the threshold at an output time.
    ill_from
        (observable, threshold) pairs: a member is ill at an output time where any observable reaches its
        threshold; the kernel keeps the index of the last such output (for the recovery day).
    """
    constants = {k: float(v) for k, v in (constants or {}).items()}
    states, inputs = assembly.STATE_NAMES, assembly.INPUTS
    driven = (sorted(states) if driven_states is None else sorted(driven_states),
              sorted(inputs) if driven_inputs is None else sorted(driven_inputs))
    args = {"parameter_names": list(parameter_names), "constants": constants, "driven_states": driven[0],
            "driven_inputs": driven[1], "symptoms": [list(s) for s in symptoms],
            "ill_from": [list(s) for s in ill_from]}
    key = _cache_key(args)
    cached = _read_generated(key)
    if cached is not None:
        return cached
    model = _generate(tuple(parameter_names), constants, set(driven[0]), set(driven[1]), symptoms, ill_from)
    _write_generated(key, model)
    return model


def _generate(parameter_names: tuple[str, ...], constants: dict[str, float], driven_states: set[str],
              driven_inputs: set[str], symptoms: tuple[tuple[str, float], ...],
              ill_from: tuple[tuple[str, float], ...]) -> GeneratedModel:
    from ...model.symbolic import symbolic_model

    m = symbolic_model()
    states, inputs = assembly.STATE_NAMES, assembly.INPUTS
    idle = idle_states(parameter_names, constants, driven_states, driven_inputs)
    zero_inputs = set(inputs) - driven_inputs
    active = tuple(i for i in range(len(states)) if i not in idle)
    emit = _Emitter(_symbol_values(parameter_names, constants, idle, zero_inputs))
    rates = [emit(m.rhs[states[i]]) for i in active]
    rhs_lines = emit.lines + [f"dy[{i}] = {_lit(v)}" for i, v in zip(active, rates, strict=True)]

    flat: list[FlatObservable] = []
    for o in assembly.OBSERVABLES:
        if o.dims:
            flat += [FlatObservable(o.name, o.dims[0], label) for label in DIM_LABELS[o.dims[0]]]
        else:
            flat.append(FlatObservable(o.name))
    emit = _Emitter(_symbol_values(parameter_names, constants, idle, zero_inputs))
    values = [emit(m.observables[f.name if f.label is None else f"{f.name}_{f.label}"]) for f in flat]
    obs_lines = emit.lines + [f"o[{k}] = {_lit(v)}" for k, v in enumerate(values)]

    position = {i: k for k, i in enumerate(active)}  # a state's row among the integrated ones
    obs_states = sorted({position[int(i)] for line in obs_lines for i in re.findall(r"\by\[(\d+)\]", line)})
    flat_names = [(f.name, f.label) for f in flat]
    symptom_rows = [(flat_names.index((name, None)), float(thr)) for name, thr in symptoms]
    ill_rows = [(flat_names.index((name, None)), float(thr)) for name, thr in ill_from]
    kinds = [outcomes.peak_kind(f.name) for f in flat]
    slots = work_layout(len(active), len(parameter_names), len(inputs), len(flat), len(symptom_rows))
    vectors = {"y": "Y", "p": "P", "u": "U", "dy": "DY", "o": "O"}

    def lane_code(line: str) -> str:  # y[3] -> w[<Y + position(3) LANES> + l]
        def ref(m: re.Match[str]) -> str:
            i = int(m.group(2))
            row = position[i] if m.group(1) in ("y", "dy") else i
            return f"w[{slots[vectors[m.group(1)]] + row * LANES} + l]"

        return re.sub(r"\b(y|p|u|dy|o)\[(\d+)\]", ref, line)

    def fn(name: str, lines: list[str]) -> str:
        return (f"@numba.njit(cache=True, error_model='numpy')\ndef {name}(w):\n"
                "    for l in range(LANES):\n"
                + "".join(f"        {lane_code(line)}\n" for line in lines))

    # The integrator's per-state and per-observable work is unrolled here too, one loop over lanes around
    # straight-line code: LLVM unrolls a short inner loop over lanes completely and then leaves it scalar.

    source = "\n".join(
        [
            f"# generated by neuroimmune.engine.batch.codegen from the symbolic model: {len(states)} states "
            f"({len(idle)} idle), "
            f"{len(inputs)} inputs, {len(parameter_names)} parameters, {len(flat)} observables",
            "import math  # noqa: F401",
            "import numba",
            "from neuroimmune.engine.batch.vmath import vexp, vlog, vsqrt  # noqa: F401",
            "",
            f"LANES = {LANES}",
            f"S, NP, NU, NF, NSYM = {len(active)}, {len(parameter_names)}, {len(inputs)}, {len(flat)}, "
            f"{len(symptom_rows)}",
            f"ACTIVE = ({', '.join(map(str, active))},)  # the integrated states, by index in the model",
            f"S_ALL = {len(states)}  # all states, idle ones included (the error norm's denominator)",
            *(f"{k if k == 'NW' else 'O_' + k} = {v}" for k, v in slots.items()),
            "",
            *tableaus.kernel_constants(),
            "",
            fn("rhs_lanes", rhs_lines),
            fn("obs_lanes", obs_lines),
            fn("interp_lanes", _interpolation(obs_states, slots)),
            fn("record_lanes", _recording(kinds, slots, symptom_rows, ill_rows)),
            fn("peak_start_lanes", _peak_start(kinds, slots)),
            _KERNEL,
            _rk_steps(),
        ]
    )
    return GeneratedModel(source, parameter_names, states, inputs, tuple(flat), active)


def _cache_key(args: dict[str, Any]) -> str:
    """A hash of everything :func:`generate` depends on: its arguments, the model's code (the mechanism modules,
    the assembly, the rate-law functions and the symbolic form), this generator with its template, tableaus and
    vector functions, and the outcome definitions."""
    from ...model import functions, symbolic
    from . import vmath

    h = hashlib.sha256(json.dumps(args, sort_keys=True).encode())
    for module in (*assembly.MODULES, assembly, functions, symbolic, outcomes, tableaus, vmath, sys.modules[__name__]):
        h.update(inspect.getsource(module).encode())
    h.update(_KERNEL.encode())
    return h.hexdigest()[:24]


def _read_generated(key: str) -> GeneratedModel | None:
    try:
        d = json.loads((cache_dir() / "kernels" / f"model_{key}.json").read_text(encoding="utf-8"))
        source = (cache_dir() / "kernels" / f"kernel_{d['digest']}.py").read_text(encoding="utf-8")
    except (OSError, ValueError, KeyError):
        return None
    model = GeneratedModel(source, tuple(d["parameters"]), tuple(d["states"]), tuple(d["inputs"]),
                           tuple(FlatObservable(*f) for f in d["observables"]), tuple(d["active"]))
    return model if model.digest == d["digest"] else None


def _write_generated(key: str, model: GeneratedModel) -> None:
    """The source under its hash and, beside it, what else :func:`generate` returned, under ``key`` (each file
    written whole, or not at all; a read-only cache folder is skipped)."""
    d = {"digest": model.digest, "parameters": model.parameters, "states": model.states, "inputs": model.inputs,
         "observables": [[f.name, f.dim, f.label] for f in model.observables], "active": model.active}
    folder = cache_dir() / "kernels"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _write_once(folder / f"kernel_{model.digest}.py", model.source)
        _write_once(folder / f"model_{key}.json", json.dumps(d))
    except OSError:
        pass


def _write_once(path: Path, text: str) -> None:
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def cache_dir() -> Path:
    """Where generated kernels (and numba's compiled cache beside them) live:
    ``$NEUROIMMUNE_CACHE``, else ``$XDG_CACHE_HOME/neuroimmune``, else ``~/.cache/neuroimmune``."""
    root = os.environ.get("NEUROIMMUNE_CACHE")
    if root:
        return Path(root)
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "neuroimmune"


_LOADED: dict[str, ModuleType] = {}


def load(model: GeneratedModel) -> ModuleType:
    """Write the source under its hash (once) and import it; numba compiles on first call and caches."""
    key = model.digest
    if key in _LOADED:
        return _LOADED[key]
    folder = cache_dir() / "kernels"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"kernel_{key}.py"
    _write_once(path, model.source)
    name = f"neuroimmune_kernel_{key}"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None  # a file we just wrote
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    _LOADED[key] = module
    return module


def _kernel_template() -> str:
    """The integrator (``_kernel.py`` after its template marker), with its per-method part written out once per
    method (METHOD replaced by 0, 1, 2)."""
    text = Path(__file__).with_name("_kernel.py").read_text(encoding="utf-8").split("# ---- template ----\n", 1)[1]
    head, rest = text.split("# ---- per method ----\n", 1)
    per_method, tail = rest.split("# ---- end per method ----\n", 1)
    return head + "".join(per_method.replace("METHOD", str(m)) for m in range(3)) + tail


_KERNEL = _kernel_template()
