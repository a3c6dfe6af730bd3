"""Straight-line code for the right-hand side and the observables, generated from the model itself.

The rate laws are pure arithmetic (:mod:`neuroimmune.model.functions`), so evaluating them on *tracer*
objects instead of floats records every operation. The recording becomes the body of two functions that work
on :data:`LANES` members at once, one per SIMD lane,

* ``rhs_lanes(w)``: the rate of every state of :data:`~neuroimmune.model.assembly.STATES`,
* ``obs_lanes(w)``: every observable of :data:`~neuroimmune.model.assembly.OBSERVABLES`, flattened (one entry
  per region for ``ppt_change``),

where ``w`` is the work vector of a group of members: entry ``i`` of a slot for lane ``l`` sits at
``slot + i * LANES + l`` (states, effective parameters and inputs in; rates and observables out; the
integrator's own vectors after them, see :func:`work_layout`). Every index is a constant plus the lane, so LLVM
proves that the lanes are independent and turns the loop over lanes into vector instructions; ``exp``, ``log``
and ``sqrt`` come from :mod:`.vmath` for the same reason. Nothing here names a state, parameter or mechanism: a
new module, state or input in the model appears in the generated code on the next import. The source is cached
under a hash of itself, so compiled kernels are reused only while the model is unchanged.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
import math
import os
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from ... import outcomes
from ...model import assembly, pain
from . import tableaus

# ---- tracing -----------------------------------------------------------------------------------------------


class _Recorder:
    """Collects the assignments made while tracing, one temporary per operation."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.logs: dict[str, Expr] = {}

    def log(self, base: Expr) -> Expr:
        """``log(base)``, emitted once per base."""
        if base.code not in self.logs:
            self.logs[base.code] = self.emit(f"vlog({base.code})")
        return self.logs[base.code]

    def emit(self, code: str) -> Expr:
        name = f"t{len(self.lines)}"
        self.lines.append(f"{name} = {code}")
        return Expr(name, self)


class Expr:
    """A traced value: the name of the variable (or the literal) that holds it in the generated code."""

    __slots__ = ("code", "rec")
    __array_priority__ = 1000  # NumPy defers arithmetic to us

    def __init__(self, code: str, rec: _Recorder):
        self.code, self.rec = code, rec

    def _op(self, other: Any, fmt: str) -> Expr:
        return self.rec.emit(fmt.format(a=self.code, b=_code(other)))

    def _rop(self, other: Any, fmt: str) -> Expr:
        return self.rec.emit(fmt.format(a=_code(other), b=self.code))

    # A literal zero (an idle state or input, see generate) folds away: x + 0 = x, x * 0 = 0, 0 / x = 0. The
    # values traced are finite rates, states and parameters; a member whose state becomes inf or NaN fails by
    # status whatever its idle states do.
    def __add__(self, o: Any) -> Expr: return self if _zero(o) else self._op(o, "{a} + {b}")  # noqa: E704
    def __radd__(self, o: Any) -> Expr: return self if _zero(o) else self._rop(o, "{a} + {b}")  # noqa: E704
    def __sub__(self, o: Any) -> Expr: return self if _zero(o) else self._op(o, "{a} - {b}")  # noqa: E704
    def __rsub__(self, o: Any) -> Expr: return -self if _zero(o) else self._rop(o, "{a} - {b}")  # noqa: E704
    def __mul__(self, o: Any) -> Any: return 0.0 if _zero(o) else self._op(o, "{a} * {b}")  # noqa: E704
    def __rmul__(self, o: Any) -> Any: return 0.0 if _zero(o) else self._rop(o, "{a} * {b}")  # noqa: E704
    def __truediv__(self, o: Any) -> Expr: return self._op(o, "{a} / {b}")  # noqa: E704
    def __rtruediv__(self, o: Any) -> Any: return 0.0 if _zero(o) else self._rop(o, "{a} / {b}")  # noqa: E704
    def __pow__(self, o: Any) -> Expr:
        if isinstance(o, int | float) and float(o) in (1.0, 2.0, 3.0, 4.0):  # exact, cheaper than pow
            out = self
            for _ in range(int(o) - 1):
                out = out * self
            return out
        if isinstance(o, int | float) and float(o) == 1.5:
            return self * self.rec.emit(f"vsqrt({self.code})")
        if isinstance(o, Expr):  # a varying exponent: pow, which keeps (-x) ** 2.0 = x ** 2 as the model does
            return self._op(o, "{a} ** {b}")
        # x ** c = exp(c log x) for a constant non-integer c (NaN for x < 0, as pow gives), with log x computed
        # once per base: Hill terms raise the same cytokine to several exponents (about 15 % less CPU per member)
        return self.rec.emit(f"vexp({_code(o)} * {self.rec.log(self).code})")

    def __rpow__(self, o: Any) -> Expr: return self._rop(o, "{a} ** {b}")  # noqa: E704
    def __neg__(self) -> Expr: return self.rec.emit(f"-{self.code}")  # noqa: E704
    def __pos__(self) -> Expr: return self  # noqa: E704
    def __abs__(self) -> Expr: return self.rec.emit(f"abs({self.code})")  # noqa: E704

    # NumPy ufuncs on object arrays call these methods.
    def exp(self) -> Expr: return self.rec.emit(f"vexp({self.code})")  # noqa: E704
    def log(self) -> Expr: return self.rec.emit(f"vlog({self.code})")  # noqa: E704
    def log10(self) -> Expr: return self.rec.emit(f"vlog({self.code}) * {1 / math.log(10)!r}")  # noqa: E704
    def sqrt(self) -> Expr: return self.rec.emit(f"vsqrt({self.code})")  # noqa: E704
    def tanh(self) -> Expr: return self.rec.emit(f"math.tanh({self.code})")  # noqa: E704

    def __bool__(self) -> bool:
        raise TypeError("the cohort code generator traces arithmetic only: a rate law branches on a state or "
                        "parameter value (use neuroimmune.model.functions.pos or a smooth switch instead)")


def _zero(value: Any) -> bool:
    return isinstance(value, int | float | np.floating | np.integer) and float(value) == 0.0


def _code(value: Any) -> str:
    if isinstance(value, Expr):
        return value.code
    if isinstance(value, int | float | np.floating | np.integer):
        return repr(float(value))
    raise TypeError(f"cannot trace an operation with a {type(value).__name__}")


class _Vector:
    """Attribute access ``ns.name`` mapped to ``vec[i]`` in the generated code, or to a literal for a name in
    ``constants`` (a parameter that is the same for every member is folded into the code)."""

    def __init__(self, vec: str, names: tuple[str, ...], rec: _Recorder, constants: dict[str, float] | None = None):
        self._index = {n: i for i, n in enumerate(names)}
        self._vec, self._rec, self._constants = vec, rec, constants or {}

    def __getattr__(self, name: str) -> Expr | float:
        if name in self._constants:
            return self._constants[name]
        try:
            return Expr(f"{self._vec}[{self._index[name]}]", self._rec)
        except KeyError:
            raise AttributeError(f"{self._vec} has no entry {name!r}") from None


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


#: Coordinates of the observables' extra dimensions (an unknown dimension is labelled 0, 1, ...).
DIM_LABELS: dict[str, list[str]] = {"region": list(pain.REGIONS)}


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


def _body(values: list[Any], target: str, rec: _Recorder) -> list[str]:
    out = list(rec.lines)
    for i, v in enumerate(values):
        out.append(f"{target}[{i}] = {_code(v)}")
    return out


def _trace_rates(p_names: tuple[str, ...], constants: dict[str, float], idle: dict[int, float],
                 zero_inputs: set[str]) -> tuple[list[str], list[Any]]:
    rec = _Recorder()
    p = _Vector("p", p_names, rec, constants)
    y = [idle[i] if i in idle else Expr(f"y[{i}]", rec) for i in range(len(assembly.STATE_NAMES))]
    u = _Vector("u", assembly.INPUTS, rec, dict.fromkeys(zero_inputs, 0.0))
    rates = list(assembly.make_rhs(p)(0.0, y, u))
    return rec.lines, rates


def idle_states(parameter_names: tuple[str, ...], constants: dict[str, float], driven_states: set[str],
                driven_inputs: set[str]) -> dict[int, float]:
    """States that stay at their initial value in every member: not driven by a jump, a value shared by every
    member, and a rate that is identically zero when every idle state holds its value and every input the
    scenario never sets is zero (found by tracing with those values as literal zeros and constants, which fold
    away; repeated until no candidate is left with a non-zero rate). In an endotoxin run 23 of the 39 states
    (pathogen, adaptive, drugs, behaviour) are idle; the integrator leaves them out."""
    rec = _Recorder()
    p = _Vector("p", parameter_names, rec, constants)
    idle: dict[int, float] = {}
    for i, state in enumerate(assembly.STATES):
        value = state.initial(p)
        if state.name not in driven_states and not isinstance(value, Expr):
            idle[i] = float(value)
    zero_inputs = set(assembly.INPUTS) - driven_inputs
    while True:
        _, rates = _trace_rates(parameter_names, constants, idle, zero_inputs)
        busy = [i for i in idle if not _zero(rates[i])]
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
    """Trace the model's rates and observables.

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
    driven_states = set(states) if driven_states is None else set(driven_states)
    driven_inputs = set(inputs) if driven_inputs is None else set(driven_inputs)
    idle = idle_states(parameter_names, constants, driven_states, driven_inputs)
    zero_inputs = set(inputs) - driven_inputs
    active = tuple(i for i in range(len(states)) if i not in idle)
    lines, rates = _trace_rates(parameter_names, constants, idle, zero_inputs)
    rhs_lines = lines + [f"dy[{i}] = {_code(rates[i])}" for i in active]

    rec = _Recorder()
    p = _Vector("p", parameter_names, rec, constants)
    y_obs = np.empty(len(states), dtype=object)
    y_obs[:] = [idle[i] if i in idle else Expr(f"y[{i}]", rec) for i in range(len(states))]
    values = assembly.observables(y_obs, p)
    flat: list[FlatObservable] = []
    exprs: list[Any] = []
    for o in assembly.OBSERVABLES:
        v = np.broadcast_to(np.asarray(values[o.name], dtype=object), np.shape(values[o.name])).ravel()
        if o.dims:
            labels = DIM_LABELS.get(o.dims[0], [str(i) for i in range(len(v))])
            flat += [FlatObservable(o.name, o.dims[0], labels[i]) for i in range(len(v))]
        else:
            flat.append(FlatObservable(o.name))
        exprs += list(v)
    obs_lines = _body(exprs, "o", rec)

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
            f"# generated by neuroimmune.engine.batch.codegen: {len(states)} states ({len(idle)} idle), "
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
    if not path.exists() or path.read_text() != model.source:
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(model.source)
        os.replace(tmp, path)
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
