"""Voysey et al. 2021, Lancet 397:99-111: ChAdOx1 nCoV-19 (viral vector), pooled trials. Systemic reactions were
largest after the first dose and smaller after the second, the opposite of mRNA vaccines: fever 11.6 % after dose
1 and 0.7 % after dose 2 at age 18-64, 1.0 % after dose 1 at 65 or older; fatigue 64.6 % and 43.0 % at 18-64.

Model: its viral-vector platform (``platform: viral_vector``), given with the trials' interval between doses
(8 weeks, about the middle of their 4-12 weeks); shares compared as for Baden 2021 (virtual cohort of adults,
Wilson intervals). The table gives no denominators; about 12,000 ChAdOx1 recipients were pooled, about 10 % of
them 65 or older (approximate, not read).

In-sample: the viral-vector platform's stimulation (``viral_vector_w_ifn_D``, ``viral_vector_w_pamp_D``) was chosen
on this trial's first dose; Ad26.COV2.S (sadoff2021) is held out.
"""

from __future__ import annotations

from collections.abc import Mapping

from ._base import Row, Study
from ._compare import reactogenicity_rows

STUDY = Study(
    id="voysey2021",
    citation="Voysey M, Clemens SAC, Madhi SA, et al; Oxford COVID Vaccine Trial Group. Safety and efficacy of "
             "the ChAdOx1 nCoV-19 vaccine (AZD1222) against SARS-CoV-2: an interim analysis of four randomised "
             "controlled trials in Brazil, South Africa, and the UK. Lancet 2021;397:99-111.",
    doi="10.1016/S0140-6736(20)32661-1",
    how_read="table of solicited reactions by age and dose, second-hand (McMaster Textbook table adapted from the "
             "paper and the product monograph; see the data file's header)",
    data=("vaccine/voysey2021_chadox1_reactogenicity",),
    cluster="vaccine platforms",
)
N = 12_000
MEASURES = "ChAdOx1 doses 1 and 2: fever and fatigue shares by age (dose 2 milder)"
TOLERANCE = "Wilson 95 % interval, study n and 200 cohort members"

INTERVAL_DAYS = 56.0
GROUP_N = {"18-64": 10_800, "65+": 1_200}
COMPARED = (("18-64", "fever", 1), ("18-64", "fever", 2), ("65+", "fever", 1), ("18-64", "fatigue", 1),
            ("18-64", "fatigue", 2))


def rows(values: Mapping[str, float]) -> list[Row]:
    return reactogenicity_rows(STUDY.id, STUDY.data[0], "viral_vector", INTERVAL_DAYS, COMPARED, GROUP_N, values,
                               "ChAdOx1", fitted=True)
