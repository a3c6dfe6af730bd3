"""Sadoff et al. 2021, N Engl J Med 384:1824-1835: Ad26.COV2.S (viral vector), phase 1-2a, adults 18-55 and 65 or
older. After the first dose fever was reported in 19 % (grade 3 in 5 %); reactions came on the day of vaccination
or the next and generally resolved within 24 hours.

Fever share against a virtual cohort of adults aged 18-55 or 65 and over (the trial's two age cohorts) given the
model's viral-vector platform: Wilson interval with the trial's 805 participants (an upper bound
on the recipients: placebo included, split not read). Timing in the average member: the temperature rise is back
below half its peak by 48 h (onset on day 0-1 and resolution within 24 h).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .. import outcomes
from ._base import Row, Study, between, simulate_arm
from ._compare import band_share, cohort, share_row
from ._scenarios import vaccination

STUDY = Study(
    id="sadoff2021",
    citation="Sadoff J, Le Gars M, Shukarev G, et al. Interim results of a phase 1-2a trial of Ad26.COV2.S "
             "Covid-19 vaccine. N Engl J Med 2021;384:1824-1835.",
    doi="10.1056/NEJMoa2034201",
    how_read="second-hand: fever share from the Johns Hopkins NCRC review of the medRxiv preprint; timing from an "
             "excerpt of the NEJM discussion",
    cluster="vaccine platforms",
)
N = 805
MEASURES = "Ad26.COV2.S dose 1: fever share; reaction over within 48 h"
TOLERANCE = "Wilson 95 % interval (n = 805 and cohort members); timing by the reported days"

# "Fever was reported in 19% of participants, with a grade 3 fever present in 5%"
FEVER = 0.19
# "The local and systemic reactions occurred on the day of immunization or the next day and generally resolved
# within 24 hours"
OVER_BY_H = 48.0


def _half_rise_end(obs: Mapping[str, np.ndarray]) -> float:
    temp, t = np.asarray(obs["temperature"]), np.asarray(obs["time"])
    above = temp - temp[0] >= 0.5 * (temp.max() - temp[0])
    return float(t[above][-1])


def rows(values: Mapping[str, float]) -> list[Row]:
    members = cohort(vaccination(platform="viral_vector"), values, "adults")
    young, n_young = band_share(members, "temperature_peak", outcomes.FEVER_C, 18.0, 56.0)
    old, n_old = band_share(members, "temperature_peak", outcomes.FEVER_C, 65.0, 200.0)
    share = (young * n_young + old * n_old) / (n_young + n_old)
    average = simulate_arm(vaccination(age=40.0, platform="viral_vector"), values)
    return [
        share_row(STUDY.id, "temperature", "fever after dose 1, ages 18-55 and 65+", share, n_young + n_old, FEVER, N,
                  "fever within 7 days of Ad26.COV2.S, both age cohorts pooled"),
        between(STUDY.id, "temperature", "end of the temperature rise (above half its peak) after dose 1 (h)",
                _half_rise_end(average), OVER_BY_H, 0.0, OVER_BY_H,
                "reactions on day 0-1, resolved within 24 h: over by 48 h", False),
    ]
