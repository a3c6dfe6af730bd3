"""Haack et al. 2007, Sleep 30:1145-1152: healthy volunteers (n = 18) sleeping 4 h instead of 8 h a night for
ten nights; plasma IL-6 rose by 1.16 pg/mL against the 8 h group, and the rise went with more bodily pain
(r = 0.67).

Read from the paper's discussion as reproduced in a secondary source (second-hand; the abstract gives the
direction). Informs ``il6_per_sleep_debt`` with Vgontzas 2004 (in-sample). No spread was reached: tolerance a
factor of 1.5 either way (a group difference of about 1 pg/mL at P < 0.05 in 18 people).
"""

from __future__ import annotations

from collections.abc import Mapping

from ._base import Row, Study, between
from ._sleep import il6_rise

STUDY = Study(
    id="haack2007",
    citation="Haack M, Sanchez E, Mullington JM. Elevated inflammatory markers in response to prolonged sleep "
             "restriction are associated with increased pain experience in healthy volunteers. Sleep "
             "2007;30:1145-1152.",
    how_read="second-hand: the paper's discussion quoted in a secondary source (1.16 pg/mL); abstract for the design",
    cluster="sleep",
)

RISE, FACTOR = 1.16, 1.5


def rows(values: Mapping[str, float]) -> list[Row]:
    model = il6_rise(values, usual=8.0, restricted=4.0, nights=10)
    return [between(STUDY.id, "il6", "resting IL-6 rise after ten nights of 4 h (pg/mL)", model, RISE,
                    RISE / FACTOR, RISE * FACTOR, "group difference at P < 0.05 in 18 people, no spread reached",
                    True, f"x/÷ {FACTOR:g}")]
