"""Tenforde et al. 2020, MMWR 69:993-998: outpatients with a positive SARS-CoV-2 test in 14 US health systems
(spring 2020), interviewed a median of 16 days after testing: 35 % of 274 symptomatic respondents had not returned
to their usual health (26 % at 18-34 years, 47 % at 50 or more).

Community COVID-19: the median symptomatic outpatient is back to usual health 16 days after testing (the share's Wilson
interval lies below 50 %). Testing came at or after onset, so the model's average member (its community SARS-CoV-2
infection) must no longer be ill 16 days after onset (:data:`neuroimmune.outcomes.ILL_AT`). The age groups' sizes were
not read, so their shares are not compared.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ._base import Row, Study, simulate_arm
from ._compare import illness, majority_row
from ._scenarios import infection

STUDY = Study(
    id="tenforde2020",
    citation="Tenforde MW, Kim SS, Lindsell CJ, et al; IVY Network Investigators; CDC COVID-19 Response Team. "
             "Symptom duration and risk factors for delayed return to usual health among outpatients with COVID-19 "
             "in a multistate health care systems network - United States, March-June 2020. MMWR Morb Mortal Wkly "
             "Rep 2020;69:993-998.",
    doi="10.15585/mmwr.mm6930e1",
    how_read="abstract (paperexplained record)",
    cluster="community illness",
)
N = 274
MEASURES = "COVID-19 outpatients: not back to usual health 16 days after testing"
TOLERANCE = "majority rule (Wilson interval of 35 % of 274 below 50 %)"

# "35% of these symptomatic respondents reported not having returned to their usual state of health by the date of
# the interview (median = 16 days from testing date)"
NOT_RECOVERED, DAYS = 0.35, 16.0


def rows(values: Mapping[str, float]) -> list[Row]:
    onset, end = illness(simulate_arm(infection("sars_cov_2", days=30.0, setting="community"), values))
    still = bool(np.isnan(end) or end > onset + 24.0 * DAYS)
    return [majority_row(STUDY.id, "illness", "still ill 16 days after onset", still, NOT_RECOVERED, N,
                         "not back to usual health a median of 16 days after testing")]
