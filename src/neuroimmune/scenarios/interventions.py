"""Interventions: what a person does about being sick. Each kind is a pydantic model in :data:`INTERVENTIONS`
that turns itself into events (:mod:`neuroimmune.engine.schedule`): tablets become jumps into a gut compartment,
practices and treatments become inputs held while they last. What each acts on, how large the published effect
is and how sure the evidence is live in ``evidence.yaml`` (:func:`evidence`), printed by
``neuroimmune interventions``.

Times are hours from the scenario start; ``stop`` defaults to the end of the scenario unless the kind has a usual
course (an antiviral for 5 days, an antibiotic for 7).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..io.safe_yaml import load_yaml
from ..model.mechanisms.behaviour import HEAT_REGIONS
from .events import Jump, Rate
from .quantities import Hours, Milligrams
from .registry import Registry

#: Intervention kinds available in this version, by the name used in ``kind``.
INTERVENTIONS = Registry()


class _Intervention(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    if TYPE_CHECKING:  # each kind declares its own ``kind`` field (a Literal); none on this base at run time
        kind: str
    #: Default course length in hours when ``stop`` is not given (None: until the end of the scenario).
    course: ClassVar[float | None] = None
    start: Hours = Field(0.0, ge=0.0, description="when it starts, hours from the scenario start")
    stop: Hours | None = Field(None, gt=0.0, description="when it stops (default: its usual course or the end)")

    @model_validator(mode="after")
    def _stop_after_start(self) -> _Intervention:
        if self.stop is not None and self.stop <= self.start:
            raise ValueError(f"stop must be after start ({self.start:g} h); got {self.stop:g} h")
        return self

    def sources(self) -> list[str]:
        """Keys (in ``references.bib``) of the evidence for this kind (``evidence.yaml``)."""
        return list(evidence().get(self.kind, {}).get("sources", []))

    def end(self, scenario: Any) -> float:
        """The time it stops, within the scenario."""
        if self.stop is not None:
            return min(self.stop, scenario.duration)
        if self.course is not None:
            return min(self.start + self.course, scenario.duration)
        return scenario.duration

    def daily(self, scenario: Any, hours: float, name: str, value: float) -> list[Any]:
        """``value`` on input ``name`` for ``hours`` a day from ``start`` until the end."""
        if hours >= 24.0:
            return [Rate(self.start, self.end(scenario), name, value)]
        out, t, end = [], self.start, self.end(scenario)
        while t < end:
            out.append(Rate(t, min(t + hours, end), name, value))
            t += 24.0
        return out


@INTERVENTIONS.register
class Antiviral(_Intervention):
    """A neuraminidase inhibitor (oseltamivir 75 mg twice daily or inhaled zanamivir) from ``start`` (required),
    for 5 days: blocks the release of new virions."""

    model_config = ConfigDict(extra="forbid", frozen=True, json_schema_extra={"examples": [{"start": 36.0}]})
    kind: Literal["antiviral"] = "antiviral"
    course: ClassVar[float | None] = 120.0
    start: Hours = Field(..., ge=0.0, description="when treatment starts, hours after inoculation (required)")
    drug: Literal["oseltamivir", "zanamivir"] = "oseltamivir"

    def events(self, p: Any, scenario: Any) -> list[Any]:
        return [Rate(self.start, self.end(scenario), "antiviral_eff", p.eps_antiviral)]


@INTERVENTIONS.register
class Antibiotic(_Intervention):
    """An antibiotic to which the bacterium is susceptible, from ``start`` (required), for 7 days."""

    model_config = ConfigDict(extra="forbid", frozen=True, json_schema_extra={"examples": [{"start": 12.0}]})
    kind: Literal["antibiotic"] = "antibiotic"
    course: ClassVar[float | None] = 168.0
    start: Hours = Field(..., ge=0.0, description="when treatment starts, hours after infection (required)")

    def events(self, p: Any, scenario: Any) -> list[Any]:
        return [Rate(self.start, self.end(scenario), "antibiotic_kill", p.k_abx)]


class _Tablet(_Intervention):
    state: ClassVar[str]
    dose: Milligrams
    every: Hours

    def events(self, p: Any, scenario: Any) -> list[Any]:
        out, t, end = [], self.start, self.end(scenario)
        while t < end - 1e-9:
            out.append(Jump(t, self.state, self.dose))
            t += self.every
        return out


@INTERVENTIONS.register
class Ibuprofen(_Tablet):
    """Ibuprofen by mouth: ``dose`` every ``every`` hours (default 400 mg every 8 h) from ``start``."""

    kind: Literal["ibuprofen"] = "ibuprofen"
    state: ClassVar[str] = "IBU_GUT"
    dose: Milligrams = Field(400.0, ge=100.0, le=800.0, description="mg per dose (adult: 200-800 mg)")
    every: Hours = Field(8.0, ge=4.0, le=24.0, description="hours between doses (at least 4)")


@INTERVENTIONS.register
class Paracetamol(_Tablet):
    """Paracetamol (acetaminophen) by mouth: ``dose`` every ``every`` hours (default 1 g every 6 h)."""

    kind: Literal["paracetamol"] = "paracetamol"
    state: ClassVar[str] = "PARA_GUT"
    dose: Milligrams = Field(1000.0, ge=250.0, le=1000.0, description="mg per dose (adult: 500-1000 mg)")
    every: Hours = Field(6.0, ge=4.0, le=24.0, description="hours between doses (at least 4)")


@INTERVENTIONS.register
class Heat(_Intervention):
    """Local heat (a 40 degC wrap) on one ``region`` for ``hours_per_day`` hours a day from ``start``."""

    model_config = ConfigDict(extra="forbid", frozen=True,
                              json_schema_extra={"examples": [{"region": "lower_back", "hours_per_day": 8.0}]})
    kind: Literal["heat"] = "heat"
    region: Literal[HEAT_REGIONS] = Field(..., description="where the heat is applied (required)")  # type: ignore[valid-type]
    hours_per_day: Hours = Field(8.0, gt=0.0, le=24.0, description="hours of heat each day")

    def events(self, p: Any, scenario: Any) -> list[Any]:
        return self.daily(scenario, self.hours_per_day, f"heat_{self.region}", 1.0)


@INTERVENTIONS.register
class Sleep(_Intervention):
    """Sleeping ``hours`` a night from ``start``, instead of the host's habitual sleep."""

    kind: Literal["sleep"] = "sleep"
    hours: Hours = Field(9.0, ge=0.0, le=14.0, description="hours of sleep per night while it lasts")

    def events(self, p: Any, scenario: Any) -> list[Any]:
        return [Rate(self.start, self.end(scenario), "sleep_change", scenario.host.sleep - self.hours)]


@INTERVENTIONS.register
class Hydration(_Intervention):
    """Drinking enough to correct the host's fluid deficit from ``start``; no effect in a well-hydrated host."""

    kind: Literal["hydration"] = "hydration"

    def events(self, p: Any, scenario: Any) -> list[Any]:
        return [Rate(self.start, self.end(scenario), "fluid_change", -scenario.host.fluid_deficit)]


@INTERVENTIONS.register
class Breathing(_Intervention):
    """A trained breathing exercise (cyclic hyperventilation and breath retention, as in Kox 2014) for
    ``hours_per_day`` hours a day from ``start``."""

    kind: Literal["breathing"] = "breathing"
    hours_per_day: Hours = Field(2.0, gt=0.0, le=24.0, description="hours of practice each day")

    def events(self, p: Any, scenario: Any) -> list[Any]:
        return self.daily(scenario, self.hours_per_day, "adrenergic", 1.0)


@INTERVENTIONS.register
class ColdExposure(_Intervention):
    """Cold exposure (cold showers, ice baths) for ``hours_per_day`` hours a day from ``start``."""

    kind: Literal["cold_exposure"] = "cold_exposure"
    hours_per_day: Hours = Field(0.25, gt=0.0, le=4.0, description="hours of cold exposure each day")

    def events(self, p: Any, scenario: Any) -> list[Any]:
        return self.daily(scenario, self.hours_per_day, "adrenergic", p.adr_cold)


@INTERVENTIONS.register
class Meditation(_Intervention):
    """Meditation for ``hours_per_day`` hours a day from ``start``."""

    kind: Literal["meditation"] = "meditation"
    hours_per_day: Hours = Field(0.5, gt=0.0, le=12.0, description="hours of meditation each day")

    def events(self, p: Any, scenario: Any) -> list[Any]:
        return self.daily(scenario, self.hours_per_day, "descending", p.desc_meditation)


@INTERVENTIONS.register
class ChickenSoup(_Intervention):
    """Chicken soup, ``bowls_per_day`` bowls a day from ``start``."""

    kind: Literal["chicken_soup"] = "chicken_soup"
    bowls_per_day: float = Field(2.0, gt=0.0, le=6.0, description="bowls a day")

    def events(self, p: Any, scenario: Any) -> list[Any]:
        fluid = min(scenario.host.fluid_deficit, p.soup_fluid * self.bowls_per_day)
        return [Rate(self.start, self.end(scenario), "fluid_change", -fluid)]


@INTERVENTIONS.register
class Expectation(_Intervention):
    """Expecting relief (a placebo, reassurance) with ``strength`` 0-1 from ``start``."""

    kind: Literal["expectation"] = "expectation"
    strength: float = Field(1.0, gt=0.0, le=1.0, description="how strongly relief is expected, 0-1")

    def events(self, p: Any, scenario: Any) -> list[Any]:
        return [Rate(self.start, self.end(scenario), "descending", self.strength)]


#: The tagged union of every registered intervention kind (the type of an item of ``Scenario.interventions``).
Intervention = INTERVENTIONS.union()


@lru_cache(maxsize=1)
def evidence() -> dict[str, dict[str, Any]]:
    """Mechanism, effect size, evidence grade and sources of each kind (``evidence.yaml``)."""
    text = resources.files(__package__).joinpath("evidence.yaml").read_text(encoding="utf-8")
    return load_yaml(text, field="evidence.yaml")
