"""Persistence after COVID (findings longcovid_myalgia): in a virtual cohort infected with SARS-CoV-2, the share of
people whose lower back is still sensitised two months later, against the published prevalence of persistent
myalgia over the first year (5.65-18.15 %, Fernandez-de-las-Penas 2022). In-sample: the spread of the glial
loop gain (``a_prime`` in ``cohort/variability.yaml``) was chosen for it. What it checks is that the mechanism
(glial priming, a parameter-dependent outcome) can give that share at all with the rest of the model as fitted."""

from __future__ import annotations

import numpy as np

from .table import Row

N = 2000  # members: the binomial SE of a 7 % share is 0.6 points
DAY = 56


def rows() -> list[Row]:
    from ..cohort import simulate_cohort

    scenario = {"challenge": {"kind": "sars_cov_2"}, "duration": "60 days", "output_step": "6 h"}
    ds = simulate_cohort(scenario, N, seed=0, trajectories=N, resolution=24.0)
    lower_back = ds["ppt_change"].sel(region="lower_back").isel(time=DAY).to_numpy()
    share = 100.0 * float(np.mean(lower_back < -10.0))
    metric = f"% of a cohort with the lower back sensitised (> 10 %) on day {DAY}"
    reason = "the published range of persistent myalgia prevalence over the first year after COVID (meta-analysis)"
    return [Row("longcovid_myalgia", "ppt_change", metric, share, 11.9, 5.65, 18.15, "5.65-18.15 %", reason, True)]
