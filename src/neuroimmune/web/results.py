"""Turning a simulated ``xarray.Dataset`` into what the explorer draws, and the numbers it compares.

Handlers stay thin: these functions are the whole translation between the Python API and JSON.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any

import numpy as np
import xarray as xr

from ..analysis.uncertainty import LABELS, MEMBERS, MIN_MEMBERS, packaged_posterior, predict
from ..cohort import compile_notice
from ..engine import simulate
from ..outcomes import burden as _outcome_burden
from ..scenarios import Scenario


def _rounded(values: np.ndarray) -> list[Any]:
    """Five significant digits, as plain floats (JSON has no NaN: those become null)."""
    out = np.asarray(values, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        mag = np.where(np.isfinite(out) & (out != 0), np.floor(np.log10(np.abs(out))), 0)
    scale = 10.0 ** (4 - np.clip(mag, -300, 300))  # a subnormal value rounds to 0, not to an overflow
    rounded = np.round(out * scale) / scale
    finite = np.isfinite(rounded)
    if finite.all():
        return rounded.tolist()  # nested lists of floats, in C (the bands of a page are some 10,000 numbers)
    cells = rounded.astype(object)
    cells[~finite] = None
    return cells.tolist()


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
BANDS = LRU(256)
#: Quantiles of the explorer's bands: the 5-95 % band (light), the 25-75 % band (darker) and the median.
WEB_QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


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


def bands_to_json(band: xr.Dataset, scenario: Scenario) -> dict[str, Any]:
    """The answer of ``POST /api/bands``: what the band is and means, its quantiles, and each observable's
    quantile curves (``values`` over quantile x time, or quantile x region x time for ``ppt_change``)."""
    observables = {str(name): {"units": var.attrs.get("units", ""), "long_name": var.attrs.get("long_name", ""),
                               "dims": list(var.dims), "values": _rounded(var.to_numpy())}
                   for name, var in band.data_vars.items()}
    return {
        "uncertainty": band.attrs["uncertainty"],
        "label": LABELS[band.attrs["uncertainty"]],
        "meaning": band.attrs["band"],
        "members": int(band.attrs["members"]),
        "members_failed": int(band.attrs["members_failed"]),
        "seed": int(band.attrs["seed"]),
        "quantiles": [float(q) for q in band["quantile"].to_numpy()],
        "time": _rounded(band["time"].to_numpy()),
        "time_units": "h",
        "regions": [str(r) for r in band["region"].to_numpy()] if "region" in band.coords else [],
        "observables": observables,
        "scenario": scenario.to_dict(),
    }


def bands_key(scenario_json: str, uncertainty: str, observables: tuple[str, ...] | None = None) -> str:
    """The cache key of a band: the uncertainty, the posterior drawn from (a new sample is a new answer), the
    observables asked for and the canonical scenario."""
    post = packaged_posterior() if uncertainty != "people" else None
    return f"{uncertainty}:{post.path if post is not None else ''}:{observables}:{scenario_json}"


def bands_json_bytes(scenario_json: str, uncertainty: str, observables: tuple[str, ...] | None = None) -> bytes:
    """The JSON answer of ``POST /api/bands`` for a canonical scenario (cached in :data:`BANDS`)."""
    key = bands_key(scenario_json, uncertainty, observables)
    cached = BANDS.get(key)
    if cached is not None:
        return cached
    scenario = Scenario.coerce(json.loads(scenario_json))
    band = predict(scenario, uncertainty=uncertainty, members=MEMBERS, quantiles=WEB_QUANTILES,
                   observables=observables)
    return BANDS.put(key, json.dumps(bands_to_json(band, scenario), separators=(",", ":")).encode())


def prepare_bands(scenario_json: str) -> None:
    """Compile the cohort kernel that the bands of a canonical scenario run on (the preparer's job): a people band
    of the fewest members, which needs no posterior and runs on the same kernel as the other two bands
    (:func:`neuroimmune.analysis.uncertainty.member_values` draws the same names for all three)."""
    predict(Scenario.coerce(json.loads(scenario_json)), uncertainty="people", members=MIN_MEMBERS,
            observables=["temperature"])


class NotPrepared(Exception):
    """The cohort engine for this kind of scenario is not compiled on this server yet (:func:`without_compiling`)."""


@contextlib.contextmanager
def _refuse(seconds: float) -> Iterator[None]:
    raise NotPrepared(f"the engine for this kind of scenario needs compiling first (about {seconds:.0f} s)")
    yield  # never reached: a context manager needs a yield


def without_compiling(fn: Callable[..., Any], *args: Any) -> Any:
    """``fn(*args)``, but raise :class:`NotPrepared` instead of compiling a cohort kernel (a request must not wait
    a minute for a compile: the :class:`Preparer` does it in the background)."""
    with compile_notice(_refuse):
        return fn(*args)


class Preparer:
    """Compiles what a request needs in a background process, so that no request waits for a compile of the cohort
    kernel (about a minute, once per machine and kind of scenario). The compiled kernel goes to the disk cache
    (:mod:`neuroimmune.io.cache`), from which the server loads it in about a second.

    A process, not a thread: compiling holds the interpreter lock most of the time and would stall every other
    request of the server for that minute. One job at a time (the machine's cores serve the requests meanwhile);
    a client asking for another kind while one is prepared is told to try again. The process is started fresh,
    not forked from the server's threads, so ``fn`` and ``args`` must be picklable; it is ended with the server.
    """

    def __init__(self) -> None:
        self._job: tuple[str, Any] | None = None
        self._lock = threading.Lock()

    def submit(self, fn: Callable[..., Any], *args: Any) -> bool:
        """Start ``fn(*args)`` in the background process; True if it runs now (or already ran as this job), False
        when another job is being prepared."""
        key = f"{fn.__module__}.{fn.__qualname__}{args!r}"
        with self._lock:
            if self._job is not None:
                running, proc = self._job
                if proc.is_alive():
                    return running == key
                proc.join()
            proc = multiprocessing.get_context("spawn").Process(target=fn, args=args, daemon=True,
                                                                name="neuroimmune-prepare")
            proc.start()
            self._job = (key, proc)
            return True

    def shutdown(self) -> None:
        """End a job still running (a compile cut short leaves nothing behind: the caches are written atomically)."""
        with self._lock:
            if self._job is not None and self._job[1].is_alive():
                self._job[1].terminate()
                self._job[1].join(timeout=10)
            self._job = None
