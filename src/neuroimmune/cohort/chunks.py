"""One chunk of a cohort: members ``start <= i < stop`` computed into named per-member arrays.

:func:`variables` declares every output variable of a run (dimensions, dtype, units, long name), so the Zarr
store, the in-memory result and the checks agree; :func:`compute_chunk` is the unit of work that the schedulers
(in-process or Dask) run, a pure function of the run's spec and the member range.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from .. import outcomes
from ..engine.batch.engine import STATUS, allocate, get_engine
from ..model import assembly
from .members import SYMPTOMS, Layout, RunSpec, layout, member_inputs


@dataclasses.dataclass(frozen=True)
class Variable:
    """An output variable: leading dimension ``member`` (or ``traj_member``), then ``dims``."""

    name: str
    dims: tuple[str, ...]
    shape: tuple[int, ...]
    dtype: str
    attrs: dict[str, str]
    trajectory: bool = False


def variables(spec: RunSpec, lay: Layout) -> list[Variable]:
    """Every output variable of the run, in a fixed order."""
    out = []
    flat = lay.model.observables
    for o in assembly.OBSERVABLES:
        extra = tuple(dict.fromkeys(f.dim for f in flat if f.name == o.name and f.dim))
        shape = tuple(sum(1 for f in flat if f.name == o.name) for _ in extra)
        out += [
            Variable(f"{o.name}_peak", extra, shape, "f8",
                     {"units": o.unit, "long_name": f"{o.long_name}: "
                                                f"{outcomes.PEAK_WORDS[outcomes.peak_kind(o.name)]}"}),
            Variable(f"{o.name}_peak_time", extra, shape, "f8", {"units": "h", "long_name": f"time of {o.name}_peak"}),
            Variable(f"{o.name}_auc", extra, shape, "f8",
                     {"units": f"{o.unit} h", "long_name": f"{o.long_name}: signed area from the baseline"}),
        ]
        if spec.trajectories:
            out.append(Variable(o.name, (*extra, "time"), (*shape, len(lay.t_traj)), "f8",
                                {"units": o.unit, "long_name": o.long_name}, trajectory=True))
    for name, obs, thr in SYMPTOMS:
        if (obs, None) in [(f.name, f.label) for f in flat]:
            out.append(Variable(name, (), (), "i4", {"units": "day", "long_name": f"days on which {obs} reached "
                                                     f"{thr:g} (-1 where the member failed)"}))
    out += [
        Variable("recovery_day", (), (), "f8", {"units": "day", "long_name": "time (days) from which temperature, "
                                                "back ache and fatigue stay below the recovery thresholds, as in a "
                                                "single run's summary; 0 if never ill; NaN if still ill at the end "
                                                "or failed"}),
        Variable("sex", (), (), "i1", {"units": "1", "long_name": "sex", "flag_values": "0 1",
                                       "flag_meanings": "male female"}),
        Variable("age", (), (), "f8", {"units": "year", "long_name": "age"}),
        Variable("weight", (), (), "f8", {"units": "kg", "long_name": "body weight"}),
    ]
    for name in (*lay.variability.parameters, *spec.design):
        out.append(Variable(f"param_{name}", (), (), "f8", {"units": "", "long_name": f"member's value of {name}"}))
    out += [
        Variable("status", (), (), "i1", {"units": "1", "long_name": "member status",
                                          "flag_values": " ".join(map(str, STATUS)),
                                          "flag_meanings": " ".join(m.split(" (")[0].replace(" ", "_")
                                                                    for m in STATUS.values())}),
        Variable("n_rhs", (), (), "i8", {"units": "1", "long_name": "right-hand-side evaluations (compiled engine)"}),
    ]
    return out


def compute_chunk(spec_json: str, start: int, stop: int, design: np.ndarray | None = None,
                  threads: int | None = None) -> dict[str, np.ndarray]:
    """The variables of members ``start <= i < stop`` (trajectory variables: the members below
    ``spec.trajectories`` in the range)."""
    spec = RunSpec.from_json(spec_json)
    lay = layout(spec_json)
    engine = get_engine(spec.engine)
    if threads is not None and hasattr(engine, "threads"):
        engine.threads = threads
    n = stop - start
    n_traj = max(0, min(stop, spec.trajectories) - start)
    res = allocate(lay, n, n_traj)
    hosts: dict[str, np.ndarray] = {}
    sampled: dict[str, np.ndarray] = {}
    for idx, inputs in member_inputs(spec, lay, start, stop, design):
        part = allocate(lay, len(idx), n_traj)
        rows = np.where(start + idx < spec.trajectories, start + idx - start, -1)
        engine.run(lay, inputs, rows, spec.rtol, spec.atol, spec.max_steps, part)
        for key, value in part.items():
            if key == "traj":
                res[key][rows[rows >= 0]] = value[rows[rows >= 0]]
            else:
                res[key][idx] = value
        for key, value in inputs.hosts.items():
            hosts.setdefault(key, np.empty(n, dtype=value.dtype))[idx] = value
        for key, value in inputs.sampled.items():
            sampled.setdefault(key, np.empty(n))[idx] = value
    return _named(spec, lay, res, hosts, sampled)


def _named(spec: RunSpec, lay: Layout, res: dict[str, np.ndarray], hosts: dict[str, np.ndarray],
           sampled: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    flat = lay.model.observables
    out: dict[str, np.ndarray] = {}
    for o in assembly.OBSERVABLES:
        cols = [i for i, f in enumerate(flat) if f.name == o.name]
        squeeze = not any(flat[i].dim for i in cols)
        for suffix, key in (("_peak", "peak"), ("_peak_time", "peak_t"), ("_auc", "auc")):
            v = res[key][:, cols]
            out[o.name + suffix] = v[:, 0] if squeeze else v
        if spec.trajectories:
            v = res["traj"][:, cols, :]
            out[o.name] = v[:, 0, :] if squeeze else v
    names = [(f.name, f.label) for f in flat]
    k = 0
    for name, obs, _ in SYMPTOMS:
        if (obs, None) in names:
            out[name] = res["days"][:, k]
            k += 1
    out["recovery_day"] = outcomes.recovery_day_from_last_ill(lay.t_out, res["last_ill"])
    out["recovery_day"][res["status"] != 0] = np.nan
    out["sex"] = hosts["female"].astype(np.int8)
    out["age"], out["weight"] = hosts["age"], hosts["weight"]
    for name, values in sampled.items():
        out[f"param_{name}"] = values
    out["status"], out["n_rhs"] = res["status"], res["nrhs"]
    return out
