"""Sexual dimorphism during LPS-induced systemic inflammation, medRxiv preprint 2025: 1 ng/kg endotoxin given twice
a week apart to 110 adults (56 men, 54 women); in the first challenge women made 45 % more TNF and 43 % more IL-6
than men (abstract). In-sample: the sex factors of cytokine production (source medrxiv2025sex) were set from it."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ._base import Row, Study, simulate_arm, within
from ._scenarios import bolus

STUDY = Study(
    id="medrxiv2025sex",
    citation="Sexual dimorphism during LPS-induced systemic inflammation. medRxiv preprint 2025 (authors not read).",
    doi="10.1101/2025.02.04.25321661",
    how_read="abstract: TNF +45 % (p = 0.002) and IL-6 +43 % (p = 0.0009) in women in the first challenge",
    cluster="host factors",
)

#: Observable: women's excess over men (%).
EXCESS = {"tnf": 45.0, "il6": 43.0}


def rows(values: Mapping[str, float]) -> list[Row]:
    men, women = simulate_arm(bolus(1.0, "male"), values), simulate_arm(bolus(1.0, "female"), values)
    out = []
    for name, value in EXCESS.items():
        base = float(men[name][0])
        model = 100.0 * ((float(np.max(women[name])) - base) / (float(np.max(men[name])) - base) - 1.0)
        out.append(within(STUDY.id, name, "women vs men peak rise at 1 ng/kg (%)", model, value, 20.0,
                          "abstract-level figure of a 110-person cohort", True, " %"))
    return out
