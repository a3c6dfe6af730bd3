"""Calibration of the inter-individual variability against the 20 volunteers of Windoloski 2024.

The data side lives with the study (:mod:`neuroimmune.studies.windoloski2024_individuals`): the individual TNF,
IL-6 and IL-10 time courses after a 2 ng/kg bolus (IL-8 is held out), the statistics (the standard deviation
across people of the log reading at each sampling time after the challenge, and of the log peak:
``spread_over_time``), and the reading of a cohort on the data's own sampling times (0, 1, 1.5, 2, 3, 4, 5, 6 h),
as the assay reads it (``as_measured``), so that both sides see the same grid and the same floor. This module
holds the cohort side: the coefficients of variation of the parameters marked ``fitted`` in ``variability.yaml``
are found by least squares on log-CV, with common random numbers (one seeded cohort, every member the default
host), so that the cohort's spreads come as close to the data's as the model allows (relative residuals,
``log(model SD / data SD)``, 24 of them for 5 coefficients). Fitting the spread at every time rather than of the
peaks alone is what lets the data tell how much people differ in how long the response lasts (``k_MA``) and how
fast they clear IL-6 (``k_6``), not only in how much they make. The result, with its provenance, is written to
``fitted/individual_variability.yaml``; rerunning reproduces it.
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
    targets = np.concatenate([study.spread_over_time(study.individuals(tag)[1]) for tag in study.FITTED.values()])

    def model_sd(log_cv: np.ndarray) -> np.ndarray:
        var = {"parameters": dict(zip(names, np.exp(log_cv).tolist(), strict=True)), "host": "scenario"}
        series = study.cohort_series(var, n, seed)
        return np.concatenate([study.spread_over_time(series[name]) for name in study.FITTED])

    x0 = np.log([float(spec[k]["cv"]) for k in names])
    # the peak's spread (the statistic the study's validate rows check) weighs as much as the course's seven times
    weights = np.tile(np.append(np.ones(len(targets) // len(study.FITTED) - 1),
                                np.sqrt(len(targets) // len(study.FITTED) - 1)), len(study.FITTED))
    sol = least_squares(lambda x: weights * np.log(model_sd(x) / targets), x0, bounds=(np.log(0.01), np.log(3.0)),
                        diff_step=0.02, xtol=1e-6, ftol=1e-8)
    cv = dict(zip(names, np.round(np.exp(sol.x), 6).tolist(), strict=True))
    achieved = model_sd(np.log(list(cv.values())))
    times = [f"{t:g} h" for t in study.individuals("TNF")[0][1:]] + ["peak"]

    def by_time(values: np.ndarray) -> dict[str, dict[str, float]]:
        per = values.reshape(len(study.FITTED), len(times))
        return {name: dict(zip(times, np.round(row, 4).tolist(), strict=True))
                for name, row in zip(study.FITTED, per, strict=True)}

    record = {
        "provenance": {
            "data": [study.DATASET.format(tag=tag) for tag in study.FITTED.values()],
            "statistic": "SD across people of the log reading at each sampling time after the challenge and of the "
                         "log peak; the cohort read as measured (its rise above rest on a resting reading drawn "
                         "from the volunteers' pre-challenge values: studies.windoloski2024_individuals.as_measured)",
            "method": f"scipy.optimize.least_squares on log-CV; one cohort of {n} members (seed {seed}), "
                      "default host, 2 ng/kg bolus; common random numbers",
            "target_sd_log": by_time(targets),
            "achieved_sd_log": by_time(achieved),
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
