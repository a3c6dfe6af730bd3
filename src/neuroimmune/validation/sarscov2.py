"""SARS-CoV-2 challenge of young seronegative adults (Killingley 2022): nasal peak viral load and its timing
(in-sample: the two viral rates were chosen for them) and symptom onset (held out)."""

from __future__ import annotations

from .. import data
from ..engine.simulate import simulate
from ._course import onset_days, peak_time_days
from .table import Row, within


def rows() -> list[Row]:
    ds = simulate({"challenge": {"kind": "sars_cov_2"}, "duration": "21 days", "output_step": "1 h"})
    k = data.load("sarscov2/killingley2022_challenge_summary").table.set_index("quantity")
    peak = float(k.value["viral_load_peak_nose_median"])
    out = [
        Row("killingley2022", "viral_load", "peak nasal viral load (log10 copies/mL)", float(ds["viral_load"].max()),
            peak, 8.41, 9.53, "95 % CI 8.41-9.53", "the published confidence interval of the median", True),
        within("killingley2022", "viral_load", "peak day", peak_time_days(ds["viral_load"]),
               float(k.value["viral_load_peak_time_nose"]), 1.0, "approximate peak day in the paper", True, " d"),
    ]
    onset = onset_days(ds)
    out.append(Row("killingley2022", "symptoms", "onset day", onset, 3.0, 2.0, 4.5, "days 2-4 (+ half a day)",
                   "symptoms began on days 2-4 after inoculation, reported by whole day", False))
    return out
