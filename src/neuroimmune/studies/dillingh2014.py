"""Dillingh et al. 2014, J Inflamm 11:28: ascending endotoxin doses of 0.5, 1 and 2 ng/kg in healthy men (6 on LPS
and 2 on placebo per dose). At the lowest dose, 0.5 ng/kg, the 0-6 h contrast against placebo was TNF +413 %, IL-6
+288 % and IL-8 +254 %; at 2 ng/kg temperature rose 1.5 degC and heart rate 28 bpm.

The contrast is a least-squares mean over the 0-6 h samples of a mixed model (log-transformed, as cytokines are
analysed): the model's counterpart is the time-averaged log ratio to baseline over 0-6 h, exponentiated. Bands: the
between-person spread of log peaks (Windoloski 2024) over sqrt(6), twice; temperature and heart rate 2 SEM with
the Janum 2016 SDs over sqrt(6).

Fitted (with Krabbe 2005 and Grigoleit 2010 it pins the endotoxin threshold at low doses): the three contrasts on
a log scale with sigma half the log of the band. Held out: the vital signs at 2 ng/kg.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ._base import Row, Study, simulate_arm, within
from ._compare import factor_row, log_factor, rise, sem2
from ._scenarios import bolus

STUDY = Study(
    id="dillingh2014",
    citation="Dillingh MR, van Poelgeest EP, Malone KE, Kemper EM, Stroes ESG, Moerland M, Burggraaf J. "
             "Characterization of inflammation and immune cell modulation induced by low-dose LPS administration "
             "to healthy volunteers. J Inflamm (Lond) 2014;11:28.",
    doi="10.1186/s12950-014-0028-1",
    how_read="abstract: percentage contrasts against placebo at 0.5 ng/kg over 0-6 h; temperature and heart-rate "
             "rises at 2 ng/kg",
    fitted=True,
    cluster="dose-response",
)
N = 6  # on LPS per dose cohort (6:2 with placebo)
MEASURES = "0.5 ng/kg: 0-6 h TNF, IL-6, IL-8 against placebo; 2 ng/kg temperature and heart-rate rise"
TOLERANCE = "x/÷ exp(2 SD_log / sqrt 6); 2 SEM (Janum SDs) for the vital signs"

LOW_DOSE = 0.5  # ng/kg
# "(0.5 ng/kg, contrast for timeframe 0-6 hours: TNF-alpha +413%, IL-6 +288%, IL-8 +254%; all p <= 0.0001)"
CONTRAST = {"tnf": ("TNF", "tnf_0", 413.0), "il6": ("IL6", "il6_0", 288.0), "il8": ("IL8", "il8_0", 254.0)}
# "LPS administration dose-dependently increased body temperature (+1.5 degC for 2 ng/kg LPS) [and] heart rate
# (+28 bpm for 2 ng/kg LPS)"; SDs from the Janum 2016 cohort (janum2016.py)
VITALS = {"temperature": (1.5, 0.45, "degC"), "heart_rate": (28.0, 11.0, "bpm")}


def _geometric_ratio(obs: Mapping[str, np.ndarray], name: str, baseline: float) -> float:
    t = np.asarray(obs["time"])
    inside = t <= 6.0
    log_ratio = np.log(np.asarray(obs[name])[inside] / baseline)
    return float(np.exp(np.trapezoid(log_ratio, t[inside]) / 6.0))


def rows(values: Mapping[str, float]) -> list[Row]:
    low = simulate_arm(bolus(dose=LOW_DOSE, duration=8.0), values)
    out = []
    for name, (tag, base, pct) in CONTRAST.items():
        out.append(factor_row(STUDY.id, name, "0-6 h level / placebo at 0.5 ng/kg",
                              _geometric_ratio(low, name, values[base]), 1.0 + pct / 100.0, log_factor(tag, N),
                              "contrast without spread: between-person SD of the log peak (Windoloski 2024) over "
                              "sqrt(6), twice", fitted=True))
    high = simulate_arm(bolus(dose=2.0, duration=8.0), values)
    for name, (value, sd, unit) in VITALS.items():
        out.append(within(STUDY.id, name, f"rise at 2 ng/kg ({unit})", rise(high, name), value, sem2(sd, N),
                          f"2 SEM of a mean in 6 people with the Janum 2016 SD ({sd:g} {unit})", False, f" {unit}"))
    return out


def residuals(values: Mapping[str, float]) -> np.ndarray:
    low = simulate_arm(bolus(dose=LOW_DOSE, duration=8.0), values)
    return np.array([(np.log(_geometric_ratio(low, name, values[base])) - np.log(1.0 + pct / 100.0))
                     / (np.log(log_factor(tag, N)) / 2) for name, (tag, base, pct) in CONTRAST.items()])
