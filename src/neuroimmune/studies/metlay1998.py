"""Metlay et al. 1998, Respir Med 92:1137-1142: 134 adults with low-risk community-acquired pneumonia, treated with
antibiotics, kept a daily symptom diary (days 0-7, 14, 21, 28): the median time to resolution was 3 days for fever
and 14 days for fatigue; 35 % still had at least one symptom on day 28.

Model: the shared treated bacterial infection (:func:`~neuroimmune.studies._scenarios.treated_bacterial`), days from
the antibiotic's start until temperature and fatigue stay below their ill thresholds
(:data:`neuroimmune.outcomes.ILL_AT`). Bands from the diary's days: 1 day for fever (daily to day 7), the
neighbouring diary days 7 and 21 for fatigue; the day-28 share against the average member (its Wilson interval
lies below 50 %).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .. import outcomes
from ._base import Row, Study, between, simulate_arm, within
from ._compare import hours_after_antibiotic, majority_row
from ._scenarios import ANTIBIOTIC_AT, treated_bacterial

STUDY = Study(
    id="metlay1998",
    citation="Metlay JP, Atlas SJ, Borowsky LH, Singer DE. Time course of symptom resolution in patients with "
             "community-acquired pneumonia. Respir Med 1998;92:1137-1142.",
    doi="10.1016/S0954-6111(98)90408-5",
    how_read="abstract (ERJ reference link); author list from memory in the research notes (title, journal and "
             "pages read)",
    cluster="bacterial infection",
)
N = 134
MEASURES = "pneumonia on antibiotics: days to resolution of fever and of fatigue; symptoms at day 28"
TOLERANCE = "diary days around the median; Wilson interval for the day-28 share"

# "The median times to resolution of individual symptoms ranged from 3 days for fever to 14 days for cough and
# fatigue"; "Thirty-five percent of patients had at least one symptom still present at the end of the 28-day study
# period"
FEVER_DAYS, FATIGUE_DAYS, STILL_ILL_28 = 3.0, 14.0, 0.35


def _resolved(obs: Mapping[str, np.ndarray], name: str) -> float:
    return hours_after_antibiotic(obs, name, outcomes.ILL_AT[name]) / 24.0


def rows(values: Mapping[str, float]) -> list[Row]:
    obs = simulate_arm(treated_bacterial(days=30.0), values)
    day28 = np.asarray(obs["time"]) >= ANTIBIOTIC_AT + 28 * 24.0
    still = bool(outcomes.ill({name: np.asarray(obs[name])[day28] for name in outcomes.ILL_AT}).any())
    return [
        within(STUDY.id, "temperature", "days from antibiotic start to resolution of fever", _resolved(obs,
               "temperature"), FEVER_DAYS, 1.0, "daily diary to day 7, median in whole days", False, " d"),
        between(STUDY.id, "fatigue", "days from antibiotic start to resolution of fatigue", _resolved(obs, "fatigue"),
                FATIGUE_DAYS, 7.0, 21.0, "median on the day-14 diary; the neighbouring diary days are 7 and 21",
                False),
        majority_row(STUDY.id, "illness", "ill 28 days after the antibiotic starts", still, STILL_ILL_28, N,
                     "at least one symptom on day 28 in 35 % of 134"),
    ]
