"""Reichenberg et al. 2001, Arch Gen Psychiatry 58:445-452: Salmonella abortus equi endotoxin 0.8 ng/kg against
saline in 20 men (crossover). Rectal temperature rose only 0.5 degC, with no physical sickness symptoms and no
heart-rate change, yet anxiety (effect size 0.55) and depressed mood (0.66) rose.

Mood without physical sickness at a low dose. The endotoxin is not the model's E. coli reference and its potency
per ng is not established, so the model's dose is matched on the study's own fever: the dose whose peak rise is
0.5 degC (:func:`fever_matched_dose`). At that dose: heart rate within 2 SEM of no change (Janum 2016 SD, n = 20);
the average member below the ill thresholds of back ache and fatigue (:data:`neuroimmune.outcomes.ILL_AT`); mood
lower than usual (direction; the model has no anxiety observable).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .. import outcomes
from ._base import Row, Study, simulate_arm, within
from ._compare import above_row, rise, sem2
from ._scenarios import bolus

STUDY = Study(
    id="reichenberg2001",
    citation="Reichenberg A, Yirmiya R, Schuld A, Kraus T, Haack M, Morag A, Pollmacher T. Cytokine-associated "
             "emotional and cognitive disturbances in humans. Arch Gen Psychiatry 2001;58:445-452.",
    doi="10.1001/archpsyc.58.5.445",
    how_read="abstract (Hebrew University research portal): temperature rise, null physical effects, effect sizes",
    cluster="mood vs sickness",
)
N = 20
MEASURES = "dose matched to a 0.5 degC rise: no heart-rate change, no physical sickness, lower mood"
TOLERANCE = "2 SEM (Janum SD) for heart rate; ill thresholds (exact); mood by sign"

# "Endotoxin caused a mild increase in rectal temperature (0.5 degC)"
FEVER_RISE = 0.5
# "Endotoxin had no effects on physical sickness symptoms, blood pressure, or heart rate."; "a transient
# significant increase in the levels of anxiety (effect size [ES] = 0.55) and depressed mood (ES=0.66)"
HEART_RATE_SD = 11.0  # bpm, Janum 2016 cohort


def fever_matched_dose(values: Mapping[str, float], target: float = FEVER_RISE) -> float:
    """The bolus dose (ng/kg) whose peak temperature rise is ``target`` degC (bisection on log dose)."""
    lo, hi = np.log(0.01), np.log(2.0)
    for _ in range(14):
        mid = 0.5 * (lo + hi)
        if rise(simulate_arm(bolus(dose=float(np.exp(mid)), duration=12.0), values), "temperature") < target:
            lo = mid
        else:
            hi = mid
    return float(np.exp(0.5 * (lo + hi)))


def rows(values: Mapping[str, float]) -> list[Row]:
    obs = simulate_arm(bolus(dose=fever_matched_dose(values), duration=12.0), values)
    band = sem2(HEART_RATE_SD, N)
    sick = any(np.max(obs[name]) >= outcomes.ILL_AT[name] for name in ("back_pain", "fatigue"))
    return [
        within(STUDY.id, "heart_rate", "rise at the dose giving a 0.5 degC fever (bpm)", rise(obs, "heart_rate"), 0.0,
               band, "no heart-rate change in 20 men: 2 SEM of a mean change (Janum 2016 SD 11 bpm)", False, " bpm"),
        Row(STUDY.id, "illness", "back ache or fatigue at its ill threshold, dose giving 0.5 degC (1/0)", float(sick),
            0.0, 0.0, 0.0, "exact", "no physical sickness symptoms: the average member stays below the ill thresholds",
            False),
        above_row(STUDY.id, "mood", "mood fall at the dose giving 0.5 degC (1 - lowest mood)",
                  1.0 - float(np.min(obs["mood"])), 0.0, "depressed mood rose (effect size 0.66; direction only)"),
    ]
