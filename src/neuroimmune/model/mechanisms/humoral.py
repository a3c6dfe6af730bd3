"""Immune-to-brain signalling, the humoral route of the neuroimmune synapse.

Plasma TNF and IL-6 induce cyclo-oxygenase-2 in brain endothelium, whose prostaglandin E2 raises the
hypothalamic set point and drives sickness behaviour (the step where NSAIDs act). A slower central cytokine
signal follows it: IL-6 in cerebrospinal fluid rises with a latency of hours after low-dose LPS in humans and
tracks worse mood (Engler 2017). Both signals are dimensionless indices, 0 at baseline.

.. math::

    \\dot P &= k_{PGE} \\left( g_C \\{\\tfrac12 [f(TNF^+; x_{PGE,TNF}, 1) + f(IL6^+; x_{PGE,6}, 1)]
              + a_{PGE,E} f(E; x_{ME}, h_{ME})\\} - P \\right) \\\\
    \\dot C &= k_{CSF} (P - C)

``TNF+`` and ``IL6+`` are the rises above the resting levels; ``g_C`` is the host's central transduction gain (sex).
Circulating endotoxin also acts on brain endothelium directly (TLR4 and CD14 of the circumventricular organs
and brain vessels induce COX-2 without cytokines, Rivest 2003), sensed like the monocytes' (``x_ME``, ``h_ME``)
with weight ``a_pge_E``: a larger dose keeps endotoxin above its threshold longer, so fever lasts longer with dose.
During a viral infection type I interferon adds to the drive (``a_pge_ifn``; interferon-alpha is pyrogenic
through COX-2), and the whole drive is scaled by ``1 - COX inhibition`` by ibuprofen
(:mod:`neuroimmune.model.pharmacology`; paracetamol acts downstream, on the set point only).
"""

from __future__ import annotations

from typing import Any

from ..functions import hill_up, pos
from ..state import State
from . import innate, pharmacology

STATES = (
    State("PGE2", "1", "brain-endothelial COX-2/prostaglandin E2 signal", lambda p: 0.0),
    State("CNS_IL6", "1", "central (cerebrospinal fluid) IL-6 signal", lambda p: 0.0),
)


def rates(s: Any, p: Any, u: Any) -> dict[str, Any]:
    """Right-hand sides of the PGE2 and central IL-6 signals."""
    drive = p.g_central * (
        0.5 * (hill_up(pos(s.TNF - p.tnf_0), p.x_pge_tnf, 1.0)
               + hill_up(pos(s.IL6 - innate.il6_rest(p)), p.x_pge_6, 1.0))
        + p.a_pge_ifn * hill_up(s.IFN, 1.0, 1.0)
        + p.a_pge_E * hill_up(s.E, p.x_ME, p.h_ME)
    ) * (1.0 - pharmacology.cox_peripheral(s, p))
    return {
        "PGE2": p.k_pge_eff * (drive - s.PGE2),
        "CNS_IL6": p.k_csf * (s.PGE2 - s.CNS_IL6),
    }
