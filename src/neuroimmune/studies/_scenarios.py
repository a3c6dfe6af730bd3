"""Scenario builders that several studies share (an endotoxin bolus on a fine grid, ...)."""

from __future__ import annotations

from ..scenarios import Endotoxin, Host, Scenario

#: Any region with regional gain 1 stands for a generic algometry site (forearm, thigh).
REFERENCE_REGION = "thigh"


def bolus(dose: float = 2.0, sex: str = "male", duration: float = 8.0, age: float | None = None) -> Scenario:
    """An intravenous endotoxin bolus (ng/kg) on a 3-minute output grid."""
    host = Host(sex=sex) if age is None else Host(sex=sex, age=age)
    return Scenario(challenge=Endotoxin(dose=dose), host=host, duration=duration, output_step=0.05)
