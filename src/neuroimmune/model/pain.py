"""Pain processing: peripheral and central sensitisation, thresholds by body region, and felt back ache.

Two routes lower the pressure pain threshold (deep-tissue, muscle) during systemic inflammation:

* peripheral: plasma TNF sensitises muscle nociceptors within an hour (rat: TNF- and IL-6-receptor-mediated
  muscle hyperalgesia after LPS) and recovers within hours of the cytokines falling;
* central: the delayed central cytokine signal recruits spinal glia, which raise dorsal-horn gain and decay
  slowly, so the threshold stays low at 6 h when plasma cytokines are back near baseline (Janum 2016).

.. math::

    \\dot S_P &= k_{pn,on} f(TNF^+; x_{pn}, h_{pn}) (1 - S_P) - k_{pn,off} S_P \\\\
    \\dot G &= k_{g,on} f(C; x_g, h_g) (1 - G) - k_{g,off} G \\\\
    \\sigma_r &= g_r (a_P S_P + a_C G), \\qquad
    \\text{ppt\\_change}_r = 100 \\left( \\frac{1}{1 + \\sigma_r} - 1 \\right) \\\\
    \\text{back\\_pain} &= 10\\, f(\\sigma_{lower\\_back}; x_{ache}, 2)

The regional gains ``g_r`` are fitted (lower back, mid back, neck: de Goeij 2013) or set to the reference
gain 1 where no regional data exist; no region is a special case in code.
"""

from __future__ import annotations

from typing import Any

from .functions import hill_up, pos
from .state import Observable, State

#: Body regions of the body map, each with the parameter holding its gain.
REGIONS: dict[str, str] = {
    "lower_back": "g_lower_back",
    "mid_back": "g_mid_back",
    "neck": "g_neck",
    "thigh": "g_thigh",
    "calf": "g_calf",
    "forearm": "g_forearm",
}

STATES = (
    State("S_P", "1", "peripheral (nociceptor) sensitisation, fraction of maximum", lambda p: 0.0),
    State("GLIA", "1", "spinal glial activation, fraction of maximum", lambda p: 0.0),
)

OBSERVABLES = (
    Observable("ppt_change", "percent", "pressure pain threshold change from baseline", ("region",)),
    Observable("back_pain", "1", "lower back ache rating (0 none - 10 worst imaginable)"),
)


def rates(s: Any, p: Any, u: Any) -> dict[str, Any]:
    """Right-hand sides of the two sensitisation states."""
    return {
        "S_P": p.k_pn_on * hill_up(pos(s.TNF - p.tnf_0), p.x_pn, p.h_pn) * (1.0 - s.S_P) - p.k_pn_off * s.S_P,
        "GLIA": p.k_glia_on * hill_up(s.CNS_IL6, p.x_glia, p.h_glia) * (1.0 - s.GLIA) - p.k_glia_off * s.GLIA,
    }


def sensitisation(s: Any, p: Any, region: str) -> Any:
    """Sensitisation index sigma of one region (0 at baseline)."""
    return getattr(p, REGIONS[region]) * (p.a_peripheral * s.S_P + p.a_central * s.GLIA)


def observables(s: Any, p: Any) -> dict[str, Any]:
    """Threshold change for each region (in :data:`REGIONS` order) and the back ache rating."""
    ppt = [100.0 * (1.0 / (1.0 + sensitisation(s, p, r)) - 1.0) for r in REGIONS]
    return {
        "ppt_change": ppt,
        "back_pain": 10.0 * hill_up(sensitisation(s, p, "lower_back"), p.x_ache, 2.0),
    }
