"""Michie et al. 1988, N Engl J Med 318:1481-1486: 4 ng/kg endotoxin in healthy men; ibuprofen given before the
endotoxin abolished the febrile response (abstract). Held out."""

from __future__ import annotations

from collections.abc import Mapping

from ._base import Row, Study, simulate_course
from ._scenarios import IBUPROFEN_PRETREATMENT, pretreated_bolus

STUDY = Study(
    id="michie1988",
    citation="Michie HR, Manogue KR, Spriggs DR, et al. Detection of circulating tumor necrosis factor after "
             "endotoxin administration. N Engl J Med 1988;318:1481-1486.",
    doi="10.1056/NEJM198806093182301",
    how_read="abstract: ibuprofen pre-treatment abolished fever after 4 ng/kg",
    cluster="interventions",
)


def rows(values: Mapping[str, float]) -> list[Row]:
    control = simulate_course(pretreated_bolus(4.0, []), values)
    ibu = simulate_course(pretreated_bolus(4.0, [IBUPROFEN_PRETREATMENT]), values)
    t0 = float(control["temperature"][0])
    ratio = (float(ibu["temperature"].max()) - t0) / (float(control["temperature"].max()) - t0)
    return [Row(STUDY.id, "temperature", "fever rise with / without ibuprofen", ratio, 0.0, 0.0, 0.5, "<= 0.5",
                "ibuprofen abolished the febrile response to 4 ng/kg LPS", False)]
