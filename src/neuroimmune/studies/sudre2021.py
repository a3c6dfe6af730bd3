"""Sudre et al. 2021, Nat Med 27:626-631: 4,182 people with test-positive COVID-19 logging symptoms daily in an app
(2020, before vaccination): symptoms lasted 28 days or more in 13.3 %, 8 weeks or more in 4.5 %, 12 weeks or more
in 2.3 %.

Community COVID-19 and its tail. Model: a virtual cohort (the calibrated between-person variability, 200 members, fixed
seed) through its community SARS-CoV-2 infection for 90 days; a member's symptoms last from the average member's onset
to the member's recovery day (:data:`neuroimmune.outcomes.ILL_AT`; still ill at day 90 counts as lasting). Shares
against the published counts, Wilson intervals with the effective size of the two samples.

In-sample: the build and decay of glial priming (``k_prime_on``, ``k_prime_off``) were chosen on these shares; the
persistent post-COVID myalgia of longcovid_myalgia is the check beside them.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .. import data
from ._base import Row, Study, simulate_arm
from ._compare import cohort, illness, share_row
from ._scenarios import infection

STUDY = Study(
    id="sudre2021",
    citation="Sudre CH, Murray B, Varsavsky T, et al. Attributes and predictors of long COVID. Nat Med "
             "2021;27:626-631.",
    doi="10.1038/s41591-021-01292-y",
    how_read="abstract (Nature page): counts of people with symptoms lasting 4, 8 and 12 weeks (see the data file)",
    data=("sarscov2/sudre2021_symptom_duration",),
    cluster="community illness",
)
N = 4182
MEASURES = "COVID-19 in the community: share with symptoms lasting 4, 8 and 12 weeks"
TOLERANCE = "Wilson 95 % interval, n = 4,182 and 200 cohort members"


def rows(values: Mapping[str, float]) -> list[Row]:
    scenario = infection("sars_cov_2", days=90.0, setting="community", step=6.0)
    onset_days = illness(simulate_arm(infection("sars_cov_2", days=30.0, setting="community"), values))[0] / 24.0
    recovery = np.asarray(cohort(scenario, values)["recovery_day"], dtype=float)
    lasting = np.where(np.isnan(recovery), np.inf, recovery - onset_days)
    out = []
    for _, r in data.load("sarscov2/sudre2021_symptom_duration").table.iterrows():
        weeks = int(r["weeks"])
        out.append(share_row(STUDY.id, "illness", f"symptoms lasting {weeks} weeks or more",
                             float(np.mean(lasting >= 7 * weeks)), lasting.size, r["count"] / r["n"], int(r["n"]),
                             "self-logged symptoms from onset, test-positive app users (2020)", fitted=True))
    return out
