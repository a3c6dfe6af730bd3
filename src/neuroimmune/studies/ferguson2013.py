"""Ferguson et al. 2013, J Transl Med 11:63 (the GENE study): 1 ng/kg E. coli endotoxin intravenously in 294
healthy young adults (median age 24). In the 193 of European ancestry (47 % women) the median CRP peak was
17.4 mg/L (IQR 12); men had a larger CRP response than women (median AUC 185 against 155, P = 0.02).

Read from the abstract. Fitted: the CRP peak, the one number that sets the resting CRP ``crp_0`` (the liver makes
CRP in proportion to IL-6, :mod:`neuroimmune.model.mechanisms.hepatic`); the model's peak is the mix of a man's
and a woman's course weighted as the cohort (53 % men). Tolerance: 2 standard errors of a median,
2 x 1.2533 x (IQR / 1.349) / sqrt(n) = 1.6 mg/L. Held out: the sex difference in the CRP area under the curve over
the first 24 h (women against men, in %), reported only as significant: within (-32 %, 0).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ._base import Row, Study, between, simulate_arm
from ._compare import significant_row
from ._scenarios import bolus

STUDY = Study(
    id="ferguson2013",
    citation="Ferguson JF, Patel PN, Shah RY, Mulvey CK, Gadi R, Nijjar PS, Usman HM, Mehta NN, Shah R, Master SR, "
             "Propert KJ, Reilly MP. Race and gender variation in response to evoked inflammation. J Transl Med "
             "2013;11:63.",
    doi="10.1186/1479-5876-11-63",
    how_read="abstract (PubMed 23497455): median (IQR) CRP peak in the European-ancestry group; CRP AUC by sex",
    fitted=True,
    cluster="calibration point",
)
N = 193
WOMEN = 0.47
DOSE = 1.0
# "induction of hepatic acute-phase proteins (e.g. median (IQR) peak CRP 12.9 (9) vs. 17.4 (12) mg/L" (African vs
# European ancestry); "males having a higher AUC for CRP response compared to females (median (IQR) AUC: 185 (112)
# vs. 155 (118), P=0.02)"
CRP_PEAK, CRP_IQR = 17.4, 12.0
AUC_MEN, AUC_WOMEN = 185.0, 155.0
#: Standard error of a median from the IQR of a roughly normal spread (1.2533 x sigma / sqrt(n)).
SE_MEDIAN = 1.2533 * (CRP_IQR / 1.349) / np.sqrt(N)
AUC_HOURS = 24.0


def _courses(values: Mapping[str, float]) -> dict[str, dict[str, np.ndarray]]:
    return {sex: simulate_arm(bolus(dose=DOSE, sex=sex, duration=AUC_HOURS + 24.0), values)
            for sex in ("male", "female")}


def _peak(courses: Mapping[str, Mapping[str, np.ndarray]]) -> float:
    return float((1 - WOMEN) * np.max(courses["male"]["crp"]) + WOMEN * np.max(courses["female"]["crp"]))


def _auc(obs: Mapping[str, np.ndarray]) -> float:
    keep = obs["time"] <= AUC_HOURS
    return float(np.trapezoid(obs["crp"][keep], obs["time"][keep]))


def rows(values: Mapping[str, float]) -> list[Row]:
    courses = _courses(values)
    women_vs_men = 100.0 * (_auc(courses["female"]) / _auc(courses["male"]) - 1.0)
    return [
        between(STUDY.id, "crp", "median CRP peak after 1 ng/kg (mg/L)", _peak(courses), CRP_PEAK,
                CRP_PEAK - 2 * SE_MEDIAN, CRP_PEAK + 2 * SE_MEDIAN,
                f"2 SE of a median from its IQR ({CRP_IQR:g} mg/L) in {N} people", True,
                f"+/- {2 * SE_MEDIAN:.2g} mg/L"),
        significant_row(STUDY.id, "crp", "women vs men, CRP area over 0-24 h (%)", women_vs_men,
                        100.0 * (AUC_WOMEN / AUC_MEN - 1.0), "men's larger CRP response, P = 0.02"),
    ]


def residuals(values: Mapping[str, float]) -> np.ndarray:
    return np.array([(_peak(_courses(values)) - CRP_PEAK) / SE_MEDIAN])
