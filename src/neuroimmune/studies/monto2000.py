"""Monto et al. 2000, Arch Intern Med 160:3243-3247: baseline signs in influenza-like illness (zanamivir trials,
mostly unvaccinated outpatients within 48 h of onset): fever in 68 % of 2,470 people with confirmed influenza
(against 40 % without influenza); cough in 93 %.

Community influenza as it presents to a doctor: the median person with confirmed influenza is febrile (the share's
Wilson interval lies above 50 %), fever read as in the pooled analysis (> 37.7 degC). Model: its community influenza
(setting ``community``), the average member's highest temperature within 48 h of onset
(:data:`neuroimmune.outcomes.ILL_AT`).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ._base import Row, Study, simulate_arm
from ._compare import illness, majority_row
from ._scenarios import infection

STUDY = Study(
    id="monto2000",
    citation="Monto AS, Gravenstein S, Elliott M, Colopy M, Schweinle J. Clinical signs and symptoms predicting "
             "influenza infection. Arch Intern Med 2000;160:3243-3247.",
    doi="10.1001/archinte.160.21.3243",
    how_read="abstract (JAMA Network); the > 37.7 degC definition second-hand (a review table citing the paper)",
    cluster="community illness",
)
N = 2470
MEASURES = "influenza-like illness: fever at presentation in confirmed influenza"
TOLERANCE = "majority rule (Wilson interval of 68 % of 2,470 above 50 %)"

# "Individuals with influenza were more likely to have cough (93% vs 80%), fever (68% vs 40%)"
FEVER_SHARE = 0.68
FEVER_ABOVE = 37.7  # degC


def rows(values: Mapping[str, float]) -> list[Row]:
    obs = simulate_arm(infection("influenza", days=14.0, setting="community"), values)
    onset, _ = illness(obs)
    t = np.asarray(obs["time"])
    early = (t >= onset) & (t <= onset + 48.0)
    febrile = bool(np.max(np.asarray(obs["temperature"])[early]) > FEVER_ABOVE) if early.any() else False
    return [majority_row(STUDY.id, "temperature", "fever (> 37.7 degC) within 48 h of onset", febrile, FEVER_SHARE, N,
                         "confirmed influenza presenting within 48 h")]
