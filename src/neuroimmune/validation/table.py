"""The validation table: one row per comparison of model and published data, each with its tolerance."""

from __future__ import annotations

import numpy as np

from ..model.parameters import default_parameters
from ..scenarios import Scenario
from ..studies._base import Row, at, simulate_arm, within


def simulate_obs(scenario: Scenario) -> dict[str, np.ndarray]:
    """Observables of a scenario with the calibrated parameters (same code path as calibration)."""
    return simulate_arm(scenario, default_parameters().values())


__all__ = ["Row", "at", "simulate_obs", "within"]
