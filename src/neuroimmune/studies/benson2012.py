"""Benson et al. 2012, Pain 153:794-799: 0.4 ng/kg E. coli endotoxin against saline in 11 men (crossover): 2 h
after the injection both the sensory and the pain thresholds to rectal distension (barostat) were lower (both
P < 0.05), the pain threshold in step with IL-6, and the distensions felt more unpleasant.

Visceral hyperalgesia at a low dose, compared on the body map's visceral region (``abdomen``). The abstract gives
directions only (no mmHg), so the row is the direction: the visceral threshold falls at 2 h, by more than 1 % (a
fall, not round-off) and by less than the lower back's 26 % after five times the dose (de Goeij 2013).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ._base import Row, Study, at, between, simulate_arm
from ._scenarios import bolus

STUDY = Study(
    id="benson2012",
    citation="Benson S, Kattoor J, Wegner A, Hammes F, Reidick D, Grigoleit JS, Engler H, Oberbeck R, Schedlowski M, "
             "Elsenbruch S. Acute experimental endotoxemia induces visceral hypersensitivity and altered pain "
             "evaluation in healthy humans. Pain 2012;153:794-799.",
    doi="10.1016/j.pain.2011.12.001",
    how_read="abstract (PubMed mirror): directions and P values only",
    cluster="visceral pain",
)
N = 11
MEASURES = "0.4 ng/kg: rectal sensory and pain thresholds lowered at 2 h"
TOLERANCE = "direction: a fall of 1-26 % (no magnitude in the abstract)"

# "significantly decreased visceral sensory and pain thresholds (both P<.05) compared to saline control"


def rows(values: Mapping[str, float]) -> list[Row]:
    obs = simulate_arm(bolus(dose=0.4, duration=8.0), values)
    change = float(at(obs, "ppt_change", np.array([2.0]), "abdomen")[0])
    return [between(STUDY.id, "ppt_change[abdomen]", "visceral pain threshold change at 2 h, 0.4 ng/kg (%)", change,
                    -1.0, -26.0, -1.0, "significantly lower than after saline (P < 0.05), direction only; less "
                    "than the lower back's fall after five times the dose", False, "a fall of 1-26 %")]
