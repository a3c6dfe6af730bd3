"""Suffredini et al. 1999, J Infect Dis 179:1278-1282: the clinical lot CCRE of E. coli O:113 endotoxin at 0, 1,
2 and 4 ng/kg in healthy men (n = 20 in all); symptoms, temperature (P = .016), TNF (P = .004), IL-6 (P = .005)
and IL-8 (P = .011) rose with the dose.

Read from the abstract: ordinal data (the order of the responses across doses), no magnitudes. Fitted as a
qualitative constraint (an ordinal residual, as pyPESTO treats qualitative data): for each observable and each
step between doses the residual is the shortfall of the peak below the previous dose's raised by a margin of
0.01 %, relative to that peak, over a scale of 0.001 % (so an order kept with the margin costs nothing, a plateau
costs ten units and a dip more: where nature is monotone, a dip is a defect and a plateau is not the reported
trend). Without the margin a joint fit traded a dip of 0.0002 % in back ache between 1 and 2 ng/kg, where it
saturates, for a cost of 0.02. Validate: the order is kept over 1, 2 and 4 ng/kg for each observable (1 = kept).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ._base import Row, Study, simulate_arm
from ._compare import order_row
from ._scenarios import bolus

STUDY = Study(
    id="suffredini1999",
    citation="Suffredini AF, Hochstein HD, McMahon FG. Dose-related inflammatory effects of intravenous endotoxin "
             "in humans: evaluation of a new clinical lot of Escherichia coli O:113 endotoxin. J Infect Dis "
             "1999;179:1278-1282.",
    doi="10.1086/314717",
    how_read="abstract: dose-related increases (P for trend) in symptoms, temperature, TNF, IL-6 and IL-8",
    fitted=True,
    cluster="dose-response",
    qualitative=True,
)

DOSES = (1.0, 2.0, 4.0)
OBSERVABLES = ("tnf", "il6", "il8", "temperature", "back_pain")
SCALE = 1e-5
#: The smallest relative rise between doses that counts as kept in the fit (the rows ask only for a rise).
MARGIN = 1e-4


def _peaks(values: Mapping[str, float]) -> dict[str, np.ndarray]:
    runs = [simulate_arm(bolus(dose=d, duration=12.0), values) for d in DOSES]
    return {name: np.array([float(np.max(r[name]) - r[name][0]) for r in runs]) for name in OBSERVABLES}


def rows(values: Mapping[str, float]) -> list[Row]:
    peaks = _peaks(values)
    return [order_row(STUDY.id, name, "peak rise kept in dose order over 1, 2, 4 ng/kg (1 = kept)",
                      bool(np.all(np.diff(peaks[name]) > 0)), "dose-related increase, P for trend < .05", True)
            for name in OBSERVABLES]


def residuals(values: Mapping[str, float]) -> np.ndarray:
    peaks = _peaks(values)
    out = []
    for name in OBSERVABLES:
        p = peaks[name]
        out.extend(np.maximum(0.0, (p[:-1] * (1.0 + MARGIN) - p[1:]) / np.maximum(p[:-1], 1e-9)) / SCALE)
    return np.array(out)
