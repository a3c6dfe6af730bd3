"""Killingley et al. 2022, Nat Med 28:1031-1041: SARS-CoV-2 challenge (10 TCID50, pre-alpha strain) of young
seronegative adults. In-sample: the nasal peak viral load and its timing (the two viral rates were chosen for
them). Held out: symptom onset."""

from __future__ import annotations

from collections.abc import Mapping

from .. import data
from ._base import Row, Study, simulate_course, within
from ._course import onset_days, peak_time_days

STUDY = Study(
    id="killingley2022",
    citation="Killingley B, Mann AJ, Kalinova M, et al. Safety, tolerability and viral kinetics during SARS-CoV-2 "
             "human challenge in young adults. Nat Med 2022;28:1031-1041.",
    doi="10.1038/s41591-022-01780-9",
    how_read="abstract and results: median peak nasal viral load with its 95 % CI, peak day, symptom onset days",
    data=("sarscov2/killingley2022_challenge_summary",),
    cluster="infection kinetics",
)


def rows(values: Mapping[str, float]) -> list[Row]:
    ds = simulate_course({"challenge": {"kind": "sars_cov_2"}, "duration": "21 days", "output_step": "1 h"}, values)
    k = data.load("sarscov2/killingley2022_challenge_summary").table.set_index("quantity")
    peak = float(k.value["viral_load_peak_nose_median"])
    return [
        Row(STUDY.id, "viral_load", "peak nasal viral load (log10 copies/mL)", float(ds["viral_load"].max()),
            peak, 8.41, 9.53, "95 % CI 8.41-9.53", "the published confidence interval of the median", True),
        within(STUDY.id, "viral_load", "peak day", peak_time_days(ds["viral_load"]),
               float(k.value["viral_load_peak_time_nose"]), 1.0, "approximate peak day in the paper", True, " d"),
        Row(STUDY.id, "symptoms", "onset day", onset_days(ds), 3.0, 2.0, 4.5, "days 2-4 (+ half a day)",
            "symptoms began on days 2-4 after inoculation, reported by whole day", False),
    ]
