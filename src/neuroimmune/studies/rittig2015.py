"""Rittig et al. 2015, Shock 44:32-35: two endotoxin exposures at least five weeks apart in healthy men gave no
detectable difference in hormone and cytokine responses (the authors allow a minute degree of tolerance).

Read from the authors' reply letter (numbers not reached). Held out: the second TNF response must be at least
80 % of the first (no detectable tolerance, with room for a minute one) and not larger than 110 %.
"""

from __future__ import annotations

from collections.abc import Mapping

from ._base import Row, Study, between
from ._repeat import response_ratio

STUDY = Study(
    id="rittig2015",
    citation="Rittig N, Thomsen HH, Bach E, Jorgensen JOL, Moller N. Hormone and cytokine responses to repeated "
             "endotoxin exposures: no evidence of endotoxin tolerance after 5 weeks in humans. Shock 2015;44:32-35.",
    doi="10.1097/SHK.0000000000000384",
    how_read="the authors' reply letter: no detectable difference between the two exposures (direction only)",
    cluster="tolerance",
)

WEEKS_5 = 5 * 7 * 24.0


def rows(values: Mapping[str, float]) -> list[Row]:
    tnf = response_ratio(values, "tnf", 2.0, WEEKS_5, 2)
    return [between(STUDY.id, "tnf", "second / first rise, five weeks apart", tnf, 1.0, 0.8, 1.1,
                    "no detectable tolerance at five weeks; a minute degree allowed", False)]
