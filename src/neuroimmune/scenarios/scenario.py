"""The scenario: a validated description of one simulation (who, what challenge, what treatment, how long).

Load it from a dict, YAML or JSON; every problem is reported at once with the field, the rule and the value.
"""

from __future__ import annotations

import datetime as _dt
import json
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..errors import ScenarioError
from .challenges import CHALLENGES, Challenge, Endotoxin
from .host import Host
from .interventions import (
    INTERVENTIONS,
    Antibiotic,
    Antiviral,
    Breathing,
    ChickenSoup,
    ColdExposure,
    Expectation,
    Heat,
    Hydration,
    Ibuprofen,
    Meditation,
    Paracetamol,
    Sleep,
)
from .quantities import Hours

Intervention = Annotated[
    Antiviral | Antibiotic | Ibuprofen | Paracetamol | Heat | Sleep | Hydration | Breathing | ColdExposure
    | Meditation | ChickenSoup | Expectation,
    Field(discriminator="kind"),
]


class Scenario(BaseModel):
    """One simulation: ``host``, ``challenge``, ``interventions``, ``duration`` and ``seed``.

    Examples
    --------
    >>> Scenario.from_dict({"challenge": {"kind": "endotoxin", "dose": "2 ng/kg"}, "duration": "24 h"})
    ... # doctest: +SKIP
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field("", max_length=200, description="a label for tables and files")
    host: Host = Host()
    challenge: Challenge | None = Field(None, description="what makes the host sick; none gives baseline")
    interventions: list[Intervention] = Field(default_factory=list, max_length=20)
    start_date: _dt.date | None = Field(None, description="calendar date of the scenario start (for history dates)")
    duration: Hours = Field(24.0, gt=0.0, le=24.0 * 90, description="simulated time in hours (at most 90 days)")
    output_step: Hours = Field(0.1, gt=0.0, le=24.0, description="spacing of the output time grid in hours")
    seed: int | None = Field(None, ge=0, description="random seed (used by ensembles; single runs are deterministic)")

    @field_validator("challenge", mode="before")
    @classmethod
    def _known_kind(cls, value: Any) -> Any:
        if isinstance(value, dict):
            kind = value.get("kind")
            if not isinstance(kind, str) or kind not in CHALLENGES:
                raise ValueError(f"kind must be one of {', '.join(CHALLENGES)} (got {kind!r})")
        return value

    @field_validator("interventions", mode="before")
    @classmethod
    def _known_interventions(cls, value: Any) -> Any:
        for item in value or []:
            kind = item.get("kind") if isinstance(item, dict) else item
            if not isinstance(kind, str) or kind not in INTERVENTIONS:
                raise ValueError(f"intervention kind must be one of: {', '.join(INTERVENTIONS)} (got {kind!r})")
        return value

    @model_validator(mode="after")
    def _history_before_start(self) -> Scenario:
        """Resolve history dates to times before the start, and check a vaccine's dose number against it."""
        for i, e in enumerate(self.host.history):
            if e.date is None:
                continue
            if self.start_date is None:
                raise ValueError(f"host.history.{i}.date: needs the scenario's start_date to place {e.date} in time "
                                 "(or give time, such as '-180 days')")
            if e.date >= self.start_date:
                raise ValueError(f"host.history.{i}.date: must be before the scenario's start_date "
                                 f"{self.start_date} (got {e.date})")
            object.__setattr__(e, "time", (e.date - self.start_date).days * 24.0)
        ch = self.challenge
        if ch is not None and ch.kind == "vaccine":
            earlier = [e for e in self.host.history if e.kind == "vaccine" and e.antigen == ch.antigen]
            if earlier and ch.dose_number is not None:
                raise ValueError(f"challenge.dose_number: give either dose_number or the earlier doses in "
                                 f"host.history, not both (got dose {ch.dose_number} and {len(earlier)} earlier "
                                 f"{ch.antigen} dose(s) in the history)")
        return self

    # -- constructors ---------------------------------------------------------------------------------------
    @classmethod
    def from_dict(cls, data: Any) -> Scenario:
        """Validate a mapping; raises :class:`ScenarioError` listing every problem."""
        if not isinstance(data, dict):
            raise ScenarioError([("scenario", "must be a mapping of fields (host, challenge, ...)", data)])
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise ScenarioError(_problems(exc)) from None

    @classmethod
    def from_yaml(cls, path: str | Path) -> Scenario:
        """Read a YAML (or JSON, which is YAML) scenario file."""
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ScenarioError([("file", "must be a readable scenario file", f"{path} ({exc.strerror})")]) from None
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "unknown position"
            raise ScenarioError([("file", f"must be valid YAML; {getattr(exc, 'problem', exc)} at {where}",
                                  str(path))]) from None
        return cls.from_dict({} if data is None else data)

    @classmethod
    def from_json(cls, text: str) -> Scenario:
        """Parse a JSON string."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ScenarioError([("json", f"must be valid JSON; {exc.msg} at line {exc.lineno}", text[:80])]) from None
        return cls.from_dict(data)

    def to_dict(self) -> dict[str, Any]:
        """A plain mapping in canonical units (hours, ng/kg, years, kg) that :meth:`from_dict` reads back."""
        return self.model_dump(mode="json", exclude_none=True)


def default_scenario() -> Scenario:
    """The packaged default: a 2 ng/kg LPS bolus in a 25-year-old man, 24 h."""
    return Scenario(name="endotoxin 2 ng/kg bolus (default)", challenge=Endotoxin(dose=2.0), duration=24.0)


def _problems(exc: ValidationError) -> list[tuple[str, str, object]]:
    problems = []
    for err in exc.errors():
        loc = [str(part) for part in err["loc"] if not str(part).startswith("function-")]
        # drop the union tag pydantic inserts after a discriminated field: challenge.influenza.inoculum -> ...
        loc = [part for i, part in enumerate(loc)
               if not (i >= 1 and loc[i - 1] == "challenge" and part in CHALLENGES)
               and not (i >= 2 and loc[i - 2] == "interventions" and part in INTERVENTIONS)]
        field = ".".join(loc) or "scenario"
        message = err["msg"].removeprefix("Value error, ")
        head, sep, rest = message.partition(": ")
        if not loc and sep and head.replace(".", "").replace("_", "").isalnum():
            field, message = head, rest  # a whole-scenario check names its own field
        if err["type"] == "extra_forbidden":
            message = "unknown field; check the spelling (see the scenario reference in the README)"
        elif err["type"] == "missing":
            message = "required field is missing"
        problems.append((field, message, err.get("input")))
    return problems
