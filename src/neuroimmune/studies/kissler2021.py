"""Kissler et al. 2021, N Engl J Med 385:2489-2491: SARS-CoV-2 infections in an occupational screening cohort (173
people, frequent RT-PCR). Vaccinated people who were infected reached the same peak (Ct 20.5 against 20.7) but
cleared the virus faster: 5.5 days (4.6-6.6) against 7.5 (6.8-8.2) from peak to negative.

Memory acting on the kinetics of an infection that still happens. Model: its community SARS-CoV-2 infection (setting
``community``) in a host without and with two earlier vaccine doses (the second 101 days before, the median for infected
vaccinees in Singanayagam 2022; the time since vaccination was not read here). Peak difference in log10 (3.32 Ct per
log10, a PCR doubling per cycle), band from the two credible intervals (half-widths 1.0 and 0.5 Ct); clearance from the
peak to the last time above detection (:data:`~neuroimmune.studies._compare.DETECTABLE`), band from the two credible
intervals (half-widths 1.0 and 0.7 days). No infection in the model gives NaN.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ..scenarios import Exposure
from ._base import Row, Study, simulate_arm, within
from ._compare import DETECTABLE
from ._scenarios import infection

STUDY = Study(
    id="kissler2021",
    citation="Kissler SM, Fauver JR, Mack C, et al. Viral dynamics of SARS-CoV-2 variants in vaccinated and "
             "unvaccinated persons. N Engl J Med 2021;385:2489-2491.",
    doi="10.1056/NEJMc2102507",
    how_read="abstract of the medRxiv preprint (v3; doi 10.1101/2021.02.16.21251535): means and 95 % credible "
             "intervals",
    cluster="immune memory",
)
N = 173
MEASURES = "vaccinated vs unvaccinated SARS-CoV-2 infection: peak viral load and clearance time"
TOLERANCE = "combined half-widths of the two credible intervals"

# "mean peak Ct: 20.5, 95% credible interval [19.0, 21.0] vs. 20.7 [19.8, 20.2]"; the unvaccinated interval is
# printed so in the source and does not contain its mean: its half-width is taken as 0.5 Ct, the distance from the
# mean to the nearer printed limit
PEAK_CT = (20.5, 1.0, 20.7, 0.5)  # vaccinated, half-width, unvaccinated, half-width
# "vaccinated individuals exhibited faster clearance (mean clearance time: 5.5 days [4.6, 6.6] vs. 7.5 days
# [6.8, 8.2])"
CLEARANCE = (5.5, 1.0, 7.5, 0.7)
CT_PER_LOG10 = 3.32
VACCINATED = (Exposure(kind="vaccine", antigen="sars_cov_2", time=-24.0 * 122),
              Exposure(kind="vaccine", antigen="sars_cov_2", time=-24.0 * 101))


def _kinetics(obs: Mapping[str, np.ndarray]) -> tuple[float, float]:
    """Peak log10 viral load and the days from the peak to the last time above detection (NaN if never)."""
    vl, t = np.asarray(obs["viral_load"]), np.asarray(obs["time"])
    above = vl >= DETECTABLE["sars_cov_2"]
    if not above.any():
        return float(vl.max()), float("nan")
    return float(vl.max()), float((t[above][-1] - t[np.argmax(vl)]) / 24.0)


def rows(values: Mapping[str, float]) -> list[Row]:
    vaccinated = infection("sars_cov_2", setting="community", history=VACCINATED)
    (peak_v, clear_v) = _kinetics(simulate_arm(vaccinated, values))
    (peak_u, clear_u) = _kinetics(simulate_arm(infection("sars_cov_2", setting="community"), values))
    ct_v, h_v, ct_u, h_u = PEAK_CT
    c_v, ch_v, c_u, ch_u = CLEARANCE
    return [
        within(STUDY.id, "viral_load", "peak, vaccinated - unvaccinated (log10)", peak_v - peak_u,
               (ct_u - ct_v) / CT_PER_LOG10, float(np.hypot(h_v, h_u)) / CT_PER_LOG10,
               "same peak: combined credible-interval half-widths (1.0 and 0.5 Ct)", False),
        within(STUDY.id, "viral_load", "clearance time, vaccinated - unvaccinated (d)", clear_v - clear_u, c_v - c_u,
               float(np.hypot(ch_v, ch_u)), "combined credible-interval half-widths (1.0 and 0.7 days)", False, " d"),
    ]
