"""Kiers et al. 2017, Sci Rep 7:40149: 1 ng/kg E. coli O:113 endotoxin as a bolus followed by 1 ng/kg/h for 3 h
(4 ng/kg in all), against the bolus-only models (1 and 2 ng/kg), in healthy men: the continuous model gave a more
pronounced cytokine increase and more prolonged symptoms and fever.

Direction-only findings (the abstract gives no magnitudes), compared with the 2 ng/kg bolus: peak ratios above 1,
and longer hours of fever (>= 38.0 degC, :data:`neuroimmune.outcomes.FEVER_C`) and of symptoms (fatigue at or above
its ill threshold, :data:`neuroimmune.outcomes.ILL_AT`).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .. import outcomes
from ._base import Row, Study, simulate_arm
from ._compare import above_row
from ._scenarios import bolus, infused

STUDY = Study(
    id="kiers2017",
    citation="Kiers D, Koch RM, Hamers L, Gerretsen J, Thijs EJM, van Ede L, Riksen NP, Kox M, Pickkers P. "
             "Characterization of a model of systemic inflammation in humans in vivo elicited by continuous "
             "infusion of endotoxin. Sci Rep 2017;7:40149.",
    doi="10.1038/srep40149",
    how_read="abstract (peeref record): directions only",
    cluster="dose-response",
)
MEASURES = "1 ng/kg + 1 ng/kg/h x 3 h vs 2 ng/kg bolus: cytokine peaks, hours of fever and symptoms"
TOLERANCE = "sign of the difference (direction only)"

# "resulted in a more pronounced increase in plasma cytokine levels with different kinetics and more prolonged
# symptoms and fever compared with the bolus-only models"
BOLUS, RATE, HOURS = 1.0, 1.0, 3.0  # ng/kg, ng/kg/h, h
REASON = "more pronounced cytokines, more prolonged symptoms and fever than the bolus-only models (direction only)"


def rows(values: Mapping[str, float]) -> list[Row]:
    cont = simulate_arm(infused(RATE * HOURS, HOURS, duration=24.0, bolus=BOLUS), values)
    shot = simulate_arm(bolus(dose=2.0, duration=24.0), values)
    out = [above_row(STUDY.id, name, "peak, continuous / 2 ng/kg bolus", np.max(cont[name]) / np.max(shot[name]),
                     1.0, REASON) for name in ("tnf", "il6")]
    for name, level, what in (("temperature", outcomes.FEVER_C, "fever"),
                              ("fatigue", outcomes.ILL_AT["fatigue"], "symptoms")):
        longer = (outcomes.hours_at_or_above(cont[name], cont["time"], level)
                  - outcomes.hours_at_or_above(shot[name], shot["time"], level))
        out.append(above_row(STUDY.id, name, f"hours of {what}, continuous - 2 ng/kg bolus (h)", longer, 0.0,
                             REASON))
    return out
