"""Greisman et al. 1964, J Exp Med 119:241: daily intravenous endotoxin in healthy men (Salmonella typhosa
0.5 ug/day in 5 men, Pseudomonas endotoxin in 4); a second injection 7 days after the first gave reduced pyrogenic
reactivity (some men were hyper-reactive to a second injection at 24 h).

Qualitative and with non-reference endotoxins given in ug, so the model gives both injections as its 2 ng/kg
reference dose (a fully pyrogenic dose) and compares the fever rise of the second injection with the first. A
reduction counts when the ratio is below 0.9: a tenth of the rise is about the SEM of a fever rise in five men
(SD 0.45 degC, Janum 2016, on a rise of about 2 degC). The 24-h hyper-reactivity of "some" subjects says nothing
about the mean and is not compared.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..scenarios import Endotoxin, Infusion, Scenario
from ._base import Row, Study, simulate_arm
from ._compare import below_row, rise

STUDY = Study(
    id="greisman1964",
    citation="Greisman SE, et al. (authors not shown on the page read). Mechanisms of endotoxin tolerance. II. "
             "Relationship between endotoxin tolerance and reticuloendothelial system phagocytic activity in man. "
             "J Exp Med 1964;119:241 ff.",
    how_read="abstract (journal page): direction only",
    cluster="tolerance",
)
N = 5
MEASURES = "a second injection 7 days after the first: fever rise, second / first"
TOLERANCE = "below 0.9 (a reduction of about one SEM of a fever rise in 5 men)"

SECOND_AT = 7 * 24.0  # h
# "reduced reactivity to a second injection of endotoxin given 7 days after the initial dose"
THRESHOLD = 0.9
PUSH = 0.05  # h: the second injection as a 3-minute push


def two_injections(dose: float = 2.0) -> Scenario:
    """A bolus at 0 h and the same dose again on day 7 (a scenario holds one bolus and one infusion, so the second
    is a 3-minute infusion, which is how a bolus is pushed)."""
    again = Infusion(rate=dose / PUSH, duration=PUSH, start=SECOND_AT)
    return Scenario(challenge=Endotoxin(dose=dose, infusion=again), duration=SECOND_AT + 12.0, output_step=0.1)


def rows(values: Mapping[str, float]) -> list[Row]:
    obs = simulate_arm(two_injections(), values)
    ratio = rise(obs, "temperature", SECOND_AT) / rise(obs, "temperature", 0.0, 24.0)
    return [below_row(STUDY.id, "temperature", "fever rise, injection on day 7 / first injection", ratio, THRESHOLD,
                      "reduced pyrogenic reactivity at 7 days (qualitative; 0.9 is about one SEM in 5 men)")]
