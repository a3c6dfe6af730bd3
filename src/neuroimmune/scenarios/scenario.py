"""The scenario: a validated description of one simulation (who, what challenge, what treatment, how long).

:meth:`Scenario.coerce` is the one way input becomes a scenario: a :class:`Scenario`, a mapping, YAML/JSON text,
a file path, or None for the packaged default. Every problem is reported at once with the field, the rule and the
value; NaN and infinities are refused wherever they appear, and so is an output grid too large to hold.
"""

from __future__ import annotations

import datetime as _dt
import math
import os
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..errors import InputError, ScenarioError, shorten
from ..io.safe_yaml import load_json, load_yaml, read_yaml
from .challenges import CHALLENGES, Challenge, Endotoxin
from .host import Host
from .interventions import INTERVENTIONS, Intervention
from .quantities import Hours, nonfinite_fields

#: Most output points (duration / output_step) of one simulation: about 40 MB of observables and a few times that
#: while solving; 90 days every 0.01 h fits. (The HTTP API allows fewer: :data:`neuroimmune.web.limits.MAX_POINTS`.)
MAX_OUTPUT_POINTS = 250_000
#: Largest seed (it is stored as a signed 64-bit integer in NetCDF and Zarr attributes).
MAX_SEED = 2**63 - 1


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
    seed: int | None = Field(None, ge=0, le=MAX_SEED,
                             description="seed of the members of bands (neuroimmune.predict) when none is "
                                         "given there; single runs are deterministic")

    @field_validator("challenge", mode="before")
    @classmethod
    def _known_kind(cls, value: Any) -> Any:
        if isinstance(value, dict):
            kind = value.get("kind")
            if not isinstance(kind, str) or kind not in CHALLENGES:
                raise ValueError(f"kind must be one of {', '.join(CHALLENGES)} (got {shorten(kind)})")
        elif value is not None and not isinstance(value, BaseModel):
            raise ValueError("must be a mapping with a kind, such as {kind: endotoxin, dose: 2 ng/kg}")
        return value

    @field_validator("interventions", mode="before")
    @classmethod
    def _known_interventions(cls, value: Any) -> Any:
        if value is None:
            return []
        if not isinstance(value, list | tuple):
            raise ValueError("must be a list with one entry per intervention, such as [{kind: ibuprofen}]")
        for i, item in enumerate(value):
            if isinstance(item, BaseModel):
                continue
            if not isinstance(item, dict):
                raise ValueError(f"each intervention must be a mapping with a kind, such as {{kind: heat, region: "
                                 f"lower_back}}; entry {i} is {shorten(item)}")
            kind = item.get("kind")
            if not isinstance(kind, str) or kind not in INTERVENTIONS:
                raise ValueError(f"intervention kind must be one of: {', '.join(INTERVENTIONS)} "
                                 f"(got {shorten(kind)})")
        return value

    @model_validator(mode="after")
    def _finite_and_bounded(self) -> Scenario:
        """NaN and infinities nowhere (including fields without bounds), and an output grid that fits in memory."""
        bad = nonfinite_fields(self.model_dump(mode="python"))
        if bad:
            field, rule, value = bad[0]
            raise ValueError(f"{field}: {rule} (got {value})")
        points = self.duration / self.output_step
        if points > MAX_OUTPUT_POINTS:
            raise ValueError(f"output_step: duration / output_step must be at most {MAX_OUTPUT_POINTS:,} output "
                             f"points; {self.output_step:.3g} h over {self.duration:g} h is {points:,.0f}; "
                             f"use a coarser output_step, such as 0.1 h")
        return self

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
    def coerce(cls, scenario: Scenario | Mapping[str, Any] | str | bytes | os.PathLike[str] | None) -> Scenario:
        """The one way any input becomes a :class:`Scenario`.

        Parameters
        ----------
        scenario
            A :class:`Scenario` (returned as is); a mapping (validated); a :class:`~pathlib.Path` (a YAML or JSON
            file); a string, read as YAML/JSON text if it spans lines or holds ``key: value`` or ``{...}``, else as
            a file path; bytes (YAML/JSON text); or None for :func:`default_scenario`.

        Raises
        ------
        ScenarioError
            Listing every problem with its field, rule and value; for a file or text that cannot be read (not
            UTF-8, empty, too large, too deep, an alias bomb, duplicate keys), the reason.
        """
        if scenario is None:
            return default_scenario()
        if isinstance(scenario, Scenario):
            return scenario
        if isinstance(scenario, Mapping):
            return cls.from_dict(dict(scenario))
        if isinstance(scenario, os.PathLike):
            return cls.from_yaml(scenario)
        if isinstance(scenario, bytes):
            return cls._from_text(scenario)
        if isinstance(scenario, str):
            text = scenario.strip()
            if "\n" in text or text.startswith(("{", "---")) or ": " in text or text.endswith(":"):
                return cls._from_text(scenario)
            return cls.from_yaml(scenario)
        raise ScenarioError([("scenario", "must be a Scenario, a mapping, YAML/JSON text, a file path or None",
                              f"a {type(scenario).__name__}")])

    @classmethod
    def from_dict(cls, data: Any) -> Scenario:
        """Validate a mapping; raises :class:`ScenarioError` listing every problem."""
        if not isinstance(data, dict):
            raise ScenarioError([("scenario", "must be a mapping of fields (host, challenge, ...)", data)])
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise ScenarioError(_problems(exc)) from None
        except RecursionError:  # a structure nested beyond Python's limit, built in code rather than read
            raise ScenarioError([("scenario", "must not be nested this deeply", "a deeply nested value")]) from None

    @classmethod
    def from_yaml(cls, path: str | os.PathLike[str]) -> Scenario:
        """Read a YAML (or JSON, which is YAML) scenario file, within the limits of
        :mod:`neuroimmune.io.safe_yaml` (size, depth, aliases, duplicate keys; an empty file is an error)."""
        try:
            data = read_yaml(path, field="file", what="scenario file")
        except InputError as exc:
            raise ScenarioError(exc.problems) from None
        return cls.from_dict(data)

    @classmethod
    def from_json(cls, text: str | bytes) -> Scenario:
        """Parse a JSON string (duplicate keys, more than 1 MiB or 50 levels are errors)."""
        try:
            data = load_json(text, field="json", what="scenario JSON")
        except InputError as exc:
            raise ScenarioError(exc.problems) from None
        return cls.from_dict(data)

    @classmethod
    def _from_text(cls, text: str | bytes) -> Scenario:
        try:
            data = load_yaml(text, field="scenario", what="scenario text")
        except InputError as exc:
            raise ScenarioError(exc.problems) from None
        return cls.from_dict(data)

    def to_dict(self) -> dict[str, Any]:
        """A plain mapping in canonical units (hours, ng/kg, years, kg) that :meth:`from_dict` reads back."""
        return self.model_dump(mode="json", exclude_none=True)


def default_scenario() -> Scenario:
    """The packaged default: a 2 ng/kg LPS bolus in a 25-year-old man, 24 h."""
    return Scenario(name="endotoxin 2 ng/kg bolus (default)", challenge=Endotoxin(dose=2.0), duration=24.0)


class _Shown(str):
    """A value already written out by the check that found it (printed without quotes)."""

    def __repr__(self) -> str:
        return str(self)


def _lookup(data: Any, field: str) -> Any:
    """The value at dotted ``field`` in the raw input (None where the path does not lead anywhere)."""
    for part in field.split("."):
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        else:
            return None
    return data


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
        value = err.get("input")
        if isinstance(value, float) and not math.isfinite(value):
            message = "must be a finite number"  # rather than a bound that NaN fails for another reason
        head, sep, rest = message.partition(": ")
        whole = not loc and sep and head.replace(".", "").replace("_", "").isalnum()
        if whole:
            field, message = head, rest  # a whole-scenario check names its own field
        before, got, shown = message.rpartition(" (got ")
        if got and shown.endswith(")") and err["type"] == "value_error":
            message, value = before, _Shown(shown[:-1])  # our own check already wrote out the value it got
        elif whole:
            value = _lookup(value, field)
        if err["type"] == "extra_forbidden":
            message = "unknown field; check the spelling (see the scenario reference in the README)"
        elif err["type"] == "missing":
            message = "required field is missing"
        problems.append((field, message, value))
    return problems
