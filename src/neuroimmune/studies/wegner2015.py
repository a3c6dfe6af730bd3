"""Wegner et al. 2015, Pain 156:1954-1964: 0.4 ng/kg endotoxin in 20 men and 20 women; pressure pain thresholds fell
with endotoxin, with no sex difference in the sensitisation (abstract). Held out: the model puts the sex difference in
cytokine production (medRxiv 2025) and in cytokine-to-brain transduction, and this row checks that the two
together leave no sex difference in the threshold fall. (Women's nociceptor gain, ``female_nociceptor_gain`` in
``parameters.yaml``, cites this study: it was chosen with this finding in view, so the row is held out only from
the joint calibration.)"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ._base import Row, Study, region_series, simulate_arm, within
from ._scenarios import REFERENCE_REGION, bolus

STUDY = Study(
    id="wegner2015",
    citation="Wegner A, Elsenbruch S, Rebernik L, et al. Inflammation-induced pain sensitization in men and women: "
             "does sex matter in experimental endotoxemia? Pain 2015;156:1954-1964.",
    doi="10.1097/j.pain.0000000000000256",
    how_read="abstract: thresholds fell with LPS; no sex difference in endotoxin-induced sensitisation",
    cluster="host factors",
)


def rows(values: Mapping[str, float]) -> list[Row]:
    men, women = simulate_arm(bolus(0.4, "male"), values), simulate_arm(bolus(0.4, "female"), values)
    diff = float(np.min(region_series(women, REFERENCE_REGION)) - np.min(region_series(men, REFERENCE_REGION)))
    return [within(STUDY.id, "ppt_change", "women - men threshold fall at 0.4 ng/kg (points)", diff, 0.0, 5.0,
                   "no sex difference in hyperalgesia; about half the SD of threshold changes", False)]
