"""Pernerstorfer et al. 1999, Clin Pharmacol Ther 66:51-57: paracetamol (acetaminophen) 1 g in 4 ng/kg
endotoxemia lowered the peak temperature from 38.5 to 37.6 degC and left the cytokines unchanged. In-sample for
the temperature (the paracetamol set-point parameters, source pernerstorfer1999, were chosen for it); held out for
TNF."""

from __future__ import annotations

from collections.abc import Mapping

from ._base import Row, Study, simulate_course, within
from ._scenarios import pretreated_bolus

STUDY = Study(
    id="pernerstorfer1999",
    citation="Pernerstorfer T, Schmid R, Bieglmayer C, Eichler HG, Kapiotis S, Jilma B. Acetaminophen has greater "
             "antipyretic efficacy than aspirin in endotoxemia: a randomized, double-blind, placebo-controlled "
             "trial. Clin Pharmacol Ther 1999;66:51-57.",
    doi="10.1016/S0009-9236(99)70053-6",
    how_read="abstract: peak temperatures 38.5 (placebo) and 37.6 degC (paracetamol); cytokines unchanged",
    cluster="interventions",
)


def rows(values: Mapping[str, float]) -> list[Row]:
    control = simulate_course(pretreated_bolus(4.0, []), values)
    para = simulate_course(pretreated_bolus(4.0, [{"kind": "paracetamol", "dose": "1 g", "start": "1 h"}]), values)
    return [
        within(STUDY.id, "temperature", "peak temperature change with paracetamol 1 g",
               float(para["temperature"].max() - control["temperature"].max()), -0.9, 0.4,
               "38.5 vs 37.6 degC peaks; about 2 SEM of a small crossover trial", True, " degC"),
        within(STUDY.id, "tnf", "TNF peak ratio with / without paracetamol",
               float(para["tnf"].max() / control["tnf"].max()), 1.0, 0.1, "cytokines were unchanged", False),
    ]
