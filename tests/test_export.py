"""SBML export: the file loads in libRoadRunner and reproduces ``simulate``; provenance, ids and the CLI."""

import functools
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
from neuroimmune.export.sbml import NAMESPACE, SbmlValidationError, to_document, to_level2, to_sbml
from neuroimmune.model import assembly
from neuroimmune.model.mechanisms.pain import REGIONS
from neuroimmune.model.parameters import default_parameters
from neuroimmune.model.symbolic import symbolic_model
from neuroimmune.scenarios import Scenario, default_scenario

ROOT = Path(__file__).resolve().parents[1]
SBML = "{http://www.sbml.org/sbml/level3/version1/core}"
XHTML = "{http://www.w3.org/1999/xhtml}"

def bolus_scenario(dose, **extra):
    return Scenario.from_dict({"challenge": {"kind": "endotoxin", "dose": f"{dose} ng/kg"}, "duration": "24 h",
                               **extra})


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

#: The example scenarios shipped with the project.
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))

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


def worst_relative_errors(scenario, text, *, rtol=1e-10, all_respond=True):
    """libRoadRunner on ``text`` against the reference solve of ``scenario``: worst relative error per observable.

    With ``all_respond``, every observable but the pathogen loads must move, so the comparison is not trivial.
    """
    ds = ni.simulate(scenario, solver="reference")
    rr = roadrunner_for(text)
    rr.integrator.relative_tolerance = rtol
    names = flat_names()
    result = rr.simulate(times=ds["time"].values, selections=["time", *names])
    np.testing.assert_allclose(result[:, 0], ds["time"].values, rtol=0, atol=1e-12)
    worst = {}
    for j, name in enumerate(names, start=1):
        ref, got = reference_values(ds, name), result[:, j]
        if name in PATHOGEN_LOADS and np.ptp(ref) == 0:
            continue
        assert np.ptp(ref) > 0 or not all_respond, name
        # Relative error with a floor of 1e-6 of the observable's largest magnitude: ppt_change, back_pain and
        # fatigue start at exactly 0 and pass through values many decades below their range, where the two
        # solvers' absolute tolerances (1e-12 to 1e-13 on the states), not the export, set the difference; and
        # at least 1e-12 (a vaccinated host's back ache peaks at 1e-124).
        floor = max(1e-6 * np.max(np.abs(ref)), 1e-12)
        if name in PATHOGEN_LOADS:
            # A load is log10(1 + count per mL): its error in log10 units is the relative error of the count
            # (times ln 10) wherever the count is above 1 per mL, and near 0 (a count cleared to 1e-5 per mL)
            # the load's own relative error only measures the solvers' absolute tolerance on the count (about
            # 4e-8 log10 units, 1.8e-3 of a load of 2e-5, when the antibiotic clears the bacteria)
            floor = 1.0
        worst[name] = float(np.max(np.abs(got - ref) / np.maximum(np.abs(ref), floor)))
    return worst


@pytest.mark.parametrize("label", list(SCENARIOS))
def test_roadrunner_reproduces_simulate(label):
    scenario = SCENARIOS[label]()
    worst = worst_relative_errors(scenario, to_sbml(scenario))
    assert max(worst.values()) < 1e-4, worst


def cvode_steps(text, duration, rtol):
    """Internal CVODE steps libRoadRunner takes over [0, duration] (one output row per step)."""
    rr = roadrunner.RoadRunner(text)
    rr.integrator.relative_tolerance = rtol
    rr.integrator.absolute_tolerance = 1e-12
    rr.integrator.variable_step_size = True
    rr.integrator.maximum_num_steps = 10**6
    rr.integrator.max_output_rows = 10**7
    result = rr.simulate(0, duration, selections=["time"])
    assert result[-1, 0] == pytest.approx(duration)
    return result.shape[0] - 1


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_runs_in_roadrunner_in_bounded_steps_and_agrees(path):
    """Each example file takes at most 2,000 CVODE steps per simulated day at rtol 1e-8 and matches ``simulate``.

    Measured with libRoadRunner 2.10: at most 1,000 steps per day (956 for the endotoxin bolus's one day) and
    10,653 steps for the 14 days of influenza with self-care. Before the positive part was smoothed
    (:mod:`neuroimmune.model.functions`) that example took 218,273 steps, most of them on its last quiet days,
    as the solver's error in TNF around its baseline was rectified into PGE2 at every step.
    """
    scenario = Scenario.from_yaml(path)
    text = to_sbml(scenario)
    days = scenario.duration / 24.0
    steps = cvode_steps(text, scenario.duration, 1e-8)
    assert steps <= 2000 * max(days, 1.0), f"{steps} steps for {days:g} days"
    worst = worst_relative_errors(scenario, text, all_respond=False)  # the vaccinated host's IL-8 stays put
    assert max(worst.values()) < 1e-4, worst


def test_dose_at_time_zero_is_the_initial_value(default_sbml):
    rr = roadrunner_for(default_sbml)
    p = resolve_parameters(default_scenario(), None)
    result = rr.simulate(0.0, 0.1, 3, selections=["time", "E"])
    assert result[0, 1] == pytest.approx(2.0 * p.lps_exposure, rel=1e-12)
    assert result[1, 1] == pytest.approx(2.0 * p.lps_exposure * np.exp(-p.k_E * 0.05), rel=1e-8)
    model = libsbml.readSBMLFromString(default_sbml).getModel()
    assert model.getNumEvents() == 0  # no event at the start, so the file converts to Level 2
    assert libsbml.formulaToL3String(model.getInitialAssignmentBySymbol("E").getMath()) == "dose * lps_exposure"


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


def consistency_issues(doc):
    """Every issue of libSBML's consistency checks, in every category, warnings included."""
    doc.checkConsistency()
    return [f"[{doc.getError(i).getCategoryAsString()} {doc.getError(i).getErrorId()}] "
            f"{doc.getError(i).getMessage().strip()[:300]}" for i in range(doc.getNumErrors())]


CHECKED = {**{p.stem: (lambda p=p: Scenario.from_yaml(p)) for p in EXAMPLES}, **SCENARIOS}


@functools.cache
def checked_text(label):
    """The SBML text of a scenario of :data:`CHECKED`, exported once per test session."""
    return to_sbml(CHECKED[label]())


@pytest.mark.parametrize("label", list(CHECKED))
def test_document_and_its_level2_conversion_pass_every_consistency_check(label):
    """No error and no warning in any category (units included) in Level 3; after conversion to L2V4, only the
    unit checks' warning that expressions with numbers cannot be checked (Level 2 has no units on numbers)."""
    doc = libsbml.readSBMLFromString(checked_text(label))
    assert doc.getLevel() == 3 and consistency_issues(doc) == []
    level2 = to_level2(doc)
    assert (level2.getLevel(), level2.getVersion()) == (2, 4)
    issues = consistency_issues(libsbml.readSBMLFromString(libsbml.writeSBMLToString(level2)))
    assert [i for i in issues if not i.startswith("[SBML unit consistency 99505]")] == []


def test_level2_file_simulates_as_the_level3_file():
    doc = to_document(SCENARIOS["influenza with antiviral, ibuprofen and heat"]())
    times = np.linspace(0.0, 120.0, 121)
    runs = [roadrunner_for(libsbml.writeSBMLToString(d)).simulate(times=times, selections=["time", "tnf", "back_pain"])
            for d in (doc, to_level2(doc))]
    np.testing.assert_allclose(runs[1], runs[0], rtol=1e-9, atol=1e-12)


def test_ids_states_rules_and_events():
    doc = to_document(SCENARIOS["bolus 2 ng/kg at 1.5 h"]())
    model = doc.getModel()
    for name in flat_names():
        rule = model.getAssignmentRuleByVariable(name)
        assert model.getParameter(name) is not None and rule is not None, name
    for name in assembly.STATE_NAMES:
        assert model.getRateRuleByVariable(name) is not None, name
    assert model.getNumEvents() == 1
    trigger = model.getEvent(0).getTrigger()
    assert trigger.getPersistent() and libsbml.formulaToL3String(trigger.getMath()) == "time >= 1.5 h"
    assignment = model.getEvent(0).getEventAssignment(0)
    assert assignment.getVariable() == "E"
    assert libsbml.formulaToL3String(assignment.getMath()) == "E + dose * lps_exposure"
    assert model.getTimeUnits() == "h"
    hour = model.getUnitDefinition("h").getUnit(0)
    assert (hour.getKind(), hour.getMultiplier(), hour.getExponent()) == (libsbml.UNIT_KIND_SECOND, 3600.0, 1.0)


ROLES = ("parameter", "condition", "derived", "state", "input", "intermediate", "observable")


def roles(root):
    """Each SBML parameter's id and the role of its neuroimmune annotation."""
    out = {}
    for e in root.iter(f"{SBML}parameter"):
        found = [child.tag.split("}")[1] for child in e.findall(f"{SBML}annotation/*")
                 if child.tag.startswith(f"{{{NAMESPACE}}}")]
        assert len(found) == 1 and found[0] in ROLES, e.get("id")
        out[e.get("id")] = (found[0], e)
    return out


def test_every_parameter_carries_its_role_and_provenance():
    scenario = SCENARIOS["female, 40 years, 60 kg"]()
    text = to_sbml(scenario)
    records = default_parameters()
    p = resolve_parameters(scenario, None)
    found = roles(ET.fromstring(text))
    model = libsbml.readSBMLFromString(text).getModel()
    neck = found["ppt_change_neck"][1].find(f"{SBML}annotation/{{{NAMESPACE}}}observable")
    assert (neck.get("observable"), neck.get("coordinate"), neck.get("unit")) == ("ppt_change", "neck", "percent")
    for name, (role, e) in found.items():
        assert e.get("units"), f"{name} has no units"
        note = e.find(f"{SBML}annotation/{{{NAMESPACE}}}{role}")
        assert e.find(f"{SBML}notes/{XHTML}body/{XHTML}p").text.strip(), name
        if role == "parameter":
            rec = records[name]
            assert float(e.get("value")) == getattr(p, name) and e.get("constant") == "true", name
            assert (note.get("source"), note.get("evidence"), note.get("rationale")) == (
                rec.source, rec.evidence, rec.rationale), name
        elif role == "derived":  # a host-derived value: its number for this host, and what it is computed from
            assert "host.effective" in note.get("derivation"), name
            assert bool(note.get("depends_on")) == (model.getInitialAssignmentBySymbol(name) is not None), name
            if hasattr(p, name):
                assert float(e.get("value")) == pytest.approx(getattr(p, name), rel=1e-12), name
        elif role == "condition":
            assert note.get("field") in ("host", "challenge", "interventions") and note.get("description"), name
    conditions = {n for n, (r, _) in found.items() if r == "condition"}
    assert {"sex_female", "age", "weight", "dose"} <= conditions
    assert float(found["sex_female"][1].get("value")) == 1.0 and float(found["age"][1].get("value")) == 40.0
    # the fitted k_pge and female_central_gain are live: read by the initial assignments of k_pge_eff and g_central
    assert {"k_pge", "female_central_gain"} <= {n for n, (r, _) in found.items() if r == "parameter"}


def names_read(model):
    """Every name that some rule, initial assignment, event trigger or event assignment reads."""
    maths = [r.getMath() for r in model.getListOfRules()]
    maths += [ia.getMath() for ia in model.getListOfInitialAssignments()]
    for ev in model.getListOfEvents():
        maths += [ev.getTrigger().getMath()] + [ea.getMath() for ea in ev.getListOfEventAssignments()]
    out = set()
    for math in maths:
        stack = [math]
        while stack:
            node = stack.pop()
            # isName, not getType: once libsedml is imported (test_omex), libsbml's getType returns an opaque
            # SWIG object in this process (the two modules' bindings share the enum's type name)
            if node.isName() and node.getName() != "time":
                out.add(node.getName())
            stack.extend(node.getChild(i) for i in range(node.getNumChildren()))
    return out


@pytest.mark.parametrize("label", list(CHECKED))
def test_no_parameter_is_unread(label):
    """Every parameter but the observables is read by some rule, initial assignment or event."""
    doc = libsbml.readSBMLFromString(checked_text(label))
    model = doc.getModel()
    observables = set(flat_names())
    unread = [p.getId() for p in model.getListOfParameters()
              if p.getId() not in names_read(model) and p.getId() not in observables]
    assert unread == []


def test_units_on_every_parameter_and_number():
    doc = to_document(default_scenario())
    model = doc.getModel()
    assert all(p.isSetUnits() for p in model.getListOfParameters())
    pg_per_ml = model.getUnitDefinition(model.getParameter("tnf_0").getUnits())
    units = [pg_per_ml.getUnit(i) for i in range(pg_per_ml.getNumUnits())]
    factors = {u.getKind(): (u.getMultiplier(), u.getExponent()) for u in units}
    assert factors == {libsbml.UNIT_KIND_GRAM: (1e-12, 1.0), libsbml.UNIT_KIND_LITRE: (1e-3, -1.0)}
    text = libsbml.writeSBMLToString(doc)
    assert "<cn>" not in text and "<cn type" not in text  # every number carries sbml:units
    # temperatures: on the Celsius scale, declared with the size of a degree (SBML Level 3 has no offset units)
    temperature = model.getParameter("T_0")
    definition = model.getUnitDefinition(temperature.getUnits())
    assert definition.getName().startswith("degree Celsius")
    assert definition.getUnit(0).getKind() == libsbml.UNIT_KIND_KELVIN
    assert "Celsius scale" in temperature.getNotesString()


def test_a_host_effect_without_a_formula_is_exported_as_its_number(monkeypatch):
    """A host effect added to the model before the export knows its formula: its number, and notes that say so."""
    from neuroimmune.export import sbml_conditions

    formulas = sbml_conditions.host_formulas
    monkeypatch.setattr(sbml_conditions, "host_formulas",
                        lambda s: {k: v for k, v in formulas(s).items() if k != "k_pge_eff"})
    doc = to_document(default_scenario())
    par = doc.getModel().getParameter("k_pge_eff")
    assert par.getValue() == resolve_parameters(default_scenario(), None).k_pge_eff
    assert doc.getModel().getInitialAssignmentBySymbol("k_pge_eff") is None
    assert "no formula" in par.getNotesString() and "k_pge_eff" in doc.getModel().getNotesString()


def test_a_formula_that_disagrees_with_the_model_is_an_error(monkeypatch):
    from neuroimmune.export import sbml_conditions

    formulas = sbml_conditions.host_formulas
    monkeypatch.setattr(sbml_conditions, "host_formulas",
                        lambda s: {**formulas(s), "g_6": sbml_conditions.sym("female_il6_gain")})
    with pytest.raises(SbmlValidationError, match=r"derived value g_6: the exported formula gives"):
        to_sbml(default_scenario())


def test_user_parameters_are_exported_and_noted():
    text = to_sbml(default_scenario(), parameters={"k_E": 1.5})
    doc = libsbml.readSBMLFromString(text)
    par = doc.getModel().getParameter("k_E")
    assert par.getValue() == 1.5 and "set by the user" in par.getNotesString()


def rerun(text, inputs, times):
    """libRoadRunner on ``text`` with condition inputs changed (init values, then resetAll so that the initial
    assignments are evaluated again)."""
    rr = roadrunner_for(text)
    for name, value in inputs.items():
        rr[f"init({name})"] = value
    rr.resetAll()
    return rr.simulate(times=times, selections=["time", *flat_names()])


def assert_matches(result, ds):
    for j, name in enumerate(flat_names(), start=1):
        ref = reference_values(ds, name)
        scale = max(np.ptp(ref), 1e-12)
        assert np.max(np.abs(result[:, j] - ref)) / scale < 1e-4, name


def test_changing_the_dose_in_roadrunner_gives_simulate_at_that_dose(default_sbml):
    ds = ni.simulate(bolus_scenario(4.0), solver="reference")
    assert_matches(rerun(default_sbml, {"dose": 4.0}, ds["time"].values), ds)


def test_changing_the_host_in_roadrunner_gives_simulate_for_that_host(default_sbml):
    host = {"sex": "female", "age": "60 years", "weight": "60 kg", "sleep": "5 h", "fitness": "high"}
    ds = ni.simulate(bolus_scenario(2.0, host=host), solver="reference")
    inputs = {"sex_female": 1.0, "age": 60.0, "weight": 60.0, "sleep": 5.0, "fitness_step": 1.0}
    assert_matches(rerun(default_sbml, inputs, ds["time"].values), ds)


def test_changing_an_intervention_amount_in_roadrunner():
    scenario = SCENARIOS["influenza with antiviral, ibuprofen and heat"]()
    data = scenario.to_dict()
    data["interventions"][1]["dose"] = "800 mg"
    ds = ni.simulate(Scenario.from_dict(data), solver="reference")
    assert_matches(rerun(to_sbml(scenario), {"ibuprofen_dose": 800.0}, ds["time"].values), ds)


OLDER_WOMAN = {"sex": "female", "age": "72 years", "weight": "50 kg", "fitness": "low", "microbiome_diversity": 0.4}
HISTORY = {"age": "20 years", "chronic_pain": 1.0, "fluid_deficit": 3.0, "history": [
    {"kind": "vaccine", "antigen": "sars_cov_2", "time": "-200 days"}, {"kind": "sars_cov_2", "time": "-30 days"}]}
HOSTS_AND_CHALLENGES = {
    "older woman, SARS-CoV-2": (OLDER_WOMAN, {"kind": "sars_cov_2"}),
    "older woman, third vaccine dose": (OLDER_WOMAN, {"kind": "vaccine", "dose_number": 3}),
    "older woman, bacteria": (OLDER_WOMAN, {"kind": "bacterial", "load": 2.0}),
    "history, SARS-CoV-2": (HISTORY, {"kind": "sars_cov_2"}),
    "history, vaccine": (HISTORY, {"kind": "vaccine"}),
}


@pytest.mark.parametrize("label", list(HOSTS_AND_CHALLENGES))
def test_host_derived_values_in_the_file_equal_the_model(label):
    """libRoadRunner evaluates the file's initial assignments to the numbers of host.effective."""
    host, challenge = HOSTS_AND_CHALLENGES[label]
    scenario = Scenario.from_dict({"host": host, "challenge": challenge, "duration": "2 days"})
    p = resolve_parameters(scenario, None)
    rr = roadrunner.RoadRunner(to_sbml(scenario))
    model = libsbml.readSBMLFromString(to_sbml(scenario)).getModel()
    derived = [e.getId() for e in model.getListOfParameters() if "<neuroimmune:derived" in e.getAnnotationString()]
    assert {"g_TNF", "k_pge_eff", "m_prec", "ad_0", "sleep_loss_0", "prime_0"} <= set(derived)
    for name in derived:
        if hasattr(p, name):
            assert rr[name] == pytest.approx(getattr(p, name), rel=1e-12, abs=1e-300), name


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
    with pytest.raises(UnknownNameError, match=r"format: must be one of sbml, omex, petab \(got 'cellml'\)"):
        ni.export(None, "cellml", tmp_path / "m.xml")
    assert not (tmp_path / "m.xml").exists()


runner = CliRunner()


def test_cli_writes_the_file_and_exits_0(tmp_path):
    out = tmp_path / "models" / "model.xml"
    res = runner.invoke(app, ["export", "sbml", str(ROOT / "examples/endotoxin_2ngkg.yaml"), "--out", str(out)])
    assert res.exit_code == 0, res.output
    doc = libsbml.readSBMLFromString(out.read_text(encoding="utf-8"))
    assert doc.getNumErrors() == 0 and doc.getModel().getParameter("tnf") is not None
    assert [p.name for p in tmp_path.joinpath("models").iterdir()] == ["model.xml"]  # no temporary file left
    res = runner.invoke(app, ["export", "sbml", "--out", str(tmp_path / "default.xml")])  # the packaged default
    assert res.exit_code == 0
    assert "endotoxin 2 ng/kg bolus (default)" in (tmp_path / "default.xml").read_text(encoding="utf-8")


def test_cli_unwritable_out_exits_2(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    res = runner.invoke(app, ["export", "sbml", "--out", str(blocker / "m.xml")])
    assert res.exit_code == 2 and "--out: must be in a folder, but" in " ".join(res.output.split())
    assert "is a file" in " ".join(res.output.split())


@pytest.mark.parametrize("args", [["sbml", "BAD"], ["cellml"]])
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
