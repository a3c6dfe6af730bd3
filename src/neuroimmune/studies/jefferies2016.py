"""Jefferies et al. 2016, Respirology 21:370-377: regular paracetamol (1 g four times daily) in influenza changed
neither temperature, symptoms, time to recovery nor shedding. Held out."""

from __future__ import annotations

from collections.abc import Mapping

from ..outcomes import course
from ._base import Row, Study, simulate_course, within
from ._scenarios import influenza

STUDY = Study(
    id="jefferies2016",
    citation="Jefferies S, Braithwaite I, Walker S, et al. Randomized controlled trial of the effect of regular "
             "paracetamol on influenza infection. Respirology 2016;21:370-377.",
    doi="10.1111/resp.12685",
    how_read="abstract: no difference in symptom scores or time to recovery",
    cluster="interventions",
)

PARACETAMOL = {"kind": "paracetamol", "dose": "1 g", "every": "6 h", "start": "24 h", "stop": "144 h"}


def rows(values: Mapping[str, float]) -> list[Row]:
    placebo = course(simulate_course(influenza("14 days"), values))
    treated = course(simulate_course(influenza("14 days", interventions=[PARACETAMOL]), values))
    return [within(STUDY.id, "back_pain", "days with back pain, paracetamol - placebo",
                   treated["days_with_back_pain"] - placebo["days_with_back_pain"], 0.0, 0.5,
                   "no difference in symptoms or time to recovery", False, " d")]
