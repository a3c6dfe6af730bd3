"""Carrat et al. 2008, Am J Epidemiol 167:775-785: a review of volunteer challenge studies of influenza; viral
shedding lasted 4.8 days on average (abstract). Held out."""

from __future__ import annotations

from collections.abc import Mapping

from ._base import Row, Study, simulate_course, within
from ._scenarios import INFLUENZA_LOD, influenza

STUDY = Study(
    id="carrat2008",
    citation="Carrat F, Vergu E, Ferguson NM, et al. Time lines of infection and disease in human influenza: a "
             "review of volunteer challenge studies. Am J Epidemiol 2008;167:775-785.",
    doi="10.1093/aje/kwm375",
    how_read="abstract: shedding rises 0.5-1 day after challenge and lasts 4.8 days on average",
    cluster="infection kinetics",
)


def rows(values: Mapping[str, float]) -> list[Row]:
    vl = simulate_course(influenza(), values)["viral_load"]
    shed = float((vl >= INFLUENZA_LOD).sum()) * 1.0 / 24.0  # hourly grid: hours at or above detection / 24
    return [within(STUDY.id, "viral_load", "days of shedding", shed, 4.8, 1.5,
                   "meta-analysis of challenge studies, spread of about 1-2 days between studies", False, " d")]
