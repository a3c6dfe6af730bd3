"""Citations generated from provenance: the BibTeX of what a result rests on."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from .fits import load_fit
from .parameters import default_parameters

#: Datasets behind the fitted parameters (see calibration/problem.py).
CALIBRATION_DATA = ("janum2016", "degoeij2013", "grigoleit2010", "coyle2006")


@lru_cache(maxsize=1)
def bibliography() -> dict[str, str]:
    """Entries of ``references.bib`` by key."""
    text = resources.files(__package__).joinpath("references.bib").read_text(encoding="utf-8")
    entries = re.split(r"\n(?=@)", text)
    out = {}
    for entry in entries:
        m = re.match(r"@\w+\{([^,]+),", entry.strip())
        if m:
            out[m.group(1)] = entry.strip()
    return out


def keys_for(scenario: object | None = None) -> list[str]:
    """Source keys of a scenario's result: every parameter's source plus the calibration data.

    In this version every scenario uses every mechanism module, so the keys do not depend on the scenario.
    """
    params = default_parameters()
    keys = {params[name].source for name in params}
    if load_fit("endotoxemia") is not None:
        keys.update(CALIBRATION_DATA)
    return sorted(keys)


def citation(scenario: object | None = None) -> str:
    """BibTeX of everything a result of ``scenario`` rests on."""
    bib = bibliography()
    return "\n\n".join(bib[k] for k in keys_for(scenario)) + "\n"
