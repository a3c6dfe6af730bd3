"""Pathogens and antigen: a respiratory virus, a growing bacterium, a vaccine depot, and the tissue damage they leave.

Virus (influenza, SARS-CoV-2): the target-cell-limited model with an eclipse phase that Baccam et al. (2006) fitted
to the titres of volunteers infected with influenza A, plus a type I interferon signal that lowers virion
production (Saenz 2010; Baccam's interferon variant), killing of infected cells by adaptive effector cells in the
tissue ``AE`` and neutralisation of virus by antibody ``AB`` (:mod:`neuroimmune.model.mechanisms.adaptive`).
Target and infected cells are fractions of the target cells of the upper airway; neutralisation ``N`` is steep in
the antibody level (:func:`neutralisation`):

.. math::

    \\dot T_C &= -\\frac{\\beta T_C V}{1 + b_{AB} N}, \\qquad \\dot I_1 = -\\dot T_C - (k + k_{I1,AD} AE) I_1, \\qquad
    \\dot I_2 = k I_1 - (\\delta + k_{I,AD} AE) I_2 \\\\
    \\dot V &= p\\, I_2 \\frac{1 - \\varepsilon_{AV}(t)}{1 + e_{IFN} F} - (c + c_{AB} N) V \\\\
    \\dot F &= k_{F} (g_{F} [I_2 / x_{F} + w_{F,D} D + w_{F,AD} AD f(\\text{antigen}; 1, 1)] - F)

``p`` is the virion yield per unit fraction of productive cells (Baccam's p times T0). A neuraminidase
inhibitor blocks virion release, the ``1 - epsilon`` factor (its input ``antiviral_eff``). Each virus kind has
its own values (``flu_*``, ``cov_*``) mapped onto these names by the challenge (:func:`kind_parameters`). An
inhaled, natural infection also reaches target cells of the lower airway: ``T_C(0) > 1``
(:mod:`neuroimmune.model.host`, the challenge's ``setting``).

Bacterium: logistic growth against saturable killing by resident phagocytes, killing by activated phagocytes
(the innate ``M_A``), opsonic killing with antibody, and an antibiotic (the reduced acute-inflammation model of
Reynolds et al. 2006 is the structure learnt from; this is our own simplification):

.. math::

    \\dot B = k_{bg} B (1 - B/B_{max}) - \\frac{g_{kill} k_{bm} B}{1 + B/x_{bm}}
              - k_{bn} f(M_A; x_{phag}, 1) B - (k_{abx}(t) + k_{B,AB} AB) B

Small inocula are cleared by resident cells; a large one saturates them and grows unless inflammation,
immunity or an antibiotic catch up: clearance is an outcome, not a switch.

Tissue damage: bacteria (their toxins and the phagocytes they recruit) and the death of infected cells injure
the tissue, and damaged tissue releases damage-associated patterns (HMGB1, S100 proteins, mitochondrial DNA)
that the same monocyte receptors sense. Damage is repaired at a first-order rate (the structure of Reynolds 2006's
damage variable; the rate ``k_td_res`` is fitted to how long fever outlasts the antibiotic in treated patients,
Behr 1996 and Halm 1998, a half-life of about three days):

.. math::

    \\dot D_T = [k_{D,B} f(B; x_{D,B}, 1) + k_{D,V} (\\delta I_2 + (k_{I1,AD} I_1 + k_{I,AD} I_2) AE)] (1 - D_T)
              - k_{res} D_T

This is what carries inflammation past the kill: after an antibiotic, fever settles over one to three days, as in
treated patients (Behr 1996, Halm 1998), not within hours.

Vaccine: an intramuscular dose is a depot ``D`` of antigen and adjuvant that empties at ``k_depot``. The
interferon signal ``F`` stands for interferons in general: type I from infected cells and from the adjuvant (the
RNA of an mRNA vaccine, the DNA of an adenoviral vector), and interferon-gamma from memory effector cells meeting
antigen, the reason a second mRNA dose brings more fever and fatigue than the first (IFN-gamma and CXCL10 rise
after dose 1, more after dose 2, Bergamaschi 2021). Each platform has its own depot values (``mrna_*``,
``viral_vector_*``, ...), mapped onto these names by the challenge (:func:`platform_parameters`).

All of these are sensed by monocytes as pathogen- or damage-associated patterns; :func:`pamp` expresses them in
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

#: Vaccine-platform parameter names, without their platform prefix (``mrna_w_pamp_D``, ...).
PLATFORM_PARAMETERS = ("w_pamp_D", "w_ifn_D", "x_ag_D", "k_depot")

STATES = (
    # Target cells exist only for the challenge's virus: without one, V = 0 would be an unstable equilibrium
    # (R0 >> 1) from which round-off could start an infection nobody gave.
    State("TC", "1", "uninfected target cells of the challenge virus (fraction of the upper airway's target cells)",
          lambda p: p.tc_0),
    State("I1", "1", "infected cells in the eclipse phase (fraction)", lambda p: 0.0),
    State("I2", "1", "productively infected cells (fraction)", lambda p: 0.0),
    State("V", "1/mL", "free virus (TCID50/mL for influenza, RNA copies/mL for SARS-CoV-2)", lambda p: 0.0),
    State("IFN", "1", "type I interferon signal (index)", lambda p: 0.0),
    State("B", "1e6/mL", "bacteria (10^6 colony-forming units per mL of tissue)", lambda p: 0.0),
    State("DEPOT", "1", "vaccine antigen and adjuvant at the injection site (full doses)", lambda p: 0.0),
    State("TD", "1", "tissue damage at the site of infection, fraction of maximum", lambda p: 0.0),
)

OBSERVABLES = (
    Observable("viral_load", "log10(1/mL)", "viral load, log10 (TCID50/mL for influenza, copies/mL for SARS-CoV-2)"),
    Observable("bacterial_load", "log10(1/mL)", "bacterial load, log10 colony-forming units per mL"),
)


def pamp(s: Any, p: Any) -> Any:
    """Pathogen- and damage-associated patterns sensed by monocytes, in endotoxin-equivalents (ng/kg)."""
    return p.w_pamp_V * s.I2 + p.w_pamp_B * s.B + p.w_pamp_D * s.DEPOT + p.w_pamp_TD * s.TD


def antigen(s: Any, p: Any) -> Any:
    """Antigen seen by the adaptive response, in units of its half-saturating amount."""
    return s.V / p.x_ag_V + s.B / p.x_ag_B + s.DEPOT / p.x_ag_D


def epithelial_il6(s: Any, p: Any) -> Any:
    """IL-6 released into plasma by infected airway epithelium, pg/mL/h."""
    return p.k_6_epi * (s.I1 + s.I2)


def infected_cell_death(s: Any, p: Any) -> Any:
    """Infected cells dying per hour (fraction/h): productive cells by their own death, and cells in both stages
    killed by effector cells, which recognise viral proteins made before any virion is released."""
    return p.delta * s.I2 + (p.k_I1_AD * s.I1 + p.k_I_AD * s.I2) * s.AE


def neutralisation(s: Any, p: Any) -> Any:
    """Neutralising activity of antibody at the site of infection, 0-1: steep in the antibody level, as protection
    is in the neutralising titre (Khoury 2021)."""
    return hill_up(s.AB, p.x_nt, p.h_nt)


def rates(s: Any, p: Any, u: Any) -> dict[str, Any]:
    """Right-hand sides of the pathogen, depot and tissue-damage equations."""
    nt = neutralisation(s, p)
    infection = p.beta * s.TC * s.V / (1.0 + p.ab_block * nt)
    release = p.p_V * s.I2 * (1.0 - u.antiviral_eff) / (1.0 + p.e_ifn * s.IFN)
    injury = p.k_td_B * hill_up(pos(s.B), p.x_td_B, 1.0) + p.k_td_V * infected_cell_death(s, p)
    return {
        "TC": -infection,
        "I1": infection - (p.k_ecl + p.k_I1_AD * s.AE) * s.I1,
        "I2": p.k_ecl * s.I1 - (p.delta + p.k_I_AD * s.AE) * s.I2,
        "V": release - (p.c_V + p.c_AB * nt) * s.V,
        "IFN": p.k_ifn * (p.g_ifn * (s.I2 / p.x_ifn + p.w_ifn_D * s.DEPOT
                                     + p.w_ifn_AD * s.AD * hill_up(antigen(s, p), 1.0, 1.0)) - s.IFN),
        "B": p.k_bg * s.B * (1.0 - s.B / p.B_max)
        - p.g_kill * p.k_bm * s.B / (1.0 + pos(s.B) / p.x_bm)
        - p.k_bn * hill_up(s.MA, p.x_phag, 1.0) * s.B
        - (u.antibiotic_kill + p.k_B_AB * s.AB) * s.B,
        "DEPOT": -p.k_depot * s.DEPOT,
        "TD": injury * (1.0 - s.TD) - p.k_td_res * s.TD,
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


def platform_parameters(q: dict[str, float], platform: str) -> dict[str, float]:
    """Copy the vaccine-platform values ``{platform}_{name}`` onto the generic names used by :func:`rates`."""
    return {name: q[f"{platform}_{name}"] for name in PLATFORM_PARAMETERS}
