"""Sickness behaviour: fever, heart rate, fatigue, appetite and mood from the central signals.

.. math::

    \\dot T &= (T_0 + \\Delta T_{max} f(P; x_T, h_T) - T) / \\tau_T \\\\
    \\dot{HR} &= (HR_0 + k_{HR,T} (T - T_0) + \\Delta HR_s P - HR) / \\tau_{HR}

PGE2 raises the hypothalamic set point and core temperature follows it with a lag (the set-point form of
Dobreva 2021, driven here through PGE2). Heart rate rises with temperature (about 8.5 bpm per degree) and
with central sympathetic drive. A fluid deficit (``FLUID``, % of body mass) enlarges the fever excursion and
raises heart rate (Montain & Coyle 1992); heart rate starts at the level the host's deficit sustains, so a
dehydrated host's run has no jump at t = 0. Paracetamol blocks part of the PGE2 signal at the set point only
(:func:`neuroimmune.model.pharmacology.setpoint_block`).

The 0-1 scales, each with a fixed meaning:

* ``fatigue`` = f(P + w_G G + w_S D_S; x_fatigue, 1): 0 none, 1 the most fatigue the model can produce; it
  follows PGE2 during the illness and spinal glial activation ``G`` after it (so it can outlast the infection
  with glial priming), and rises with sleep debt ``D_S``;
* ``appetite`` = f_s(P; x_appetite, 1): 1 usual appetite, 0 none;
* ``mood`` = f_s(C; x_mood, 1): 1 usual mood, 0 the lowest; it follows the delayed central IL-6 signal.
"""

from __future__ import annotations

from typing import Any

from ..functions import hill_down, hill_up, pos
from ..state import Observable, State
from . import pharmacology

STATES = (
    State("T", "degC", "core body temperature", lambda p: p.T_0),
    State("HR", "1/min", "heart rate", lambda p: p.HR_0 + p.k_HR_fluid * pos(p.fluid_deficit_0)),
)

#: Temperature and heart rate as observables, read straight from their states.
STATE_OBSERVABLES = (
    Observable("temperature", "degC", "core body temperature", state="T"),
    Observable("heart_rate", "1/min", "heart rate", state="HR"),
)

OBSERVABLES = (
    Observable("fatigue", "1", "fatigue (0 none - 1 maximal)"),
    Observable("appetite", "1", "appetite (1 usual - 0 none)"),
    Observable("mood", "1", "mood (1 usual - 0 lowest)"),
)


def rates(s: Any, p: Any, u: Any) -> dict[str, Any]:
    """Right-hand sides of temperature and heart rate."""
    return {
        "T": (p.T_0 + p.dT_max * hill_up(s.PGE2 * (1.0 - pharmacology.setpoint_block(s, p)), p.x_T, p.h_T)
              * (1.0 + p.a_fluid_T * pos(s.FLUID)) - s.T) / p.tau_T,
        "HR": (p.HR_0 + p.k_HR_T * (s.T - p.T_0) + p.dHR_s * s.PGE2 + p.k_HR_fluid * pos(s.FLUID) - s.HR)
        / p.tau_HR,
    }


def observables(s: Any, p: Any) -> dict[str, Any]:
    """Fatigue, appetite and mood."""
    return {
        "fatigue": hill_up(s.PGE2 + p.w_fatigue_glia * s.GLIA + p.w_fatigue_sleep * pos(s.SLEEP_DEBT),
                           p.x_fatigue, 1.0),
        "appetite": hill_down(s.PGE2, p.x_appetite, 1.0),
        "mood": hill_down(s.CNS_IL6, p.x_mood, 1.0),
    }
