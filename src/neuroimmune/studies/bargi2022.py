"""Bargi & Ozonay 2022, J Basic Clin Health Sci 6:155-163: 45 adults with mild COVID-19 isolated at home recalled
their low back pain before, during and after the illness: prevalence 22 %, 42 % and 13 %; mean resting intensity
(NRS 0-10) 0.69 +/- 1.44, 2.18 +/- 2.95 and 0.53 +/- 1.73.

Back ache in community COVID-19, the simulator's central outcome. Model: its community SARS-CoV-2 infection; the rise of
the mean resting back ache during the illness over the level before it is compared with the model's mean back ache over
the hours it is ill (:data:`neuroimmune.outcomes.ILL_AT`; the model has no background pain), and the level after
recovery with the model's back ache on day 28. Bands: 2 SEM of the difference of two means of 45 (taken as independent,
which the paired design makes conservative). The prevalences straddle 50 % and are not compared.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .. import data, outcomes
from ._base import Row, Study, at, simulate_arm, within
from ._compare import sem2
from ._scenarios import infection

STUDY = Study(
    id="bargi2022",
    citation="Bargi G, Ozonay K. Assessment of neck pain, low back pain and disability in patients isolated at home "
             "due to mild-COVID-19: a cross-sectional study. J Basic Clin Health Sci 2022;6:155-163.",
    doi="10.30621/jbachs.996523",
    how_read="abstract (DergiPark): prevalences and resting NRS mean +/- SD for the three periods (see the data "
             "file's header)",
    data=("sarscov2/bargi2022_low_back_pain",),
    cluster="community illness",
)
N = 45
MEASURES = "mild COVID-19 at home: low back pain intensity during and after the illness"
TOLERANCE = "2 SEM of a difference of two means (n = 45)"


def rows(values: Mapping[str, float]) -> list[Row]:
    t = data.load("sarscov2/bargi2022_low_back_pain").table.set_index("period")
    obs = simulate_arm(infection("sars_cov_2", days=30.0, setting="community"), values)
    ill = outcomes.ill({name: obs[name] for name in outcomes.ILL_AT})
    ache = np.asarray(obs["back_pain"])
    during = float(ache[ill].mean()) if ill.any() else 0.0
    out = []
    for period, model in (("isolation", during), ("after", float(at(obs, "back_pain", [28 * 24.0])[0]))):
        rise = t.nrs_rest_mean[period] - t.nrs_rest_mean["before"]
        band = sem2(float(np.hypot(t.nrs_rest_sd[period], t.nrs_rest_sd["before"])), N)
        label = "mean while ill" if period == "isolation" else "on day 28"
        out.append(within(STUDY.id, "back_pain", f"low back pain at rest, {period} - before (NRS; model {label})",
                          model, rise, band, "2 SEM of the difference of two means of 45 (SDs as published)", False))
    return out
