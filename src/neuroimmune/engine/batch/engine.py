"""Batched engines: integrate many members of a cohort and reduce each to its summaries as it goes.

An engine takes the inputs of a group of members (:class:`MemberInputs`) and fills per-member arrays:

* ``peak``, ``peak_t``, ``auc``: per flat observable (see :mod:`.codegen`), its peak of the kind that
  :func:`neuroimmune.outcomes.peak_kind` gives it (highest, lowest, or furthest from the member's pre-challenge
  baseline) at an output time, that time, and the signed area between the curve and that baseline over the
  scenario's output grid (trapezoids);
* ``days``: per flag of :data:`neuroimmune.outcomes.DAY_FLAGS`, the number of days on which the observable
  reached its threshold at some output time;
* ``last_ill``: the index of the last output time at which the member was ill by
  :data:`neuroimmune.outcomes.ILL_AT` (-1 if never), from which the recovery day follows as in
  a single run's summary;
* ``status`` (0 ok; see :data:`STATUS`), ``nrhs`` (right-hand-side evaluations) and, for the members asked
  for, the observables on the trajectory grid.

``compiled`` is the generated numba kernel (each member with its own steps, 8 members at a time in SIMD lanes,
see ``_kernel.py``): the explicit Dormand-Prince 5(4) pair for runs shorter than :data:`HYBRID_FROM_HOURS`,
for longer ones each member with Dormand-Prince or the Rosenbrock method ROS34PW2 (with the model's Jacobian),
whichever takes it further for the work (``hybrid``), and a member that turns stiff goes again with the
Rosenbrock method. ``explicit`` is Dormand-Prince alone (no second attempt), ``stiff`` the Rosenbrock method for
every member. ``scipy`` and ``reference`` loop the single-scenario integrator (LSODA, and
Radau at rtol 1e-11) over the members: the peers that the compiled engine is checked and benchmarked against.
"""

from __future__ import annotations

import abc
import contextlib
import contextvars
import dataclasses
import os
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import TYPE_CHECKING

import numpy as np

from ... import outcomes
from ...errors import SolverError, UnknownNameError
from ...model import assembly
from ..simulate import integrate
from . import codegen

if TYPE_CHECKING:
    from ...cohort.members import Layout

@dataclasses.dataclass
class MemberInputs:
    """Per-member arrays for members ``start <= i < stop``: initial states, varying parameters, segment times
    (shared), jumps and inputs per segment, and the sampled hosts and parameter values to report."""

    y0: np.ndarray
    P: np.ndarray
    seg_t: np.ndarray
    jumps: np.ndarray
    U: np.ndarray
    hosts: dict[str, np.ndarray]
    sampled: dict[str, np.ndarray]


#: Member status codes and their messages.
STATUS: dict[int, str] = {
    0: "ok",
    1: "step limit reached (the member's dynamics became too fast or stiff for the step budget)",
    2: "non-finite state (the member's parameters drive the solution to infinity or NaN)",
    3: "step size underflow",
    4: "the single-scenario solver failed",
}


#: From this duration (hours) on, the ``compiled`` engine takes the hybrid method. Over a long run most of the
#: time comes after the illness, when Dormand-Prince is held back by stability alone (the PGE2 turnover,
#: 7.3 /h: steps of 0.45 h) and the Rosenbrock method takes steps of hours. Measured (one thread, CPU per
#: member, hybrid against Dormand-Prince, ``benchmarks/README.md``): endotoxin 48 h 18.9 against 17.3 us (its
#: outputs every 0.1 h cost as much in either), 4 days level, 7 days 53 against 59 us; influenza 5 days level
#: (its pilot never keeps the Rosenbrock method), 10 days 36 against 49 us, 21 days 49 against 113 us.
HYBRID_FROM_HOURS = 120.0


#: First compilation of each method's kernel (seconds, measured on the benchmark machine, idle: 28 s for the
#: endotoxin kernel, 58 s for influenza's hybrid with its larger model; ``benchmarks/README.md``), for the notice
#: shown while it runs; later runs load it from numba's cache.
COMPILE_SECONDS = {0: 30.0, 1: 30.0, 2: 60.0}

Notice = Callable[[float], contextlib.AbstractContextManager[object]]
_NOTICE: contextvars.ContextVar[Notice | None] = contextvars.ContextVar("compile_notice", default=None)


@contextlib.contextmanager
def compile_notice(show: Notice) -> Iterator[None]:
    """Within this block, a kernel that must be compiled (not found in numba's cache) is compiled inside
    ``show(seconds)``, a context manager that tells the user (``seconds``: the expected time,
    :data:`COMPILE_SECONDS`), before any member runs. The command line shows a spinner with it."""
    token = _NOTICE.set(show)
    try:
        yield
    finally:
        _NOTICE.reset(token)


def _cached(dispatcher: object) -> bool:
    """Whether numba's on-disk cache holds an index for this kernel (then it loads in about a second)."""
    try:
        return os.path.exists(dispatcher._cache._cache_file._index_path)  # type: ignore[attr-defined]
    except AttributeError:  # a numba that keeps its cache elsewhere: say nothing rather than something wrong
        return True


#: Relative tolerance per method that keeps every member's peaks within 1e-4 of the reference solver (Radau,
#: rtol 1e-11), measured on the first 120 members of seed 0, every observable (``benchmarks/README.md``):
#: Dormand-Prince at 3e-5 gives at most 3.9e-5 (endotoxin, 48 h; 824 evaluations per member against 1,079 at
#: 1e-6) and 6.6e-5 (influenza, 21 days); the Rosenbrock method (third order, second-order error estimate,
#: cubic output) 1e-5: 5.4e-5 and 3.7e-5. The hybrid method takes its Dormand-Prince steps at its tolerance
#: and its Rosenbrock steps at a third of it (``_kernel.ROS_RTOL_FACTOR``), so that each method keeps its own.
MATCHED_RTOL = {0: 3e-5, 1: 1e-5, 2: 3e-5}


def method_for(engine: str, hours: float) -> int | None:
    """The kernel method that ``engine`` uses for a run of ``hours`` (None: not a kernel engine)."""
    fixed = {"explicit": 0, "stiff": 1, "hybrid": 2}
    if engine == "compiled":
        return 2 if hours >= HYBRID_FROM_HOURS else 0
    return fixed.get(engine)


def matched_rtol(engine: str, hours: float) -> float:
    """The default relative tolerance of ``engine`` for a run of ``hours``: :data:`MATCHED_RTOL` of its method."""
    method = method_for(engine, hours)
    return MATCHED_RTOL[method] if method is not None else 1e-6


def allocate(lay: Layout, n: int, n_traj: int) -> dict[str, np.ndarray]:
    """Output arrays of an engine for ``n`` members, ``n_traj`` of them with trajectories."""
    nF, k = len(lay.model.observables), len(lay.day_obs)
    return {
        "peak": np.empty((n, nF)), "peak_t": np.empty((n, nF)), "auc": np.empty((n, nF)),
        "days": np.empty((n, k), dtype=np.int32), "last_ill": np.empty(n),
        "status": np.empty(n, dtype=np.int8), "nrhs": np.empty(n, dtype=np.int64),
        "traj": np.full((n_traj, nF, len(lay.t_traj)), np.nan), "t_ros": np.empty(n),
    }


class Engine(abc.ABC):
    """Base class: implement :meth:`run`, filling ``out`` (from :func:`allocate`) for the members of ``inputs``;
    ``traj_row[m]`` is the row of ``out["traj"]`` for member ``m``, or -1."""

    @abc.abstractmethod
    def run(self, lay: Layout, inputs: MemberInputs, traj_row: np.ndarray, rtol: float, atol: float,
            max_steps: int, out: dict[str, np.ndarray]) -> None: ...


class Compiled(Engine):
    """The generated numba kernel with ``method`` 0 (Dormand-Prince 5(4)), 1 (the Rosenbrock method ROS34PW2), 2
    (each lane with either, the hybrid) or None (0 or 2 by the run's duration, see :data:`HYBRID_FROM_HOURS`:
    the same for every chunk of a run); ``threads`` caps numba's threads (None: all cores).

    With method 0 or 2, a member that reaches the step limit (its parameters made it stiff: a turnover hundreds of
    times faster than the default) is integrated again with the Rosenbrock method, which takes steps that the
    explicit method cannot (at a tolerance no looser than :data:`MATCHED_RTOL` of that method); its ``nrhs``
    counts both attempts. Which members go again depends only on their own
    numbers, so results stay the same whatever the chunking."""

    def __init__(self, method: int | None = None, threads: int | None = None, stiff_fallback: bool = True):
        self.method, self.threads, self.stiff_fallback = method, threads, stiff_fallback

    def run(self, lay: Layout, inputs: MemberInputs, traj_row: np.ndarray, rtol: float, atol: float,
            max_steps: int, out: dict[str, np.ndarray]) -> None:
        method = self.method
        if method is None:
            method = method_for("compiled", inputs.seg_t[-1] - inputs.seg_t[0])
            assert method is not None
        self._batch(method, lay, inputs, traj_row, rtol, atol, max_steps, out)
        again = np.flatnonzero(out["status"] == 1) if method != 1 and self.stiff_fallback else np.empty(0, np.intp)
        if len(again):
            sub = MemberInputs(inputs.y0[again], inputs.P[again], inputs.seg_t, inputs.jumps[again], inputs.U[again],
                               {}, {})
            second = allocate(lay, len(again), 0)
            second["traj"] = out["traj"]  # rows as in traj_row
            self._batch(1, lay, sub, traj_row[again], min(rtol, MATCHED_RTOL[1]), atol, max_steps, second)
            spent = out["nrhs"][again]
            for key in ("peak", "peak_t", "auc", "days", "last_ill", "status", "nrhs"):
                out[key][again] = second[key]
            out["nrhs"][again] += spent

    def _batch(self, method: int, lay: Layout, inputs: MemberInputs, traj_row: np.ndarray, rtol: float,
               atol: float, max_steps: int, out: dict[str, np.ndarray]) -> None:
        import numba

        kernel = codegen.load(lay.model)
        if self.threads is not None:
            numba.set_num_threads(min(self.threads, numba.config.NUMBA_NUM_THREADS))  # type: ignore[attr-defined]
        args = [np.ascontiguousarray(inputs.y0), np.ascontiguousarray(inputs.P), inputs.seg_t,
                np.ascontiguousarray(inputs.jumps), np.ascontiguousarray(inputs.U), lay.t_out, float(rtol),
                float(atol), int(max_steps), outcomes.day_index(lay.t_out).astype(np.float64),
                traj_row.astype(np.int64), lay.traj_stride, out["traj"], out["peak"], out["peak_t"], out["auc"],
                out["days"], out["last_ill"], out["status"], out["nrhs"], float(lay.t_switch), out["t_ros"]]
        dispatcher = getattr(kernel, f"run_batch_{method}")
        show = _NOTICE.get()
        if show is not None and not dispatcher.signatures and not _cached(dispatcher):
            with show(COMPILE_SECONDS[method]):  # compile on no members, before the first chunk runs
                kernel.run_batch(method, *(a[:0] if isinstance(a, np.ndarray) and a.ndim > 1 else a for a in args))
        kernel.run_batch(method, *args)


class Loop(Engine):
    """A loop of :func:`neuroimmune.engine.simulate.integrate` (one member at a time) with solver ``solver``."""

    def __init__(self, solver: str = "lsoda"):
        self.solver = solver

    def run(self, lay: Layout, inputs: MemberInputs, traj_row: np.ndarray, rtol: float, atol: float,
            max_steps: int, out: dict[str, np.ndarray]) -> None:
        for m in range(len(inputs.P)):
            p = SimpleNamespace(**lay.constants, **dict(zip(lay.varying, inputs.P[m].tolist(), strict=True)))
            try:
                t, y = integrate(lay.scenario, p, self.solver)
                ok = bool(np.all(np.isfinite(y)))
            except (SolverError, FloatingPointError, OverflowError, ValueError):
                ok = False
            if not ok:
                _fail(out, m, 4)
                continue
            values = flat_observables(y, p)
            base = flat_observables(assembly.initial_state(p)[:, None], p)[:, 0]
            reduce_member(values, base, lay, m, out)
            out["status"][m], out["nrhs"][m] = 0, 0
            if traj_row[m] >= 0:
                out["traj"][traj_row[m]] = values[:, :: lay.traj_stride]


def flat_observables(y: np.ndarray, p: object) -> np.ndarray:
    """Observables of a state trajectory as rows in the order of the generated code's flat observables."""
    values = assembly.observables(y, p)
    nt = y.shape[1]
    return np.concatenate([np.asarray(values[o.name], dtype=float).reshape(-1, nt) for o in assembly.OBSERVABLES])


def reduce_member(values: np.ndarray, base: np.ndarray, lay: Layout, m: int, out: dict[str, np.ndarray]) -> None:
    """The summaries of one member from its flat observables on the output grid (NumPy twin of the kernel)."""
    t = lay.t_out
    for f, kind in enumerate(lay.peak_kinds):
        i = int(outcomes.peak_index(values[f], kind, base[f]))
        out["peak"][m, f], out["peak_t"][m, f] = values[f, i], t[i]
    out["auc"][m] = outcomes.area(values, t, base)
    for k, (f, thr) in enumerate(zip(lay.day_obs, lay.day_thr, strict=True)):
        above = values[f] >= thr
        out["days"][m, k] = int(outcomes.days_with(t, above))
    out["last_ill"][m] = outcomes.last_ill_index(dict(zip(outcomes.ILL_AT, values[lay.ill_obs], strict=True)))


def _fail(out: dict[str, np.ndarray], m: int, code: int) -> None:
    for key in ("peak", "peak_t", "auc", "last_ill"):
        out[key][m] = np.nan
    out["days"][m] = -1
    out["status"][m], out["nrhs"][m] = code, 0


#: Engines by name.
ENGINES: dict[str, Callable[[], Engine]] = {
    "compiled": Compiled,
    "explicit": lambda: Compiled(method=0, stiff_fallback=False),
    "hybrid": lambda: Compiled(method=2),
    "stiff": lambda: Compiled(method=1),
    "scipy": lambda: Loop("lsoda"),
    "reference": lambda: Loop("reference"),
}


def get_engine(name: str) -> Engine:
    """An engine instance by name from :data:`ENGINES`."""
    try:
        return ENGINES[name]()
    except KeyError:
        raise UnknownNameError("engine", name, list(ENGINES)) from None
