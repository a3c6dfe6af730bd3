"""Leentjens et al. 2012, Am J Respir Crit Care Med 186:838-845: 2 ng/kg LPS twice, a week apart, in healthy
men; in the placebo arm (n = 6) the second TNF response was 60 % (48-71 %) smaller than the first, IL-10's 39 %
(2-65 %, not significant).

Read from the abstract (the bracketed ranges taken as interquartile ranges of the median). Fitted: the TNF
ratio (second / first = 0.40), scale from the interquartile range (0.23 / 1.35 / sqrt(6) = 0.07). Held out: IL-10.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ._base import Row, Study, within
from ._repeat import response_ratio

STUDY = Study(
    id="leentjens2012",
    citation="Leentjens J, Kox M, Koch RM, et al. Reversal of immunoparalysis in humans in vivo: a double-blind, "
             "placebo-controlled, randomized pilot study. Am J Respir Crit Care Med 2012;186:838-845.",
    doi="10.1164/rccm.201204-0645OC",
    how_read="abstract: reduction of the second response in the placebo arm, median (range as printed)",
    fitted=True,
    cluster="tolerance",
)

WEEK = 7 * 24.0
TNF_RATIO, TNF_SIGMA = 0.40, 0.07
IL10_RATIO, IL10_RANGE = 0.61, (0.35, 0.98)


def rows(values: Mapping[str, float]) -> list[Row]:
    tnf = response_ratio(values, "tnf", 2.0, WEEK, 2)
    il10 = response_ratio(values, "il10", 2.0, WEEK, 2)
    return [
        within(STUDY.id, "tnf", "second / first rise, a week apart", tnf, TNF_RATIO, 2 * TNF_SIGMA,
               "2 x the SEM from the interquartile range (n = 6)", True),
        within(STUDY.id, "il10", "second / first rise, a week apart", il10, IL10_RATIO,
               max(IL10_RATIO - IL10_RANGE[0], IL10_RANGE[1] - IL10_RATIO),
               "the published range of the attenuation (2-65 %)", False),
    ]


def residuals(values: Mapping[str, float]) -> np.ndarray:
    return np.array([(response_ratio(values, "tnf", 2.0, WEEK, 2) - TNF_RATIO) / TNF_SIGMA])
