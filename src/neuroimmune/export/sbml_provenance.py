"""Provenance in the SBML document: XHTML notes for people, a namespaced annotation and MIRIAM links for programs.

Every parameter gets an annotation in the namespace :data:`NAMESPACE`::

    <neuroimmune:parameter xmlns:neuroimmune="urn:neuroimmune:sbml:provenance:1"
        source="janum2016" evidence="human_data_fit" rationale="..." unit="1/h" lower="0.02" upper="1.0"
        fitted="true" module="innate"/>

States, inputs and observables carry ``<neuroimmune:state>``, ``<neuroimmune:input>`` and
``<neuroimmune:observable>`` with ``unit`` and ``long_name`` (and ``observable``, ``coordinate`` for one
coordinate of an observable over a dimension); condition inputs ``<neuroimmune:condition>`` with ``unit``,
``field`` (``host``, ``challenge``, ``interventions``) and ``description``; host-derived values
``<neuroimmune:derived>`` with ``unit``, ``derivation`` and ``depends_on`` (the names its initial assignment
reads). So a program can tell the roles of the SBML parameters apart.

``source`` is a key of the package's ``references.bib``, ``evidence`` one of
:data:`neuroimmune.model.parameters.EVIDENCE_KINDS`. Sources with a DOI also get a MIRIAM
``bqmodel:isDescribedBy`` link to ``https://identifiers.org/doi:...``.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from pathlib import Path

import libsbml

from ..model.parameters import Parameter, ParameterSet
from ..scenarios import Scenario
from ._libsbml import ok

#: XML namespace of the provenance annotation on parameters.
NAMESPACE = "urn:neuroimmune:sbml:provenance:1"
PREFIX = "neuroimmune"


def annotate_record(element: libsbml.SBase, rec: Parameter) -> None:
    """The annotation (and MIRIAM link, where the source has a DOI) of a parameter with a record."""
    annotate(element, {"source": rec.source, "evidence": rec.evidence, "rationale": rec.rationale,
                       "unit": rec.unit, "lower": repr(rec.lower), "upper": repr(rec.upper),
                       "fitted": str(rec.free).lower(), "module": rec.module})
    doi = dois().get(rec.source)
    if doi:
        ok(element.setMetaId(f"meta_{element.getId()}"), element.getId())
        cv = libsbml.CVTerm(libsbml.MODEL_QUALIFIER)
        ok(cv.setModelQualifierType(libsbml.BQM_IS_DESCRIBED_BY), rec.source)
        ok(cv.addResource(f"https://identifiers.org/doi:{doi}"), rec.source)
        ok(element.addCVTerm(cv), rec.source)


def annotate(element: libsbml.SBase, attrs: dict[str, str], role: str = "parameter") -> None:
    """Set the ``<neuroimmune:ROLE>`` annotation (``parameter``, ``state``, ``input``, ``observable``,
    ``condition``, ``derived``)."""
    text = " ".join(f'{k}="{html.escape(str(v), quote=True)}"' for k, v in attrs.items())
    ok(element.setAnnotation(f'<{PREFIX}:{role} xmlns:{PREFIX}="{NAMESPACE}" {text}/>'), element.getId())


def set_notes(element: libsbml.SBase, lines: list[str]) -> None:
    """XHTML notes, one paragraph per line."""
    body = "".join(f"<p>{html.escape(line, quote=False)}</p>" for line in lines)
    ok(element.setNotes(f'<body xmlns="http://www.w3.org/1999/xhtml">{body}</body>'), element.getId())


def host_text(scenario: Scenario) -> str:
    """The host as a short phrase, e.g. ``sex male, age 25, weight 75``."""
    return ", ".join(f"{k} {v:g}" if isinstance(v, float) else f"{k} {v}"
                     for k, v in scenario.host.model_dump().items())


@lru_cache(maxsize=1)
def dois() -> dict[str, str]:
    """DOIs of the bibliography entries that have one, by key."""
    from ..model.citation import bibliography

    out = {}
    for key, entry in bibliography().items():
        match = re.search(r"doi\s*=\s*\{([^}]+)\}", entry)
        if match:
            out[key] = match.group(1).strip()
    return out


def fit_name(records: ParameterSet) -> str:
    """Where the fitted values came from, relative to the package (no local paths in the file)."""
    fitted = getattr(records, "fitted_from", None)
    if not fitted:
        return "base parameters (uncalibrated)"
    parts = Path(fitted).parts
    return "calibrated, " + "/".join(parts[parts.index("neuroimmune"):] if "neuroimmune" in parts else parts[-1:])
