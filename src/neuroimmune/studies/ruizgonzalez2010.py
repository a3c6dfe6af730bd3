"""Ruiz-Gonzalez et al. 2010, Eur J Intern Med 21:548-552: 285 adults hospitalised with community-acquired
pneumonia, CRP on hospital days 1 and 4. Of the 78 not yet clinically stable by day 4, the 56 who went on to be
cured without a change of antibiotic ("slow responders") had a falling CRP in 52 (92.9 %), against 7 of the 22
whose treatment failed.

Read from the abstract. Model: the shared treated bacterial infection
(:func:`~neuroimmune.studies._scenarios.treated_bacterial`), a susceptible antibiotic from the day of admission:
CRP on day 4 (72 h after the antibiotic starts) against day 1 (when it starts), in the average member, who stands
for the median responding patient (:func:`~neuroimmune.studies._compare.majority_row`: 52 of 56 is wholly above
50 %). Even patients slow to settle have a falling CRP by day 4, so the tissue's recovery (``k_td_res``, fitted to
fever) must not be so slow that inflammation is still building then. Held out.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ._base import Row, Study, simulate_arm
from ._compare import majority_row
from ._scenarios import ANTIBIOTIC_AT, TREATED_DAYS, treated_bacterial

STUDY = Study(
    id="ruizgonzalez2010",
    citation="Ruiz-Gonzalez A, Falguera M, Porcel JM, Martinez-Alonso M, Cabezas P, Geijo P, Boixeda R, Duenas C, "
             "Armengou A, Capdevila JA, Serrano R. C-reactive protein for discriminating treatment failure from slow "
             "responding pneumonia. Eur J Intern Med 2010;21:548-552.",
    doi="10.1016/j.ejim.2010.09.006",
    how_read="abstract (PubMed 21111942): CRP fell by day 4 in 52 of 56 slow responders",
    cluster="bacterial infection",
)
N = 56
MEASURES = "pneumonia on antibiotics: CRP lower on day 4 than on day 1 in slow responders"
TOLERANCE = "exact: the median responder's CRP falls (52 of 56)"

# "By day 4, CRP levels fell in 52 (92.9%) slow responding and only in 7 (31.8%) late treatment failure patients"
FELL, SLOW = 52, 56


def rows(values: Mapping[str, float]) -> list[Row]:
    obs = simulate_arm(treated_bacterial(days=TREATED_DAYS), values)
    day1, day4 = np.interp([ANTIBIOTIC_AT, ANTIBIOTIC_AT + 72.0], obs["time"], obs["crp"])
    return [majority_row(STUDY.id, "crp", "CRP lower on hospital day 4 than on day 1", bool(day4 < day1),
                         FELL / SLOW, N, "CRP fell by day 4 in 52 of 56 patients slow to stabilise but cured")]
