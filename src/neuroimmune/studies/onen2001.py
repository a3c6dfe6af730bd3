"""Onen et al. 2001, J Sleep Res 10:35-42: 9 men, 40 h of total sleep deprivation: mechanical pain tolerance
thresholds (pressure dolorimeter) fell 8 % from baseline (significant); thermal thresholds did not change.

The model has pressure pain thresholds but no pain-tolerance threshold (the most pressure a person accepts, a
different end point), so the row keeps the published fall with the model NaN; band from the significance, within
(2 x -8 %, 0).
"""

from __future__ import annotations

from collections.abc import Mapping

from ._base import Row, Study
from ._compare import missing_row

STUDY = Study(
    id="onen2001",
    citation="Onen SH, Alloui A, Gross A, Eschallier A, Dubray C. The effects of total sleep deprivation, selective "
             "sleep interruption and sleep recovery on pain tolerance thresholds in healthy subjects. J Sleep Res "
             "2001;10:35-42.",
    how_read="abstract (ACNP search index record)",
    cluster="sleep loss",
)
N = 9
MEASURES = "40 h awake: mechanical pain tolerance threshold"
TOLERANCE = "within (2 x fall, 0) from its significance"

# "Relative to baseline levels, TSD decreased significantly mechanical pain thresholds (-8%)."
FALL = -8.0  # % of baseline


def rows(values: Mapping[str, float]) -> list[Row]:
    return [missing_row(STUDY.id, "pain_tolerance", "mechanical pain tolerance threshold after 40 h awake (%)", FALL,
                        2 * FALL, 0.0, "significant fall: within (2 x fall, 0); the model has no pain-tolerance "
                        "threshold")]
