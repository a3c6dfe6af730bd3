"""Carrat et al. 2002, Arch Intern Med 162:1842-1848: influenza in French households (2000, A/H3N2), followed by
daily questionnaire: the median illness lasted 8 days (95 % CI 7-8) in index cases who saw a doctor and tested
positive, 7 days (7-8) in secondary cases who consulted, and 4 days (3-5) in secondary cases who did not.

Community influenza has a severity gradient that one average course cannot cover: the model's community influenza
(setting ``community``; illness = any of :data:`neuroimmune.outcomes.ILL_AT`, from onset) against the mild,
non-consulting cases and against the consulting index cases, each within its 95 % CI widened by half a day (durations in
whole days).
"""

from __future__ import annotations

from collections.abc import Mapping

from ._base import Row, Study, between, simulate_arm
from ._compare import illness
from ._scenarios import infection

STUDY = Study(
    id="carrat2002",
    citation="Carrat F, Sahler C, Rogez S, et al. Influenza burden of illness: estimates from a national prospective "
             "survey of household contacts in France. Arch Intern Med 2002;162:1842-1848.",
    doi="10.1001/archinte.162.16.1842",
    how_read="abstract (peeref record): medians with 95 % CIs",
    cluster="community illness",
)
N = 708
MEASURES = "household influenza: illness duration, non-consulting vs consulting cases"
TOLERANCE = "95 % CI +/- half a day (whole days)"

# "The median duration of illness was 8 days (95% confidence interval [CI], 7-8 days) in index cases, 7 days (95% CI,
# 7-8 days) in consulting secondary cases, and 4 days (95% CI, 3-5 days) in nonconsulting secondary cases"
DURATION = {"non-consulting secondary cases": (4.0, 3.0, 5.0, 135), "consulting index cases": (8.0, 7.0, 8.0, 395)}


def rows(values: Mapping[str, float]) -> list[Row]:
    onset, end = illness(simulate_arm(infection("influenza", days=21.0, setting="community"), values))
    days = (end - onset) / 24.0
    return [between(STUDY.id, "illness", f"illness duration from onset, {who} (d)", days, med, lo - 0.5, hi + 0.5,
                    f"95 % CI of the median in {n} people, +/- half a day", False)
            for who, (med, lo, hi, n) in DURATION.items()]
