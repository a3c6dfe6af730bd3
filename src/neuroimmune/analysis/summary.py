"""Summaries of a simulation: peaks and their times, thresholds by region at chosen times, peak back ache, and
the course of an illness in days (days with fever, days with back pain, recovery day)."""

from __future__ import annotations

import dataclasses

import numpy as np
import xarray as xr

PEAK_OBSERVABLES = ("tnf", "il6", "il8", "il10", "temperature", "heart_rate")

#: Fever: core temperature of 38.0 degC or more (the usual clinical definition).
FEVER_C = 38.0
#: Back pain that counts towards "days with back pain": 2 or more on the 0-10 rating (more than a trace).
BACK_PAIN_NRS = 2.0
#: Recovered: below all of these for the rest of the scenario (temperature, back ache, fatigue).
RECOVERED_BELOW = {"temperature": 37.5, "back_pain": 1.0, "fatigue": 0.2}


def days_with(time: np.ndarray, flag: np.ndarray) -> np.ndarray:
    """Number of days (24-h windows from the start) in which ``flag`` is true at some output time.

    ``flag`` has time on its last axis; works on one course or a batch of courses.
    """
    day = np.floor(np.asarray(time, dtype=float) / 24.0 - 1e-9).clip(min=0).astype(int)
    n_days = int(day[-1]) + 1
    flag = np.asarray(flag, dtype=bool)
    per_day = np.stack([flag[..., day == d].any(axis=-1) for d in range(n_days)], axis=-1)
    return per_day.sum(axis=-1)


def recovery_day(time: np.ndarray, temperature: np.ndarray, back_pain: np.ndarray, fatigue: np.ndarray) -> np.ndarray:
    """Day (time / 24 h) after which temperature, back ache and fatigue all stay below :data:`RECOVERED_BELOW`;
    0 if never ill, NaN if still ill at the end of the scenario."""
    ill = ((np.asarray(temperature) >= RECOVERED_BELOW["temperature"])
           | (np.asarray(back_pain) >= RECOVERED_BELOW["back_pain"])
           | (np.asarray(fatigue) >= RECOVERED_BELOW["fatigue"]))
    t = np.asarray(time, dtype=float)
    any_ill = ill.any(axis=-1)
    last = np.where(any_ill, t.size - 1 - np.argmax(ill[..., ::-1], axis=-1), 0)
    day = np.where(any_ill, t[np.minimum(last + 1, t.size - 1)] / 24.0, 0.0)
    return np.where(ill[..., -1], np.nan, day)


def course(ds: xr.Dataset) -> dict[str, float]:
    """Days with fever, days with back pain and recovery day of one simulation."""
    t = ds["time"].to_numpy()
    return {
        "days_with_fever": float(days_with(t, ds["temperature"].to_numpy() >= FEVER_C)),
        "days_with_back_pain": float(days_with(t, ds["back_pain"].to_numpy() >= BACK_PAIN_NRS)),
        "recovery_day": float(recovery_day(t, ds["temperature"].to_numpy(), ds["back_pain"].to_numpy(),
                                           ds["fatigue"].to_numpy())),
    }


def peak(values: object, times: object) -> tuple[float, float]:
    """The largest value of a series and the time at which it occurs (the first, if tied)."""
    v = np.asarray(values, dtype=float)
    i = int(np.argmax(v))
    return float(v[i]), float(np.asarray(times, dtype=float)[i])


@dataclasses.dataclass(frozen=True)
class SummaryRow:
    """One line of the summary table."""

    quantity: str
    value: float
    unit: str
    time: float | None = None  # hours, where the value is a peak


def summarize(ds: xr.Dataset, threshold_times: tuple[float, ...] = (2.0, 6.0)) -> list[SummaryRow]:
    """Peaks (with times) of the cytokines, temperature and heart rate; threshold change by region at
    ``threshold_times``; peak back ache."""
    rows = []
    t = ds["time"].to_numpy()
    for name in PEAK_OBSERVABLES:
        if name in ds:
            value, time = peak(ds[name], t)
            rows.append(SummaryRow(f"{name} peak", value, ds[name].attrs["units"], time))
    if "ppt_change" in ds:
        for time in threshold_times:
            if time <= t[-1]:
                at = ds["ppt_change"].interp(time=time)
                for region in ds["region"].to_numpy():
                    rows.append(SummaryRow(f"ppt_change {region} at {time:g} h", float(at.sel(region=region)),
                                           "%"))
    if "back_pain" in ds:
        value, time = peak(ds["back_pain"], t)
        rows.append(SummaryRow("back_pain peak", value, "0-10", time))
    if "viral_load" in ds and float(ds["viral_load"].max()) > 0:
        value, time = peak(ds["viral_load"], t)
        rows.append(SummaryRow("viral_load peak", value, ds["viral_load"].attrs["units"], time))
    if all(name in ds for name in ("temperature", "back_pain", "fatigue")):
        c = course(ds)
        rows.append(SummaryRow(f"days with fever (>= {FEVER_C:g} degC)", c["days_with_fever"], "d"))
        rows.append(SummaryRow(f"days with back pain (>= {BACK_PAIN_NRS:g}/10)", c["days_with_back_pain"], "d"))
        rows.append(SummaryRow("recovery day", c["recovery_day"], "d"))
    return rows
