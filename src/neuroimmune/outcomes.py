"""Outcomes: every summary a user reads, defined once.

Every path that reports a summary calls these definitions: the single run's table (``neuroimmune run``),
``compare`` in the command line and in the API, the diary check, validation, the cohort's NumPy engines, and the
cohort kernel, whose recording code is generated from :data:`DAY_FLAGS`, :data:`ILL_AT` and :func:`day_index`.

Definitions
-----------
Thresholds
    Fever is a core temperature of :data:`FEVER_C` or more; back pain counts from :data:`BACK_PAIN_NRS` on the
    0-10 rating. A person is *ill* while any of :data:`ILL_AT` is reached (temperature, back ache, fatigue).
Day boundaries
    Day ``d`` is the half-open window ``[24 d, 24 (d + 1))`` hours from the scenario start (:func:`day_index`): an
    output at exactly 24 h opens day 1, so a flag over [24, 30] h counts one day, and a flag that ends at 24 h
    counts on day 0 only when it is still true just before 24 h.
Peak
    Per observable, :data:`PEAK_KIND` says which extreme a peak is: ``"max"`` (cytokines, temperature, back ache,
    symptoms, viral load), ``"min"`` (pressure pain thresholds, whose change is negative) or ``"extreme"`` (the
    value furthest from the pre-challenge baseline; used for any observable not listed). Ties go to the first time.
Area
    The signed area between the curve and its baseline over the output grid (trapezoids), unit x hours.
Days with X
    The number of days (as above) in which the flag is true at some output time.
Onset
    The first output time at which the person is ill (any of :data:`ILL_AT` reached); NaN if never.
Recovery day
    The time (in days) of the first output after the last ill one: 0 if never ill, NaN if still ill at the end.
Day of illness
    A person counts days from falling ill: day ``d`` of illness is the half-open window
    ``[day_one + 24 (d - 1), day_one + 24 d)`` hours, where ``day_one`` is the hour at which the person's first day
    of illness starts (the onset, or the onset moved by the person's uncertainty about it) (:func:`illness_day`).
    A day's *worst* value is the highest output within that window (:func:`worst_by_illness_day`), and the
    recovery day as a person says it ("I felt better on day 5") is the day of illness that holds the recovery time
    (:func:`recovery_illness_day`).
Burden
    What a person notices over an illness: peak back ache, days with back pain, peak temperature, hours of fever
    (hours at or above :data:`FEVER_C`, trapezoids), lowest lower-back threshold change, recovery day
    (:func:`burden`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import numpy as np
import xarray as xr

from .model import assembly

#: Hours in a day of illness.
DAY_HOURS = 24.0
#: Fever: core temperature of 38.0 degC or more (the usual clinical definition).
FEVER_C = 38.0
#: Back pain that counts towards "days with back pain": 2 or more on the 0-10 rating (more than a trace).
BACK_PAIN_NRS = 2.0
#: Ill while any of these is reached; recovered when all stay below them (temperature degC, back ache 0-10,
#: fatigue 0-1).
ILL_AT: dict[str, float] = {"temperature": 37.5, "back_pain": 1.0, "fatigue": 0.2}
#: Day counts reported for every run: (outcome name, observable, threshold reached at or above).
DAY_FLAGS: tuple[tuple[str, str, float], ...] = (
    ("days_with_fever", "temperature", FEVER_C),
    ("days_with_back_pain", "back_pain", BACK_PAIN_NRS),
)

PeakKind = Literal["max", "min", "extreme"]
#: Which extreme is an observable's peak; observables not listed use ``"extreme"`` (furthest from baseline).
PEAK_KIND: dict[str, PeakKind] = {
    **dict.fromkeys(assembly.CYTOKINES, "max"), "crp": "max", "temperature": "max", "heart_rate": "max",
    "back_pain": "max", "fatigue": "max", "viral_load": "max",
    "ppt": "min", "ppt_change": "min",
}
#: Each kind of peak in words (for the long names of reported variables).
PEAK_WORDS: dict[PeakKind, str] = {"max": "highest value", "min": "lowest value",
                                   "extreme": "value furthest from the pre-challenge baseline"}


def peak_kind(name: str) -> PeakKind:
    """The kind of peak of observable ``name`` (:data:`PEAK_KIND`); ``ppt_change_<region>`` is ``"min"``."""
    if name.startswith("ppt_change"):
        return "min"
    return PEAK_KIND.get(name, "extreme")


def day_index(time: object) -> np.ndarray:
    """Day of illness (0, 1, ...) of each time in hours: day ``d`` is ``[24 d, 24 (d + 1))``."""
    return np.floor(np.asarray(time, dtype=float) / DAY_HOURS).clip(min=0).astype(int)


def days_with(time: object, flag: object) -> np.ndarray:
    """Number of days (:func:`day_index`) in which ``flag`` is true at some output time.

    ``flag`` has time on its last axis; works on one course or a batch of courses.
    """
    day = day_index(time)
    flag = np.asarray(flag, dtype=bool)
    n_days = int(day[-1]) + 1
    per_day = np.stack([flag[..., day == d].any(axis=-1) for d in range(n_days)], axis=-1)
    return per_day.sum(axis=-1)


def peak_index(values: object, kind: PeakKind = "max", baseline: float | np.ndarray | None = None) -> np.ndarray:
    """Index (along the last axis) of the peak of ``values``; ``baseline`` is needed for ``"extreme"``."""
    v = np.asarray(values, dtype=float)
    if kind == "max":
        return np.argmax(v, axis=-1)
    if kind == "min":
        return np.argmin(v, axis=-1)
    base = v[..., :1] if baseline is None else np.asarray(baseline, dtype=float)[..., None]
    return np.argmax(np.abs(v - base), axis=-1)


def peak(values: object, times: object, kind: PeakKind = "max",
         baseline: float | None = None) -> tuple[float, float]:
    """The peak of one series (see :data:`PEAK_KIND`) and the time at which it occurs (the first, if tied)."""
    v = np.asarray(values, dtype=float)
    i = int(peak_index(v, kind, baseline))
    return float(v[i]), float(np.asarray(times, dtype=float)[i])


def area(values: object, times: object, baseline: float | np.ndarray = 0.0) -> np.ndarray:
    """Signed area between ``values`` and ``baseline`` over ``times`` (trapezoids; time on the last axis)."""
    v = np.asarray(values, dtype=float)
    dev = v - (np.asarray(baseline, dtype=float)[..., None] if np.ndim(baseline) else baseline)
    return np.trapezoid(dev, np.asarray(times, dtype=float), axis=-1)


def hours_at_or_above(values: object, times: object, level: float) -> float:
    """Hours during which ``values`` is at or above ``level`` (the flag integrated by trapezoids)."""
    flag = (np.asarray(values, dtype=float) >= level).astype(float)
    return float(area(flag, times))


def last_time_at_or_above(values: object, times: object, level: float) -> float:
    """When ``values`` last falls below ``level``: the end of its last stretch at or above it, interpolated
    linearly between output times (so it moves smoothly with the parameters, as a calibration needs); the last
    output time if it is still there at the end, NaN if it never reaches ``level``."""
    v, t = np.asarray(values, dtype=float), np.asarray(times, dtype=float)
    above = np.flatnonzero(v >= level)
    if above.size == 0:
        return float("nan")
    i = int(above[-1])
    if i == v.size - 1:
        return float(t[-1])
    return float(t[i] + (t[i + 1] - t[i]) * (v[i] - level) / (v[i] - v[i + 1]))


def ill(series: Mapping[str, object]) -> np.ndarray:
    """Whether the person is ill at each output time (any of :data:`ILL_AT` reached); ``series`` maps the
    observables of :data:`ILL_AT` to arrays with time on the last axis."""
    flags = [np.asarray(series[name], dtype=float) >= level for name, level in ILL_AT.items()]
    return np.logical_or.reduce(flags)


def onset(time: object, series: Mapping[str, object]) -> float:
    """Hours to the first output at which the person is ill; NaN if never."""
    flag = ill(series)
    return float(np.asarray(time, dtype=float)[np.argmax(flag)]) if flag.any() else float("nan")


def recovery_day_from_last_ill(time: object, last_ill: object) -> np.ndarray:
    """Recovery day from the index of the last ill output (-1 if never ill): the time in days of the output
    after it; 0 if never ill, NaN if still ill at the last output."""
    t = np.asarray(time, dtype=float)
    last = np.asarray(last_ill, dtype=float)
    nxt = np.minimum(np.where(last >= 0, last, 0).astype(int) + 1, t.size - 1)
    day = np.where(last >= 0, t[nxt] / DAY_HOURS, 0.0)
    return np.where(np.isnan(last) | (last >= t.size - 1), np.nan, day)


def last_ill_index(series: Mapping[str, object]) -> np.ndarray:
    """Index of the last ill output along the last axis, -1 if never ill."""
    flag = ill(series)
    n = flag.shape[-1]
    return np.where(flag.any(axis=-1), n - 1 - np.argmax(flag[..., ::-1], axis=-1), -1)


def recovery_day(time: object, temperature: object, back_pain: object, fatigue: object) -> np.ndarray:
    """Day after which temperature, back ache and fatigue all stay below :data:`ILL_AT`; 0 if never ill, NaN if
    still ill at the end of the scenario."""
    last = last_ill_index({"temperature": temperature, "back_pain": back_pain, "fatigue": fatigue})
    return recovery_day_from_last_ill(time, last)


def course(ds: xr.Dataset) -> dict[str, float]:
    """Days with fever, days with back pain and recovery day of one simulation."""
    t = ds["time"].to_numpy()
    out = {name: float(days_with(t, ds[obs].to_numpy() >= level)) for name, obs, level in DAY_FLAGS}
    out["recovery_day"] = float(recovery_day(t, *(ds[name].to_numpy() for name in ILL_AT)))
    return out


def burden(ds: xr.Dataset) -> dict[str, float]:
    """What a person notices over one simulated illness (see the module docstring); keys present when the
    dataset has the observables they need. Times in hours."""
    t = ds["time"].to_numpy()
    out: dict[str, float] = {}
    if "back_pain" in ds:
        ache = ds["back_pain"].to_numpy()
        out["peak_back_pain"], out["peak_back_pain_time_h"] = peak(ache, t)
        out["days_with_back_pain"] = float(days_with(t, ache >= BACK_PAIN_NRS))
    if "temperature" in ds:
        temp = ds["temperature"].to_numpy()
        out["peak_temperature"], out["peak_temperature_time_h"] = peak(temp, t)
        out["days_with_fever"] = float(days_with(t, temp >= FEVER_C))
        out["fever_hours"] = hours_at_or_above(temp, t, FEVER_C)
    if "ppt_change" in ds and "lower_back" in ds["region"].to_numpy():
        low = ds["ppt_change"].sel(region="lower_back").to_numpy()
        out["lower_back_ppt_min"], out["lower_back_ppt_min_time_h"] = peak(low, t, "min")
    if all(name in ds for name in ILL_AT):
        out["recovery_day"] = float(recovery_day(t, *(ds[name].to_numpy() for name in ILL_AT)))
    return out


def illness_day(time: object, day_one: object) -> np.ndarray:
    """Day of illness (1, 2, ...) holding each time (hours): day ``d`` is ``[day_one + 24 (d - 1), day_one + 24 d)``;
    times before ``day_one`` give 0 or less. ``time`` and ``day_one`` broadcast."""
    t = np.asarray(time, dtype=float) - np.asarray(day_one, dtype=float)
    return np.floor(t / DAY_HOURS).astype(int) + 1


def recovery_illness_day(recovery: object, day_one: object) -> np.ndarray:
    """The day of illness (float, whole days) on which a person recovers, from the recovery day of
    :func:`recovery_day` (days from the scenario start) and the hour ``day_one`` at which the person's day 1
    starts; NaN where the recovery day is NaN (still ill at the end) or ``day_one`` is (never ill)."""
    rec = np.asarray(recovery, dtype=float)
    one = np.asarray(day_one, dtype=float)
    missing = np.isnan(rec) | np.isnan(one)  # still ill at the end, or never ill (no day one)
    day = illness_day(np.where(np.isnan(rec), 0.0, rec) * DAY_HOURS, np.where(np.isnan(one), 0.0, one))
    return np.where(missing, np.nan, day.astype(float))


def worst_by_illness_day(time: object, values: object, day_one: object, n_days: int) -> np.ndarray:
    """The highest value of each day of illness 1..``n_days`` (:func:`illness_day`).

    ``values`` has time on its last axis (shape ``(..., n_time)``) and ``day_one`` (hours) the shape of its leading
    axes; the result has shape ``(..., n_days)``. A day not wholly inside the output grid (it starts before the
    first output or ends after the last) is NaN.
    """
    t = np.asarray(time, dtype=float)
    v = np.asarray(values, dtype=float)
    lead = v.shape[:-1]
    starts = np.broadcast_to(np.asarray(day_one, dtype=float), lead)[..., None] + DAY_HOURS * np.arange(n_days)
    first = np.searchsorted(t, starts, side="left")
    stop = np.searchsorted(t, starts + DAY_HOURS, side="left")
    inside = (starts >= t[0]) & (starts + DAY_HOURS <= t[-1]) & (stop > first)
    # the windows [first, stop) of all rows at once: np.maximum.reduceat over the flattened values reduces between
    # consecutive indices, so starts and stops are interleaved and every second result is a window
    rows = v.reshape(-1, t.size)
    offset = (np.arange(rows.shape[0]) * t.size)[:, None]
    lo = (np.where(inside.reshape(len(rows), n_days), first.reshape(len(rows), n_days), 0) + offset).ravel()
    hi = (np.where(inside.reshape(len(rows), n_days), stop.reshape(len(rows), n_days), 1) + offset).ravel()
    flat = np.append(rows.ravel(), -np.inf)  # a last element, so that a window ending at the end has a stop index
    worst = np.maximum.reduceat(flat, np.column_stack([lo, hi]).ravel())[::2]
    return np.where(inside, worst.reshape(*lead, n_days), np.nan)
