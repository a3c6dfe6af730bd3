"""Treanor et al. 2000, JAMA 283:1016-1024: healthy adults (18-65) with febrile respiratory illness of at most 36 h
in the 1998 US season, randomised to oseltamivir or placebo; in the influenza-infected the median illness lasted
103.3 h from enrolment with placebo and 71.5 h with oseltamivir 75 mg.

Community influenza, compared as for Nicholson 2000 (the same design in the same year); the abstract gives no
confidence intervals, so the sister trial's relative 95 % limits are borrowed (0.871-1.183 of the median; for the
ratio 0.71-1.37 of its value), and the 0-36 h enrolment window is added.
"""

from __future__ import annotations

from collections.abc import Mapping

from ._base import Row, Study, between, simulate_arm
from ._compare import illness
from ._scenarios import infection

STUDY = Study(
    id="treanor2000",
    citation="Treanor JJ, Hayden FG, Vrooman PS, et al; US Oral Neuraminidase Study Group. Efficacy and safety of "
             "the oral neuraminidase inhibitor oseltamivir in treating acute influenza: a randomized controlled "
             "trial. JAMA 2000;283:1016-1024.",
    doi="10.1001/jama.283.8.1016",
    how_read="abstract (BMJ reference link to PubMed 10697061): medians without CIs",
    cluster="community illness",
)
N = 374
MEASURES = "community influenza: illness duration with placebo; oseltamivir / placebo"
TOLERANCE = "relative 95 % limits of Nicholson 2000 plus the enrolment window"

# "compared with placebo (median, 103.3 hours)"; "oseltamivir, 75 mg twice daily (median, 71.5 hours; P < .001)"
PLACEBO, OSELTAMIVIR = 103.3, 71.5  # h
ENROLMENT = 36.0  # h after onset at most
#: Relative 95 % limits from Nicholson 2000: the placebo median (101.5/116.5, 137.8/116.5) and the ratio
#: ((73.3/137.8) / (87.4/116.5), (104.7/101.5) / (87.4/116.5)).
MEDIAN_LIMITS = (101.5 / 116.5, 137.8 / 116.5)
RATIO_LIMITS = ((73.3 / 137.8) / (87.4 / 116.5), (104.7 / 101.5) / (87.4 / 116.5))


def rows(values: Mapping[str, float]) -> list[Row]:
    onset, end = illness(simulate_arm(infection("influenza", days=21.0, setting="community"), values))
    enrol = onset + 0.5 * ENROLMENT
    treated = infection("influenza", days=21.0, setting="community",
                        treatments=({"kind": "antiviral", "start": enrol},))
    _, end_t = illness(simulate_arm(treated, values))
    ratio = OSELTAMIVIR / PLACEBO
    return [
        between(STUDY.id, "illness", "illness from onset, untreated (h)", end - onset, PLACEBO,
                PLACEBO * MEDIAN_LIMITS[0], PLACEBO * MEDIAN_LIMITS[1] + ENROLMENT,
                "relative 95 % limits of the sister trial (Nicholson 2000) plus 0-36 h onset to enrolment", False),
        between(STUDY.id, "illness", "illness from enrolment, oseltamivir / placebo", (end_t - enrol) / (end - enrol),
                ratio, ratio * RATIO_LIMITS[0], ratio * RATIO_LIMITS[1],
                "relative limits of the sister trial's ratio (Nicholson 2000)", False),
    ]
