"""Vgontzas et al. 2004, J Clin Endocrinol Metab 89:2119-2126: healthy young adults (12 men, 13 women) sleeping
6 h instead of 8 h a night for a week; 24-h IL-6 secretion rose by 0.8 +/- 0.3 pg/mL in both sexes.

Read from the abstract (+/- taken as SE). Informs the value of ``il6_per_sleep_debt`` together with Haack 2007
(in-sample); tolerance 2 SE.
"""

from __future__ import annotations

from collections.abc import Mapping

from ._base import Row, Study, within
from ._sleep import il6_rise

STUDY = Study(
    id="vgontzas2004",
    citation="Vgontzas AN, Zoumakis E, Bixler EO, et al. Adverse effects of modest sleep restriction on "
             "sleepiness, performance, and inflammatory cytokines. J Clin Endocrinol Metab 2004;89:2119-2126.",
    doi="10.1210/jc.2003-031562",
    how_read="abstract: rise of 24-h IL-6 after a week of 6 h nights, 0.8 +/- 0.3 pg/mL",
    cluster="sleep",
)


def rows(values: Mapping[str, float]) -> list[Row]:
    model = il6_rise(values, usual=8.0, restricted=6.0, nights=7)
    return [within(STUDY.id, "il6", "resting IL-6 rise after a week of 6 h nights (pg/mL)", model, 0.8, 0.6,
                   "2 SE of the published rise", True, " pg/mL")]
