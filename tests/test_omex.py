"""COMBINE archive: contents, and its SED-ML run in two independent tools (tellurium, COPASI) against simulate."""

import functools
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import basico
import libsedml
import numpy as np
import pytest
from typer.testing import CliRunner

import neuroimmune as ni
from neuroimmune import data
from neuroimmune.cli import app
from neuroimmune.export.omex import ALGORITHM, observable_ids
from neuroimmune.scenarios import Scenario

ROOT = Path(__file__).resolve().parents[1]
BOLUS = ROOT / "examples" / "endotoxin_2ngkg.yaml"


WORK = Path(tempfile.mkdtemp(prefix="neuroimmune-omex-"))  # archives and tool runs of this module


@pytest.fixture(scope="module", autouse=True)
def _clean_work():
    yield
    shutil.rmtree(WORK, ignore_errors=True)


@functools.cache
def archive(path):
    """The archive of an example, written once per test session."""
    return ni.export(path, "omex", WORK / f"{Path(path).stem}.omex")


@functools.cache
def reference(path):
    return ni.simulate(Scenario.from_yaml(path), solver="reference")


def reference_values(ds, name):
    if name.startswith("ppt_change_"):
        return ds["ppt_change"].sel(region=name.removeprefix("ppt_change_")).values
    return ds[name].values


def assert_matches_simulate(ds, columns):
    """Every observable within 1e-4 of its curve's range of ``simulate`` (reference solver)."""
    np.testing.assert_allclose(columns["time"], ds["time"].values, rtol=0, atol=1e-9)
    worst = {}
    for name in observable_ids():
        ref, got = reference_values(ds, name), np.asarray(columns[name], dtype=float)
        worst[name] = float(np.max(np.abs(got - ref)) / max(np.ptp(ref), 1e-12))
    assert max(worst.values()) < 1e-4, worst


def test_archive_holds_model_simulation_data_and_metadata():
    with zipfile.ZipFile(archive(BOLUS)) as z:
        names = set(z.namelist())
        assert {"manifest.xml", "metadata.rdf", "model.xml", "simulation.sedml", "data.sedml",
                "data/janum2016_2ngkg_TNF.csv", "data/windoloski2024_bolus2ngkg_IL6_mean.csv"} <= names
        manifest = ET.fromstring(z.read("manifest.xml"))
        masters = [c.get("location") for c in manifest if c.get("master") == "true"]
        assert masters == ["./simulation.sedml"]
        metadata = z.read("metadata.rdf").decode()
        assert "https://spdx.org/licenses/MIT.html" in metadata and "janum2016" in metadata  # licence, sources
        doc = libsedml.readSedMLFromString(z.read("simulation.sedml").decode())
    assert doc.getNumErrors(libsedml.LIBSEDML_SEV_ERROR) == 0
    sim = doc.getSimulation(0)
    assert (sim.getOutputEndTime(), sim.getNumberOfPoints()) == (24.0, 240)
    algorithm = sim.getAlgorithm()
    parameters = {p.getKisaoID(): float(p.getValue()) for p in algorithm.getListOfAlgorithmParameters()}
    assert algorithm.getKisaoID() == ALGORITHM == "KISAO:0000019"
    assert parameters == {"KISAO:0000209": 1e-10, "KISAO:0000211": 1e-12, "KISAO:0000415": 1e6}
    assert doc.getOutput("report").getNumDataSets() == 1 + len(observable_ids())
    assert doc.getOutput("plot_cytokines").getNumCurves() == 4


def test_scenario_without_packaged_data_has_no_data_document():
    with zipfile.ZipFile(archive(ROOT / "examples" / "influenza_selfcare.yaml")) as z:
        assert not any(n.startswith("data") for n in z.namelist())
        doc = libsedml.readSedMLFromString(z.read("simulation.sedml").decode())
    assert doc.getOutput("plot_virus") is not None


#: tellurium's SED-ML run changes libRoadRunner's state for the rest of the process (afterwards a new
#: ``roadrunner.RoadRunner`` has no ``load``, which pyPESTO's PEtab objective calls), so it runs in its own process
#: and sends back its data generators.
_TELLURIUM_RUN = """
import sys
from pathlib import Path

import numpy as np
from tellurium.sedml import tesedml

results = tesedml.executeCombineArchive(sys.argv[1], workingDir=sys.argv[2], createOutputs=False, saveOutputs=False)
np.savez(sys.argv[3], **{f"{Path(doc).name}::{name}": np.asarray(values)
                         for doc, res in results.items() for name, values in res["dataGenerators"].items()})
"""


@functools.cache
def tellurium_results(path):
    return run_in_tellurium(archive(path))


def run_in_tellurium(omex):
    """The data generators of every SED-ML document of the archive ``omex``, run by tellurium, by document."""
    run = Path(tempfile.mkdtemp(dir=WORK))
    out = run / "generators.npz"
    subprocess.run([sys.executable, "-c", _TELLURIUM_RUN, str(omex), str(run), str(out)], check=True,
                   capture_output=True)
    results: dict[str, dict[str, np.ndarray]] = {}
    with np.load(out) as stored:
        for key in stored.files:
            doc, name = key.split("::", 1)
            results.setdefault(doc, {})[name] = stored[key]
    return results


def test_sedml_in_tellurium_reproduces_simulate():
    generators = tellurium_results(BOLUS)["simulation.sedml"]
    columns = {name: np.asarray(generators[f"dg_{name}"]).ravel() for name in ["time", *observable_ids()]}
    assert_matches_simulate(reference(BOLUS), columns)


def test_sedml_in_copasi_reproduces_simulate():
    model = basico.load_model(str(archive(BOLUS)))  # COPASI imports the archive's SED-ML task and report
    try:
        settings = basico.get_task_settings("Time-Course", model=model)
        assert settings["problem"]["Duration"] == 24.0 and settings["method"]["Relative Tolerance"] == 1e-10
        result = basico.run_time_course(model=model, use_sbml_id=True)
    finally:
        basico.remove_datamodel(model)
    columns = {"time": result.index.to_numpy(), **{name: result[name].to_numpy() for name in observable_ids()}}
    assert_matches_simulate(reference(BOLUS), columns)


def test_data_document_maps_each_study_column_onto_its_observable():
    generators = tellurium_results(BOLUS)["data.sedml"]
    table = data.load("endotoxemia/janum2016_2ngkg_TNF").table
    np.testing.assert_allclose(np.asarray(generators["dg_janum2016_2ngkg_TNF_mean"]).ravel(), table["mean"])
    np.testing.assert_allclose(np.asarray(generators["dg_janum2016_2ngkg_TNF_time"]).ravel(), table["time_h"])
    with zipfile.ZipFile(archive(BOLUS)) as z:
        doc = libsedml.readSedMLFromString(z.read("data.sedml").decode())
    plot = doc.getOutput("plot_tnf")
    curves = {c.getYDataReference() for c in plot.getListOfCurves()}
    assert curves == {"dg_tnf", "dg_janum2016_2ngkg_TNF_mean", "dg_windoloski2024_bolus2ngkg_TNF_mean_mean_no_outliers"}


def test_cli_writes_the_archive(tmp_path):
    out = tmp_path / "model.omex"
    res = CliRunner().invoke(app, ["export", "omex", str(ROOT / "examples" / "endotoxin_infusion_4h.yaml"),
                                   "--out", str(out)])
    assert res.exit_code == 0, res.output
    with zipfile.ZipFile(out) as z:
        assert "data/windoloski2024_continuous2ngkg_over4h_TNF_mean.csv" in z.namelist()
    assert [p.name for p in tmp_path.iterdir()] == ["model.omex"]  # no temporary file left


@pytest.mark.parametrize("fmt", ["omex"])
def test_cli_bad_scenario_exits_2_and_writes_nothing(tmp_path, fmt):
    bad = tmp_path / "bad.yaml"
    bad.write_text("challenge: {kind: endotoxin, dose: -2 ng/kg}\n")
    res = CliRunner().invoke(app, ["export", fmt, str(bad), "--out", str(tmp_path / "m.omex")])
    assert res.exit_code == 2 and "challenge.dose" in res.output
    assert not (tmp_path / "m.omex").exists()


def test_validate_archive_adds_each_study_with_its_data_mapping(tmp_path):
    out = ni.export(ROOT / "examples" / "influenza.yaml", "omex", tmp_path / "v.omex", validate=True)
    with zipfile.ZipFile(out) as z:
        names = set(z.namelist())
    assert {"model_bolus_2ngkg.xml", "data_bolus_2ngkg.sedml", "model_infusion_2ngkg_4h.xml",
            "data_infusion_2ngkg_4h.sedml", "data/windoloski2024_continuous2ngkg_over4h_IL10_mean.csv"} <= names
    generators = run_in_tellurium(out)
    infusion = generators["data_infusion_2ngkg_4h.sedml"]
    ds = ni.simulate({"challenge": {"kind": "endotoxin", "infusion": {"rate": "0.5 ng/kg/h", "duration": "4 h"}},
                      "duration": "10 h", "output_step": "0.1 h"}, solver="reference")
    tnf = np.asarray(infusion["dg_tnf"]).ravel()
    assert np.max(np.abs(tnf - ds["tnf"].values)) / np.ptp(ds["tnf"].values) < 1e-4
    table = data.load("endotoxemia/windoloski2024_continuous2ngkg_over4h_TNF_mean").table
    np.testing.assert_allclose(np.asarray(infusion["dg_windoloski2024_continuous2ngkg_over4h_TNF_mean_mean"]).ravel(),
                               table["mean"])


def test_cli_validate_is_an_option_of_omex_only(tmp_path):
    res = CliRunner().invoke(app, ["export", "sbml", "--validate", "--out", str(tmp_path / "m.xml")])
    assert res.exit_code == 2 and "validate" in res.output
    assert not (tmp_path / "m.xml").exists()
