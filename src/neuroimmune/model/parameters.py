"""Parameters as records: value, unit, bounds, source, evidence kind and rationale (provenance as data).

The records live in ``parameters.yaml`` beside this file. Values of the parameters marked ``free`` are replaced
by the fitted values that ``neuroimmune calibrate endotoxemia`` writes to
``calibration/fitted/endotoxemia.yaml``; nothing fitted is typed by hand.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from functools import lru_cache
from importlib import resources
from types import MappingProxyType

from ..errors import NeuroimmuneError, UnknownNameError
from ..io.safe_yaml import load_yaml
from .fits import load_fit

#: The evidence kinds of SYSTEM.md, in decreasing order of directness.
EVIDENCE_KINDS = ("human_data_fit", "human_measurement", "animal", "in_vitro", "assumption")


@dataclasses.dataclass(frozen=True)
class Parameter:
    """One model parameter with its provenance.

    Attributes
    ----------
    name, value, unit
        Identifier used in the equations, its value and unit (pint syntax; ``1`` for dimensionless).
    lower, upper
        Plausible bounds; calibration searches within them, sensitivity analysis samples within them.
    source
        Key into ``references.bib``.
    evidence
        One of :data:`EVIDENCE_KINDS`.
    rationale
        One line on why this value.
    module
        The mechanism module that uses it.
    free
        True if ``neuroimmune calibrate`` fits it.
    """

    name: str
    value: float
    unit: str
    lower: float
    upper: float
    source: str
    evidence: str
    rationale: str
    module: str
    free: bool = False

    def __post_init__(self) -> None:
        problems = []
        if self.evidence not in EVIDENCE_KINDS:
            problems.append(f"evidence must be one of {', '.join(EVIDENCE_KINDS)} (got {self.evidence!r})")
        if not self.lower <= self.value <= self.upper:
            problems.append(f"value must lie within [lower, upper] = [{self.lower}, {self.upper}] (got {self.value})")
        for field in ("unit", "source", "rationale", "module"):
            if not str(getattr(self, field)).strip():
                problems.append(f"{field} must not be empty")
        if problems:
            raise NeuroimmuneError(f"parameter {self.name}: " + "; ".join(problems))


class ParameterSet(Mapping[str, Parameter]):
    """An immutable, ordered collection of :class:`Parameter` records keyed by name."""

    def __init__(self, records: Mapping[str, Parameter], fitted_from: str | None = None):
        self._records = MappingProxyType(dict(records))
        self.fitted_from = fitted_from

    def __getitem__(self, name: str) -> Parameter:
        try:
            return self._records[name]
        except KeyError:
            raise UnknownNameError("parameter", name, sorted(self._records)) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._records)

    def __len__(self) -> int:
        return len(self._records)

    def values(self) -> dict[str, float]:  # type: ignore[override]
        """Plain ``{name: value}`` floats, as the equations use them."""
        return {name: rec.value for name, rec in self._records.items()}

    def free(self) -> list[Parameter]:
        """The records that calibration fits."""
        return [rec for rec in self._records.values() if rec.free]

    def with_values(self, new: Mapping[str, float]) -> ParameterSet:
        """A copy with some values replaced (bounds are checked)."""
        records = dict(self._records)
        for name, value in new.items():
            records[name] = dataclasses.replace(self[name], value=float(value))
        return ParameterSet(records, self.fitted_from)


def read_records(text: str) -> dict[str, Parameter]:
    """Parse the YAML of ``parameters.yaml``: ``{module: {name: {value, unit, ...}}}``."""
    tree = load_yaml(text, field="parameters.yaml", what="parameter file")
    records: dict[str, Parameter] = {}
    for module, entries in tree.items():
        for name, fields in entries.items():
            lower, upper = fields.pop("bounds")
            fields["value"] = float(fields["value"])  # YAML 1.1 reads 7.7e5 (no exponent sign) as text
            records[name] = Parameter(name=name, lower=float(lower), upper=float(upper), module=module, **fields)
    return records


@lru_cache(maxsize=1)
def base_parameters() -> ParameterSet:
    """The records of ``parameters.yaml`` with the published or prior values (before calibration)."""
    text = resources.files(__package__).joinpath("parameters.yaml").read_text(encoding="utf-8")
    return ParameterSet(read_records(text))


@lru_cache(maxsize=1)
def default_parameters() -> ParameterSet:
    """The base records with the fitted values of the committed calibration applied."""
    base = base_parameters()
    fit = load_fit("endotoxemia")
    if fit is None:
        return base
    unknown = sorted(set(fit.values) - set(base))
    if unknown:
        raise NeuroimmuneError(f"fitted parameter file {fit.path}: unknown parameters {unknown}")
    try:
        fitted = base.with_values(fit.values)
    except NeuroimmuneError as exc:
        raise NeuroimmuneError(f"{exc}; the fitted file {fit.path} no longer matches parameters.yaml: "
                               "rerun `neuroimmune calibrate endotoxemia`") from None
    return ParameterSet(dict(fitted.items()), fitted_from=str(fit.path))
