"""Influenza A in volunteers: titres of the six Baccam 2006 volunteers (in-sample: the viral parameters are
Baccam's fit to them), the untreated arm of Hayden 1996 (held out: another strain and inoculum, so compared on
timing and duration only), the cytokine timing of Hayden 1998, shedding duration (Carrat 2008), and the effect of a
neuraminidase inhibitor started about a day after inoculation (Hayden 1996)."""

from __future__ import annotations

import numpy as np

from .. import data
from ..engine.simulate import simulate
from ._course import last_above_days, peak_time_days
from .table import Row, within

LOD = 0.5  # log10 TCID50/mL, the assays' detection limit (Hayden 1996 data header)


def _flu(**extra: object) -> dict:
    return {"challenge": {"kind": "influenza"}, "duration": "10 days", "output_step": "1 h", **extra}


def rows() -> list[Row]:
    out: list[Row] = []
    ds = simulate(_flu())
    vl = ds["viral_load"]
    titres = data.load("influenza/baccam2006_influenza_titers_log10TCID50").table
    for day in range(1, 7):
        col = titres[f"d{day}"]
        model = float(vl.sel(time=24.0 * day))
        lo, hi = float(col.min()) - LOD, float(col.max()) + LOD
        out.append(Row("baccam2006", "viral_load", f"log10 titre on day {day}", model, float(col.mean()), lo, hi,
                       f"within the 6 volunteers' range +/- {LOD}", "inter-individual range; assay resolution "
                       "0.5 log10", True))
    peak_days = titres[[f"d{d}" for d in range(1, 8)]].to_numpy().argmax(axis=1) + 1
    out.append(Row("baccam2006", "viral_load", "peak day", peak_time_days(vl), float(np.median(peak_days)),
                   float(peak_days.min()) - 0.5, float(peak_days.max()) + 0.5, "within the volunteers' peak days",
                   "daily sampling; the volunteers peaked on different days", True))
    hayden = data.load("influenza/hayden1996_placebo_mean_titers").table
    h_peak = float(hayden.HoursPI[hayden.LogVirusLoad.idxmax()]) / 24.0
    out.append(within("hayden1996", "viral_load", "peak day (untreated)", peak_time_days(vl), h_peak, 1.0,
                      "daily sampling of a mean course", False, " d"))
    last = float(hayden.HoursPI[hayden.LogVirusLoad >= LOD].max()) / 24.0
    out.append(within("hayden1996", "viral_load", "last day above detection (untreated)", last_above_days(vl, LOD),
                      last, 1.0, "daily sampling", False, " d"))
    shed = float((vl >= LOD).sum()) * 1.0 / 24.0
    out.append(within("carrat2008", "viral_load", "days of shedding", shed, 4.8, 1.5,
                      "meta-analysis of challenge studies, spread of about 1-2 days between studies", False, " d"))
    il6_day, tnf_day = peak_time_days(ds["il6"]), peak_time_days(ds["tnf"])
    out.append(within("hayden1998", "il6", "peak day", il6_day, 2.0, 0.75, "daily sampling (nasal IL-6 day 2)",
                      False, " d"))
    out.append(Row("hayden1998", "tnf", "TNF peak day - IL-6 peak day", tnf_day - il6_day, 1.5, 0.5, 3.0,
                   "0.5-3 d later", "TNF peaked on day 3 in plasma and day 4 in nasal fluid, after IL-6 on day 2",
                   False))
    out.append(within("hayden1998", "temperature", "peak day", peak_time_days(ds["temperature"]), 2.0, 1.0,
                      "fever and symptoms tracked nasal IL-6 and interferon, peaking on day 2", False, " d"))
    treated = simulate(_flu(interventions=[{"kind": "antiviral", "start": "28 h"}]))
    drop = float(treated["viral_load"].max() - vl.max())
    out.append(within("hayden1996", "viral_load", "peak titre change, antiviral from 28 h (log10)", drop, -2.0, 1.0,
                      "treatment started 26-32 h after inoculation; one log10 for trial-to-model differences",
                      False))
    shed_t = float((treated["viral_load"] >= LOD).sum()) / 24.0
    out.append(within("hayden1996", "viral_load", "shedding change, antiviral from 28 h (days)", shed_t - shed, -3.0,
                      1.5, "median difference in days of shedding; daily sampling", False, " d"))
    return out
