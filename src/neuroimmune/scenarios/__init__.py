"""Scenarios: the host, the challenge, interventions and the simulated time, validated with units."""

from .challenges import CHALLENGES, Endotoxin, Infusion
from .host import Host
from .scenario import INTERVENTIONS, Scenario, default_scenario

__all__ = ["CHALLENGES", "INTERVENTIONS", "Endotoxin", "Host", "Infusion", "Scenario", "default_scenario"]
