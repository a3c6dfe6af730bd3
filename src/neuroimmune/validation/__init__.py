"""Validation against published human studies: one module per study, gathered into one table."""

from __future__ import annotations

from .. import studies
from ..studies import Row, is_known_gap, known_gaps
from . import (
    influenza,
    interventions,
    longcovid,
    sarscov2,
    sex,
    vaccine,
    windoloski2024,
    windoloski2024_individuals,
)

STUDIES = {
    "windoloski2024": windoloski2024,
    "sex": sex,
    "influenza": influenza,
    "sarscov2": sarscov2,
    "vaccine": vaccine,
    "interventions": interventions,
    "longcovid": longcovid,
    "windoloski2024_individuals": windoloski2024_individuals,
}




def validate() -> list[Row]:
    """Every row of every study the model covers: the study modules (:mod:`neuroimmune.studies`) and the
    modules not yet moved there."""
    return studies.validate() + [row for module in STUDIES.values() for row in module.rows()]


__all__ = ["STUDIES", "Row", "is_known_gap", "known_gaps", "validate"]
