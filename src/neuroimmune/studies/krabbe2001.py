"""Krabbe et al. 2001 (PMC96058): 2 ng/kg E. coli endotoxin in 9 elderly (median 66 y) and
8 young (median 24 y) healthy volunteers: the elderly had a more prolonged fever and larger initial increases in
TNF.

Direction-only findings (the abstract gives no magnitudes): the hours at or above 37.5 degC (the ill threshold of
temperature, :data:`neuroimmune.outcomes.ILL_AT`) and the TNF peak, elderly against young.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .. import outcomes
from ._base import Row, Study, simulate_arm
from ._compare import above_row
from ._scenarios import bolus

STUDY = Study(
    id="krabbe2001",
    citation="Krabbe KS, et al. Ageing is associated with a prolonged fever response in human endotoxemia. "
             "2001 (PMC96058; journal believed to be Clin Diagn Lab Immunol, volume and pages not verified).",
    how_read="abstract (PMC96058): directions only; author list beyond the first author not shown on the page",
    cluster="host factors",
)
N = 17
MEASURES = "2 ng/kg, 66 vs 24 years: hours of fever and TNF peak"
TOLERANCE = "sign of the difference (direction only)"

# "The elderly subjects showed a more prolonged fever response compared to the young controls."
# "The elderly group showed larger initial increases in TNF-alpha and sTNFR-I levels"
AGES = {"elderly": 66.0, "young": 24.0}


def rows(values: Mapping[str, float]) -> list[Row]:
    old = simulate_arm(bolus(age=AGES["elderly"], duration=24.0), values)
    young = simulate_arm(bolus(age=AGES["young"], duration=24.0), values)
    level = outcomes.ILL_AT["temperature"]
    longer = (outcomes.hours_at_or_above(old["temperature"], old["time"], level)
              - outcomes.hours_at_or_above(young["temperature"], young["time"], level))
    return [
        above_row(STUDY.id, "temperature", "hours at or above 37.5 degC, 66 y - 24 y (h)", longer, 0.0,
                  "more prolonged fever in the elderly (direction only)"),
        above_row(STUDY.id, "tnf", "TNF peak, 66 y / 24 y", float(np.max(old["tnf"]) / np.max(young["tnf"])), 1.0,
                  "larger initial TNF increase in the elderly (direction only)"),
    ]
