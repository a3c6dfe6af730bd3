"""Faraut et al. 2015, PLoS One 10:e0117425: 11 men, one night restricted to 2 h of sleep: the heat pain threshold
at the LOWER BACK fell from 44.1 to 42.6 degC the next morning (significant) and recovered after a free night; the
lower-back pressure pain threshold did not change significantly (1369 against 1349 kPa, SEM 434 and 372).

The model's thresholds are pressure thresholds; it has no heat-pain modality, so the heat row keeps the published
fall with the model NaN (band from the significance: within (2 x -1.5, 0) degC). The pressure finding is not
compared: with SEMs of a third of the mean, 2 SEM would accept any model value.
"""

from __future__ import annotations

from collections.abc import Mapping

from ._base import Row, Study
from ._compare import missing_row

STUDY = Study(
    id="faraut2015",
    citation="Faraut B, Leger D, Medkour T, Dubois A, Bayon V, Chennaoui M, Perrot S. Napping reverses increased "
             "pain sensitivity due to sleep restriction. PLoS One 2015;10:e0117425.",
    doi="10.1371/journal.pone.0117425",
    how_read="table 1 (lower back; PMC4344341), mean +/- SEM",
    cluster="sleep loss",
)
N = 11
MEASURES = "one night of 2 h: lower-back heat pain threshold"
TOLERANCE = "within (2 x fall, 0) from its significance"

# Table 1, lower back, 10:00: "Heat pain threshold | 44.1 | 44.1 | 42.6* | 42.7* | 43.9 | 44.6" (control,
# post-restriction, recovery; * significant against control)
HEAT_THRESHOLD = (44.1, 42.6)  # degC, control and after the restricted night


def rows(values: Mapping[str, float]) -> list[Row]:
    fall = HEAT_THRESHOLD[1] - HEAT_THRESHOLD[0]
    return [missing_row(STUDY.id, "heat_pain_threshold[lower_back]", "lower-back heat pain threshold after one night "
                        "of 2 h (degC)", fall, 2 * fall, 0.0,
                        "significant fall: within (2 x fall, 0); the model has no heat-pain threshold")]
