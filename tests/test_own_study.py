"""A user's own study: a PEtab measurement table fitted with ``calibrate --data``, and the fit file used again."""

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

import neuroimmune as ni
from neuroimmune.calibration.own_study import fit_own_study, observable_ids, predictions, read_measurements
from neuroimmune.cli import app
from neuroimmune.errors import NeuroimmuneError
from neuroimmune.model.parameters import default_parameters

runner = CliRunner()
ENV = {"COLUMNS": "160"}
SCENARIO = "name: short bolus\nchallenge: {kind: endotoxin, dose: 2 ng/kg}\nduration: 8 h\noutput_step: 0.25 h\n"
HEADER = "observableId\tsimulationConditionId\ttime\tmeasurement\tnoiseParameters\n"


def table(folder, rows, header=HEADER):
    (folder / "bolus.yaml").write_text(SCENARIO)
    path = folder / "m.tsv"
    path.write_text(header + "".join("\t".join(map(str, r)) + "\n" for r in rows))
    return path


def synthetic(folder, k_mtnf):
    """Measurements made by the model itself at a known k_MTNF, with a small stated noise."""
    times = [1.0, 1.5, 2.0, 3.0, 4.0]
    ds = ni.simulate(SCENARIO, parameters={"k_MTNF": k_mtnf})
    rows = [(obs, "bolus", t, float(ds[obs].interp(time=t)), 0.01 * float(ds[obs].interp(time=t)) + 0.01)
            for obs in ("tnf", "il6") for t in times]
    return table(folder, rows)


def test_a_fit_to_data_made_by_the_model_recovers_the_parameter(tmp_path):
    truth = 2.0 * default_parameters()["k_MTNF"].value
    path = synthetic(tmp_path, truth)
    prov = fit_own_study(path, ["k_MTNF"], n_starts=1, max_nfev=40, out=tmp_path / "fit.yaml")
    assert prov["free"]["k_MTNF"] == pytest.approx(truth, rel=2e-3)
    assert prov["final_cost"] < 1e-2 * prov["start_cost"]
    # the file written is what simulate and the CLI take: its values over the packaged fit
    written = yaml.safe_load((tmp_path / "fit.yaml").read_text())
    assert set(written["parameters"]) == {"k_MTNF"} and written["provenance"]["data"] == str(path)
    a = ni.simulate(SCENARIO, parameters=tmp_path / "fit.yaml")
    b = ni.simulate(SCENARIO, parameters={"k_MTNF": written["parameters"]["k_MTNF"]})
    np.testing.assert_array_equal(a["tnf"].values, b["tnf"].values)
    assert "fit.yaml" in a.attrs["parameters"]


def test_predictions_read_the_model_where_the_table_asks(tmp_path):
    path = table(tmp_path, [("tnf", "bolus", 1.5, 1.0, 1.0), ("ppt_change_lower_back", "bolus", 3.0, 0.0, 1.0)])
    data = read_measurements(path)
    ds = ni.simulate(SCENARIO)
    got = predictions(data, default_parameters().values())
    assert got[0] == pytest.approx(float(ds["tnf"].sel(time=1.5)), rel=1e-9)
    assert got[1] == pytest.approx(float(ds["ppt_change"].sel(time=3.0, region="lower_back")), rel=1e-9)


def test_the_command_fits_prints_and_the_run_command_uses_the_file(tmp_path):
    path = synthetic(tmp_path, 1.5 * default_parameters()["k_MTNF"].value)
    fit = tmp_path / "fit.yaml"
    res = runner.invoke(app, ["calibrate", "--data", str(path), "--free", "k_MTNF", "--starts", "1",
                              "--max-nfev", "30", "--out", str(fit)], env=ENV)
    assert res.exit_code == 0, res.output
    for text in ("fit of m.tsv", "tnf", "il6", "fitted parameters", "k_MTNF", f"wrote {fit}"):
        assert text in " ".join(res.output.split())
    (tmp_path / "s.yaml").write_text(SCENARIO)
    with_fit = runner.invoke(app, ["run", str(tmp_path / "s.yaml"), "--parameters", str(fit)], env=ENV)
    packaged = runner.invoke(app, ["run", str(tmp_path / "s.yaml")], env=ENV)
    assert with_fit.exit_code == 0 and packaged.exit_code == 0
    assert with_fit.output != packaged.output  # a larger TNF production shows in the table


@pytest.mark.parametrize(
    ("rows", "header", "message"),
    [([("cortisol", "bolus", 1, 1, 1)], HEADER, "observableId: must be one of"),
     ([("tnf", "nowhere", 1, 1, 1)], HEADER, "simulationConditionId: must name a scenario file nowhere.yaml"),
     ([("tnf", "bolus", "soon", 1, 1)], HEADER, "time: must be a number (got 'soon')"),
     ([("tnf", "bolus", 1, "high", 1)], HEADER, "measurement: must be a number (got 'high')"),
     ([("tnf", "bolus", 1, 1, -2)], HEADER, "noiseParameters: must be a positive standard deviation (got '-2')"),
     ([("tnf", "bolus", 1, 1, "nan")], HEADER, "noiseParameters: must be a finite number"),
     ([("tnf", "bolus", 12, 1, 1)], HEADER, "time: must lie within the scenario's 8 h (got '12')"),
     ([("tnf", "bolus", 1, 1)], HEADER.replace("\tnoiseParameters", ""), "must have the PEtab column noiseParameters"),
     ([("tnf", "bolus", 1, 1, 1, "x")], HEADER.replace("\n", "\tweight\n"), "data: column: must be one of"),
     ([("tnf", "bolus", 1, 1, 1, "pre")], HEADER.replace("\n", "\tpreequilibrationConditionId\n"),
      "preequilibrationConditionId: must be empty")],
)
def test_bad_tables_get_clear_errors(tmp_path, rows, header, message):
    path = table(tmp_path, rows, header)
    with pytest.raises(NeuroimmuneError) as info:
        read_measurements(path)
    assert message in str(info.value)
    if "column" not in message:  # a problem of one row names the row
        assert "data row 2 " in str(info.value)


@pytest.mark.parametrize(
    ("extra", "message"),
    [(["--free", "nope"], "free: must be one of"), (["--free", "k_MTNF", "--out", "f.txt"], "--out: must end in"),
     (["--free", ","], "--free: must name at least one parameter")],
)
def test_the_command_refuses_bad_options_with_exit_2(tmp_path, extra, message):
    path = synthetic(tmp_path, default_parameters()["k_MTNF"].value)
    args = ["calibrate", "--data", str(path), "--starts", "1", "--max-nfev", "2"]
    if "--out" not in extra:
        args += ["--out", str(tmp_path / "fit.yaml")]
    res = runner.invoke(app, args + [e if e != "f.txt" else str(tmp_path / e) for e in extra], env=ENV)
    assert res.exit_code == 2, res.output
    assert message in " ".join(res.output.split())
    assert not (tmp_path / "fit.yaml").exists()


def test_data_without_out_never_replaces_the_packaged_fit(tmp_path):
    path = synthetic(tmp_path, default_parameters()["k_MTNF"].value)
    res = runner.invoke(app, ["calibrate", "--data", str(path)], env=ENV)
    assert res.exit_code == 2 and "--out:" in res.output


def test_observable_ids_name_every_region_and_scalar_observable():
    ids = observable_ids()
    assert {"tnf", "il6", "temperature", "back_pain", "ppt_change_lower_back", "ppt_change_abdomen"} <= set(ids)
    assert "ppt_change" not in ids


def test_the_packaged_example_table_reads(tmp_path):
    from pathlib import Path

    data = read_measurements(Path(__file__).parents[1] / "examples" / "own_study" / "measurements.tsv")
    assert len(data) == 12 and set(data.observable) == {"tnf", "il6"} and list(data.scenarios) == ["infusion_2ngkg_4h"]


def test_a_missing_parameter_file_is_a_clear_error(tmp_path):
    with pytest.raises(NeuroimmuneError, match="parameters: must be an existing fitted-parameter file"):
        ni.simulate(SCENARIO, parameters=tmp_path / "none.yaml")
