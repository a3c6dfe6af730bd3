"""Grigoleit et al. 2011, PLoS One 6:e28330: E. coli endotoxin 0.4 ng/kg (18 men) or 0.8 ng/kg (16 men) against
placebo (crossover): temperature, heart rate, the fall in mood and the rise in anxiety were all dose-related.

Direction-only findings (the abstract gives no magnitudes): each response at 0.8 ng/kg over the same at 0.4 ng/kg
must exceed 1. The model has no anxiety observable.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ._base import Row, Study, simulate_arm
from ._compare import above_row, rise
from ._scenarios import bolus

STUDY = Study(
    id="grigoleit2011",
    citation="Grigoleit JS, Kullmann JS, Wolf OT, Hammes F, Wegner A, Jablonowski S, Engler H, Gizewski E, "
             "Oberbeck R, Schedlowski M. Dose-dependent effects of endotoxin on neurobehavioral functions in "
             "humans. PLoS One 2011;6:e28330.",
    doi="10.1371/journal.pone.0028330",
    how_read="abstract (PubMed): directions only",
    cluster="mood vs sickness",
)
N = 34
MEASURES = "0.8 vs 0.4 ng/kg: temperature, heart rate and mood fall, dose-related"
TOLERANCE = "ratio 0.8 / 0.4 ng/kg above 1 (direction only)"

# "a profound transient physiological response with dose-related elevations in body temperature and heart rate";
# "These changes were accompanied by dose-related decreased mood and increased anxiety levels."
REASON = "dose-related between 0.4 and 0.8 ng/kg (direction only)"


def _responses(values: Mapping[str, float], dose: float) -> dict[str, float]:
    obs = simulate_arm(bolus(dose=dose, duration=12.0), values)
    return {"temperature": rise(obs, "temperature"), "heart_rate": rise(obs, "heart_rate"),
            "mood": 1.0 - float(np.min(obs["mood"]))}


def rows(values: Mapping[str, float]) -> list[Row]:
    low, high = _responses(values, 0.4), _responses(values, 0.8)
    what = {"temperature": "temperature rise", "heart_rate": "heart-rate rise", "mood": "mood fall"}
    return [above_row(STUDY.id, name, f"{what[name]}, 0.8 / 0.4 ng/kg", high[name] / low[name], 1.0, REASON)
            for name in what]
