"""What every study module shares: its description (:class:`Study`), the validate row (:class:`Row`), and the
one way a study simulates an arm with given parameter values (:func:`simulate_arm`).

A study module (``studies/<id>.py``, one per published study) defines

* ``STUDY``: a :class:`Study` (citation, cohort, how the numbers were read, the packaged data it uses, whether
  it informs the calibration);
* ``rows(values)``: its validate rows for parameter values ``values`` (a mapping name -> value over every
  parameter), each with a tolerance derived from the study's own spread;
* ``residuals(values)`` (only a study with ``fitted=True``): its weighted calibration residuals;
* ``measurements()`` (a fitted study whose residuals are all values at time points of one arm): the data behind
  those residuals as :class:`Measurement` records, from which ``residuals`` is computed
  (:func:`measured_residuals`), so the calibration and the PEtab export (:mod:`neuroimmune.export.petab`) read
  the same numbers.

Rows and residuals take the parameter values as an argument, so the same study serves validation with the
committed fit, calibration, and cross-validation with a fit that left the study out.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

import numpy as np
import xarray as xr

from ..engine.simulate import integrate, resolve_parameters, simulate
from ..model import assembly
from ..model.mechanisms import pain
from ..model.parameters import base_parameters
from ..scenarios import Scenario


@dataclasses.dataclass(frozen=True)
class Study:
    """A published study: ``id`` (module name), ``citation``, ``cohort`` (studies that share one group of people
    share it, and cross-validation leaves them out together), ``how_read`` (abstract, table, figure or public
    digitisation, and where), ``data`` (packaged dataset names it reads), ``fitted`` (it informs the joint
    calibration) and ``cluster`` (the question it checks: calibration point, dose-response, tolerance, ...)."""

    id: str
    citation: str
    how_read: str
    cohort: str = ""
    data: tuple[str, ...] = ()
    fitted: bool = False
    cluster: str = ""
    doi: str | None = None
    #: Its residuals are qualitative (ordinal) constraints, zero while the published order holds, not measurements
    #: with a noise model: they count no degree of freedom when the error scale is estimated, and synthetic data
    #: sets (benchmarks/interval_coverage.py) leave them as they are.
    qualitative: bool = False

    @property
    def group(self) -> str:
        """The cross-validation group: the cohort, or the study itself."""
        return self.cohort or self.id


@dataclasses.dataclass(frozen=True)
class Row:
    """One comparison of model and published data.

    ``lower``/``upper`` bound the model value; ``tolerance`` says how in words and ``reason`` says why (from the
    study's own spread); ``fitted`` is True when the data inform the calibration (in-sample), False for
    held-out checks.
    """

    study: str
    observable: str
    metric: str
    model: float
    data: float
    lower: float
    upper: float
    tolerance: str
    reason: str
    fitted: bool

    @property
    def passed(self) -> bool:
        return bool(self.lower <= self.model <= self.upper)


@dataclasses.dataclass(frozen=True)
class Measurement:
    """One measured value of a study arm, as a calibration residual reads it.

    ``observable`` is a scalar observable (``tnf``, ``temperature``) or ``ppt_change_<region>``; ``time`` is hours
    from the start of ``scenario`` (the arm, whose id is ``condition``); ``sigma`` the noise scale of the residual,
    on the natural-log scale when ``scale`` is ``"log"`` (the residual ``(log model - log value) / sigma``) and in
    the observable's unit when ``"lin"`` (``(model - value) / sigma``).
    """

    study: str
    observable: str
    condition: str
    scenario: Scenario
    time: float
    value: float
    sigma: float
    scale: str = "lin"


def model_at(obs: Mapping[str, Any], observable: str, times: object) -> np.ndarray:
    """Observable ``observable`` (a scalar name or ``ppt_change_<region>``) at ``times`` of a simulated arm."""
    if observable.startswith("ppt_change_"):
        return at(obs, "ppt_change", times, observable[len("ppt_change_"):])
    return at(obs, observable, times)


def measured_residuals(measurements: Sequence[Measurement], values: Mapping[str, float]) -> np.ndarray:
    """The weighted residuals of ``measurements`` with parameter ``values``, in their order (see
    :class:`Measurement` for the two scales)."""
    out = np.empty(len(measurements))
    arms: dict[str, dict[str, np.ndarray]] = {}
    for i, m in enumerate(measurements):
        if m.condition not in arms:
            arms[m.condition] = simulate_arm(m.scenario, values)
        model = float(model_at(arms[m.condition], m.observable, [m.time])[0])
        out[i] = (np.log(model) - np.log(m.value) if m.scale == "log" else model - m.value) / m.sigma
    return out


def within(study: str, observable: str, metric: str, model: float, data: float, tol: float, reason: str,
           fitted: bool, unit: str = "") -> Row:
    """A row passing when |model - data| <= tol."""
    return Row(study, observable, metric, float(model), float(data), data - tol, data + tol,
               f"+/- {tol:.3g}{unit}", reason, fitted)


def between(study: str, observable: str, metric: str, model: float, data: float, lower: float, upper: float,
            reason: str, fitted: bool, tolerance: str | None = None) -> Row:
    """A row passing when ``lower <= model <= upper``."""
    return Row(study, observable, metric, float(model), float(data), float(lower), float(upper),
               tolerance or f"{lower:.3g}-{upper:.3g}", reason, fitted)


def proportion_interval(p: float, n: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval of a proportion ``p`` (0-1) observed in ``n`` people: the tolerance of a published
    prevalence from its own sample size."""
    denom = 1 + z**2 / n
    centre = (p + z**2 / (2 * n)) / denom
    half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
    return float(max(0.0, centre - half)), float(min(1.0, centre + half))


def values_key(values: Mapping[str, float]) -> str:
    return json.dumps(sorted((k, float(v)) for k, v in values.items()))


@lru_cache(maxsize=256)
def _simulate_cached(scenario_json: str, values_json: str) -> dict[str, np.ndarray]:
    scenario = Scenario.from_dict(json.loads(scenario_json))
    values = dict(json.loads(values_json))
    p = resolve_parameters(scenario, values, base=base_parameters())
    t, y = integrate(scenario, p)
    obs = assembly.observables(y, p)
    obs["time"] = t
    return obs


def simulate_arm(scenario: Scenario, values: Mapping[str, float]) -> dict[str, np.ndarray]:
    """Observables of one study arm with parameter ``values`` (plus ``time``); the same code path for validation,
    calibration and cross-validation, cached so studies that share an arm simulate it once."""
    return _simulate_cached(json.dumps(scenario.to_dict(), sort_keys=True), values_key(values))


@lru_cache(maxsize=64)
def _course_cached(scenario_json: str, values_json: str) -> xr.Dataset:
    return simulate(Scenario.from_dict(json.loads(scenario_json)), parameters=dict(json.loads(values_json)))


def simulate_course(scenario: Scenario | Mapping[str, Any], values: Mapping[str, float]) -> xr.Dataset:
    """The labelled course of one study arm (:func:`neuroimmune.simulate` with parameter ``values``), for studies
    that read it with the :mod:`neuroimmune.outcomes` summaries; cached like :func:`simulate_arm`, so treat the
    dataset as read-only."""
    sc = scenario if isinstance(scenario, Scenario) else Scenario.from_dict(dict(scenario))
    return _course_cached(json.dumps(sc.to_dict(), sort_keys=True), values_key(values))


def at(obs: Mapping[str, Any], name: str, times: object, region: str | None = None) -> np.ndarray:
    """Observable ``name`` at ``times`` (linear interpolation on the output grid)."""
    series = obs[name]
    if region is not None:
        series = np.asarray(series)[list(pain.REGIONS).index(region)]
    return np.interp(np.asarray(times, dtype=float), obs["time"], series)


def region_series(obs: Mapping[str, Any], region: str) -> np.ndarray:
    """The threshold change of one body region over time."""
    return np.asarray(obs["ppt_change"])[list(pain.REGIONS).index(region)]
