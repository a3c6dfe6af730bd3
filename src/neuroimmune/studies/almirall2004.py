"""Almirall et al. 2004, Chest 125:1335-1342: every adult with community-acquired pneumonia in one Spanish district
over two years (population-based; 201 with serum in the acute phase): median CRP 110.7 mg/L, against 1.9 mg/L in 84
matched healthy people; 76.9 mg/L in those treated at home and 132.0 mg/L in those admitted.

Read from the abstract. Model: the shared treated bacterial infection
(:func:`~neuroimmune.studies._scenarios.treated_bacterial`), CRP when the antibiotic starts, the point at which a
patient is diagnosed and sampled. Held out: nothing about bacteria sets the CRP parameters (resting CRP is fitted
to endotoxin, :mod:`neuroimmune.studies.ferguson2013`). Band: the medians of the two severity groups the study
reports, outpatients to inpatients, as the model's course is one of unstated severity.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ._base import Row, Study, between, simulate_arm
from ._scenarios import ANTIBIOTIC_AT, TREATED_DAYS, treated_bacterial

STUDY = Study(
    id="almirall2004",
    citation="Almirall J, Bolibar I, Toran P, Pera G, Boquet X, Balanzo X, Sauca G. Contribution of C-reactive "
             "protein to the diagnosis and assessment of severity of community-acquired pneumonia. Chest "
             "2004;125:1335-1342.",
    doi="10.1378/chest.125.4.1335",
    how_read="abstract (PubMed 15078743): median CRP overall, in outpatients and in inpatients",
    cluster="bacterial infection",
)
N = 201
MEASURES = "community-acquired pneumonia: CRP in the acute phase, at diagnosis"
TOLERANCE = "between the outpatients' and the inpatients' medians"

# "Median CRP levels were 110.7, 1.9, and 31.9 mg/L" (pneumonia, healthy controls, pneumonia not confirmed); "The
# median CRP levels in hospitalized patients were significantly higher than in outpatients (132.0 vs 76.9 mg/L"
CRP_MEDIAN, CRP_OUTPATIENTS, CRP_INPATIENTS = 110.7, 76.9, 132.0


def rows(values: Mapping[str, float]) -> list[Row]:
    obs = simulate_arm(treated_bacterial(days=TREATED_DAYS), values)
    at_diagnosis = float(np.interp(ANTIBIOTIC_AT, obs["time"], obs["crp"]))
    return [between(STUDY.id, "crp", "CRP at diagnosis, when the antibiotic starts (mg/L)", at_diagnosis, CRP_MEDIAN,
                    CRP_OUTPATIENTS, CRP_INPATIENTS, "medians of the outpatients and of the inpatients", False,
                    f"{CRP_OUTPATIENTS:g}-{CRP_INPATIENTS:g} mg/L")]
