"""The calibration's loss (``calibration.problem.robust`` and ``through_loss``): the Cauchy loss as SciPy's
least squares applies it, its limits, and which studies go through it."""

import numpy as np
import pytest
from scipy.optimize import least_squares

from neuroimmune import studies
from neuroimmune.calibration.problem import ROBUST_SCALE, fit_table, joint_problem, robust, through_loss
from neuroimmune.model.parameters import base_parameters, default_parameters


def test_half_the_square_is_the_cauchy_loss():
    r = np.array([-50.0, -3.0, -0.2, 0.0, 0.1, 1.0, 2.0, 7.5, 1e4])
    c = ROBUST_SCALE
    assert 0.5 * robust(r) ** 2 == pytest.approx(0.5 * c**2 * np.log1p((r / c) ** 2), rel=1e-12, abs=0)
    assert np.all(np.sign(robust(r)) == np.sign(r))  # the direction of a miss is kept
    assert np.all(np.diff(robust(np.sort(r))) > 0)  # monotone: a larger miss never costs less


def test_near_zero_it_is_the_residual_and_far_out_it_grows_logarithmically():
    small = np.array([-1e-4, 1e-3, 2e-2])
    assert robust(small) == pytest.approx(small, rel=1e-3)  # sqrt(log(1 + x^2)) ~ |x| as x -> 0
    # ten times the miss far out costs c^2/2 log(100) more, not a hundred times as much
    c = ROBUST_SCALE
    cost = lambda x: 0.5 * float(robust(np.array([x]))[0] ** 2)  # noqa: E731
    assert cost(1e4) - cost(1e3) == pytest.approx(0.5 * c**2 * np.log(100.0), rel=1e-6)


def test_a_fit_of_transformed_residuals_is_scipys_cauchy_fit():
    """Peer check: a straight line with three gross outliers, fitted by least squares on ``robust`` residuals and
    by SciPy's own ``loss="cauchy", f_scale=c`` on the raw ones, lands on the same line (and far from plain least
    squares, which the outliers drag)."""
    rng = np.random.default_rng(3)
    t = np.linspace(0, 10, 40)
    y = 1.5 + 0.8 * t + rng.normal(0, 0.3, t.size)
    y[[5, 17, 30]] += [15.0, -12.0, 20.0]
    sigma = 0.3

    def raw(p):
        return (p[0] + p[1] * t - y) / sigma

    ours = least_squares(lambda p: robust(raw(p)), [0.0, 0.0], xtol=1e-12, ftol=1e-12, gtol=1e-12)
    scipys = least_squares(raw, [0.0, 0.0], loss="cauchy", f_scale=ROBUST_SCALE, xtol=1e-12, ftol=1e-12,
                           gtol=1e-12)
    plain = least_squares(raw, [0.0, 0.0])
    assert ours.x == pytest.approx(scipys.x, abs=1e-6)
    assert ours.cost == pytest.approx(scipys.cost, rel=1e-8)
    assert ours.x == pytest.approx([1.5, 0.8], abs=0.2)
    assert abs(plain.x[0] - 1.5) > 3 * abs(ours.x[0] - 1.5)


def test_qualitative_studies_stay_squared_and_measured_ones_go_through_the_loss():
    qualitative = [name for name in studies.fitted() if studies.studies()[name].qualitative]
    measured = [name for name in studies.fitted() if not studies.studies()[name].qualitative]
    assert qualitative and measured
    r = np.array([-9.0, 0.5, 4.0])
    for name in qualitative:
        assert np.array_equal(through_loss(name, r), r)
    for name in measured:
        assert through_loss(name, r) == pytest.approx(robust(r))


def test_the_table_of_fit_adds_up_to_the_problems_cost():
    """The per-study costs (after the loss) and the prior's add up to the problem's objective at the fit; each
    study's RMS is of its residuals before the loss."""
    problem = joint_problem(base_parameters())
    fitted = default_parameters()
    x = np.log([fitted[name].value for name in problem.names])
    values = {**problem.fixed, **dict(zip(problem.names, np.exp(x), strict=True))}
    table = fit_table(problem.studies, values)
    total = 0.5 * float(np.sum(problem.residuals(x) ** 2))
    prior = 0.5 * float(np.sum(problem.prior_residuals(x) ** 2))
    assert sum(f.cost for f in table) + prior == pytest.approx(total, rel=1e-10)
    assert sum(f.share for f in table) == pytest.approx(1.0)
    for f in table:
        raw = np.asarray(studies.modules()[f.study].residuals(values), dtype=float)
        assert f.rms == pytest.approx(float(np.sqrt(np.mean(raw**2))))
        assert f.cost <= 0.5 * float(np.sum(raw**2)) + 1e-12  # the loss never charges more than squares
