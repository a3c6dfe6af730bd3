"""Zwaag et al. 2022, Psychosom Med 84:457-467: cold exposure training alone did not change the cytokine response
to 2 ng/kg endotoxin (p = 0.77), where the breathing exercise did. In-sample: the cold-exposure effect was set
from it."""

from __future__ import annotations

from collections.abc import Mapping

from ._base import Row, Study, simulate_course
from ._scenarios import pretreated_bolus

STUDY = Study(
    id="zwaag2022",
    citation="Zwaag J, Naaktgeboren R, van Herwaarden AE, Pickkers P, Kox M. The effects of cold exposure training "
             "and a breathing exercise on the inflammatory response in humans: a pilot study. Psychosom Med "
             "2022;84:457-467.",
    doi="10.1097/PSY.0000000000001065",
    how_read="abstract: cold training alone, no change in the cytokine response (p = 0.77)",
    cluster="interventions",
)


def rows(values: Mapping[str, float]) -> list[Row]:
    control = simulate_course(pretreated_bolus(2.0, []), values)
    cold = simulate_course(pretreated_bolus(2.0, [{"kind": "cold_exposure", "hours_per_day": "0.5 h",
                                                    "start": "1.5 h"}]), values)
    return [Row(STUDY.id, "tnf", "TNF peak ratio, cold training alone / control",
                float(cold["tnf"].max() / control["tnf"].max()), 1.0, 0.85, 1.0, "0.85-1.0",
                "cold training alone did not change the cytokine response (p = 0.77)", True)]
