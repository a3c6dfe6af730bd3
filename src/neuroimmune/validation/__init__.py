"""Validation against published human studies: one module per study, gathered into one table."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from ..io.safe_yaml import load_yaml
from . import (
    degoeij2013,
    grigoleit2010,
    influenza,
    interventions,
    janum2016,
    longcovid,
    sarscov2,
    sex,
    vaccine,
    windoloski2024,
    windoloski2024_individuals,
)
from .table import Row

STUDIES = {
    "janum2016": janum2016,
    "degoeij2013": degoeij2013,
    "grigoleit2010": grigoleit2010,
    "windoloski2024": windoloski2024,
    "sex": sex,
    "influenza": influenza,
    "sarscov2": sarscov2,
    "vaccine": vaccine,
    "interventions": interventions,
    "longcovid": longcovid,
    "windoloski2024_individuals": windoloski2024_individuals,
}


@lru_cache(maxsize=1)
def known_gaps() -> dict[tuple[str, str, str], str]:
    """Rows known to fail, keyed by (study, observable, metric), with the reason."""
    text = resources.files(__package__).joinpath("known_gaps.yaml").read_text(encoding="utf-8")
    return {(g["study"], g["observable"], g["metric"]): g["why"] for g in load_yaml(text, field="known_gaps.yaml")}


def is_known_gap(row: Row) -> bool:
    """True if ``row`` is listed in ``known_gaps.yaml``."""
    return (row.study, row.observable, row.metric) in known_gaps()


def validate() -> list[Row]:
    """Every row of every study the model covers."""
    return [row for module in STUDIES.values() for row in module.rows()]


__all__ = ["STUDIES", "Row", "is_known_gap", "known_gaps", "validate"]
