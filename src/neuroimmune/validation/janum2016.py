"""Janum et al. 2016, Innate Immunity 22:546-556: 2 ng/kg LPS bolus in healthy young men (n = 20 in the
packaged means): plasma cytokines, temperature, heart rate and pressure pain threshold at 2 h and 6 h.

Cytokine peaks are compared at the data's sampling times (the model is sampled where the blood was drawn);
tolerances are two standard errors of the cohort mean (95 % confidence), from the data's SD and n.
"""

from __future__ import annotations

import numpy as np

from .. import data
from ..calibration.problem import REFERENCE_REGION, bolus
from ..outcomes import peak
from .table import Row, at, simulate_obs, within

STUDY = "janum2016"
N = 20
CYTOKINES = {"tnf": "TNF", "il6": "IL6", "il8": "IL8", "il10": "IL10"}
#: Allowed peak-time error: the sampling interval around the observed peak.
PEAK_TIME_TOL = {"tnf": 0.75, "il6": 0.75, "il8": 0.75, "il10": 1.0}


def rows() -> list[Row]:
    obs = simulate_obs(bolus(duration=8.0))
    out: list[Row] = []
    for name, tag in CYTOKINES.items():
        t = data.load(f"endotoxemia/janum2016_2ngkg_{tag}").table
        t = t[t.time_h <= 6.0]  # 7 h and 8 h are extrapolated by the modellers
        i = int(t["mean"].to_numpy().argmax())
        data_peak, t_peak, sd = t["mean"].iloc[i], t.time_h.iloc[i], t["sd"].iloc[i]
        model_at_samples = at(obs, name, t.time_h.to_numpy())
        sem2 = 2 * sd / np.sqrt(N)
        out.append(within(STUDY, name, "peak (pg/mL)", model_at_samples.max(), data_peak, sem2,
                          "2 SEM of the cohort mean at the peak sample", True))
        model_t = peak(obs[name], obs["time"])[1]
        out.append(within(STUDY, name, "peak time (h)", model_t, t_peak, PEAK_TIME_TOL[name],
                          "sampling interval around the observed peak", True, " h"))
    for name, tag, tol, why in (
        ("temperature", "TEMP", 0.25, "about 2 SEM of the cohort mean (SD 0.45 degC, n = 20)"),
        ("heart_rate", "HR", 5.0, "about 2 SEM of the cohort mean (SD 11 bpm, n = 20)"),
    ):
        t = data.load(f"endotoxemia/janum2016_2ngkg_{tag}").table
        t = t[(t.time_h > 0) & (t.time_h <= 6.0)]
        rmse = float(np.sqrt(np.mean((at(obs, name, t.time_h.to_numpy()) - t["mean"].to_numpy()) ** 2)))
        out.append(Row(STUDY, name, "RMSE of course 0.5-6 h", rmse, 0.0, 0.0, tol, f"<= {tol:g}", why, True))
    t = data.load("endotoxemia/janum2016_2ngkg_TEMP").table
    rise = t["mean"].max() - t["mean"].iloc[0]
    out.append(within(STUDY, "temperature", "peak rise (degC)", np.max(obs["temperature"]) - obs["temperature"][0],
                      rise, 0.2, "2 SEM of the cohort mean", True, " degC"))
    t = data.load("endotoxemia/janum2016_2ngkg_PAIN").table
    base = t["mean"].iloc[0]
    for time in (2.0, 6.0):
        change = 100 * (t.loc[t.time_h == time, "mean"].iloc[0] / base - 1)
        model = at(obs, "ppt_change", np.array([time]), REFERENCE_REGION)[0]
        out.append(within(STUDY, "ppt_change", f"threshold change at {time:g} h (%)", model, change, 3.0,
                          "about half the SEM of paired threshold changes (5 points, de Goeij 2013)", True, " points"))
    return out
