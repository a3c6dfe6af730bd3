"""Singanayagam et al. 2022, Lancet Infect Dis 22:183-195 (ATACCC): household contacts exposed to the delta variant in
the UK, followed by daily swabs: the secondary attack rate was 25 % (95 % CI 18-33) in fully vaccinated contacts and
38 % (24-53) in unvaccinated ones.

Vaccination lowers the chance of infection but does not abolish it. Model: virtual cohorts of adults (``adults`` host
distribution, 200 members, fixed seed) infected with SARS-CoV-2 (community setting), unvaccinated or with two doses (the
second 101 days before, the study's median for infected vaccinees; the first 8 weeks earlier, the UK schedule); infected
= viral load reaching detection (:data:`~neuroimmune.studies._compare.DETECTABLE`) within the 20 days of daily swabs.
Compared as the ratio of the two attack rates, band from the ratios of the confidence limits (18/53 to 33/24), which is
wider than the ratio's own interval.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..scenarios import Exposure
from ._base import Row, Study, between
from ._compare import cohort, infected_share
from ._scenarios import infection

STUDY = Study(
    id="singanayagam2022",
    citation="Singanayagam A, Hakki S, Dunning J, et al; ATACCC Study Investigators. Community transmission and "
             "viral load kinetics of the SARS-CoV-2 delta (B.1.617.2) variant in vaccinated and unvaccinated "
             "individuals in the UK: a prospective, longitudinal, cohort study. Lancet Infect Dis 2022;22:183-195.",
    doi="10.1016/S1473-3099(21)00648-4",
    how_read="abstract (PMC8554486): secondary attack rates with 95 % CIs",
    cluster="immune memory",
)
N = 231
MEASURES = "household SARS-CoV-2 (delta): attack rate, vaccinated / unvaccinated contacts"
TOLERANCE = "ratio of the published confidence limits"

# "The SAR in household contacts exposed to the delta variant was 25% (95% CI 18-33) for fully vaccinated
# individuals compared with 38% (24-53) in unvaccinated individuals"
VACCINATED, UNVACCINATED = (0.25, 0.18, 0.33), (0.38, 0.24, 0.53)
HISTORY = (Exposure(kind="vaccine", antigen="sars_cov_2", time=-24.0 * 157),
           Exposure(kind="vaccine", antigen="sars_cov_2", time=-24.0 * 101))


def rows(values: Mapping[str, float]) -> list[Row]:
    vaccinated = infection("sars_cov_2", days=20.0, setting="community", history=HISTORY)
    vax = infected_share(cohort(vaccinated, values, "adults"), "sars_cov_2")
    naive = infected_share(cohort(infection("sars_cov_2", days=20.0, setting="community"), values, "adults"),
                           "sars_cov_2")
    (v, v_lo, v_hi), (u, u_lo, u_hi) = VACCINATED, UNVACCINATED
    ratio = vax / naive if naive > 0 else float("nan")
    return [between(STUDY.id, "viral_load", "attack rate, vaccinated / unvaccinated contacts", ratio, v / u,
                    v_lo / u_hi, v_hi / u_lo, "ratio of the confidence limits of the two attack rates", False)]
