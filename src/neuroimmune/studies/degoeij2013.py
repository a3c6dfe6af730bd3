"""de Goeij et al. 2013, PLoS One 8:e84159: pressure pain threshold by dermatome before and 2 h after 2 ng/kg
LPS (27 men): the lower back (L3) falls most, then the neck (C5), then the mid back (T10).

Validate: each region's change within about half the SEM of the paired change (5-6 points), and the ordering of
the published means. Calibration: the three changes, scale 1.5 points (as Janum 2016's threshold changes).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .. import data
from ._base import Measurement, Row, Study, at, measured_residuals, simulate_arm, within
from ._scenarios import bolus, bolus_id

STUDY = Study(
    id="degoeij2013",
    citation="de Goeij M, van Eijk LT, Vanelderen P, et al. Systemic inflammation decreases pain threshold in "
             "humans in vivo. PLoS One 2013;8:e84159.",
    doi="10.1371/journal.pone.0084159",
    how_read="table of pressure pain thresholds by dermatome (see the data file's header)",
    data=("pain/degoeij2013_ppt_by_dermatome",),
    fitted=True,
    cluster="regional pain",
)

#: Model region: dermatome.
DERMATOMES = {"lower_back": "L3", "mid_back": "T10", "neck": "C5"}
SIGMA_PPT = 1.5


def _changes() -> dict[str, float]:
    g = data.load("pain/degoeij2013_ppt_by_dermatome").table
    g = g[g.group == "lps"].set_index("dermatome")
    return {r: float(100 * (g.post2h_mean[d] / g.pre_mean[d] - 1)) for r, d in DERMATOMES.items()}


def rows(values: Mapping[str, float]) -> list[Row]:
    obs = simulate_arm(bolus(duration=8.0), values)
    out = []
    model = {}
    for region, change in _changes().items():
        model[region] = at(obs, "ppt_change", np.array([2.0]), region)[0]
        out.append(within(STUDY.id, f"ppt_change[{region}]", f"{DERMATOMES[region]} change at 2 h (%)",
                          model[region], change, 3.0, "about half the SEM of the paired change (5-6 points)", True,
                          " points"))
    ordered = model["lower_back"] < model["neck"] < model["mid_back"]
    out.append(Row(STUDY.id, "ppt_change", "order lower_back < neck < mid_back (1 = kept)", float(ordered), 1.0,
                   1.0, 1.0, "exact", "the ordering of the published means", True))
    return out


def measurements() -> list[Measurement]:
    """The values the calibration residuals compare with: each dermatome's threshold change at 2 h."""
    return [Measurement(STUDY.id, f"ppt_change_{region}", bolus_id(), bolus(), 2.0, change, SIGMA_PPT)
            for region, change in _changes().items()]


def residuals(values: Mapping[str, float]) -> np.ndarray:
    return measured_residuals(measurements(), values)
