"""Responses to repeated endotoxin: the rise of an observable above its pre-dose level after each bolus."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ..scenarios import Endotoxin, Scenario
from ..scenarios.challenges import Repeat
from ._base import simulate_arm


def repeated(dose: float, every: float, count: int, after_last: float = 12.0) -> Scenario:
    """``count`` boluses of ``dose`` ng/kg, ``every`` hours apart, followed for ``after_last`` hours."""
    return Scenario(challenge=Endotoxin(dose=dose, repeat=Repeat(every=every, count=count)),
                    duration=every * (count - 1) + after_last, output_step=0.05)


def rises(obs: Mapping[str, np.ndarray], name: str, every: float, count: int, window: float = 12.0) -> np.ndarray:
    """Peak rise of ``name`` above its value at each bolus, within ``window`` hours after it."""
    t, v = obs["time"], np.asarray(obs[name])
    out = []
    for k in range(count):
        start = k * every
        w = (t >= start) & (t <= start + window)
        out.append(float(v[w].max() - np.interp(start, t, v)))
    return np.array(out)


def response_ratio(values: Mapping[str, float], name: str, dose: float, every: float, count: int) -> float:
    """The last bolus's rise of ``name`` over the first's."""
    r = rises(simulate_arm(repeated(dose, every, count), values), name, every, count)
    return float(r[-1] / r[0])
