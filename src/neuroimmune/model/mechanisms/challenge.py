"""Challenge: intravenous endotoxin (LPS) in plasma.

.. math::

    \\frac{dE}{dt} = u_{LPS}(t) - k_E E

``E`` is endotoxin activity in ng per kg body weight; a bolus adds its dose to ``E`` at the time given, an
infusion enters as the rate ``u_LPS`` (ng/kg/h) while it runs. The human bolus and infusion studies fitted
this one-compartment form (Dobreva 2021; Windoloski 2024).
"""

from __future__ import annotations

from typing import Any

from ..state import State

#: Endotoxin infusion rate into plasma, ng/kg/h.
INPUTS = ("lps_rate",)

STATES = (State("E", "ng/kg", "plasma endotoxin activity", lambda p: 0.0),)


def rates(s: Any, p: Any, u: Any) -> dict[str, Any]:
    """Right-hand side of the endotoxin equation."""
    return {"E": u.lps_rate - p.k_E * s.E}
