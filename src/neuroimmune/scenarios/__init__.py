"""Scenarios: the host, the challenge, interventions and the simulated time, validated with units."""

from .challenges import CHALLENGES, Bacterial, Endotoxin, Influenza, Infusion, SarsCov2, Vaccine
from .host import Exposure, Host
from .interventions import INTERVENTIONS, evidence
from .scenario import Scenario, default_scenario

__all__ = [
    "CHALLENGES",
    "INTERVENTIONS",
    "Bacterial",
    "Endotoxin",
    "Exposure",
    "Host",
    "Influenza",
    "Infusion",
    "SarsCov2",
    "Scenario",
    "Vaccine",
    "default_scenario",
    "evidence",
]
