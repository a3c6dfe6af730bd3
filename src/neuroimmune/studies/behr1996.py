"""Behr et al. 1996, Am J Med 101:277-280: 70 adults hospitalised with acute pyelonephritis (E. coli in about
80 %), all given antibiotics: fever lasted a median of 34 hours after admission (mean 39 h); 26 % were still
febrile at 48 h, 13 % at 72 h.

Model: the shared treated bacterial infection (:func:`~neuroimmune.studies._scenarios.treated_bacterial`): hours of
fever (>= 38.0 degC) after the antibiotic starts (the last fall below 38.0 degC, interpolated between hourly outputs,
:func:`neuroimmune.outcomes.last_time_at_or_above`), against the median. Band from the study's own survival curve:
the binomial 95 % error of the 50 % point in 70 people (+/- 11.7 points), turned into hours by the curve's slope
between 34 h and 48 h (24 points in 14 h).

Fitted, with Halm 1998: how long fever outlasts the kill is how fast the tissue recovers (``k_td_res``,
:mod:`neuroimmune.model.mechanisms.pathogen`); the residual is the difference over half the band (2 sigma).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .. import data, outcomes
from ._base import Row, Study, simulate_arm, within
from ._compare import hours_after_antibiotic
from ._scenarios import TREATED_DAYS, treated_bacterial

STUDY = Study(
    id="behr1996",
    citation="Behr MA, Drummond R, Libman MD, Delaney JS, Dylewski JS. Fever duration in hospitalized acute "
             "pyelonephritis patients. Am J Med 1996;101:277-280.",
    how_read="second-hand: Relias Media abstract-and-commentary summaries (see the data file's header)",
    data=("bacterial/behr1996_fever_after_antibiotics",),
    fitted=True,
    cluster="bacterial infection",
)
N = 70
MEASURES = "pyelonephritis on antibiotics: hours of fever after treatment starts"
TOLERANCE = "binomial error of the median point, by the survival curve's slope"


def _band(curve) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Median hours and the half-width of its 95 % band from the survival curve."""
    h, s = curve.hours.to_numpy(), curve.share_febrile.to_numpy()
    slope = (s[0] - s[1]) / (h[1] - h[0])  # share per hour just after the median
    return float(h[0]), 1.96 * float(np.sqrt(0.25 / N)) / slope


def _hours(values: Mapping[str, float]) -> float:
    obs = simulate_arm(treated_bacterial(days=TREATED_DAYS), values)
    return hours_after_antibiotic(obs, "temperature", outcomes.FEVER_C)


def rows(values: Mapping[str, float]) -> list[Row]:
    median, half = _band(data.load("bacterial/behr1996_fever_after_antibiotics").table)
    return [within(STUDY.id, "temperature", "hours of fever after the antibiotic starts (median)", _hours(values),
                   median, half,
                   "binomial 95 % error of the median point (n = 70) through the slope of the fever curve", True,
                   " h")]


def residuals(values: Mapping[str, float]) -> np.ndarray:
    median, half = _band(data.load("bacterial/behr1996_fever_after_antibiotics").table)
    return np.array([(_hours(values) - median) / (half / 2.0)])
