"""Sleep-restriction studies: resting IL-6 after nights of short sleep, against the same person's usual sleep."""

from __future__ import annotations

from collections.abc import Mapping

from ..scenarios import Scenario
from ._base import simulate_arm


def il6_rise(values: Mapping[str, float], usual: float, restricted: float, nights: int) -> float:
    """Resting IL-6 after ``nights`` of ``restricted`` hours a night minus that of ``usual`` hours a night."""
    def end_il6(hours: float) -> float:
        scenario = Scenario.from_dict({"host": {"sleep": usual}, "interventions": [{"kind": "sleep", "hours": hours}],
                                       "duration": 24.0 * nights, "output_step": 1.0})
        return float(simulate_arm(scenario, values)["il6"][-1])

    return end_il6(restricted) - end_il6(usual)
