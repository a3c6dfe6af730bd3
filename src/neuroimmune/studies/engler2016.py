"""Engler et al. 2016, Brain Behav Immun 52:18-26: 0.4 ng/kg E. coli endotoxin in 14 men and 14 women: women had
larger TNF and IL-6 increases, men a larger IL-10 increase; mood and state anxiety changed alike in both sexes.

Direction-only findings on the rises above baseline, women against men. The null finding on mood has no spread in
the abstract and no mood unit the model shares, so it is not compared (see moieni2015 for the sex difference at
0.8 ng/kg).
"""

from __future__ import annotations

from collections.abc import Mapping

from ._base import Row, Study, simulate_arm
from ._compare import above_row, below_row, rise
from ._scenarios import bolus

STUDY = Study(
    id="engler2016",
    citation="Engler H, et al. Men and women differ in inflammatory and neuroendocrine responses to endotoxin but "
             "not in the severity of sickness symptoms. Brain Behav Immun 2016;52:18-26.",
    doi="10.1016/j.bbi.2015.08.013",
    how_read="abstract (PubMed): directions only; full author list not shown on the page read",
    cluster="host factors",
)
N = 28
MEASURES = "0.4 ng/kg, women vs men: TNF, IL-6 (higher in women) and IL-10 (higher in men) rises"
TOLERANCE = "sign of the ratio (direction only)"

# "Women exhibited a more profound pro-inflammatory response with significantly higher increases in tumor necrosis
# factor (TNF)-alpha and interleukin (IL)-6"; "the LPS-induced increase in anti-inflammatory IL-10 was
# significantly higher in men"
DOSE = 0.4


def rows(values: Mapping[str, float]) -> list[Row]:
    women = simulate_arm(bolus(dose=DOSE, sex="female", duration=8.0), values)
    men = simulate_arm(bolus(dose=DOSE, duration=8.0), values)
    ratio = {name: rise(women, name) / rise(men, name) for name in ("tnf", "il6", "il10")}
    return [
        above_row(STUDY.id, "tnf", "women / men rise at 0.4 ng/kg", ratio["tnf"], 1.0, "higher in women (direction)"),
        above_row(STUDY.id, "il6", "women / men rise at 0.4 ng/kg", ratio["il6"], 1.0, "higher in women (direction)"),
        below_row(STUDY.id, "il10", "women / men rise at 0.4 ng/kg", ratio["il10"], 1.0, "higher in men (direction)"),
    ]
