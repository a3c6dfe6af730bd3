"""The scenario's time course of inputs, cut into segments within which the right-hand side is smooth.

Every challenge and intervention describes what it does to the model as events
(:mod:`neuroimmune.scenarios.events`: :class:`Jump` and :class:`Rate`).

Inputs not set by any event are 0 (:data:`neuroimmune.model.assembly.INPUTS`). Segment boundaries fall on every
event time, so no solver steps across a discontinuity, and the same segments drive the single-scenario engine,
the cohort engine and the SBML export.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from ..model import assembly
from ..scenarios import Scenario
from ..scenarios.events import Event, Jump, Rate


@dataclasses.dataclass(frozen=True)
class Segment:
    """Integration interval [start, end) with constant inputs and the jumps applied at its start."""

    start: float
    end: float
    inputs: dict[str, float]
    jumps: dict[str, float]


def events(scenario: Scenario, p: Any) -> list[Event]:
    """All events of the scenario's challenge and interventions, for effective parameters ``p``."""
    out: list[Event] = []
    sources: Iterable[Any] = ([scenario.challenge] if scenario.challenge is not None else []) + list(
        scenario.interventions
    )
    for source in sources:
        out.extend(source.events(p, scenario))
    for e in out:
        name = e.state if isinstance(e, Jump) else e.input
        known = assembly.STATE_NAMES if isinstance(e, Jump) else assembly.INPUTS
        if name not in known:  # a programming error in a challenge or intervention, not bad user input
            raise KeyError(f"{type(e).__name__} names {name!r}, which is not one of {known}")
    return out


def segments(scenario: Scenario, p: Any) -> list[Segment]:
    """Segments covering [0, duration] for effective parameters ``p``."""
    end = scenario.duration
    evs = events(scenario, p)
    cuts = {0.0, end}
    for e in evs:
        if isinstance(e, Jump):
            if e.time < end:
                cuts.add(e.time)
        else:
            cuts.update(t for t in (e.start, e.stop) if t < end)
    times = sorted(cuts)
    segs = []
    for a, b in zip(times[:-1], times[1:], strict=True):
        inputs = dict.fromkeys(assembly.INPUTS, 0.0)
        jumps: dict[str, float] = {}
        for e in evs:
            if isinstance(e, Rate) and e.start <= a < e.stop:
                inputs[e.input] += e.value
            elif isinstance(e, Jump) and e.time == a:
                jumps[e.state] = jumps.get(e.state, 0.0) + e.amount
        segs.append(Segment(start=a, end=b, inputs=inputs, jumps=jumps))
    return segs
