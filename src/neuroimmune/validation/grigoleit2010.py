"""Grigoleit et al. 2010: 0.4 ng/kg LPS in young men; the rise of TNF and IL-6 above baseline (means
digitized by Somvanshi et al. 2020). Fitted together with Janum 2016, so the dose-response is pinned at two
doses. Compared on the rise above baseline because the assays' baselines differ from Janum's."""

from __future__ import annotations

import numpy as np

from .. import data
from ..calibration.problem import LOW_DOSE, bolus
from ..model.parameters import default_parameters
from .table import Row, simulate_obs

STUDY = "grigoleit2010"
FACTOR = 1.6  # digitized means of a second cohort with another assay: within a factor of 1.6 either way


def rows() -> list[Row]:
    obs = simulate_obs(bolus(dose=0.4, duration=8.0))
    low = data.load("endotoxemia/grigoleit2010_0.4ngkg_peaks").table.set_index("cytokine")
    p = default_parameters()
    out = []
    for name, (tag, base) in LOW_DOSE.items():
        rise = float(low.peak[tag] - low.baseline[tag])
        model = float(np.max(obs[name]) - p[base].value)
        out.append(Row(STUDY, name, "peak rise above baseline at 0.4 ng/kg (pg/mL)", model, rise, rise / FACTOR,
                       rise * FACTOR, f"x/÷ {FACTOR}", "a second cohort, another assay, digitized means", True))
    return out
