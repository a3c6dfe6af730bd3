"""How the studies compare model and data when the published number is not a mean with its SD: the rules for
tolerances that several study modules share, and the virtual-cohort arm for published shares of people.

Rules
-----
Mean with SD and n
    2 SEM (:func:`sem2`); a ratio of two independent means, 2 SEM by the delta method (:func:`ratio_sem2`).
Cytokine numbers without a spread
    The between-person SD of the log peak in the 20 volunteers of Windoloski 2024 (2 ng/kg, individual data
    packaged with the model), over the square root of the study's n, twice (:func:`log_factor`): a factor.
A share of people (prevalence) against one average course
    The average member stands for the median person: when the published share's Wilson 95 % interval lies
    wholly above 50 %, the median person has the finding and the model's average member must too (1); wholly
    below, must not (0) (:func:`majority_row`). A share whose interval straddles 50 % says nothing about the
    median person and is not compared this way (it raises).
A share of people against a virtual cohort
    The Wilson 95 % interval of the published share, with the effective size of the two samples compared (the
    study's n and the cohort's members, ``1 / (1/n + 1/members)``), so the model's own sampling error widens the
    band (:func:`share_row`). A trial's solicited reactions are what its diaries counted: the model's share, which
    the vaccine causes, plus the background that the trial's placebo arm reported too (:func:`reported_share`).
An order the study reports (this dose above that one, this hour above that one)
    Exact: 1 when the model keeps the order, 0 when not (:func:`order_row`); the calibration sees the same order
    through a smooth hinge residual in the study module.
An observable the model does not have
    The row keeps the published number and its band, with the model value NaN, and is listed as a known gap
    naming the missing observable (:func:`missing_row`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import numpy as np
import xarray as xr

from .. import data, outcomes
from ..scenarios import Scenario
from ._base import Row, between, proportion_interval, values_key
from ._scenarios import ANTIBIOTIC_AT

#: Members of a virtual cohort arm (the binomial SE of a 20 % share is then 2.8 points) and its seed.
MEMBERS = 200
SEED = 20260101


def sem2(sd: float, n: int) -> float:
    """Twice the standard error of a mean with standard deviation ``sd`` in ``n`` people."""
    return 2.0 * sd / float(np.sqrt(n))


def ratio_sem2(a: float, sem_a: float, b: float, sem_b: float) -> float:
    """Twice the standard error of ``a / b`` for independent means with standard errors ``sem_a``, ``sem_b``
    (delta method)."""
    return 2.0 * (a / b) * float(np.hypot(sem_a / a, sem_b / b))


@lru_cache(maxsize=8)
def log_peak_sd(cytokine: str) -> float:
    """Between-person SD of the natural log of the peak of ``cytokine`` (TNF, IL6, IL8, IL10) in the 20
    volunteers of Windoloski 2024 (2 ng/kg bolus; packaged individual data)."""
    t = data.load(f"endotoxemia/windoloski2024_bolus2ngkg_{cytokine}_individual").table
    peaks = t[[c for c in t.columns if c.startswith("t") and c != "t0.0h"]].max(axis=1).to_numpy()
    return float(np.std(np.log(peaks), ddof=1))


def log_factor(cytokine: str, n: int) -> float:
    """A multiplicative band for a cytokine mean in ``n`` people: exp(2 x log-peak SD / sqrt(n))."""
    return float(np.exp(sem2(log_peak_sd(cytokine), n)))


def factor_row(study: str, observable: str, metric: str, model: float, value: float, factor: float, reason: str,
               fitted: bool = False) -> Row:
    """A row passing when ``model`` is within ``value`` times or divided by ``factor``."""
    return Row(study, observable, metric, float(model), float(value), value / factor, value * factor,
               f"x/÷ {factor:.3g}", reason, fitted)


def majority_row(study: str, observable: str, metric: str, model_flag: bool, share: float, n: int, reason: str,
                 fitted: bool = False, interval: tuple[float, float] | None = None) -> Row:
    """The median person has the finding (1) or not (0), from a published ``share`` (0-1) in ``n`` people (or with
    its published 95 % ``interval``, 0-1); the model's average member (``model_flag``) must agree."""
    lo, hi = proportion_interval(share, n) if interval is None else interval
    if lo <= 0.5 <= hi:
        raise ValueError(f"{study}: a share of {share:.0%} in {n} people (95 % interval {lo:.0%}-{hi:.0%}) does "
                         "not say whether the median person has the finding")
    expected = 1.0 if lo > 0.5 else 0.0
    side = "above" if expected else "below"
    rule = f"exact: {share:.0%} of {n or 'n/a'} (95 % interval {lo:.0%}-{hi:.0%}) is {side} 50 %"
    return Row(study, observable, f"{metric} in the average member (1/0)", float(model_flag), expected, expected,
               expected, rule, reason, fitted)


def share_row(study: str, observable: str, metric: str, model_share: float, members: int, share: float, n: int,
              reason: str, fitted: bool = False) -> Row:
    """A published share (0-1) in ``n`` people against the share among ``members`` of a virtual cohort."""
    n_eff = 1.0 / (1.0 / n + 1.0 / members)
    lo, hi = proportion_interval(share, n_eff)  # type: ignore[arg-type]
    return between(study, observable, f"{metric} (% of people)", 100 * model_share, 100 * share, 100 * lo, 100 * hi,
                   reason, fitted, f"Wilson 95 % interval, n = {n} and {members} members")


def order_row(study: str, observable: str, metric: str, kept: bool, reason: str, fitted: bool = False) -> Row:
    """A reported order (``kept``: the model keeps it) as an exact row: model 1 or 0 against data 1."""
    return Row(study, observable, metric, float(kept), 1.0, 1.0, 1.0, "exact", reason, fitted)


def missing_row(study: str, observable: str, metric: str, value: float, lower: float, upper: float,
                reason: str) -> Row:
    """A published finding on an observable the model lacks: model NaN (listed as a known gap)."""
    return between(study, observable, metric, float("nan"), value, lower, upper, reason, False)


@lru_cache(maxsize=64)
def _cohort_cached(scenario_json: str, values_json: str, variability: str | None, members: int,
                   seed: int) -> xr.Dataset:
    from ..cohort import simulate_cohort

    return simulate_cohort(json.loads(scenario_json), members, seed=seed, variability=variability,
                           parameters=dict(json.loads(values_json)))


def cohort(scenario: Scenario, values: Mapping[str, float], variability: str | None = None,
           members: int = MEMBERS, seed: int = SEED) -> xr.Dataset:
    """Per-member summaries of a virtual cohort (:func:`neuroimmune.simulate_cohort`) through ``scenario`` with
    parameter ``values``, the calibrated between-person variability and, if named, a host distribution
    (``adults``, ``volunteers``); a fixed seed, cached like :func:`~neuroimmune.studies._base.simulate_arm`."""
    return _cohort_cached(json.dumps(scenario.to_dict(), sort_keys=True), values_key(values), variability, members,
                          seed)


def rise(obs: Mapping[str, Any], name: str, start: float = 0.0, stop: float | None = None) -> float:
    """Largest rise of ``name`` above its value at ``start`` within [start, stop] hours."""
    t = np.asarray(obs["time"])
    inside = (t >= start) & (t <= (t[-1] if stop is None else stop))
    series = np.asarray(obs[name])[inside]
    return float(series.max() - series[0])


def window_mean(obs: Mapping[str, Any], name: str, start: float, stop: float) -> float:
    """Time-average of ``name`` over [start, stop] hours (trapezoids)."""
    t = np.asarray(obs["time"])
    inside = (t >= start) & (t <= stop)
    return float(np.trapezoid(np.asarray(obs[name])[inside], t[inside]) / (stop - start))


def above_row(study: str, observable: str, metric: str, model: float, threshold: float, reason: str,
              fitted: bool = False) -> Row:
    """A direction-only finding: passes when ``model`` is strictly above ``threshold``."""
    return between(study, observable, metric, model, threshold, float(np.nextafter(threshold, np.inf)), np.inf,
                   reason, fitted, f"> {threshold:g}")


def below_row(study: str, observable: str, metric: str, model: float, threshold: float, reason: str,
              fitted: bool = False) -> Row:
    """A direction-only finding: passes when ``model`` is strictly below ``threshold``."""
    return between(study, observable, metric, model, threshold, -np.inf, float(np.nextafter(threshold, -np.inf)),
                   reason, fitted, f"< {threshold:g}")


def band_share(members: xr.Dataset, summary: str, level: float, age_low: float = 0.0,
               age_high: float = np.inf) -> tuple[float, int]:
    """Share of the cohort's members aged [age_low, age_high) whose per-member ``summary`` (such as
    ``temperature_peak``) is at or above ``level``, and how many members that share is of."""
    age = np.asarray(members["age"])
    inside = (age >= age_low) & (age < age_high)
    values = np.asarray(members[summary])[inside]
    return float(np.mean(values >= level)), int(inside.sum())


#: Viral load counted as an infection when reached (log10 per mL): influenza 0.5 log10 TCID50/mL, the culture
#: assays' detection limit (Hayden 1996 data header); SARS-CoV-2 2.5 log10 RNA copies/mL, about the detection
#: limit of clinical RT-PCR (Ct 37-40; an assumption of this project, not a number from these studies).
DETECTABLE = {"influenza": 0.5, "sars_cov_2": 2.5}


def infected_share(members: xr.Dataset, kind: str) -> float:
    """Share of a cohort's members whose viral load reached :data:`DETECTABLE`."""
    return float(np.mean(np.asarray(members["viral_load_peak"]) >= DETECTABLE[kind]))


def ill_share(members: xr.Dataset) -> np.ndarray:
    """Per member: ill at some time (a peak of any of :data:`neuroimmune.outcomes.ILL_AT` at its threshold)."""
    from .. import outcomes

    return np.logical_or.reduce([np.asarray(members[f"{name}_peak"]) >= level
                                 for name, level in outcomes.ILL_AT.items()])


def significant_row(study: str, observable: str, metric: str, model: float, estimate: float, reason: str,
                    fitted: bool = False) -> Row:
    """An estimate reported only as significant (p < 0.05): its 95 % interval excludes 0 and, being symmetric, lies
    within (0, 2 x estimate); the row passes strictly inside that band."""
    lo, hi = sorted((0.0, 2.0 * estimate))
    lower = float(np.nextafter(lo, np.inf)) if lo == 0.0 else lo
    upper = float(np.nextafter(hi, -np.inf)) if hi == 0.0 else hi
    return between(study, observable, metric, model, estimate, lower, upper, reason, fitted,
                   f"between 0 and {2 * estimate:.3g} (p < 0.05)")


def hours_after_antibiotic(obs: Mapping[str, Any], name: str, level: float) -> float:
    """Hours from the antibiotic's start (:data:`~neuroimmune.studies._scenarios.ANTIBIOTIC_AT`) until observable
    ``name`` last falls below ``level`` (:func:`neuroimmune.outcomes.last_time_at_or_above`, smooth in the
    parameters); 0 if it is already below when the antibiotic starts or never reaches ``level``."""
    end = outcomes.last_time_at_or_above(obs[name], obs["time"], level)
    return max(end - ANTIBIOTIC_AT, 0.0) if np.isfinite(end) else 0.0


def illness(obs: Mapping[str, Any]) -> tuple[float, float]:
    """Onset and end of the illness in one course (hours): the first ill output and the first output after the last
    ill one (:func:`neuroimmune.outcomes.onset`, :func:`neuroimmune.outcomes.recovery_day`); NaN onset if never ill,
    NaN end if still ill at the end."""
    from .. import outcomes

    series = {name: np.asarray(obs[name]) for name in outcomes.ILL_AT}
    t = np.asarray(obs["time"])
    return outcomes.onset(t, series), 24.0 * float(outcomes.recovery_day(t, *series.values()))


#: Age bands of the vaccine reactogenicity tables.
AGE_BANDS = {"18-64": (18.0, 65.0), "65+": (65.0, 200.0)}
#: What counts as a solicited systemic reaction in the model: (cohort summary, level reached).
REACTION = {"fever": ("temperature_peak", outcomes.FEVER_C), "fatigue": ("fatigue_peak", outcomes.ILL_AT["fatigue"])}


#: Solicited reactions that trial participants report after an inert injection too (``vaccine/placebo_background``).
BACKGROUND = "vaccine/placebo_background"


def reported_share(caused: float, background: float) -> float:
    """The share of a trial arm that reports a symptom: those the vaccine gave it to, and of the rest those who
    report it anyway, as the placebo arm does (headache, tiredness and aches of the week after any injection,
    independent of the vaccine's effect): ``1 - (1 - caused)(1 - background)``."""
    return 1.0 - (1.0 - caused) * (1.0 - background)


def reactogenicity_rows(study: str, dataset: str, platform: str, interval_days: float,
                        compared: tuple[tuple[str, str, int], ...], group_n: Mapping[str, int],
                        values: Mapping[str, float], product: str, fitted: bool = False) -> list[Row]:
    """Shares of people with each solicited reaction after each dose, by age band, against a table with columns
    ``age_group``, ``symptom`` and ``dose<k>_pct``: one :func:`share_row` per (age band, symptom, dose) of
    ``compared``, from an ``adults`` cohort vaccinated with ``platform``. The cohort's share is the share the
    vaccine causes; what the trial's diaries count adds the placebo background of ``product``
    (:data:`BACKGROUND`, :func:`reported_share`). ``fitted``: the platform's values were chosen on this trial
    (in-sample rows)."""
    from ._scenarios import vaccination

    table = data.load(dataset).table.set_index(["age_group", "symptom"])
    background = data.load(BACKGROUND).table.set_index(["product", "symptom", "dose"])["pct"] / 100.0
    out = []
    for group, symptom, dose in compared:
        members = cohort(vaccination(dose_number=dose, interval_days=interval_days, platform=platform), values,
                         "adults")
        summary, level = REACTION[symptom]
        share, count = band_share(members, summary, level, *AGE_BANDS[group])
        share = reported_share(share, float(background.loc[(product, symptom, dose)]))
        published = float(table.loc[(group, symptom), f"dose{dose}_pct"]) / 100.0
        out.append(share_row(study, summary.removesuffix("_peak"), f"{symptom} after dose {dose}, age {group}",
                             share, count, published, group_n[group],
                             f"solicited reactions within 7 days ({product}); members of the cohort in the age "
                             f"group, with the placebo arm's background ({BACKGROUND})", fitted))
    return out
