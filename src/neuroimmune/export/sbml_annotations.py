"""What the SBML document's parts stand for: MIRIAM identifiers, SBO terms, the model's history and citation.

* **Entities**: each state says what it stands for with ``bqbiol`` qualifiers and identifiers.org URIs (the
  cytokines by UniProt, endotoxin, prostaglandin E2 and the drugs by ChEBI, monocytes and microglia by the Cell
  Ontology, processes by GO, the virus by NCBI Taxonomy), and what *kind* of quantity it is
  (:data:`STATE_KINDS`): a concentration, a cell count, an amount, or not a molecular species at all (an index
  0 at baseline, a fraction of maximum, a behavioural state); the kind is in its notes and in the ``kind``
  attribute of its ``<neuroimmune:state>`` annotation. A state that is an index of a molecule's effect
  (``PGE2``, ``CNS_IL6``) is ``bqbiol:isVersionOf`` the molecule, never ``bqbiol:is``.
* **Processes**: the rate rules that are a biological process carry its GO term (fever generation on ``T``,
  sensory perception of pain on ``S_P``, monocyte activation on ``MP``, ...).
* **Model**: ``bqbiol:hasTaxon`` human, ``bqbiol:isVersionOf`` inflammatory response, ``bqmodel:isDerivedFrom``
  the two published endotoxemia models whose structure it follows (DOIs from ``references.bib``); a model
  history with the creators and the release date of :data:`REFERENCE`; the reference citation and licence in
  the notes and a ``<neuroimmune:citation>`` annotation (libSBML 5.21 writes the model's RDF from its history
  and qualifiers only, so a ``dcterms:license`` statement would not survive; the COMBINE archive's metadata
  carries the licence as RDF).
* **SBO terms** on the model (non-spatial continuous framework), every parameter (by role: kinetic constant,
  Hill coefficient, exponential time constant, concentration, amount or fraction of an entity pool, else
  quantitative systems description parameter), every rule and assignment (mathematical expression) and every
  event (state variable assignment).

Every identifier here was checked against its registry when it was written; the test suite checks each
against the registry's identifier pattern.
"""

from __future__ import annotations

import dataclasses
import re

import libsbml

from .. import __version__
from ._libsbml import ok
from .sbml_provenance import dois

#: The project's reference citation: the repository's ``CITATION.cff`` (the test suite keeps the two equal).
REFERENCE = {
    "title": "neuroimmune: a mechanistic simulator of the link between immunity and pain",
    "version": __version__,
    "date-released": "2026-11-24",
    "license": "MIT",
    "authors": ("The neuroimmune developers",),
    "message": "If you use neuroimmune, please cite it and the studies that `neuroimmune citation` prints for "
               "your scenario.",
}

IDENTIFIERS_ORG = "https://identifiers.org/"

_QUALIFIERS = {
    "bqbiol:is": (libsbml.BIOLOGICAL_QUALIFIER, libsbml.BQB_IS),
    "bqbiol:isVersionOf": (libsbml.BIOLOGICAL_QUALIFIER, libsbml.BQB_IS_VERSION_OF),
    "bqbiol:hasProperty": (libsbml.BIOLOGICAL_QUALIFIER, libsbml.BQB_HAS_PROPERTY),
    "bqbiol:hasTaxon": (libsbml.BIOLOGICAL_QUALIFIER, libsbml.BQB_HAS_TAXON),
    "bqmodel:isDerivedFrom": (libsbml.MODEL_QUALIFIER, libsbml.BQM_IS_DERIVED_FROM),
    "bqmodel:isDescribedBy": (libsbml.MODEL_QUALIFIER, libsbml.BQM_IS_DESCRIBED_BY),
}


@dataclasses.dataclass(frozen=True)
class Term:
    """One MIRIAM statement: ``qualifier`` (``bqbiol:is``, ...), ``resource`` (``uniprot:P01375``), its label."""

    qualifier: str
    resource: str
    label: str

    @property
    def uri(self) -> str:
        return IDENTIFIERS_ORG + self.resource


def _t(qualifier: str, resource: str, label: str) -> Term:
    return Term(qualifier, resource, label)


MONOCYTE = _t("bqbiol:isVersionOf", "CL:0000576", "monocyte")
MONOCYTE_ACTIVATION = _t("bqbiol:hasProperty", "GO:0042117", "monocyte activation")
PAIN = _t("bqbiol:hasProperty", "GO:0019233", "sensory perception of pain")
ADAPTIVE = _t("bqbiol:isVersionOf", "GO:0002250", "adaptive immune response")

#: What each state stands for.
STATE_TERMS: dict[str, tuple[Term, ...]] = {
    "E": (_t("bqbiol:is", "CHEBI:16412", "lipopolysaccharide"),),
    "IFN": (_t("bqbiol:isVersionOf", "GO:0060337", "type I interferon-mediated signaling pathway"),),
    "MR": (MONOCYTE,),
    "MP": (MONOCYTE, MONOCYTE_ACTIVATION),
    "MA": (MONOCYTE, MONOCYTE_ACTIVATION),
    "ML": (MONOCYTE, MONOCYTE_ACTIVATION),
    "TNF": (_t("bqbiol:is", "uniprot:P01375", "tumor necrosis factor (human)"),),
    "IL6": (_t("bqbiol:is", "uniprot:P05231", "interleukin-6 (human)"),),
    "IL8": (_t("bqbiol:is", "uniprot:P10145", "interleukin-8, CXCL8 (human)"),),
    "IL10": (_t("bqbiol:is", "uniprot:P22301", "interleukin-10 (human)"),),
    "HEP": (_t("bqbiol:isVersionOf", "uniprot:P05231", "interleukin-6 (human)"),
            _t("bqbiol:hasProperty", "GO:0006953", "acute-phase response")),
    "CRP": (_t("bqbiol:is", "uniprot:P02741", "C-reactive protein (human)"),),
    "AG": (ADAPTIVE,),
    "AD": (ADAPTIVE,),
    "AE": (ADAPTIVE,),
    "AB": (_t("bqbiol:isVersionOf", "GO:0002455", "humoral immune response mediated by circulating immunoglobulin"),),
    "PGE2": (_t("bqbiol:isVersionOf", "CHEBI:15551", "prostaglandin E2"),
             _t("bqbiol:hasProperty", "GO:0001516", "prostaglandin biosynthetic process")),
    "CNS_IL6": (_t("bqbiol:isVersionOf", "uniprot:P05231", "interleukin-6 (human)"),),
    "IBU_GUT": (_t("bqbiol:is", "CHEBI:5855", "ibuprofen"),),
    "IBU": (_t("bqbiol:is", "CHEBI:5855", "ibuprofen"),),
    "PARA_GUT": (_t("bqbiol:is", "CHEBI:46195", "paracetamol"),),
    "PARA": (_t("bqbiol:is", "CHEBI:46195", "paracetamol"),),
    "S_P": (PAIN,),
    "GLIA": (_t("bqbiol:isVersionOf", "CL:0000129", "microglial cell"),
             _t("bqbiol:hasProperty", "GO:0001774", "microglial cell activation")),
    "PRIME": (_t("bqbiol:isVersionOf", "CL:0000129", "microglial cell"),),
}

#: The virus a virus challenge's free-virus state stands for, by challenge kind.
VIRUS_TAXA = {
    "influenza": _t("bqbiol:hasTaxon", "taxonomy:11320", "Influenza A virus"),
    "sars_cov_2": _t("bqbiol:hasTaxon", "taxonomy:2697049", "severe acute respiratory syndrome coronavirus 2"),
}

#: Processes that rate rules (by their variable) and observables stand for.
RULE_TERMS: dict[str, tuple[Term, ...]] = {
    "T": (_t("bqbiol:isVersionOf", "GO:0001660", "fever generation"),),
    "MP": (_t("bqbiol:isVersionOf", "GO:0042117", "monocyte activation"),),
    "S_P": (_t("bqbiol:isVersionOf", "GO:0019233", "sensory perception of pain"),),
    "GLIA": (_t("bqbiol:isVersionOf", "GO:0001774", "microglial cell activation"),),
    "PGE2": (_t("bqbiol:isVersionOf", "GO:0001516", "prostaglandin biosynthetic process"),),
    "CRP": (_t("bqbiol:isVersionOf", "GO:0006953", "acute-phase response"),),
    "back_pain": (PAIN,),
}

#: The model as a whole.
MODEL_TERMS = (
    _t("bqbiol:hasTaxon", "taxonomy:9606", "Homo sapiens"),
    _t("bqbiol:isVersionOf", "GO:0006954", "inflammatory response"),
)

#: References whose model structure this model follows (keys of ``references.bib``).
DERIVED_FROM = ("dobreva2021", "windoloski2024")

#: What kind of quantity each state is, and a sentence for its notes. Kinds other than "concentration",
#: "cell count", "amount" and "fraction of cells" are not molecular species (or cell pools) at all.
STATE_KINDS: dict[str, tuple[str, str]] = {
    "E": ("amount per body weight", "a molecular amount: endotoxin in circulation per kg body weight, the scale "
                                    "of the dose"),
    "TC": ("fraction of cells", "a fraction of the initial target cells of the virus"),
    "I1": ("fraction of cells", "a fraction of the initial target cells of the virus"),
    "I2": ("fraction of cells", "a fraction of the initial target cells of the virus"),
    "V": ("concentration", "a concentration of virus particles (infectious units or RNA copies per mL)"),
    "IFN": ("index", "not a molecular species: an interferon signal index, 0 at baseline"),
    "B": ("concentration", "a concentration of bacteria (10^6 colony-forming units per mL of tissue)"),
    "DEPOT": ("index", "not a molecular species: vaccine antigen and adjuvant at the injection site, in full "
                       "doses"),
    "MR": ("cell count", "a cell count (monocytes)"),
    "MP": ("cell count", "a cell count (monocytes)"),
    "MA": ("cell count", "a cell count (monocytes)"),
    "ML": ("cell count", "a cell count (monocytes)"),
    "TNF": ("concentration", "a plasma concentration"),
    "IL6": ("concentration", "a plasma concentration"),
    "IL8": ("concentration", "a plasma concentration"),
    "IL10": ("concentration", "a plasma concentration"),
    "HEP": ("index", "not a molecular species: the IL-6 signal reaching hepatocytes, plasma IL-6 delayed by "
                     "transcription and secretion, in the units of plasma IL-6"),
    "CRP": ("concentration", "a plasma concentration"),
    "AG": ("fraction of maximum", "not a molecular species: a fraction of its maximum"),
    "AD": ("fraction of maximum", "not a molecular species: a fraction of its maximum"),
    "AE": ("fraction of maximum", "not a molecular species: adaptive effectors in the infected tissue, a fraction "
                                  "of their maximum"),
    "AB": ("fraction of maximum", "not a molecular species: antibody against the challenge's antigen, a fraction "
                                  "of its maximum"),
    "TD": ("fraction of maximum", "not a molecular species: tissue damage at the site of infection, a fraction of "
                                  "its maximum"),
    "TOL_IND": ("fraction of maximum", "not a molecular species: the tolerance-inducing programme of endotoxin "
                                       "(TLR4) signalling, a fraction of its maximum"),
    "TOL": ("fraction of maximum", "not a molecular species: endotoxin tolerance of the monocyte pool, a fraction "
                                   "of its maximum"),
    "PGE2": ("index", "not a molecular species: an index of the prostaglandin E2 signal, 0 at baseline"),
    "CNS_IL6": ("index", "not a molecular species: an index of the central interleukin-6 signal, 0 at baseline"),
    "IBU_GUT": ("amount", "a drug amount in the gut"),
    "IBU": ("concentration", "a plasma concentration"),
    "PARA_GUT": ("amount", "a drug amount in the gut"),
    "PARA": ("concentration", "a plasma concentration"),
    "SLEEP_DEBT": ("behavioural state", "not a molecular species: hours of sleep a night below the reference"),
    "FLUID": ("behavioural state", "not a molecular species: a fluid deficit in % of body mass"),
    "ADR": ("index", "not a molecular species: an adrenergic drive index, 0-1"),
    "DESC": ("index", "not a molecular species: a descending pain-inhibition index, 0-1"),
    "S_P": ("fraction of maximum", "not a molecular species: a fraction of maximal nociceptor sensitisation"),
    "GLIA": ("fraction of maximum", "not a molecular species: a fraction of maximal glial activation"),
    "PRIME": ("fraction of maximum", "not a molecular species: a fraction of maximal glial priming"),
    "T": ("temperature", "not a molecular species: a body temperature on the Celsius scale"),
    "HR": ("rate", "not a molecular species: a heart rate in beats per minute"),
}

#: Kinds of the ``HEAT_<region>`` states (one per region).
HEAT_KIND = ("index", "not a molecular species: relief from local heat, 0-1")

#: SBO terms: the model's framework, rules and assignments, events, and parameters by kind.
SBO_MODEL = 293  # non-spatial continuous framework
SBO_MATH = 64  # mathematical expression (rules, initial and event assignments)
SBO_EVENT = 464  # state variable assignment
SBO_PARAMETER = 2  # quantitative systems description parameter
SBO_KINETIC_CONSTANT = 9
SBO_HILL_COEFFICIENT = 190
SBO_TIME_CONSTANT = 348  # exponential time constant
SBO_BY_KIND = {"concentration": 196, "cell count": 361, "amount": 361, "fraction of cells": 540}


def state_kind(name: str) -> tuple[str, str]:
    """The kind of a state and its sentence (:data:`STATE_KINDS`); a state without an entry is an error here,
    so that a new state gets its kind decided."""
    if name.startswith("HEAT_"):
        return HEAT_KIND
    try:
        return STATE_KINDS[name]
    except KeyError:
        raise KeyError(f"state {name}: add its kind to neuroimmune.export.sbml_annotations.STATE_KINDS") from None


def parameter_sbo(name: str, unit: str) -> int:
    """SBO term of a base parameter from its name and unit (Hill exponents ``h_*``, time constants ``tau_*``,
    rate constants in 1/h)."""
    if name.startswith("h_"):
        return SBO_HILL_COEFFICIENT
    if name.startswith("tau_"):
        return SBO_TIME_CONSTANT
    if unit.replace(" ", "") == "1/h":
        return SBO_KINETIC_CONSTANT
    return SBO_PARAMETER


def add_terms(element: libsbml.SBase, terms: tuple[Term, ...] | list[Term], metaid: str) -> None:
    """Add MIRIAM statements to ``element`` (setting its metaid), grouped by qualifier."""
    if not terms:
        return
    if not element.isSetMetaId():
        ok(element.setMetaId(metaid), metaid)
    by_qualifier: dict[str, list[Term]] = {}
    for term in terms:
        by_qualifier.setdefault(term.qualifier, []).append(term)
    for qualifier, group in by_qualifier.items():
        kind, which = _QUALIFIERS[qualifier]
        cv = libsbml.CVTerm(kind)
        if kind == libsbml.BIOLOGICAL_QUALIFIER:
            ok(cv.setBiologicalQualifierType(which), qualifier)
        else:
            ok(cv.setModelQualifierType(which), qualifier)
        for term in group:
            ok(cv.addResource(term.uri), term.resource)
        ok(element.addCVTerm(cv), qualifier)


def set_sbo(element: libsbml.SBase, term: int) -> None:
    ok(element.setSBOTerm(term), f"SBO:{term:07d}")


def annotate_model(model: libsbml.Model) -> None:
    """The model's SBO term, MIRIAM statements, history and citation annotation (see the module docstring)."""
    set_sbo(model, SBO_MODEL)
    history = libsbml.ModelHistory()
    for author in REFERENCE["authors"]:
        ok(history.addCreator(_creator(author)), author)
    date = libsbml.Date(f"{REFERENCE['date-released']}T00:00:00Z")
    ok(history.setCreatedDate(date), "created date")
    ok(history.setModifiedDate(date), "modified date")
    terms = list(MODEL_TERMS)
    known = dois()
    terms += [_t("bqmodel:isDerivedFrom", f"doi:{known[key]}", key) for key in DERIVED_FROM if key in known]
    if not model.isSetMetaId():
        ok(model.setMetaId(f"meta_{model.getId()}"), model.getId())
    ok(model.setModelHistory(history), "model history")
    add_terms(model, terms, f"meta_{model.getId()}")


def citation_attributes() -> dict[str, str]:
    """The reference citation as annotation attributes."""
    return {"title": str(REFERENCE["title"]), "version": str(REFERENCE["version"]),
            "date_released": str(REFERENCE["date-released"]), "license": str(REFERENCE["license"]),
            "authors": "; ".join(REFERENCE["authors"]), "message": str(REFERENCE["message"])}


def citation_text() -> str:
    """The reference citation as one sentence for the model's notes."""
    authors = ", ".join(REFERENCE["authors"])
    return (f"Cite as: {authors}. {REFERENCE['title']}, version {REFERENCE['version']} "
            f"({REFERENCE['date-released']}); licence {REFERENCE['license']}. {REFERENCE['message']}")


def _creator(author: str) -> libsbml.ModelCreator:
    """A model creator for an author of the citation. An author that is an organisation ("The neuroimmune
    developers") is written as the organisation with the vCard name its words give, as SBML Level 3 Version 1
    requires a family and a given name: given "neuroimmune", family "developers"."""
    creator = libsbml.ModelCreator()
    words = re.sub(r"^The\s+", "", author).split()
    ok(creator.setFamilyName(words[-1]), author)
    ok(creator.setGivenName(" ".join(words[:-1]) or words[-1]), author)
    ok(creator.setOrganisation(author), author)
    return creator
