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
from ..errors import NeuroimmuneError, UnknownNameError
from ..model.parameters import ParameterSet

#: Where the calibration's loss turns from squared to logarithmic, in units of a study's published spread: a
#: residual within 2 spreads costs almost what least squares charges; one far beyond costs only logarithmically
#: more. See :func:`robust`.
ROBUST_SCALE = 2.0


def robust(r: np.ndarray, c: float = ROBUST_SCALE) -> np.ndarray:
    """Residuals transformed so that half their sum of squares is the Cauchy (Student-t, one degree of freedom)
    loss: ``sign(r) c sqrt(log(1 + (r/c)^2))``, whose half square is ``c^2/2 log(1 + (r/c)^2)``, the loss
    ``scipy.optimize.least_squares`` applies with ``loss="cauchy", f_scale=c``. Near zero it is ``r`` itself.

    Why a heavy tail. Some studies cannot be met together by any parameter set of this model: the low-dose fold
    rises (Krabbe 2005, Dillingh 2014) against the absolute low-dose levels (Grigoleit 2010) and the fast
    kinetics of Janum 2016. Under least squares the study that disagrees most pulls hardest, and a refit that
    leaves out one side chases the other (cross-validation without Janum 2016 put the TNF peak at 0.65-0.85 h
    in two records and lost 10 of that group's rows). The Cauchy loss lets a study that stays far off cost only
    logarithmically more, so the fit follows what most studies agree on. Measured on refits without Janum's group
    from the packaged fit (least squares' own ``loss`` option, which also put the prior through the loss): Huber
    (c = 2) passed 14 of the group's 23 rows, Cauchy (c = 2) 21. Transforming the residuals, rather than passing
    ``loss`` to the optimizer, keeps one objective for everything that reads the residuals: the trust-region fit,
    the noise model, the profiles and the posterior's likelihood.
    """
    r = np.asarray(r, dtype=float)
    return np.sign(r) * c * np.sqrt(np.log1p((r / c) ** 2))


def through_loss(name: str, r: np.ndarray) -> np.ndarray:
    """A study's weighted residuals as the objective counts them: through :func:`robust`, except a qualitative
    study's (ordinal constraints, zero while the published order holds), which stay as they are: a penalty for
    breaking an order is not a measurement with a spread, and capping it would let the fit break the order."""
    r = np.asarray(r, dtype=float)
    return r if studies.studies()[name].qualitative else robust(r)


def residuals_of(names: Sequence[str]) -> Callable[[dict[str, float]], np.ndarray]:
    """The residual function of the named studies: their residual vectors, each through the loss
    (:func:`through_loss`), one after another."""
    modules = [(name, studies.modules()[name]) for name in names]

    def residuals(values: dict[str, float]) -> np.ndarray:
        return np.concatenate([through_loss(name, m.residuals(values)) for name, m in modules])

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
    prior_sigma: np.ndarray | None = None

    def residuals(self, log_x: np.ndarray) -> np.ndarray:
        """The studies' weighted residuals, then the prior's (:meth:`prior_residuals`)."""
        values = dict(self.fixed)
        values.update(zip(self.names, np.exp(log_x), strict=True))
        try:
            data = self.residual_fn(values)
        except Exception:  # a parameter vector that breaks the solver is a bad fit, not a crash
            data = np.full(self.n_data, 1e3)
        return np.concatenate([data, self.prior_residuals(log_x)])

    def prior_residuals(self, log_x: np.ndarray) -> np.ndarray:
        """Residuals of the log-normal prior of each free parameter: ``(log x - log x0) / sigma``."""
        if self.prior_sigma is None:
            return np.zeros(0)
        return (np.asarray(log_x) - self.start) / self.prior_sigma

    @cached_property
    def n_data(self) -> int:  # computed once: the failure path above needs it on every failed evaluation
        return len(self.residual_fn({**self.fixed, **dict(zip(self.names, np.exp(self.start), strict=True))}))

    @property
    def n_residuals(self) -> int:
        return self.n_data + (0 if self.prior_sigma is None else len(self.names))


#: The prior of a free parameter is log-normal around its documented value (``parameters.yaml``), with the width
#: of its bounds spanning this many standard deviations: a weak prior (a parameter 3 times from its value in the
#: middle of bounds a factor of 10 apart costs about 1, against a data cost of about 50), which decides only what
#: the data leave open. It is what keeps a refit that leaves out the one study informing a parameter (cross-
#: validation) near the documented value, instead of wherever a random start left it.
PRIOR_WIDTH_SIGMAS = 4.0


def joint_problem(parameters: ParameterSet, exclude: Sequence[str] = ()) -> Problem:
    """The calibration problem over the parameters marked ``free``, starting from their base values, with the
    residuals of every fitted study except ``exclude`` (study ids; a cross-validation group may name studies that
    are not fitted, which changes nothing) and the weak prior of each free parameter."""
    known = list(studies.modules())
    for name in exclude:
        if name not in known:
            raise UnknownNameError("exclude", name, known)
    free = parameters.free()
    lower, upper = np.log([p.lower for p in free]), np.log([p.upper for p in free])
    names = [name for name in studies.fitted() if name not in set(exclude)]
    if not names:
        raise NeuroimmuneError(f"exclude: leaves no fitted study to calibrate against (fitted: "
                               f"{', '.join(studies.fitted())}; got {list(exclude)})")
    return Problem(
        names=tuple(p.name for p in free),
        lower=lower,
        upper=upper,
        start=np.log([p.value for p in free]),
        fixed=parameters.values(),
        residual_fn=residuals_of(names),
        studies=tuple(names),
        prior_sigma=(upper - lower) / PRIOR_WIDTH_SIGMAS,
    )


@dataclasses.dataclass(frozen=True)
class StudyFit:
    """How one study fits at given values: its number of weighted residuals, its cost (half their sum of
    squares after the loss, :func:`through_loss`: what the fit minimises), its share of the total cost, and the
    root mean square of its residuals before the loss (1 means the model misses by one published spread on
    average)."""

    study: str
    n_residuals: int
    cost: float
    share: float
    rms: float


def fit_table(names: Sequence[str], values: dict[str, float]) -> list[StudyFit]:
    """The per-study table of fit of the named (fitted) studies at parameter ``values``."""
    res = {name: np.asarray(studies.modules()[name].residuals(values), dtype=float) for name in names}
    costs = {name: 0.5 * float(np.sum(through_loss(name, r) ** 2)) for name, r in res.items()}
    total = sum(costs.values())
    return [StudyFit(name, int(r.size), costs[name], costs[name] / total if total > 0 else 0.0,
                     float(np.sqrt(np.mean(r**2))) if r.size else 0.0) for name, r in res.items()]
