"""Baccam et al. 2006, J Virol 80:7590-7599: nasal-wash titres of six volunteers infected with influenza
A/Hong Kong/123/77 (H1N1), days 1-7. In-sample: the model's viral parameters are Baccam's fit to these six.

Validate: the titre on days 1-6 within the volunteers' range widened by the assay's resolution (0.5 log10), and the
peak day within the volunteers' peak days (daily sampling, +/- half a day).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .. import data
from ._base import Row, Study, simulate_course
from ._course import peak_time_days
from ._scenarios import INFLUENZA_LOD, influenza

STUDY = Study(
    id="baccam2006",
    citation="Baccam P, Beauchemin C, Macken CA, Hayden FG, Perelson AS. Kinetics of influenza A virus infection "
             "in humans. J Virol 2006;80:7590-7599.",
    doi="10.1128/JVI.01623-05",
    how_read="individual titres of the six volunteers as tabulated in public code (see the data file's header)",
    data=("influenza/baccam2006_influenza_titers_log10TCID50",),
    cluster="infection kinetics",
)


def rows(values: Mapping[str, float]) -> list[Row]:
    vl = simulate_course(influenza(), values)["viral_load"]
    titres = data.load("influenza/baccam2006_influenza_titers_log10TCID50").table
    out: list[Row] = []
    for day in range(1, 7):
        col = titres[f"d{day}"]
        model = float(vl.sel(time=24.0 * day))
        lo, hi = float(col.min()) - INFLUENZA_LOD, float(col.max()) + INFLUENZA_LOD
        out.append(Row(STUDY.id, "viral_load", f"log10 titre on day {day}", model, float(col.mean()), lo, hi,
                       f"within the 6 volunteers' range +/- {INFLUENZA_LOD}",
                       "inter-individual range; assay resolution 0.5 log10", True))
    peak_days = titres[[f"d{d}" for d in range(1, 8)]].to_numpy().argmax(axis=1) + 1
    out.append(Row(STUDY.id, "viral_load", "peak day", peak_time_days(vl), float(np.median(peak_days)),
                   float(peak_days.min()) - 0.5, float(peak_days.max()) + 0.5, "within the volunteers' peak days",
                   "daily sampling; the volunteers peaked on different days", True))
    return out
