"""Pain processing: peripheral and central sensitisation, thresholds by body region, and felt back ache.

Two routes lower the pressure pain threshold (deep-tissue, muscle) during systemic inflammation:

* peripheral: plasma TNF and IL-6 sensitise muscle nociceptors within an hour (rat: TNF- and IL-6-receptor-mediated
  muscle hyperalgesia after LPS) and recover within hours of the cytokines falling. IL-6 keeps rising with the
  dose where TNF's area does not (IL-10 cuts TNF short at high doses), and the human threshold fall went with the
  IL-6 peak (Wegner 2014), so the drive is the sum of the two rises, each over its own half-maximal level. Type I
  interferons add to it: they act on nociceptors' own receptors and sensitise them in mice (Barragan-Iglesias
  2020), and interferon-alpha given as a drug brings the aches of flu; this is how a vaccine dose or a virus,
  which raise little plasma TNF, still bring muscle aches;
* central: the delayed central cytokine signal recruits spinal glia, which raise dorsal-horn gain and decay
  slowly, so the threshold stays low at 6 h when plasma cytokines are back near baseline (Janum 2016, 2 ng/kg).
  Recruitment is steep (Hill coefficient ``h_glia`` 4): after 0.8 ng/kg the threshold was down only at 3 h, no
  longer at 6 h (Wegner 2014), so the central part starts between the two doses and grows with the dose where the
  peripheral part has saturated; peak back ache therefore keeps rising with the dose.

.. math::

    \\dot S_P &= k_{pn,on} f(g_{noc} [TNF^+ / x_{pn} + IL6^+ / x_{pn6}] + F / x_{pn,F}; 1, h_{pn})
                 (1 - e_{PG} X_{COX}) (1 - S_P) - k_{pn,off} S_P \\\\
    \\dot G &= k_{g,on} [f(C; x_g, h_g) + a_{pr} R] (1 - G) - k_{g,off} G \\\\
    \\dot R &= k_{pr,on} (f(C; x_g, h_g) - x_{pr})^+ (1 - R) - k_{pr,off} (R - R_0) \\\\
    \\sigma_r &= g_r [a_P S_P + a_C G (1 - e_D D) + a_S D_S^+] (1 - e_H H_r), \\qquad
    \\text{ppt\\_change}_r = 100 \\left( \\frac{1}{1 + \\sigma_r} - 1 \\right) \\\\
    \\text{back\\_pain} &= 10\\, f(\\sigma_{lower\\_back}; x_{ache}, 2)

``R`` is glial priming (persistence): strong or long recruitment of glia by the central cytokine input (above
``x_pr``) primes spinal microglia, and primed glia keep themselves active (``a_pr``). Priming builds from the
illness's input, not from glial activity as such, so the loop prolongs sensitisation but cannot sustain it alone:
once the input has gone, the tail fades with the priming (half-life ``ln 2 / k_pr,off``, four weeks), longer the
larger the loop gain ``a_pr k_g,on / k_g,off``. How long sensitisation outlasts the infection is an outcome, not a
switch: a short illness (endotoxin, influenza challenge) primes little; days of fever prime more, and a person with
a large loop gain stays ill for weeks to months, the share still ill falling by about half every four weeks as in
the community (Sudre 2021; persistent microglial reactivity after mild respiratory COVID in mice,
Fernandez-Castaneda 2022; glial priming in pain chronification, Milligan & Watkins 2009). ``R_0`` is the host's
prior sensitisation (chronic pain history). ``g_noc`` scales the TNF seen by nociceptors (``TNF+`` above is
``g_noc TNF+``): 1 in men, ``female_nociceptor_gain`` in women, so that women's larger TNF response does not
give them more hyperalgesia at low dose (Wegner 2015). ``X_COX`` is peripheral COX inhibition by ibuprofen
(prostaglandin share of cytokine hyperalgesia, Cunha 1992); ``D`` descending inhibition (expectation,
meditation); ``D_S`` sleep debt (Schrimpf 2015); ``H_r`` local heat relief in region r (Nadler 2002)
(:mod:`neuroimmune.model.mechanisms.behaviour`).

``abdomen`` is visceral: its threshold is the rectal distension pain threshold, which low-dose endotoxin lowers as
it lowers muscle thresholds (Benson 2012; Wegner 2015). The regional gains ``g_r`` are fitted (lower back, mid
back, neck: de Goeij 2013) or set to the reference
gain 1 where no regional data exist; no region is a special case in code.
"""

from __future__ import annotations

from typing import Any

from ..functions import hill_up, pos
from ..state import Observable, State
from . import innate, pharmacology

#: Body regions of the body map, each with the parameter holding its gain.
REGIONS: dict[str, str] = {
    "lower_back": "g_lower_back",
    "mid_back": "g_mid_back",
    "neck": "g_neck",
    "thigh": "g_thigh",
    "calf": "g_calf",
    "forearm": "g_forearm",
    "abdomen": "g_abdomen",
}

STATES = (
    State("S_P", "1", "peripheral (nociceptor) sensitisation, fraction of maximum", lambda p: 0.0),
    State("GLIA", "1", "spinal glial activation, fraction of maximum", lambda p: glia_0(p)),
    State("PRIME", "1", "spinal glial priming, fraction of maximum", lambda p: p.prime_0),
)


def glia_0(p: Any) -> Any:
    """Glial activation at rest: 0, or the level that a host's prior priming ``prime_0`` sustains."""
    on = p.k_glia_on * p.a_prime * p.prime_0
    return on / (on + p.k_glia_off)

OBSERVABLES = (
    Observable("ppt_change", "percent", "pressure pain threshold change from baseline", ("region",)),
    Observable("back_pain", "1", "lower back ache rating (0 none - 10 worst imaginable)"),
)


def rates(s: Any, p: Any, u: Any) -> dict[str, Any]:
    """Right-hand sides of the sensitisation and priming states."""
    cox = 1.0 - p.e_pg_peripheral * pharmacology.cox_peripheral(s, p)
    recruitment = glial_recruitment(s, p)
    return {
        "S_P": p.k_pn_on * hill_up(nociceptor_drive(s, p), 1.0, p.h_pn) * cox * (1.0 - s.S_P)
        - p.k_pn_off * s.S_P,
        "GLIA": p.k_glia_on * (recruitment + p.a_prime * s.PRIME) * (1.0 - s.GLIA)
        - p.k_glia_off * s.GLIA,
        "PRIME": p.k_prime_on * pos(recruitment - p.x_prime) * (1.0 - s.PRIME)
        - p.k_prime_off * (s.PRIME - p.prime_0),
    }


def glial_recruitment(s: Any, p: Any) -> Any:
    """Recruitment of spinal glia by the central cytokine signal, 0-1 (steep in it, ``h_glia``). Priming builds
    from this input, not from glial activity as such: glia that primed glia keep active do not prime further, so
    a tail of sensitisation fades with the priming (``k_prime_off``) once the illness's input has gone."""
    return hill_up(s.CNS_IL6, p.x_glia, p.h_glia)


def nociceptor_drive(s: Any, p: Any) -> Any:
    """Cytokine drive of muscle nociceptors, in units of its half-maximal level: TNF and IL-6 rises above rest,
    each over its own half-maximal concentration, seen through the host's nociceptor gain, plus the interferon
    signal over ``x_pn_ifn`` (type I interferons act on nociceptors directly, Barragan-Iglesias 2020)."""
    return (p.g_nociceptor * (pos(s.TNF - p.tnf_0) / p.x_pn + pos(s.IL6 - innate.il6_rest(p)) / p.x_pn6)
            + pos(s.IFN) / p.x_pn_ifn)


def sensitisation(s: Any, p: Any, region: str) -> Any:
    """Sensitisation index sigma of one region (0 at baseline)."""
    central = p.a_central * s.GLIA * (1.0 - p.e_desc * s.DESC)
    sleep = p.a_sleep_pain * pos(s.SLEEP_DEBT)
    relief = 1.0 - p.e_heat * getattr(s, f"HEAT_{region}")
    return getattr(p, REGIONS[region]) * (p.a_peripheral * s.S_P + central + sleep) * relief


def observables(s: Any, p: Any) -> dict[str, Any]:
    """Threshold change for each region (in :data:`REGIONS` order) and the back ache rating."""
    ppt = [100.0 * (1.0 / (1.0 + sensitisation(s, p, r)) - 1.0) for r in REGIONS]
    return {
        "ppt_change": ppt,
        "back_pain": 10.0 * hill_up(sensitisation(s, p, "lower_back"), p.x_ache, 2.0),
    }
