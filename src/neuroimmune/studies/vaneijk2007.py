"""van Eijk et al. 2007, Crit Care Med 35:1464-1469: 2 ng/kg E. coli endotoxin in 15 women and 15 men. The TNF
increase was larger in women (965 +/- 193 vs 411 +/- 35 pg/mL), the IL-10 increase not different (95 +/- 15 vs
129 +/- 15 pg/mL, P = 0.29).

Compared as women / men ratios of the rise above baseline (assay-independent), with 2 SEM of the ratio by the delta
method from the published +/- read as SEM (the abstract does not say; SEM gives the wider of the two bands).
"""

from __future__ import annotations

from collections.abc import Mapping

from ._base import Row, Study, simulate_arm, within
from ._compare import ratio_sem2, rise
from ._scenarios import bolus

STUDY = Study(
    id="vaneijk2007",
    citation="van Eijk LT, Dorresteijn MJ, Smits P, van der Hoeven JG, Netea MG, Pickkers P. Gender differences "
             "in the innate immune response and vascular reactivity following the administration of endotoxin to "
             "human volunteers. Crit Care Med 2007;35:1464-1469.",
    doi="10.1097/01.CCM.0000266534.14262.E8",
    how_read="abstract (journal page): increases by sex, mean +/- SEM",
    cluster="host factors",
)
N = 30
MEASURES = "2 ng/kg, women vs men: TNF and IL-10 rise"
TOLERANCE = "2 SEM of the ratio (delta method)"

# "a higher increase in tumor necrosis factor-alpha (965 +/- 193 vs. 411 +/- 35 pg/mL, p < .0001)";
# IL-10 "95 +/- 15 pg/mL in females vs. 129 +/- 15 pg/mL in males, p = .288": (women, SEM, men, SEM)
RISE = {"tnf": (965.0, 193.0, 411.0, 35.0), "il10": (95.0, 15.0, 129.0, 15.0)}


def rows(values: Mapping[str, float]) -> list[Row]:
    women = simulate_arm(bolus(sex="female", duration=8.0), values)
    men = simulate_arm(bolus(duration=8.0), values)
    out = []
    for name, (f, sf, m, sm) in RISE.items():
        out.append(within(STUDY.id, name, "women / men rise at 2 ng/kg", rise(women, name) / rise(men, name), f / m,
                          ratio_sem2(f, sf, m, sm), "2 SEM of the ratio of the two cohort means (15 and 15)", False))
    return out
