"""The summary table of one simulation (``neuroimmune run``): peaks and their times, thresholds by region at
chosen times, peak back ache, and the course of an illness in days; and the table of its bands (``neuroimmune run
--bands``): the peak of each quantile curve. Every number comes from :mod:`neuroimmune.outcomes`, where each is
defined."""

from __future__ import annotations

import dataclasses

import xarray as xr

from ..model import assembly
from ..outcomes import BACK_PAIN_NRS, FEVER_C, course, peak, peak_index, peak_kind

#: Observables whose peak and time the table shows: every cytokine, CRP, temperature and heart rate.
PEAK_OBSERVABLES = (*assembly.CYTOKINES, "crp", "temperature", "heart_rate")
#: Observables whose bands the band table and figure show (the lower back for the thresholds).
BAND_OBSERVABLES = ("tnf", "il6", "temperature", "back_pain", "fatigue", "ppt_change")


@dataclasses.dataclass(frozen=True)
class SummaryRow:
    """One line of the summary table."""

    quantity: str
    value: float
    unit: str
    time: float | None = None  # hours, where the value is a peak


def summarize(ds: xr.Dataset, threshold_times: tuple[float, ...] = (2.0, 6.0)) -> list[SummaryRow]:
    """Peaks (with times) of the cytokines, CRP, temperature and heart rate; threshold change by region at
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


@dataclasses.dataclass(frozen=True)
class BandRow:
    """One line of the band table: the peak of each quantile curve (``values``, in the order of ``quantiles``)
    and the time of the median curve's peak (or the middle quantile's)."""

    quantity: str
    unit: str
    time: float
    quantiles: tuple[float, ...]
    values: tuple[float, ...]


def band_curves(bands: xr.Dataset) -> dict[str, xr.DataArray]:
    """The curves over ``quantile`` and ``time`` of :data:`BAND_OBSERVABLES` in ``bands`` (thresholds: the lower
    back's), by name."""
    out = {}
    for name in BAND_OBSERVABLES:
        if name not in bands:
            continue
        var = bands[name]
        out["ppt lower_back" if "region" in var.dims else name] = \
            var.sel(region="lower_back") if "region" in var.dims else var
    return out


def summarize_bands(bands: xr.Dataset) -> list[BandRow]:
    """The peak (:data:`neuroimmune.outcomes.PEAK_KIND`) of each quantile curve of :data:`BAND_OBSERVABLES` in a
    band dataset (:func:`neuroimmune.predict`); the quantile curves are not the courses of single members, so
    the peak of the 95 % curve is where the upper edge of the band is highest."""
    t = bands["time"].to_numpy()
    qs = tuple(float(q) for q in bands["quantile"].to_numpy())
    middle = min(range(len(qs)), key=lambda i: abs(qs[i] - 0.5))
    rows = []
    for label, curve in band_curves(bands).items():
        values = curve.transpose("quantile", "time").to_numpy()
        kind = peak_kind(str(curve.name or label))
        idx = peak_index(values, kind, baseline=values[:, 0] if kind == "extreme" else None)
        rows.append(BandRow(f"{label} peak", curve.attrs.get("units", ""), float(t[idx[middle]]), qs,
                            tuple(float(values[i, k]) for i, k in enumerate(idx))))
    return rows
