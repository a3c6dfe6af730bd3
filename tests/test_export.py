"""SBML export: the file loads in libRoadRunner and reproduces ``simulate``; provenance, ids and the CLI."""

import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace

import libsbml
import numpy as np
import pytest
import roadrunner
from typer.testing import CliRunner

import neuroimmune as ni
from neuroimmune.cli import app
from neuroimmune.engine.simulate import resolve_parameters
from neuroimmune.errors import UnknownNameError
from neuroimmune.export.sbml import NAMESPACE, to_sbml
from neuroimmune.model import assembly
from neuroimmune.model.mechanisms.pain import REGIONS
from neuroimmune.model.parameters import default_parameters
from neuroimmune.model.symbolic import symbolic_model
from neuroimmune.scenarios import Scenario, default_scenario

ROOT = Path(__file__).resolve().parents[1]
SBML = "{http://www.sbml.org/sbml/level3/version1/core}"
XHTML = "{http://www.w3.org/1999/xhtml}"

SCENARIOS = {
    "bolus 2 ng/kg at 0 h": lambda: default_scenario(),
    "infusion 0.5 ng/kg/h for 4 h": lambda: Scenario.from_yaml(ROOT / "examples/endotoxin_infusion_4h.yaml"),
    "bolus 2 ng/kg at 1.5 h": lambda: Scenario.from_dict(
        {"challenge": {"kind": "endotoxin", "dose": "2 ng/kg", "time": "1.5 h"}, "duration": "24 h"}),
    "female, 40 years, 60 kg": lambda: Scenario.from_dict(
        {"host": {"sex": "female", "age": "40 years", "weight": "60 kg"},
         "challenge": {"kind": "endotoxin", "dose": "2 ng/kg"}, "duration": "24 h"}),
    "influenza with antiviral, ibuprofen and heat": lambda: Scenario.from_dict(
        {"challenge": {"kind": "influenza"}, "duration": "5 days", "output_step": "1 h",
         "interventions": [{"kind": "antiviral", "start": "30 h"}, {"kind": "ibuprofen", "start": "36 h"},
                           {"kind": "heat", "region": "lower_back", "start": "36 h", "hours_per_day": "8 h"}]}),
    "second vaccine dose, short sleeper": lambda: Scenario.from_dict(
        {"challenge": {"kind": "vaccine", "dose_number": 2}, "host": {"sleep": "5 h"}, "duration": "3 days",
         "output_step": "0.5 h"}),
}

#: Observables that stay at 0 unless the scenario has that kind of pathogen.
PATHOGEN_LOADS = {"viral_load", "bacterial_load"}


def flat_names():
    """Observable ids in the SBML file: scalar observables, and ppt_change once per region."""
    names = [o.name for o in assembly.OBSERVABLES if not o.dims]
    return names + [f"ppt_change_{r}" for r in REGIONS]


def reference_values(ds, name):
    if name.startswith("ppt_change_"):
        return ds["ppt_change"].sel(region=name.removeprefix("ppt_change_")).values
    return ds[name].values


def roadrunner_for(text):
    rr = roadrunner.RoadRunner(text)
    rr.integrator.relative_tolerance = 1e-10
    rr.integrator.absolute_tolerance = 1e-12
    rr.integrator.maximum_num_steps = 100_000
    return rr


@pytest.fixture(scope="module")
def default_sbml():
    return to_sbml(default_scenario())


@pytest.mark.parametrize("label", list(SCENARIOS))
def test_roadrunner_reproduces_simulate(label):
    scenario = SCENARIOS[label]()
    ds = ni.simulate(scenario, solver="reference")
    rr = roadrunner_for(to_sbml(scenario))
    names = flat_names()
    result = rr.simulate(times=ds["time"].values, selections=["time", *names])
    np.testing.assert_allclose(result[:, 0], ds["time"].values, rtol=0, atol=1e-12)
    worst = {}
    for j, name in enumerate(names, start=1):
        ref, got = reference_values(ds, name), result[:, j]
        if name in PATHOGEN_LOADS and np.ptp(ref) == 0:
            continue
        assert np.ptp(ref) > 0, name  # every other observable responds, so the comparison is not trivial
        # Relative error with a floor of 1e-6 of the observable's largest magnitude: ppt_change, back_pain and
        # fatigue start at exactly 0 and pass through values many decades below their range, where the two
        # solvers' absolute tolerances (1e-12 to 1e-13 on the states), not the export, set the difference.
        floor = 1e-6 * np.max(np.abs(ref))
        worst[name] = float(np.max(np.abs(got - ref) / np.maximum(np.abs(ref), floor)))
    assert max(worst.values()) < 1e-4, worst


def test_bolus_at_time_zero_fires_at_the_start(default_sbml):
    rr = roadrunner_for(default_sbml)
    p = resolve_parameters(default_scenario(), None)
    result = rr.simulate(0.0, 0.1, 3, selections=["time", "E"])
    # the t = 0 event (initialValue="false") has added the dose before the first output
    assert result[0, 1] == pytest.approx(2.0 * p.lps_exposure, rel=1e-12)
    assert result[1, 1] == pytest.approx(2.0 * p.lps_exposure * np.exp(-p.k_E * 0.05), rel=1e-8)


def test_infusion_switches_the_input_on_and_off():
    scenario = SCENARIOS["infusion 0.5 ng/kg/h for 4 h"]()
    rr = roadrunner_for(to_sbml(scenario))
    result = rr.simulate(times=[0.0, 1.0, 3.99, 4.01, 10.0], selections=["time", "lps_rate"])
    assert list(result[:, 1]) == [0.5, 0.5, 0.5, 0.0, 0.0]


def test_bolus_later_waits_for_its_time():
    rr = roadrunner_for(to_sbml(SCENARIOS["bolus 2 ng/kg at 1.5 h"]()))
    result = rr.simulate(times=[0.0, 1.0, 1.49, 1.51], selections=["time", "E"])
    assert list(result[:3, 1]) == [0.0, 0.0, 0.0]
    assert result[3, 1] == pytest.approx(2.0 * np.exp(-default_parameters()["k_E"].value * 0.01), rel=1e-6)


def test_document_passes_libsbml_consistency_checks(default_sbml):
    doc = libsbml.readSBMLFromString(default_sbml)
    assert doc.getLevel() == 3 and doc.getNumErrors() == 0
    doc.checkConsistency()
    errors = [doc.getError(i).getMessage() for i in range(doc.getNumErrors())
              if doc.getError(i).getSeverity() >= libsbml.LIBSBML_SEV_ERROR]
    assert errors == []


def test_ids_states_rules_and_events(default_sbml):
    doc = libsbml.readSBMLFromString(default_sbml)  # keep the document alive while its parts are used
    model = doc.getModel()
    for name in flat_names():
        rule = model.getAssignmentRuleByVariable(name)
        assert model.getParameter(name) is not None and rule is not None, name
    for name in assembly.STATE_NAMES:
        assert model.getRateRuleByVariable(name) is not None, name
    assert model.getNumEvents() == 1
    trigger = model.getEvent(0).getTrigger()
    assert not trigger.getInitialValue() and trigger.getPersistent()
    assert libsbml.formulaToL3String(trigger.getMath()) == "time >= 0"
    assert model.getTimeUnits() == "h"
    hour = model.getUnitDefinition("h").getUnit(0)
    assert (hour.getKind(), hour.getMultiplier(), hour.getExponent()) == (libsbml.UNIT_KIND_SECOND, 3600.0, 1.0)


def test_every_parameter_carries_its_provenance(default_sbml):
    records = default_parameters()
    p = resolve_parameters(default_scenario(), None)
    root = ET.fromstring(default_sbml)
    for e in root.iter(f"{SBML}parameter"):  # every SBML parameter says what it is
        roles = [child.tag.split("}")[1] for child in e.findall(f"{SBML}annotation/*")
                 if child.tag.startswith(f"{{{NAMESPACE}}}")]
        assert len(roles) == 1 and roles[0] in ("parameter", "state", "input", "observable"), e.get("id")
    neck = root.find(f".//{SBML}parameter[@id='ppt_change_neck']/{SBML}annotation/{{{NAMESPACE}}}observable")
    assert (neck.get("observable"), neck.get("coordinate"), neck.get("unit")) == ("ppt_change", "neck", "percent")
    constants = [e for e in root.iter(f"{SBML}parameter") if e.get("constant") == "true"]
    assert {e.get("id") for e in constants} == set(vars(p))
    for e in constants:
        name = e.get("id")
        assert float(e.get("value")) == getattr(p, name), name
        note = e.find(f"{SBML}annotation/{{{NAMESPACE}}}parameter")
        assert note is not None, f"{name} has no provenance annotation"
        assert e.find(f"{SBML}notes/{XHTML}body/{XHTML}p").text.strip(), name
        if name in records:
            rec = records[name]
            assert (note.get("source"), note.get("evidence"), note.get("rationale")) == (
                rec.source, rec.evidence, rec.rationale), name
        else:  # derived from the host
            assert note.get("evidence") == "derived" and "host.effective" in note.get("derivation"), name


def test_units_where_sbml_can_express_them(default_sbml):
    doc = libsbml.readSBMLFromString(default_sbml)  # keep the document alive while its parts are used
    model = doc.getModel()
    records = default_parameters()
    for name in ("k_E", "tnf_0", "M_max"):
        assert model.getParameter(name).getUnits(), name
    pg_per_ml = model.getUnitDefinition(model.getParameter("tnf_0").getUnits())
    units = [pg_per_ml.getUnit(i) for i in range(pg_per_ml.getNumUnits())]
    factors = {u.getKind(): (u.getMultiplier(), u.getExponent()) for u in units}
    assert factors == {libsbml.UNIT_KIND_GRAM: (1e-12, 1.0), libsbml.UNIT_KIND_LITRE: (1e-3, -1.0)}
    celsius = [n for n in records if records[n].unit == "degC"]
    assert celsius
    for name in celsius:  # an offset unit: no SBML unit, and the notes say why
        par = model.getParameter(name)
        assert not par.isSetUnits() and "offset unit" in par.getNotesString(), name


def test_user_parameters_are_exported_and_noted():
    text = to_sbml(default_scenario(), parameters={"k_E": 1.5})
    doc = libsbml.readSBMLFromString(text)
    par = doc.getModel().getParameter("k_E")
    assert par.getValue() == 1.5 and "set by the user" in par.getNotesString()


def test_symbolic_rhs_matches_the_simulator():
    m = symbolic_model()
    p = resolve_parameters(default_scenario(), None)
    rng = np.random.default_rng(0)
    y = assembly.initial_state(p) * (1.0 + rng.uniform(0.1, 1.0, len(assembly.STATE_NAMES))) + 0.3
    u = [0.7] * len(m.inputs)
    got = m.lambdify()(y, u, [getattr(p, n) for n in m.parameters])
    want = assembly.make_rhs(p)(0.0, y, SimpleNamespace(**dict(zip(m.inputs, u, strict=True))))
    np.testing.assert_allclose(got, want, rtol=1e-13)
    obs = m.lambdify(observables=True)(y, u, [getattr(p, n) for n in m.parameters])
    values = assembly.observables(np.asarray(y)[:, None], p)
    np.testing.assert_allclose(obs[list(m.observables).index("ppt_change_neck")],
                               values["ppt_change"][list(REGIONS).index("neck")][0], rtol=1e-13)
    np.testing.assert_allclose(obs[list(m.observables).index("back_pain")], values["back_pain"][0], rtol=1e-13)


def test_unknown_format_is_an_error_listing_the_choices(tmp_path):
    with pytest.raises(UnknownNameError, match=r"format: must be one of sbml \(got 'petab'\)"):
        ni.export(None, "petab", tmp_path / "m.xml")
    assert not (tmp_path / "m.xml").exists()


runner = CliRunner()


def test_cli_writes_the_file_and_exits_0(tmp_path):
    out = tmp_path / "models" / "model.xml"
    res = runner.invoke(app, ["export", "sbml", str(ROOT / "examples/endotoxin_2ngkg.yaml"), "--out", str(out)])
    assert res.exit_code == 0, res.output
    doc = libsbml.readSBMLFromString(out.read_text())
    assert doc.getNumErrors() == 0 and doc.getModel().getParameter("tnf") is not None
    assert [p.name for p in tmp_path.joinpath("models").iterdir()] == ["model.xml"]  # no temporary file left
    res = runner.invoke(app, ["export", "sbml", "--out", str(tmp_path / "default.xml")])  # the packaged default
    assert res.exit_code == 0 and "endotoxin 2 ng/kg bolus (default)" in (tmp_path / "default.xml").read_text()


def test_cli_unwritable_out_exits_2(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    res = runner.invoke(app, ["export", "sbml", "--out", str(blocker / "m.xml")])
    assert res.exit_code == 2 and "--out: must be in a folder, but" in " ".join(res.output.split())
    assert "is a file" in " ".join(res.output.split())


@pytest.mark.parametrize("args", [["sbml", "BAD"], ["petab"]])
def test_cli_bad_input_exits_2_and_writes_nothing(tmp_path, args):
    bad = tmp_path / "bad.yaml"
    bad.write_text("challenge: {kind: endotoxin, dose: 2 kg/ng}\n")
    args = [str(bad) if a == "BAD" else a for a in args]
    res = runner.invoke(app, ["export", *args, "--out", str(tmp_path / "m.xml")])
    assert res.exit_code == 2
    assert "error" in res.output and ("challenge.dose" in res.output or "format" in res.output)
    assert not (tmp_path / "m.xml").exists()


def test_module_code_that_is_not_arithmetic_is_named(monkeypatch):
    from neuroimmune.model.mechanisms import sickness

    original = sickness.rates
    monkeypatch.setattr(sickness, "rates", lambda s, p, u: {**original(s, p, u), "T": np.exp(s.T)})
    symbolic_model.cache_clear()
    try:
        with pytest.raises(TypeError, match=r"arithmetic only .*model\.mechanisms\.sickness\.rates raised"):
            symbolic_model()
    finally:
        monkeypatch.undo()
        symbolic_model.cache_clear()
