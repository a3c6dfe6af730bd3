"""Short readable references ("Nadler SF et al. (2002). Title. Spine.") for the sources the page shows.

The BibTeX file is the project's own (``model/references.bib``): every field is written ``name = {value}``
with at most one level of inner braces and no LaTeX escapes (checked by ``tests/test_web_api.py``), so four
fields are read with a regular expression here rather than adding a BibTeX parser as a dependency for them.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..model.citation import bibliography

_FIELD = re.compile(r"(\w+)\s*=\s*\{((?:[^{}]|\{[^{}]*\})*)\}")


def fields(entry: str) -> dict[str, str]:
    """The ``name = {value}`` fields of one BibTeX entry, inner braces removed."""
    return {name.lower(): value.replace("{", "").replace("}", "") for name, value in _FIELD.findall(entry)}


def _authors(text: str) -> str:
    names = [n.strip() for n in text.split(" and ") if n.strip()]
    if not names:
        return ""

    def short(name: str) -> str:
        if "," not in name:
            return name
        last, first = (part.strip() for part in name.split(",", 1))
        return last + " " + "".join(w[0] for w in re.split(r"[\s.\-]+", first) if w)

    if names[-1].lower() == "others" or len(names) > 2:
        return short(names[0]) + " et al."
    return " and ".join(short(n) for n in names)


@lru_cache(maxsize=1)
def references() -> dict[str, str]:
    """Every entry of the bibliography as one line: authors (year). Title. Journal or publisher. doi."""
    out = {}
    for key, entry in bibliography().items():
        f = fields(entry)
        parts = [f"{_authors(f.get('author', ''))} ({f.get('year', 'n.d.')}).".strip(), f.get("title", key) + "."]
        where = f.get("journal") or f.get("howpublished") or f.get("publisher") or f.get("note")
        if where:
            parts.append(where + ".")
        if f.get("doi"):
            parts.append(f"doi:{f['doi']}")
        out[key] = " ".join(parts)
    return out
