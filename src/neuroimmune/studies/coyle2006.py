"""Coyle et al. 2006, Shock 26:538-543: 2 ng/kg LPS in 48 men and 24 women; the core temperature rise was
2.1 +/- 0.1 degC in men and 1.4 +/- 0.1 degC in women (abstract). Fitted: the women's rise as a fraction of the
men's, scale 0.03 (the propagated SEM of the ratio of the two means)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ._base import Row, Study, simulate_arm, within
from ._scenarios import bolus

STUDY = Study(
    id="coyle2006",
    citation="Coyle SM, Calvano SE, Lowry SF. Gender influences in vivo human responses to endotoxin. "
             "Shock 2006;26:538-543.",
    doi="10.1097/01.shk.0000232589.39001.4d",
    how_read="abstract: temperature rise 2.1 +/- 0.1 (men) and 1.4 +/- 0.1 degC (women)",
    fitted=True,
    cluster="host factors",
)

RATIO = 1.4 / 2.1
SIGMA = 0.03


def _ratio(values: Mapping[str, float]) -> float:
    male = simulate_arm(bolus(), values)
    female = simulate_arm(bolus(sex="female"), values)
    t0 = values["T_0"]
    return float((np.max(female["temperature"]) - t0) / (np.max(male["temperature"]) - t0))


def rows(values: Mapping[str, float]) -> list[Row]:
    return [within(STUDY.id, "temperature", "women / men peak rise at 2 ng/kg", _ratio(values), RATIO, 2 * SIGMA,
                   "2 SEM of the ratio of the two cohort means (0.1 degC each)", True)]


def residuals(values: Mapping[str, float]) -> np.ndarray:
    return np.array([(_ratio(values) - RATIO) / SIGMA])
