"""A small ensemble over parameter uncertainty: the range of outcomes the model predicts for one scenario.

The free (calibrated) parameters are drawn log-normally around their fitted values, with a geometric standard
deviation of ``exp(spread)``, and clipped to their bounds; every member is the same scenario simulated with one
draw. The seed is fixed, so the same scenario always gives the same range, and results are cached. This is a
stand-in for a calibration posterior (the project has none yet) and for the cohort engine.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import numpy as np
import xarray as xr

from ..engine import simulate
from ..model.parameters import default_parameters
from ..scenarios import Scenario

#: Observables kept for each member (the diary check compares these).
ENSEMBLE_OBSERVABLES = ("temperature", "back_pain", "fatigue")


def parameter_draws(members: int, seed: int, spread: float) -> list[dict[str, float]]:
    """``members`` dicts ``{name: value}`` of the free parameters, log-normal around the fit, within bounds."""
    rng = np.random.default_rng(seed)
    free = default_parameters().free()
    draws = []
    for _ in range(members):
        z = rng.standard_normal(len(free))
        draws.append({p.name: float(np.clip(p.value * np.exp(spread * zi), p.lower, p.upper))
                      for p, zi in zip(free, z, strict=True)})
    return draws


def ensemble(scenario: Scenario | dict[str, Any], *, members: int = 32, seed: int = 0,
             spread: float = 0.2) -> xr.Dataset:
    """Simulate ``scenario`` once per parameter draw; returns the observables of
    :data:`ENSEMBLE_OBSERVABLES` over ``member`` and ``time``. Cached by scenario and settings."""
    sc = Scenario.coerce(scenario)
    if not 1 <= members <= 256:
        raise ValueError(f"members: must lie within 1-256 (got {members})")
    if not 0.0 <= spread <= 1.0:
        raise ValueError(f"spread: must lie within 0-1 (got {spread})")
    return _cached(json.dumps(sc.to_dict(), sort_keys=True), members, seed, spread).copy()


@lru_cache(maxsize=64)
def _cached(scenario_json: str, members: int, seed: int, spread: float) -> xr.Dataset:
    sc = Scenario.coerce(json.loads(scenario_json))
    runs = [simulate(sc, parameters=draw, observables=list(ENSEMBLE_OBSERVABLES))
            for draw in parameter_draws(members, seed, spread)]
    ds = xr.concat(runs, dim="member", coords="minimal", compat="override", join="override")
    ds.attrs.update(ensemble_members=members, ensemble_seed=seed, ensemble_spread=spread,
                    ensemble_method="free parameters log-normal around the fit, clipped to bounds")
    return ds
