"""Host: how the person's traits and history change the model's effective parameters.

* Sex: women's monocytes make more TNF and IL-6 (about +44 %), while their fever is smaller (Coyle 2006); the
  model puts the difference in cytokine production (``female_cytokine_gain`` for TNF, ``female_il6_gain`` for the
  direct IL-6 route, which TNF feedback then amplifies) and in transduction, cytokine-to-brain
  (``female_central_gain``) and TNF-to-nociceptor (``female_nociceptor_gain``), so fever and sensitisation need
  not scale with plasma cytokines: this is how women can have larger cytokine responses and yet no larger
  hyperalgesia at low dose (Wegner 2015).
* Age: above the calibration cohort's age, TNF production rises and PGE2 turnover slows, which prolongs fever
  (Krabbe 2001); resident bacterial killing declines.
* Weight: doses are per kg, but blood volume grows less than in proportion to weight (about weight^0.75), so
  heavier people see more endotoxin per volume of blood (``blood_volume_exponent``); drug volumes scale with it.
* Sleep, fluid deficit: the starting levels of the behavioural states (:mod:`neuroimmune.model.mechanisms.behaviour`).
* Microbiome diversity and fitness: cytokine production gains.
* Chronic pain history: prior glial priming (:mod:`neuroimmune.model.mechanisms.pain`).
* History of infections and vaccine doses: immune memory against the challenge's antigen
  (:func:`memory`), and antibody against an adenoviral vector from earlier vector doses.
* The challenge kind: a virus maps its own parameter values (``flu_*``, ``cov_*``) onto the generic ones, and a
  natural (community) infection adds the lower airway's target cells; a vaccine maps its platform's values
  (``mrna_*``, ``viral_vector_*``, ...).
* Host effects per challenge: the sex and age effects above were measured with endotoxin. Vaccines have their
  own (:func:`vaccine_host_effects`): reactogenicity is higher in women and falls with age (Hoffmann 2021;
  Polack 2020; Baden 2021; Voysey 2021), so for a vaccine the endotoxin sex and age factors are not applied and
  the vaccine's own act on its innate stimulation.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from .mechanisms import pathogen

#: Fitness levels as steps from average.
FITNESS_STEPS = {"low": -1.0, "average": 0.0, "high": 1.0}


def effective(p: dict[str, float], host: Any, challenge: Any = None) -> dict[str, float]:
    """Add the host- and challenge-dependent effective parameters to a copy of ``p``.

    Parameters
    ----------
    p
        Parameter values by name.
    host
        A :class:`neuroimmune.scenarios.Host` (or any object with its fields).
    challenge
        The scenario's challenge (or None); supplies the virus kind (``virus_prefix``), the antigen remembered
        from ``host.history`` (``antigen``) and implied earlier vaccine doses (``implied_history``).
    """
    q = dict(p)
    female = host.sex == "female"
    older = max(host.age - p["age_ref"], 0.0)
    lifestyle = (1.0 + p["a_microbiome"] * (1.0 - host.microbiome_diversity)) * (
        1.0 - p["a_fitness"] * FITNESS_STEPS[host.fitness]
    )
    q["g_TNF"] = (p["female_cytokine_gain"] if female else 1.0) * (1.0 + p["age_tnf_gain"] * older) * lifestyle
    q["g_6"] = (p["female_il6_gain"] if female else 1.0) * lifestyle
    q["g_central"] = p["female_central_gain"] if female else 1.0
    q["g_nociceptor"] = p["female_nociceptor_gain"] if female else 1.0
    q["k_pge_eff"] = p["k_pge"] / (1.0 + p["age_pge_slowing"] * older)
    q["lps_exposure"] = (host.weight / p["weight_ref"]) ** (1.0 - p["blood_volume_exponent"])
    q["g_kill"] = max(1.0 - p["age_kill_decline"] * older, 0.2)
    q["V_ibu_eff"] = p["V_ibu"] * host.weight
    q["V_para_eff"] = p["V_para"] * host.weight
    q["sleep_loss_0"] = p["sleep_ref"] - host.sleep
    q["fluid_deficit_0"] = host.fluid_deficit
    q["prime_0"] = p["prime_chronic"] * host.chronic_pain
    prefix = getattr(challenge, "virus_prefix", None)
    q.update(pathogen.kind_parameters(p, prefix or "flu"))
    lower = p[f"{prefix}_tc_lower"] if prefix and getattr(challenge, "setting", None) == "community" else 0.0
    q["tc_0"] = 1.0 + lower if prefix else 0.0
    q.update(pathogen.platform_parameters(p, getattr(challenge, "platform", None) or "mrna"))
    antigen = getattr(challenge, "antigen", None)
    exposures = list(host.history) + list(getattr(challenge, "implied_history", lambda: [])())
    q.update(memory(q, exposures, antigen))
    if getattr(challenge, "kind", None) == "vaccine":
        q.update(vaccine_host_effects(q, host, lifestyle))
    return q


def vaccine_host_effects(q: dict[str, Any], host: Any, lifestyle: Any) -> dict[str, Any]:
    """Host effects for a vaccine dose, replacing the endotoxin-measured sex and age factors.

    Women report more systemic reactions than men and older people fewer than younger ones, after mRNA, vector,
    inactivated and adjuvanted vaccines alike (Hoffmann 2021; Polack 2020; Baden 2021; Voysey 2021; Shingrix
    ZOE-50/70; Nichol 1996), the opposite of the smaller endotoxin fever of women (Coyle 2006) and the longer
    fever of older men (Krabbe 2001). The vaccine's own factors act on the innate stimulation by the dose
    (``w_pamp_D``, ``w_ifn_D``): women's stronger innate and antibody responses to vaccines (Klein 2015), and the
    decline of innate responses with age. Cytokine production keeps the lifestyle factors; transduction to brain
    and nociceptors is the reference (male, calibration age) one.
    """
    older = max(host.age - q["age_ref"], 0.0)
    gain = (q["vax_female_gain"] if host.sex == "female" else 1.0) * 0.5 ** (older / q["vax_age_halving"])
    return {
        "g_TNF": lifestyle,
        "g_6": lifestyle,
        "g_central": 1.0,
        "g_nociceptor": 1.0,
        "k_pge_eff": q["k_pge"],
        "w_pamp_D": q["w_pamp_D"] * gain,
        "w_ifn_D": q["w_ifn_D"] * gain,
        "vaccine_gain": gain,
    }


def memory(p: dict[str, Any], exposures: Iterable[Any], antigen: str | None) -> dict[str, Any]:
    """Memory against ``antigen`` from earlier exposures (each with ``kind``, ``antigen`` and ``time`` < 0, h).

    Returns the precursor frequency ``m_prec`` (naive plus memory, which wanes with ``memory_half_life``), the
    starting effector level ``ad_0`` (effectors left, contracting at ``k_ad_off``), the starting antibody level
    ``ab_0`` (each exposure raises it by ``ab_per_dose`` or ``ab_per_infection`` of the way to the maximum; antibody
    from a vaccine dose wanes at ``k_ab_off``, from an infection at the slower ``k_ab_off_infection``, Israel 2022)
    and the fraction of a vaccine dose delivered, ``dose_delivered``: antibody against an adenoviral vector, left by
    earlier vector doses whatever their antigen, neutralises part of a later one (``vector_block``). Exposures to
    other antigens give no memory: the model has no cross-protection.
    """
    level, ad, ab, vector = 0.0, 0.0, 0.0, 0.0
    for e in sorted(exposures, key=lambda e: e.time):
        age = -e.time
        if getattr(e, "platform", None) == "viral_vector":
            vector += (1.0 - vector) * p["ab_per_dose"] * math.e ** (-p["k_ab_off"] * age)
        if antigen is None or e.antigen != antigen:
            continue
        dose = e.kind == "vaccine"
        level += (p["mem_per_dose"] if dose else p["mem_per_infection"]) * 0.5 ** (age / p["memory_half_life"])
        ad += (1.0 - ad) * p["ad_per_exposure"] * math.e ** (-p["k_ad_off"] * age)
        ab_left = (p["ab_per_dose"] * math.e ** (-p["k_ab_off"] * age) if dose
                   else p["ab_per_infection"] * math.e ** (-p["k_ab_off_infection"] * age))
        ab += (1.0 - ab) * ab_left
    return {"m_prec": p["m_naive"] + p["m_per_memory"] * level, "ad_0": ad, "ab_0": ab, "memory_level": level,
            "dose_delivered": 1.0 / (1.0 + p["vector_block"] * vector)}


def describe(q: dict[str, Any]) -> dict[str, Any]:
    """The effective host parameters, for result metadata."""
    keys = ("g_TNF", "g_6", "g_central", "g_nociceptor", "k_pge_eff", "lps_exposure", "g_kill", "sleep_loss_0",
            "fluid_deficit_0", "prime_0", "m_prec", "ad_0", "ab_0", "memory_level", "dose_delivered", "tc_0")
    return {k: q[k] for k in keys}
