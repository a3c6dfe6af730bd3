"""Benson et al. 2012, Pain 153:794-799: 0.4 ng/kg LPS in healthy men (crossover with saline, n = 11); rectal
sensory and pain thresholds (visceral pain) fell at 2 h against saline (both P < 0.05), and the pain threshold
went with IL-6.

Read from the abstract: direction only, no magnitude. Held out: the visceral (abdomen) threshold falls at 2 h
after 0.4 ng/kg, by more than 1 % (a fall, not round-off) and less than the 26 % fall of the lower back after
2 ng/kg (de Goeij 2013; a fifth of that dose).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ._base import Row, Study, at, between, simulate_arm
from ._scenarios import bolus

STUDY = Study(
    id="benson2012",
    citation="Benson S, Kattoor J, Wegner A, et al. Acute experimental endotoxemia induces visceral "
             "hypersensitivity and altered pain evaluation in healthy humans. Pain 2012;153:794-799.",
    doi="10.1016/j.pain.2011.12.001",
    how_read="abstract: rectal sensory and pain thresholds lower at 2 h than with saline (direction only)",
    cluster="visceral pain",
)


def rows(values: Mapping[str, float]) -> list[Row]:
    obs = simulate_arm(bolus(dose=0.4, duration=8.0), values)
    change = float(at(obs, "ppt_change", np.array([2.0]), "abdomen")[0])
    return [between(STUDY.id, "ppt_change[abdomen]", "visceral threshold change at 2 h, 0.4 ng/kg (%)", change,
                    float("nan"), -26.0, -1.0, "direction only (P < 0.05 against saline); less than the lower "
                    "back's fall after five times the dose", False, "-26 to -1 %")]
