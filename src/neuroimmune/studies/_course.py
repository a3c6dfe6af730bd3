"""Helpers shared by the illness and intervention studies: reading times and areas from simulated courses."""

from __future__ import annotations

import xarray as xr

from .. import outcomes


def peak_time_days(da: xr.DataArray) -> float:
    """Time of the peak (:func:`neuroimmune.outcomes.peak`), in days."""
    return outcomes.peak(da.to_numpy(), da["time"].to_numpy(), outcomes.peak_kind(str(da.name)))[1] / 24.0


def last_above_days(da: xr.DataArray, level: float) -> float:
    """Last time (days) at which ``da`` is at or above ``level``; 0 if never."""
    above = da.to_numpy() >= level
    return float(da["time"].to_numpy()[above][-1]) / 24.0 if above.any() else 0.0


def onset_days(ds: xr.Dataset) -> float:
    """Onset (:func:`neuroimmune.outcomes.onset`) in days."""
    return outcomes.onset(ds["time"].to_numpy(), {n: ds[n].to_numpy() for n in outcomes.ILL_AT}) / 24.0


def auc(da: xr.DataArray, baseline: float = 0.0) -> float:
    """Area under ``da - baseline`` over time (unit x hours; :func:`neuroimmune.outcomes.area`)."""
    return float(outcomes.area(da.to_numpy(), da["time"].to_numpy(), baseline))
