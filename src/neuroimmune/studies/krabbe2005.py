"""Krabbe et al. 2005, Brain Behav Immun 19:453-460: 0.2 ng/kg LPS in healthy young men. TNF and IL-6 rose 2- and
7-fold, peaking at 3 h; body temperature, heart rate, blood pressure and cortisol did not change.

Read from the abstract (no spread given). Fitted (the lowest dose with cytokine numbers, which pins the threshold of
endotoxin sensing): the fold rises of TNF and IL-6 on a log scale, within a factor of 2 at 2 sigma (another cohort
and assay, fold changes read from the abstract). Held out: no fever (rise below 0.3 degC, about 2 SEM of a cohort
temperature mean) and no heart-rate rise (below 5 bpm).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ._base import Row, Study, between, simulate_arm
from ._scenarios import bolus

STUDY = Study(
    id="krabbe2005",
    citation="Krabbe KS, Reichenberg A, Yirmiya R, Smed A, Pedersen BK, Bruunsgaard H. Low-dose endotoxemia and "
             "human neuropsychological functions. Brain Behav Immun 2005;19:453-460.",
    doi="10.1016/j.bbi.2005.04.010",
    how_read="abstract: fold rises of TNF and IL-6 and the absence of fever and heart-rate change",
    fitted=True,
    cluster="dose-response",
)

FOLD = {"tnf": 2.0, "il6": 7.0}
FACTOR = 2.0
SIGMA_LOG = np.log(FACTOR) / 2


def _folds(values: Mapping[str, float]) -> tuple[dict[str, np.ndarray], dict[str, float]]:
    obs = simulate_arm(bolus(dose=0.2, duration=8.0), values)
    return obs, {name: float(np.max(obs[name]) / obs[name][0]) for name in FOLD}


def rows(values: Mapping[str, float]) -> list[Row]:
    obs, folds = _folds(values)
    out = []
    for name, fold in FOLD.items():
        out.append(between(STUDY.id, name, "peak fold rise at 0.2 ng/kg", folds[name], fold, fold / FACTOR,
                           fold * FACTOR, "another cohort and assay, abstract-level fold change", True,
                           f"x/÷ {FACTOR:g}"))
    rise_t = float(np.max(obs["temperature"]) - obs["temperature"][0])
    out.append(between(STUDY.id, "temperature", "peak rise at 0.2 ng/kg (degC)", rise_t, 0.0, -0.3, 0.3,
                       "no effect on body temperature; about 2 SEM of a cohort mean", False, "< 0.3 degC"))
    rise_hr = float(np.max(obs["heart_rate"]) - obs["heart_rate"][0])
    out.append(between(STUDY.id, "heart_rate", "peak rise at 0.2 ng/kg (1/min)", rise_hr, 0.0, -5.0, 5.0,
                       "no effect on heart rate; about 2 SEM of a cohort mean", False, "< 5 /min"))
    return out


def residuals(values: Mapping[str, float]) -> np.ndarray:
    _, folds = _folds(values)
    return np.array([(np.log(folds[name]) - np.log(fold)) / SIGMA_LOG for name, fold in FOLD.items()])
