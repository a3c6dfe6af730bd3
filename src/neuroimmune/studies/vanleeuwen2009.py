"""van Leeuwen et al. 2009, PLoS One 4:e4589: 13 young men slept 4 h a night for 5 nights, then 8 h for 2 recovery
nights: CRP rose to 145 % of baseline after the restriction and went on rising, to 231 %, after recovery; heart
rate after recovery was 108 % of baseline (all P < 0.05).

Inflammation outlasting sleep loss. CRP (:mod:`neuroimmune.model.mechanisms.hepatic`) follows the resting IL-6 that
sleep debt raises, read at the end of the restriction and of the recovery nights against its value before; held
out (nothing about sleep sets the CRP parameters). Heart rate: the model's mean over the second recovery day
against its baseline, band (100, 116) % from P < 0.05.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ._base import Row, Study, between, simulate_arm
from ._compare import significant_row, window_mean
from ._scenarios import sleep_restricted

STUDY = Study(
    id="vanleeuwen2009",
    citation="van Leeuwen WMA, Lehto M, Karisola P, Lindholm H, Luukkonen R, Sallinen M, Harma M, Porkka-Heiskanen "
             "T, Alenius H. Sleep restriction increases the risk of developing cardiovascular diseases by augmenting "
             "proinflammatory responses through IL-17 and CRP. PLoS One 2009;4:e4589.",
    doi="10.1371/journal.pone.0004589",
    how_read="abstract (PMC2643002): % of baseline after restriction and after recovery",
    cluster="sleep loss",
)
N = 13
MEASURES = "5 nights of 4 h, then 2 of 8 h: CRP after each; heart rate after recovery"
TOLERANCE = "within (100 %, 2 x rise) from p < 0.05"

# "CRP was increased after SR (145% of BL; p<0.05) and continued to increase after REC (231% of BL; p<0.05)";
# "Heart rate was increased after REC (108% of BL; p<0.05)"
CRP = {"after 5 nights of 4 h": 145.0, "after 2 recovery nights": 231.0}
HEART_RATE = 108.0
NIGHTS, RECOVERY = 5, 2


def rows(values: Mapping[str, float]) -> list[Row]:
    obs = simulate_arm(sleep_restricted(4.0, NIGHTS, recovery_nights=RECOVERY), values)
    end = 24.0 * (NIGHTS + RECOVERY)
    ratio = 100.0 * window_mean(obs, "heart_rate", end - 24.0, end) / float(np.asarray(obs["heart_rate"])[0])
    crp = np.asarray(obs["crp"])
    at_end = {"after 5 nights of 4 h": 24.0 * NIGHTS, "after 2 recovery nights": end}
    out = [between(STUDY.id, "crp", f"CRP {when} (% of baseline)",
                   100.0 * float(np.interp(at_end[when], obs["time"], crp)) / float(crp[0]), value, 100.0,
                   2 * value - 100.0, "p < 0.05: within (100 %, 2 x rise)", False, f"100-{2 * value - 100.0:.0f} %")
           for when, value in CRP.items()]
    out.append(significant_row(STUDY.id, "heart_rate", "heart rate after 2 recovery nights, rise (% of baseline)",
                               ratio - 100.0, HEART_RATE - 100.0, "rise reported as significant (p < 0.05)"))
    return out
