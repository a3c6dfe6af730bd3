"""Reactogenicity of an mRNA vaccine: a second dose brings more systemic symptoms than the first (Polack 2020;
findings vaccine_hcw_japan), starting within a day and lasting one to two days (findings vaccine_timing)."""

from __future__ import annotations

from ..engine.simulate import simulate
from .table import Row


def _dose(n: int):  # type: ignore[no-untyped-def]
    return simulate({"challenge": {"kind": "vaccine", "dose_number": n}, "duration": "7 days", "output_step": "0.5 h"})


def rows() -> list[Row]:
    one, two = _dose(1), _dose(2)
    t0 = float(one["temperature"][0])
    rise1, rise2 = float(one["temperature"].max()) - t0, float(two["temperature"].max()) - t0
    fat1, fat2 = float(one["fatigue"].max()), float(two["fatigue"].max())
    ill = two["fatigue"] >= 0.2
    times = two["time"].to_numpy()[ill.to_numpy()]
    onset = float(times[0]) / 24.0 if times.size else float("nan")
    duration = float(ill.sum()) * 0.5 / 24.0
    return [
        Row("polack2020", "temperature", "dose 1 temperature rise (degC)", rise1, 0.2, 0.0, 0.5, "< 0.5 degC",
            "fever (>= 38 degC) in 1-4 % after dose 1: the mean rise must stay well below fever", True),
        Row("polack2020", "temperature", "dose 2 / dose 1 temperature rise", rise2 / rise1, 4.0, 2.0, 20.0, "2-20 x",
            "fever 1-4 % after dose 1 vs 11-16 % after dose 2 (15.6 vs 1.7 % in health-care workers)", True),
        Row("vaccine_hcw", "fatigue", "dose 2 / dose 1 peak fatigue", fat2 / fat1, 2.6, 1.3, 4.0, "1.3-4 x",
            "fatigue 19-28 % after dose 1 vs 44-73 % after dose 2 (two health-care worker cohorts)", False),
        Row("vaccine_timing", "fatigue", "dose 2 symptom onset (day)", onset, 0.5, 0.0, 1.0, "within day 1",
            "systemic reactions start on day 0-2, most on day 1", False),
        Row("vaccine_timing", "fatigue", "dose 2 days with fatigue >= 0.2", duration, 1.5, 0.5, 3.0, "0.5-3 d",
            "systemic reactions last a median of 1-2 days", False),
    ]
