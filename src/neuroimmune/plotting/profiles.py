"""The figure of the profile likelihoods (:mod:`neuroimmune.calibration.profiles`): one panel per parameter,
the rise of chi^2 against its value (log axis), the 95 % threshold, the packaged fit, and the class in the
title."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.ticker import LogLocator, NullFormatter  # noqa: E402

from ..calibration.profiles import THRESHOLD, Identifiability, Profile  # noqa: E402
from ..io.atomic import write_with  # noqa: E402
from .colours import OKABE_ITO  # noqa: E402


def figure(profiles: Sequence[Profile], table: Sequence[Identifiability], fit: Mapping[str, float],
           path: Path) -> Path:
    """Draw the profiles into ``path`` (png, pdf or svg), atomically."""
    n = len(profiles)
    cols = min(4, n)
    rows = int(np.ceil(n / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(3.4 * cols, 2.8 * rows), squeeze=False)
    classes = {t.name: t for t in table}
    for ax, p in zip(axes.flat, profiles, strict=False):
        t = classes[p.name]
        x = np.exp(p.x)
        top = max(2 * THRESHOLD, float(np.max(p.delta)) if p.delta.size else 0.0)
        ax.plot(x, np.clip(p.delta, 0, None), "-o", ms=2.5, lw=1.2, color=OKABE_ITO[0])
        ax.axhline(THRESHOLD, color="0.3", lw=0.8, ls="--")
        ax.axvline(fit[p.name], color=OKABE_ITO[1], lw=0.9, ls=":")
        if not (t.low_open or t.high_open):
            ax.axvspan(np.exp(t.low), np.exp(t.high), color=OKABE_ITO[2], alpha=0.15, lw=0)
        ax.set_xscale("log")
        ax.xaxis.set_major_locator(LogLocator(numticks=4))
        ax.xaxis.set_minor_formatter(NullFormatter())  # labelled minor ticks overlap on a narrow log range
        ax.set_xlim(np.exp(p.lower), np.exp(p.upper))
        ax.set_ylim(0, min(top, 6 * THRESHOLD) * 1.05)
        ax.set_title(f"{p.name}\n{t.kind}", fontsize=9)
        ax.tick_params(labelsize=7)
        ax.set_xlabel("value (axis = bounds)", fontsize=7)
        ax.set_ylabel("Δχ² (data)", fontsize=7)
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    fig.suptitle("Profile likelihoods of the free parameters: dashed = 95 % threshold (Δχ² = 3.84), dotted = "
                 "packaged fit, shaded = 95 % interval", fontsize=9)
    fig.tight_layout()
    try:
        return write_with(lambda tmp: fig.savefig(tmp, dpi=130, format=path.suffix.lstrip(".")), path)
    finally:
        plt.close(fig)
