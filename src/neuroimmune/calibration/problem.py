"""What is fitted: the endotoxemia calibration problem (data, simulated experiments, weighted residuals).

Kept apart from the optimizer (``optimize.py``), so either can change alone (the pyPESTO split).

Data, all 2 ng/kg intravenous LPS bolus in healthy young adults:

* Janum 2016 (n = 20 men): plasma TNF, IL-6, IL-8, IL-10 at 1-6 h as log-ratios weighted by the
  standard error of each log-mean, temperature and heart rate
  to 6 h, pressure pain threshold change at 2 h and 6 h (the reference site, regional gain 1);
* de Goeij 2013 (n = 27 men): threshold change at 2 h at L3 (lower back), T10 (mid back), C5 (neck);
* Grigoleit 2010 (0.4 ng/kg, young men): the rise of TNF and IL-6 above baseline, so that the dose-response
  is fitted at two doses, not extrapolated from one (IL-10 is left out: its baseline differs 36-fold between
  the two assays);
* Coyle 2006 (48 men, 24 women): the women's fever rise is two thirds of the men's (1.4 vs 2.1 degC).

The 7 h and 8 h cytokine values of the Janum files are the modellers' extrapolation and are not used.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from functools import cached_property, lru_cache

import numpy as np

from .. import data
from ..engine.simulate import integrate, resolve_parameters
from ..model import assembly
from ..model.mechanisms import pain
from ..model.parameters import ParameterSet, base_parameters
from ..scenarios import Endotoxin, Host, Scenario

#: Residual scales: a residual is (model - data) / scale.
SIGMA = {
    "cytokine_log_floor": 0.1,  # natural-log units added in quadrature: model and assay error
    "temperature": 0.1,  # degC; standard error of the cohort mean (SD about 0.45, n = 20)
    "heart_rate": 2.5,  # bpm; standard error of the cohort mean (SD about 11, n = 20)
    "ppt": 1.5,  # percentage points; a third of the standard error of the regional changes
    "low_dose_log": 0.5,  # digitized means of a second cohort and another assay: a factor of about 1.6
    "sex_fever_ratio": 0.03,  # Coyle 2006 rises 1.4 +/- 0.1 and 2.1 +/- 0.1 degC
}
JANUM_N = 20
CYTOKINE_TIMES = (1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0)
CYTOKINES = {"tnf": "TNF", "il6": "IL6", "il8": "IL8", "il10": "IL10"}
DEGOEIJ = {"lower_back": "L3", "mid_back": "T10", "neck": "C5"}
LOW_DOSE = {"tnf": ("TNF", "tnf_0"), "il6": ("IL6", "il6_0")}  # observable: (Grigoleit row, baseline parameter)
REFERENCE_REGION = "thigh"  # any region with gain 1 stands for the Janum algometry site


def bolus(dose: float = 2.0, sex: str = "male", duration: float = 8.0) -> Scenario:
    """A 2 ng/kg-style bolus scenario on a 3-minute output grid."""
    return Scenario(challenge=Endotoxin(dose=dose), host=Host(sex=sex), duration=duration, output_step=0.05)


@lru_cache(maxsize=1)
def targets() -> dict[str, object]:
    """The data the residuals compare against, read from the packaged datasets."""
    out: dict[str, object] = {}
    for obs, tag in CYTOKINES.items():
        t = data.load(f"endotoxemia/janum2016_2ngkg_{tag}").table
        t = t[t.time_h.isin(CYTOKINE_TIMES)]
        cv = t["sd"].to_numpy() / t["mean"].to_numpy()
        # standard error of a log-normal mean's logarithm (n = 20), plus a floor for model and assay error
        sigma = np.sqrt(np.log1p(cv**2) / JANUM_N + SIGMA["cytokine_log_floor"] ** 2)
        out[obs] = (t.time_h.to_numpy(), t["mean"].to_numpy(), sigma)
    for obs, tag in (("temperature", "TEMP"), ("heart_rate", "HR")):
        t = data.load(f"endotoxemia/janum2016_2ngkg_{tag}").table
        t = t[(t.time_h > 0) & (t.time_h <= 6.0)]
        out[obs] = (t.time_h.to_numpy(), t["mean"].to_numpy())
    t = data.load("endotoxemia/janum2016_2ngkg_PAIN").table
    base = t["mean"].iloc[0]
    out["ppt"] = (t.time_h.to_numpy()[1:], 100.0 * (t["mean"].to_numpy()[1:] / base - 1.0))
    g = data.load("pain/degoeij2013_ppt_by_dermatome").table
    g = g[g.group == "lps"].set_index("dermatome")
    out["degoeij"] = {r: 100.0 * (g.post2h_mean[d] / g.pre_mean[d] - 1.0) for r, d in DEGOEIJ.items()}
    low = data.load("endotoxemia/grigoleit2010_0.4ngkg_peaks").table.set_index("cytokine")
    out["low_dose"] = {obs: float(low.peak[tag] - low.baseline[tag]) for obs, (tag, _) in LOW_DOSE.items()}
    out["sex_fever_ratio"] = 1.4 / 2.1
    return out


def run(scenario: Scenario, values: dict[str, float]) -> dict[str, np.ndarray]:
    """Observables of ``scenario`` with parameter ``values``, plus the time grid."""
    p = resolve_parameters(scenario, values, base=base_parameters())
    t, y = integrate(scenario, p)
    obs = assembly.observables(y, p)
    obs["time"] = t
    return obs


def at(obs: dict[str, np.ndarray], name: str, times: np.ndarray, region: str | None = None) -> np.ndarray:
    """Observable ``name`` at ``times`` (linear interpolation on the output grid)."""
    series = obs[name]
    if region is not None:
        series = np.asarray(series)[list(pain.REGIONS).index(region)]
    return np.interp(times, obs["time"], series)


def residuals(values: dict[str, float]) -> np.ndarray:
    """Weighted residual vector of the whole problem."""
    tg = targets()
    male = run(bolus(), values)
    female = run(bolus(sex="female"), values)
    res: list[np.ndarray] = []
    for obs in CYTOKINES:
        times, means, sigma = tg[obs]  # type: ignore[misc]
        res.append((np.log(at(male, obs, times)) - np.log(means)) / sigma)
    for obs in ("temperature", "heart_rate"):
        times, means = tg[obs]  # type: ignore[misc]
        res.append((at(male, obs, times) - means) / SIGMA[obs])
    times, change = tg["ppt"]  # type: ignore[misc]
    res.append((at(male, "ppt_change", times, REFERENCE_REGION) - change) / SIGMA["ppt"])
    for region, change in tg["degoeij"].items():  # type: ignore[union-attr]
        res.append((at(male, "ppt_change", np.array([2.0]), region) - change) / SIGMA["ppt"])
    low = run(bolus(dose=0.4), values)
    for obs, rise in tg["low_dose"].items():  # type: ignore[union-attr]
        baseline = values[LOW_DOSE[obs][1]]
        res.append(np.array([(np.log(low[obs].max() - baseline) - np.log(rise)) / SIGMA["low_dose_log"]]))
    t0 = values["T_0"]
    ratio = (female["temperature"].max() - t0) / (male["temperature"].max() - t0)
    res.append(np.array([(ratio - tg["sex_fever_ratio"]) / SIGMA["sex_fever_ratio"]]))  # type: ignore[operator]
    return np.concatenate(res)


@dataclasses.dataclass(frozen=True)
class Problem:
    """Free parameters (names, log-scale bounds, start) and the residual function over their log values."""

    names: tuple[str, ...]
    lower: np.ndarray
    upper: np.ndarray
    start: np.ndarray
    fixed: dict[str, float]
    residual_fn: Callable[[dict[str, float]], np.ndarray]

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


def endotoxemia_problem(parameters: ParameterSet) -> Problem:
    """The calibration problem over the parameters marked ``free``, starting from their base values."""
    free = parameters.free()
    return Problem(
        names=tuple(p.name for p in free),
        lower=np.log([p.lower for p in free]),
        upper=np.log([p.upper for p in free]),
        start=np.log([p.value for p in free]),
        fixed=parameters.values(),
        residual_fn=residuals,
    )
