"""Figures: the time course (cytokines, temperature, thresholds by region), the body map and a comparison.

Drawing rules, the same in every figure:

* A linear axis spans at least a quantity's :data:`MIN_SPAN` and never uses an offset, so that solver round-off
  around a constant (``36.825 + 1e-11``) is drawn as the flat line it is, not stretched over the full height.
* Runs longer than :data:`DAY_AXIS_AFTER_H` hours are drawn against days.
* Curves that coincide (the limbs share one sensitisation) are drawn once, labelled with every name.
* The body map's colour scale is the explorer page's (:mod:`neuroimmune.plotting.colours`): light yellow = as
  usual, dark red = the threshold has fallen by BODYMAP_FULL_SCALE percent or more; parts that are not
  modelled are hatched grey.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import xarray as xr  # noqa: E402
from matplotlib.colors import LinearSegmentedColormap, Normalize  # noqa: E402
from matplotlib.patches import Circle, FancyBboxPatch  # noqa: E402

from ..io.atomic import write_with  # noqa: E402
from ..model import assembly  # noqa: E402
from .colours import (  # noqa: E402
    BODYMAP_COLOURS,
    BODYMAP_FULL_SCALE,
    NOT_MODELLED,
    OKABE_ITO,
    bodymap_colour,
    bodymap_intensity,
    bodymap_scale,
)

__all__ = ["BODYMAP_COLOURS", "BODYMAP_FULL_SCALE", "NOT_MODELLED", "OKABE_ITO", "bands", "bodymap_colour",
           "bodymap_intensity", "bodymap_scale", "bodymap", "comparison", "save", "timecourse"]

#: The body map's scale as a colour map (for the colour bar).
BODYMAP_CMAP = LinearSegmentedColormap.from_list("neuroimmune_bodymap", BODYMAP_COLOURS, N=1024)

#: Smallest span of a linear axis, in the quantity's unit.
MIN_SPAN = {"temperature": 1.0, "heart_rate": 10.0, "ppt_change": 5.0}
#: Smallest span of a logarithmic axis, as a ratio (one decade).
MIN_LOG_RATIO = 10.0
#: Runs longer than this are drawn against days.
DAY_AXIS_AFTER_H = 48.0


def minimum_span(ax: plt.Axes, values: Sequence[np.ndarray] | np.ndarray, span: float,
                 include: float | None = None) -> tuple[float, float]:
    """Set a linear y axis to the data's range (with a 5 % margin), widened about its middle to at least
    ``span`` and to take in ``include``; no offset notation. Returns the limits."""
    data = np.concatenate([np.ravel(np.asarray(v, dtype=float)) for v in values]) \
        if isinstance(values, Sequence) else np.ravel(np.asarray(values, dtype=float))
    data = data[np.isfinite(data)]
    lo, hi = (float(data.min()), float(data.max())) if data.size else (0.0, 0.0)
    if include is not None:
        lo, hi = min(lo, include), max(hi, include)
    pad = 0.05 * (hi - lo)
    lo, hi = lo - pad, hi + pad
    if hi - lo < span:
        mid = 0.5 * (lo + hi)
        lo, hi = mid - span / 2, mid + span / 2
        if include is not None and not lo <= include <= hi:  # keep the reference line inside
            lo, hi = (include - 0.05 * span, include + 0.95 * span) if include < lo else \
                (include - 0.95 * span, include + 0.05 * span)
    ax.set_ylim(lo, hi)
    ax.ticklabel_format(axis="y", useOffset=False, style="plain")
    return lo, hi


def minimum_log_span(ax: plt.Axes, values: Sequence[np.ndarray], ratio: float = MIN_LOG_RATIO) -> tuple[float, float]:
    """Set a logarithmic y axis to the positive data's range, widened about its geometric middle to at least
    ``ratio`` (max / min). Returns the limits."""
    data = np.concatenate([np.ravel(np.asarray(v, dtype=float)) for v in values])
    data = data[np.isfinite(data) & (data > 0)]
    lo, hi = (float(data.min()), float(data.max())) if data.size else (0.1, 1.0)
    lo, hi = lo / 1.15, hi * 1.15
    if hi / lo < ratio:
        mid = np.sqrt(lo * hi)
        lo, hi = mid / np.sqrt(ratio), mid * np.sqrt(ratio)
    ax.set_ylim(lo, hi)
    return lo, hi


def coinciding(curves: dict[str, np.ndarray], rtol: float = 1e-6, atol: float = 1e-9) -> list[list[str]]:
    """Group names whose curves are the same within ``rtol`` of the largest magnitude (plus ``atol``), in the
    order given; each group is drawn as one line labelled with all its names."""
    groups: list[list[str]] = []
    for name, y in curves.items():
        y = np.asarray(y, dtype=float)
        for group in groups:
            ref = np.asarray(curves[group[0]], dtype=float)
            scale = max(float(np.nanmax(np.abs(ref), initial=0.0)), float(np.nanmax(np.abs(y), initial=0.0)))
            if ref.shape == y.shape and np.allclose(y, ref, rtol=0.0, atol=atol + rtol * scale, equal_nan=True):
                group.append(name)
                break
        else:
            groups.append([name])
    return groups


def percent(value: float) -> str:
    """A change in whole percent with its sign; round-off around zero (-1e-13) reads ±0 %, never -0 %."""
    return "±0%" if abs(value) < 0.5 else f"{value:+.0f}%"


def time_axis(ds: xr.Dataset) -> tuple[np.ndarray, str]:
    """The x values and their label: hours, or days for runs longer than DAY_AXIS_AFTER_H."""
    t = ds["time"].to_numpy()
    if t.size and t[-1] > DAY_AXIS_AFTER_H:
        return t / 24.0, "time (days)"
    return t, "time (h)"


def timecourse(ds: xr.Dataset) -> plt.Figure:
    """Four panels: cytokines (log scale), temperature and heart rate, threshold change by region, and
    back ache with fatigue."""
    fig, axes = plt.subplots(2, 2, figsize=(11, 7), sharex=True, constrained_layout=True)
    t, xlabel = time_axis(ds)
    a = axes[0, 0]
    cytokines = [n for n in assembly.CYTOKINES if n in ds]
    for name, colour in zip(cytokines, OKABE_ITO, strict=False):
        a.plot(t, ds[name], color=colour, label=name.upper().replace("IL", "IL-"))
    a.set_yscale("log")
    minimum_log_span(a, [ds[n].to_numpy() for n in cytokines])
    a.set_ylabel("plasma concentration (pg/mL)")
    a.legend(frameon=False)
    a.set_title("Cytokines")
    a = axes[0, 1]
    a.plot(t, ds["temperature"], color=OKABE_ITO[1])
    minimum_span(a, ds["temperature"].to_numpy(), MIN_SPAN["temperature"])
    a.set_ylabel("core temperature (°C)", color=OKABE_ITO[1])
    b = a.twinx()
    b.plot(t, ds["heart_rate"], color=OKABE_ITO[0], ls="--")
    minimum_span(b, ds["heart_rate"].to_numpy(), MIN_SPAN["heart_rate"])
    b.set_ylabel("heart rate (bpm, dashed)", color=OKABE_ITO[0])
    a.set_title("Fever and heart rate")
    a = axes[1, 0]
    ppt = {str(r): ds["ppt_change"].sel(region=r).to_numpy() for r in ds["region"].to_numpy()}
    for group, colour in zip(coinciding(ppt), OKABE_ITO, strict=False):
        lw = 2.5 if "lower_back" in group else 1.2
        label = " = ".join(g.replace("_", " ") for g in group)
        a.plot(t, ppt[group[0]], color=colour, lw=lw, label=label + (" (one line)" if len(group) > 1 else ""))
    a.axhline(0, color="0.6", lw=0.8)
    minimum_span(a, list(ppt.values()), MIN_SPAN["ppt_change"], include=0.0)
    a.set_ylabel("pressure pain threshold change (%)")
    a.set_xlabel(xlabel)
    a.legend(frameon=False, ncol=2, fontsize=8)
    a.set_title("Pain sensitivity by body region (lower = more sensitive)")
    a = axes[1, 1]
    a.plot(t, ds["back_pain"], color=OKABE_ITO[1], lw=2, label="back ache (0-10)")
    a.set_ylabel("back ache (0-10)")
    a.set_ylim(0, 10)
    b = a.twinx()
    for name, colour in (("fatigue", OKABE_ITO[2]), ("appetite", OKABE_ITO[4]), ("mood", OKABE_ITO[3])):
        b.plot(t, ds[name], color=colour, ls="--", label=name)
    b.set_ylim(-0.02, 1.02)
    b.set_ylabel("0-1 scales (dashed)")
    a.set_xlabel(xlabel)
    lines = a.get_lines() + b.get_lines()
    a.legend(lines, [ln.get_label() for ln in lines], frameon=False, fontsize=8)
    a.set_title("How it feels")
    fig.suptitle(ds.attrs.get("title", "neuroimmune"))
    return fig


# Body-map geometry in figure units: each region is a list of rounded boxes (x, y, w, h); unnamed parts grey.
_LIMBS = {
    "forearm": [(-2.35, 3.2, 0.45, 1.6), (1.9, 3.2, 0.45, 1.6)],
    "thigh": [(-0.95, 1.6, 0.85, 2.0), (0.1, 1.6, 0.85, 2.0)],
    "calf": [(-0.9, -0.6, 0.75, 2.0), (0.15, -0.6, 0.75, 2.0)],
    "neck": [(-0.3, 7.6, 0.6, 0.5)],
}
_BACK = {"mid_back": [(-1.2, 5.2, 2.4, 1.1)], "lower_back": [(-1.2, 3.9, 2.4, 1.25)]}
_GREY = [(-1.2, 6.35, 2.4, 1.2), (-2.3, 4.9, 0.5, 2.6), (1.8, 4.9, 0.5, 2.6)]  # shoulders/upper back, upper arms
_FRONT_TORSO = [(-1.2, 5.75, 2.4, 1.8)]  # the chest; below it the abdomen (visceral)
_FRONT = {"abdomen": [(-1.2, 3.9, 2.4, 1.7)]}


def _unmodelled(x: float, y: float, w: float, h: float) -> FancyBboxPatch:
    """A part of the body that is not modelled: hatched grey, so colour is not the only cue."""
    return FancyBboxPatch((x, y), w, h, boxstyle="round,pad=0.05", fc=NOT_MODELLED, ec="0.55", hatch="///", lw=0.8)


def bodymap(ds: xr.Dataset, time: float) -> plt.Figure:
    """Front and back silhouettes, each region coloured by its threshold change at ``time`` (hours) on the
    body-map scale shared with the explorer page; parts that are not modelled are hatched grey."""
    change = ds["ppt_change"].interp(time=time)
    values = {str(r): float(change.sel(region=r)) for r in ds["region"].to_numpy()}
    norm = Normalize(vmin=-BODYMAP_FULL_SCALE, vmax=0.0)
    fig, axes = plt.subplots(1, 2, figsize=(8, 6.5), constrained_layout=True)
    for ax_, view in zip(axes, ("front", "back"), strict=True):
        regions = dict(_LIMBS)
        grey = list(_GREY)
        if view == "back":
            regions.update(_BACK)
        else:
            regions.update(_FRONT)
            grey[0:1] = _FRONT_TORSO
        for x, y, w, h in grey:
            ax_.add_patch(_unmodelled(x, y, w, h))
        ax_.add_patch(Circle((0, 8.75), 0.6, fc=NOT_MODELLED, ec="0.55", hatch="///", lw=0.8))
        for region, boxes in regions.items():
            if region not in values:
                for x, y, w, h in boxes:
                    ax_.add_patch(_unmodelled(x, y, w, h))
                continue
            for x, y, w, h in boxes:
                ax_.add_patch(FancyBboxPatch((x, y), w, h, boxstyle="round,pad=0.05",
                                             fc=bodymap_colour(values[region]), ec="0.2"))
            x, y, w, h = boxes[-1]
            if view == "back" and region in _BACK or region == "neck" and view == "back" or region in _FRONT:
                colour = "white" if bodymap_intensity(values[region]) > 0.55 else "black"
                ax_.text(x + w / 2, y + h / 2, f"{region.replace('_', ' ')}\n{percent(values[region])}",
                         ha="center", va="center", fontsize=10 if region == "lower_back" else 8,
                         fontweight="bold" if region == "lower_back" else "normal", color=colour)
        ax_.set_xlim(-3, 3)
        ax_.set_ylim(-1, 9.6)
        ax_.set_aspect("equal")
        ax_.axis("off")
        ax_.set_title(view)
    sm = plt.cm.ScalarMappable(norm=norm, cmap=BODYMAP_CMAP.reversed())
    extend = "min" if min(values.values(), default=0.0) < -BODYMAP_FULL_SCALE else "neither"
    fig.colorbar(sm, ax=axes, shrink=0.7, extend=extend, label="pressure pain threshold change (%)")
    when = f"{time:g} h" if time <= DAY_AXIS_AFTER_H else f"day {int(time // 24) + 1}, {time % 24:g} h"
    fig.suptitle(f"Pain sensitivity at {when} (darker red = more sensitive; hatched grey = not modelled)")
    return fig


def comparison(runs: dict[str, xr.Dataset]) -> plt.Figure:
    """Back ache and temperature of each arm of a comparison, one colour per arm (time in days beyond
    DAY_AXIS_AFTER_H hours); arms whose curves coincide (a measure the model gives no effect) are one line
    labelled with every name."""
    fig, axes = plt.subplots(1, 2, figsize=(11, 4), sharex=True, constrained_layout=True)
    xlabel = "time (h)"
    both = {label: np.concatenate([ds["back_pain"].to_numpy(), ds["temperature"].to_numpy()])
            for label, ds in runs.items()}
    for group, colour in zip(coinciding(both), OKABE_ITO, strict=False):
        ds = runs[group[0]]
        t, xlabel = time_axis(ds)
        style = "-" if "baseline" in group else "--"
        label = " = ".join(group) + (" (one line)" if len(group) > 1 else "")
        axes[0].plot(t, ds["back_pain"], color=colour, ls=style, label=label)
        axes[1].plot(t, ds["temperature"], color=colour, ls=style, label=label)
    axes[0].set_ylabel("lower back ache (0-10)")
    axes[0].set_ylim(0, 10)
    axes[1].set_ylabel("core temperature (°C)")
    minimum_span(axes[1], [ds["temperature"].to_numpy() for ds in runs.values()], MIN_SPAN["temperature"])
    for a in axes:
        a.set_xlabel(xlabel)
    axes[0].legend(frameon=False)
    return fig


#: Titles of the band panels.
_BAND_TITLES = {"tnf": "TNF (pg/mL)", "il6": "IL-6 (pg/mL)", "temperature": "core temperature (°C)",
                "back_pain": "back ache (0-10)", "fatigue": "tiredness (0-1)",
                "ppt lower_back": "lower-back pressure pain threshold change (%)"}


def bands(band: xr.Dataset, run: xr.Dataset | None = None) -> plt.Figure:
    """The bands of :func:`neuroimmune.predict` for the observables of the band table, one panel each: the
    outermost quantiles shaded light, the 25-75 % band (where present) darker, the median dashed and, given
    ``run``, the single run (:func:`neuroimmune.simulate`) as a solid line. The title says what the band means."""
    from ..analysis.summary import band_curves

    curves = band_curves(band)
    fig, axes = plt.subplots(2, 3, figsize=(13, 7), sharex=True, constrained_layout=True)
    t, xlabel = time_axis(band)
    qs = [float(q) for q in band["quantile"].to_numpy()]
    colour = OKABE_ITO[5]
    for ax, (label, curve) in zip(axes.flat, curves.items(), strict=False):
        v = curve.transpose("quantile", "time").to_numpy()
        ax.fill_between(t, v[0], v[-1], color=colour, alpha=0.2, lw=0,
                        label=f"{100 * qs[0]:g}-{100 * qs[-1]:g} %")
        if 0.25 in qs and 0.75 in qs:
            ax.fill_between(t, v[qs.index(0.25)], v[qs.index(0.75)], color=colour, alpha=0.35, lw=0, label="25-75 %")
        if 0.5 in qs:
            ax.plot(t, v[qs.index(0.5)], color=colour, ls="--", lw=1.5, label="median", zorder=3)
        if run is not None:
            ref = run[curve.name].sel(region="lower_back") if "region" in run[curve.name].dims else run[curve.name]
            ax.plot(t, ref.to_numpy(), color="black", lw=1.2, label="single run (fit)")
        if label in ("tnf", "il6"):
            ax.set_yscale("log")
            minimum_log_span(ax, [v])
        elif label == "temperature":
            minimum_span(ax, v, MIN_SPAN["temperature"])
        elif label == "ppt lower_back":
            ax.axhline(0, color="0.6", lw=0.8)
            minimum_span(ax, v, MIN_SPAN["ppt_change"], include=0.0)
        elif label == "back_pain":
            ax.set_ylim(0, 10)
        else:
            ax.set_ylim(-0.02, 1.02)
        ax.set_title(_BAND_TITLES.get(label, label), fontsize=10)
    for ax in axes.flat[len(curves):]:
        ax.axis("off")
    for ax in axes[-1]:
        ax.set_xlabel(xlabel)
    axes.flat[0].legend(frameon=False, fontsize=8)
    fig.suptitle("\n".join(textwrap.wrap(band.attrs.get("band", ""), 150)), fontsize=9)
    return fig


def forecast(answer: dict[str, Any]) -> plt.Figure:
    """A diary forecast (:func:`neuroimmune.advice.forecast.forecast`): per day of illness, the median (line) and the
    50 % and 80 % bands of back ache and temperature, and the entered days as points; the verdict as the title."""
    fig, axes = plt.subplots(1, 2, figsize=(11, 4), sharex=True, constrained_layout=True)
    days = (answer.get("forecast") or {}).get("days", [])
    for ax, field, label, colour in ((axes[0], "back_pain", "worst back ache (0-10)", OKABE_ITO[1]),
                                     (axes[1], "temperature", "highest temperature (°C)", OKABE_ITO[0])):
        rows = [(d["day"], d[field]) for d in days if d[field] is not None]
        if rows:
            x = np.array([r[0] for r in rows], dtype=float)
            b = {k: np.array([r[1][k] for r in rows]) for k in ("low80", "high80", "low50", "high50", "median")}
            ax.fill_between(x, b["low80"], b["high80"], color=colour, alpha=0.18, lw=0, label="80 % band")
            ax.fill_between(x, b["low50"], b["high50"], color=colour, alpha=0.35, lw=0, label="50 % band")
            ax.plot(x, b["median"], color=colour, lw=2, label="median")
        entered = [(e["day"], e[field]) for e in answer.get("entered", []) if e.get(field) is not None]
        if entered:
            ax.plot(*zip(*entered, strict=True), "o", color=OKABE_ITO[6], ms=6, label="your diary", zorder=3)
        ax.set_ylabel(label)
        ax.set_xlabel("day of illness")
    axes[0].set_ylim(0, 10)
    temps = [d["temperature"][k] for d in days if d["temperature"] for k in ("low80", "high80")]
    temps += [e["temperature"] for e in answer.get("entered", []) if e.get("temperature") is not None]
    minimum_span(axes[1], [np.array(temps or [37.0])], MIN_SPAN["temperature"])
    axes[0].xaxis.get_major_locator().set_params(integer=True)
    axes[0].legend(frameon=False, loc="upper right")
    fig.suptitle(f"{answer['verdict']}: {answer['illness']}, {answer['host_group']['label']}", fontsize=10)
    return fig


def save(fig: plt.Figure, path: str | Path) -> Path:
    """Save atomically and close the figure."""
    try:
        return write_with(lambda tmp: fig.savefig(tmp, dpi=110), path)
    finally:
        plt.close(fig)
