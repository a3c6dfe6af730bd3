"""Straight-line code for the right-hand side and the observables, generated from the model itself.

The rate laws are pure arithmetic (:mod:`neuroimmune.model.functions`), so evaluating them on *tracer*
objects instead of floats records every operation. The recording becomes the body of two plain functions,

* ``rhs(y, p, u, dy)``: ``dy[i]`` for every state of :data:`~neuroimmune.model.assembly.STATES`,
* ``obs(y, p, o)``: every observable of :data:`~neuroimmune.model.assembly.OBSERVABLES`, flattened (one entry
  per region for ``ppt_change``),

where ``y``, ``p`` and ``u`` are float vectors of states, effective parameters and inputs. Nothing here names a
state, parameter or mechanism: a new module, state or input in the model appears in the generated code on the
next import. The source is cached under a hash of itself, so compiled kernels are reused only while the model
is unchanged.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from ..model import assembly, pain

# ---- tracing -----------------------------------------------------------------------------------------------


class _Recorder:
    """Collects the assignments made while tracing, one temporary per operation."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.logs: dict[str, Expr] = {}

    def log(self, base: Expr) -> Expr:
        """``math.log(base)``, emitted once per base."""
        if base.code not in self.logs:
            self.logs[base.code] = self.emit(f"math.log({base.code})")
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

    def __add__(self, o: Any) -> Expr: return self._op(o, "{a} + {b}")  # noqa: E704
    def __radd__(self, o: Any) -> Expr: return self._rop(o, "{a} + {b}")  # noqa: E704
    def __sub__(self, o: Any) -> Expr: return self._op(o, "{a} - {b}")  # noqa: E704
    def __rsub__(self, o: Any) -> Expr: return self._rop(o, "{a} - {b}")  # noqa: E704
    def __mul__(self, o: Any) -> Expr: return self._op(o, "{a} * {b}")  # noqa: E704
    def __rmul__(self, o: Any) -> Expr: return self._rop(o, "{a} * {b}")  # noqa: E704
    def __truediv__(self, o: Any) -> Expr: return self._op(o, "{a} / {b}")  # noqa: E704
    def __rtruediv__(self, o: Any) -> Expr: return self._rop(o, "{a} / {b}")  # noqa: E704
    def __pow__(self, o: Any) -> Expr:
        if isinstance(o, int | float) and float(o) in (1.0, 2.0, 3.0, 4.0):  # exact, cheaper than pow
            out = self
            for _ in range(int(o) - 1):
                out = out * self
            return out
        if isinstance(o, int | float) and float(o) == 1.5:
            return self * self.rec.emit(f"math.sqrt({self.code})")
        if isinstance(o, Expr):  # a varying exponent: pow, which keeps (-x) ** 2.0 = x ** 2 as the model does
            return self._op(o, "{a} ** {b}")
        # x ** c = exp(c log x) for a constant non-integer c (NaN for x < 0, as pow gives), with log x computed
        # once per base: Hill terms raise the same cytokine to several exponents (about 15 % less CPU per member)
        return self.rec.emit(f"math.exp({_code(o)} * {self.rec.log(self).code})")

    def __rpow__(self, o: Any) -> Expr: return self._rop(o, "{a} ** {b}")  # noqa: E704
    def __neg__(self) -> Expr: return self.rec.emit(f"-{self.code}")  # noqa: E704
    def __pos__(self) -> Expr: return self  # noqa: E704
    def __abs__(self) -> Expr: return self.rec.emit(f"abs({self.code})")  # noqa: E704

    # NumPy ufuncs on object arrays call these methods.
    def exp(self) -> Expr: return self.rec.emit(f"math.exp({self.code})")  # noqa: E704
    def log(self) -> Expr: return self.rec.emit(f"math.log({self.code})")  # noqa: E704
    def log10(self) -> Expr: return self.rec.emit(f"math.log10({self.code})")  # noqa: E704
    def sqrt(self) -> Expr: return self.rec.emit(f"math.sqrt({self.code})")  # noqa: E704
    def tanh(self) -> Expr: return self.rec.emit(f"math.tanh({self.code})")  # noqa: E704

    def __bool__(self) -> bool:
        raise TypeError("the cohort code generator traces arithmetic only: a rate law branches on a state or "
                        "parameter value (use neuroimmune.model.functions.pos or a smooth switch instead)")


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

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.source.encode()).hexdigest()[:16]


#: Coordinates of the observables' extra dimensions (an unknown dimension is labelled 0, 1, ...).
DIM_LABELS: dict[str, list[str]] = {"region": list(pain.REGIONS)}


def _body(values: list[Any], target: str, rec: _Recorder) -> list[str]:
    out = list(rec.lines)
    for i, v in enumerate(values):
        out.append(f"{target}[{i}] = {_code(v)}")
    return out


def generate(parameter_names: tuple[str, ...], constants: dict[str, float] | None = None) -> GeneratedModel:
    """Trace the model's rates and observables.

    Parameters
    ----------
    parameter_names
        Effective parameters that vary between members, in the order of the ``p`` vector.
    constants
        Effective parameters shared by every member, folded into the code as literals.
    """
    constants = {k: float(v) for k, v in (constants or {}).items()}
    states, inputs = assembly.STATE_NAMES, assembly.INPUTS
    rec = _Recorder()
    p = _Vector("p", parameter_names, rec, constants)
    y = [Expr(f"y[{i}]", rec) for i in range(len(states))]
    rates = assembly.make_rhs(p)(0.0, y, _Vector("u", inputs, rec))
    rhs_lines = _body(list(rates), "dy", rec)

    rec = _Recorder()
    p = _Vector("p", parameter_names, rec, constants)
    y_obs = np.empty(len(states), dtype=object)
    y_obs[:] = [Expr(f"y[{i}]", rec) for i in range(len(states))]
    values = assembly.observables(y_obs, p)
    flat: list[FlatObservable] = []
    exprs: list[Any] = []
    for o in assembly.OBSERVABLES:
        v = np.asarray(values[o.name], dtype=object).ravel()
        if o.dims:
            labels = DIM_LABELS.get(o.dims[0], [str(i) for i in range(len(v))])
            flat += [FlatObservable(o.name, o.dims[0], labels[i]) for i in range(len(v))]
        else:
            flat.append(FlatObservable(o.name))
        exprs += list(v)
    obs_lines = _body(exprs, "o", rec)

    def fn(name: str, args: str, lines: list[str]) -> str:
        return f"@numba.njit(cache=True, inline='always')\ndef {name}({args}):\n" + "".join(
            f"    {line}\n" for line in lines
        )

    source = "\n".join(
        [
            f"# generated by neuroimmune.cohort.codegen: {len(states)} states, {len(inputs)} inputs, "
            f"{len(parameter_names)} parameters, {len(flat)} observables",
            "import math  # noqa: F401",
            "import numba",
            "",
            fn("rhs", "y, p, u, dy", rhs_lines),
            fn("obs", "y, p, o", obs_lines),
            _KERNEL,
        ]
    )
    return GeneratedModel(source, parameter_names, states, inputs, tuple(flat))


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


_KERNEL = Path(__file__).with_name("_kernel.py").read_text(encoding="utf-8").split("# ---- template ----\n", 1)[1]
