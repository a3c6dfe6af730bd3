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
  (:func:`memory`).
* The challenge kind: a virus maps its own parameter values (``flu_*``, ``cov_*``) onto the generic ones.
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
    q["tc_0"] = 1.0 if prefix else 0.0
    antigen = getattr(challenge, "antigen", None)
    exposures = list(host.history) + list(getattr(challenge, "implied_history", lambda: [])())
    q.update(memory(q, exposures, antigen))
    return q


def memory(p: dict[str, float], exposures: Iterable[Any], antigen: str | None) -> dict[str, float]:
    """Memory against ``antigen`` from earlier exposures (each with ``kind``, ``antigen`` and ``time`` < 0, h).

    Returns the precursor frequency ``m_prec`` (naive plus memory, which wanes with ``memory_half_life``) and the
    starting effector level ``ad_0`` (antibodies left, waning at ``k_ad_off``). Exposures to other antigens
    give nothing: the model has no cross-protection.
    """
    level, ab = 0.0, 0.0
    for e in exposures:
        if antigen is None or e.antigen != antigen:
            continue
        age = -e.time
        gain = p["mem_per_dose"] if e.kind == "vaccine" else p["mem_per_infection"]
        level += gain * 0.5 ** (age / p["memory_half_life"])
        ab += p["ab_per_exposure"] * math.exp(-p["k_ad_off"] * age)
    return {"m_prec": p["m_naive"] + p["m_per_memory"] * level, "ad_0": min(ab, 0.95), "memory_level": level}


def describe(q: dict[str, Any]) -> dict[str, Any]:
    """The effective host parameters, for result metadata."""
    keys = ("g_TNF", "g_6", "g_central", "g_nociceptor", "k_pge_eff", "lps_exposure", "g_kill", "sleep_loss_0",
            "fluid_deficit_0", "prime_0", "m_prec", "ad_0", "memory_level")
    return {k: q[k] for k in keys}
