"""Summaries of a simulation: peaks and their times, thresholds by region at chosen times, peak back ache."""

from __future__ import annotations

import dataclasses

import numpy as np
import xarray as xr

PEAK_OBSERVABLES = ("tnf", "il6", "il8", "il10", "temperature", "heart_rate")


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
    return rows
