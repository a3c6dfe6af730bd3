"""Polack et al. 2020, N Engl J Med 383:2603-2615: BNT162b2 phase 3 trial; fever (>= 38 degC) within 7 days in
1-4 % after dose 1 and 11-16 % after dose 2 (reactogenicity subset). In-sample: the vaccine parameters with source
polack2020 in ``parameters.yaml`` (interferon per dose, the effector response to a second dose) were set for
them."""

from __future__ import annotations

from collections.abc import Mapping

from ._base import Row, Study, simulate_course
from ._scenarios import vaccine_dose

STUDY = Study(
    id="polack2020",
    citation="Polack FP, Thomas SJ, Kitchin N, et al. Safety and efficacy of the BNT162b2 mRNA Covid-19 vaccine. "
             "N Engl J Med 2020;383:2603-2615.",
    doi="10.1056/NEJMoa2034577",
    how_read="table of solicited systemic events by dose and age (as adapted in the product monograph)",
    cluster="vaccine platforms",
)


def temperature_rises(values: Mapping[str, float]) -> tuple[float, float]:
    """Peak temperature rise after dose 1 and dose 2 (degC)."""
    one, two = (simulate_course(vaccine_dose(n), values) for n in (1, 2))
    t0 = float(one["temperature"][0])
    return float(one["temperature"].max()) - t0, float(two["temperature"].max()) - t0


def rows(values: Mapping[str, float]) -> list[Row]:
    rise1, rise2 = temperature_rises(values)
    return [
        Row(STUDY.id, "temperature", "dose 1 temperature rise (degC)", rise1, 0.2, 0.0, 0.5, "< 0.5 degC",
            "fever (>= 38 degC) in 1-4 % after dose 1: the mean rise must stay well below fever", True),
        Row(STUDY.id, "temperature", "dose 2 / dose 1 temperature rise", rise2 / rise1, 4.0, 2.0, 20.0, "2-20 x",
            "fever 1-4 % after dose 1 vs 11-16 % after dose 2 (15.6 vs 1.7 % in health-care workers)", True),
    ]
