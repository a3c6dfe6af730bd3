"""Scenario builders that several studies share (an endotoxin bolus on a fine grid, an influenza challenge, a
vaccine dose, ...)."""

from __future__ import annotations

from typing import Any

from ..scenarios import Endotoxin, Host, Scenario

#: Any region with regional gain 1 stands for a generic algometry site (forearm, thigh).
REFERENCE_REGION = "thigh"

#: Detection limit of the influenza titre assays, log10 TCID50/mL (Hayden 1996 data header; Baccam 2006 records
#: titres at or below 0.5 log10 as 0).
INFLUENZA_LOD = 0.5


def bolus(dose: float = 2.0, sex: str = "male", duration: float = 8.0, age: float | None = None) -> Scenario:
    """An intravenous endotoxin bolus (ng/kg) on a 3-minute output grid."""
    host = Host(sex=sex) if age is None else Host(sex=sex, age=age)
    return Scenario(challenge=Endotoxin(dose=dose), host=host, duration=duration, output_step=0.05)


def pretreated_bolus(dose: float, interventions: list[dict[str, Any]]) -> dict[str, Any]:
    """An endotoxin bolus (ng/kg) at 2 h, after ``interventions`` started earlier (pre-treatment trials), 14 h on
    a 3-minute grid."""
    return {"challenge": {"kind": "endotoxin", "dose": f"{dose} ng/kg", "time": "2.0 h"},
            "interventions": interventions, "duration": "14 h", "output_step": "0.05 h"}


#: Ibuprofen 800 mg 1.5 h before the endotoxin of :func:`pretreated_bolus` (the trials pre-treated; the exact
#: regimen varied between them).
IBUPROFEN_PRETREATMENT = {"kind": "ibuprofen", "dose": "800 mg", "start": "0.5 h"}


def influenza(duration: str = "10 days", **extra: Any) -> dict[str, Any]:
    """An influenza A challenge on an hourly grid."""
    return {"challenge": {"kind": "influenza"}, "duration": duration, "output_step": "1 h", **extra}


def vaccine_dose(number: int) -> dict[str, Any]:
    """Dose ``number`` of an mRNA vaccine, 7 days on a half-hour grid."""
    return {"challenge": {"kind": "vaccine", "dose_number": number}, "duration": "7 days", "output_step": "0.5 h"}
