"""What a measure changes: a scenario run with and without each intervention, side by side."""

from __future__ import annotations

import dataclasses
from typing import Any

import xarray as xr

from .. import outcomes
from ..errors import InputError, ScenarioError
from ..io.safe_yaml import load_yaml
from ..scenarios import Scenario

#: Defaults used when a measure is named by its kind alone (``--with heat``): the article's lower back.
SHORTHAND_DEFAULTS: dict[str, dict[str, Any]] = {
    "heat": {"region": "lower_back"},
    "antiviral": {"start": 24.0},
    "antibiotic": {"start": 12.0},
}


@dataclasses.dataclass(frozen=True)
class Outcome:
    """The outcomes a person notices, for one arm of a comparison."""

    label: str
    peak_back_pain: float
    days_with_back_pain: float
    peak_temperature: float
    recovery_day: float

    @classmethod
    def of(cls, label: str, ds: xr.Dataset) -> Outcome:
        b = outcomes.burden(ds)
        return cls(label, b["peak_back_pain"], b["days_with_back_pain"], b["peak_temperature"], b["recovery_day"])


def parse_measure(text: str) -> dict[str, Any]:
    """``"heat"`` or ``"heat:region=neck,hours_per_day=4"`` -> an intervention mapping.

    Each value is read as a YAML scalar, as in a scenario file: ``4`` is the number 4 (hours, for a time),
    ``2 h`` a quantity with its unit, ``neck`` a name."""
    kind, _, rest = text.partition(":")
    item: dict[str, Any] = {"kind": kind.strip(), **SHORTHAND_DEFAULTS.get(kind.strip(), {})}
    given: set[str] = set()
    for pair in filter(None, (p.strip() for p in rest.split(","))):
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep:
            raise ScenarioError([("--with", "options are key=value pairs after the kind, such as "
                                  "'heat:region=neck,hours_per_day=4'", text)])
        if key == "kind":
            raise ScenarioError([("--with", "the kind comes before the colon, such as 'heat:region=neck'", text)])
        if key in given:
            raise ScenarioError([("--with", f"must give each option once; {key} appears twice", text)])
        given.add(key)
        item[key] = _scalar(value.strip())
    return item


def _scalar(text: str) -> Any:
    """A value of ``--with`` as YAML reads it; text that is not a plain YAML scalar stays text."""
    if not text:
        return text
    try:
        value = load_yaml(text, field="--with", what="value")
    except InputError:
        return text
    return value if isinstance(value, str | int | float | bool) else text


def compare(scenario: Scenario | dict[str, Any], measures: list[dict[str, Any] | str],
            parameters: dict[str, float] | None = None) -> tuple[list[Outcome], dict[str, xr.Dataset]]:
    """Run ``scenario`` as given (``baseline``) and with each measure added to its interventions.

    Returns the outcomes (baseline first) and the simulated datasets by label.
    """
    from ..engine.simulate import simulate

    base = Scenario.coerce(scenario)
    arms: dict[str, Scenario] = {}
    for m in measures:  # every arm is validated before anything is simulated
        if not isinstance(m, str | dict):
            raise ScenarioError([("measures", "each must be text such as 'heat' or an intervention mapping", m)])
        item = parse_measure(m) if isinstance(m, str) else dict(m)
        data = base.to_dict()
        data["interventions"] = [*data.get("interventions", []), item]
        options = "" if isinstance(m, dict) or ":" not in m else ":" + m.partition(":")[2]
        label = f"{item.get('kind')}{options}"
        if label in arms:
            raise ScenarioError([("--with", "must name each measure once", str(m))])
        try:
            arms[label] = Scenario.coerce(data)
        except ScenarioError as exc:  # name the measure, not the position it was given in the scenario
            at = f"interventions.{len(data['interventions']) - 1}"
            problems = []
            for f, rule, value in exc.problems:
                if f.startswith("interventions"):
                    sub = f.removeprefix(at).removeprefix("interventions").lstrip(".")
                    f, rule = f"--with {m}", f"{sub}: {rule}" if sub else rule
                problems.append((f, rule, value))
            raise ScenarioError(problems) from None
    runs = {"baseline": simulate(base, parameters=parameters)}
    for label, arm in arms.items():
        runs[label] = simulate(arm, parameters=parameters)
    return [Outcome.of(label, ds) for label, ds in runs.items()], runs
