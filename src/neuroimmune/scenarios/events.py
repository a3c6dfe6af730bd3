"""The event vocabulary: what a challenge or an intervention does to the model, as data.

* :class:`Jump` - an amount added to a named state at a time (an intravenous bolus, an oral tablet into the gut
  compartment, an inoculum);
* :class:`Rate` - a named input held at a value from ``start`` to ``stop`` (an infusion, a heat pack worn for a
  few hours, a night of sleep).

Scenarios describe themselves with these; the engine (:mod:`neuroimmune.engine.schedule`) cuts them into
segments. Names refer to the model's states and inputs (:data:`neuroimmune.model.assembly.STATE_NAMES`,
:data:`neuroimmune.model.assembly.INPUTS`).
"""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class Jump:
    """``amount`` added to state ``state`` at ``time`` (hours)."""

    time: float
    state: str
    amount: float


@dataclasses.dataclass(frozen=True)
class Rate:
    """Input ``input`` held at ``value`` for ``start <= t < stop`` (hours); overlapping rates add."""

    start: float
    stop: float
    input: str
    value: float


Event = Jump | Rate
