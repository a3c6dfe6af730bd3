"""Kox et al. 2014, PNAS 111:7379-7384: volunteers trained in a breathing exercise with cold exposure and meditation
(12 trained, 12 controls) made about half the TNF and about three times the IL-10 after 2 ng/kg endotoxin.
In-sample: the breathing exercise's adrenaline effect (source kox2014) was set from it."""

from __future__ import annotations

from collections.abc import Mapping

from ._base import Row, Study, simulate_course, within
from ._scenarios import pretreated_bolus

STUDY = Study(
    id="kox2014",
    citation="Kox M, van Eijk LT, Zwaag J, et al. Voluntary activation of the sympathetic nervous system and "
             "attenuation of the innate immune response in humans. Proc Natl Acad Sci USA 2014;111:7379-7384.",
    doi="10.1073/pnas.1322174111",
    how_read="abstract and figures: TNF about half and IL-10 about threefold in trained volunteers",
    cluster="interventions",
)

BREATHING = {"kind": "breathing", "hours_per_day": "8 h", "start": "1.5 h"}


def rows(values: Mapping[str, float]) -> list[Row]:
    control = simulate_course(pretreated_bolus(2.0, []), values)
    breathe = simulate_course(pretreated_bolus(2.0, [BREATHING]), values)
    return [
        within(STUDY.id, "tnf", "TNF peak ratio, breathing exercise / control",
               float(breathe["tnf"].max() / control["tnf"].max()), 0.47, 0.2,
               "about half in trained volunteers (12 vs 12)", True),
        Row(STUDY.id, "il10", "IL-10 peak ratio, breathing exercise / control",
            float(breathe["il10"].max() / control["il10"].max()), 2.9, 1.5, 4.5, "1.5-4.5 x",
            "IL-10 rose earlier and about threefold higher", True),
    ]
