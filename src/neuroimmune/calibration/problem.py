"""What is fitted: the joint calibration problem, composed of the study modules that inform free parameters
(:func:`neuroimmune.studies.fitted`), each contributing its own weighted residuals.

Kept apart from the optimizer (``optimize.py``), so either can change alone (the pyPESTO split). Leaving studies
out (``exclude``) gives the problems that cross-validation refits.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from functools import cached_property

import numpy as np

from .. import studies
from ..model.parameters import ParameterSet


def residuals_of(names: Sequence[str]) -> Callable[[dict[str, float]], np.ndarray]:
    """The residual function of the named studies: their residual vectors one after another."""
    modules = [studies.modules()[name] for name in names]

    def residuals(values: dict[str, float]) -> np.ndarray:
        return np.concatenate([m.residuals(values) for m in modules])

    return residuals


@dataclasses.dataclass(frozen=True)
class Problem:
    """Free parameters (names, log-scale bounds, start), the residual function over their log values, and the
    studies it is made of."""

    names: tuple[str, ...]
    lower: np.ndarray
    upper: np.ndarray
    start: np.ndarray
    fixed: dict[str, float]
    residual_fn: Callable[[dict[str, float]], np.ndarray]
    studies: tuple[str, ...] = ()

    def residuals(self, log_x: np.ndarray) -> np.ndarray:
        values = dict(self.fixed)
        values.update(zip(self.names, np.exp(log_x), strict=True))
        try:
            return self.residual_fn(values)
        except Exception:  # a parameter vector that breaks the solver is a bad fit, not a crash
            return np.full(self.n_residuals, 1e3)

    @cached_property
    def n_residuals(self) -> int:  # computed once: the failure path above needs it on every failed evaluation
        return len(self.residual_fn({**self.fixed, **dict(zip(self.names, np.exp(self.start), strict=True))}))


def joint_problem(parameters: ParameterSet, exclude: Sequence[str] = ()) -> Problem:
    """The calibration problem over the parameters marked ``free``, starting from their base values, with the
    residuals of every fitted study except ``exclude``."""
    free = parameters.free()
    names = [name for name in studies.fitted() if name not in set(exclude)]
    return Problem(
        names=tuple(p.name for p in free),
        lower=np.log([p.lower for p in free]),
        upper=np.log([p.upper for p in free]),
        start=np.log([p.value for p in free]),
        fixed=parameters.values(),
        residual_fn=residuals_of(names),
        studies=tuple(names),
    )
