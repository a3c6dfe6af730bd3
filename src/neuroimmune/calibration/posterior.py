"""A posterior sample of the free parameters: MCMC over their log values, with convergence diagnostics.

Sampler: emcee's affine-invariant ensemble sampler (Foreman-Mackey et al. 2013, PASP 125:306), with the
differential-evolution moves (ter Braak 2006; ter Braak & Vrugt 2008) that emcee's documentation recommends for
correlated posteriors of a few dimensions. Chosen over pyPESTO's samplers because it needs only the log density
(no gradient: ours would be finite differences of an ODE solve, 16 solves per gradient), is insensitive to the
scaling and correlation of the parameters (an ensemble of walkers learns them), and is well kept and small. Its
walkers start from a ball drawn from the Laplace (Gauss-Newton) approximation at the fit, so the burn-in is short.

Density: exp of minus half the sum of squares of the studies' weighted residuals after the calibration's Cauchy
loss (:func:`neuroimmune.calibration.problem.through_loss`; qualitative studies Gaussian), divided by the common
error scale s of :mod:`neuroimmune.calibration.noise` (estimated once at the fit): the objective the fit
minimises. Per residual that is a heavy-tailed, Student-t shaped likelihood, ``(1 + (r/c)^2)^(-c^2 / (2 s^2))``
with c the loss's scale (2). Times the weak log-normal prior of :mod:`neuroimmune.calibration.problem`, truncated
to the bounds.

Diagnostics (ArviZ's ``arviz_stats``, Vehtari et al. 2021, Bayesian Analysis 16:667): rank-normalised split R-hat
and bulk and tail effective sample sizes, with the walkers as chains (walkers of one ensemble are not independent
chains, so R-hat is a check that no walker is stuck elsewhere, not a proof), and emcee's integrated
autocorrelation time (Sokal's window; emcee's own advice is a chain longer than 50 times it). Printed and stored
in the file's provenance with the sampler settings, the seed, the command and fingerprints of the fit, model and
data it belongs to.

Resuming: a run keeps a checkpoint beside its output (``<out>.partial.npz``: the chain so far, the walkers' last
positions and the sampler's random state), rewritten atomically every 25 steps. Run again with the same settings
(any ``--steps``), it continues from the checkpoint and gives the very chain an uninterrupted run would; a larger
``--steps`` extends a finished run the same way while its checkpoint is kept (``keep_checkpoint``). The checkpoint
is tied to the start (walkers, seed, the fit and data fingerprints); one made for another start is not used.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from .. import __version__
from ..errors import NeuroimmuneError
from ..model.parameters import base_parameters, default_parameters
from .noise import NoiseModel, estimate, scaled_residuals
from .problem import ROBUST_SCALE, Problem, joint_problem
from .store import fit_record, posterior_path, write_posterior
from .workers import forked_pool, in_worker

#: Defaults of ``neuroimmune calibrate --posterior``, those of the packaged sample: 60,000 densities (about 37
#: minutes with two processes); 4,800 kept draws. The kept chain is 41 autocorrelation times long and its
#: largest R-hat 1.032 (1,400 steps gave 31 and 1.055; 700 steps 17.5 and 1.12).
WALKERS, STEPS, BURN, THIN = 24, 2500, 500, 10


@dataclasses.dataclass(frozen=True)
class Sample:
    """What an ensemble run kept: ``chain`` (steps after burn-in, walkers, parameters; log values) and its
    ``log_density``, each walker's acceptance fraction, and the settings it ran with."""

    chain: np.ndarray
    log_density: np.ndarray
    acceptance: np.ndarray
    settings: dict[str, Any]

    def draws(self, thin: int = 1) -> np.ndarray:
        """Every ``thin``-th step of every walker, flattened to (draws, parameters) (log values)."""
        return self.chain[::thin].reshape(-1, self.chain.shape[-1])

    def draw_density(self, thin: int = 1) -> np.ndarray:
        return self.log_density[::thin].reshape(-1)


def laplace_covariance(residuals: Callable[[np.ndarray], np.ndarray], x: np.ndarray, step: float = 1e-6) -> np.ndarray:
    """The Gauss-Newton covariance ``(J^T J)^-1`` of residuals whose half sum of squares is the negative log
    density, with ``J`` by central differences (a step of 1e-6 in log values: the solver's round-off and the
    kinks of ordinal constraints stay out of it)."""
    x = np.asarray(x, dtype=float)
    columns = []
    for i in range(x.size):
        e = np.zeros_like(x)
        e[i] = step
        columns.append((residuals(x + e) - residuals(x - e)) / (2 * step))
    jac = np.array(columns).T
    return np.linalg.pinv(jac.T @ jac)


def start_ball(log_density: Callable[[np.ndarray], float], centre: np.ndarray, cov: np.ndarray, lower: np.ndarray,
               upper: np.ndarray, walkers: int, rng: np.random.Generator, max_tries: int = 50) -> np.ndarray:
    """``walkers`` starting points drawn from N(centre, cov) inside the bounds and of finite density; a draw
    that falls outside is drawn again, and after ``max_tries`` rounds the covariance is halved."""
    points: list[np.ndarray] = []
    cov = np.array(cov, dtype=float)
    tries = 0
    while len(points) < walkers:
        x = rng.multivariate_normal(centre, cov)
        if np.all(x > lower) and np.all(x < upper) and np.isfinite(log_density(x)):
            points.append(x)
            continue
        tries += 1
        if tries % max_tries == 0:
            cov = cov / 2
        if tries > 20 * max_tries:
            raise RuntimeError("no starting point of finite density near the fit; is the fit inside its bounds?")
    return np.array(points)


def _checkpoint_key(start: np.ndarray, seed: int, belongs_to: str) -> str:
    """What a checkpoint must match to be continued: the start, the seed and what the density belongs to."""
    import hashlib

    digest = hashlib.sha256(np.ascontiguousarray(start, dtype=float).tobytes())
    digest.update(f"{seed}|{belongs_to}".encode())
    return digest.hexdigest()


def _read_checkpoint(path: Path | None, key: str) -> dict[str, Any] | None:
    if path is None or not path.is_file():
        return None
    with np.load(path, allow_pickle=False) as saved:
        if str(saved["key"]) != key:
            return None
        return {k: saved[k] for k in saved.files}


def _write_checkpoint(path: Path, key: str, chain: np.ndarray, log_prob: np.ndarray, accepted: np.ndarray,
                      random_state: tuple) -> None:
    import io

    from ..io.atomic import write_bytes

    name, keys, pos, has_gauss, cached = random_state
    buffer = io.BytesIO()
    np.savez(buffer, key=np.array(key), chain=chain, log_prob=log_prob, accepted=accepted,
             rng_name=np.array(name), rng_keys=keys, rng_pos=np.array(pos), rng_has_gauss=np.array(has_gauss),
             rng_cached=np.array(cached))
    write_bytes(buffer.getvalue(), path)


def run_ensemble(log_density: Callable[[np.ndarray], float], start: np.ndarray, steps: int, burn: int, seed: int,
                 progress: Callable[[int, float], None] | None = None, every: int = 25,
                 checkpoint: Path | None = None, belongs_to: str = "", processes: int = 1) -> Sample:
    """Run emcee from ``start`` (walkers x parameters) for ``steps`` steps and keep those after ``burn``.
    ``progress(step, mean acceptance)`` is called every ``every`` steps. With ``checkpoint`` (a ``.npz`` path),
    the chain so far is written there every ``every`` steps, and a checkpoint of the same start, seed and
    ``belongs_to`` found there is continued (see the module docstring); the chain is the same either way.
    ``processes`` > 1 evaluates each half-ensemble's proposals in that many forked processes (emcee's ``pool``);
    the random numbers stay in this process, so the chain is the same as with one."""
    with forked_pool(processes, log_density) as pool:
        return _run(log_density, start, steps, burn, seed, progress, every, checkpoint, belongs_to, pool)


def _run(log_density: Callable[[np.ndarray], float], start: np.ndarray, steps: int, burn: int, seed: int,
         progress: Callable[[int, float], None] | None, every: int, checkpoint: Path | None, belongs_to: str,
         pool: Any) -> Sample:
    import emcee

    if not 0 <= burn < steps:
        raise NeuroimmuneError(f"burn: must be at least 0 and below steps ({steps}) (got {burn})")
    walkers, ndim = start.shape
    key = _checkpoint_key(start, seed, belongs_to)
    moves = [(emcee.moves.DEMove(), 0.8), (emcee.moves.DESnookerMove(), 0.2)]
    sampler = emcee.EnsembleSampler(walkers, ndim, log_density if pool is None else in_worker, moves=moves,
                                    pool=pool)
    saved = _read_checkpoint(checkpoint, key)
    chains, probs = [np.empty((0, walkers, ndim))], [np.empty((0, walkers))]
    accepted = np.zeros(walkers)
    state: Any = start
    if saved is None:
        sampler.random_state = np.random.RandomState(seed).get_state()
    else:
        if len(saved["chain"]) > steps:
            raise NeuroimmuneError(f"steps: the checkpoint {checkpoint} holds {len(saved['chain'])} steps, more than "
                                   f"the {steps} asked for; give at least that many or remove it")
        chains, probs = [saved["chain"]], [saved["log_prob"]]
        accepted = saved["accepted"].astype(float)
        rng = (str(saved["rng_name"]), saved["rng_keys"], int(saved["rng_pos"]), int(saved["rng_has_gauss"]),
               float(saved["rng_cached"]))
        state = emcee.State(saved["chain"][-1], log_prob=saved["log_prob"][-1], random_state=rng)
    done = len(chains[0])
    if saved is not None and progress:
        progress(done, float(np.mean(accepted / done)))

    def flush() -> None:
        if checkpoint is not None:
            _write_checkpoint(checkpoint, key, np.concatenate([*chains, sampler.get_chain()]),
                              np.concatenate([*probs, sampler.get_log_prob()]), accepted + sampler.backend.accepted,
                              sampler.random_state)

    if done < steps:
        for i, _ in enumerate(sampler.sample(state, iterations=steps - done), start=done + 1):
            if i % every == 0 or i == steps:
                flush()
                if progress:
                    progress(i, float(np.mean((accepted + sampler.backend.accepted) / i)))
        chains.append(sampler.get_chain())
        probs.append(sampler.get_log_prob())
        accepted = accepted + sampler.backend.accepted
    chain, log_prob = np.concatenate(chains), np.concatenate(probs)
    return Sample(chain=chain[burn:], log_density=log_prob[burn:], acceptance=accepted / steps,
                  settings={"sampler": f"emcee {emcee.__version__} EnsembleSampler",
                            "moves": "DEMove 0.8, DESnookerMove 0.2", "walkers": walkers, "steps": steps,
                            "burn": burn, "seed": seed})


def diagnostics(chain: np.ndarray, names: tuple[str, ...], thin: int = 1) -> dict[str, Any]:
    """R-hat and effective sample sizes (bulk, tail) per parameter over the walkers as chains, emcee's
    integrated autocorrelation time in steps, and the kept chain's length in autocorrelation times."""
    import emcee
    from arviz_stats.base import array_stats

    by_walker = np.swapaxes(chain, 0, 1)  # (walker, step, parameter)
    rhat = array_stats.rhat(by_walker, chain_axis=0, draw_axis=1)
    ess_bulk = array_stats.ess(by_walker, chain_axis=0, draw_axis=1, method="bulk")
    ess_tail = array_stats.ess(by_walker, chain_axis=0, draw_axis=1, method="tail", prob=(0.05, 0.95))
    with np.errstate(invalid="ignore", divide="ignore"):
        tau = emcee.autocorr.integrated_time(chain, quiet=True)
    thinned = by_walker[:, ::thin]
    ess_kept = array_stats.ess(thinned, chain_axis=0, draw_axis=1, method="bulk")

    def number(v: float, digits: int) -> float | None:  # None where a chain too short gives no estimate
        return round(float(v), digits) if np.isfinite(v) else None

    def per(a: np.ndarray, digits: int) -> dict[str, float | None]:
        return {n: number(v, digits) for n, v in zip(names, a, strict=True)}

    with np.errstate(invalid="ignore", divide="ignore"):
        return {"rhat": per(rhat, 4), "ess_bulk": per(ess_bulk, 1), "ess_tail": per(ess_tail, 1),
                "ess_bulk_of_kept_draws": per(ess_kept, 1), "autocorrelation_time_steps": per(tau, 2),
                "max_rhat": number(np.max(rhat), 4), "min_ess_bulk": number(np.min(ess_bulk), 1),
                "min_ess_tail": number(np.min(ess_tail), 1),
                "kept_steps_over_max_autocorrelation_time": number(chain.shape[0] / np.max(tau), 2)}


def log_density_of(problem: Problem, noise: NoiseModel) -> Callable[[np.ndarray], float]:
    """The log posterior density over log values (up to a constant): scaled data and prior residuals, -inf
    outside the bounds."""

    def log_density(x: np.ndarray) -> float:
        if np.any(x < problem.lower) or np.any(x > problem.upper):
            return -np.inf
        r = scaled_residuals(problem, noise, x)
        return -0.5 * float(r @ r)

    return log_density


def posterior(walkers: int = WALKERS, steps: int = STEPS, burn: int = BURN, thin: int = THIN, seed: int = 0,
              out: Path | None = None, command: str | None = None,
              progress: Callable[[int, float], None] | None = None, keep_checkpoint: bool = False,
              processes: int | None = None) -> dict[str, Any]:
    """Sample the posterior of the joint problem's free parameters around the packaged fit and write it
    (default: the packaged sample, ``model/fitted/endotoxemia_posterior.nc``). Returns the provenance. A
    checkpoint beside the output (``<out>.partial.npz``) is continued if one of the same start is there, and
    removed once the output is written unless ``keep_checkpoint`` (to extend the run later with more steps).
    ``processes``: worker processes for the densities (default: the cores this process may use, at most half the
    walkers); the sample does not depend on it."""
    began = time.monotonic()
    load = os.getloadavg()[0]
    problem = joint_problem(base_parameters())
    if walkers < 2 * len(problem.names) or walkers % 2:
        raise NeuroimmuneError(f"walkers: must be even and at least twice the {len(problem.names)} free parameters "
                               f"(got {walkers})")
    if thin < 1:
        raise NeuroimmuneError(f"thin: must be at least 1 (got {thin})")
    if not 0 <= burn < steps:
        raise NeuroimmuneError(f"burn: must be at least 0 and below steps ({steps}) (got {burn})")
    fitted = default_parameters()
    x_fit = np.log([fitted[name].value for name in problem.names])
    # first: what the run belongs to, read before anything can change
    record = fit_record(problem, {n: fitted[n].value for n in problem.names})
    noise = estimate(problem, x_fit)
    log_density = log_density_of(problem, noise)
    cov = laplace_covariance(lambda x: scaled_residuals(problem, noise, x), x_fit)
    rng = np.random.default_rng(seed)
    start = start_ball(log_density, x_fit, cov, problem.lower, problem.upper, walkers, rng)
    target = out or posterior_path("endotoxemia")
    checkpoint = target.with_name(target.name + ".partial.npz")
    if processes is None:
        processes = min(len(os.sched_getaffinity(0)), walkers // 2)
    if processes < 1:
        raise NeuroimmuneError(f"processes: must be at least 1 (got {processes})")
    sample = run_ensemble(log_density, start, steps, burn, seed, progress, checkpoint=checkpoint,
                          belongs_to=json.dumps(record, sort_keys=True), processes=processes)
    diag = diagnostics(sample.chain, problem.names, thin)
    log_draws = sample.draws(thin)
    draws = np.exp(log_draws)
    q = np.quantile(draws, [0.025, 0.5, 0.975], axis=0)
    provenance = {
        "problem": "joint: every study of neuroimmune.studies with fitted=True",
        "parameters": list(problem.names),
        "studies": list(problem.studies),
        "density": "heavy-tailed likelihood: the weighted study residuals through the Cauchy loss (scale "
                   f"{ROBUST_SCALE:g}, qualitative studies squared; neuroimmune.calibration.problem.through_loss), "
                   "divided by a common error scale "
                   "(neuroimmune.calibration.noise), times the weak log-normal prior of each free parameter "
                   "(neuroimmune.calibration.problem), truncated to the bounds; sampled over log values",
        "noise": noise.describe(),
        "start": f"{walkers} walkers drawn from the Laplace (Gauss-Newton) normal at the packaged fit",
        "laplace_sd_log": {n: round(float(v), 6) for n, v in zip(problem.names, np.sqrt(np.diag(cov)), strict=True)},
        **sample.settings,
        "thin": thin,
        "n_draws": int(draws.shape[0]),
        "acceptance_fraction": round(float(np.mean(sample.acceptance)), 4),
        "diagnostics": diag,
        "summary": {n: {"q025": float(f"{q[0, i]:.6g}"), "median": float(f"{q[1, i]:.6g}"),
                        "q975": float(f"{q[2, i]:.6g}"), "fit": float(f"{fitted[n].value:.6g}")}
                    for i, n in enumerate(problem.names)},
        "fingerprints": record,
        "command": command or "neuroimmune.calibration.posterior.posterior",
        "wall_time_s": round(time.monotonic() - began, 1),
        "processes": processes,
        "load_average_at_start": round(load, 2),
        "neuroimmune_version": __version__,
        "date": _dt.date.today().isoformat(),
    }
    units = [fitted[name].unit for name in problem.names]
    write_posterior(target, problem.names, draws, provenance, units=units, log_density=sample.draw_density(thin))
    if not keep_checkpoint:
        checkpoint.unlink(missing_ok=True)
    return provenance
