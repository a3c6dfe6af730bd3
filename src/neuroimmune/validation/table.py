"""The validation table: one row per comparison of model and published data, each with its tolerance."""

from __future__ import annotations

import dataclasses

import numpy as np

from ..calibration.problem import at, run
from ..model.parameters import default_parameters
from ..scenarios import Scenario


@dataclasses.dataclass(frozen=True)
class Row:
    """One comparison.

    ``lower``/``upper`` bound the model value; ``tolerance`` says how in words and ``reason`` says why;
    ``fitted`` is True when the data were used in calibration (in-sample), False for held-out checks.
    """

    study: str
    observable: str
    metric: str
    model: float
    data: float
    lower: float
    upper: float
    tolerance: str
    reason: str
    fitted: bool

    @property
    def passed(self) -> bool:
        return bool(self.lower <= self.model <= self.upper)


def within(study: str, observable: str, metric: str, model: float, data: float, tol: float, reason: str,
           fitted: bool, unit: str = "") -> Row:
    """A row passing when |model - data| <= tol."""
    return Row(study, observable, metric, float(model), float(data), data - tol, data + tol,
               f"+/- {tol:.3g}{unit}", reason, fitted)


def simulate_obs(scenario: Scenario) -> dict[str, np.ndarray]:
    """Observables of a scenario with the calibrated parameters (same code path as calibration)."""
    return run(scenario, default_parameters().values())


__all__ = ["Row", "at", "simulate_obs", "within"]
