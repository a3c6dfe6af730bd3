"""Who the members of a virtual cohort are: inter-individual parameter variability and host distributions.

Both are data (``variability.yaml`` beside this module, with sources); the coefficients of variation marked
``fitted`` come from ``fitted/individual_variability.yaml``, written by
:func:`neuroimmune.calibration.variability.fit_individual_variability`.

Sampling is keyed by member, not by chunk: members are drawn in blocks of :data:`BLOCK` from random streams
seeded with ``(seed, block)`` for the hosts and ``(seed, block, 0, crc32(name))`` for each variable parameter, so
a member's host and parameters are the same whatever the chunking, engine or scheduler, and adding a variable
parameter leaves the others' draws as they were.
"""

from __future__ import annotations

import dataclasses
import zlib
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
from scipy.special import ndtr, ndtri

from ..errors import NeuroimmuneError, UnknownNameError
from ..io.safe_yaml import load_yaml
from ..model.parameters import default_parameters

#: Members per sampling block (the unit of the random streams).
BLOCK = 1024


@lru_cache(maxsize=1)
def catalogue() -> dict[str, Any]:
    """The packaged ``variability.yaml`` with the fitted coefficients of variation applied."""
    root = resources.files(__package__)
    spec = load_yaml(root.joinpath("variability.yaml").read_bytes(), field="variability.yaml")
    fitted = root.joinpath("fitted/individual_variability.yaml")
    if fitted.is_file():
        fit = load_yaml(fitted.read_bytes(), field=fitted.name)
        for name, cv in fit["cv"].items():
            spec["parameters"][name]["cv"] = float(cv)
            spec["parameters"][name]["fitted_from"] = "fitted/individual_variability.yaml"
    return spec


@dataclasses.dataclass(frozen=True)
class HostDistribution:
    """Sex, age and weight of the members; ``name == "scenario"`` keeps the scenario's host for everyone."""

    name: str
    female_fraction: float = 0.0
    age: tuple[float, float] = (25.0, 25.0)
    weight: dict[str, tuple[float, float]] = dataclasses.field(default_factory=dict)  # sex -> (mean, sd)
    weight_bounds: tuple[float, float] = (30.0, 250.0)

    @classmethod
    def named(cls, name: str) -> HostDistribution:
        hosts = catalogue()["hosts"]
        if name not in hosts:
            raise UnknownNameError("variability.host", name, list(hosts))
        h = hosts[name]
        if name == "scenario":
            return cls(name)
        w = h["weight"]
        return cls(name, float(h["female_fraction"]["value"]), (float(h["age"]["low"]), float(h["age"]["high"])),
                   {s: (float(w[s]["mean"]), float(w[s]["sd"])) for s in ("male", "female")},
                   (float(w["low"]), float(w["high"])))

    def sample(self, u: np.ndarray, scenario_host: Any) -> dict[str, np.ndarray]:
        """Hosts from uniforms ``u`` (shape n x 3): ``female`` (bool), ``age`` (years), ``weight`` (kg)."""
        n = len(u)
        if self.name == "scenario":
            return {"female": np.full(n, scenario_host.sex == "female"), "age": np.full(n, float(scenario_host.age)),
                    "weight": np.full(n, float(scenario_host.weight))}
        female = u[:, 0] < self.female_fraction
        age = self.age[0] + (self.age[1] - self.age[0]) * u[:, 1]
        mean = np.where(female, self.weight["female"][0], self.weight["male"][0])
        sd = np.where(female, self.weight["female"][1], self.weight["male"][1])
        lo, hi = ndtr((self.weight_bounds[0] - mean) / sd), ndtr((self.weight_bounds[1] - mean) / sd)
        weight = mean + sd * ndtri(lo + (hi - lo) * u[:, 2])
        return {"female": female, "age": age, "weight": weight}


@dataclasses.dataclass(frozen=True)
class Variability:
    """Log-normal multipliers (median 1) with coefficient of variation ``parameters[name]``, and a host
    distribution by name (``scenario``, ``volunteers``, ``adults``; see ``variability.yaml``)."""

    parameters: dict[str, float]
    host: str = "scenario"

    def __post_init__(self) -> None:
        known = default_parameters()
        for name, cv in self.parameters.items():
            if name not in known:
                raise UnknownNameError("variability.parameters", name, sorted(known))
            if not (isinstance(cv, int | float) and 0.0 <= cv <= 5.0):
                raise NeuroimmuneError(f"variability.parameters.{name}: the coefficient of variation must be a "
                                       f"number in [0, 5] (got {cv!r})")
        HostDistribution.named(self.host)

    @classmethod
    def default(cls) -> Variability:
        """The calibrated parameter variability, every member the scenario's host."""
        return cls({k: float(v["cv"]) for k, v in catalogue()["parameters"].items()}, "scenario")

    @classmethod
    def coerce(cls, value: Variability | dict[str, Any] | str | None) -> Variability:
        """From None (the default), a host name (default parameters, that host), a dict
        ``{"parameters": {name: cv}, "host": name}`` (either key optional) or a Variability."""
        if value is None:
            return cls.default()
        if isinstance(value, Variability):
            return value
        if isinstance(value, str):
            return cls(cls.default().parameters, value)
        if isinstance(value, dict):
            unknown = set(value) - {"parameters", "host"}
            if unknown:
                raise NeuroimmuneError(f"variability: keys must be parameters and/or host (got {sorted(unknown)})")
            params = value.get("parameters", cls.default().parameters)
            if not isinstance(params, dict):
                raise NeuroimmuneError(f"variability.parameters: must map parameter names to CVs (got {params!r})")
            return cls({k: float(v) for k, v in params.items()}, value.get("host", "scenario"))
        raise NeuroimmuneError(f"variability: must be None, a host name, a dict or a Variability (got {value!r})")

    def to_dict(self) -> dict[str, Any]:
        return {"parameters": dict(self.parameters), "host": self.host}

    def sample(self, seed: int, start: int, stop: int, scenario_host: Any,
               base: dict[str, float] | dict[str, np.ndarray]) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
        """Hosts and parameter values of members ``start <= i < stop``.

        Parameter values are ``base * exp(sigma z)`` with ``sigma = sqrt(log(1 + cv^2))``, clipped to the
        parameter's bounds. ``base`` holds one value per parameter, or one per member (the bands of
        :mod:`neuroimmune.analysis.uncertainty` multiply posterior draws).
        """
        blocks = range(start // BLOCK, (stop - 1) // BLOCK + 1)
        lo = start - (start // BLOCK) * BLOCK

        def draws(key: tuple[int, ...], draw: Any) -> np.ndarray:
            parts = [draw(np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(block, *key))))
                     for block in blocks]
            return np.concatenate(parts)[lo:lo + stop - start]

        u = draws((), lambda rng: rng.random((BLOCK, 3)))
        records = default_parameters()
        values = {}
        for name, cv in self.parameters.items():
            z = draws(_stream_key(name), lambda rng: rng.standard_normal(BLOCK))
            rec = records[name]
            values[name] = np.clip(base[name] * np.exp(np.sqrt(np.log1p(cv ** 2)) * z), rec.lower, rec.upper)
        return HostDistribution.named(self.host).sample(u, scenario_host), values


def _stream_key(name: str) -> tuple[int, int]:
    """The random stream of one parameter's multipliers: keyed by its name (CRC-32 of the UTF-8 bytes; the 0
    marks a parameter stream apart from the hosts' stream), so adding or removing a variable parameter leaves
    every other parameter's draws, and the hosts', as they were."""
    return 0, zlib.crc32(name.encode())


def sources() -> dict[str, str]:
    """Full references of the sources named in ``variability.yaml``."""
    return dict(catalogue()["sources"])
