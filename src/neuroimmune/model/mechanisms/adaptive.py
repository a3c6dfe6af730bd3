"""Adaptive immunity and memory: effector cells (in lymph nodes and blood, and in the infected tissue) and antibody.

.. math::

    \\dot{AG} &= k_{ag,on} f(\\text{antigen}; 1, 1) (1 - AG) - k_{ag,off} AG \\\\
    \\dot{AD} &= k_{ad}\\, AG\\, (m + AD)(1 - AD) - k_{ad,off} AD \\\\
    \\dot{AE} &= k_{ae} (AD - AE) \\\\
    \\dot{AB} &= k_{ab}\\, AD\\, (1 - AB) - k_{ab,off} AB

``AG`` is antigen presented in lymph nodes: dendritic cells keep presenting for days after the antigen is gone
from the tissue, and primed T cells go on dividing without it (programmed expansion), so an antiviral that
lowers the titre does not stop the adaptive response that ends the infection.

``AD`` is the effector level (effector T cells and antibody-secreting cells). ``m`` is the precursor frequency:
tiny in a naive host, so that expansion from it takes about a week, and larger after earlier infections or vaccine
doses with the same antigen, so that a recall response is faster (immunological memory). Effectors contract at
``k_ad,off`` once antigen presentation stops (days to weeks), leaving memory. While antigen is present, effector
cells meeting it make TNF (the later TNF of influenza, Hayden 1998) and interferon-gamma (the stronger systemic
reaction to a second mRNA vaccine dose, Bergamaschi 2021).

``AE`` is the effector level in the infected tissue: effector cells reach the infected airway by blood and
chemokine-guided homing, about a day after they appear (``1 / k_ae``); they kill infected cells.

``AB`` is antibody, made by the effector response and waning over months. It neutralises free virus, partly
blocks infection of new cells and opsonises bacteria (:mod:`neuroimmune.model.mechanisms.pathogen`). This is why
memory acts on the *kinetics* of a later infection rather than preventing it: months after vaccination the
antibody left is too little to stop a nasal inoculum in an average person, but the recall of memory cells and
antibody clears the infection sooner (faster clearance in vaccinated people, Kissler 2021). Effectors and antibody
left from earlier exposures set the starting levels ``AD(0) = AE(0)`` and ``AB(0)``
(:func:`neuroimmune.model.host.memory`).
"""

from __future__ import annotations

from typing import Any

from ..functions import hill_up
from ..state import State
from . import pathogen

STATES = (
    State("AG", "1", "antigen presented in lymph nodes, fraction of maximum", lambda p: 0.0),
    State("AD", "1", "adaptive effector level (effector T cells and antibody-secreting cells), fraction of maximum",
          lambda p: p.ad_0),
    State("AE", "1", "adaptive effector level in the infected tissue, fraction of maximum", lambda p: p.ad_0),
    State("AB", "1", "antibody level against the challenge's antigen, fraction of maximum", lambda p: p.ab_0),
)


def antigen_drive(s: Any, p: Any) -> Any:
    """Saturating antigen signal, 0-1."""
    return hill_up(pathogen.antigen(s, p), 1.0, 1.0)


def effector_tnf(s: Any, p: Any) -> Any:
    """TNF made by antigen-stimulated effector cells, pg/mL/h."""
    return p.k_TNF_AD * s.AD * antigen_drive(s, p)


def rates(s: Any, p: Any, u: Any) -> dict[str, Any]:
    """Right-hand sides of antigen presentation, the effector level and antibody."""
    return {
        "AG": p.k_ag_on * antigen_drive(s, p) * (1.0 - s.AG) - p.k_ag_off * s.AG,
        "AD": p.k_ad * s.AG * (p.m_prec + s.AD) * (1.0 - s.AD) - p.k_ad_off * s.AD,
        "AE": p.k_ae * (s.AD - s.AE),
        "AB": p.k_ab * s.AD * (1.0 - s.AB) - p.k_ab_off * s.AB,
    }
