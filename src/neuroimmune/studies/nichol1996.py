"""Nichol et al. 1996, Arch Intern Med 156:1546-1550: inactivated influenza vaccine (n = 424) against placebo
(n = 425) in healthy working adults: at least one systemic symptom (fever, myalgia, fatigue, malaise or headache)
in the following week in 34.1 % against 35.2 %: the vaccine added no systemic sickness, only arm soreness.

The model has no background of symptoms, so what it can show is the share the vaccine adds: in a virtual cohort of
adults given the model's influenza vaccine, the share of members ill at some time (any of
:data:`neuroimmune.outcomes.ILL_AT`) against the published difference, -1.1 points, with the 95 % interval of a
difference of two proportions widened by the cohort's own binomial error.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ._base import Row, Study, between
from ._compare import cohort, ill_share
from ._scenarios import vaccination

STUDY = Study(
    id="nichol1996",
    citation="Nichol KL, Margolis KL, Lind A, Murdoch M, McFadden R, Hauge M, Magnan S, Drake M. Side effects "
             "associated with influenza vaccination in healthy working adults: a randomized, placebo-controlled "
             "trial. Arch Intern Med 1996;156:1546-1550.",
    doi="10.1001/archinte.1996.00440130090009",
    how_read="abstract (University of Minnesota experts page): shares by arm with n",
    cluster="vaccine platforms",
)
N = 849
MEASURES = "inactivated influenza vaccine: systemic symptoms added over placebo"
TOLERANCE = "95 % interval of a difference of two proportions, plus the cohort's binomial error"

# "Overall, 35.2% of placebo and 34.1% of vaccine recipients reported at least 1 of these systemic symptoms"
VACCINE, PLACEBO = (0.341, 424), (0.352, 425)


def rows(values: Mapping[str, float]) -> list[Row]:
    members = cohort(vaccination(antigen="influenza"), values, "adults")
    ill = ill_share(members)
    share, m = float(ill.mean()), ill.size
    (pv, nv), (pp, np_) = VACCINE, PLACEBO
    diff = pv - pp
    se = np.sqrt(pv * (1 - pv) / nv + pp * (1 - pp) / np_ + max(share * (1 - share), 1.0 / m) / m)
    return [between(STUDY.id, "illness", "systemic symptoms added by the vaccine (% of people)", 100 * share,
                    100 * diff, 100 * (diff - 1.96 * se), 100 * (diff + 1.96 * se),
                    "vaccine minus placebo share with any systemic symptom (424 and 425 adults); the model has no "
                    "background, so its share is what the vaccine adds", False, "95 % interval of the difference")]
