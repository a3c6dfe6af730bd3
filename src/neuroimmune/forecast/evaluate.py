"""How good the forecast is, measured on people the library has not seen.

:func:`held_out` draws synthetic diaries from the members of a second library of the same illness and host group
(another seed: members left out of the library), with the stated reporting error
(:mod:`neuroimmune.forecast.measurement`) and a random onset shift; the first ``known`` days are given to the
forecast, and its bands and continuous ranked probability score (CRPS; ``scoringrules``, a maintained scoring
library, on the forecast's draws) are compared with the held-out person's later reports, and with the population
forecast that has no diary (the library's equal weights).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from ..errors import NeuroimmuneError
from . import condition
from .library import Library
from .measurement import noises

#: Fields of the synthetic diaries and of the scored forecasts.
FIELDS = ("back_pain", "temperature")


@dataclasses.dataclass(frozen=True)
class Scores:
    """Coverage of the 50 % and 80 % bands and mean CRPS per field, with and without the diary."""

    diaries: int
    known: int
    horizon: int
    coverage80: float
    coverage50: float
    crps: dict[str, float]
    crps_population: dict[str, float]
    skill: dict[str, float]
    ess_median: float
    flagged_outside: float
    skill_by_day: dict[str, list[float]]

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def _crps(obs: np.ndarray, draws: np.ndarray) -> np.ndarray:
    try:
        import scoringrules
    except ImportError as exc:  # an optional dependency of the evaluation only
        raise NeuroimmuneError("scoring the forecast needs scoringrules: pip install 'neuroimmune[test]'") from exc
    return np.asarray(scoringrules.crps_ensemble(obs, draws, m_axis=0))


def held_out(lib: Library, held: Library, *, known: int = 2, horizon: int = 7, diaries: int = 200,
             seed: int = 0) -> Scores:
    """Score the forecast of ``lib`` on ``diaries`` synthetic diaries of ``held``'s members (see the module
    docstring): ``known`` diary days given, days ``known + 1 .. known + horizon`` scored."""
    rng = np.random.default_rng(seed)
    noise = noises()
    members = np.flatnonzero(held.valid)
    pop_pairs = condition.draw_pairs(condition.prior(lib), seed=seed)
    pop = {f: condition.predictive(lib, pop_pairs, f, seed=seed + 1) for f in FIELDS}
    inside80 = inside50 = total = 0
    crps: dict[str, list[float]] = {f: [] for f in FIELDS}
    crps_pop: dict[str, list[float]] = {f: [] for f in FIELDS}
    ahead: dict[str, list[int]] = {f: [] for f in FIELDS}
    ess, flagged = [], 0
    for k in range(diaries):
        m, s = int(rng.choice(members)), int(rng.integers(len(held.shifts)))
        truth = {f: noise[f].draw(held.worst[f][m, s].astype(float), rng) for f in FIELDS}
        reports = [condition.Report(d, f, float(truth[f][d - 1])) for d in range(1, known + 1) for f in FIELDS
                   if not np.isnan(truth[f][d - 1])]
        loglik = condition.log_likelihoods(lib, reports)
        w = condition.weights(lib, loglik.sum(axis=0))
        ess.append(condition.ess(w))
        flagged += bool(condition.outside(condition.checks(lib, reports, loglik)))
        pairs = condition.draw_pairs(w, seed=seed + 2 + k)
        days = [d for d in range(known + 1, known + horizon + 1) if d <= len(held.days)]
        for f in FIELDS:
            draws = condition.predictive(lib, pairs, f, seed=seed + 3 + k)
            b = condition.bands(draws)
            for d in days:
                obs = truth[f][d - 1]
                if np.isnan(obs) or b[d - 1] is None:
                    continue
                band = b[d - 1]
                assert band is not None
                total += 1
                inside80 += band["low80"] <= obs <= band["high80"]
                inside50 += band["low50"] <= obs <= band["high50"]
                col, pcol = draws[:, d - 1], pop[f][:, d - 1]
                crps[f].append(float(_crps(np.array(obs), col[~np.isnan(col)])))
                crps_pop[f].append(float(_crps(np.array(obs), pcol[~np.isnan(pcol)])))
                ahead[f].append(d - known)
    mean = {f: float(np.mean(v)) for f, v in crps.items()}
    mean_pop = {f: float(np.mean(v)) for f, v in crps_pop.items()}
    by_day = {}
    for f in FIELDS:
        a, c, p = np.array(ahead[f]), np.array(crps[f]), np.array(crps_pop[f])
        by_day[f] = [float(1.0 - c[a == h].mean() / p[a == h].mean()) if (a == h).any() else float("nan")
                     for h in range(1, horizon + 1)]
    return Scores(diaries, known, horizon, inside80 / max(total, 1), inside50 / max(total, 1), mean, mean_pop,
                  {f: 1.0 - mean[f] / mean_pop[f] for f in FIELDS}, float(np.median(ess)), flagged / diaries, by_day)
