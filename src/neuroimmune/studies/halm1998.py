"""Halm et al. 1998, JAMA 279:1452-1457: 686 adults hospitalised with community-acquired pneumonia, treated with
antibiotics: the median time to a temperature of 37.2 degC or less was 3 days.

Model: the shared treated bacterial infection (:func:`~neuroimmune.studies._scenarios.treated_bacterial`): days
from the antibiotic's start until the temperature stays at or below 37.2 degC (interpolated between hourly outputs,
:func:`neuroimmune.outcomes.last_time_at_or_above`). Band: 1 day, the resolution of daily vital signs reported as a
median in whole days (with 686 people the median's sampling error is smaller).

Fitted, with Behr 1996: the days fever outlasts the kill set how fast the tissue recovers (``k_td_res``); the
residual is the difference over half the band (2 sigma).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ._base import Row, Study, simulate_arm, within
from ._compare import hours_after_antibiotic
from ._scenarios import TREATED_DAYS, treated_bacterial

STUDY = Study(
    id="halm1998",
    citation="Halm EA, Fine MJ, Marrie TJ, Coley CM, Kapoor WN, Obrosky DS, Singer DE. Time to clinical stability "
             "in patients hospitalized with community-acquired pneumonia: implications for practice guidelines. "
             "JAMA 1998;279:1452-1457.",
    doi="10.1001/jama.279.18.1452",
    how_read="abstract (UT Southwestern research portal): median days to stability",
    fitted=True,
    cluster="bacterial infection",
)
N = 686
MEASURES = "pneumonia on antibiotics: days until temperature <= 37.2 degC"
TOLERANCE = "1 day (daily measurement, median in whole days)"

# "3 days for respiratory rate (<=24 breaths/min), oxygen saturation (<=90%), and temperature (<=37.2 degC [99 F])"
DAYS, STABLE_AT = 3.0, 37.2


def _days(values: Mapping[str, float]) -> float:
    obs = simulate_arm(treated_bacterial(days=TREATED_DAYS), values)
    return hours_after_antibiotic(obs, "temperature", STABLE_AT) / 24.0


def rows(values: Mapping[str, float]) -> list[Row]:
    return [within(STUDY.id, "temperature", "days from antibiotic start to temperature <= 37.2 degC", _days(values),
                   DAYS, 1.0, "daily vital signs, median reported in whole days", True, " d")]


def residuals(values: Mapping[str, float]) -> np.ndarray:
    return np.array([(_days(values) - DAYS) / 0.5])
