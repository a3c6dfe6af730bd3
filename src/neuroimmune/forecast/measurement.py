"""The measurement model of a symptom diary: how what a person writes down relates to the model's course.

Stated in ``measurement.yaml`` beside this module, with sources:

* a 0-10 rating (back ache, fatigue) is the day's worst model value (fatigue read on 0-10 as ten times the model's
  0-1 scale) plus Gaussian error of standard deviation ``sd``, censored to 0-10: a report of 0 means "0 or less",
  10 means "10 or more" (a Tobit model);
* a temperature is the day's highest core temperature plus the thermometer's bias and Gaussian error;
* the person's day 1 starts at the model's onset moved by a shift that is uniform over -24..24 h (a 6-hour grid).

:class:`Noise` gives each report's log-likelihood given the model's value, draws reports, and gives the
probability of a report at least as high (for the check of whether a diary lies outside the model).
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
from scipy.special import log_ndtr, ndtr

from ..io.safe_yaml import load_yaml

_LOG_SQRT_2PI = 0.5 * np.log(2.0 * np.pi)


@dataclasses.dataclass(frozen=True)
class Noise:
    """Reporting error of one diary field: ``report = clip(scale * model + bias + N(0, sd), low, high)``."""

    field: str
    observable: str
    sd: float
    unit: str
    scale: float = 1.0
    bias: float = 0.0
    low: float | None = None
    high: float | None = None
    sources: tuple[str, ...] = ()
    rationale: str = ""

    def latent(self, model: np.ndarray) -> np.ndarray:
        """The report's expected value before censoring, from the model's value."""
        return self.scale * np.asarray(model, dtype=float) + self.bias

    def log_likelihood(self, report: float, model: np.ndarray) -> np.ndarray:
        """Log-probability (density) of ``report`` for each model value; a NaN model value (a day outside the
        simulated course) gives -inf."""
        z = (report - self.latent(model)) / self.sd
        if self.low is not None and report <= self.low:
            out = log_ndtr(z)
        elif self.high is not None and report >= self.high:
            out = log_ndtr(-z)
        else:
            out = -0.5 * z * z - _LOG_SQRT_2PI - np.log(self.sd)
        return np.where(np.isnan(z), -np.inf, out)

    def at_least(self, report: float, model: np.ndarray) -> np.ndarray:
        """Probability that a report is ``report`` or higher, for each model value."""
        if self.low is not None and report <= self.low:
            return np.ones(np.shape(model))
        return ndtr((self.latent(model) - report) / self.sd)

    def draw(self, model: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Reports drawn for model values ``model``."""
        y = self.latent(model) + self.sd * rng.standard_normal(np.shape(model))
        return np.clip(y, self.low if self.low is not None else -np.inf, self.high if self.high is not None else np.inf)


@lru_cache(maxsize=1)
def catalogue() -> dict[str, Any]:
    """The packaged ``measurement.yaml``."""
    return load_yaml(resources.files(__package__).joinpath("measurement.yaml").read_bytes(), field="measurement.yaml")


@lru_cache(maxsize=1)
def noises() -> dict[str, Noise]:
    """The reporting error of every diary field (``back_pain``, ``fatigue``, ``temperature``)."""
    spec = catalogue()
    out = {}
    for field, r in spec["ratings"].items():
        out[field] = Noise(field, r["observable"], float(r["sd"]["value"]), r["sd"]["unit"], float(r["scale"]),
                           0.0, float(r["low"]), float(r["high"]), tuple(r["sd"]["sources"]), r["sd"]["rationale"])
    t = spec["thermometer"]
    out["temperature"] = Noise("temperature", t["observable"], float(t["sd"]["value"]), t["sd"]["unit"], 1.0,
                               float(t["bias"]["value"]), None, None, tuple(t["sd"]["sources"]), t["sd"]["rationale"])
    return out


def onset_shifts() -> np.ndarray:
    """The grid of shifts (hours) of the person's day 1 against the model's onset, each equally likely."""
    s = catalogue()["onset"]["shift"]
    return np.arange(float(s["low"]), float(s["high"]) + 1e-9, float(s["step"]))


def describe() -> dict[str, Any]:
    """The measurement model in words and numbers, with full references (for answers and provenance)."""
    refs = catalogue()["sources"]
    fields = {name: {"sd": n.sd, "unit": n.unit, "scale": n.scale, "bias": n.bias, "low": n.low, "high": n.high,
                     "rationale": n.rationale, "sources": [refs[k] for k in n.sources]} for name, n in noises().items()}
    s = catalogue()["onset"]["shift"]
    return {"fields": fields, "onset_shift_h": {"low": s["low"], "high": s["high"], "step": s["step"],
                                                "rationale": s["rationale"]}}
