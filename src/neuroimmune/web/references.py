"""Short readable references ("Nadler SF et al. (2002). Title. Spine. doi:...") for the sources the page shows,
from the project's BibTeX (``model/references.bib``), read by pybtex with LaTeX accents decoded by latexcodec."""

from __future__ import annotations

import codecs
from functools import lru_cache

import latexcodec  # noqa: F401  (registers the "ulatex" codec)
from pybtex.database import Person, parse_string

from ..model.citation import bibliography


def plain(text: str) -> str:
    """LaTeX accents decoded to Unicode and grouping braces dropped: ``M{\\o}ller`` -> ``Møller``."""
    # latexcodec decodes text to text; the standard library's stubs only know codecs from bytes
    decoded: str = codecs.decode(text, "ulatex")  # type: ignore[call-overload]
    return decoded.replace("{", "").replace("}", "")


def _short(person: Person) -> str:
    initials = "".join(plain(n)[0] for n in person.first_names + person.middle_names if plain(n))
    return " ".join(plain(n) for n in person.prelast_names + person.last_names) + (f" {initials}" if initials else "")


def _authors(people: list[Person]) -> str:
    if not people:
        return ""
    if len(people) > 2 or str(people[-1]) == "others":
        return _short(people[0]) + " et al."
    return " and ".join(_short(p) for p in people)


@lru_cache(maxsize=1)
def references() -> dict[str, str]:
    """Every entry of the bibliography as one line: authors (year). Title. Journal or publisher. doi."""
    db = parse_string("\n\n".join(bibliography().values()), "bibtex")
    out = {}
    for key, entry in db.entries.items():
        f = {name.lower(): plain(value) for name, value in entry.fields.items()}
        who = _authors(entry.persons.get("author", []))
        parts = [f"{who} ({f.get('year', 'n.d.')}).".strip(), f.get("title", key) + "."]
        where = f.get("journal") or f.get("howpublished") or f.get("publisher") or f.get("note")
        if where:
            parts.append(where + ".")
        if f.get("doi"):
            parts.append(f"doi:{f['doi']}")
        out[key] = " ".join(parts)
    return out
