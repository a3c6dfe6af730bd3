"""Grigoleit et al. 2010: 0.4 ng/kg LPS in young men; the rise of TNF and IL-6 above baseline (means digitised
by Somvanshi et al. 2020). Fitted together with Janum 2016, so the dose-response is pinned at two doses.
Compared on the rise above baseline because the assays' baselines differ from Janum's (IL-10 is left out: its
baseline differs 36-fold between the two assays)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .. import data
from ._base import Row, Study, simulate_arm
from ._scenarios import bolus

STUDY = Study(
    id="grigoleit2010",
    citation="Grigoleit JS, Oberbeck JR, Lichte P, et al. Lipopolysaccharide-induced experimental immune "
             "activation does not impair memory functions in humans. Neurobiol Learn Mem 2010;94:561-567.",
    doi="10.1016/j.nlm.2010.09.011",
    how_read="cohort means digitised by Somvanshi et al. 2020 (see the data file's header)",
    data=("endotoxemia/grigoleit2010_0.4ngkg_peaks",),
    fitted=True,
    cluster="dose-response",
)

FACTOR = 1.6  # digitised means of a second cohort with another assay: within a factor of 1.6 either way
SIGMA_LOG = 0.5
#: Observable: (row of the data file, baseline parameter).
LOW_DOSE = {"tnf": ("TNF", "tnf_0"), "il6": ("IL6", "il6_0")}


def _rises() -> dict[str, float]:
    low = data.load("endotoxemia/grigoleit2010_0.4ngkg_peaks").table.set_index("cytokine")
    return {obs: float(low.peak[tag] - low.baseline[tag]) for obs, (tag, _) in LOW_DOSE.items()}


def _model_rises(values: Mapping[str, float]) -> dict[str, float]:
    obs = simulate_arm(bolus(dose=0.4, duration=8.0), values)
    return {name: float(np.max(obs[name]) - values[base]) for name, (_, base) in LOW_DOSE.items()}


def rows(values: Mapping[str, float]) -> list[Row]:
    model = _model_rises(values)
    return [Row(STUDY.id, name, "peak rise above baseline at 0.4 ng/kg (pg/mL)", model[name], rise, rise / FACTOR,
                rise * FACTOR, f"x/÷ {FACTOR}", "a second cohort, another assay, digitised means", True)
            for name, rise in _rises().items()]


def residuals(values: Mapping[str, float]) -> np.ndarray:
    model = _model_rises(values)
    return np.array([(np.log(model[name]) - np.log(rise)) / SIGMA_LOG for name, rise in _rises().items()])
