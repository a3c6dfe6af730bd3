"""Trajectory libraries for the diary forecast: many simulated people with one illness, kept per illness and host
group in the cache folder (:func:`neuroimmune.io.cache_dir`), as Zarr, with a fingerprint of what made them.

A library holds, for every member of a virtual cohort (:mod:`neuroimmune.cohort`, the generated batched kernel) and
every shift of the person's day 1 against the model's onset (:func:`neuroimmune.forecast.measurement.onset_shifts`):

* the worst back ache, highest temperature and worst fatigue of each day of illness
  (:func:`neuroimmune.outcomes.worst_by_illness_day`);
* the day of illness on which the member recovered (:func:`neuroimmune.outcomes.recovery_illness_day`).

Who the members are. Between-person variability is the cohort's calibrated variability
(:meth:`neuroimmune.cohort.Variability.default`); the host group "adults" also samples sex, age and weight from the
adult population (``cohort/variability.yaml``), and a group given by a person's details is that person with the age
and weight rounded to a band. Parameter uncertainty comes from the packaged posterior sample of the calibration
(:func:`neuroimmune.model.fits.load_posterior`): each member takes one posterior draw, and parameters that also vary
between people take the draw times their person-to-person multiplier. Where no posterior is packaged, the library
says so in its provenance (``uncertainty``): its spread is between-person variability only, narrower than it would
be with parameter uncertainty; no spread is made up in its place.

Members who never fall ill (none of :data:`neuroimmune.outcomes.ILL_AT` reached) cannot have written a diary of the
illness, and members whose integration failed have no course: both are kept in the store but carry no weight
(``valid``).

The fingerprint covers the model's equations, the scenario's parameter values (with the fit), the fit and posterior
files, the variability, the scenario and the onset grid; not the number of members or the seed, which only say how
large a sample of the same population the library is. A library whose fingerprint differs from the one the
installed model gives is stale: :func:`load_library` rebuilds it (or, with ``build=False``, raises
:class:`StaleLibraryError`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from .. import __version__, outcomes
from ..cohort.run import Execution, Keep, simulate_cohort, simulate_members
from ..cohort.variability import Variability
from ..errors import NeuroimmuneError
from ..io.atomic import atomic_folder
from ..io.cache import cache_dir
from ..model import fits
from ..scenarios import CHALLENGES, Scenario
from ..scenarios.catalog import example_challenge
from ..scenarios.host import Host
from .measurement import onset_shifts

#: Members of a library built without a size given.
DEFAULT_MEMBERS = 5000
#: Output step of the library's runs, hours (the onset grid's step is a multiple of it).
OUTPUT_STEP_H = 1.0
#: Days simulated per illness (from infection or challenge); other kinds: :data:`DEFAULT_DAYS`.
DAYS: dict[str, int] = {"influenza": 21, "sars_cov_2": 28, "bacterial": 21, "vaccine": 10, "endotoxin": 4}
DEFAULT_DAYS = 21
#: The diary fields a library holds, by the observable each reads.
FIELDS: dict[str, str] = {"back_pain": "back_pain", "temperature": "temperature", "fatigue": "fatigue"}
#: Age bands of the host groups (low, high, the age simulated), years; weight is rounded to :data:`WEIGHT_STEP` kg.
AGE_BANDS: tuple[tuple[float, float, float], ...] = ((18.0, 40.0, 30.0), (40.0, 60.0, 50.0), (60.0, 80.0, 70.0),
                                                     (80.0, 101.0, 85.0))
WEIGHT_STEP = 10.0
#: The calibration problem whose posterior gives the parameter uncertainty.
POSTERIOR_PROBLEM = "endotoxemia"
#: Points of trajectory (members x output times) simulated at once: bounds the memory of a build.
CHUNK_POINTS = 250_000
#: Version of the store's layout (part of the fingerprint).
FORMAT = 1


class LibraryError(NeuroimmuneError):
    """A library that cannot be used: missing, stale or unreadable."""


class StaleLibraryError(LibraryError):
    """A library built from a model, fit, posterior, variability or scenario other than the installed ones."""


def illness_scenario_challenge(illness: str) -> dict[str, Any]:
    """The challenge of an illness as a person at home has it: the kind's example, in the community setting where
    the kind has one (``influenza``, ``sars_cov_2``)."""
    if illness not in CHALLENGES:
        raise NeuroimmuneError(f"illness: must be one of {', '.join(CHALLENGES)} (got {illness!r})")
    challenge = example_challenge(illness)
    if "setting" in CHALLENGES[illness].model_fields:
        challenge["setting"] = "community"
    return challenge


@dataclasses.dataclass(frozen=True)
class HostGroup:
    """Who the members are: ``host`` (a scenario's host, as a mapping) for every member, or None for the adult
    population (sex, age and weight sampled: the ``adults`` host distribution)."""

    id: str
    label: str
    host: dict[str, Any] | None

    @property
    def distribution(self) -> str:
        return "adults" if self.host is None else "scenario"


ADULTS = HostGroup("adults", "adults of any sex, age and weight", None)


def host_group(host: dict[str, Any] | Host | None) -> HostGroup:
    """The host group of a person: their sex, their age band (:data:`AGE_BANDS`) and weight rounded to
    :data:`WEIGHT_STEP` kg, and any other detail (sleep, fitness, chronic pain, immune history) as given; None gives
    :data:`ADULTS`. Raises the scenario's error (naming ``host.<field>``) for an invalid host."""
    if host is None:
        return ADULTS
    if not isinstance(host, Host):
        host = Scenario.coerce({"host": host}).host
    band = next(b for b in AGE_BANDS if b[0] <= host.age < b[1])
    weight = max(WEIGHT_STEP * round(host.weight / WEIGHT_STEP), 40.0)
    grouped = host.model_copy(update={"age": band[2], "weight": weight})
    data = grouped.model_dump(mode="json", exclude_none=True)
    other = {k: v for k, v in data.items() if k not in ("sex", "age", "weight") and v != Host().model_dump(
        mode="json", exclude_none=True)[k]}
    gid = f"{host.sex}-{band[0]:.0f}-{band[1]:.0f}-{weight:.0f}kg"
    label = f"{'women' if host.sex == 'female' else 'men'} aged {band[0]:.0f}-{band[1] - 1:.0f}, about {weight:.0f} kg"
    if other:
        gid += "-" + hashlib.sha256(json.dumps(other, sort_keys=True).encode()).hexdigest()[:8]
        label += " (" + ", ".join(sorted(other)) + " as given)"
    return HostGroup(gid, label, data)


@dataclasses.dataclass(frozen=True)
class LibrarySpec:
    """What a library is: the illness, the host group, and the size and seed of the sample."""

    illness: str
    group: HostGroup
    members: int = DEFAULT_MEMBERS
    seed: int = 0

    def scenario(self) -> Scenario:
        days = DAYS.get(self.illness, DEFAULT_DAYS)
        data: dict[str, Any] = {"name": f"forecast library: {self.illness}, {self.group.label}",
                                "challenge": illness_scenario_challenge(self.illness),
                                "duration": 24.0 * days, "output_step": OUTPUT_STEP_H}
        if self.group.host is not None:
            data["host"] = self.group.host
        return Scenario.coerce(data)

    def variability(self) -> Variability:
        return Variability(Variability.default().parameters, self.group.distribution)


def _file_hash(path: Path | None) -> str | None:
    if path is None or not path.exists():
        return None
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _equations() -> str:
    # the hash of the code that defines the equations, as the compiled right-hand side names its cache file
    from ..engine.compiled import _fingerprint

    return _fingerprint()


def fingerprint(spec: LibrarySpec) -> str:
    """The hash of everything that decides what a library's members are (see the module docstring)."""
    from ..engine.simulate import resolve_parameters

    sc = spec.scenario()
    params = vars(resolve_parameters(sc, None))
    tree = {
        "format": FORMAT, "version": __version__, "equations": _equations(),
        "parameters": sorted((k, float(v)) for k, v in params.items() if isinstance(v, int | float)),
        "fit": _file_hash(fits.fit_path(POSTERIOR_PROBLEM)),
        "posterior": _file_hash(fits.posterior_path(POSTERIOR_PROBLEM)),
        "posterior_loaded": _posterior_summary(fits.load_posterior(POSTERIOR_PROBLEM)),
        "variability": spec.variability().to_dict(), "scenario": sc.to_dict(),
        "shifts": onset_shifts().tolist(), "fields": FIELDS,
    }
    return hashlib.sha256(json.dumps(tree, sort_keys=True, default=str).encode()).hexdigest()


def _posterior_summary(posterior: fits.Posterior | None) -> str | None:
    if posterior is None:
        return None
    return hashlib.sha256(np.ascontiguousarray(posterior.draws, dtype=float).tobytes()
                          + json.dumps(list(posterior.names)).encode()).hexdigest()


@dataclasses.dataclass(frozen=True)
class Library:
    """A loaded library: per member (``n``) and onset shift (``S``), the worst value of each day of illness
    (``worst[field]``: n x S x D) and the recovery day of illness (``recovery``: n x S, NaN if not recovered by the
    end); ``valid`` marks the members who fell ill and whose run succeeded."""

    spec: LibrarySpec
    fingerprint: str
    provenance: dict[str, Any]
    shifts: np.ndarray
    days: np.ndarray
    worst: dict[str, np.ndarray]
    recovery: np.ndarray
    onset_h: np.ndarray
    valid: np.ndarray
    path: Path | None = None

    @property
    def members(self) -> int:
        return int(self.valid.size)


def library_path(illness: str, group: HostGroup) -> Path:
    """Where the library of ``illness`` and ``group`` lives in the cache folder."""
    return cache_dir() / "forecast" / f"{illness}-{group.id}.zarr"


def _simulate(sc: Scenario, n: int, seed: int, variability: Variability, names: tuple[str, ...],
              values: np.ndarray | None) -> xr.Dataset:
    """Members with their time courses (every output step) from the cohort engine."""
    keep, execution = Keep(trajectories=n), Execution(chunk_size=n)
    if values is None:
        return simulate_cohort(sc, n, variability=variability, seed=seed, keep=keep, execution=execution)
    return simulate_members(sc, names, values, variability=variability, seed=seed, keep=keep, execution=execution)


def _members(spec: LibrarySpec, variability: Variability, posterior: fits.Posterior | None, start: int, stop: int,
             host: Any) -> tuple[tuple[str, ...], np.ndarray | None, Variability]:
    """Parameter values given per member (posterior draws, times the person-to-person multiplier where a parameter
    also varies between people) and the variability left for the cohort to sample."""
    if posterior is None:
        return (), None, variability
    draws = np.asarray(posterior.draws, dtype=float)
    rng = np.random.default_rng(np.random.SeedSequence(spec.seed, spawn_key=(start,)))
    rows = draws[rng.integers(0, len(draws), size=stop - start)]
    names = tuple(posterior.names)
    both = {k: cv for k, cv in variability.parameters.items() if k in names}
    if both:
        # Variability.sample multiplies its base values, here each member's draw (an array), by the person's factor
        draws_of: dict[str, Any] = {k: rows[:, names.index(k)] for k in both}
        _, varied = Variability(both, "scenario").sample(spec.seed, start, stop, host, draws_of)
        for k, v in varied.items():
            rows[:, names.index(k)] = v
    rest = Variability({k: cv for k, cv in variability.parameters.items() if k not in names}, variability.host)
    return names, rows, rest


def build_library(spec: LibrarySpec, path: Path | None = None,
                  progress: Callable[[int, int], None] | None = None) -> Library:
    """Simulate the library's members and write it to ``path`` (default :func:`library_path`), replacing what
    was there only once every member is done."""
    if isinstance(spec.members, bool) or not isinstance(spec.members, int) or not 1 <= spec.members <= 1_000_000:
        raise NeuroimmuneError(f"members: must be a whole number from 1 to 1,000,000 (got {spec.members!r})")
    path = path or library_path(spec.illness, spec.group)
    sc = spec.scenario()
    variability = spec.variability()
    posterior = fits.load_posterior(POSTERIOR_PROBLEM)
    shifts = onset_shifts()
    n_days = int(round(sc.duration / 24.0))
    n_time = int(math.floor(sc.duration / sc.output_step)) + 1
    chunk = max(32, CHUNK_POINTS // n_time)
    n = spec.members
    worst = {f: np.full((n, len(shifts), n_days), np.nan, dtype=np.float32) for f in FIELDS}
    recovery = np.full((n, len(shifts)), np.nan, dtype=np.float32)
    onset = np.full(n, np.nan)
    recovery_day = np.full(n, np.nan)
    status = np.zeros(n, dtype=np.int8)
    if progress:
        progress(0, n)
    for k, start in enumerate(range(0, n, chunk)):
        stop = min(n, start + chunk)
        names, values, rest = _members(spec, variability, posterior, start, stop, sc.host)
        ds = _simulate(sc, stop - start, spec.seed * 100_000 + k, rest, names, values)
        t = ds["time"].to_numpy()
        series = {name: ds[name].to_numpy() for name in outcomes.ILL_AT}
        flag = outcomes.ill(series)
        first = np.where(flag.any(axis=-1), t[np.argmax(flag, axis=-1)], np.nan)
        day_one = first[:, None] + shifts[None, :]
        for field, obs in FIELDS.items():
            v = ds[obs].to_numpy()
            worst[field][start:stop] = outcomes.worst_by_illness_day(
                t, np.broadcast_to(v[:, None, :], (len(v), len(shifts), len(t))), day_one, n_days)
        rec = ds["recovery_day"].to_numpy()
        recovery[start:stop] = outcomes.recovery_illness_day(rec[:, None], day_one)
        onset[start:stop], recovery_day[start:stop] = first, rec
        status[start:stop] = ds["status"].to_numpy()
        if progress:
            progress(stop, n)
    valid = (status == 0) & ~np.isnan(onset)
    fp = fingerprint(spec)
    provenance = {
        "built_by": f"neuroimmune {__version__}", "command": "neuroimmune forecast --build-library "
        f"--illness {spec.illness} --members {n}", "engine": "cohort (compiled batch kernel)",
        "scenario": sc.to_dict(), "host_group": {"id": spec.group.id, "label": spec.group.label},
        "members": n, "seed": spec.seed, "ill_members": int(valid.sum()),
        "failed_members": int((status != 0).sum()), "variability": variability.to_dict(),
        "uncertainty": _uncertainty(posterior),
    }
    ds = xr.Dataset(
        {**{f: (("member", "shift", "day"), a, {"long_name": f"worst {f} of each day of illness"})
            for f, a in worst.items()},
         "recovery": (("member", "shift"), recovery, {"units": "day of illness",
                                                      "long_name": "day of illness holding the recovery time"}),
         "onset_h": ("member", onset, {"units": "h", "long_name": "onset (first ill output)"}),
         "recovery_day": ("member", recovery_day, {"units": "day", "long_name": "recovery day (outcomes)"}),
         "status": ("member", status), "valid": ("member", valid)},
        coords={"shift": ("shift", shifts, {"units": "h"}), "day": np.arange(1, n_days + 1)},
        attrs={"title": "neuroimmune forecast library", "fingerprint": fp, "spec": json.dumps(_spec_json(spec)),
               "provenance": json.dumps(provenance)})
    with atomic_folder(path) as tmp:
        ds.to_zarr(str(tmp), mode="w", consolidated=False, zarr_format=3)
    lib = Library(spec, fp, provenance, shifts, np.arange(1, n_days + 1), worst, recovery, onset, valid, path)
    with _LOCK:
        _LOADED[path] = lib
    return lib


def _uncertainty(posterior: fits.Posterior | None) -> dict[str, Any]:
    if posterior is None:
        return {"parameter": False, "between_person": True,
                "words": "between-person variability only: no posterior sample of the calibration is packaged "
                         f"(model/fitted/{POSTERIOR_PROBLEM}_posterior.nc), so the uncertainty of the fitted "
                         "parameters is not in these members and the bands are narrower than they would be with it"}
    return {"parameter": True, "between_person": True, "posterior": str(posterior.path.name),
            "posterior_draws": int(len(posterior.draws)), "posterior_parameters": list(posterior.names),
            "posterior_provenance": posterior.provenance,
            "words": f"parameter uncertainty (one draw per member from the posterior sample of {len(posterior.draws)} "
                     "draws) and between-person variability"}


def _spec_json(spec: LibrarySpec) -> dict[str, Any]:
    return {"illness": spec.illness, "group": dataclasses.asdict(spec.group), "members": spec.members,
            "seed": spec.seed}


_LOADED: dict[Path, Library] = {}
_LOCK = threading.Lock()


def read_library(path: Path) -> Library:
    """A library from its store (no check of its fingerprint against the installed model)."""
    try:
        ds = xr.open_zarr(str(path), consolidated=False)
        d = json.loads(ds.attrs["spec"])
        spec = LibrarySpec(d["illness"], HostGroup(**d["group"]), int(d["members"]), int(d["seed"]))
        lib = Library(spec, str(ds.attrs["fingerprint"]), json.loads(ds.attrs["provenance"]),
                      ds["shift"].to_numpy(), ds["day"].to_numpy(),
                      {f: ds[f].to_numpy() for f in FIELDS}, ds["recovery"].to_numpy(), ds["onset_h"].to_numpy(),
                      ds["valid"].to_numpy().astype(bool), path)
    except (OSError, KeyError, ValueError, TypeError) as exc:
        raise LibraryError(f"{path}: not a readable forecast library ({exc}); rebuild it with neuroimmune forecast "
                           "--build-library") from None
    return lib


def stored_fingerprint(path: Path) -> str | None:
    """The fingerprint a library store was built with, or None if there is no readable store at ``path``."""
    try:
        return str(xr.open_zarr(str(path), consolidated=False).attrs["fingerprint"])
    except Exception:  # absent, partly removed or not a Zarr store: treated as no library
        return None


def load_library(illness: str, host: dict[str, Any] | Host | None = None, *, build: bool = True,
                 members: int | None = None, progress: Callable[[int, int], None] | None = None) -> Library:
    """The library of ``illness`` for the host group of ``host`` (:func:`host_group`), checked against the installed
    model by its fingerprint.

    A library that is missing or stale is built (``build=True``, the default; ``members`` sets its size, default
    the stored size or :data:`DEFAULT_MEMBERS`) or refused with :class:`LibraryError` /
    :class:`StaleLibraryError`. A library already loaded in this process is reused while its fingerprint holds.
    ``members`` given and different from the stored size also rebuilds it.
    """
    group = host_group(host)
    spec = LibrarySpec(illness, group, members or DEFAULT_MEMBERS)
    fp = fingerprint(spec)
    path = library_path(illness, group)
    with _LOCK:
        cached = _LOADED.get(path)
    if cached is not None and cached.fingerprint == fp and members in (None, cached.members) \
            and stored_fingerprint(path) == fp:
        return cached
    found = stored_fingerprint(path)
    if found == fp:
        lib = read_library(path)
        if members in (None, lib.members):
            with _LOCK:
                _LOADED[path] = lib
            return lib
        spec = dataclasses.replace(spec, members=members or lib.members)
    elif found is not None and members is None:
        spec = dataclasses.replace(spec, members=read_library(path).members)
    if not build:
        if found is None:
            raise LibraryError(f"illness {illness}, {group.label}: no forecast library at {path}; build it with "
                               f"neuroimmune forecast --build-library --illness {illness}")
        raise StaleLibraryError(f"illness {illness}, {group.label}: the library at {path} is stale (built from "
                                f"fingerprint {found[:12]}, the installed model gives {fp[:12]}: the model, fit, "
                                "posterior, variability or scenario changed); rebuild it with neuroimmune forecast "
                                f"--build-library --illness {illness}")
    return build_library(spec, path, progress)
