"""Behaviour and self-care: sleep, fluids, breathing practice, expectation and local heat, as slowly following
states.

Each measure enters the model as an input that is held while it is practised (:mod:`neuroimmune.engine.schedule`),
and acts through a state that follows the input with its own time constant, so a measure's effect builds up and
fades rather than switching:

.. math::

    \\dot X = k_X (X_0 + u_X(t) - X)

* ``SLEEP_DEBT`` (hours per night below the reference): starts at the host's habitual shortfall; a sleep
  measure changes it. Sleep loss raises monocyte IL-6 and TNF production (Irwin 2006) and lowers pain thresholds
  (Schrimpf 2015; Chang 2022); debt builds and clears over days.
* ``FLUID`` (deficit, % of body mass): raises the temperature reached during fever and the heart rate
  (Montain & Coyle 1992).
* ``ADR`` (adrenergic drive, 0-1): epinephrine released during a trained breathing exercise lowers TNF, IL-6 and
  IL-8 production and raises IL-10 (Kox 2014; breathing alone did it, cold exposure alone did not: Zwaag 2022).
* ``DESC`` (descending inhibition, 0-1): expectation of relief and meditation engage descending pain modulation,
  damping the central part of sensitisation (placebo analgesia).
* ``HEAT_<region>`` (0-1): local heat relieves pain in the region it is applied to (Nadler 2002), and the relief
  outlasts the wrap by hours.
"""

from __future__ import annotations

from typing import Any

from ..state import State
from .pain import REGIONS

#: Regions where local heat can be applied: every body region of :data:`neuroimmune.model.mechanisms.pain.REGIONS`.
HEAT_REGIONS = tuple(REGIONS)

INPUTS = ("sleep_change", "fluid_change", "adrenergic", "descending", *(f"heat_{r}" for r in HEAT_REGIONS))

STATES = (
    State("SLEEP_DEBT", "h", "sleep debt, hours per night below the reference", lambda p: p.sleep_loss_0),
    State("FLUID", "percent", "fluid deficit, % of body mass", lambda p: p.fluid_deficit_0),
    State("ADR", "1", "adrenergic (epinephrine) drive from breathing practice, 0-1", lambda p: 0.0),
    State("DESC", "1", "descending pain inhibition from expectation or meditation, 0-1", lambda p: 0.0),
    *(State(f"HEAT_{r}", "1", f"relief from local heat at the {r.replace('_', ' ')}, 0-1", lambda p: 0.0)
      for r in HEAT_REGIONS),
)


def rates(s: Any, p: Any, u: Any) -> dict[str, Any]:
    """Each behavioural state relaxes towards its baseline plus its input."""
    out = {
        "SLEEP_DEBT": p.k_sleep * (p.sleep_loss_0 + u.sleep_change - s.SLEEP_DEBT),
        "FLUID": p.k_fluid * (p.fluid_deficit_0 + u.fluid_change - s.FLUID),
        "ADR": p.k_adr * (u.adrenergic - s.ADR),
        "DESC": p.k_desc * (u.descending - s.DESC),
    }
    for r in HEAT_REGIONS:
        name = f"HEAT_{r}"
        out[name] = p.k_heat * (getattr(u, f"heat_{r}") - getattr(s, name))
    return out
