"""Martich et al. 1991, J Exp Med 173:1021-1024: 4 ng/kg endotoxin with and without ibuprofen pre-treatment; the
TNF area was 4.2 times larger with ibuprofen. In-sample: the rise of TNF production at full COX inhibition
(parameters.yaml, source martich1991) was set from it."""

from __future__ import annotations

from collections.abc import Mapping

from ._base import Row, Study, simulate_course
from ._course import auc
from ._scenarios import IBUPROFEN_PRETREATMENT, pretreated_bolus

STUDY = Study(
    id="martich1991",
    citation="Martich GD, Danner RL, Ceska M, Suffredini AF. Detection of interleukin 8 and tumor necrosis factor "
             "in normal humans after intravenous endotoxin: the effect of antiinflammatory agents. J Exp Med "
             "1991;173:1021-1024.",
    doi="10.1084/jem.173.4.1021",
    how_read="abstract: TNF area 4.2 times larger after ibuprofen pre-treatment",
    cluster="interventions",
)


def rows(values: Mapping[str, float]) -> list[Row]:
    control = simulate_course(pretreated_bolus(4.0, []), values)
    ibu = simulate_course(pretreated_bolus(4.0, [IBUPROFEN_PRETREATMENT]), values)
    tnf0 = float(control["tnf"][0])
    ratio = auc(ibu["tnf"], tnf0) / auc(control["tnf"], tnf0)
    return [Row(STUDY.id, "tnf", "TNF area with / without ibuprofen", ratio, 4.2, 1.5, 8.4, "1.5-8.4 x",
                "TNF area 4.2 times larger with ibuprofen; the direction is the finding, the size half to double",
                True)]
