"""Essen endotoxin group 2023, Neuroimmunomodulation 30:268-276: E. coli endotoxin 0.8 ng/kg against placebo in 18 men
(crossover), followed to 72 h. CRP peaked at 24 h and fell until 72 h, while bodily and psychological sickness
symptoms occurred only in the acute phase.

Model: at 24 h, when CRP peaks, the average member is no longer ill (:data:`neuroimmune.outcomes.ILL_AT`: none of
temperature, back ache or fatigue at its threshold). The model has no CRP: that row keeps the published peak time
(samples at 24, 48 and 72 h after the acute day, so the band is the neighbouring samples) with the model NaN.
"""

from __future__ import annotations

from collections.abc import Mapping

from .. import outcomes
from ._base import Row, Study, at, simulate_arm
from ._compare import missing_row
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
    obs = simulate_arm(bolus(dose=DOSE, duration=30.0), values)
    ill = bool(outcomes.ill({name: at(obs, name, [24.0]) for name in outcomes.ILL_AT})[0])
    return [
        Row(STUDY.id, "illness", "ill (any of temperature, back ache, fatigue at threshold) at 24 h (1/0)",
            float(ill), 0.0, 0.0, 0.0, "exact", "symptoms only in the acute phase, none when CRP peaks at 24 h",
            False),
        missing_row(STUDY.id, "crp", "CRP peak time (h)", CRP_PEAK_H, 6.0, 48.0,
                    "peak at the 24-h sample; band to the neighbouring samples; the model has no CRP"),
    ]
