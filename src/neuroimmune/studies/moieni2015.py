"""Moieni et al. 2015, Neuropsychopharmacology 40:1709-1716: E. coli endotoxin 0.8 ng/kg or placebo in 69 women
and 46 men (between subjects): women given endotoxin had larger increases in depressed mood and social
disconnection.

Direction-only finding: the model's mood fall in a woman over that in a man at 0.8 ng/kg must exceed 1 (the
model has no social-disconnection observable).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ._base import Row, Study, simulate_arm
from ._compare import above_row
from ._scenarios import bolus

STUDY = Study(
    id="moieni2015",
    citation="Moieni M, Irwin MR, Jevtic I, Olmstead R, Breen EC, Eisenberger NI. Sex differences in depressive "
             "and socioemotional responses to an inflammatory challenge: implications for sex differences in "
             "depression. Neuropsychopharmacology 2015;40:1709-1716.",
    doi="10.1038/npp.2015.17",
    how_read="abstract (PubMed): direction only",
    cluster="host factors",
)
N = 115
MEASURES = "0.8 ng/kg, women vs men: fall in mood"
TOLERANCE = "ratio above 1 (direction only)"

# "Females exposed to endotoxin showed greater increases in depressed mood and feelings of social disconnection."
DOSE = 0.8


def rows(values: Mapping[str, float]) -> list[Row]:
    fall = {sex: 1.0 - float(np.min(simulate_arm(bolus(dose=DOSE, sex=sex, duration=12.0), values)["mood"]))
            for sex in ("female", "male")}
    return [above_row(STUDY.id, "mood", "women / men mood fall at 0.8 ng/kg", fall["female"] / fall["male"], 1.0,
                      "greater increase in depressed mood in women (direction only)")]
