"""``simulate``: one scenario to an ``xarray.Dataset`` of observables over time (the project's entry point)."""

from __future__ import annotations

import datetime as _dt
import functools
import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import xarray as xr

from .. import __version__
from ..errors import UnknownNameError
from ..model import assembly, host
from ..model.fits import read_parameter_file
from ..model.mechanisms import pain
from ..model.parameters import ParameterSet, default_parameters
from ..scenarios import Scenario
from .compiled import compiled_model
from .schedule import segments
from .solvers import Solver, get_solver


def simulate(
    scenario: Scenario | dict[str, Any] | str | Path | None = None,
    *,
    parameters: ParameterSet | dict[str, float] | str | Path | None = None,
    solver: str | Solver = "lsoda",
    observables: list[str] | None = None,
    include_states: bool = False,
) -> xr.Dataset:
    """Simulate one scenario.

    Parameters
    ----------
    scenario
        Anything :meth:`Scenario.coerce` reads: a :class:`Scenario`, a dict, YAML/JSON text or a file path, or
        None for the packaged default (2 ng/kg LPS bolus, 25-year-old man, 24 h).
    parameters
        Parameter values to use instead of the calibrated defaults: a full :class:`ParameterSet`, a dict
        of ``{name: value}`` overriding some of them, or the path of a fitted-parameter file (what
        ``neuroimmune calibrate --data ... --out FILE`` writes).
    solver
        A name from :data:`neuroimmune.engine.solvers.SOLVERS` or a :class:`Solver`.
    observables
        Names to keep (default: all of :data:`neuroimmune.model.OBSERVABLE_NAMES`).
    include_states
        Also return the internal state variables (prefixed ``state_``).

    Returns
    -------
    xarray.Dataset
        Dimension ``time`` (hours) and ``region`` (for ``ppt_change``); every variable has ``units`` and
        ``long_name``; the scenario and provenance are in the attributes.
    """
    scenario = Scenario.coerce(scenario)
    wanted = _check_observables(observables)
    source = None
    if isinstance(parameters, str | Path):
        source, parameters = str(parameters), read_parameter_file(parameters)
    p = resolve_parameters(scenario, parameters)
    t, y = integrate(scenario, p, solver)
    ds = to_dataset(scenario, p, t, y, wanted, include_states, solver)
    if parameters is not None:
        ds.attrs["parameters"] += (f"; with the values of {source}" if source else
                                   "; with user-supplied parameter values")
    return ds


def resolve_parameters(
    scenario: Scenario, parameters: ParameterSet | dict[str, float] | None, base: ParameterSet | None = None
) -> SimpleNamespace:
    """Parameter namespace for this scenario: ``base`` (default: the calibrated parameters), the overrides in
    ``parameters``, then the host's effective values."""
    base = base or default_parameters()
    if isinstance(parameters, ParameterSet):
        values = parameters.values()
    else:
        values = base.values()
        for name, value in (parameters or {}).items():
            if name not in values:
                raise UnknownNameError("parameters", name, sorted(values))
            values[name] = float(value)
    return SimpleNamespace(**host.effective(values, scenario.host, scenario.challenge))


def integrate(scenario: Scenario, p: SimpleNamespace, solver: str | Solver = "lsoda") -> tuple[np.ndarray, np.ndarray]:
    """Integrate segment by segment; returns the output times and states (n_states x n_times)."""
    method = get_solver(solver)
    n_out = int(np.floor(scenario.duration / scenario.output_step + 1e-9)) + 1
    t_out = np.round(np.arange(n_out) * scenario.output_step, 10)
    if t_out[-1] < scenario.duration - 1e-9:
        t_out = np.append(t_out, scenario.duration)
    model = compiled_model()
    pv = model.parameter_vector(p)
    y_out = np.empty((len(assembly.STATE_NAMES), len(t_out)))
    y = assembly.initial_state(p)
    for seg in segments(scenario, p):
        y = y.copy()
        for state, amount in seg.jumps.items():
            y[assembly.INDEX[state]] += amount
        uv = model.input_vector(seg.inputs)
        inside = (t_out >= seg.start) & (t_out < seg.end)
        if seg.start in t_out:
            y_out[:, t_out == seg.start] = y[:, None]
            inside &= t_out > seg.start
        t_eval = np.append(t_out[inside], seg.end)

        def rhs(t: float, yy: np.ndarray, u: list[float] = uv) -> list[float]:
            return model.rhs(t, yy.tolist(), u, pv)

        ys = method.segment(rhs, seg.start, seg.end, y, t_eval)
        y_out[:, inside] = ys[:, :-1]
        y = ys[:, -1]
    y_out[:, -1] = y
    return t_out, y_out


def to_dataset(
    scenario: Scenario,
    p: SimpleNamespace,
    t: np.ndarray,
    y: np.ndarray,
    wanted: tuple[str, ...],
    include_states: bool,
    solver: str | Solver,
) -> xr.Dataset:
    """Label the trajectory: observables with units and long names, provenance in attributes."""
    values = assembly.observables(y, p)
    meta = {o.name: o for o in assembly.OBSERVABLES}
    data_vars: dict[str, Any] = {}
    for name in wanted:
        dims = (*meta[name].dims, "time")
        data_vars[name] = xr.Variable(dims, np.asarray(values[name], dtype=float),
                                      attrs=observable_attrs(scenario, name))
    if include_states:
        for i, state in enumerate(assembly.STATES):
            data_vars[f"state_{state.name}"] = xr.Variable(
                ("time",), y[i], attrs={"units": state.unit, "long_name": state.long_name}
            )
    ds = xr.Dataset(
        data_vars,
        coords={
            "time": ("time", t, {"units": "h", "long_name": "time since the start of the scenario"}),
            "region": ("region", list(pain.REGIONS), {"long_name": "body region of the pressure pain threshold"}),
        },
    )
    ds.attrs.update(
        title=f"neuroimmune simulation: {scenario.name or 'unnamed scenario'}",
        source=f"neuroimmune {__version__}",
        scenario=json.dumps(scenario.to_dict()),
        parameters=getattr(default_parameters(), "fitted_from", None) or "base parameters (uncalibrated)",
        host_effective=json.dumps(host.describe(vars(p))),
        solver=solver if isinstance(solver, str) else type(solver).__name__,
        history=f"{_dt.datetime.now(_dt.UTC).isoformat(timespec='seconds')} simulate()",
        Conventions="CF-1.10",
    )
    return ds


def observable_attrs(scenario: Scenario, name: str) -> dict[str, str]:
    """``units`` and ``long_name`` of observable ``name`` in ``scenario`` (the viral load's unit is the
    challenge's: copies/mL or TCID50/mL)."""
    o = _observables()[name]
    unit = getattr(scenario.challenge, "viral_load_unit", o.unit) if name == "viral_load" else o.unit
    return {"units": unit, "long_name": o.long_name}


@functools.cache
def _observables() -> dict[str, Any]:
    return {o.name: o for o in assembly.OBSERVABLES}


def _check_observables(observables: list[str] | None) -> tuple[str, ...]:
    if observables is None:
        return assembly.OBSERVABLE_NAMES
    for name in observables:
        if name not in assembly.OBSERVABLE_NAMES:
            raise UnknownNameError("observables", name, assembly.OBSERVABLE_NAMES)
    return tuple(observables)
