"""Vgontzas et al. 2004, J Clin Endocrinol Metab 89:2119-2126: 25 young adults (12 men, 13 women) restricted from
8 to 6 h of sleep a night for a week: the 24-h mean IL-6 rose by 0.8 +/- 0.3 pg/mL in both sexes.

Model: no challenge, 8-h sleepers restricted to 6 h (:func:`~neuroimmune.studies._scenarios.sleep_restricted`)
against the same host at 8 h; IL-6 averaged over the 24 h after the seventh night. Band: 2 SEM (the +/- read as SE,
as its P < 0.05 implies).
"""

from __future__ import annotations

from collections.abc import Mapping

from ._base import Row, Study, simulate_arm, within
from ._compare import window_mean
from ._scenarios import sleep_restricted

STUDY = Study(
    id="vgontzas2004",
    citation="Vgontzas AN, Zoumakis E, Bixler EO, Lin HM, Follett H, Kales A, Chrousos GP. Adverse effects of modest "
             "sleep restriction on sleepiness, performance, and inflammatory cytokines. J Clin Endocrinol Metab "
             "2004;89:2119-2126.",
    doi="10.1210/jc.2003-031562",
    how_read="abstract (zhenzhi data record): IL-6 rise +/- SE",
    cluster="sleep loss",
)
N = 25
MEASURES = "a week of 6 h vs 8 h: 24-h mean IL-6"
TOLERANCE = "2 SEM"

# "24-h secretion of IL-6 was increased by 0.8 +/- 0.3 pg/ml (P < 0.05) in both sexes"
IL6_RISE, SE = 0.8, 0.3  # pg/mL
NIGHTS = 8
DAY_7 = (168.0, 192.0)  # h


def rows(values: Mapping[str, float]) -> list[Row]:
    short = simulate_arm(sleep_restricted(6.0, NIGHTS), values)
    usual = simulate_arm(sleep_restricted(8.0, NIGHTS), values)
    return [within(STUDY.id, "il6", "24-h mean IL-6 after a week of 6 h - 8 h a night (pg/mL)",
                   window_mean(short, "il6", *DAY_7) - window_mean(usual, "il6", *DAY_7), IL6_RISE, 2 * SE,
                   "2 SEM of the mean rise (SE 0.3 pg/mL, 25 people)", False, " pg/mL")]
