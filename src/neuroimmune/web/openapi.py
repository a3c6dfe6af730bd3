"""The OpenAPI description of the explorer's API, made to match what the server answers.

FastAPI derives most of the description from the handlers; three things it cannot know are added here:

* ``POST /api/simulate`` takes a scenario, validated by :class:`neuroimmune.scenarios.Scenario` (the handler
  reads a plain mapping so that the scenario's own errors, with the scenario's field names, are reported). The
  description publishes the scenario's real JSON schema, with its sub-models under ``components/schemas``, so a
  client can generate a valid scenario from it; ``POST /api/compare`` and ``POST /api/bands`` refer to the same
  schema.
* Every error body is declared as it is sent: ``{"detail": [{field, rule, value}, ...]}`` for 400 (a body that
  is not UTF-8), 413 (too large) and 422 (bad input), ``{"detail": "..."}`` for 503 (busy or over time).
* Pydantic writes a bound of an optional quantity (``Hours | None`` with ``gt=0``) as ``gt`` inside the
  ``anyOf``, a keyword JSON Schema does not have, and does not mark the tag of a discriminated union (``kind``)
  as required, although validation needs it. :func:`json_schema_fixes` rewrites both so that the schema says
  what validation does.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from ..scenarios import Scenario

#: JSON Schema's names for pydantic's bounds.
_BOUNDS = {"gt": "exclusiveMinimum", "ge": "minimum", "lt": "exclusiveMaximum", "le": "maximum"}


class Problem(BaseModel):
    """One problem with a request: where (a dotted path into the body), the rule broken, the value received."""

    field: str = Field(description="dotted path of the offending field, 'body' for the body as a whole")
    rule: str = Field(description="the rule the value breaks, in words")
    value: Any = Field(None, description="the value received (JSON), or its text when it is not JSON")
    loc: list[str | int] | None = Field(None, description="the same path as a list, FastAPI's convention")


class ProblemReport(BaseModel):
    """Every problem found with a request (400, 413 and 422 answers)."""

    detail: list[Problem]


class Message(BaseModel):
    """A one-line explanation (503 answers: the simulator is busy or the computation ran over its time limit)."""

    detail: str


class Observable(BaseModel):
    """One simulated quantity: its unit, name, dimensions and values (five significant digits; null where the
    value is not finite)."""

    units: str
    long_name: str
    dims: list[str] = Field(description="['time'], or ['region', 'time'] for ppt_change")
    values: list[float | None] | list[list[float | None]]


class BandCurves(BaseModel):
    """The quantile curves of one observable: ``values`` over quantile x time (quantile x region x time for
    ppt_change), five significant digits, null where not finite."""

    units: str
    long_name: str
    dims: list[str] = Field(description="['quantile', 'time'], or ['quantile', 'region', 'time'] for ppt_change")
    values: list[list[float | None]] | list[list[list[float | None]]]


class SimulationResult(BaseModel):
    """The answer of ``POST /api/simulate``."""

    time: list[float | None] = Field(description="the output time grid")
    time_units: str = Field(description="always 'h'")
    regions: list[str] = Field(description="body regions of ppt_change, in the order of its rows")
    observables: dict[str, Observable]
    summary: dict[str, float | None] = Field(description="peak back ache, days with back ache, peak temperature, "
                                             "fever hours, lowest lower-back threshold change, each with its time")
    scenario: dict[str, Any] = Field(description="the scenario as validated, in canonical units")


class BandsResult(BaseModel):
    """The answer of ``POST /api/bands``."""

    uncertainty: str = Field(description="parameter, people or both")
    label: str = Field(description="the band's name for people: parameter uncertainty, people like me, both")
    meaning: str = Field(description="one sentence that says what the band means")
    members: int = Field(description="members simulated")
    members_failed: int = Field(description="members whose solve failed (left out of the quantiles)")
    seed: int = Field(description="seed of the members' draws")
    quantiles: list[float] = Field(description="the quantile levels, in the order of the values' first axis")
    time: list[float | None] = Field(description="the output time grid")
    time_units: str = Field(description="always 'h'")
    regions: list[str] = Field(description="body regions of ppt_change, in the order of its rows")
    observables: dict[str, BandCurves]
    scenario: dict[str, Any] = Field(description="the scenario as validated, in canonical units")


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    words = {
        400: ("The body could not be decoded: JSON must be encoded as UTF-8.", ProblemReport),
        413: ("The body is larger than the API accepts (GET /api/kinds, limits.max_body_bytes).", ProblemReport),
        422: ("Bad input: one entry per problem, naming the field, the rule and the value received.", ProblemReport),
        503: ("The simulator is busy (many requests waiting) or the computation ran over its time limit; "
              "try again (see Retry-After).", Message),
    }
    return {code: {"description": words[code][0], "model": words[code][1]} for code in codes}


#: The error answers each kind of operation can give.
POST_ERRORS = _errors(400, 413, 422)
COMPUTE_ERRORS = _errors(400, 413, 422, 503)


def json_schema_fixes(node: Any) -> Any:
    """Rewrite pydantic's JSON schema so that it says what validation does (see the module's docstring):
    ``gt``/``ge``/``lt``/``le`` become JSON Schema's bounds, and a ``kind`` with a single allowed value (the
    tag of a discriminated union) is required. Returns a new structure."""
    if isinstance(node, list):
        return [json_schema_fixes(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {_BOUNDS.get(k, k) if k in _BOUNDS and isinstance(v, int | float) else k: json_schema_fixes(v)
           for k, v in node.items()}
    kind = (out.get("properties") or {}).get("kind")
    if isinstance(kind, dict) and "const" in kind:
        out["required"] = sorted({*out.get("required", []), "kind"})
    return out


def scenario_schemas() -> dict[str, Any]:
    """The scenario's JSON schema and its sub-models, keyed by name, referring to each other under
    ``#/components/schemas/``."""
    schema = Scenario.model_json_schema(ref_template="#/components/schemas/{model}")
    defs = schema.pop("$defs", {})
    schema["description"] = (schema.get("description", "").split("\n\n")[0] + " Quantities are numbers in the "
                             "canonical unit (hours, ng/kg, years, kg, mg, TCID50) or strings with a unit such as "
                             "'2 ng/kg' or '36 h'; duration / output_step must be at most the API's limits."
                             "max_points (GET /api/kinds).")
    return json_schema_fixes({**defs, "Scenario": schema})


def describe(openapi: dict[str, Any]) -> dict[str, Any]:
    """Complete FastAPI's description: the scenario's schema in the components, referred to by the request
    bodies of ``/api/simulate`` and ``/api/compare``."""
    components = openapi.setdefault("components", {}).setdefault("schemas", {})
    components.update(scenario_schemas())
    ref = {"$ref": "#/components/schemas/Scenario"}
    simulate = openapi["paths"]["/api/simulate"]["post"]
    simulate["requestBody"] = {"required": True, "content": {"application/json": {"schema": ref}}}
    compare = components.get("CompareRequest", {}).get("properties", {}).get("scenarios")
    if compare is not None:
        compare["items"] = ref
    bands = components.get("BandsRequest", {}).get("properties", {})
    if "scenario" in bands:
        bands["scenario"] = ref
    return openapi
