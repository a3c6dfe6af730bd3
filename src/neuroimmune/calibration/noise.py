"""The noise model of the joint calibration: each study's residuals are weighted by its own published spread
(``neuroimmune.studies.<id>.residuals``), and one common error-scale factor multiplies every spread.

Why a common factor. At the packaged fit the 73 residuals with a noise model, each through the calibration's
Cauchy loss (:func:`neuroimmune.calibration.problem.through_loss`), cost 50.1 (half their sum of squares), a reduced
chi-square of about 1.64 over 73 - 12 = 61 degrees of freedom: the model misses the data by more than the studies'
standard errors. The published spreads are standard errors of cohort means; they leave out the model's own error (a
mechanistic model of 40 states is not the truth) and the between-study differences of assay and protocol. Taking
them at face value would make every interval and band too narrow by that factor. The standard remedy of nonlinear
regression (Seber & Wild 1989, Nonlinear Regression; Bates & Watts 1988, Nonlinear Regression Analysis and Its
Applications) is to estimate one variance factor from the residuals, ``s^2 = sum r^2 / (n - p)``, and to scale the
weighted residuals by ``1/s``; the profile thresholds and the posterior then carry the observed misfit (here
s = 1.28 on the transformed residuals; under the squared loss it was 1.92, driven by the few studies the loss now
caps).
One factor for all studies, not one per study: most studies give 1 to 5 residuals, too few to estimate their own.
It is never below 1 (a fit closer than the published spreads does not make them smaller).

The weak prior of the free parameters (:mod:`neuroimmune.calibration.problem`) is not data and is not scaled.
Qualitative studies (``Study.qualitative``, ordinal constraints that cost nothing while the published order
holds) have no noise model: they count no degree of freedom and are not scaled.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from .. import studies
from .problem import Problem


@dataclasses.dataclass(frozen=True)
class NoiseModel:
    """``observed``: one flag per data residual of the problem, True where the residual has a noise model (False
    for qualitative constraints); ``scale``: the common error-scale factor; ``dof``: the degrees of freedom it was
    estimated with (observed residuals minus free parameters); ``data_cost``: half the sum of squares of the
    observed residuals (unscaled) at the values it was estimated at."""

    observed: np.ndarray
    scale: float
    dof: int
    data_cost: float

    @property
    def weights(self) -> np.ndarray:
        """What each data residual is multiplied by: ``1/scale`` where observed, 1 for qualitative ones."""
        return np.where(self.observed, 1.0 / self.scale, 1.0)

    def describe(self) -> dict[str, float | int | str]:
        return {"error_scale": round(self.scale, 6), "reduced_chi_square": round(self.scale**2, 6),
                "observed_residuals": int(self.observed.sum()),
                "qualitative_residuals": int((~self.observed).sum()), "dof": self.dof,
                "data_cost_at_fit": round(self.data_cost, 6),
                "rule": "s^2 = sum(r^2) / (n_observed - n_free) of the weighted residuals through the Cauchy loss "
                        "(neuroimmune.calibration.problem.through_loss) at the fit, at least 1; "
                        "every observed residual is divided by s (neuroimmune.calibration.noise)"}


def observed_mask(problem: Problem, log_x: np.ndarray) -> np.ndarray:
    """One flag per data residual of ``problem``: False for the residuals of qualitative studies."""
    values = {**problem.fixed, **dict(zip(problem.names, np.exp(log_x), strict=True))}
    flags = [np.full(len(studies.modules()[name].residuals(values)), not studies.studies()[name].qualitative)
             for name in problem.studies]
    mask = np.concatenate(flags) if flags else np.zeros(0, dtype=bool)
    if mask.size != problem.n_data:
        raise RuntimeError(f"the studies give {mask.size} residuals but the problem {problem.n_data}")
    return mask


def estimate(problem: Problem, log_x: np.ndarray, observed: np.ndarray | None = None) -> NoiseModel:
    """The noise model with the error scale estimated from the residuals at ``log_x`` (the fit)."""
    observed = observed_mask(problem, log_x) if observed is None else np.asarray(observed, dtype=bool)
    r = problem.residuals(np.asarray(log_x, dtype=float))[: problem.n_data][observed]
    dof = int(observed.sum()) - len(problem.names)
    if dof < 1:
        raise ValueError(f"observed residuals: need more than the {len(problem.names)} free parameters to "
                         f"estimate an error scale (got {int(observed.sum())})")
    ssr = float(np.sum(r**2))
    return NoiseModel(observed=observed, scale=max(1.0, float(np.sqrt(ssr / dof))), dof=dof, data_cost=0.5 * ssr)


def scaled_residuals(problem: Problem, noise: NoiseModel, log_x: np.ndarray, prior: bool = True) -> np.ndarray:
    """The problem's residuals with the data part scaled by the noise model, then (``prior``) the prior's."""
    r = problem.residuals(np.asarray(log_x, dtype=float))
    data = r[: problem.n_data] * noise.weights
    return np.concatenate([data, r[problem.n_data:]]) if prior else data
