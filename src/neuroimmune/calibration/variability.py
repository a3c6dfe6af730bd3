"""Calibration of the inter-individual variability against the 20 volunteers of Windoloski 2024.

The data side lives with the study (:mod:`neuroimmune.studies.windoloski2024_individuals`): the individual TNF
and IL-6 time courses after a 2 ng/kg bolus, the statistic (the standard deviation across people of the log peak),
and the reading of a cohort on the data's own sampling times (0, 1, 1.5, 2, 3, 4, 5, 6 h) so that both sides see
the same grid. This module holds the cohort side: the coefficients of variation of the parameters marked
``fitted`` in ``variability.yaml`` are found by least squares on log-CV, with common random numbers (one seeded
cohort, every member the default host), so that the cohort's log-peak SDs come as close to the data's as the model
allows (relative residuals; the model's IL-6 follows TNF, so the two cannot be set independently). The result,
with its provenance, is written to ``fitted/individual_variability.yaml``; rerunning reproduces it.
"""

from __future__ import annotations

import datetime as _dt
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from .. import __version__
from ..io.atomic import write_text
from ..io.safe_yaml import load_yaml
from ..studies import windoloski2024_individuals as study


def fit_individual_variability(n: int = 2000, seed: int = 0, out: str | Path | None = None) -> dict[str, Any]:
    """Fit the CVs of the ``fitted`` parameters of ``variability.yaml``; write and return the fit record."""
    from scipy.optimize import least_squares

    from ..cohort.variability import catalogue

    raw = load_yaml(resources.files("neuroimmune.cohort").joinpath("variability.yaml").read_bytes(),
                    field="variability.yaml")
    spec = raw["parameters"]  # the starting CVs, not an earlier fit
    names = [k for k, v in spec.items() if v.get("fitted")]
    targets = np.array([study.data_spread(tag)[0] for tag in study.FITTED.values()])

    def model_sd(log_cv: np.ndarray) -> np.ndarray:
        var = {"parameters": dict(zip(names, np.exp(log_cv).tolist(), strict=True)), "host": "scenario"}
        res = study.cohort_on_data_grid(var, n, seed)
        return np.array([np.log(res[name][0]).std(ddof=1) for name in study.FITTED])

    x0 = np.log([float(spec[k]["cv"]) for k in names])
    sol = least_squares(lambda x: np.log(model_sd(x) / targets), x0, bounds=(np.log(0.01), np.log(3.0)),
                        diff_step=0.02, xtol=1e-6, ftol=1e-8)
    cv = dict(zip(names, np.round(np.exp(sol.x), 6).tolist(), strict=True))
    achieved = model_sd(np.log(list(cv.values())))
    record = {
        "provenance": {
            "data": [study.DATASET.format(tag=tag) for tag in study.FITTED.values()],
            "statistic": "SD across people of log peak, peaks read on the data's sampling times",
            "method": f"scipy.optimize.least_squares on log-CV; one cohort of {n} members (seed {seed}), "
                      "default host, 2 ng/kg bolus; common random numbers",
            "target_sd_log_peak": dict(zip(study.FITTED, np.round(targets, 6).tolist(), strict=True)),
            "achieved_sd_log_peak": dict(zip(study.FITTED, np.round(achieved, 6).tolist(), strict=True)),
            "neuroimmune_version": __version__,
            "date": _dt.date.today().isoformat(),
            "rerun": "python -c 'from neuroimmune.calibration.variability import fit_individual_variability as f; f()'",
        },
        "cv": cv,
    }
    packaged = resources.files("neuroimmune.cohort").joinpath("fitted/individual_variability.yaml")
    path = Path(out) if out else Path(str(packaged))
    write_text("# Written by neuroimmune.calibration.variability.fit_individual_variability; do not edit by hand.\n"
               + yaml.safe_dump(record, sort_keys=False), path)
    catalogue.cache_clear()
    return record
