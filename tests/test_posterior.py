"""The posterior: the sampler machinery on a problem whose posterior is known exactly, the noise model, the file
round trip, the command, and that the packaged sample belongs to the packaged fit, model and data."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from neuroimmune import studies
from neuroimmune.calibration import noise as noise_model
from neuroimmune.calibration.posterior import diagnostics, laplace_covariance, run_ensemble, start_ball
from neuroimmune.calibration.problem import Problem, joint_problem
from neuroimmune.calibration.store import fingerprint, fit_record, write_posterior
from neuroimmune.cli import app
from neuroimmune.errors import NeuroimmuneError
from neuroimmune.model.fits import load_posterior, posterior_path
from neuroimmune.model.parameters import base_parameters, default_parameters

# a linear-Gaussian problem: residuals A x - b, so the density exp(-|Ax - b|^2 / 2) is normal with mean
# (A^T A)^-1 A^T b and covariance (A^T A)^-1, exactly
A = np.array([[1.0, 0.0], [1.0, 1.0], [0.0, 2.0], [0.5, -1.0]])
B = np.array([1.0, 2.0, -1.0, 0.5])
COV = np.linalg.inv(A.T @ A)
MEAN = COV @ A.T @ B


def linear_residuals(x: np.ndarray) -> np.ndarray:
    return A @ x - B


def linear_density(x: np.ndarray) -> float:
    r = linear_residuals(x)
    return -0.5 * float(r @ r)


def test_laplace_covariance_is_exact_for_linear_residuals():
    assert np.allclose(laplace_covariance(linear_residuals, np.zeros(2)), COV, rtol=1e-6)


def test_the_ensemble_recovers_a_known_normal_posterior():
    rng = np.random.default_rng(1)
    lower, upper = np.full(2, -50.0), np.full(2, 50.0)
    start = start_ball(linear_density, MEAN + 3.0, COV, lower, upper, 16, rng)  # started off the mode
    assert start.shape == (16, 2) and np.all((start > lower) & (start < upper))
    sample = run_ensemble(linear_density, start, steps=1500, burn=300, seed=3)
    draws = sample.draws()
    diag = diagnostics(sample.chain, ("a", "b"))
    assert diag["max_rhat"] < 1.05
    # the mean is right within 4 Monte Carlo standard errors (from the effective sample size)
    ess = np.array([diag["ess_bulk"]["a"], diag["ess_bulk"]["b"]])
    sd = np.sqrt(np.diag(COV))
    assert np.all(np.abs(draws.mean(axis=0) - MEAN) < 4 * sd / np.sqrt(ess))
    assert np.allclose(draws.std(axis=0), sd, rtol=0.15)
    corr = np.corrcoef(draws.T)[0, 1]
    assert corr == pytest.approx(COV[0, 1] / (sd[0] * sd[1]), abs=0.1)
    assert sample.settings["seed"] == 3 and sample.chain.shape == (1200, 16, 2)


def test_the_same_seed_gives_the_same_chain():
    rng = [np.random.default_rng(0), np.random.default_rng(0)]
    bounds = np.full(2, -50.0), np.full(2, 50.0)
    a, b = (run_ensemble(linear_density, start_ball(linear_density, MEAN, COV, *bounds, 8, r), 20, 5, seed=7)
            for r in rng)
    assert np.array_equal(a.chain, b.chain)


def test_an_interrupted_chain_resumes_to_the_chain_an_uninterrupted_run_gives(tmp_path):
    bounds = np.full(2, -50.0), np.full(2, 50.0)
    start = start_ball(linear_density, MEAN, COV, *bounds, 8, np.random.default_rng(0))
    whole = run_ensemble(linear_density, start, 60, 10, seed=7)
    checkpoint = tmp_path / "chain.partial.npz"

    class Interrupted(Exception):
        pass

    def stop_at_35(step: int, acceptance: float) -> None:  # the checkpoint was written at step 25
        if step >= 35:
            raise Interrupted

    with pytest.raises(Interrupted):
        run_ensemble(linear_density, start, 60, 10, seed=7, progress=stop_at_35, every=5, checkpoint=checkpoint)
    with np.load(checkpoint) as saved:
        assert saved["chain"].shape == (35, 8, 2)  # written every 5 steps, the last at 35
    resumed = run_ensemble(linear_density, start, 60, 10, seed=7, checkpoint=checkpoint, every=5)
    assert np.array_equal(resumed.chain, whole.chain)
    assert np.array_equal(resumed.log_density, whole.log_density)
    assert np.allclose(resumed.acceptance, whole.acceptance)
    # a longer run extends the finished one the same way
    longer = run_ensemble(linear_density, start, 80, 10, seed=7, checkpoint=checkpoint)
    assert np.array_equal(longer.chain, run_ensemble(linear_density, start, 80, 10, seed=7).chain)
    # fewer steps than the checkpoint holds are refused, and another seed does not continue it
    with pytest.raises(NeuroimmuneError, match="steps: the checkpoint"):
        run_ensemble(linear_density, start, 40, 10, seed=7, checkpoint=checkpoint)
    other = run_ensemble(linear_density, start, 20, 5, seed=8)
    assert np.array_equal(run_ensemble(linear_density, start, 20, 5, seed=8, checkpoint=checkpoint).chain,
                          other.chain)


def test_two_processes_give_the_chain_one_gives():
    # the random numbers stay in this process; the workers only evaluate densities
    bounds = np.full(2, -50.0), np.full(2, 50.0)
    start = start_ball(linear_density, MEAN, COV, *bounds, 8, np.random.default_rng(0))
    one = run_ensemble(linear_density, start, 30, 5, seed=7)
    two = run_ensemble(linear_density, start, 30, 5, seed=7, processes=2)
    assert np.array_equal(one.chain, two.chain) and np.array_equal(one.log_density, two.log_density)


def test_the_start_ball_stays_inside_the_bounds():
    rng = np.random.default_rng(0)
    lower, upper = np.array([0.0, -1.0]), np.array([0.1, 1.0])
    start = start_ball(linear_density, np.array([0.05, 0.0]), np.eye(2), lower, upper, 10, rng)
    assert np.all(start > lower) and np.all(start < upper)


def _problem(residuals: np.ndarray, n_free: int) -> Problem:
    return Problem(names=tuple(f"p{i}" for i in range(n_free)), lower=np.full(n_free, -1.0),
                   upper=np.full(n_free, 1.0), start=np.zeros(n_free), fixed={},
                   residual_fn=lambda values: residuals)


def test_the_error_scale_is_the_root_mean_square_over_the_degrees_of_freedom():
    r = np.array([3.0, -3.0, 3.0, -3.0, 3.0, 0.0])
    observed = np.array([True] * 5 + [False])  # the last one is qualitative: no degree of freedom
    noise = noise_model.estimate(_problem(r, 2), np.zeros(2), observed)
    assert noise.dof == 3 and noise.scale == pytest.approx(np.sqrt(45.0 / 3))
    assert np.allclose(noise.weights, [1 / noise.scale] * 5 + [1.0])
    scaled = noise_model.scaled_residuals(_problem(r, 2), noise, np.zeros(2), prior=False)
    assert np.allclose(scaled[:5], r[:5] / noise.scale) and scaled[5] == 0.0


def test_the_error_scale_never_shrinks_the_published_spreads():
    noise = noise_model.estimate(_problem(np.full(10, 0.1), 2), np.zeros(2), np.ones(10, dtype=bool))
    assert noise.scale == 1.0


def test_qualitative_study_residuals_are_not_observed():
    problem = joint_problem(base_parameters())
    fitted = default_parameters()
    mask = noise_model.observed_mask(problem, np.log([fitted[n].value for n in problem.names]))
    qualitative = [s for s in problem.studies if studies.studies()[s].qualitative]
    assert qualitative == ["suffredini1999", "wegner2014"]
    # 5 observables x 2 steps between 3 doses, and 3 orders of threshold falls; the two are the last fitted studies
    assert mask.size == problem.n_data and (~mask).sum() == 13
    assert not mask[-13:].any()


def test_a_posterior_file_round_trips(tmp_path):
    draws = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.5]])
    path = tmp_path / "p.nc"
    write_posterior(path, ("a", "b"), draws, {"seed": 1, "command": "x"}, units=["1/h", "1"],
                    log_density=np.array([-1.0, -2.0, -3.0]))
    post = load_posterior("endotoxemia", path)
    assert post is not None and post.names == ("a", "b")
    assert np.array_equal(post.draws, draws) and post.provenance == {"seed": 1, "command": "x"}
    assert post.sample(2, seed=0)[0].keys() == {"a", "b"}


def test_a_posterior_of_the_wrong_shape_is_refused_and_nothing_written(tmp_path):
    with pytest.raises(ValueError, match=r"draws: must have shape \(n_draws, 3\)"):
        write_posterior(tmp_path / "p.nc", ("a", "b", "c"), np.zeros((4, 2)), {})
    assert list(tmp_path.iterdir()) == []


def test_the_command_samples_and_writes_its_file(tmp_path):
    out = tmp_path / "post.nc"
    problem = joint_problem(base_parameters())
    walkers = 2 * len(problem.names)  # the fewest the sampler accepts
    res = CliRunner().invoke(app, ["calibrate", "--posterior", "--walkers", str(walkers), "--steps", "4", "--burn",
                                   "1", "--thin", "1", "--seed", "5", "--out", str(out)], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert "R-hat" in res.output and "x_pn6" in res.output
    post = load_posterior("endotoxemia", out)
    assert post is not None and post.draws.shape == (walkers * 3, len(problem.names))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["post.nc"]  # the checkpoint is gone once written
    assert post.provenance["command"].endswith(f"--walkers {walkers} --steps 4 --burn 1 --thin 1 --seed 5 --out "
                                               + str(out))
    assert np.all((np.log(post.draws) >= problem.lower) & (np.log(post.draws) <= problem.upper))


@pytest.mark.parametrize(("args", "message"), [
    (["--walkers", "15"], "walkers: must be even and at least twice the 12 free parameters (got 15)"),
    (["--burn", "10", "--steps", "10"], "burn: must be at least 0 and below steps (10) (got 10)"),
    (["--out", "post.txt"], "--out"),
    (["--exclude", "coyle2006"], "--exclude: works only for a fit, not with --posterior"),
])
def test_bad_posterior_options_are_refused(tmp_path, args, message):
    res = CliRunner().invoke(app, ["calibrate", "--posterior", *args], env={"COLUMNS": "200"})
    assert res.exit_code == 2 and message in res.output and "Traceback" not in res.output
    assert not (tmp_path / "post.txt").exists()


def test_the_packaged_posterior_belongs_to_the_packaged_fit_model_and_data():
    """The committed sample was drawn around the committed fit, with the fixed parameter values it reads, against the
    committed study data, and the model still gives the same cost at the fit. If this fails the sample is stale:
    rerun the command in its provenance (about 4 hours on 2 cores)."""
    post = load_posterior("endotoxemia")
    assert post is not None, f"no packaged posterior at {posterior_path('endotoxemia')}"
    prov = post.provenance
    problem = joint_problem(base_parameters())
    fitted = default_parameters()
    assert post.names == problem.names
    stored = prov["fingerprints"]
    assert stored["fit"] == fingerprint({n: fitted[n].value for n in problem.names})
    # The fixed parameters and the data: the cost of each study at the fit, which any changed number of a study or
    # any fixed parameter a fitted study reads moves. The hash of every parameter value (``parameters``, kept in the
    # provenance) also moves with a parameter no fitted study reads (a vaccine's, interferon's effect on
    # nociceptors, which endotoxin does not raise), which must not make a sample stale. The hash of the
    # study modules' source (``data``, kept in the provenance) also moves with a refactor that keeps every number
    # (the PEtab work moved janum2016's and degoeij2013's data into measurement records: residuals identical to
    # the last bit), which must not make a 40-minute sample stale; so the per-study cost below is the check, and the
    # source hash stays in the provenance as a record of what was sampled.
    now = fit_record(problem, {n: fitted[n].value for n in problem.names})
    assert now["cost_by_study_at_fit"] == pytest.approx(stored["cost_by_study_at_fit"], rel=1e-6, abs=1e-9)
    assert prov["command"].startswith("neuroimmune calibrate --posterior")
    # a sample worth keeping: no walker stuck away from the others (R-hat over the walkers as chains, below 1.05;
    # the committed sample's is 1.033, its chain 36 autocorrelation times long where emcee advises 50, as the
    # README says), several hundred effective draws of each parameter, 1,000-5,000 draws in the bounds
    diag = prov["diagnostics"]
    assert diag["max_rhat"] < 1.05 and diag["min_ess_bulk"] >= 500
    assert diag["kept_steps_over_max_autocorrelation_time"] >= 35
    assert 1000 <= len(post.draws) <= 5000
    assert np.all((np.log(post.draws) >= problem.lower) & (np.log(post.draws) <= problem.upper))
    json.dumps(prov, allow_nan=False)
