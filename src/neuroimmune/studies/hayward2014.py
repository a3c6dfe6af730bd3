"""Hayward et al. 2014, Lancet Respir Med 2:445-454 (Flu Watch): English households over five seasons; 18 % of
unvaccinated people were infected each winter (by serology), but only 25 % (95 % CI 18-35) of serologically
confirmed infections had PCR-confirmed illness: most community infections are mild or symptom-free.

Community against challenge: the median infected person in the community has no recorded illness (the interval
lies below 50 %). Model: its influenza challenge, in which the average member is infected by design; ill = any of
:data:`neuroimmune.outcomes.ILL_AT` at some time.
"""

from __future__ import annotations

from collections.abc import Mapping

from .. import outcomes
from ._base import Row, Study, simulate_arm
from ._compare import majority_row
from ._scenarios import infection

STUDY = Study(
    id="hayward2014",
    citation="Hayward AC, Fragaszy EB, Bermingham A, et al; Flu Watch Group. Comparative community burden and "
             "severity of seasonal and pandemic influenza: results of the Flu Watch cohort study. Lancet Respir Med "
             "2014;2:445-454.",
    doi="10.1016/S2213-2600(14)70034-7",
    how_read="abstract (journal page): shares with 95 % CIs",
    cluster="community illness",
)
N = 5448  # person-seasons
MEASURES = "community influenza: illness among serologically confirmed infections"
TOLERANCE = "majority rule on the published 95 % interval (18-35 %)"

# "25% (18-35) of all people with serologically confirmed infections had PCR-confirmed disease"
ILL_SHARE, ILL_INTERVAL = 0.25, (0.18, 0.35)


def rows(values: Mapping[str, float]) -> list[Row]:
    obs = simulate_arm(infection("influenza", days=14.0), values)
    ill = bool(outcomes.ill({name: obs[name] for name in outcomes.ILL_AT}).any())
    return [majority_row(STUDY.id, "illness", "ill when infected (community)", ill, ILL_SHARE, 0,
                         "PCR-confirmed illness among serologically confirmed infections", interval=ILL_INTERVAL)]
