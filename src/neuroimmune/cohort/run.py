"""``simulate_cohort``: a virtual cohort of one scenario, member by member, to per-member summaries."""

from __future__ import annotations

import dataclasses
import hashlib
import math
import shutil
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import xarray as xr

from .. import __version__
from ..engine.batch.codegen import DIM_LABELS
from ..engine.batch.engine import ENGINES, STATUS, matched_rtol
from ..errors import NeuroimmuneError, UnknownNameError
from ..model.parameters import default_parameters
from ..scenarios import Scenario
from .chunks import variables
from .distributed import check_address, run_chunks
from .members import RunSpec, layout
from .store import CohortStore, open_cohort
from .variability import Variability

#: The largest cohort accepted in one run.
MAX_MEMBERS = 100_000_000


@dataclasses.dataclass(frozen=True)
class Keep:
    """What to keep besides the per-member summaries, and where.

    ``trajectories``: the observables over time for the first ``trajectories`` members (a random sample, as members
    are independent), every ``resolution`` hours (a multiple of the scenario's output step; None: the step).
    ``out``: a Zarr path; chunks are written as they finish, and a run interrupted and started again with the same
    arguments resumes. The result is then read lazily from the store.
    """

    trajectories: int = 0
    resolution: float | None = None
    out: str | Path | None = None


@dataclasses.dataclass(frozen=True)
class Tolerances:
    """How each member is solved.

    ``engine``: ``compiled`` (the generated batched kernel: Dormand-Prince 5(4) for runs shorter than 5 days; for
    longer ones each member with Dormand-Prince or the Rosenbrock method ROS34PW2, whichever is cheaper for it at
    the time, see :mod:`neuroimmune.engine.batch.engine`), ``explicit``, ``hybrid`` or ``stiff`` (the kernel with
    one method: Dormand-Prince, the two by turns, the Rosenbrock method), or the peers ``scipy`` and
    ``reference`` (a loop of the single-scenario solver). ``rtol``, ``atol``, ``max_steps``: per-member error
    tolerances and step budget of the compiled engine; ``rtol`` None is the tolerance that keeps peaks within
    1e-4 of the reference solver with the engine's method (:data:`neuroimmune.engine.batch.engine.MATCHED_RTOL`).
    """

    engine: str = "compiled"
    rtol: float | None = None
    atol: float = 1e-8
    max_steps: int = 20_000


@dataclasses.dataclass(frozen=True)
class Execution:
    """Where and in what pieces the members run: ``chunk_size`` members per chunk (the unit of work, of Zarr
    writing and of resuming); ``scheduler`` None (this process), ``"local"`` (a local Dask cluster) or
    ``"tcp://HOST:PORT"``; ``progress`` called with (members done, n) after each chunk."""

    chunk_size: int = 16_384
    scheduler: str | None = None
    progress: Callable[[int, int], None] | None = None


_Group = TypeVar("_Group", Keep, Tolerances, Execution)


def _coerce(cls: type[_Group], value: _Group | Mapping[str, Any] | None, field: str) -> _Group:
    """One settings group from None (its defaults), a mapping of its fields, or itself."""
    if value is None:
        return cls()
    if isinstance(value, cls):
        return value
    if not isinstance(value, Mapping):
        raise NeuroimmuneError(f"{field}: must be a {cls.__name__} or a mapping of its fields (got {value!r})")
    known = [f.name for f in dataclasses.fields(cls)]
    for key in value:
        if key not in known:
            raise UnknownNameError(field, str(key), known)
    return cls(**dict(value))


def simulate_cohort(
    scenario: Scenario | dict[str, Any] | None = None,
    n: int = 1_000_000,
    *,
    variability: Variability | dict[str, Any] | str | None = None,
    seed: int = 0,
    parameters: dict[str, float] | None = None,
    keep: Keep | Mapping[str, Any] | None = None,
    tolerances: Tolerances | Mapping[str, Any] | None = None,
    execution: Execution | Mapping[str, Any] | None = None,
) -> xr.Dataset:
    """Simulate ``n`` virtual people through one scenario and summarise each.

    The keywords come in four groups: who is simulated (``variability``, ``seed``, ``parameters``), what is kept
    (:class:`Keep`), how each member is solved (:class:`Tolerances`) and where the members run
    (:class:`Execution`); each group is a dataclass or a mapping of its fields.

    Parameters
    ----------
    scenario
        A :class:`Scenario`, a dict, or None for the packaged default.
    n
        Number of members (1 to :data:`MAX_MEMBERS`).
    variability
        Who the members are (:class:`~neuroimmune.cohort.variability.Variability`): None for the calibrated
        inter-individual parameter variability with every member the scenario's host; a host-distribution name
        (``volunteers``, ``adults``); or ``{"parameters": {name: cv}, "host": name}``.
    seed
        Seed of the member streams: the same seed gives the same members and numbers whatever the chunking
        and scheduler.
    parameters
        Overrides of the calibrated parameter values, applied to every member before variability.
    keep, tolerances, execution
        :class:`Keep` (trajectories, resolution, Zarr ``out``), :class:`Tolerances` (engine, rtol, atol,
        max_steps), :class:`Execution` (chunk_size, scheduler, progress).

    Returns
    -------
    xarray.Dataset
        Over ``member``: ``<observable>_peak``, ``_peak_time``, ``_auc`` (``ppt_change_*`` also over ``region``),
        ``days_with_fever``, ``days_with_back_pain``, ``recovery_day``, the sampled ``sex``, ``age``, ``weight``
        and ``param_<name>``, ``status`` with ``message``; trajectories over ``traj_member`` and ``time``.
    """
    return _simulate(scenario, n, None, variability=variability, seed=seed, parameters=parameters, keep=keep,
                     tolerances=tolerances, execution=execution)


def simulate_members(
    scenario: Scenario | dict[str, Any] | None,
    names: Sequence[str],
    values: np.ndarray,
    *,
    variability: Variability | dict[str, Any] | str | None = None,
    seed: int = 0,
    parameters: dict[str, float] | None = None,
    keep: Keep | Mapping[str, Any] | None = None,
    tolerances: Tolerances | Mapping[str, Any] | None = None,
    execution: Execution | Mapping[str, Any] | None = None,
) -> xr.Dataset:
    """A cohort whose members take given values of the parameters ``names``: row ``i`` of ``values``
    (``len(values)`` members x ``len(names)``) is member ``i``'s, in place of a sampled value (the members'
    other parameters and hosts follow ``variability``). The design of a sensitivity analysis, or draws of a
    posterior, run on the cohort engine; the keywords are :func:`simulate_cohort`'s."""
    arr = np.asarray(values, dtype=float)
    if arr.ndim != 2 or arr.shape[1] != len(names):
        raise NeuroimmuneError(f"values: must have shape (members, {len(names)}), one column per name "
                               f"(got {arr.shape})")
    return _simulate(scenario, len(arr), (tuple(names), arr), variability=variability, seed=seed,
                     parameters=parameters, keep=keep, tolerances=tolerances, execution=execution)


def _simulate(
    scenario: Scenario | dict[str, Any] | None,
    n: int,
    design: tuple[tuple[str, ...], np.ndarray] | None,
    *,
    variability: Variability | dict[str, Any] | str | None,
    seed: int,
    parameters: dict[str, float] | None,
    keep: Keep | Mapping[str, Any] | None,
    tolerances: Tolerances | Mapping[str, Any] | None,
    execution: Execution | Mapping[str, Any] | None,
) -> xr.Dataset:
    kp = _coerce(Keep, keep, "keep")
    tol = _coerce(Tolerances, tolerances, "tolerances")
    ex = _coerce(Execution, execution, "execution")
    trajectories, resolution, out = kp.trajectories, kp.resolution, kp.out
    engine, rtol, atol, max_steps = tol.engine, tol.rtol, tol.atol, tol.max_steps
    chunk_size, scheduler, progress = ex.chunk_size, ex.scheduler, ex.progress
    sc = Scenario.coerce(scenario)
    if design is not None and len(design[0]) != len(set(design[0])):
        raise NeuroimmuneError(f"names: each parameter may be given once (got {list(design[0])})")
    _check(n, chunk_size, seed, engine, trajectories)
    var = Variability.coerce(variability)
    step = sc.output_step
    res = step if resolution is None else float(resolution)
    k = res / step
    if not (math.isfinite(k) and res > 0 and abs(k - round(k)) < 1e-9):
        raise NeuroimmuneError(f"keep.resolution: must be a positive multiple of the scenario's output step {step:g} h "
                               f"(got {resolution!r})")
    names: tuple[str, ...] = ()
    values = None
    if design is not None:  # its shape is checked by simulate_members
        names, values = design
    known = default_parameters()
    for field, given in (("names", names), ("parameters", tuple(parameters or {}))):
        for name in given:
            if name not in known:
                raise UnknownNameError(field, name, sorted(known))
    if rtol is None:
        rtol = matched_rtol(engine, sc.duration)
    spec = RunSpec(sc.to_dict(), int(n), int(seed), var.to_dict(), {k: float(v) for k, v in (parameters or {}).items()},
                   engine, float(rtol), float(atol), int(max_steps), int(min(trajectories, n)), res,
                   int(min(chunk_size, n)), names,
                   hashlib.sha256(values.tobytes()).hexdigest() if values is not None else "")
    lay = layout(spec.to_json())
    vs = variables(spec, lay)
    coords = {d: DIM_LABELS[d] for v in vs for d in v.dims if d in DIM_LABELS}
    done = 0
    if scheduler is not None and scheduler != "local":
        check_address(scheduler)  # before the store is created: an unreachable scheduler leaves nothing behind
    if out is not None:
        fresh = not Path(out).exists()
        written = 0
        try:
            store = CohortStore(out, spec, vs, coords, lay.t_traj)
            pending = store.pending()
            done = sum(spec.chunk(i)[1] - spec.chunk(i)[0] for i in range(spec.n_chunks) if i not in set(pending))
            if progress:
                progress(done, n)
            for i, arrays in run_chunks(spec, pending, values, scheduler):
                store.write(i, arrays)
                written += 1
                done += spec.chunk(i)[1] - spec.chunk(i)[0]
                if progress:
                    progress(done, n)
        except BaseException:
            if fresh and written == 0:  # nothing to resume: leave no empty store
                shutil.rmtree(out, ignore_errors=True)
            raise
        ds = open_cohort(out)
    else:
        if progress:
            progress(0, n)
        parts: dict[int, dict[str, np.ndarray]] = {}
        for i, arrays in run_chunks(spec, list(range(spec.n_chunks)), values, scheduler):
            parts[i] = arrays
            done += spec.chunk(i)[1] - spec.chunk(i)[0]
            if progress:
                progress(done, n)
        ds = _dataset(spec, vs, coords, lay.t_traj, [parts[i] for i in range(spec.n_chunks)])
    table = np.array([STATUS.get(code, "unknown status") for code in range(max(STATUS) + 1)], dtype=object)
    ds["message"] = ("member", table[np.asarray(ds["status"].values, dtype=np.int64)],
                     {"long_name": "member status in words"})
    ds.attrs.update(source=f"neuroimmune {__version__}", engine=engine, seed=seed, n=n, spec=spec.to_json(),
                    variability=str(var.to_dict()))
    return ds


def _check(n: Any, chunk_size: Any, seed: Any, engine: str, trajectories: Any) -> None:
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or not 1 <= n <= MAX_MEMBERS:
        raise NeuroimmuneError(f"n: must be a whole number of members from 1 to {MAX_MEMBERS:,} (got {n!r})")
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int | np.integer) or chunk_size < 1:
        raise NeuroimmuneError(f"execution.chunk_size: must be a positive whole number (got {chunk_size!r})")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise NeuroimmuneError(f"seed: must be a non-negative whole number (got {seed!r})")
    if engine not in ENGINES:
        raise NeuroimmuneError(f"tolerances.engine: must be one of {', '.join(ENGINES)} (got {engine!r})")
    if isinstance(trajectories, bool) or not isinstance(trajectories, int | np.integer) or trajectories < 0:
        raise NeuroimmuneError(f"keep.trajectories: must be a non-negative whole number (got {trajectories!r})")


def _dataset(spec: RunSpec, vs: list[Any], coords: dict[str, list[str]], t_traj: np.ndarray,
             parts: list[dict[str, np.ndarray]]) -> xr.Dataset:
    data = {}
    for v in vs:
        arr = np.concatenate([p[v.name] for p in parts])
        data[v.name] = xr.Variable(("traj_member" if v.trajectory else "member", *v.dims), arr, attrs=v.attrs)
    ds = xr.Dataset(data, coords={"member": np.arange(spec.n)} | {k: c for k, c in coords.items()})
    if spec.trajectories:
        ds = ds.assign_coords(time=("time", t_traj, {"units": "h"}), traj_member=np.arange(spec.trajectories))
    return ds
