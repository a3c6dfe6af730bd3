"""Nicholson et al. 2000, Lancet 355:1845-1850: otherwise healthy adults with febrile influenza-like illness of at
most 36 h, randomised to oseltamivir or placebo; in the 475 with confirmed influenza the median illness lasted
116.5 h (95 % CI 101.5-137.8) from enrolment with placebo and 87.4 h (73.3-104.7) with oseltamivir 75 mg.

Community influenza. Model: its community influenza (setting ``community``: inhaled virus that also reaches the lower
airway), illness = any of :data:`neuroimmune.outcomes.ILL_AT`. Enrolment was 0-36 h
after onset, so the model's illness from onset lies within [101.5, 137.8 + 36] h. Oseltamivir from 18 h after the
model's onset (the middle of the enrolment window); the ratio of the two durations from enrolment, band from the
ratios of the confidence limits (73.3/137.8 to 104.7/101.5).
"""

from __future__ import annotations

from collections.abc import Mapping

from ._base import Row, Study, between, simulate_arm
from ._compare import illness
from ._scenarios import infection

STUDY = Study(
    id="nicholson2000",
    citation="Nicholson KG, Aoki FY, Osterhaus AD, et al. Efficacy and safety of oseltamivir in treatment of acute "
             "influenza: a randomised controlled trial. Neuraminidase Inhibitor Flu Treatment Investigator Group. "
             "Lancet 2000;355:1845-1850.",
    doi="10.1016/S0140-6736(00)02288-1",
    how_read="abstract (CMAJ reference link to PubMed 10866439): medians with 95 % CIs",
    cluster="community illness",
)
N = 475
MEASURES = "community influenza: illness duration with placebo; oseltamivir / placebo"
TOLERANCE = "95 % CI plus the 0-36 h enrolment window; ratio of CI limits"

# "than with placebo (116.5 h [101.5-137.8])"; "median duration 87.4 h [95% CI 73.3-104.7], p=0.02) with oseltamivir
# 75 mg"
PLACEBO, OSELTAMIVIR = (116.5, 101.5, 137.8), (87.4, 73.3, 104.7)  # h
ENROLMENT = (0.0, 36.0)  # h after onset


def rows(values: Mapping[str, float]) -> list[Row]:
    onset, end = illness(simulate_arm(infection("influenza", days=21.0, setting="community"), values))
    enrol = onset + 0.5 * ENROLMENT[1]
    treated = infection("influenza", days=21.0, setting="community",
                        treatments=({"kind": "antiviral", "start": enrol},))
    _, end_t = illness(simulate_arm(treated, values))
    (p, p_lo, p_hi), (o, o_lo, o_hi) = PLACEBO, OSELTAMIVIR
    return [
        between(STUDY.id, "illness", "illness from onset, untreated (h)", end - onset, p, p_lo, p_hi + ENROLMENT[1],
                "95 % CI of the median from enrolment, plus the 0-36 h from onset to enrolment", False),
        between(STUDY.id, "illness", "illness from enrolment, oseltamivir / placebo", (end_t - enrol) / (end - enrol),
                o / p, o_lo / p_hi, o_hi / p_lo, "ratio of the confidence limits of the two medians", False),
    ]
