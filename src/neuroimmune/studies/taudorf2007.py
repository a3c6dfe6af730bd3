"""Taudorf et al. 2007, Clin Vaccine Immunol 14:250-255: 0.3 ng/kg E. coli endotoxin as a bolus or infused over
4 h (the same total dose), against saline, in 10 men (crossover). TNF and IL-6 responses were earlier and more
pronounced after the bolus; only the bolus raised heart rate.

Direction-only findings (the abstract gives no magnitudes): ratios and differences of the two arms on their sign.
The heart-rate findings are bounded by 2 SEM of a mean change in 10 people with the Janum 2016 SD (11 bpm): the
bolus rise must exceed it (an increase was found), the infusion rise must not (none was found).
"""

from __future__ import annotations

from collections.abc import Mapping

from ..outcomes import peak
from ._base import Row, Study, between, simulate_arm
from ._compare import above_row, below_row, rise, sem2
from ._scenarios import bolus, infused

STUDY = Study(
    id="taudorf2007",
    citation="Taudorf S, Krabbe KS, Berg RMG, Pedersen BK, Moller K. Human models of low-grade inflammation: bolus "
             "versus continuous infusion of endotoxin. Clin Vaccine Immunol 2007;14:250-255.",
    doi="10.1128/CVI.00380-06",
    how_read="abstract (Region Hovedstaden research portal): directions only",
    cluster="dose-response",
)
N = 10
MEASURES = "0.3 ng/kg bolus vs 4-h infusion: TNF/IL-6 size and timing, heart rate"
TOLERANCE = "sign of the difference; heart rate against 2 SEM (Janum SD)"

DOSE = 0.3  # ng/kg, both arms
# "TNF-alpha, interleukin-6, and neutrophil responses were earlier and more pronounced in the bolus trial compared
# with the infusion trial"; "Only bolus endotoxin caused an increase in heart rate"
HEART_RATE_SD = 11.0  # bpm, Janum 2016 cohort


def rows(values: Mapping[str, float]) -> list[Row]:
    shot = simulate_arm(bolus(dose=DOSE, duration=10.0), values)
    drip = simulate_arm(infused(DOSE, 4.0, duration=10.0), values)
    out = []
    for name in ("tnf", "il6"):
        (p_shot, t_shot), (p_drip, t_drip) = peak(shot[name], shot["time"]), peak(drip[name], drip["time"])
        out.append(below_row(STUDY.id, name, "peak, infusion / bolus", p_drip / p_shot, 1.0,
                             "more pronounced after the bolus (direction only)"))
        out.append(above_row(STUDY.id, name, "peak time, infusion - bolus (h)", t_drip - t_shot, 0.0,
                             "earlier after the bolus (direction only)"))
    band = sem2(HEART_RATE_SD, N)
    out.append(above_row(STUDY.id, "heart_rate", "rise after the bolus (bpm)", rise(shot, "heart_rate"), band,
                         f"an increase after the bolus: above 2 SEM of a mean change in 10 men ({band:.2g} bpm, "
                         "Janum 2016 SD)"))
    out.append(between(STUDY.id, "heart_rate", "rise during the infusion (bpm)", rise(drip, "heart_rate"), 0.0,
                       -band, band, f"no increase during the infusion: within 2 SEM ({band:.2g} bpm)", False))
    return out
