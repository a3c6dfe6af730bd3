"""Figures: the time course (cytokines, temperature, thresholds by region) and the body map."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import xarray as xr  # noqa: E402
from matplotlib.colors import Normalize  # noqa: E402
from matplotlib.patches import Circle, FancyBboxPatch  # noqa: E402

from ..io.atomic import write_with  # noqa: E402
from ..model import assembly  # noqa: E402

# Okabe-Ito colour-blind-safe palette for lines; cividis (perceptually uniform, colour-blind safe) for the map.
OKABE_ITO = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
MAP_CMAP = "cividis"


def timecourse(ds: xr.Dataset) -> plt.Figure:
    """Four panels: cytokines (log scale), temperature and heart rate, threshold change by region, and
    back ache with fatigue."""
    fig, axes = plt.subplots(2, 2, figsize=(11, 7), sharex=True, constrained_layout=True)
    t = ds["time"]
    a = axes[0, 0]
    for name, colour in zip(assembly.CYTOKINES, OKABE_ITO, strict=False):
        a.plot(t, ds[name], color=colour, label=name.upper().replace("IL", "IL-"))
    a.set_yscale("log")
    a.set_ylabel("plasma concentration (pg/mL)")
    a.legend(frameon=False)
    a.set_title("Cytokines")
    a = axes[0, 1]
    a.plot(t, ds["temperature"], color=OKABE_ITO[1])
    a.set_ylabel("core temperature (°C)", color=OKABE_ITO[1])
    b = a.twinx()
    b.plot(t, ds["heart_rate"], color=OKABE_ITO[0], ls="--")
    b.set_ylabel("heart rate (bpm)", color=OKABE_ITO[0])
    a.set_title("Fever and heart rate")
    a = axes[1, 0]
    for region, colour in zip(ds["region"].to_numpy(), OKABE_ITO, strict=False):
        lw = 2.5 if region == "lower_back" else 1.2
        a.plot(t, ds["ppt_change"].sel(region=region), color=colour, lw=lw, label=str(region).replace("_", " "))
    a.axhline(0, color="0.6", lw=0.8)
    a.set_ylabel("pressure pain threshold change (%)")
    a.set_xlabel("time (h)")
    a.legend(frameon=False, ncol=2, fontsize=8)
    a.set_title("Pain sensitivity by body region (lower = more sensitive)")
    a = axes[1, 1]
    a.plot(t, ds["back_pain"], color=OKABE_ITO[1], lw=2, label="back ache (0-10)")
    a.set_ylabel("back ache (0-10)")
    a.set_ylim(0, 10)
    b = a.twinx()
    for name, colour in (("fatigue", OKABE_ITO[2]), ("appetite", OKABE_ITO[4]), ("mood", OKABE_ITO[3])):
        b.plot(t, ds[name], color=colour, ls="--", label=name)
    b.set_ylim(0, 1)
    b.set_ylabel("0-1 scales (dashed)")
    a.set_xlabel("time (h)")
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
_FRONT_TORSO = [(-1.2, 3.9, 2.4, 3.65)]


def bodymap(ds: xr.Dataset, time: float) -> plt.Figure:
    """Front and back silhouettes, each region coloured by its threshold change at ``time`` (hours)."""
    change = ds["ppt_change"].interp(time=time)
    values = {str(r): float(change.sel(region=r)) for r in ds["region"].to_numpy()}
    lowest = min(-30.0, min(values.values()))
    norm = Normalize(vmin=lowest, vmax=0.0)
    cmap = plt.get_cmap(MAP_CMAP)
    fig, axes = plt.subplots(1, 2, figsize=(8, 6.5), constrained_layout=True)
    for ax_, view in zip(axes, ("front", "back"), strict=True):
        regions = dict(_LIMBS)
        grey = list(_GREY)
        if view == "back":
            regions.update(_BACK)
        else:
            grey[0:1] = _FRONT_TORSO
        for x, y, w, h in grey:
            ax_.add_patch(FancyBboxPatch((x, y), w, h, boxstyle="round,pad=0.05", fc="0.85", ec="0.4"))
        ax_.add_patch(Circle((0, 8.75), 0.6, fc="0.85", ec="0.4"))
        for region, boxes in regions.items():
            for x, y, w, h in boxes:
                ax_.add_patch(FancyBboxPatch((x, y), w, h, boxstyle="round,pad=0.05",
                                             fc=cmap(norm(values[region])), ec="0.2"))
            x, y, w, h = boxes[-1]
            if view == "back" and region in _BACK or region == "neck" and view == "back":
                colour = "white" if norm(values[region]) < 0.5 else "black"
                ax_.text(x + w / 2, y + h / 2, f"{region.replace('_', ' ')}\n{values[region]:+.0f}%",
                         ha="center", va="center", fontsize=10 if region == "lower_back" else 8,
                         fontweight="bold" if region == "lower_back" else "normal", color=colour)
        ax_.set_xlim(-3, 3)
        ax_.set_ylim(-1, 9.6)
        ax_.set_aspect("equal")
        ax_.axis("off")
        ax_.set_title(view)
    sm = plt.cm.ScalarMappable(norm=norm, cmap=cmap)
    fig.colorbar(sm, ax=axes, shrink=0.7, label="pressure pain threshold change (%)")
    fig.suptitle(f"Pain sensitivity at {time:g} h (darker = more sensitive)")
    return fig


def comparison(runs: dict[str, xr.Dataset]) -> plt.Figure:
    """Back ache and temperature of each arm of a comparison (time in days), one colour per arm."""
    fig, axes = plt.subplots(1, 2, figsize=(11, 4), sharex=True, constrained_layout=True)
    for (label, ds), colour in zip(runs.items(), OKABE_ITO, strict=False):
        days = ds["time"] / 24.0
        style = "-" if label == "baseline" else "--"
        axes[0].plot(days, ds["back_pain"], color=colour, ls=style, label=label)
        axes[1].plot(days, ds["temperature"], color=colour, ls=style, label=label)
    axes[0].set_ylabel("lower back ache (0-10)")
    axes[1].set_ylabel("core temperature (°C)")
    for a in axes:
        a.set_xlabel("time (days)")
    axes[0].legend(frameon=False)
    return fig


def save(fig: plt.Figure, path: str | Path) -> Path:
    """Save atomically and close the figure."""
    try:
        return write_with(lambda tmp: fig.savefig(tmp, dpi=110), path)
    finally:
        plt.close(fig)
