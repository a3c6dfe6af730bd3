"""When systemic reactions to an mRNA vaccine start and how long they last (finding ``vaccine_timing``): they start
on day 0-2, most on day 1, and last a median of 1-2 days (CDC v-safe summaries). Held out."""

from __future__ import annotations

from collections.abc import Mapping

from ._base import Row, Study, simulate_course
from ._scenarios import vaccine_dose

STUDY = Study(
    id="vaccine_timing",
    citation="Centers for Disease Control and Prevention, v-safe after-vaccination health checker: summaries of "
             "systemic reactions to mRNA COVID-19 vaccines (findings.csv vaccine_timing).",
    how_read="published summaries: onset day 0-2 (most day 1), median duration 1-2 days",
    cluster="vaccine platforms",
)

STEP_H = 0.5  # the output step of the vaccine scenario (h)


def rows(values: Mapping[str, float]) -> list[Row]:
    two = simulate_course(vaccine_dose(2), values)
    ill = two["fatigue"] >= 0.2
    times = two["time"].to_numpy()[ill.to_numpy()]
    onset = float(times[0]) / 24.0 if times.size else float("nan")
    duration = float(ill.sum()) * STEP_H / 24.0
    return [
        Row(STUDY.id, "fatigue", "dose 2 symptom onset (day)", onset, 0.5, 0.0, 1.0, "within day 1",
            "systemic reactions start on day 0-2, most on day 1", False),
        Row(STUDY.id, "fatigue", "dose 2 days with fatigue >= 0.2", duration, 1.5, 0.5, 3.0, "0.5-3 d",
            "systemic reactions last a median of 1-2 days", False),
    ]
