import subprocess
import sys

import pytest
import yaml
from typer.testing import CliRunner

from neuroimmune.cli import app
from neuroimmune.model.fits import load_fit

runner = CliRunner()
ROOT = __import__("pathlib").Path(__file__).resolve().parents[1]


def test_run_example_writes_netcdf_and_figures(tmp_path):
    res = runner.invoke(app, ["run", str(ROOT / "examples/endotoxin_2ngkg.yaml"), "--out", str(tmp_path / "r.nc"),
                              "--plot", str(tmp_path / "r.png"), "--bodymap", str(tmp_path / "b.png")],
                        env={"COLUMNS": "150"})
    assert res.exit_code == 0, res.output
    for text in ("tnf peak", "il10 peak", "temperature peak", "heart_rate peak", "lower_back at 2 h",
                 "lower_back at 6 h", "back_pain peak"):
        assert text in res.output
    assert (tmp_path / "r.nc").stat().st_size > 10_000
    assert (tmp_path / "r.png").stat().st_size > 10_000


def test_run_without_argument_uses_the_packaged_default():
    res = runner.invoke(app, ["run"], env={"COLUMNS": "150"})
    assert res.exit_code == 0, res.output
    assert "default" in res.output


@pytest.mark.parametrize(
    "content",
    ["challenge: {kind: endotoxin, dose: 2 kg/ng}\n", "challenge: {kind: measles}\n", "duration: -1 h\n",
     "colour: red\n", "challenge: [unclosed\n"],
)
def test_bad_scenario_exits_2_and_writes_nothing(tmp_path, content):
    path = tmp_path / "bad.yaml"
    path.write_text(content)
    res = runner.invoke(app, ["run", str(path), "--out", str(tmp_path / "r.nc"), "--plot", str(tmp_path / "r.png")])
    assert res.exit_code == 2
    assert "error" in res.output
    assert not (tmp_path / "r.nc").exists() and not (tmp_path / "r.png").exists()


def test_params_lists_every_parameter():
    res = runner.invoke(app, ["params"], env={"COLUMNS": "250"})
    assert res.exit_code == 0
    for text in ("k_TNF", "g_lower_back", "human_data_fit", "janum2016", "fitted values from"):
        assert text in res.output
    assert runner.invoke(app, ["params", "--module", "nope"]).exit_code == 2


def test_citation_prints_bibtex():
    res = runner.invoke(app, ["citation", str(ROOT / "examples/endotoxin_2ngkg.yaml")])
    assert res.exit_code == 0
    assert "@article{janum2016," in res.output


def test_validate_exits_zero_when_only_known_gaps_fail():
    res = runner.invoke(app, ["validate"], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert "0 failed" in res.output


def test_validate_a_subset_of_studies():
    res = runner.invoke(app, ["validate", "--study", "coyle2006", "--study", "degoeij2013"], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert "5 passed, 0 failed, 0 known gaps" in res.output  # 1 Coyle row, 4 de Goeij rows
    assert "janum2016" not in res.output
    bad = runner.invoke(app, ["validate", "--study", "nope"])
    assert bad.exit_code == 2
    assert "--study: must be one of" in bad.output and "'nope'" in bad.output


def test_python_dash_m_works():
    res = subprocess.run([sys.executable, "-m", "neuroimmune", "--help"], capture_output=True, text=True, check=True)
    assert "validate" in res.stdout


def test_calibrate_reproduces_the_committed_fit(tmp_path):
    """The committed parameter file must be what `neuroimmune calibrate endotoxemia` produces."""
    committed = load_fit("endotoxemia")
    out = tmp_path / "fit.yaml"
    res = runner.invoke(app, ["calibrate", "endotoxemia", "--starts", str(committed.provenance["starts"]),
                              "--seed", str(committed.provenance["seed"]), "--out", str(out)])
    assert res.exit_code == 0, res.output
    fresh = yaml.safe_load(out.read_text())
    assert fresh["provenance"]["final_cost"] == pytest.approx(committed.provenance["final_cost"], rel=1e-3)
    for name, value in committed.values.items():
        assert fresh["parameters"][name] == pytest.approx(value, rel=2e-2), name
