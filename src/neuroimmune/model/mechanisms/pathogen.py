"""Pathogens and antigen: a respiratory virus, a growing bacterium and a vaccine depot.

Virus (influenza, SARS-CoV-2): the target-cell-limited model with an eclipse phase that Baccam et al. (2006) fitted
to the titres of volunteers infected with influenza A, plus a type I interferon signal that lowers virion
production (Saenz 2010; Baccam's interferon variant) and clearance by the adaptive response ``AD``
(:mod:`neuroimmune.model.adaptive`). Target and infected cells are fractions of the initial target cells:

.. math::

    \\dot T_C &= -\\frac{\\beta T_C V}{1 + b_{AD} AD}, \\qquad \\dot I_1 = -\\dot T_C - k I_1, \\qquad
    \\dot I_2 = k I_1 - (\\delta + k_{I,AD} AD) I_2 \\\\
    \\dot V &= p\\, I_2 \\frac{1 - \\varepsilon_{AV}(t)}{1 + e_{IFN} F} - (c + c_{AD} AD) V \\\\
    \\dot F &= k_{F} (I_2 / x_{F} + w_{F,D} D + w_{F,AD} AD f(\\text{antigen}; 1, 1) - F)

``p`` is the virion yield per unit fraction of productive cells (Baccam's p times T0). A neuraminidase
inhibitor blocks virion release, the ``1 - epsilon`` factor (its input ``antiviral_eff``). Each virus kind has
its own values (``flu_*``, ``cov_*``) mapped onto these names by the challenge (:func:`kind_parameters`).

Bacterium: logistic growth against saturable killing by resident phagocytes, killing by activated phagocytes
(the innate ``M_A``) and by the adaptive response, and an antibiotic (the reduced acute-inflammation model of
Reynolds et al. 2006 is the structure learnt from; this is our own simplification):

.. math::

    \\dot B = k_{bg} B (1 - B/B_{max}) - \\frac{g_{kill} k_{bm} B}{1 + B/x_{bm}}
              - k_{bn} f(M_A; x_{phag}, 1) B - (k_{abx}(t) + k_{B,AD} AD) B

Small inocula are cleared by resident cells; a large one saturates them and grows unless inflammation,
immunity or an antibiotic catch up: clearance is an outcome, not a switch.

Vaccine: an intramuscular dose is a depot ``D`` of antigen and adjuvant that empties at ``k_depot``. The
interferon signal ``F`` stands for interferons in general: type I from infected cells and from the adjuvant (the
RNA of an mRNA vaccine), and interferon-gamma from memory effector cells meeting antigen, the reason a second
dose brings more fever and fatigue than the first (IFN-gamma and CXCL10 rise after dose 1, more after dose 2,
Bergamaschi 2021).

All three are sensed by monocytes as pathogen-associated patterns; :func:`pamp` expresses them in
endotoxin-equivalents (ng/kg) so that one innate module serves every challenge. Infected epithelium also makes
IL-6 and interferon itself (:func:`epithelial_il6`): nasal IL-6 and IFN-alpha peak on day 2 with titres and
symptoms, TNF later (Hayden 1998).
"""

from __future__ import annotations

from typing import Any

from ..functions import hill_up, log10, pos
from ..state import Observable, State

#: Inputs set by interventions: neuraminidase-inhibitor efficacy (0-1) and antibiotic kill rate (1/h).
INPUTS = ("antiviral_eff", "antibiotic_kill")

#: Virus-specific parameter names, without their kind prefix (``flu_beta``, ``cov_beta``, ...).
VIRUS_PARAMETERS = ("beta", "k_ecl", "delta", "p_V", "c_V", "x_ag_V", "w_pamp_V", "k_6_epi", "v0_per_inoculum")

STATES = (
    # Target cells exist only for the challenge's virus: without one, V = 0 would be an unstable equilibrium
    # (R0 >> 1) from which round-off could start an infection nobody gave.
    State("TC", "1", "uninfected target cells of the challenge virus (fraction of the initial target cells)",
          lambda p: p.tc_0),
    State("I1", "1", "infected cells in the eclipse phase (fraction)", lambda p: 0.0),
    State("I2", "1", "productively infected cells (fraction)", lambda p: 0.0),
    State("V", "1/mL", "free virus (TCID50/mL for influenza, RNA copies/mL for SARS-CoV-2)", lambda p: 0.0),
    State("IFN", "1", "type I interferon signal (index)", lambda p: 0.0),
    State("B", "1e6/mL", "bacteria (10^6 colony-forming units per mL of tissue)", lambda p: 0.0),
    State("DEPOT", "1", "vaccine antigen and adjuvant at the injection site (full doses)", lambda p: 0.0),
)

OBSERVABLES = (
    Observable("viral_load", "log10(1/mL)", "viral load, log10 (TCID50/mL for influenza, copies/mL for SARS-CoV-2)"),
    Observable("bacterial_load", "log10(1/mL)", "bacterial load, log10 colony-forming units per mL"),
)


def pamp(s: Any, p: Any) -> Any:
    """Pathogen-associated patterns sensed by monocytes, in endotoxin-equivalents (ng/kg)."""
    return p.w_pamp_V * s.I2 + p.w_pamp_B * s.B + p.w_pamp_D * s.DEPOT


def antigen(s: Any, p: Any) -> Any:
    """Antigen seen by the adaptive response, in units of its half-saturating amount."""
    return s.V / p.x_ag_V + s.B / p.x_ag_B + s.DEPOT / p.x_ag_D


def epithelial_il6(s: Any, p: Any) -> Any:
    """IL-6 released into plasma by infected airway epithelium, pg/mL/h."""
    return p.k_6_epi * (s.I1 + s.I2)


def rates(s: Any, p: Any, u: Any) -> dict[str, Any]:
    """Right-hand sides of the pathogen and depot equations."""
    infection = p.beta * s.TC * s.V / (1.0 + p.ab_block * s.AD)
    release = p.p_V * s.I2 * (1.0 - u.antiviral_eff) / (1.0 + p.e_ifn * s.IFN)
    return {
        "TC": -infection,
        "I1": infection - p.k_ecl * s.I1,
        "I2": p.k_ecl * s.I1 - (p.delta + p.k_I_AD * s.AD) * s.I2,
        "V": release - (p.c_V + p.c_AD * s.AD) * s.V,
        "IFN": p.k_ifn * (s.I2 / p.x_ifn + p.w_ifn_D * s.DEPOT + p.w_ifn_AD * s.AD * hill_up(antigen(s, p), 1.0, 1.0)
                          - s.IFN),
        "B": p.k_bg * s.B * (1.0 - s.B / p.B_max)
        - p.g_kill * p.k_bm * s.B / (1.0 + pos(s.B) / p.x_bm)
        - p.k_bn * hill_up(s.MA, p.x_phag, 1.0) * s.B
        - (u.antibiotic_kill + p.k_B_AD * s.AD) * s.B,
        "DEPOT": -p.k_depot * s.DEPOT,
    }


def observables(s: Any, p: Any) -> dict[str, Any]:
    """Viral and bacterial loads on a log10 scale, floored at 1 per mL (below any assay's detection)."""
    return {
        "viral_load": log10(s.V + 1.0),
        "bacterial_load": log10(s.B * 1e6 + 1.0),
    }


def kind_parameters(q: dict[str, float], prefix: str) -> dict[str, float]:
    """Copy the virus-specific values ``{prefix}_{name}`` onto the generic names used by :func:`rates`."""
    return {name: q[f"{prefix}_{name}"] for name in VIRUS_PARAMETERS}
