"""What one run of a cohort is (:class:`RunSpec`), and the inputs of a range of its members for the engines.

A :class:`RunSpec` holds everything that determines the numbers (scenario, n, seed, variability, parameter
overrides, engine, tolerances, trajectory request, chunking); its :meth:`~RunSpec.fingerprint` names a run in
the Zarr store. :func:`layout` derives what all members share (effective parameters that vary between members,
those that do not, the output grid, the generated kernel), and :func:`member_inputs` the per-member arrays.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

import numpy as np

from .. import __version__
from ..engine.batch import codegen
from ..engine.batch.engine import Compiled, MemberInputs, allocate, method_for
from ..engine.schedule import events, segments
from ..engine.simulate import resolve_parameters
from ..model import assembly, host
from ..outcomes import DAY_FLAGS, DAY_HOURS, ILL_AT, PeakKind, peak_kind
from ..scenarios import Scenario
from ..scenarios.events import Jump, Rate
from .variability import Variability

#: Day counts of every member (summary name, observable, threshold): :data:`neuroimmune.outcomes.DAY_FLAGS`;
#: ``recovery_day`` uses :data:`neuroimmune.outcomes.ILL_AT`, as a single run's summary does.
SYMPTOMS = DAY_FLAGS
DAY = DAY_HOURS


@dataclasses.dataclass(frozen=True)
class RunSpec:
    """Everything that determines a cohort's numbers. ``design`` names parameters whose values are given per
    member (a sensitivity-analysis design) instead of sampled; its values travel beside the spec and their
    hash is part of the fingerprint."""

    scenario: dict[str, Any]
    n: int
    seed: int
    variability: dict[str, Any]
    overrides: dict[str, float]
    engine: str
    rtol: float
    atol: float
    max_steps: int
    trajectories: int
    resolution: float
    chunk_size: int
    design: tuple[str, ...] = ()
    design_hash: str = ""

    def fingerprint(self) -> str:
        text = json.dumps({**dataclasses.asdict(self), "version": __version__}, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> RunSpec:
        d = json.loads(text)
        d["design"] = tuple(d["design"])
        return cls(**d)

    @property
    def n_chunks(self) -> int:
        return -(-self.n // self.chunk_size)

    def chunk(self, i: int) -> tuple[int, int]:
        return i * self.chunk_size, min(self.n, (i + 1) * self.chunk_size)


@dataclasses.dataclass(frozen=True)
class Layout:
    """What every member of a run shares."""

    scenario: Scenario
    variability: Variability
    base: dict[str, float]
    varying: tuple[str, ...]
    constants: dict[str, float]
    model: codegen.GeneratedModel
    t_out: np.ndarray
    traj_stride: int
    day_obs: np.ndarray
    day_thr: np.ndarray
    ill_obs: np.ndarray
    ill_thr: np.ndarray
    host_on_arrays: bool
    peak_kinds: tuple[PeakKind, ...] = ()  # per flat observable, :func:`neuroimmune.outcomes.peak_kind`
    t_switch: float = math.nan  # the hybrid method's switch time (hours; :func:`switch_time`), NaN: not chosen

    @property
    def t_traj(self) -> np.ndarray:
        return self.t_out[:: self.traj_stride]


def _host_effective(p: dict[str, Any], scenario: Scenario, sex: str, age: float, weight: float) -> dict[str, Any]:
    """Effective parameters for the scenario's host with a member's sex, age and weight (the host's other
    traits, its history and the challenge as in the scenario)."""
    member = scenario.host.model_copy(update={"sex": sex, "age": age, "weight": weight})
    return host.effective(p, member, scenario.challenge)


def _effective_names(base: dict[str, float], scenario: Scenario) -> set[str]:
    """Effective parameters that the host adds or changes, probed over both sexes and extreme hosts."""
    names: set[str] = set()
    for sex in ("male", "female"):
        for age, weight in ((18.0, 30.0), (90.0, 200.0)):
            q = _host_effective(base, scenario, sex, age, weight)
            names |= {k for k in q if k not in base or q[k] != base[k]}
    return names


@lru_cache(maxsize=8)
def layout(spec_json: str) -> Layout:
    """The shared layout of a run (cached per process, keyed by the spec's JSON)."""
    spec = RunSpec.from_json(spec_json)
    scenario = Scenario.coerce(spec.scenario)
    variability = Variability.coerce(spec.variability)
    base = dict(vars(resolve_parameters(scenario, spec.overrides or None)))
    sampled = set(variability.parameters) | set(spec.design)
    effective = _effective_names({k: v for k, v in base.items() if k in _raw_names()}, scenario)
    varying = tuple(sorted(sampled | effective))
    constants = {k: v for k, v in base.items() if k not in varying}
    evs = events(scenario, SimpleNamespace(**base))
    model = codegen.generate(varying, constants, driven_states={e.state for e in evs if isinstance(e, Jump)},
                             driven_inputs={e.input for e in evs if isinstance(e, Rate)},
                             symptoms=tuple((obs, thr) for _, obs, thr in SYMPTOMS),
                             ill_from=tuple(ILL_AT.items()))
    n_out = int(np.floor(scenario.duration / scenario.output_step + 1e-9)) + 1
    t_out = np.round(np.arange(n_out) * scenario.output_step, 10)
    if t_out[-1] < scenario.duration - 1e-9:
        t_out = np.append(t_out, scenario.duration)
    stride = max(1, int(round(spec.resolution / scenario.output_step)))
    flat = [(f.name, f.label) for f in model.observables]
    day_obs = np.array([flat.index((obs, None)) for _, obs, _ in SYMPTOMS if (obs, None) in flat], dtype=np.int64)
    day_thr = np.array([thr for _, obs, thr in SYMPTOMS if (obs, None) in flat])
    raw = {k: v for k, v in base.items() if k in _raw_names()}
    ill_obs = np.array([flat.index((obs, None)) for obs in ILL_AT], dtype=np.int64)
    ill_thr = np.array(list(ILL_AT.values()))
    lay = Layout(scenario, variability, base, varying, constants, model, t_out, stride, day_obs, day_thr,
                 ill_obs, ill_thr,
                 variability.host == "scenario" and _host_takes_arrays(raw, sorted(sampled), scenario),
                 tuple(peak_kind(f.name) for f in model.observables))
    if method_for(spec.engine, scenario.duration) == 2:
        lay = dataclasses.replace(lay, t_switch=switch_time(spec, lay))
    return lay


def switch_time(spec: RunSpec, lay: Layout) -> float:
    """The time (hours) from which every member of a run steps with the Rosenbrock method under the hybrid
    method: where the scenario's own member (its host and parameters, without variability), trying the
    Rosenbrock method by itself, kept it to the end (:mod:`neuroimmune.engine.batch._kernel`, ``_choose``); inf
    if it never did or failed. A pilot run of one member (about as long as one member of the cohort), the same
    in every process and chunk, so the numbers do not depend on where a member runs. Every member switches at
    the same time, so the lanes of a group step with one method at a time: with each lane trying by itself,
    groups often took both steps (influenza over three weeks: about 20 % more work than with the pilot's time,
    measured in ``benchmarks/README.md``)."""
    inputs = default_member(lay)
    out = allocate(lay, 1, 0)
    Compiled(method=2, stiff_fallback=False).run(lay, inputs, np.full(1, -1), spec.rtol, spec.atol, spec.max_steps,
                                                  out)
    return float(out["t_ros"][0]) if out["status"][0] == 0 else math.inf


def default_member(lay: Layout) -> MemberInputs:
    """The inputs of the scenario's own member: its host and the run's parameters, without variability."""
    raw = {k: v for k, v in lay.base.items() if k in _raw_names()}
    h = lay.scenario.host
    hosts = {"female": np.array([h.sex == "female"]), "age": np.array([float(h.age)]),
             "weight": np.array([float(h.weight)])}
    P = _effective(lay, raw, [], np.empty((1, 0)), hosts)
    (_, (seg_t, jumps, U)), *_ = _schedule(lay.scenario, lay, P)
    return MemberInputs(_initial_states(lay, P), P, seg_t, jumps, U, hosts, {})


def _host_takes_arrays(raw: dict[str, float], names: list[str], scenario: Scenario) -> bool:
    """Whether ``host.effective`` evaluates with arrays for the sampled parameters (it does unless it branches
    on one of them, as ``max(age - age_ref, 0)`` does on ``age_ref``). Probed once per run, with two members,
    so that the same path serves every chunk."""
    d: dict[str, Any] = dict(raw)
    d.update({k: np.array([raw[k], raw[k] * 1.5]) for k in names})
    h = scenario.host
    try:
        _host_effective(d, scenario, h.sex, h.age, h.weight)
    except (TypeError, ValueError):
        return False
    return True


@lru_cache(maxsize=1)
def _raw_names() -> frozenset[str]:
    from ..model.parameters import default_parameters

    return frozenset(default_parameters())


def member_inputs(spec: RunSpec, lay: Layout, start: int, stop: int,
                  design: np.ndarray | None = None) -> list[tuple[np.ndarray, MemberInputs]]:
    """Inputs of members ``start <= i < stop``, grouped by identical segment times (one group unless a
    challenge's event times depend on the member). Returns ``(member indices within the range, inputs)``."""
    sc = lay.scenario
    n = stop - start
    raw = {k: v for k, v in lay.base.items() if k in _raw_names()}
    hosts, sampled = lay.variability.sample(spec.seed, start, stop, sc.host, raw)
    for j, name in enumerate(spec.design):
        assert design is not None  # the caller passes the design rows with a design spec
        sampled[name] = np.asarray(design[:, j], dtype=float)
    names = list(sampled)
    cols = np.column_stack([sampled[k] for k in names]) if names else np.empty((n, 0))
    P = _effective(lay, raw, names, cols, hosts)
    y0 = _initial_states(lay, P)
    groups = _schedule(sc, lay, P)
    if len(groups) == 1:  # every member at once: no copies
        idx, (seg_t, jumps, U) = groups[0]
        return [(idx, MemberInputs(y0, P, seg_t, jumps, U, hosts, sampled))]
    out = []
    for idx, (seg_t, jumps, U) in groups:
        out.append((idx, MemberInputs(y0[idx], P[idx], seg_t, jumps, U, {k: v[idx] for k, v in hosts.items()},
                                      {k: v[idx] for k, v in sampled.items()})))
    return out


def _effective(lay: Layout, raw: dict[str, float], names: list[str], cols: np.ndarray,
               hosts: dict[str, np.ndarray]) -> np.ndarray:
    """The varying effective parameters (members x ``lay.varying``). With one host for every member and host
    effects that evaluate on arrays (decided once per run by :func:`layout`, never by a chunk's data, so that
    chunking cannot change the path), the host's effective values are computed once on arrays; otherwise
    member by member."""
    n = len(cols)

    def member_effective(d: dict[str, Any], i: int) -> dict[str, Any]:
        return _host_effective(d, lay.scenario, "female" if hosts["female"][i] else "male", float(hosts["age"][i]),
                               float(hosts["weight"][i]))

    if lay.host_on_arrays and n:
        d: dict[str, Any] = dict(raw)
        d.update({k: cols[:, j] for j, k in enumerate(names)})
        q = member_effective(d, 0)
        out = np.empty((n, len(lay.varying)))
        for j, k in enumerate(lay.varying):
            out[:, j] = q[k]
        return out
    P = np.empty((n, len(lay.varying)))
    for i in range(n):
        d = dict(raw)
        d.update(zip(names, cols[i].tolist(), strict=True))
        q = member_effective(d, i)
        P[i] = [q[k] for k in lay.varying]
    return P


def _namespace(lay: Layout, P: np.ndarray) -> SimpleNamespace:
    return SimpleNamespace(**lay.constants, **{k: P[:, j] for j, k in enumerate(lay.varying)})


def _initial_states(lay: Layout, P: np.ndarray) -> np.ndarray:
    p = _namespace(lay, P)
    out = np.empty((len(P), len(assembly.STATES)))
    for i, s in enumerate(assembly.STATES):
        out[:, i] = s.initial(p)
    return out


def _tables(segs: list[Any], n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    seg_t = np.array([float(s.start) for s in segs] + [float(segs[-1].end)])
    jumps = np.zeros((n, len(segs), len(assembly.STATE_NAMES)))
    U = np.zeros((n, len(segs), len(assembly.INPUTS)))
    for k, s in enumerate(segs):
        for state, amount in s.jumps.items():
            jumps[:, k, assembly.INDEX[state]] = amount
        for i, name in enumerate(assembly.INPUTS):
            U[:, k, i] = s.inputs[name]
    return seg_t, jumps, U


def _schedule(sc: Scenario, lay: Layout, P: np.ndarray) -> list[tuple[np.ndarray, tuple[Any, Any, Any]]]:
    """Segments for all members at once when event times do not depend on the member (amounts may); else
    member by member, grouped by segment times."""
    n = len(P)
    try:
        segs = segments(sc, _namespace(lay, P))
        if all(np.ndim(s.start) == 0 and np.ndim(s.end) == 0 for s in segs):
            return [(np.arange(n), _tables(segs, n))]
    except (TypeError, ValueError):
        pass
    groups: dict[tuple[float, ...], list[int]] = {}
    per_member = []
    for i in range(n):
        p = SimpleNamespace(**lay.constants, **dict(zip(lay.varying, P[i].tolist(), strict=True)))
        segs = segments(sc, p)
        per_member.append(segs)
        groups.setdefault(tuple(float(s.start) for s in segs), []).append(i)
    out = []
    for idx in groups.values():
        seg_t, jumps, U = _tables(per_member[idx[0]], len(idx))
        for r, i in enumerate(idx):
            _, jumps[r], U[r] = (a[0] if a.ndim == 3 else a for a in _tables(per_member[i], 1))
        out.append((np.array(idx), (seg_t, jumps, U)))
    return out
