"""SBML annotations: identifiers in the registries' patterns, SBO terms everywhere, entities, history, citation."""

import functools
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import libsbml
import pytest
import yaml

from neuroimmune.export.sbml import NAMESPACE, to_sbml
from neuroimmune.export.sbml_annotations import REFERENCE, STATE_KINDS
from neuroimmune.model import assembly
from neuroimmune.scenarios import Scenario

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
SBML = "{http://www.sbml.org/sbml/level3/version1/core}"

#: Identifier patterns of the registries used (identifiers.org / MIRIAM registry patterns), by prefix.
PATTERNS = {
    "uniprot": r"^([OPQ][0-9][A-Z0-9]{3}[0-9]|[A-NR-Z][0-9]([A-Z][A-Z0-9]{2}[0-9]){1,2})$",
    "CHEBI": r"^CHEBI:\d+$",
    "CL": r"^CL:\d{7}$",
    "GO": r"^GO:\d{7}$",
    "taxonomy": r"^\d+$",
    "doi": r"^10\.\d{2,9}/.+$",
}
SBO_PATTERN = r"^SBO:\d{7}$"


@functools.cache
def text(path):
    return to_sbml(Scenario.from_yaml(path))


def resources(root):
    """Every MIRIAM resource in a document, as (element id or metaid, qualifier, URI)."""
    out = []
    for element in root.iter():
        for description in element.findall(f"{SBML}annotation/{RDF}RDF/{RDF}Description"):
            for qualifier in description:
                for li in qualifier.iter(f"{RDF}li"):
                    uri = li.get(f"{RDF}resource")
                    if uri is not None:
                        out.append((element.get("id") or element.get("variable") or element.get("metaid"),
                                    qualifier.tag.split("}")[1], uri))
    return out


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_identifier_matches_its_registry_pattern(path):
    found = resources(ET.fromstring(text(path)))
    assert len(found) > 20
    for where, _, uri in found:
        assert uri.startswith("https://identifiers.org/"), (where, uri)
        curie = uri.removeprefix("https://identifiers.org/")
        prefix, _, local = curie.partition(":")
        assert prefix in PATTERNS, (where, uri)
        # ChEBI, CL and GO keep their prefix in the identifier (CHEBI:16412); the others do not (uniprot:P01375)
        identifier = curie if prefix in ("CHEBI", "CL", "GO") else local
        assert re.match(PATTERNS[prefix], identifier), (where, uri)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_sbo_terms_on_the_model_parameters_rules_and_events(path):
    model = libsbml.readSBMLFromString(text(path)).getModel()
    elements = [model, *model.getListOfParameters(), *model.getListOfRules(), *model.getListOfInitialAssignments()]
    for event in model.getListOfEvents():
        elements += [event, *event.getListOfEventAssignments()]
    for element in elements:
        assert re.match(SBO_PATTERN, element.getSBOTermID()), element.getId() or element.getVariable()
    assert model.getSBOTermID() == "SBO:0000293"  # non-spatial continuous framework
    assert model.getParameter("h_MTNF").getSBOTermID() == "SBO:0000190"  # Hill coefficient
    assert model.getParameter("k_E").getSBOTermID() == "SBO:0000009"  # kinetic constant
    assert model.getParameter("TNF").getSBOTermID() == "SBO:0000196"  # concentration of an entity pool


def terms_of(root, element_id):
    return {(q, uri.removeprefix("https://identifiers.org/"))
            for where, q, uri in resources(root) if where == element_id}


def test_entities_processes_and_taxon():
    root = ET.fromstring(text(ROOT / "examples" / "influenza.yaml"))
    for state, uniprot in (("TNF", "P01375"), ("IL6", "P05231"), ("IL8", "P10145"), ("IL10", "P22301")):
        assert ("is", f"uniprot:{uniprot}") in terms_of(root, state), state
    assert ("is", "CHEBI:16412") in terms_of(root, "E")  # lipopolysaccharide
    assert ("isVersionOf", "CHEBI:15551") in terms_of(root, "PGE2")  # an index of PGE2, not PGE2 itself
    assert ("isVersionOf", "CL:0000576") in terms_of(root, "MA")  # monocyte
    assert ("hasTaxon", "taxonomy:11320") in terms_of(root, "V")  # influenza A virus
    assert ("isVersionOf", "GO:0001660") in terms_of(root, "T")  # the rate rule of T: fever generation
    assert ("isVersionOf", "GO:0019233") in terms_of(root, "S_P")  # sensory perception of pain
    model = terms_of(root, "neuroimmune")
    assert {("hasTaxon", "taxonomy:9606"), ("isVersionOf", "GO:0006954")} <= model
    assert ("isDerivedFrom", "doi:10.1113/JP280883") in model  # Dobreva 2021


def test_states_say_what_kind_of_quantity_they_are():
    root = ET.fromstring(text(ROOT / "examples" / "influenza_selfcare.yaml"))
    molecular = {"concentration", "cell count", "amount", "fraction of cells", "amount per body weight"}
    kinds = {}
    for e in root.iter(f"{SBML}parameter"):
        note = e.find(f"{SBML}annotation/{{{NAMESPACE}}}state")
        if note is None:
            continue
        kinds[e.get("id")] = note.get("kind")
        notes = "".join(e.find(f"{SBML}notes").itertext())
        if note.get("kind") not in molecular:
            assert "not a molecular species" in notes, e.get("id")
    assert set(kinds) == set(assembly.STATE_NAMES)
    assert (kinds["PGE2"], kinds["GLIA"], kinds["TNF"], kinds["MA"]) == (
        "index", "fraction of maximum", "concentration", "cell count")
    assert set(STATE_KINDS) | {n for n in assembly.STATE_NAMES if n.startswith("HEAT_")} == set(assembly.STATE_NAMES)


def test_model_history_and_citation_follow_citation_cff():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert (REFERENCE["title"], REFERENCE["version"], REFERENCE["license"], REFERENCE["message"]) == (
        cff["title"], cff["version"], cff["license"], cff["message"])
    assert REFERENCE["date-released"] == str(cff["date-released"])
    assert list(REFERENCE["authors"]) == [a.get("name") or f"{a['given-names']} {a['family-names']}"
                                          for a in cff["authors"]]
    doc = libsbml.readSBMLFromString(text(EXAMPLES[0]))
    model = doc.getModel()
    history = model.getModelHistory()
    assert model.getMetaId() == "meta_neuroimmune" and history.getNumCreators() == 1
    assert history.getCreator(0).getOrganisation() == "The neuroimmune developers"
    assert history.getCreatedDate().getDateAsString().startswith(str(cff["date-released"]))
    assert history.getModifiedDate(0).getDateAsString().startswith(str(cff["date-released"]))
    citation = ET.fromstring(libsbml.writeSBMLToString(doc)).find(
        f"{SBML}model/{SBML}annotation/{{{NAMESPACE}}}citation")
    assert (citation.get("license"), citation.get("version")) == ("MIT", cff["version"])
    assert "licence MIT" in model.getNotesString()
