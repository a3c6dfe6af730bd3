"""Windoloski et al. 2024 (doi 10.1113/EP091552), the 20 individuals given a 2 ng/kg bolus: does a virtual
cohort spread like real people?

Data: the individual TNF, IL-6, IL-8 and IL-10 time courses (``data/endotoxemia/
windoloski2024_bolus2ngkg_*_individual.csv``); the same 20 volunteers as Janum 2016 (the packaged means and SDs
coincide), so cross-validation leaves this study out with Janum 2016.

A cohort of 2,000 members with the calibrated inter-individual variability (``neuroimmune.cohort``) is read on
the volunteers' own sampling times (0, 1, 1.5, 2, 3, 4, 5, 6 h) as an assay would read it (:func:`as_measured`)
and compared with them:

* the SD across people of the log peak of each cytokine, passing when it lies within the 95 % confidence
  interval of an SD estimated from 20 people (chi-square, 19 degrees of freedom). TNF, IL-6 and IL-10 are the
  fitted targets of the variability (in-sample: :func:`neuroimmune.calibration.variability.fit_individual_variability`
  fits the coefficients of variation to the spread of :data:`FITTED` at every sampling time and of their peaks);
  IL-8 is held out;
* the median peak time of TNF and IL-6 on the sampling grid, within one sampling step (0.5 h);
* the correlation of log TNF and log IL-6 peaks across people, within its 95 % confidence interval (Fisher z).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from scipy.stats import chi2

from .. import data
from ..scenarios import Endotoxin, Scenario
from ._base import Row, Study, within

DATASET = "endotoxemia/windoloski2024_bolus2ngkg_{tag}_individual"
#: Observables whose spread the variability is fitted to, with the tag of their data file.
FITTED = {"tnf": "TNF", "il6": "IL6", "il10": "IL10"}
#: Observables whose spread is only compared (held out).
HELD_OUT = {"il8": "IL8"}

STUDY = Study(
    id="windoloski2024_individuals",
    citation="Windoloski KA, Bangsgaard EO, Dobreva A, et al. Characterization of differences in immune responses "
             "during bolus and continuous infusion endotoxin challenges using mathematical modelling. Exp Physiol "
             "2024 (arXiv:2308.01495); individual data of the 2 ng/kg bolus volunteers.",
    doi="10.1113/EP091552",
    how_read="individual time courses of the 20 bolus volunteers from the authors' public code (see each data "
             "file's header)",
    cohort="janum2016",
    data=tuple(DATASET.format(tag=tag) for tag in (*FITTED.values(), *HELD_OUT.values())),
    cluster="inter-individual variability",
)

N_MEMBERS = 2000


def individuals(tag: str) -> tuple[np.ndarray, np.ndarray]:
    """Sampling times (h) and the individual series (people x times) of one cytokine."""
    t = data.load(DATASET.format(tag=tag)).table
    cols = [c for c in t.columns if c.startswith("t") and c.endswith("h")]
    return np.array([float(c[1:-1]) for c in cols]), t[cols].to_numpy(dtype=float)


def data_spread(tag: str) -> tuple[float, float]:
    """SD of the log peak across the individuals, and their median peak time."""
    times, v = individuals(tag)
    return float(np.log(v.max(axis=1)).std(ddof=1)), float(np.median(times[v.argmax(axis=1)]))


def spread_over_time(series: np.ndarray) -> np.ndarray:
    """SD across people (rows) of the log value at each sampling time after the challenge (``t > 0``; the data's
    grid: the first column is the pre-challenge sample), then of the log peak: the statistics the variability is
    fitted to, for the data and a cohort alike."""
    logs = np.log(series)
    return np.append(logs[:, 1:].std(axis=0, ddof=1), np.log(series.max(axis=1)).std(ddof=1))


def resting_level(tag: str) -> tuple[float, float]:
    """Mean and SD of the log pre-challenge value across the individuals (pg/mL): where each person's assay
    reading starts."""
    _, v = individuals(tag)
    first = np.log(v[:, 0])
    return float(first.mean()), float(first.std(ddof=1))


def as_measured(tag: str, series: np.ndarray, seed: int = 0) -> np.ndarray:
    """A cohort's courses (members x the data's sampling times, plasma concentrations) as the volunteers' assay
    reads them: each member's rise above its own resting level, on top of a pre-challenge reading drawn from the
    volunteers' (log-normal, :func:`resting_level`).

    Why: before the challenge the volunteers read TNF about 6 pg/mL and IL-10 about 4 pg/mL, where the model's
    resting plasma levels are 1.1 and 0.2 pg/mL (the assays' background and the volunteers' own resting levels,
    which the model does not carry). Late after the challenge the readings return towards that floor, so a
    course of plasma concentration compared with a reading misses the floor itself. The draws are seeded
    (``[seed, 7]``) so that the same cohort reads the same way."""
    mean, sd = resting_level(tag)
    z = np.random.default_rng([seed, 7]).standard_normal(series.shape[0])
    return series - series[:, :1] + np.exp(mean + sd * z)[:, None]


def bolus_scenario() -> Scenario:
    """The 2 ng/kg bolus, 6 h, on a grid holding every sampling time of the data."""
    return Scenario(name="windoloski2024 bolus 2 ng/kg", challenge=Endotoxin(dose=2.0), duration=6.0, output_step=0.5)


def cohort_series(variability: Any, n: int = N_MEMBERS, seed: int = 0,
                  values: Mapping[str, float] | None = None) -> dict[str, np.ndarray]:
    """A cohort's courses (``variability`` as :func:`neuroimmune.simulate_cohort` takes it; parameter ``values``,
    default the committed fit) on the data's sampling times, as measured (:func:`as_measured`), by observable:
    members x times."""
    from ..cohort import simulate_cohort

    ds = simulate_cohort(bolus_scenario(), n, variability=variability, seed=seed, keep={"trajectories": n},
                         execution={"chunk_size": min(n, 4096)}, parameters=None if values is None else dict(values))
    out = {}
    for name, tag in {**FITTED, **HELD_OUT}.items():
        times, _ = individuals(tag)
        out[name] = as_measured(tag, ds[name].sel(time=times, method="nearest").values, seed)
    return out


def cohort_on_data_grid(variability: Any, n: int = N_MEMBERS, seed: int = 0,
                        values: Mapping[str, float] | None = None) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Peaks and peak times of a cohort as measured on the data's sampling times (:func:`cohort_series`), by
    observable."""
    out = {}
    for name, series in cohort_series(variability, n, seed, values).items():
        times, _ = individuals({**FITTED, **HELD_OUT}[name])
        out[name] = (series.max(axis=1), times[series.argmax(axis=1)])
    return out


def _sd_interval(sd: float, n: int) -> tuple[float, float]:
    dof = n - 1
    return sd * float(np.sqrt(dof / chi2.ppf(0.975, dof))), sd * float(np.sqrt(dof / chi2.ppf(0.025, dof)))


def rows(values: Mapping[str, float]) -> list[Row]:
    cohort = cohort_on_data_grid(None, N_MEMBERS, seed=0, values=values)
    out = []
    for name, tag in {**FITTED, **HELD_OUT}.items():
        sd, _ = data_spread(tag)
        n = individuals(tag)[1].shape[0]
        lo, hi = _sd_interval(sd, n)
        model = float(np.log(cohort[name][0]).std(ddof=1))
        out.append(Row(STUDY.id, name, "SD across people of log peak", model, sd, lo, hi,
                       f"95 % CI of an SD from {n} people [{lo:.2f}, {hi:.2f}]",
                       "sampling uncertainty of an SD from 20 people", name in FITTED))
    for name in ("tnf", "il6"):
        _, median_time = data_spread(FITTED[name])
        out.append(within(STUDY.id, name, "median peak time on the sampling grid (h)",
                          float(np.median(cohort[name][1])), median_time, 0.5, "one sampling step", False, " h"))
    tnf, il6 = (np.log(individuals(FITTED[k])[1].max(axis=1)) for k in ("tnf", "il6"))
    r = float(np.corrcoef(tnf, il6)[0, 1])
    half = 1.96 / np.sqrt(len(tnf) - 3)
    lo, hi = float(np.tanh(np.arctanh(r) - half)), float(np.tanh(np.arctanh(r) + half))
    model = float(np.corrcoef(np.log(cohort["tnf"][0]), np.log(cohort["il6"][0]))[0, 1])
    out.append(Row(STUDY.id, "tnf, il6", "correlation of log peaks across people", model, r, lo, hi,
                   f"95 % CI (Fisher z) [{lo:.2f}, {hi:.2f}]", "sampling uncertainty of a correlation from 20 people",
                   False))
    return out
