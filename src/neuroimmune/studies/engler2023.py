"""Essen endotoxin group 2023, Neuroimmunomodulation 30:268-276: E. coli endotoxin 0.8 ng/kg against placebo in 18 men
(crossover), followed to 72 h. CRP peaked at 24 h and fell until 72 h, while bodily and psychological sickness
symptoms occurred only in the acute phase.

Model: at 24 h, when CRP peaks, the average member is no longer ill (:data:`neuroimmune.outcomes.ILL_AT`: none of
temperature, back ache or fatigue at its threshold); and CRP (:mod:`neuroimmune.model.mechanisms.hepatic`) peaks
between the neighbouring samples of the published 24-h peak (6 h, the end of the acute day, and 48 h), a held-out
check of the liver's delay and CRP's half-life, neither fitted.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .. import outcomes
from ._base import Row, Study, at, between, simulate_arm
from ._scenarios import bolus

STUDY = Study(
    id="engler2023",
    citation="(Essen group; authors not shown on the page read.) Endotoxin-induced physiological and psychological "
             "sickness responses in healthy humans: insights into the post-acute phase. Neuroimmunomodulation "
             "2023;30:268-276.",
    doi="10.1159/000534444",
    how_read="abstract (PubMed, truncated; authors not shown): CRP peak time; symptoms only in the acute phase",
    cluster="mood vs sickness",
)
N = 18
MEASURES = "0.8 ng/kg: no sickness at 24 h when CRP peaks; CRP peak time"
TOLERANCE = "ill thresholds (exact); CRP: neighbouring samples"

# "The increase in serum CRP was delayed compared to cytokines, peaking at 24 h and gradually decreasing until
# 72 h after injection." "The inflammatory response was accompanied by bodily and psychological sickness symptoms
# which occurred only in the acute phase"
CRP_PEAK_H = 24.0
DOSE = 0.8


def rows(values: Mapping[str, float]) -> list[Row]:
    obs = simulate_arm(bolus(dose=DOSE, duration=72.0), values)
    ill = bool(outcomes.ill({name: at(obs, name, [24.0]) for name in outcomes.ILL_AT})[0])
    return [
        Row(STUDY.id, "illness", "ill (any of temperature, back ache, fatigue at threshold) at 24 h (1/0)",
            float(ill), 0.0, 0.0, 0.0, "exact", "symptoms only in the acute phase, none when CRP peaks at 24 h",
            False),
        between(STUDY.id, "crp", "CRP peak time (h)", float(obs["time"][np.argmax(obs["crp"])]), CRP_PEAK_H, 6.0,
                48.0, "peak at the 24-h sample; band to the neighbouring samples", False, "6-48 h"),
    ]
