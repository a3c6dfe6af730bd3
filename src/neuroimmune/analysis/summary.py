"""The summary table of one simulation (``neuroimmune run``): peaks and their times, thresholds by region at
chosen times, peak back ache, and the course of an illness in days. Every number comes from
:mod:`neuroimmune.outcomes`, where each is defined."""

from __future__ import annotations

import dataclasses

import xarray as xr

from ..model import assembly
from ..outcomes import BACK_PAIN_NRS, FEVER_C, course, peak

#: Observables whose peak and time the table shows: every cytokine, temperature and heart rate.
PEAK_OBSERVABLES = (*assembly.CYTOKINES, "temperature", "heart_rate")


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
