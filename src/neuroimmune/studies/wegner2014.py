"""Wegner et al. 2014, Brain Behav Immun 41:46-54: healthy men given 0.8 ng/kg or 0.4 ng/kg E. coli endotoxin or
saline (randomised, double-blind, between subjects); pressure pain thresholds of several muscles before and 1, 3
and 6 h after the injection. Cytokines, temperature and low mood rose, more with the higher dose. Pressure pain
thresholds fell significantly only 3 h after 0.8 ng/kg: not at 1 h, no longer at 6 h, and not after 0.4 ng/kg.
The fall went with the peak IL-6 rise and with negative mood.

Read from the abstract (MEDLINE); the group sizes and the threshold changes themselves are not in it, so the rows
keep what a significance pattern says about the course without a magnitude: the fall at 3 h is the largest of the
three times after 0.8 ng/kg, and larger than after 0.4 ng/kg at the same time. Each row is 1 if the model keeps
the order and 0 if not, against 1.

Fitted, as a qualitative constraint (an ordinal residual, as Suffredini 1999's dose order): for each order the
residual is the shortfall of the larger fall below the smaller one raised by :data:`MARGIN` points, over
:data:`SCALE` points, so an order kept costs nothing and one missed by a point costs about 60. Beside Janum 2016,
where the threshold was still down 6 h after 2 ng/kg, the 6-h order says where the slow, central (glial) part of
the threshold fall starts: above 0.8 ng/kg. It informs the glial recruitment (``x_glia``, ``a_central``).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ._base import Row, Study, at, simulate_arm
from ._compare import order_row
from ._scenarios import REFERENCE_REGION, bolus

STUDY = Study(
    id="wegner2014",
    citation="Wegner A, Elsenbruch S, Maluck J, et al. Inflammation-induced hyperalgesia: effects of timing, "
             "dosage, and negative affect on somatic pain sensitivity in human experimental endotoxemia. Brain Behav "
             "Immun 2014;41:46-54.",
    how_read="abstract (MEDLINE): significant pressure pain threshold decreases only 3 h after 0.8 ng/kg (tested at "
             "1, 3 and 6 h; 0.4 ng/kg and saline arms)",
    fitted=True,
    cluster="dose-response",
    qualitative=True,
)
MEASURES = "pressure pain threshold at 1, 3 and 6 h after 0.8 and 0.4 ng/kg: where the fall is largest"
TOLERANCE = "exact (order kept: 1)"

TIMES = (1.0, 3.0, 6.0)
REASON = "significant only 3 h after 0.8 ng/kg (abstract): the order of the falls, no magnitudes"
#: The smallest lead (points) of the larger fall that counts as kept in the fit, and the residual's scale (points).
MARGIN = 0.1
SCALE = 0.1


def _falls(dose: float, values: Mapping[str, float]) -> dict[float, float]:
    """The reference muscle's threshold fall (points, positive) at each of :data:`TIMES`."""
    obs = simulate_arm(bolus(dose), values)
    return {t: -float(at(obs, "ppt_change", t, REFERENCE_REGION)) for t in TIMES}


def _pairs(values: Mapping[str, float]) -> list[tuple[str, float, float]]:
    """(metric, the fall that should be larger, the other) for each order the study reports."""
    high, low = _falls(0.8, values), _falls(0.4, values)
    return [
        ("0.8 ng/kg: threshold fall larger at 3 h than at 1 h (1 = kept)", high[3.0], high[1.0]),
        ("0.8 ng/kg: threshold fall larger at 3 h than at 6 h (1 = kept)", high[3.0], high[6.0]),
        ("threshold fall at 3 h larger after 0.8 than after 0.4 ng/kg (1 = kept)", high[3.0], low[3.0]),
    ]


def rows(values: Mapping[str, float]) -> list[Row]:
    return [order_row(STUDY.id, "ppt_change", metric, larger > other, REASON, True)
            for metric, larger, other in _pairs(values)]


def residuals(values: Mapping[str, float]) -> np.ndarray:
    return np.array([max(0.0, other + MARGIN - larger) / SCALE for _, larger, other in _pairs(values)])
