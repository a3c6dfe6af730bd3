"""The hepatic acute-phase response: C-reactive protein (CRP), the inflammation marker of every clinic.

IL-6 is the cytokine that induces CRP in human hepatocytes (Castell 1989: IL-6 alone, not TNF or IL-1, induced
it in primary human hepatocytes). Hepatocytes answer with a delay of hours (transcription, synthesis and
secretion; CRP begins to rise about 6 h after a stimulus, Pepys 2003), which the signal ``H`` carries: plasma
IL-6 as the liver has integrated it. CRP is made in proportion to that signal and cleared at one fractional rate,
the same in health and disease (half-life 19 h, Vigushin 1993, labelled human CRP):

.. math::

    \\dot H = k_{hep} (IL6 - H), \\qquad
    \\dot{CRP} = k_{CRP} \\left( CRP_0 \\frac{H}{IL6_0} - CRP \\right)

``CRP_0`` is the resting CRP at the reference resting IL-6 ``IL6_0``: a habitual sleep shortfall, which keeps
resting IL-6 higher (:func:`neuroimmune.model.mechanisms.innate.il6_rest`), keeps CRP higher in proportion. With
the half-life measured and the delay set from the time CRP starts to rise, the one free value is ``CRP_0``,
fitted to the peak after 1 ng/kg in 193 volunteers (Ferguson 2013); the peak time after 0.8 ng/kg (Engler 2023),
CRP after sleep restriction (van Leeuwen 2009) and the sex difference (Ferguson 2013) are held out. CRP feeds
nothing back: it is a read-out of the IL-6 the model already makes.
"""

from __future__ import annotations

from typing import Any

from ..state import Observable, State
from . import innate

STATES = (
    State("HEP", "pg/mL", "IL-6 signal reaching hepatocytes (plasma IL-6 delayed by transcription and secretion)",
          lambda p: innate.il6_rest(p)),
    State("CRP", "mg/L", "plasma C-reactive protein", lambda p: p.crp_0 * innate.il6_rest(p) / p.il6_0),
)

#: CRP as an observable, read straight from its state.
STATE_OBSERVABLES = (
    Observable("crp", "mg/L", "plasma C-reactive protein (CRP)", state="CRP", group="acute_phase"),
)


def rates(s: Any, p: Any, u: Any) -> dict[str, Any]:
    """Right-hand sides of the hepatic IL-6 signal and plasma CRP."""
    return {
        "HEP": p.k_hep * (s.IL6 - s.HEP),
        "CRP": p.k_crp * (p.crp_0 * s.HEP / p.il6_0 - s.CRP),
    }
