"""Draisma et al. 2009, Crit Care Med 37:1261-1267: 2 ng/kg LPS on five consecutive days in healthy men (n = 14
in the abstract's analysis). On day 5 the responses were much smaller than on day 1: TNF by 97 +/- 3 %, IL-6 by
88 +/- 8 %, IL-10 by 87 +/- 7 %; the temperature peak was 36.2 +/- 0.5 degC on day 5 against 37.8 +/- 0.4 on day 1.

Read from the abstract (+/- taken as SD). Fitted: the day-5 / day-1 ratios of the TNF and IL-6 rises, each with
the SEM of the ratio (SD / sqrt(14)) and a floor of 0.03 for the digitised scale of a ratio near zero. Held out:
IL-10 and the temperature.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ._base import Row, Study, between, within
from ._repeat import response_ratio

STUDY = Study(
    id="draisma2009",
    citation="Draisma A, Pickkers P, Bouw MP, van der Hoeven JG. Development of endotoxin tolerance in humans in "
             "vivo. Crit Care Med 2009;37:1261-1267.",
    doi="10.1097/CCM.0b013e31819c3c67",
    how_read="abstract: percentage attenuation of each cytokine response on day 5 against day 1 (+/- as SD)",
    fitted=True,
    cluster="tolerance",
)

N = 14
#: Day-5 rise as a fraction of day 1 (1 - attenuation) and its SD.
RATIOS = {"tnf": (0.03, 0.03), "il6": (0.12, 0.08), "il10": (0.13, 0.07)}
FITTED = ("tnf", "il6")
FLOOR = 0.03


def _sigma(sd: float) -> float:
    return max(sd / np.sqrt(N), FLOOR)


def rows(values: Mapping[str, float]) -> list[Row]:
    out = []
    for name, (ratio, sd) in RATIOS.items():
        model = response_ratio(values, name, 2.0, 24.0, 5)
        out.append(within(STUDY.id, name, "day-5 / day-1 rise, 2 ng/kg daily", model, ratio, 2 * _sigma(sd),
                          "2 SEM of the attenuation (SD / sqrt(14)), at least 0.06", name in FITTED))
    temp = response_ratio(values, "temperature", 2.0, 24.0, 5)
    out.append(between(STUDY.id, "temperature", "day-5 / day-1 temperature rise", temp, 0.0, -0.5, 0.3,
                       "day 5 peaked at 36.2 +/- 0.5 degC, no fever (day 1: 37.8 +/- 0.4): at most a third of the "
                       "day-1 rise", False, "<= 0.3"))
    return out


def residuals(values: Mapping[str, float]) -> np.ndarray:
    return np.array([(response_ratio(values, name, 2.0, 24.0, 5) - RATIOS[name][0]) / _sigma(RATIOS[name][1])
                     for name in FITTED])
