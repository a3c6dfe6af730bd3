"""Helpers shared by the illness and intervention studies: reading times and areas from simulated courses."""

from __future__ import annotations

import numpy as np
import xarray as xr

from ..analysis.summary import RECOVERED_BELOW


def peak_time_days(da: xr.DataArray) -> float:
    """Time of the maximum, in days."""
    return float(da["time"][int(np.argmax(da.to_numpy()))]) / 24.0


def last_above_days(da: xr.DataArray, level: float) -> float:
    """Last time (days) at which ``da`` is at or above ``level``; 0 if never."""
    above = da.to_numpy() >= level
    return float(da["time"].to_numpy()[above][-1]) / 24.0 if above.any() else 0.0


def onset_days(ds: xr.Dataset) -> float:
    """First time (days) any symptom reaches the 'ill' levels of the recovery definition."""
    ill = np.zeros(ds.sizes["time"], dtype=bool)
    for name, level in RECOVERED_BELOW.items():
        ill |= ds[name].to_numpy() >= level
    return float(ds["time"].to_numpy()[ill][0]) / 24.0 if ill.any() else float("nan")


def auc(da: xr.DataArray, baseline: float = 0.0) -> float:
    """Area under ``da - baseline`` over time (unit x hours), trapezoidal."""
    return float(np.trapezoid(da.to_numpy() - baseline, da["time"].to_numpy()))
