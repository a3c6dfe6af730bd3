"""Janum et al. 2016, Innate Immunity 22:546-556: 2 ng/kg LPS bolus in healthy young men (n = 20 in the
packaged means): plasma TNF, IL-6, IL-8, IL-10, temperature, heart rate and pressure pain threshold at 2 h and 6 h.

Data: the means and SDs as digitised in Dobreva et al. 2021's public code (see each file's header). The 7 h and
8 h cytokine values of those files are the modellers' extrapolation and are not used.

Validate: cytokine peaks at the data's sampling times, within 2 SEM of the cohort mean (95 % confidence, from the
data's SD and n); peak times within the sampling interval; temperature and heart-rate courses by RMSE within
about 2 SEM; threshold changes at 2 h and 6 h within about half the SEM of paired changes.

Calibration: cytokines at 1-6 h as log-ratios weighted by the standard error of each log-mean (plus a floor for
model and assay error), temperature and heart rate to 6 h by the SEM, threshold change at 2 h and 6 h.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .. import data
from ..outcomes import peak
from ._base import Measurement, Row, Study, at, measured_residuals, simulate_arm, within
from ._scenarios import REFERENCE_REGION, bolus, bolus_id

STUDY = Study(
    id="janum2016",
    citation="Janum S, Nielsen ST, Werner MU, et al. Pain perception in healthy volunteers: effect of repeated "
             "exposure to experimental systemic inflammation. Innate Immun 2016;22:546-556.",
    doi="10.1177/1753425916663638",
    how_read="means and SDs digitised in the public code of Dobreva et al. 2021 (DataJanum.mat)",
    cohort="janum2016",
    data=tuple(f"endotoxemia/janum2016_2ngkg_{t}" for t in ("TNF", "IL6", "IL8", "IL10", "TEMP", "HR", "PAIN")),
    fitted=True,
    cluster="calibration point",
)

N = 20
CYTOKINES = {"tnf": "TNF", "il6": "IL6", "il8": "IL8", "il10": "IL10"}
#: Allowed peak-time error: the sampling interval around the observed peak.
PEAK_TIME_TOL = {"tnf": 0.75, "il6": 0.75, "il8": 0.75, "il10": 1.0}
#: Residual scales.
SIGMA = {
    "cytokine_log_floor": 0.1,  # natural-log units added in quadrature: model and assay error
    "temperature": 0.1,  # degC; standard error of the cohort mean (SD about 0.45, n = 20)
    "heart_rate": 2.5,  # bpm; standard error of the cohort mean (SD about 11, n = 20)
    "ppt": 1.5,  # percentage points; a third of the standard error of the regional changes
}
CYTOKINE_TIMES = (1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0)


def _table(tag: str):  # type: ignore[no-untyped-def]
    return data.load(f"endotoxemia/janum2016_2ngkg_{tag}").table


def rows(values: Mapping[str, float]) -> list[Row]:
    obs = simulate_arm(bolus(duration=8.0), values)
    out: list[Row] = []
    for name, tag in CYTOKINES.items():
        t = _table(tag)
        t = t[t.time_h <= 6.0]  # 7 h and 8 h are extrapolated by the modellers
        i = int(t["mean"].to_numpy().argmax())
        data_peak, t_peak, sd = t["mean"].iloc[i], t.time_h.iloc[i], t["sd"].iloc[i]
        model_at_samples = at(obs, name, t.time_h.to_numpy())
        sem2 = 2 * sd / np.sqrt(N)
        out.append(within(STUDY.id, name, "peak (pg/mL)", model_at_samples.max(), data_peak, sem2,
                          "2 SEM of the cohort mean at the peak sample", True))
        model_t = peak(obs[name], obs["time"])[1]
        out.append(within(STUDY.id, name, "peak time (h)", model_t, t_peak, PEAK_TIME_TOL[name],
                          "sampling interval around the observed peak", True, " h"))
    for name, tag, tol, why in (
        ("temperature", "TEMP", 0.25, "about 2 SEM of the cohort mean (SD 0.45 degC, n = 20)"),
        ("heart_rate", "HR", 5.0, "about 2 SEM of the cohort mean (SD 11 bpm, n = 20)"),
    ):
        t = _table(tag)
        t = t[(t.time_h > 0) & (t.time_h <= 6.0)]
        rmse = float(np.sqrt(np.mean((at(obs, name, t.time_h.to_numpy()) - t["mean"].to_numpy()) ** 2)))
        out.append(Row(STUDY.id, name, "RMSE of course 0.5-6 h", rmse, 0.0, 0.0, tol, f"<= {tol:g}", why, True))
    t = _table("TEMP")
    rise = t["mean"].max() - t["mean"].iloc[0]
    out.append(within(STUDY.id, "temperature", "peak rise (degC)",
                      np.max(obs["temperature"]) - obs["temperature"][0], rise, 0.2, "2 SEM of the cohort mean",
                      True, " degC"))
    t = _table("PAIN")
    base = t["mean"].iloc[0]
    for time in (2.0, 6.0):
        change = 100 * (t.loc[t.time_h == time, "mean"].iloc[0] / base - 1)
        model = at(obs, "ppt_change", np.array([time]), REFERENCE_REGION)[0]
        out.append(within(STUDY.id, "ppt_change", f"threshold change at {time:g} h (%)", model, change, 3.0,
                          "about half the SEM of paired threshold changes (5 points, de Goeij 2013)", True,
                          " points"))
    return out


def measurements() -> list[Measurement]:
    """The values the calibration residuals compare with (see :class:`~neuroimmune.studies._base.Measurement`):
    cytokines at 1-6 h on the log scale, temperature and heart rate at (0, 6] h, thigh threshold changes."""
    arm = bolus()
    out: list[Measurement] = []
    for name, tag in CYTOKINES.items():
        t = _table(tag)
        t = t[t.time_h.isin(CYTOKINE_TIMES)]
        cv = t["sd"].to_numpy() / t["mean"].to_numpy()
        # standard error of a log-normal mean's logarithm (n = 20), plus a floor for model and assay error
        sigma = np.sqrt(np.log1p(cv**2) / N + SIGMA["cytokine_log_floor"] ** 2)
        out += [Measurement(STUDY.id, name, bolus_id(), arm, float(time), float(value), float(s), "log")
                for time, value, s in zip(t.time_h, t["mean"], sigma, strict=True)]
    for name, tag in (("temperature", "TEMP"), ("heart_rate", "HR")):
        t = _table(tag)
        t = t[(t.time_h > 0) & (t.time_h <= 6.0)]
        out += [Measurement(STUDY.id, name, bolus_id(), arm, float(time), float(value), SIGMA[name])
                for time, value in zip(t.time_h, t["mean"], strict=True)]
    t = _table("PAIN")
    change = 100.0 * (t["mean"].to_numpy()[1:] / t["mean"].iloc[0] - 1.0)
    out += [Measurement(STUDY.id, f"ppt_change_{REFERENCE_REGION}", bolus_id(), arm, float(time), float(value),
                        SIGMA["ppt"]) for time, value in zip(t.time_h.to_numpy()[1:], change, strict=True)]
    return out


def residuals(values: Mapping[str, float]) -> np.ndarray:
    return measured_residuals(measurements(), values)
