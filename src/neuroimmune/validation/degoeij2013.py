"""de Goeij et al. 2013, PLoS One 8:e84159: pressure pain threshold by dermatome 2 h after 2 ng/kg LPS
(27 men): lower back (L3) falls most, then neck (C5), then mid back (T10)."""

from __future__ import annotations

import numpy as np

from .. import data
from ..calibration.problem import DEGOEIJ, bolus
from .table import Row, at, simulate_obs, within

STUDY = "degoeij2013"


def rows() -> list[Row]:
    obs = simulate_obs(bolus(duration=4.0))
    g = data.load("pain/degoeij2013_ppt_by_dermatome").table
    g = g[g.group == "lps"].set_index("dermatome")
    out = []
    model = {}
    for region, derm in DEGOEIJ.items():
        change = 100 * (g.post2h_mean[derm] / g.pre_mean[derm] - 1)
        model[region] = at(obs, "ppt_change", np.array([2.0]), region)[0]
        out.append(within(STUDY, f"ppt_change[{region}]", f"{derm} change at 2 h (%)", model[region], change, 3.0,
                          "about half the SEM of the paired change (5-6 points)", True, " points"))
    ordered = model["lower_back"] < model["neck"] < model["mid_back"]
    out.append(Row(STUDY, "ppt_change", "order lower_back < neck < mid_back (1 = kept)", float(ordered), 1.0,
                   1.0, 1.0, "exact", "the ordering of the published means", True))
    return out
