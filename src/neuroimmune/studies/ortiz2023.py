"""Ortiz et al. 2023, J Infect Dis 228:287-298: challenge with influenza A(H1N1)pdm09 in 76 healthy adults (not
vaccinated in the previous 6 months). Mild-to-moderate influenza disease (infection by RT-PCR with a qualifying
symptom) in 64.9 % of those with a baseline haemagglutination-inhibition titre of 40 or more, against 76.9 % below
40: pre-existing immunity protected only partly (OR 0.81 per 2-fold titre, 0.62-1.06).

Model: virtual cohorts (200 members, the scenario's host, fixed seed) challenged with the model's influenza, naive
or with an influenza infection a year before (standing for a titre of 40 or more; the titres' source was not read);
disease = infected (:data:`~neuroimmune.studies._compare.DETECTABLE`) and ill at some time
(:data:`neuroimmune.outcomes.ILL_AT`). The ratio of the attack rates, band from the ratios of the two shares'
Wilson limits with the 76 people split evenly (the split was not read).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ..scenarios import Exposure
from ._base import Row, Study, between, proportion_interval
from ._compare import DETECTABLE, cohort, ill_share
from ._scenarios import infection

STUDY = Study(
    id="ortiz2023",
    citation="Ortiz JR, Bernstein DI, Hoft DF, et al. A multicenter, controlled human infection study of influenza "
             "A(H1N1)pdm09 in healthy adults. J Infect Dis 2023;228:287-298.",
    doi="10.1093/infdis/jiad021",
    how_read="abstract (Mendeley catalogue): attack rates by baseline HAI titre",
    cluster="immune memory",
)
N = 76
MEASURES = "H1N1 challenge: disease with prior immunity (HAI >= 40) vs without"
TOLERANCE = "ratio of the Wilson limits of the two shares (38 and 38)"

# "MMID attack rates among participants with baseline titers >=40 by HAI and MN were 64.9% and 67.9% ... among
# participants with baseline titers <40 by HAI and MN were 76.9% and 78.3%, respectively"
IMMUNE, NAIVE = 0.649, 0.769
PRIOR = (Exposure(kind="influenza", time=-24.0 * 365),)


def _disease(values: Mapping[str, float], history: tuple[Exposure, ...]) -> float:
    members = cohort(infection("influenza", days=14.0, history=history), values)
    infected = np.asarray(members["viral_load_peak"]) >= DETECTABLE["influenza"]
    return float(np.mean(infected & ill_share(members)))


def rows(values: Mapping[str, float]) -> list[Row]:
    immune, naive = _disease(values, PRIOR), _disease(values, ())
    (i_lo, i_hi), (n_lo, n_hi) = proportion_interval(IMMUNE, N // 2), proportion_interval(NAIVE, N // 2)
    return [between(STUDY.id, "viral_load", "influenza disease, prior immunity / none", immune / naive if naive else
                    float("nan"), IMMUNE / NAIVE, i_lo / n_hi, i_hi / n_lo,
                    "ratio of the Wilson limits of the two attack rates (76 people, split evenly)", False)]
