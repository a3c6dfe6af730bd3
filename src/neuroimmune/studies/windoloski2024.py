"""Windoloski et al. 2024, Exp Physiol (doi 10.1113/EP091552): the same 2 ng/kg total given as a bolus or infused
over 4 h (n = 9). Not used in calibration: a held-out test that the challenge is a time course.

Infusion delays the cytokine peaks and raises IL-10 (longer monocyte activation while IL-10 has time to build).
The bolus arm is the Janum 2016 cohort (the same 20 volunteers: the packaged means and SDs coincide), so
cross-validation leaves this study out with Janum 2016.
"""

from __future__ import annotations

from collections.abc import Mapping

from .. import data
from ..outcomes import peak
from ..scenarios import Endotoxin, Infusion, Scenario
from ._base import Row, Study, simulate_arm, within

STUDY = Study(
    id="windoloski2024",
    citation="Windoloski KA, Bangsgaard EO, Dobreva A, et al. Characterization of differences in immune responses "
             "during bolus and continuous infusion endotoxin challenges using mathematical modelling. Exp Physiol "
             "2024 (arXiv:2308.01495).",
    doi="10.1113/EP091552",
    how_read="cohort means of the bolus and the 4-hour infusion from the authors' public code (see each data "
             "file's header)",
    cohort="janum2016",
    data=tuple(f"endotoxemia/windoloski2024_{arm}_{tag}_mean" for arm in ("bolus2ngkg", "continuous2ngkg_over4h")
               for tag in ("TNF", "IL6", "IL10")),
    cluster="dose-response",
)


def _peak(name: str) -> tuple[float, float]:
    t = data.load(name).table
    col = "mean" if "mean" in t else "mean_no_outliers"
    return peak(t[col], t.time_h)


def rows(values: Mapping[str, float]) -> list[Row]:
    bolus = simulate_arm(Scenario(challenge=Endotoxin(dose=2.0), duration=10.0, output_step=0.05), values)
    infusion = simulate_arm(Scenario(challenge=Endotoxin(infusion=Infusion(rate=0.5, duration=4.0)), duration=10.0,
                                     output_step=0.05), values)
    out = []
    for name, tag in (("tnf", "TNF"), ("il6", "IL6")):
        _, tb = _peak(f"endotoxemia/windoloski2024_bolus2ngkg_{tag}_mean")
        _, ti = _peak(f"endotoxemia/windoloski2024_continuous2ngkg_over4h_{tag}_mean")
        delay = peak(infusion[name], infusion["time"])[1] - peak(bolus[name], bolus["time"])[1]
        out.append(within(STUDY.id, name, "peak delay infusion - bolus (h)", delay, ti - tb, 1.0,
                          "the data are sampled hourly around the infusion peak", False, " h"))
    b10, _ = _peak("endotoxemia/windoloski2024_bolus2ngkg_IL10_mean")
    i10, _ = _peak("endotoxemia/windoloski2024_continuous2ngkg_over4h_IL10_mean")
    ratio = peak(infusion["il10"], infusion["time"])[0] / peak(bolus["il10"], bolus["time"])[0]
    data_ratio = i10 / b10
    out.append(Row(STUDY.id, "il10", "peak ratio infusion / bolus", ratio, data_ratio, 1.0, data_ratio * 1.5,
                   f"> 1, <= {data_ratio * 1.5:.2f}",
                   "direction only (two cohorts of 20 and 9, fitted with different parameters by Windoloski 2024); "
                   "up to 1.5 x the observed ratio", False))
    return out
