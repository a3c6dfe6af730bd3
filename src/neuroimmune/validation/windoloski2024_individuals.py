"""Windoloski et al. 2024 (doi 10.1113/EP091552), the 20 individuals given a 2 ng/kg bolus: does a virtual
cohort spread like real people?

A cohort of 2,000 members with the calibrated inter-individual variability (``neuroimmune.cohort``) is read on
the volunteers' own sampling times (0, 1, 1.5, 2, 3, 4, 5, 6 h) and compared with them:

* the SD across people of the log peak of each cytokine, passing when it lies within the 95 % confidence
  interval of an SD estimated from 20 people (chi-square, 19 degrees of freedom). TNF and IL-6 are the fitted
  targets of the variability (in-sample); IL-8 and IL-10 are held out;
* the median peak time of TNF and IL-6 on the sampling grid, within one sampling step (0.5 h);
* the correlation of log TNF and log IL-6 peaks across people, within its 95 % confidence interval (Fisher z).
"""

from __future__ import annotations

import numpy as np
from scipy.stats import chi2

from ..cohort.calibrate import FITTED, HELD_OUT, cohort_on_data_grid, data_spread, individuals
from .table import Row, within

STUDY = "windoloski2024 individuals"
N_MEMBERS = 2000


def _sd_interval(sd: float, n: int) -> tuple[float, float]:
    dof = n - 1
    return sd * float(np.sqrt(dof / chi2.ppf(0.975, dof))), sd * float(np.sqrt(dof / chi2.ppf(0.025, dof)))


def rows() -> list[Row]:
    cohort = cohort_on_data_grid(None, N_MEMBERS, seed=0)
    out = []
    for name, tag in {**FITTED, **HELD_OUT}.items():
        sd, _ = data_spread(tag)
        n = individuals(tag)[1].shape[0]
        lo, hi = _sd_interval(sd, n)
        model = float(np.log(cohort[name][0]).std(ddof=1))
        out.append(Row(STUDY, name, "SD across people of log peak", model, sd, lo, hi,
                       f"95 % CI of an SD from {n} people [{lo:.2f}, {hi:.2f}]",
                       "sampling uncertainty of an SD from 20 people", name in FITTED))
    for name in FITTED:
        _, median_time = data_spread(FITTED[name])
        out.append(within(STUDY, name, "median peak time on the sampling grid (h)",
                          float(np.median(cohort[name][1])), median_time, 0.5, "one sampling step", False, " h"))
    tnf, il6 = (np.log(individuals(FITTED[k])[1].max(axis=1)) for k in ("tnf", "il6"))
    r = float(np.corrcoef(tnf, il6)[0, 1])
    half = 1.96 / np.sqrt(len(tnf) - 3)
    lo, hi = float(np.tanh(np.arctanh(r) - half)), float(np.tanh(np.arctanh(r) + half))
    model = float(np.corrcoef(np.log(cohort["tnf"][0]), np.log(cohort["il6"][0]))[0, 1])
    out.append(Row(STUDY, "tnf, il6", "correlation of log peaks across people", model, r, lo, hi,
                   f"95 % CI (Fisher z) [{lo:.2f}, {hi:.2f}]", "sampling uncertainty of a correlation from 20 people",
                   False))
    return out
