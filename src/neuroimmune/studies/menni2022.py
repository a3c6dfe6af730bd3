"""Menni et al. 2022, Lancet 399:1618-1624 (ZOE): vaccinated people with symptomatic COVID-19, 4,990 in the delta
period matched to 4,990 in the omicron period. Symptoms of delta infections lasted 9.6 days on average after two
vaccine doses and 7.7 days after three.

Immune memory on a later infection, in the community: vaccinated people still fall ill, for about a week. Model: its
community SARS-CoV-2 infection (setting ``community``) after two doses (the second 6 months before, the first 8 weeks
earlier) or three (a booster a month before); illness from onset to recovery (:data:`neuroimmune.outcomes.ILL_AT`), 0 if
never ill. The means were read in news reports of the paper (rounded): a factor of 1.2.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ..scenarios import Exposure
from ._base import Row, Study, simulate_arm
from ._compare import factor_row, illness
from ._scenarios import infection

STUDY = Study(
    id="menni2022",
    citation="Menni C, Valdes AM, Polidori L, et al. Symptom prevalence, duration, and risk of hospital admission in "
             "individuals infected with SARS-CoV-2 during periods of omicron and delta variant dominance: a "
             "prospective observational study from the ZOE COVID Study. Lancet 2022;399:1618-1624.",
    doi="10.1016/S0140-6736(22)00327-0",
    how_read="second-hand: mean durations by number of doses from news reports of the paper (Reuters)",
    cluster="community illness",
)
N = 9980
MEASURES = "vaccinated COVID-19 (delta): symptom duration after 2 and 3 doses"
TOLERANCE = "x/÷ 1.2 (second-hand rounded means)"

# "Among those with only two vaccine doses, symptoms from Delta lasted for 9.6 days"; "Symptoms lasted 7.7 days on
# average during the Delta-dominated period" (three doses)
DAYS = {2: 9.6, 3: 7.7}
FACTOR = 1.2
DOSES = {2: (-24.0 * 236, -24.0 * 180), 3: (-24.0 * 236, -24.0 * 180, -24.0 * 30)}


def rows(values: Mapping[str, float]) -> list[Row]:
    out = []
    for doses, days in DAYS.items():
        history = tuple(Exposure(kind="vaccine", antigen="sars_cov_2", time=t) for t in DOSES[doses])
        course = infection("sars_cov_2", days=30.0, setting="community", history=history)
        onset, end = illness(simulate_arm(course, values))
        model = 0.0 if np.isnan(onset) else (end - onset) / 24.0  # never ill: no illness to last
        out.append(factor_row(STUDY.id, "illness", f"symptom duration after {doses} vaccine doses, delta (d)", model,
                              days, FACTOR, "second-hand means (news reports of the paper), rounded"))
    return out
