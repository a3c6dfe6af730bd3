"""Bands: what the model predicts for one scenario, with its two uncertainties kept apart or combined.

Two uncertainties, two sources, and never a made-up spread:

``parameter``
    How sure the calibration is of the *typical* person's parameters: the free parameters are drawn from the
    packaged posterior sample of the calibration (:func:`neuroimmune.model.fits.load_posterior`, written by
    ``neuroimmune calibrate``). Every member is the scenario's own person. Without a packaged posterior this band
    is refused (:class:`NoPosteriorError`), never replaced by a guess.
``people``
    "People like me": how people of the scenario's sex, age and weight differ from one another. Each member is the
    scenario's person with the parameters that differ between people drawn from the cohort's calibrated
    between-person variability (:meth:`neuroimmune.cohort.variability.Variability.default`: log-normal
    multipliers with median 1 around the fitted values, coefficients of variation fitted to the 20 individual
    volunteers of Windoloski 2024).
``both``
    Both at once: each member draws a typical person from the posterior, then a person-to-person multiplier on top.
    For a parameter that is in both, the member's value is ``posterior draw x multiplier`` (then clipped to the
    parameter's bounds, as the cohort clips); a parameter only in the posterior takes its draw, one only in the
    variability takes ``fitted value x multiplier``. The coefficients of variation are those fitted at the
    point estimate; the posterior spread of the typical person and the spread between people are different
    quantities (one shrinks with more data, the other does not), so combining them does not count either twice.

How the members run: every member goes through the cohort's generated kernel
(:func:`neuroimmune.cohort.simulate_members`, the cohort with each member's parameter values given), so the three
bands share one compiled kernel per scenario shape and switching between them costs no compilation. The values are
drawn here, in one place (:func:`member_values`): the posterior rows with
:meth:`~neuroimmune.model.fits.Posterior.sample`, the multipliers with
:meth:`~neuroimmune.cohort.variability.Variability.sample`, the very streams a cohort of the same seed draws, so
the ``people`` band is exactly the quantiles of ``simulate_cohort(scenario, n, seed=seed)``'s trajectories.

Bands are quantiles over members at each output time (:data:`QUANTILES` by default): the 5-95 % band holds 90 of
100 members at each time. A quantile curve is not the course of any one member; a day's highest value of a member
(the diary check) is taken over members' own courses (:func:`member_trajectories`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from .. import __version__
from ..cohort import Execution, Keep, Variability, simulate_members
from ..engine.simulate import observable_attrs
from ..errors import InputError, UnknownNameError
from ..model import assembly
from ..model.fits import Posterior, load_posterior, posterior_path, read_parameter_file
from ..model.mechanisms import pain
from ..model.parameters import default_parameters
from ..scenarios import Scenario

#: The uncertainties a band can show.
UNCERTAINTIES = ("parameter", "people", "both")
#: Quantiles of a band by default.
QUANTILES = (0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95)
#: Members of a band by default: the 5 % and 95 % quantiles of 256 members are within about 1.4 percentage points
#: of their level (binomial standard error), and 256 members of a 24 h scenario take tens of milliseconds.
MEMBERS = 256
#: Fewest and most members of one band.
MIN_MEMBERS, MAX_MEMBERS = 2, 100_000
#: The calibration problem whose posterior the parameter band draws from.
PROBLEM = "endotoxemia"
#: What each band is called for people.
LABELS = {"parameter": "parameter uncertainty", "people": "people like me", "both": "both"}


class NoPosteriorError(InputError):
    """A band that needs the calibration's posterior sample was asked for, and none is packaged."""


def meaning(uncertainty: str, members: int, low: float = 0.05, high: float = 0.95) -> str:
    """One sentence that says what the band of ``uncertainty`` between quantiles ``low`` and ``high`` means."""
    check_uncertainty(uncertainty)
    if high <= low:
        return (f"{LABELS[uncertainty].capitalize()}: the {100 * low:g}th percentile at each time over {members} "
                "simulated members.")
    share = f"{100 * (high - low):.0f} in 100"
    span = f"{100 * low:g}th to {100 * high:g}th percentile over {members}"
    return {
        "parameter": f"Parameter uncertainty: {share} courses of a typical person like this one lie inside the "
                     f"band ({span} draws of the calibrated parameters from their posterior sample); it narrows "
                     "as more data constrain the model.",
        "people": f"People like me: {share} people of this sex, age and weight lie inside the band ({span} "
                  "simulated people who differ as volunteers given the same challenge differ).",
        "both": f"Both: {share} people like this one lie inside the band, counting how unsure the calibration is "
                f"and how people differ ({span} simulated people).",
    }[uncertainty]


def check_uncertainty(uncertainty: object) -> str:
    """``uncertainty`` if it is one of :data:`UNCERTAINTIES`; else an error naming the field, rule and value."""
    if not isinstance(uncertainty, str) or uncertainty not in UNCERTAINTIES:
        raise InputError([("uncertainty", f"must be one of {', '.join(UNCERTAINTIES)}", uncertainty)])
    return uncertainty


def packaged_posterior() -> Posterior | None:
    """The packaged posterior sample of the calibration (:data:`PROBLEM`), or None if none is packaged (read once
    per file version: the explorer asks on every change)."""
    path = posterior_path(PROBLEM)
    try:
        stamp = path.stat().st_mtime_ns
    except FileNotFoundError:
        return None
    return _read_posterior(str(path), stamp)


@lru_cache(maxsize=2)
def _read_posterior(path: str, stamp: int) -> Posterior | None:
    return load_posterior(PROBLEM, Path(path))


def available() -> tuple[str, ...]:
    """The uncertainties this installation can show: ``people`` always; ``parameter`` and ``both`` with a
    packaged posterior."""
    return UNCERTAINTIES if packaged_posterior() is not None else ("people",)


def _posterior(uncertainty: str, posterior: Posterior | None) -> Posterior | None:
    if uncertainty == "people":
        return None
    post = posterior if posterior is not None else packaged_posterior()
    if post is None:
        raise NoPosteriorError([("uncertainty", f"{uncertainty!r} needs the posterior sample of the calibration "
                                 f"({posterior_path(PROBLEM).name} in neuroimmune/model/fitted), and this "
                                 "installation has none; the 'people' band needs none", uncertainty)])
    return post


def _check_members(members: object) -> int:
    if isinstance(members, bool) or not isinstance(members, int | np.integer) \
            or not MIN_MEMBERS <= members <= MAX_MEMBERS:
        raise InputError([("members", f"must be a whole number from {MIN_MEMBERS} to {MAX_MEMBERS:,}", members)])
    return int(members)


def _check_seed(seed: object) -> int:
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise InputError([("seed", "must be a non-negative whole number", seed)])
    return int(seed)


def _check_quantiles(quantiles: Sequence[float]) -> tuple[float, ...]:
    try:
        qs = tuple(float(q) for q in quantiles)
    except (TypeError, ValueError):
        raise InputError([("quantiles", "must be numbers between 0 and 1", quantiles)]) from None
    if not qs or not all(0.0 <= q <= 1.0 for q in qs) or len(set(qs)) != len(qs):
        raise InputError([("quantiles", "must be distinct numbers between 0 and 1", quantiles)])
    return tuple(sorted(qs))


def member_values(scenario: Scenario, uncertainty: str, members: int, seed: int = 0, *,
                  parameters: dict[str, float] | None = None, variability: Variability | None = None,
                  posterior: Posterior | None = None) -> tuple[tuple[str, ...], np.ndarray]:
    """The parameter values of every member of a band: ``(names, values)``, values ``members x len(names)``.

    ``names`` is the same for every ``uncertainty`` (the posterior's names, or the free parameters without one,
    and the variability's), so the three bands run on one kernel. ``parameters`` are overrides: a name given
    there is held at its value in the posterior draws, and is the base that between-person multipliers act on
    (as :func:`neuroimmune.simulate_cohort` applies overrides before variability). See the module docstring.
    """
    check_uncertainty(uncertainty)
    given = variability if variability is not None else Variability.default()
    # the cohort draws the multipliers in name order (its run spec is sorted JSON); drawing in that order gives the
    # very members a cohort of the same seed has
    var = Variability(dict(sorted(given.parameters.items())), given.host)
    post = _posterior(uncertainty, posterior)
    records = default_parameters()
    base = records.values()
    for name, value in (parameters or {}).items():
        if name not in base:
            raise UnknownNameError("parameters", name, sorted(base))
        base[name] = float(value)
    # the names drawn are the same for every band (a packaged posterior's, else the free parameters), so that
    # switching bands reuses the compiled kernel
    shape = post or posterior or packaged_posterior()
    drawn = shape.names if shape is not None else tuple(p.name for p in records.free())
    for name in drawn:
        if name not in base:
            raise UnknownNameError("posterior", name, sorted(base))
    names = tuple(dict.fromkeys((*drawn, *var.parameters)))
    values = np.tile([base[k] for k in names], (members, 1))
    if post is not None:
        rows = post.sample(members, seed)
        for j, name in enumerate(names):
            if name in post.names and name not in (parameters or {}):
                values[:, j] = [row[name] for row in rows]
    if uncertainty in ("people", "both") and var.parameters:
        centre = {k: values[:, names.index(k)] for k in var.parameters}
        _, multiplied = var.sample(seed, 0, members, scenario.host, centre)
        for name, column in multiplied.items():
            values[:, names.index(name)] = column
    return names, values


def member_trajectories(scenario: Scenario | dict[str, Any] | None = None, *, uncertainty: str = "people",
                        members: int = MEMBERS, seed: int | None = None,
                        parameters: dict[str, float] | str | Path | None = None,
                        variability: Variability | dict[str, Any] | str | None = None,
                        posterior: Posterior | None = None, observables: Sequence[str] | None = None,
                        ) -> xr.Dataset:
    """The courses of every member of a band: observables over ``member`` (and ``region``) and ``time``, with
    each member's ``param_<name>`` and ``status``; members that failed (status not 0) are dropped and counted in
    ``attrs["members_failed"]``. Arguments as :func:`predict`."""
    sc = Scenario.coerce(scenario)
    check_uncertainty(uncertainty)
    if isinstance(parameters, str | Path):
        parameters = read_parameter_file(parameters)
    n = _check_members(members)
    seed = _check_seed(seed if seed is not None else sc.seed if sc.seed is not None else 0)
    wanted = _check_observables(observables)
    var = Variability.coerce(variability)
    names, values = member_values(sc, uncertainty, n, seed, parameters=parameters, variability=var,
                                  posterior=posterior)
    # "parameter": every member is the scenario's own person; otherwise the variability's hosts (by default the
    # scenario's person too). The values given replace every parameter the variability would sample.
    who = Variability(var.parameters, "scenario") if uncertainty == "parameter" else var
    ds = _run_members(sc, names, values, who, seed, parameters)
    ok = np.asarray(ds["status"].values) == 0
    if not ok.any():
        raise InputError([("scenario", "no member of the band could be simulated (every member failed)",
                           sc.name or "the scenario")])
    every = bool(ok.all())
    data: dict[str, xr.Variable] = {}
    for name in wanted:
        course = ds.variables[name]  # the variable itself: no DataArray built (this is the explorer's path)
        data[name] = xr.Variable(("member", *course.dims[1:]), course.values if every else course.values[ok],
                                 attrs=observable_attrs(sc, name))
    for j, name in enumerate(names):
        data[f"param_{name}"] = xr.Variable(("member",), values[:, j] if every else values[ok, j],
                                            attrs={"long_name": f"member's value of {name}"})
    coords: dict[str, Any] = {"member": np.flatnonzero(ok),
                              "time": ("time", ds.variables["time"].values,
                                       {"units": "h", "long_name": "time since the start of the scenario"})}
    if any("region" in v.dims for v in data.values()):
        coords["region"] = ("region", list(pain.REGIONS), {"long_name": "body region of the pressure pain threshold"})
    return xr.Dataset(data, coords=coords, attrs=_provenance(sc, uncertainty, n, seed, var, posterior,
                                                             int((~ok).sum()), parameters))


def _run_members(scenario: Scenario, names: tuple[str, ...], values: np.ndarray, variability: Variability,
                 seed: int, parameters: dict[str, float] | None) -> xr.Dataset:
    """Every member through the cohort's kernel with its given parameter values, keeping every course."""
    n = len(values)
    return simulate_members(scenario, names, values, variability=variability, seed=seed, parameters=parameters,
                            keep=Keep(trajectories=n), execution=Execution(chunk_size=n))


def _check_observables(observables: Sequence[str] | None) -> tuple[str, ...]:
    if observables is None:
        return assembly.OBSERVABLE_NAMES
    if isinstance(observables, str) or not observables:
        raise InputError([("observables", "must be a list of at least one observable name", observables)])
    for name in observables:
        if name not in assembly.OBSERVABLE_NAMES:
            raise UnknownNameError("observables", name, assembly.OBSERVABLE_NAMES)
    return tuple(observables)


def _provenance(sc: Scenario, uncertainty: str, members: int, seed: int, var: Variability,
                posterior: Posterior | None, failed: int, parameters: dict[str, float] | None) -> dict[str, Any]:
    attrs: dict[str, Any] = {
        "title": f"neuroimmune bands ({LABELS[uncertainty]}): {sc.name or 'unnamed scenario'}",
        "source": f"neuroimmune {__version__}",
        "scenario": json.dumps(sc.to_dict()),
        "uncertainty": uncertainty,
        "members": members,
        "members_failed": failed,
        "seed": seed,
        "engine": "cohort kernel (neuroimmune.cohort.simulate_members)",
    }
    if uncertainty != "parameter":
        attrs["variability"] = json.dumps(var.to_dict())
    if uncertainty != "people":
        post = posterior if posterior is not None else packaged_posterior()
        assert post is not None  # member_values refused the band otherwise
        attrs["posterior"] = str(post.path)
        attrs["posterior_provenance"] = json.dumps(post.provenance, default=str)
    if parameters:
        attrs["parameters"] = json.dumps({k: float(v) for k, v in parameters.items()})
    return attrs


def predict(scenario: Scenario | dict[str, Any] | None = None, *, uncertainty: str = "people",
            quantiles: Sequence[float] = QUANTILES, members: int = MEMBERS, seed: int | None = None,
            parameters: dict[str, float] | str | Path | None = None,
            variability: Variability | dict[str, Any] | str | None = None, posterior: Posterior | None = None,
            observables: Sequence[str] | None = None) -> xr.Dataset:
    """Bands for one scenario: :func:`neuroimmune.simulate`'s observables with a ``quantile`` dimension.

    Parameters
    ----------
    scenario
        As :func:`neuroimmune.simulate` takes it (None: the packaged default).
    uncertainty
        ``"parameter"`` (the calibration's posterior: how sure the model is of the typical person), ``"people"``
        (people like me: the calibrated between-person variability around the fit) or ``"both"``; see
        :mod:`neuroimmune.analysis.uncertainty`. ``"parameter"`` and ``"both"`` need a posterior sample
        (``posterior``, or the packaged one) and raise :class:`NoPosteriorError` without one.
    quantiles
        Levels in [0, 1] (default :data:`QUANTILES`).
    members
        Members simulated (:data:`MIN_MEMBERS` to :data:`MAX_MEMBERS`; default :data:`MEMBERS`).
    seed
        Seed of the draws: the same seed gives the same members, hence the same bands (None: the scenario's
        ``seed``, else 0).
    parameters
        Overrides of the calibrated values, as a mapping or the path of a fitted-parameter file (as
        :func:`neuroimmune.simulate` takes them): held fixed in posterior draws, the centre of the between-person
        multipliers.
    variability
        Who differs how (as :func:`neuroimmune.simulate_cohort` takes it; default the calibrated variability,
        every member the scenario's person).
    posterior
        A :class:`~neuroimmune.model.fits.Posterior` to draw from instead of the packaged one.
    observables
        Names to keep (default: every observable).

    Returns
    -------
    xarray.Dataset
        Each observable over ``quantile`` and ``time`` (``ppt_change`` also over ``region``), with units and long
        names as :func:`neuroimmune.simulate`; attributes ``uncertainty``, ``band`` (what the band means, one
        sentence), ``members``, ``members_failed``, ``seed``, ``scenario`` and, where used, ``variability`` and
        ``posterior`` with its provenance.
    """
    qs = _check_quantiles(quantiles)
    traj = member_trajectories(scenario, uncertainty=uncertainty, members=members, seed=seed,
                               parameters=parameters, variability=variability, posterior=posterior,
                               observables=observables)
    names = [str(k) for k in traj.data_vars if not str(k).startswith("param_")]
    flat = np.concatenate([traj[k].values.reshape(traj.sizes["member"], -1) for k in names], axis=1)
    bands = quantiles_over_members(flat, qs)
    data, at = {}, 0
    for k in names:
        var = traj[k]
        size = int(np.prod(var.shape[1:]))
        data[k] = xr.Variable(("quantile", *var.dims[1:]), bands[:, at:at + size].reshape(len(qs), *var.shape[1:]),
                              attrs=var.attrs)
        at += size
    coords: dict[str, Any] = {"quantile": ("quantile", list(qs), {"long_name": "quantile over members"})}
    coords.update({k: traj.coords[k] for k in ("time", "region") if k in traj.coords})
    out = xr.Dataset(data, coords=coords, attrs=traj.attrs)
    n_ok = traj.sizes["member"]
    out.attrs["band"] = meaning(uncertainty, n_ok, qs[0], qs[-1])
    out.attrs["quantiles"] = list(qs)
    return out


def quantiles_over_members(values: np.ndarray, qs: Sequence[float]) -> np.ndarray:
    """Quantiles ``qs`` over the first axis of ``values``, by linear interpolation between order statistics
    (numpy's default method, Hyndman and Fan's definition 7). Hand written because one sort of every column
    serves all quantiles: about ten times faster than :func:`numpy.quantile`, which selects once per quantile,
    on the band of a 24 h scenario (tests compare the two)."""
    ordered = np.sort(values, axis=0)
    h = (len(ordered) - 1) * np.asarray(qs, dtype=float)
    lo = np.floor(h).astype(int)
    hi = np.minimum(lo + 1, len(ordered) - 1)
    w = (h - lo).reshape(-1, *([1] * (values.ndim - 1)))
    return ordered[lo] * (1.0 - w) + ordered[hi] * w


def coverage(members: int = 2000, seed: int = 0, variability: Variability | dict[str, Any] | str | None = None,
             low: float = 0.05, high: float = 0.95, uncertainty: str = "people", measured: bool = True) -> Any:
    """How many of the 20 individual volunteers' measurements (Windoloski 2024, 2 ng/kg bolus:
    :mod:`neuroimmune.studies.windoloski2024_individuals`) lie inside the band (default: people like me) between
    quantiles ``low`` and ``high`` of the study's scenario. ``measured``: the band of what the volunteers' assay
    reads (each member's course read as measured, ``study.as_measured``: its rise above rest on a resting
    reading drawn from the volunteers' pre-challenge values), else of the plasma concentration itself (as
    :func:`predict` gives it). Returns a ``pandas.DataFrame``, one row per point: ``observable``,
    ``role`` (``fitted``: TNF, IL-6 and IL-10, the targets of the variability's fit; ``held out``: IL-8),
    ``subject``, ``time`` (h), ``value``, the band's ``low`` and ``high`` at that time, and ``inside``,
    ``below``, ``above``. ``benchmarks/bands_coverage.py`` prints it."""
    import pandas as pd

    from ..studies import windoloski2024_individuals as study

    qs = _check_quantiles((low, high))
    roles = {**dict.fromkeys(study.FITTED, "fitted"), **dict.fromkeys(study.HELD_OUT, "held out")}
    tags = {**study.FITTED, **study.HELD_OUT}
    traj = member_trajectories(study.bolus_scenario(), uncertainty=uncertainty, members=members, seed=seed,
                               variability=variability, observables=list(tags))
    rows = []
    for name, tag in tags.items():
        times, values = study.individuals(tag)
        courses = traj[name].sel(time=times, method="nearest").values  # the sampling times are on the output grid
        if measured:
            courses = study.as_measured(tag, courses, seed)
        edges = quantiles_over_members(courses, qs)
        for subject, series in enumerate(values, start=1):
            for k, (t, v) in enumerate(zip(times, series, strict=True)):
                lo, hi = float(edges[0, k]), float(edges[1, k])
                rows.append({"observable": name, "role": roles[name], "subject": subject, "time": float(t),
                             "value": float(v), "low": lo, "high": hi, "inside": lo <= v <= hi, "below": v < lo,
                             "above": v > hi})
    return pd.DataFrame(rows)
