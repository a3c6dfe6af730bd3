"""Citations generated from provenance: the BibTeX of what a result rests on."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from .fits import load_fit
from .parameters import default_parameters


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


def fit_studies() -> list[str]:
    """Ids of the studies the committed fit was made from."""
    fit = load_fit("endotoxemia")
    return [str(k) for k in (fit.provenance.get("studies") or [])] if fit is not None else []


def keys_for(parameters: set[str] | None = None, extra: set[str] | None = None) -> list[str]:
    """Source keys of a result that rests on ``parameters`` (every parameter when None): their sources, the
    studies of the committed fit when any of them is fitted, and ``extra`` keys."""
    params = default_parameters()
    names = set(params) if parameters is None else parameters
    keys = {params[name].source for name in names} | set(extra or ())
    fit = load_fit("endotoxemia")
    if fit is not None and names & set(fit.values):
        keys.update(fit_studies())
    return sorted(k for k in keys if k)


def bibtex(keys: list[str]) -> str:
    """The BibTeX entries of ``keys``."""
    bib = bibliography()
    return "\n\n".join(bib[k] for k in keys if k in bib) + "\n"
