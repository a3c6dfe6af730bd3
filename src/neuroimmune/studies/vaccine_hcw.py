"""Health-care workers after two doses of BNT162b2 (finding ``vaccine_hcw_japan``): fatigue in 19-28 % after dose
1 and 44-73 % after dose 2 in two cohorts, the larger Saita et al. 2022 (27.7 % -> 72.8 %, 3,254 workers in
Tokyo). Held out."""

from __future__ import annotations

from collections.abc import Mapping

from ._base import Row, Study, simulate_course
from ._scenarios import vaccine_dose

STUDY = Study(
    id="vaccine_hcw",
    citation="Saita M, Yan Y, Ito K, Sasano H, Seyama K, Naito T. Reactogenicity following two doses of the "
             "BNT162b2 mRNA COVID-19 vaccine: real-world evidence from healthcare workers in Japan. J Infect "
             "Chemother 2022;28:116-119; and a second health-care worker cohort (findings.csv vaccine_hcw_japan).",
    doi="10.1016/j.jiac.2021.09.009",
    how_read="table of reactions by dose (Saita 2022); the range over two cohorts as summarised in findings.csv",
    cluster="vaccine platforms",
)


def rows(values: Mapping[str, float]) -> list[Row]:
    one, two = (simulate_course(vaccine_dose(n), values) for n in (1, 2))
    ratio = float(two["fatigue"].max()) / float(one["fatigue"].max())
    return [Row(STUDY.id, "fatigue", "dose 2 / dose 1 peak fatigue", ratio, 2.6, 1.3, 4.0, "1.3-4 x",
                "fatigue 19-28 % after dose 1 vs 44-73 % after dose 2 (two health-care worker cohorts)", False)]
