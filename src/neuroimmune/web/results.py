"""Turning a simulated ``xarray.Dataset`` into what the explorer draws, and the numbers it compares.

Handlers stay thin: these functions are the whole translation between the Python API and JSON.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from functools import lru_cache
from typing import Any

import numpy as np
import xarray as xr

from ..engine import simulate
from ..outcomes import burden as _outcome_burden
from ..scenarios import Scenario


def _rounded(values: np.ndarray) -> list[Any]:
    """Five significant digits, as plain floats (JSON has no NaN: those become null)."""
    out = np.asarray(values, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        mag = np.where(np.isfinite(out) & (out != 0), np.floor(np.log10(np.abs(out))), 0)
    scale = 10.0 ** (4 - mag)
    rounded = np.round(out * scale) / scale
    return [None if not np.isfinite(v) else float(v) for v in rounded.ravel()] if out.ndim == 1 else [
        _rounded(row) for row in out]


def burden(ds: xr.Dataset) -> dict[str, float | None]:
    """The numbers "what helps" compares (:func:`neuroimmune.outcomes.burden`), rounded for JSON; a recovery day
    that is not reached within the scenario is null."""
    return {k: None if not np.isfinite(v) else round(float(v), 4) for k, v in _outcome_burden(ds).items()}


def to_json(ds: xr.Dataset, scenario: Scenario) -> dict[str, Any]:
    """Every data variable of ``ds`` with its units and long name (``values`` over time, or over
    ``region`` x time for ``ppt_change``), the time grid, the canonical scenario and its :func:`burden`."""
    observables: dict[str, Any] = {}
    for name, var in ds.data_vars.items():
        entry: dict[str, Any] = {"units": var.attrs.get("units", ""), "long_name": var.attrs.get("long_name", ""),
                                 "dims": list(var.dims), "values": _rounded(var.to_numpy())}
        observables[str(name)] = entry
    return {
        "time": _rounded(ds["time"].to_numpy()),
        "time_units": "h",
        "regions": [str(r) for r in ds["region"].to_numpy()] if "region" in ds.coords else [],
        "observables": observables,
        "summary": burden(ds),
        "scenario": scenario.to_dict(),
    }


@lru_cache(maxsize=256)
def simulated(scenario_json: str) -> tuple[Scenario, xr.Dataset]:
    """The scenario and its simulation, for a canonical scenario (cached: explorer users revisit the same
    settings, "what helps" reruns the same reference, and a deterministic model's answer does not change)."""
    scenario = Scenario.coerce(json.loads(scenario_json))
    return scenario, simulate(scenario)


class LRU:
    """A small thread-safe least-recently-used cache whose lookups never compute, so the server can answer a
    cached request on the event loop without queueing behind simulations in the thread pool."""

    def __init__(self, maxsize: int):
        self.maxsize, self._data, self._lock = maxsize, OrderedDict[str, Any](), threading.Lock()

    def get(self, key: str) -> Any:
        """The cached value, or None."""
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
        return None

    def put(self, key: str, value: Any) -> Any:
        """Store and return ``value``, dropping the least recently used entry past ``maxsize``."""
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.maxsize:
                self._data.popitem(last=False)
        return value


ANSWERS = LRU(512)
BURDENS = LRU(2048)


def simulate_json_bytes(scenario_json: str) -> bytes:
    """The JSON answer of ``POST /api/simulate`` for a canonical scenario (cached in :data:`ANSWERS`)."""
    cached = ANSWERS.get(scenario_json)
    if cached is not None:
        return cached
    scenario, ds = simulated(scenario_json)
    return ANSWERS.put(scenario_json, json.dumps(to_json(ds, scenario), separators=(",", ":")).encode())


def burden_of(scenario_json: str) -> dict[str, float | None]:
    """:func:`burden` of a canonical scenario (cached in :data:`BURDENS`)."""
    cached = BURDENS.get(scenario_json)
    if cached is not None:
        return cached
    return BURDENS.put(scenario_json, burden(simulated(scenario_json)[1]))


def canonical(scenario: Scenario) -> str:
    """The cache key of a scenario: its canonical mapping as sorted JSON (name excluded)."""
    data = scenario.to_dict()
    data.pop("name", None)
    return json.dumps(data, sort_keys=True)
