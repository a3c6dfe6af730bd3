"""Conditioning a library on a person's diary: importance weights, the forecast, and whether the diary fits.

Method: importance weighting. The library is a sample from the population's distribution of illness courses (the
prior); each pair of a member and an onset shift gets the weight ``p(diary | member, shift)`` under the measurement
model (:mod:`neuroimmune.forecast.measurement`), and every forecast is the weighted mixture of the members' coming
days, drawn through the same measurement model (so the bands say what the person will write down). Why weighting
and not a particle filter with rejuvenation: a diary has at most a few dozen numbers and the members' courses are
already simulated, so one vectorised pass gives the exact posterior of the library sample in milliseconds;
rejuvenation would need new simulations at answer time, which a 300 ms answer cannot afford. Its weakness, a sample
that runs out when the diary is unlike every member, is measured (the effective sample size, :func:`ess`) and
reported, and the check below says when the diary lies outside what the model can explain.

Whether the diary fits: each entry is checked against the forecast made from the entries before it (a one-step-
ahead predictive check): ``p`` is the probability of a report at least as high as the one entered. Under the model
``p`` is uniform, so the smallest ``p`` of ``k`` entries falls below ``ALPHA / k`` in at most ``ALPHA`` of
diaries (Bonferroni); a diary below that is outside what the model explains, and the entry that fails says how:
higher than the model allows on a first entry ("more severe"), higher after a fall ("a second rise"), or not falling
when the model's people are recovering ("lasting longer"). Milder than expected is never flagged.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from .library import Library
from .measurement import Noise, noises

#: Chance that a diary of the model's own people is called outside the model (the check's false-alarm rate).
ALPHA = 0.01
#: Draws of the predictive distribution behind every band.
DRAWS = 4000
#: A day is forecast when at least this share of the weighted members' courses reaches it.
MIN_COVERAGE = 0.9
#: Probability levels of the bands: median, 50 % band and 80 % band.
LEVELS = (0.1, 0.25, 0.5, 0.75, 0.9)


@dataclasses.dataclass(frozen=True)
class Report:
    """One number of the diary: day of illness, field (``back_pain``, ``temperature``, ``fatigue``) and value."""

    day: int
    field: str
    value: float


def _model(lib: Library, report: Report) -> np.ndarray:
    """The library's values (n x S) that ``report`` reads (NaN beyond the library's days)."""
    if not 1 <= report.day <= len(lib.days):
        return np.full(lib.recovery.shape, np.nan)
    return lib.worst[report.field][:, :, report.day - 1].astype(float)


def prior(lib: Library) -> np.ndarray:
    """Equal weights over the valid members and every onset shift (n x S, sums to 1)."""
    w = np.repeat(lib.valid[:, None].astype(float), len(lib.shifts), axis=1)
    return w / w.sum()


def log_likelihoods(lib: Library, reports: list[Report], noise: dict[str, Noise] | None = None) -> np.ndarray:
    """Log-likelihood of each report for each member and shift (reports x n x S)."""
    noise = noise or noises()
    out = np.empty((len(reports), *lib.recovery.shape))
    for i, r in enumerate(reports):
        out[i] = noise[r.field].log_likelihood(r.value, _model(lib, r))
    return out


def weights(lib: Library, loglik: np.ndarray) -> np.ndarray:
    """Normalised importance weights (n x S) from summed log-likelihoods; all zero if no member can explain the
    diary (every member's likelihood is zero)."""
    total = np.where(lib.valid[:, None], loglik, -np.inf)
    top = np.max(total)
    if not np.isfinite(top):
        return np.zeros_like(total)
    w = np.exp(total - top)
    return w / w.sum()


def ess(w: np.ndarray) -> float:
    """Effective sample size ``1 / sum(w^2)`` of normalised weights (0 if all weights are zero)."""
    s = float(np.sum(w * w))
    return 0.0 if s == 0.0 else float(np.sum(w)) ** 2 / s


def member_ess(w: np.ndarray) -> float:
    """Effective number of library members (onset shifts of one member summed): how many simulated people the
    forecast rests on."""
    return ess(w.sum(axis=1))


@dataclasses.dataclass(frozen=True)
class Check:
    """The one-step-ahead check of one report: ``p`` is the chance of a report at least this high given the entries
    of the days before; ``kind`` is "more severe", "a second rise" or "lasting longer"."""

    report: Report
    p: float
    kind: str


def checks(lib: Library, reports: list[Report], loglik: np.ndarray) -> list[Check]:
    """The one-step-ahead check of every report (see the module docstring)."""
    noise = noises()
    out = []
    base = prior(lib)
    days = sorted({r.day for r in reports})
    cumulative = np.zeros(lib.recovery.shape)
    seen: dict[str, list[Report]] = {}
    population_peak = {f: _peak_day(lib, base, f) for f in {r.field for r in reports}}
    for day in days:
        w = base if not seen else weights(lib, cumulative)
        here = [i for i, r in enumerate(reports) if r.day == day]
        for i in here:
            r = reports[i]
            model = _model(lib, r)
            reach = ~np.isnan(model)
            mass = float(np.sum(w[reach]))
            if mass <= 0.0:
                p = 0.0
            else:
                p = float(np.sum(w[reach] * noise[r.field].at_least(r.value, model[reach]))) / mass
            before = seen.get(r.field, [])
            if not before:
                kind = "more severe"
            elif r.value > before[-1].value and max(b.value for b in before) > before[-1].value:
                kind = "a second rise"
            elif r.value >= before[-1].value and day > population_peak[r.field]:
                kind = "lasting longer"
            else:
                kind = "more severe"
            out.append(Check(r, p, kind))
        for i in here:
            cumulative = cumulative + loglik[i]
            seen.setdefault(reports[i].field, []).append(reports[i])
    return out


def _peak_day(lib: Library, w: np.ndarray, field: str) -> int:
    """The day of illness on which the population's median of ``field`` is highest."""
    med = [_weighted_median(lib.worst[field][:, :, d], w) for d in range(len(lib.days))]
    return int(np.nanargmax(med)) + 1 if np.isfinite(med).any() else 1


def _weighted_median(values: np.ndarray, w: np.ndarray) -> float:
    v, ww = values.ravel(), w.ravel()
    keep = ~np.isnan(v) & (ww > 0)
    if not keep.any():
        return float("nan")
    order = np.argsort(v[keep])
    c = np.cumsum(ww[keep][order])
    return float(v[keep][order][np.searchsorted(c, 0.5 * c[-1])])


def outside(found: list[Check]) -> list[Check]:
    """The checks that fail (``p`` below ``ALPHA`` over the number of reports), most surprising first."""
    if not found:
        return []
    limit = ALPHA / len(found)
    return sorted((c for c in found if c.p < limit), key=lambda c: c.p)


def draw_pairs(w: np.ndarray, draws: int = DRAWS, seed: int = 0) -> np.ndarray:
    """Indices (into the flattened n x S weights) of ``draws`` members and shifts drawn by weight (systematic
    resampling: the draws' shares match the weights to within 1 / draws)."""
    flat = w.ravel()
    cum = np.cumsum(flat)
    u = (np.arange(draws) + np.random.default_rng(seed).random()) / draws * cum[-1]
    return np.minimum(np.searchsorted(cum, u, side="right"), flat.size - 1)


def predictive(lib: Library, pairs: np.ndarray, field: str, seed: int = 0) -> np.ndarray:
    """Reports of ``field`` for each day of the library (draws x D), drawn for the members and shifts ``pairs``
    through the measurement model; NaN where a member's course does not reach the day."""
    values = lib.worst[field].reshape(-1, len(lib.days))[pairs].astype(float)
    return noises()[field].draw(values, np.random.default_rng(seed))


def bands(samples: np.ndarray) -> list[dict[str, float] | None]:
    """Median and the 50 % and 80 % bands of each day's draws (None for a day that too few courses reach)."""
    out: list[dict[str, float] | None] = []
    for d in range(samples.shape[1]):
        col = samples[:, d]
        col = col[~np.isnan(col)]
        if col.size < MIN_COVERAGE * samples.shape[0]:
            out.append(None)
            continue
        q10, q25, q50, q75, q90 = np.quantile(col, LEVELS)
        out.append({"median": float(q50), "low50": float(q25), "high50": float(q75), "low80": float(q10),
                    "high80": float(q90)})
    return out


def recovery_days(lib: Library, pairs: np.ndarray) -> np.ndarray:
    """Day of illness of recovery of the drawn members and shifts (NaN: not recovered by the library's end)."""
    return lib.recovery.ravel()[pairs].astype(float)
