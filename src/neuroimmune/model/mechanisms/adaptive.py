"""Adaptive immunity and memory: one effector level for antibodies and effector T cells.

.. math::

    \\dot{AG} &= k_{ag,on} f(\\text{antigen}; 1, 1) (1 - AG) - k_{ag,off} AG \\\\
    \\dot{AD} &= k_{ad}\\, AG\\, (m + AD)(1 - AD) - k_{ad,off} AD

``AG`` is antigen presented in lymph nodes: dendritic cells keep presenting for days after the antigen is gone
from the tissue, and primed T cells go on dividing without it (programmed expansion), so an antiviral that
lowers the titre does not stop the adaptive response that ends the infection.

``m`` is the precursor frequency: tiny in a naive host, so that expansion from it takes about a week, and larger
after earlier infections or vaccine doses with the same antigen, so that a recall response is faster
(immunological memory). Antibodies left from those exposures set the starting level ``AD(0)``, waning with their
half-life (:func:`neuroimmune.model.host.memory`). ``AD`` clears virus, infected cells and bacteria (see
:mod:`neuroimmune.model.pathogen`), and, while antigen is present, effector cells make TNF (the later TNF of
influenza, Hayden 1998; the stronger systemic reaction to a second vaccine dose).
"""

from __future__ import annotations

from typing import Any

from ..functions import hill_up
from ..state import State
from . import pathogen

STATES = (
    State("AG", "1", "antigen presented in lymph nodes, fraction of maximum", lambda p: 0.0),
    State("AD", "1", "adaptive effector level (antibodies and effector T cells), fraction of maximum",
          lambda p: p.ad_0),
)


def antigen_drive(s: Any, p: Any) -> Any:
    """Saturating antigen signal, 0-1."""
    return hill_up(pathogen.antigen(s, p), 1.0, 1.0)


def effector_tnf(s: Any, p: Any) -> Any:
    """TNF made by antigen-stimulated effector cells, pg/mL/h."""
    return p.k_TNF_AD * s.AD * antigen_drive(s, p)


def rates(s: Any, p: Any, u: Any) -> dict[str, Any]:
    """Right-hand side of the adaptive effector level."""
    return {
        "AG": p.k_ag_on * antigen_drive(s, p) * (1.0 - s.AG) - p.k_ag_off * s.AG,
        "AD": p.k_ad * s.AG * (p.m_prec + s.AD) * (1.0 - s.AD) - p.k_ad_off * s.AD,
    }
