"""The scenario's time course of inputs: boluses (state jumps) and infusions (piecewise-constant rates),
cut into segments within which the right-hand side is smooth."""

from __future__ import annotations

import dataclasses

from ..scenarios import Scenario


@dataclasses.dataclass(frozen=True)
class Segment:
    """Integration interval [start, end) with constant inputs and the jumps applied at its start."""

    start: float
    end: float
    lps_rate: float  # ng/kg/h entering plasma
    lps_bolus: float  # ng/kg added at ``start``


def segments(scenario: Scenario, exposure: float = 1.0) -> list[Segment]:
    """Segments covering [0, duration]; ``exposure`` scales endotoxin for the host's blood volume."""
    ch = scenario.challenge
    end = scenario.duration
    boluses: dict[float, float] = {}
    infusions: list[tuple[float, float, float]] = []
    if ch is not None:
        if ch.dose is not None and ch.time < end:
            boluses[ch.time] = boluses.get(ch.time, 0.0) + ch.dose * exposure
        if ch.infusion is not None:
            inf = ch.infusion
            infusions.append((inf.start, inf.start + inf.duration, inf.rate * exposure))
    cuts = {0.0, end, *boluses}
    for a, b, _ in infusions:
        cuts.update(t for t in (a, b) if t < end)
    times = sorted(cuts)
    return [
        Segment(
            start=a,
            end=b,
            lps_rate=sum(rate for s, e, rate in infusions if s <= a < e),
            lps_bolus=boluses.get(a, 0.0),
        )
        for a, b in zip(times[:-1], times[1:], strict=True)
    ]
