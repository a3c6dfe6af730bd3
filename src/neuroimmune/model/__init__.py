"""The neuroimmune model: parameters with provenance, one module per mechanism, and their assembly."""

from .assembly import OBSERVABLE_NAMES, OBSERVABLES, STATE_NAMES, STATES
from .mechanisms.pain import REGIONS
from .parameters import EVIDENCE_KINDS, Parameter, ParameterSet, base_parameters, default_parameters

__all__ = [
    "EVIDENCE_KINDS",
    "OBSERVABLES",
    "OBSERVABLE_NAMES",
    "REGIONS",
    "STATES",
    "STATE_NAMES",
    "Parameter",
    "ParameterSet",
    "base_parameters",
    "default_parameters",
]
