"""Hayden et al. 1998, J Clin Invest 101:643-649: local and systemic cytokines during experimental influenza A
infection. Nasal IL-6 and interferon peaked on day 2 with titres, temperature and symptoms; TNF later (day 3 in
plasma, day 4 in nasal fluid). Held out: compared on timing only."""

from __future__ import annotations

from collections.abc import Mapping

from ._base import Row, Study, simulate_course, within
from ._course import peak_time_days
from ._scenarios import influenza

STUDY = Study(
    id="hayden1998",
    citation="Hayden FG, Fritz R, Lobo MC, Alvord W, Strober W, Straus SE. Local and systemic cytokine responses "
             "during experimental human influenza A virus infection. J Clin Invest 1998;101:643-649.",
    doi="10.1172/JCI1355",
    how_read="abstract: peak days of nasal IL-6 and IFN-alpha, plasma and nasal TNF, fever and symptoms",
    cluster="infection kinetics",
)


def rows(values: Mapping[str, float]) -> list[Row]:
    ds = simulate_course(influenza(), values)
    il6_day, tnf_day = peak_time_days(ds["il6"]), peak_time_days(ds["tnf"])
    return [
        within(STUDY.id, "il6", "peak day", il6_day, 2.0, 0.75, "daily sampling (nasal IL-6 day 2)", False, " d"),
        Row(STUDY.id, "tnf", "TNF peak day - IL-6 peak day", tnf_day - il6_day, 1.5, 0.5, 3.0, "0.5-3 d later",
            "TNF peaked on day 3 in plasma and day 4 in nasal fluid, after IL-6 on day 2", False),
        within(STUDY.id, "temperature", "peak day", peak_time_days(ds["temperature"]), 2.0, 1.0,
               "fever and symptoms tracked nasal IL-6 and interferon, peaking on day 2", False, " d"),
    ]
