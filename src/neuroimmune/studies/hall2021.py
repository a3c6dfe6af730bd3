"""Hall et al. 2021, Lancet 397:1459-1469 (SIREN): health-care workers in England, June-December 2020. A previous
SARS-CoV-2 infection was associated with an 84 % lower risk of a new infection: 155 reinfections in 8,278
previously infected people against 1,704 primary infections in 17,383 naive people (7.6 against 57.3 per 100,000
person-days), a median of about 7 months after the first infection.

Memory after infection protects strongly but not completely. Model: virtual cohorts (``adults``, 200 members, fixed
seed) infected with SARS-CoV-2 in the community setting, naive or infected 7 months (210 days) before; infected = viral
load reaching detection. Ratio of the two shares against the incidence-rate ratio, band from its Poisson 95 % interval
(log-ratio SE sqrt(1/155 + 1/1704)).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ..scenarios import Exposure
from ._base import Row, Study, between
from ._compare import cohort, infected_share
from ._scenarios import infection

STUDY = Study(
    id="hall2021",
    citation="Hall VJ, Foulkes S, Charlett A, et al; SIREN Study Group. SARS-CoV-2 infection rates of "
             "antibody-positive compared with antibody-negative health-care workers in England: a large, "
             "multicentre, prospective cohort study (SIREN). Lancet 2021;397:1459-1469.",
    doi="10.1016/S0140-6736(21)00675-9",
    how_read="second-hand: the University of Washington pandemic alliance summary (counts and rates) and an ACC "
             "journal scan (7 months)",
    cluster="immune memory",
)
N = 25_661
MEASURES = "SARS-CoV-2 infection risk 7 months after a first infection vs naive"
TOLERANCE = "Poisson 95 % interval of the rate ratio"

# "This corresponds to 7.6 infections per 100,000 person-days in the positive cohort, compared to 57.3 infections
# per 100,00 person-days in the negative cohort"; 155 potential reinfections and 1,704 primary infections
RATES = (7.6, 57.3)
EVENTS = (155, 1704)
PRIOR = (Exposure(kind="sars_cov_2", time=-24.0 * 210),)


def rows(values: Mapping[str, float]) -> list[Row]:
    reinfected = infection("sars_cov_2", days=21.0, setting="community", history=PRIOR)
    again = infected_share(cohort(reinfected, values, "adults"), "sars_cov_2")
    naive = infected_share(cohort(infection("sars_cov_2", days=21.0, setting="community"), values, "adults"),
                           "sars_cov_2")
    ratio = RATES[0] / RATES[1]
    half = 1.96 * float(np.sqrt(1.0 / EVENTS[0] + 1.0 / EVENTS[1]))
    return [between(STUDY.id, "viral_load", "infection risk 7 months after an infection / naive",
                    again / naive if naive > 0 else float("nan"), ratio, ratio * np.exp(-half), ratio * np.exp(half),
                    "Poisson 95 % interval of the incidence-rate ratio (155 and 1,704 infections)", False)]
