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
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from ... import outcomes
from ...io.atomic import write_text
from ...io.cache import cache_dir
from ...model import assembly
from ...model.functions import symbolic_pos
from ...model.symbolic import COORDINATES
from . import sparse, tableaus

# ---- code from the symbolic model --------------------------------------------------------------------------

Value = float | str  # a literal (folded) or the name of a variable in the generated code


class _Emitter:
    """Writes sympy expressions out as straight-line code: one assignment ``t<k> = ...`` per operation, each
    distinct subexpression once. ``values`` gives the code of each symbol: a name (``y[3]``) or a float, which
    folds: constant subexpressions are computed here, ``x + 0`` is ``x``, ``x * 0`` and ``0 / x`` are 0 (the
    values folded are finite rates, states and parameters; a member whose state becomes inf or NaN fails by
    status whatever its idle states do).

    Powers: ``x ** 2``, ``x ** 3`` and ``x ** 4`` are products (``x ** -2`` ... products of ``1 / x``),
    ``x ** 1.5`` is ``x * sqrt(x)``, another constant exponent c is ``exp(c log x)`` with ``log x`` computed once
    per base (Hill terms raise the same cytokine to several exponents: about 15 % less CPU per member), NaN for
    x < 0 as ``pow`` gives; an exponent that varies between members stays ``pow``. The positive part
    :func:`neuroimmune.model.functions.pos` is one select and a division by a constant a product
    (:func:`_positive_part`); ``sign`` (in derivatives of the positive part) is two selects."""

    def __init__(self, values: dict[Any, Value]):
        self.values = values
        self.lines: list[str] = []
        self.memo: dict[Any, Value] = {}
        self.logs: dict[str, str] = {}
        self.codes: dict[str, str] = {}

    def emit(self, code: str) -> str:
        """The variable holding ``code``: a new one, or the one that already holds the same operation on the same
        operands (sympy expressions that differ only in what folds away, as a region's factor 1, end in the same
        code)."""
        name = self.codes.get(code)
        if name is None:
            name = self.codes[code] = f"t{len(self.lines)}"
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
            part = _positive_part(e)
            if part is not None:
                x = self(part)
                return max(x, 0.0) if isinstance(x, float) else self.emit(f"0.0 if {x} < 0.0 else {x}")
            return self._mul(e.args)
        if e.is_Pow:
            return self._pow(self(e.base), self(e.exp))
        if isinstance(e, symbolic_pos()):  # the smooth positive part: its arithmetic, shared through the memo
            return self(e.arithmetic())
        (arg,) = e.args
        x = self(arg)
        name = type(e).__name__
        if isinstance(e, sympy.Abs) or name == "AbsValue":
            return abs(x) if isinstance(x, float) else self.emit(f"abs({x})")
        if isinstance(e, sympy.log):
            return math.log(x) if isinstance(x, float) else self.log(x)
        if isinstance(e, sympy.exp):
            return math.exp(x) if isinstance(x, float) else self.emit(f"vexp({x})")
        if isinstance(e, sympy.sign) or name == "Sign":  # in derivatives of abs (the positive part)
            if isinstance(x, float):
                return math.copysign(1.0, x) if x else 0.0
            return self.emit(f"1.0 if {x} > 0.0 else (-1.0 if {x} < 0.0 else 0.0)")
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
        if op == "/" and isinstance(b, float) and b != 0.0:  # a product: a division is several times slower
            return self.emit(f"{_lit(a)} * {1.0 / b!r}")
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
        if c in (-1.0, -2.0, -3.0, -4.0):  # (1 / x)^k (derivatives of Hill functions square their denominators)
            return self._pow(self.emit(f"1.0 / {x}"), -c)
        if c == 0.5:
            return self.emit(f"vsqrt({x})")
        if c == 1.5:
            return self.emit(f"{x} * {self.emit(f'vsqrt({x})')}")
        return self.emit(f"vexp({c!r} * {self.log(x)})")


def _positive_part(e: Any) -> Any:
    """``x`` if ``e`` is :func:`neuroimmune.model.functions.pos` of ``x``, ``(x + |x|) * 0.5``, else None. Written
    as one select (a vector max; NaN stays NaN) instead of an absolute value, a sum and a product: about 11 %
    of the right-hand side's time (with constant divisors as products, below)."""
    import sympy

    half = sympy.Float(0.5)
    if len(e.args) != 2 or half not in e.args:
        return None
    add = e.args[1] if e.args[0] == half else e.args[0]
    if not add.is_Add or len(add.args) != 2:
        return None
    a, b = add.args
    if _is_abs(b) and b.args[0] == a:
        return a
    if _is_abs(a) and a.args[0] == b:
        return b
    return None


def _is_abs(e: Any) -> bool:
    import sympy

    return isinstance(e, sympy.Abs) or type(e).__name__ == "AbsValue"


def _float_code(v: float) -> str:
    """Python code for a float, NaN and infinities included (the generated module imports math)."""
    if math.isnan(v):
        return "math.nan"
    return repr(v) if math.isfinite(v) else ("math.inf" if v > 0 else "-math.inf")


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


#: Per-lane values of the integrator and the recording, kept in the work vector (one entry per lane), so that
#: the generated lane functions read and write them like the states (see :func:`work_layout`).
LANE_VALUES = ("T", "H", "HS", "TN", "ACT", "ACC", "FIN", "ST", "NST", "NFE", "JDUE", "PEND", "TH", "EXACT", "J", "TJ",
               "DT", "DAYV", "JIDX", "LILL")
#: Values shared by the lanes of a group (one entry each): the segment's end, the tolerances, the step budget,
#: the step-size controller's exponent -1 / (embedded order + 1) and the number of lanes (for the integrator's
#: own short loops over lanes, see ``_kernel.py``).
SHARED_VALUES = ("TEND", "RTOL", "ATOL", "MAXS", "EXPO", "NLANES")


def work_layout(n_states: int, n_params: int, n_inputs: int, n_obs: int, n_symptoms: int = 0, n_jac: int = 0,
                n_lu: int = 0) -> dict[str, int]:
    """Offsets of the slots of a group's work vector ``w`` (a slot of size ``k`` holds ``k * LANES`` entries),
    and its length ``NW``. The model's inputs and outputs: ``Y`` state, ``P`` parameters, ``U`` inputs, ``DY``
    rates, ``O`` observables. The integrator's: ``YC`` current state, ``YN`` proposed state, ``K1``..``K7``
    stages, ``JAC`` the Jacobian's structural nonzeros and ``LU`` the factors of I - h gamma J (the Rosenbrock
    method). The recording's: per
    observable the baseline, largest deviation, peak, its time, area and previous deviation; per symptom the
    days counted and the last day counted. Then one entry per lane for each of :data:`LANE_VALUES`, and the
    :data:`SHARED_VALUES`, one entry each. The generated module names them ``O_Y``, ``O_P``, ... One vector
    with constant offsets, not separate arrays: LLVM then needs no run-time alias checks to vectorise over
    lanes."""
    sizes = {"Y": n_states, "P": n_params, "U": n_inputs, "DY": n_states, "O": n_obs, "YC": n_states,
             "YN": n_states, **{f"K{i}": n_states for i in range(1, 8)}, "JAC": n_jac, "LU": n_lu,
             **dict.fromkeys(("BASE", "BEST", "PK", "PKT", "AUC", "PREV"), n_obs), "SDAYS": n_symptoms,
             "SLAST": n_symptoms, **dict.fromkeys(LANE_VALUES, 1)}
    out, at = {}, 0
    for name, size in sizes.items():
        out[name] = at
        at += size * LANES
    for name in SHARED_VALUES:
        out[name] = at
        at += 1
    out["NW"] = at
    return out


class _Slots:
    """References into the work vector in the generated lane code: ``s("YC", 3)`` is row 3 of slot YC in this
    lane, ``s("T")`` a per-lane value, ``s.shared("RTOL")`` a value shared by the lanes; ``fma``: write fused
    multiply-adds."""

    def __init__(self, slots: dict[str, int], fma: bool = False):
        self.slots, self.fma = slots, fma

    def __call__(self, slot: str, row: int = 0) -> str:
        return f"w[{self.slots[slot] + row * LANES} + l]"

    def shared(self, name: str) -> str:
        return f"sh_{name}"


def _lane_function(name: str, lines: list[str], doc: str = "") -> str:
    """A function over the lanes of a group: one loop over lanes around straight-line code (LLVM turns the
    loop into vector instructions; a short inner loop over lanes would be unrolled and then left scalar). A
    value read and then conditionally replaced is always loaded first, so that the choice is a select and the
    loop stays free of branches; values shared by the lanes (``sh_<name>``) are read before the loop, since a
    read of one fixed entry inside it keeps LLVM from vectorising."""
    head = f"@numba.njit(cache=True, error_model='numpy')\ndef {name}(w):\n"
    if doc:
        head += f'    """{doc}"""\n'
    for shared in sorted(set(re.findall(r"\bsh_([A-Z]+)\b", "\n".join(lines)))):
        head += f"    sh_{shared} = w[O_{shared}]\n"
    return head + "    for l in range(LANES):\n" + "".join(f"        {line}\n" for line in lines)


def _sum(terms: list[tuple[Any, str]], fma: bool) -> str:
    """``c1 * x1 + c2 * x2 + ...`` over the terms with a coefficient other than 0, summed left to right; with
    ``fma``, each term after the first added by a fused multiply-add."""
    terms = [(f"{float(c)!r}" if not isinstance(c, str) else c, x) for c, x in terms if c != 0]
    if not fma:
        return " + ".join(f"{c} * {x}" for c, x in terms)
    out = f"{terms[0][0]} * {terms[0][1]}"
    for c, x in terms[1:]:
        out = f"vfma({c}, {x}, {out})"
    return out


def _axpy(a: str, x: str, y: str, fma: bool) -> str:
    """``y + a * x``, fused with ``fma``."""
    return f"vfma({a}, {x}, {y})" if fma else f"{y} + {a} * ({x})"


_PRODUCT = re.compile(r"(t\d+) = ([^\s()]+) \* ([^\s()]+)")  # operands: names, entries and literals
_SUM = re.compile(r"(t\d+) = ([^\s()]+) ([-+]) ([^\s()]+)")


def _fuse(lines: list[str]) -> list[str]:
    """Straight-line code with each sum or difference of a product used nowhere else written as one fused
    multiply-add: ``a = x * y; b = a + z`` becomes ``b = vfma(x, y, z)`` (``z - a``: ``vfma(-x, y, z)``)."""
    uses: dict[str, int] = {}
    for line in lines:
        for name in re.findall(r"\bt\d+\b", line.split(" = ", 1)[1]):
            uses[name] = uses.get(name, 0) + 1
    products = {}
    for line in lines:
        m = _PRODUCT.fullmatch(line)
        if m and uses.get(m.group(1)) == 1:
            products[m.group(1)] = (m.group(2), m.group(3))
    fused: set[str] = set()
    out = []
    for line in lines:
        m = _SUM.fullmatch(line)
        if m:
            name, a, op, b = m.groups()
            if a in products and a not in fused:
                x, y = products[a]
                fused.add(a)
                line = f"{name} = vfma({x}, {y}, {b if op == '+' else _negate(b)})"
            elif b in products and b not in fused:
                x, y = products[b]
                fused.add(b)
                line = f"{name} = vfma({x if op == '+' else _negate(x)}, {y}, {a})"
        out.append(line)
    return [line for line in out if line.split(" = ", 1)[0] not in fused]


_DIVIDE = re.compile(r"(t\d+) = ([^\s()]+) / ([^\s()]+)")


def _share_reciprocals(lines: list[str]) -> list[str]:
    """Straight-line code with every denominator that divides more than once inverted once: ``a / d`` and
    ``b / d`` become ``a * r`` and ``b * r`` with ``r = 1 / d`` (a division costs several multiplications and
    does not overlap with the next one; the Jacobian's quotient rules divide by the same denominators many
    times: 113 divisions in the influenza Jacobian, 39 denominators)."""
    count: dict[str, int] = {}
    for line in lines:
        m = _DIVIDE.fullmatch(line)
        if m:
            count[m.group(3)] = count.get(m.group(3), 0) + 1
    inverse: dict[str, str] = {}
    out = []
    for line in lines:
        m = _DIVIDE.fullmatch(line)
        if not m or count[m.group(3)] < 2:
            out.append(line)
            continue
        name, a, d = m.groups()
        if d not in inverse:
            if a == "1.0":
                inverse[d] = name
                out.append(line)
                continue
            inverse[d] = f"r{name}"
            out.append(f"r{name} = 1.0 / {d}")
        out.append(f"{name} = {inverse[d]}" if a == "1.0" else f"{name} = {a} * {inverse[d]}")
    return out


def _negate(x: str) -> str:
    try:
        return repr(-float(x))
    except ValueError:
        return x[1:] if x.startswith("-") else f"-{x}"


def _rk_stages(a: tuple, s: _Slots, n: int) -> list[list[str]]:
    """The lane code before each right-hand side of an explicit Runge-Kutta step from YC with f(YC) in K1: block
    ``i`` stores the rates of stage ``i`` (in DY) in K``i`` and sets Y to the next stage's value."""
    blocks = []
    for i in range(2, len(a) + 1):
        lines = ["h = " + s("HS")]
        for r in range(n):
            if i > 2:
                lines.append(f"{s(f'K{i - 1}', r)} = {s('DY', r)}")
            terms: list[tuple[Any, str]] = [(c, s(f"K{j + 1}", r)) for j, c in enumerate(a[i - 1])]
            lines.append(f"{s('Y', r)} = {_axpy('h', _sum(terms, s.fma), s('YC', r), s.fma)}")
        blocks.append(lines)
    return blocks


def _rk_new(b: tuple, s: _Slots, n: int) -> list[str]:
    """Lane code after the last stage's rates: K``len(b)`` from DY, the new state YN (and Y) from the weights."""
    k = len(b)
    lines = ["h = " + s("HS")]
    for r in range(n):
        total = _sum([(c, s(f"K{j + 1}", r)) for j, c in enumerate(b)], s.fma)
        lines += [f"{s(f'K{k}', r)} = {s('DY', r)}", f"yn = {_axpy('h', total, s('YC', r), s.fma)}",
                  f"{s('YN', r)} = yn", f"{s('Y', r)} = yn"]
    return lines


def _control(err: list[str], s: _Slots, n: int, n_total: int, evals: int) -> list[str]:
    """Lane code after the rates at the new state (in DY, copied to K7): the error norm, the RMS over all
    ``n_total`` states of err_i / (atol + rtol max(|y_i|, |y_new,i|)) (an idle state's error is exactly 0),
    from the error estimates ``err`` per integrated state (its square summed in four running sums, whose
    waits on each other overlap); acceptance (a finite norm of at most 1); the next step size, h times
    0.9 norm^expo (from the squared norm, without a square root) kept within [0.2, 10] after an accepted step
    and [0.2, 1] after a rejected one; the time at the end of an accepted step; the counts of steps and
    evaluations; and the status of a lane that stops: 2 a non-finite error, 1 the step budget spent, 3 a step
    size below 1e-12 of the time. A lane that is not running keeps everything (its zero-length step is
    discarded)."""
    lines = [f"act = {s('ACT')} != 0.0", f"h = {s('H')}", f"t = {s('T')}"]
    for r in range(n):  # four running sums, so that the squares need not wait on each other
        lines += [f"{s('K7', r)} = {s('DY', r)}",
                  f"q = ({err[r]}) / ({s.shared('ATOL')} + {s.shared('RTOL')} * max(abs({s('YC', r)}), "
                  f"abs({s('YN', r)})))",
                  f"e2_{r % 4} = q * q" if r < 4 else f"e2_{r % 4} = {_axpy('q', 'q', f'e2_{r % 4}', s.fma)}"]
    partial = [f"e2_{k}" for k in range(min(n, 4))] + ["0.0"] * (4 - min(n, 4))
    lines += [
        f"ms = (({partial[0]} + {partial[1]}) + ({partial[2]} + {partial[3]})) * {1.0 / n_total!r}",  # norm squared
        "finite = ms <= 1.7976931348623157e308",  # False for inf and NaN
        "good = ms <= 1.0",
        f"fr = max(0.2, 0.9 * vexp((0.5 * {s.shared('EXPO')}) * vlog(ms)))",  # inf at 0: the cap 10 applies
        "up = min(10.0, fr)",
        "down = min(1.0, fr)",
        "fac = up if good else down",
        "acc = act & finite & good",
        f"fin = {s('FIN')} != 0.0",
        f"tend = {s.shared('TEND')}",
        "tnext = t + h",
        "tn = tend if fin else tnext",
        "hn = h * fac if act else h",
        f"nst = {s('NST')} + (1.0 if act else 0.0)",
        f"st = {s('ST')}",
        "nan = act & (not finite)",
        f"limit = act & finite & (nst >= {s.shared('MAXS')})",
        "tu = tn if acc else t",
        "under = act & finite & (not limit) & (not (acc & fin)) & (hn < 1e-12 * max(1.0, abs(tu)))",
        f"{s('ACC')} = 1.0 if acc else 0.0",
        f"{s('TN')} = tn",
        f"{s('H')} = hn",
        f"{s('NST')} = nst",
        f"nfe = {s('NFE')}",
        f"{s('NFE')} = nfe + ({float(evals)!r} if act else 0.0)",
        f"{s('ST')} = 2.0 if nan else (1.0 if limit else (3.0 if under else st))",
        f"running = {s('ACT')}",
        f"{s('ACT')} = 0.0 if nan | limit | under else running",
    ]
    return lines


def _step(name: str, doc: str, blocks: list[list[str]], new: list[str], control: list[str], s: _Slots) -> str:
    """A step as lane functions ``{name}_1``, ``{name}_2``, ... between the right-hand sides (the first also
    choosing the step, :func:`_begin`), and the step function that calls them."""
    parts = []
    calls = []
    blocks = [_begin(s) + blocks[0], *blocks[1:]]
    for k, lines in enumerate([*blocks, new], 1):
        parts.append(_lane_function(f"{name}_{k}", lines))
        calls += [f"    {name}_{k}(w)", "    rhs_lanes(w)"]
    parts.append(_lane_function(f"{name}_control", control))
    calls.append(f"    {name}_control(w)")
    parts.append(f"@numba.njit(cache=True, error_model='numpy')\ndef {name}(w):\n    \"\"\"{doc}\"\"\"\n"
                 + "\n".join(calls) + "\n")
    return "\n\n".join(parts)


def _w_step(s: _Slots, n: int, n_total: int, cells: Sequence[tuple[int, int]], lu: sparse.Plan) -> str:
    """ROS34PW2 in lane code (method 1) with the model's Jacobian J (entry ``cells[k]`` in JAC row k), in the
    variables u_i of :func:`.tableaus._rosenbrock_transformed`: M = I - h gamma J factored once a step
    (:mod:`.sparse`, the factors in LU), then per stage M u_i = h gamma f(Y_i) + sum_j C_ij u_j solved with
    them, u_i in K``i + 1``; YN; the error from the embedded weights."""
    from . import tableaus as tb

    where = {cell: k for k, cell in enumerate(cells)}
    g = tb.GAMMA_DIAG

    def entry(i: int, j: int) -> str:
        k = where.get((i, j))
        if k is None:
            return "1.0" if i == j else "0.0"
        return f"1.0 - hg * {s('JAC', k)}" if i == j else f"-hg * {s('JAC', k)}"

    def stage(i: int, rate: str) -> list[str]:  # u_i from the rates in slot ``rate``, into K(i + 1)
        lines = []
        for r in range(n):
            terms = [(c, s(f"K{j + 2}", r)) for j, c in enumerate(tb.ROS_C[i - 1])]
            b = f"hg * {s(rate, r)}"
            if terms:
                b = f"{_sum(terms, s.fma)} + {b}" if not s.fma else _axpy("hg", s(rate, r), _sum(terms, True), True)
            lines.append(f"b{r} = {b}")
        lines += sparse.solve_lines(lu, lambda r: f"b{r}", lambda k: s("LU", k), "u", s.fma)
        return lines + [f"{s(f'K{i + 1}', r)} = u{r}" for r in range(n)]

    def next_y(i: int) -> list[str]:  # Y_i = YC + sum_j A_ij u_j
        lines = []
        for r in range(n):
            y = s("YC", r)
            for j, c in enumerate(tb.ROS_A[i - 1]):
                if c:
                    y = _axpy(repr(c), s(f"K{j + 2}", r), y, s.fma)
            lines.append(f"{s('Y', r)} = {y}")
        return lines

    hg = ["h = " + s("HS"), f"hg = h * {g!r}"]
    blocks = [hg + sparse.factor_lines(lu, entry, lambda k: s("LU", k), s.fma) + stage(1, "K1") + next_y(2)]
    for i in (2, 3):
        blocks.append(hg + stage(i, "DY") + next_y(i + 1))
    new = hg + stage(4, "DY")
    for r in range(n):
        new += [f"yn = {s('YC', r)} + ({_sum([(tb.ROS_M[j], s(f'K{j + 2}', r)) for j in range(4)], s.fma)})",
                f"{s('YN', r)} = yn", f"{s('Y', r)} = yn"]
    err = [_sum([(tb.ROS_M[j] - tb.ROS_M_EMBEDDED[j], s(f"K{j + 2}", r)) for j in range(4)], s.fma)
           for r in range(n)]
    return _step("_w_step", "One ROS34PW2 step of size HS from YC (f(YC) in K1, the Jacobian in JAC): YN, f(YN) "
                 "in K7, the error control.", blocks, new, _control(err, s, n, n_total, 4), s)


def _steps(s: _Slots, n: int, n_total: int, cells: Sequence[tuple[int, int]], lu: sparse.Plan) -> str:
    """The kernel's steps, generated from :mod:`.tableaus`: Dormand-Prince 5(4) and ROS34PW2."""
    from . import tableaus as t

    err = [f"{s('HS')} * ({_sum([(c, s(f'K{j + 1}', r)) for j, c in enumerate(t.DOPRI5_E)], s.fma)})"
           for r in range(n)]
    return "\n\n".join([
        _step("_dp5_step", "One Dormand-Prince 5(4) step of size HS from YC (with f(YC) in K1): YN, f(YN) in K7 "
              "(first same as last), the error control.", _rk_stages(t.DOPRI5_A, s, n),
              _rk_new(t.DOPRI5_B, s, n), _control(err, s, n, n_total, 6), s),
        _w_step(s, n, n_total, cells, lu),
    ])


def _begin(s: _Slots) -> list[str]:
    """Lane code before a step: a running lane whose step reaches (or nearly reaches) the segment's end steps to
    it exactly (FIN); HS is the step taken, 0 in a lane that is not running (its step is discarded)."""
    return [f"act = {s('ACT')} != 0.0", f"t = {s('T')}", f"h = {s('H')}", f"tend = {s.shared('TEND')}",
            "fin = act & ((t + h >= tend) | (t + 1.01 * h >= tend))",
            "h = tend - t if fin else h",
            f"{s('H')} = h", f"{s('FIN')} = 1.0 if fin else 0.0", f"{s('HS')} = h if act else 0.0"]


def _accept(s: _Slots, n: int) -> list[str]:
    """Lane code after the outputs of a step: an accepted step moves YC to YN and K1 to f(YN), the time to its
    end, and a lane whose accepted step was its segment's last stops running."""
    lines = [f"acc = {s('ACC')} != 0.0"]
    for r in range(n):
        lines += [f"yc = {s('YC', r)}", f"yn = {s('YN', r)}", f"{s('YC', r)} = yn if acc else yc",
                  f"k1 = {s('K1', r)}", f"k7 = {s('K7', r)}", f"{s('K1', r)} = k7 if acc else k1"]
    lines += [f"t = {s('T')}", f"tn = {s('TN')}", f"{s('T')} = tn if acc else t",
              f"act = {s('ACT')}", f"{s('ACT')} = 0.0 if acc & ({s('FIN')} != 0.0) else act"]
    return lines


def _weights(kind: str, fma: bool) -> list[str]:
    """The dense-output weights at the lane's fraction ``th`` of the step: Dormand-Prince's continuous extension
    (Shampine 1986) over K1, K3, K4, K5, K6, K7, or the cubic Hermite interpolant over f0 (K1), (y1 - y0) / h
    (K3) and f1 (K7): y = y0 + h (th (th - 1)^2 f0 + th^2 (3 - 2 th) (y1 - y0) / h + th^2 (th - 1) f1)."""
    if kind == "dp5" and fma:
        return ["b1 = th * vfma(th, vfma(th, vfma(th, _P03, _P02), _P01), _P00)",
                *(f"b{k} = th * th * vfma(th, vfma(th, _P{k - 1}3, _P{k - 1}2), _P{k - 1}1)" for k in (3, 4, 5, 6, 7))]
    if kind == "dp5":
        return ["b1 = th * (_P00 + th * (_P01 + th * (_P02 + th * _P03)))",
                *(f"b{k} = th * th * (_P{k - 1}1 + th * (_P{k - 1}2 + th * _P{k - 1}3))" for k in (3, 4, 5, 6, 7))]
    return ["b1 = th * (th - 1.0) * (th - 1.0)", "b3 = th * th * (3.0 - 2.0 * th)", "b7 = th * th * (th - 1.0)"]


def _output(kind: str, s: _Slots, obs_lines: list[str], obs_rows: list[int], record: list[str]) -> list[str]:
    """Lane code for one output time per lane with PEND: the states the observables read at the output time
    (the step's end state where the output is at its end, else the dense output at TH of the step), the
    observables (into O, for the trajectories) and the running summaries (``record``)."""
    ks = (1, 3, 4, 5, 6, 7) if kind == "dp5" else (1, 3, 7)
    lines = [f"th = {s('TH')}", f"x = {s('EXACT')} != 0.0", f"h = {s('HS')}", *_weights(kind, s.fma)]
    for r in obs_rows:
        dense = _sum([(f"b{k}", s(f"K{k}", r)) for k in ks], s.fma)
        lines += [f"yn = {s('YN', r)}", f"yd = {_axpy('h', dense, s('YC', r), s.fma)}", f"y_{r} = yn if x else yd"]
    return lines + obs_lines + record


def _hermite_prep(s: _Slots, n: int) -> list[str]:
    """(y1 - y0) / h into K3 for the cubic Hermite output of methods 1 and 2 (K3 is free after the step)."""
    return ["rh = 1.0 / " + s("HS")] + [f"{s('K3', r)} = ({s('YN', r)} - {s('YC', r)}) * rh" for r in range(n)]


def _recording(kinds: Sequence[str], s: _Slots, symptoms: list[tuple[int, float]],
               ill_from: list[tuple[int, float]], recorded: Sequence[int]) -> list[str]:
    """Lane code for the running summaries of each observable ``o_<f>`` in the lanes recording an output (PEND):
    its peak of kind ``kinds[f]`` (:func:`neuroimmune.outcomes.peak_kind`: the highest value, the lowest, or the
    one furthest from the baseline; the first output of equal ones) and its time, and the trapezoid area from
    the baseline; per symptom, a day counted when the observable reaches its threshold on a day not yet counted
    (outputs come in time order; DAYV holds :func:`neuroimmune.outcomes.day_index` of the output); the index of
    the last output at which the member was ill. Other lanes keep theirs. :func:`_peak_start` sets the peaks so
    that the first output always replaces them. Only the observables ``recorded`` are (see :func:`_sources`)."""
    out = [f"on = {s('PEND')} != 0.0", f"tj = {s('TJ')}", f"dt = {s('DT')}", f"dv = {s('DAYV')}"]
    for k, (f, thr) in enumerate(symptoms):
        out += [f"above = on & (o_{f} >= {thr!r})", f"sd = {s('SDAYS', k)}", f"sl = {s('SLAST', k)}",
                f"{s('SDAYS', k)} = sd + (1.0 if above & (dv != sl) else 0.0)",
                f"{s('SLAST', k)} = dv if above else sl"]
    if ill_from:
        cond = " | ".join(f"(o_{f} >= {thr!r})" for f, thr in ill_from)
        out += [f"ill = on & ({cond})", f"li = {s('LILL')}", f"ji = {s('JIDX')}", f"{s('LILL')} = ji if ill else li"]
    for f in recorded:
        kind = kinds[f]
        out += [f"dev = o_{f} - {s('BASE', f)}", f"pk = {s('PK', f)}", f"pkt = {s('PKT', f)}",
                f"auc = {s('AUC', f)}", f"prev = {s('PREV', f)}"]
        if kind == "max":
            out.append(f"better = on & (o_{f} > pk)")
        elif kind == "min":
            out.append(f"better = on & (o_{f} < pk)")
        else:
            out += [f"best = {s('BEST', f)}", "ad = abs(dev)", "better = on & (ad > best)",
                    f"{s('BEST', f)} = ad if better else best"]
        out += [f"{s('PK', f)} = o_{f} if better else pk", f"{s('PKT', f)} = tj if better else pkt",
                f"{s('AUC', f)} = auc + (0.5 * (dev + prev) * dt if on else 0.0)",
                f"{s('PREV', f)} = dev if on else prev"]
    return out


def _peak_start(kinds: Sequence[str], s: _Slots, recorded: Sequence[int]) -> list[str]:
    """The observables in the O slot become the baseline; peaks start where the first output replaces them (a
    maximum at -inf, a minimum at +inf, the largest deviation at -1)."""
    out = []
    for f in recorded:
        kind = kinds[f]
        out.append(f"{s('BASE', f)} = {s('O', f)}")
        start = {"max": "-math.inf", "min": "math.inf"}.get(kind)
        out.append(f"{s('BEST', f)} = -1.0" if start is None else f"{s('PK', f)} = {start}")
    return out


def _sources(values: Sequence[Value], kinds: Sequence[str]) -> tuple[list[int], list[float]]:
    """Per flat observable, the observable whose running summaries it shares: itself, an earlier one computed
    by the same code with the same peak kind (body regions whose heat and sensitivity factors are the same
    fold to the same code), or -1 for a constant (one the scenario never moves, as the viral load after
    endotoxin: its peak is that value at the first output and its area 0); and the constants' values (NaN for the
    others). Summaries shared or constant are not recorded at each output (endotoxin: 5 of 19)."""
    source: list[int] = []
    constant: list[float] = []
    first: dict[tuple[str, str], int] = {}
    for f, (v, kind) in enumerate(zip(values, kinds, strict=True)):
        if isinstance(v, float):
            source.append(-1)
            constant.append(v)
            continue
        source.append(first.setdefault((v, kind), f))
        constant.append(math.nan)
    return source, constant


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
    from .vmath import host_has_fma

    constants = {k: float(v) for k, v in (constants or {}).items()}
    fma = host_has_fma()
    states, inputs = assembly.STATE_NAMES, assembly.INPUTS
    driven = (sorted(states) if driven_states is None else sorted(driven_states),
              sorted(inputs) if driven_inputs is None else sorted(driven_inputs))
    args = {"parameter_names": list(parameter_names), "constants": constants, "driven_states": driven[0],
            "driven_inputs": driven[1], "symptoms": [list(s) for s in symptoms],
            "ill_from": [list(s) for s in ill_from], "fma": fma}
    key = _cache_key(args)
    cached = _read_generated(key)
    if cached is not None:
        return cached
    model = _generate(tuple(parameter_names), constants, set(driven[0]), set(driven[1]), symptoms, ill_from,
                      fma)
    _write_generated(key, model)
    return model


def _generate(parameter_names: tuple[str, ...], constants: dict[str, float], driven_states: set[str],
              driven_inputs: set[str], symptoms: tuple[tuple[str, float], ...],
              ill_from: tuple[tuple[str, float], ...], fma: bool) -> GeneratedModel:
    from ...model.symbolic import symbolic_model

    m = symbolic_model()
    states, inputs = assembly.STATE_NAMES, assembly.INPUTS
    idle = idle_states(parameter_names, constants, driven_states, driven_inputs)
    zero_inputs = set(inputs) - driven_inputs
    active = tuple(i for i in range(len(states)) if i not in idle)
    emit = _Emitter(_symbol_values(parameter_names, constants, idle, zero_inputs))
    rates = [emit(m.rhs[states[i]]) for i in active]
    rhs_lines = emit.lines + [f"dy[{i}] = {_lit(v)}" for i, v in zip(active, rates, strict=True)]
    rhs_lines = _share_reciprocals(rhs_lines)
    rhs_lines = _fuse(rhs_lines) if fma else rhs_lines
    cells, jac_lines = _jacobian(m, active, _Emitter(_symbol_values(parameter_names, constants, idle, zero_inputs)))
    jac_lines = _share_reciprocals(jac_lines)
    jac_lines = _fuse(jac_lines) if fma else jac_lines
    lu = sparse.plan(len(active), cells)

    flat: list[FlatObservable] = []
    for o in assembly.OBSERVABLES:
        if o.dims:
            flat += [FlatObservable(o.name, o.dims[0], label) for label in DIM_LABELS[o.dims[0]]]
        else:
            flat.append(FlatObservable(o.name))
    emit = _Emitter(_symbol_values(parameter_names, constants, idle, zero_inputs))
    values = [emit(m.observables[f.name if f.label is None else f"{f.name}_{f.label}"]) for f in flat]
    obs_lines = _share_reciprocals(emit.lines + [f"o[{k}] = {_lit(v)}" for k, v in enumerate(values)])
    obs_lines = _fuse(obs_lines) if fma else obs_lines

    position = {i: k for k, i in enumerate(active)}  # a state's row among the integrated ones
    obs_rows = sorted({position[int(i)] for line in obs_lines for i in re.findall(r"\by\[(\d+)\]", line)})
    flat_names = [(f.name, f.label) for f in flat]
    symptom_rows = [(flat_names.index((name, None)), float(thr)) for name, thr in symptoms]
    ill_rows = [(flat_names.index((name, None)), float(thr)) for name, thr in ill_from]
    kinds = [outcomes.peak_kind(f.name) for f in flat]
    slots = work_layout(len(active), len(parameter_names), len(inputs), len(flat), len(symptom_rows), len(cells),
                        lu.size)
    s = _Slots(slots, fma)
    vectors = {"y": "Y", "p": "P", "u": "U", "dy": "DY", "o": "O", "jac": "JAC"}

    def lane_code(line: str, local_y: bool = False) -> str:  # y[3] -> w[<Y + position(3) LANES> + l]
        def ref(m: re.Match[str]) -> str:
            i = int(m.group(2))
            row = position[i] if m.group(1) in ("y", "dy") else i
            if local_y and m.group(1) == "y":
                return f"y_{row}"
            return s(vectors[m.group(1)], row)

        return re.sub(r"\b(y|p|u|dy|o|jac)\[(\d+)\]", ref, line)

    # the output: the observables from the interpolated states held in locals y_<row>, each also kept in o_<f>
    output_obs = []
    for line in obs_lines:
        m_out = re.fullmatch(r"o\[(\d+)\] = (.*)", line)
        if m_out:
            f = int(m_out.group(1))
            output_obs += [f"o_{f} = {lane_code(m_out.group(2), True)}", f"{s('O', f)} = o_{f}"]
        else:
            output_obs.append(lane_code(line, True))
    shared_from, constant = _sources(values, kinds)
    recorded = [f for f in range(len(flat)) if shared_from[f] == f]
    record = _recording(kinds, s, symptom_rows, ill_rows, recorded)
    n, n_total = len(active), len(states)
    source = "\n".join(
        [
            f"# generated by neuroimmune.engine.batch.codegen from the symbolic model: {len(states)} states "
            f"({len(idle)} idle), {len(inputs)} inputs, {len(parameter_names)} parameters, {len(flat)} observables",
            "import math  # noqa: F401",
            "import numba",
            "from neuroimmune.engine.batch.vmath import vexp, vfma, vlog, vsqrt  # noqa: F401",
            "from neuroimmune.engine.batch.views import borrow  # noqa: F401",
            "",
            f"LANES = {LANES}",
            f"S, NP, NU, NF, NSYM = {n}, {len(parameter_names)}, {len(inputs)}, {len(flat)}, {len(symptom_rows)}",
            f"ACTIVE = ({', '.join(map(str, active))},)  # the integrated states, by index in the model",
            f"S_ALL = {n_total}  # all states, idle ones included (the error norm's denominator)",
            f"JAC_CELLS = {tuple(cells)!r}  # the Jacobian's structural nonzeros (rows and columns among ACTIVE)",
            f"OBS_FROM = {tuple(shared_from)!r}  # the observable whose summaries each one shares (-1: a constant)",
            f"OBS_CONST = ({''.join(_float_code(v) + ', ' for v in constant)})  # the constant observables' values",
            *(f"{k if k == 'NW' else 'O_' + k} = {v}" for k, v in slots.items()),
            "",
            *tableaus.kernel_constants(),
            "",
            _lane_function("rhs_lanes", [lane_code(line) for line in rhs_lines]),
            _lane_function("obs_lanes", [lane_code(line) for line in obs_lines]),
            _lane_function("jac_lanes", [f"jdue = {s('JDUE')} != 0.0", *(lane_code(line) for line in jac_lines)],
                           "The Jacobian's structural nonzeros at Y into JAC, in the lanes with JDUE."),
            _lane_function("peak_start_lanes", _peak_start(kinds, s, recorded)),
            _lane_function("output_dp5_lanes", _output("dp5", s, output_obs, obs_rows, record)),
            _lane_function("output_hermite_lanes", _output("hermite", s, output_obs, obs_rows, record)),
            _lane_function("accept_lanes", _accept(s, n)),
            _lane_function("hermite_prep_lanes", _hermite_prep(s, n)),
            _steps(s, n, n_total, cells, lu),
            _KERNEL,
        ]
    )
    return GeneratedModel(source, parameter_names, states, inputs, tuple(flat), active)


#: Jacobian entries beyond this size (1/h), or not finite, are taken as 0. A Hill function with an exponent
#: below 1 has an infinite slope where its argument is 0 (a cytokine at its resting level, a positive part at
#: its kink); the Rosenbrock method keeps its order with any matrix in place of the Jacobian (a W-method), so an
#: entry that would overflow its factorisation is left out instead. The model's fastest turnover is 7.3 /h.
JAC_LIMIT = 1e8


def _abs_and_sign() -> tuple[Any, Any]:
    """Stand-ins for sympy's ``Abs`` and ``sign`` in derivatives: sympy differentiates ``Abs(u)`` as if ``u``
    could be complex and rewrites the result with ``u / sign(u)`` and square roots of squares, which is 0 / 0 where
    ``u`` is 0 (a cytokine at its resting level); with these, d|u| = sign(u) du, and the positive part's
    derivative at its kink is 1/2."""
    import sympy

    class Sign(sympy.Function):
        pass

    class AbsValue(sympy.Function):
        def fdiff(self, argindex: int = 1) -> Any:
            return Sign(self.args[0])

    return AbsValue, Sign


def _jacobian(m: Any, active: Sequence[int], emit: _Emitter) -> tuple[list[tuple[int, int]], list[str]]:
    """The Jacobian of the integrated states' rates with respect to the integrated states (idle ones are
    constants): its structural nonzeros ``(row, column)`` (positions among the integrated states; the entries
    sympy's derivative leaves nonzero) and the code that writes them to ``jac[k]``."""
    import sympy

    abs_value, _ = _abs_and_sign()
    cells: list[tuple[int, int]] = []
    values: list[Value] = []
    for r, i in enumerate(active):
        rate = m.rhs[m.states[i]].replace(sympy.Abs, abs_value)
        free = rate.free_symbols
        for c, j in enumerate(active):
            symbol = m.symbols[m.states[j]]
            if symbol not in free:
                continue
            value = emit(sympy.diff(rate, symbol))
            if value == 0.0:
                continue
            cells.append((r, c))
            values.append(value)
    lines = list(emit.lines)
    for k, v in enumerate(values):  # a lane whose Jacobian is not due (jdue) keeps its own
        lines.append(f"jo = jac[{k}]")
        if isinstance(v, float):
            lines.append(f"jac[{k}] = {v if abs(v) <= JAC_LIMIT else 0.0!r} if jdue else jo")
        else:
            lines.append(f"jac[{k}] = ({v} if abs({v}) <= {JAC_LIMIT!r} else 0.0) if jdue else jo")
    return cells, lines


def _cache_key(args: dict[str, Any]) -> str:
    """A hash of everything :func:`generate` depends on: its arguments, the model's code (the mechanism modules,
    the assembly, the rate-law functions and the symbolic form), this generator with its template, tableaus and
    vector functions, and the outcome definitions."""
    from ...model import functions, symbolic
    from . import views, vmath

    h = hashlib.sha256(json.dumps(args, sort_keys=True).encode())
    for module in (*assembly.MODULES, assembly, functions, symbolic, outcomes, tableaus, vmath, views, sparse,
                   sys.modules[__name__]):
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
    """Write ``text`` to ``path`` (atomically) unless it already holds it."""
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return
    write_text(text, path)


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
