"""Hayden et al. 1996, JAMA 275:295-299: experimental influenza A (H1N1) in volunteers given the neuraminidase
inhibitor GG167 (zanamivir) or placebo. Held out: another strain and inoculum than Baccam 2006, so compared on
timing and duration only (mean placebo titres digitised from the paper's figure), and on the effect of treatment
started about a day after inoculation (the published differences).
"""

from __future__ import annotations

from collections.abc import Mapping

from .. import data
from ._base import Row, Study, simulate_course, within
from ._course import last_above_days, peak_time_days
from ._scenarios import INFLUENZA_LOD, influenza

STUDY = Study(
    id="hayden1996",
    citation="Hayden FG, Treanor JJ, Betts RF, Lobo M, Esinhart JD, Hussey EK. Safety and efficacy of the "
             "neuraminidase inhibitor GG167 in experimental human influenza. JAMA 1996;275:295-299.",
    doi="10.1001/jama.1996.03530280047035",
    how_read="placebo-arm mean titres digitised from the paper's figure 2 by the DSAIRM authors (see the data "
             "file's header); treatment effects from the text",
    data=("influenza/hayden1996_placebo_mean_titers",),
    cluster="interventions",
)


def rows(values: Mapping[str, float]) -> list[Row]:
    untreated = simulate_course(influenza(), values)["viral_load"]
    hayden = data.load("influenza/hayden1996_placebo_mean_titers").table
    h_peak = float(hayden.HoursPI[hayden.LogVirusLoad.idxmax()]) / 24.0
    last = float(hayden.HoursPI[hayden.LogVirusLoad >= INFLUENZA_LOD].max()) / 24.0
    out = [
        within(STUDY.id, "viral_load", "peak day (untreated)", peak_time_days(untreated), h_peak, 1.0,
               "daily sampling of a mean course", False, " d"),
        within(STUDY.id, "viral_load", "last day above detection (untreated)",
               last_above_days(untreated, INFLUENZA_LOD), last, 1.0, "daily sampling", False, " d"),
    ]
    treated = simulate_course(influenza(interventions=[{"kind": "antiviral", "start": "28 h"}]), values)["viral_load"]
    drop = float(treated.max() - untreated.max())
    out.append(within(STUDY.id, "viral_load", "peak titre change, antiviral from 28 h (log10)", drop, -2.0, 1.0,
                      "treatment started 26-32 h after inoculation; one log10 for trial-to-model differences",
                      False))
    shed, shed_treated = (float((vl >= INFLUENZA_LOD).sum()) / 24.0 for vl in (untreated, treated))
    out.append(within(STUDY.id, "viral_load", "shedding change, antiviral from 28 h (days)", shed_treated - shed,
                      -3.0, 1.5, "median difference in days of shedding; daily sampling", False, " d"))
    return out
