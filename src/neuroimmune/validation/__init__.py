"""Validation against published human studies: one module per study, gathered into one table."""

from __future__ import annotations

from . import degoeij2013, janum2016, windoloski2024
from .table import Row

STUDIES = {"janum2016": janum2016, "degoeij2013": degoeij2013, "windoloski2024": windoloski2024}


def validate() -> list[Row]:
    """Every row of every study the model covers."""
    return [row for module in STUDIES.values() for row in module.rows()]


__all__ = ["STUDIES", "Row", "validate"]
