"""``simulate_cohort``: a virtual cohort of one scenario, member by member, to per-member summaries."""

from __future__ import annotations

import hashlib
import math
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

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


def simulate_cohort(
    scenario: Scenario | dict[str, Any] | None = None,
    n: int = 1_000_000,
    *,
    variability: Variability | dict[str, Any] | str | None = None,
    seed: int = 0,
    engine: str = "compiled",
    parameters: dict[str, float] | None = None,
    chunk_size: int = 16_384,
    scheduler: str | None = None,
    out: str | Path | None = None,
    trajectories: int = 0,
    resolution: float | None = None,
    rtol: float | None = None,
    atol: float = 1e-8,
    max_steps: int = 20_000,
    progress: Callable[[int, int], None] | None = None,
    design: tuple[tuple[str, ...], np.ndarray] | None = None,
) -> xr.Dataset:
    """Simulate ``n`` virtual people through one scenario and summarise each.

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
    engine
        ``compiled`` (the generated batched kernel: Dormand-Prince 5(4) for runs shorter than 10 days, the
        additive pair ARK4(3)6L[2]SA for longer ones, see :mod:`neuroimmune.engine.batch.engine`), ``explicit``,
        ``additive`` or ``stiff`` (the kernel with one method), or the peers ``scipy`` and ``reference`` (a loop
        of the single-scenario solver).
    parameters
        Overrides of the calibrated parameter values, applied to every member before variability.
    chunk_size
        Members per chunk (the unit of work, of Zarr writing and of resuming).
    scheduler
        None (this process), ``"local"`` (a local Dask cluster) or ``"tcp://HOST:PORT"``.
    out
        A Zarr path: chunks are written as they finish, and a run interrupted and started again with the same
        arguments resumes. The result is then read lazily from the store.
    trajectories, resolution
        Keep the observables over time for the first ``trajectories`` members (a random sample, as members are
        independent), every ``resolution`` hours (a multiple of the scenario's output step; default the step).
    rtol, atol, max_steps
        Per-member error tolerances and step budget of the compiled engine. ``rtol`` None: the tolerance that
        keeps peaks within 1e-4 of the reference solver with the engine's method
        (:data:`neuroimmune.engine.batch.engine.MATCHED_RTOL`: 3e-5 for Dormand-Prince, 1e-6 for the additive
        pair and the Rosenbrock-W method).
    progress
        Called with (members done, n) after each chunk.
    design
        ``(names, values)``: per-member values (n x len(names)) of parameters, instead of sampling them
        (used by sensitivity analysis).

    Returns
    -------
    xarray.Dataset
        Over ``member``: ``<observable>_peak``, ``_peak_time``, ``_auc`` (``ppt_change_*`` also over ``region``),
        ``days_with_fever``, ``days_with_back_pain``, ``recovery_day``, the sampled ``sex``, ``age``, ``weight``
        and ``param_<name>``, ``status`` with ``message``; trajectories over ``traj_member`` and ``time``.
    """
    sc = Scenario.coerce(scenario)
    _check(n, chunk_size, seed, engine, trajectories)
    var = Variability.coerce(variability)
    step = sc.output_step
    res = step if resolution is None else float(resolution)
    k = res / step
    if not (math.isfinite(k) and res > 0 and abs(k - round(k)) < 1e-9):
        raise NeuroimmuneError(f"resolution: must be a positive multiple of the scenario's output step {step:g} h "
                               f"(got {resolution!r})")
    names: tuple[str, ...] = ()
    values = None
    if design is not None:
        names, values = tuple(design[0]), np.asarray(design[1], dtype=float)
        if values.shape != (n, len(names)):
            raise NeuroimmuneError(f"design: values must have shape (n, {len(names)}) = ({n}, {len(names)}) "
                                   f"(got {values.shape})")
    known = default_parameters()
    for field, given in (("design", names), ("parameters", tuple(parameters or {}))):
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
    ds.attrs.update(source=f"neuroimmune {__version__}", engine=engine, seed=seed, n=n,
                    variability=str(var.to_dict()))
    return ds


def _check(n: Any, chunk_size: Any, seed: Any, engine: str, trajectories: Any) -> None:
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or not 1 <= n <= MAX_MEMBERS:
        raise NeuroimmuneError(f"n: must be a whole number of members from 1 to {MAX_MEMBERS:,} (got {n!r})")
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int | np.integer) or chunk_size < 1:
        raise NeuroimmuneError(f"chunk_size: must be a positive whole number (got {chunk_size!r})")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise NeuroimmuneError(f"seed: must be a non-negative whole number (got {seed!r})")
    if engine not in ENGINES:
        raise NeuroimmuneError(f"engine: must be one of {', '.join(ENGINES)} (got {engine!r})")
    if isinstance(trajectories, bool) or not isinstance(trajectories, int | np.integer) or trajectories < 0:
        raise NeuroimmuneError(f"trajectories: must be a non-negative whole number (got {trajectories!r})")


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
