"""The ``cohort`` and ``sensitivity`` commands, and the SALib adapter against answers known in advance."""

import json

import numpy as np
import pytest
from typer.testing import CliRunner

import neuroimmune as ni
from neuroimmune.cli import app
from neuroimmune.cohort import sensitivity
from neuroimmune.errors import NeuroimmuneError, UnknownNameError

runner = CliRunner()
ENV = {"COLUMNS": "160"}


@pytest.fixture()
def short(tmp_path):
    path = tmp_path / "short.yaml"
    path.write_text("challenge: {kind: endotoxin, dose: 2 ng/kg}\nduration: 8 h\n")
    return path


def test_cohort_command_prints_the_spread_and_writes_zarr(tmp_path, short):
    out = tmp_path / "c.zarr"
    res = runner.invoke(app, ["cohort", str(short), "--n", "500", "--chunk-size", "200", "--out", str(out),
                              "--host", "volunteers"], env=ENV)
    assert res.exit_code == 0, res.output
    for text in ("tnf_peak", "days_with_fever", "recovery_day", "lower_back_ppt_min", "500 members ok", "members/s",
                 "wrote"):
        assert text in res.output, text
    ds = ni.cohort.open_cohort(out)
    assert ds.sizes["member"] == 500 and 18 <= float(ds["age"].min())


@pytest.mark.parametrize(
    ("args", "field"),
    [(["--n", "0"], "n: must be"), (["--n", "-3"], "n: must be"), (["--engine", "gpu"], "engine"),
     (["--host", "martians"], "variability.host"), (["--scheduler", "tcp://127.0.0.1:1"], "no Dask scheduler")],
)
def test_cohort_bad_input_exits_2_naming_the_field(args, field, short):
    res = runner.invoke(app, ["cohort", str(short), *args], env=ENV)
    assert res.exit_code == 2, res.output
    assert field in " ".join(res.output.split())


def test_cohort_refuses_a_path_holding_another_run(tmp_path, short):
    out = tmp_path / "c.zarr"
    assert runner.invoke(app, ["cohort", str(short), "--n", "50", "--out", str(out)], env=ENV).exit_code == 0
    res = runner.invoke(app, ["cohort", str(short), "--n", "50", "--seed", "9", "--out", str(out)], env=ENV)
    assert res.exit_code == 2 and "different run" in " ".join(res.output.split())


def test_sobol_indices_know_which_parameter_cannot_matter(short):
    # the back-ache midpoint x_ache acts after every cytokine: it cannot move the TNF peak
    res = sensitivity.sobol(ni.Scenario.from_yaml(short), "tnf_peak", 64, parameters=["k_TNFM", "x_ache"])
    k, x = res.names.index("k_TNFM"), res.names.index("x_ache")
    assert res.n_runs == 64 * 4 and res.n_failed == 0
    assert res.ST[k] > 0.9 and res.S1[k] > 0.8
    assert abs(res.ST[x]) < 1e-12 and abs(res.S1[x]) < 1e-12
    # and the back-ache peak depends on both
    pain = sensitivity.sobol(ni.Scenario.from_yaml(short), "lower_back_ppt_min", 64, parameters=["k_TNFM", "x_ache"])
    assert pain.ST[k] > 0.5 and np.all(np.isfinite(pain.S1_conf))


def test_sensitivity_command_prints_indices_and_writes_the_chart(tmp_path, short):
    png = tmp_path / "s.png"
    res = runner.invoke(app, ["sensitivity", str(short), "--output", "lower_back_ppt_min", "--method", "sobol",
                              "--n", "32", "--parameters", "k_TNFM,x_ache", "--plot", str(png)], env=ENV)
    assert res.exit_code == 0, res.output
    for text in ("Sobol indices of lower_back_ppt_min", "k_TNFM", "x_ache", "ST", "+/- 95 %", "#"):
        assert text in res.output
    assert png.stat().st_size > 5_000


@pytest.mark.parametrize(
    ("args", "field"),
    [(["--method", "magic"], "--method"), (["--output", "nonsense"], "output"), (["--n", "100"], "power of 2"),
     (["--parameters", "k_TNFM,nope"], "parameters")],
)
def test_sensitivity_bad_input_exits_2(args, field, short):
    res = runner.invoke(app, ["sensitivity", str(short), "--n", "32", *args], env=ENV)
    assert res.exit_code == 2, res.output
    assert field in " ".join(res.output.split())


def test_output_names_cover_regions_and_summaries():
    names = sensitivity.output_names()
    assert "lower_back_ppt_min" in names and "ppt_change_peak[neck]" in names and "recovery_day" in names
    with pytest.raises((NeuroimmuneError, UnknownNameError)):
        sensitivity.select(None, "bogus")


def test_sobol_refuses_when_too_many_runs_fail(monkeypatch, short):
    import xarray as xr

    from neuroimmune.cohort import run

    def fake(scenario, names, values, **kwargs):  # the cohort as it would come back with 5 % of its members failed
        n = len(values)
        y = np.linspace(1.0, 2.0, n)
        status = np.zeros(n, dtype=np.int8)
        status[:: 20] = 2
        y[status != 0] = np.nan
        return xr.Dataset({"tnf_peak": ("member", y), "status": ("member", status)},
                          attrs={"spec": json.dumps({"design": list(names)})})

    monkeypatch.setattr(run, "simulate_members", fake)
    rule = r"parameters: at most 1% of the runs may fail .* 5.1% failed: 13 x non-finite"
    with pytest.raises(NeuroimmuneError, match=rule):
        sensitivity.sobol(ni.Scenario.from_yaml(short), "tnf_peak", 64, parameters=["k_TNFM", "x_ache"])


def test_a_stored_sensitivity_cohort_is_analysed_again_without_running(tmp_path, short):
    # sample, run into a store, analyse the reopened store: the same indices as the one-call route
    sc = ni.Scenario.from_yaml(short)
    design = sensitivity.sample(32, parameters=["k_TNFM", "x_ache"], seed=4)
    assert design.values.shape == (32 * 4, 2) and design.names == ("k_TNFM", "x_ache")
    store = tmp_path / "design.zarr"
    sensitivity.run(sc, design, keep={"out": store})
    again = sensitivity.analyse(ni.cohort.open_cohort(store), "lower_back_ppt_min")
    direct = sensitivity.sobol(sc, "lower_back_ppt_min", 32, parameters=["k_TNFM", "x_ache"], seed=4)
    np.testing.assert_allclose(again.ST, direct.ST, rtol=0, atol=1e-12)
    np.testing.assert_allclose(again.S1, direct.S1, rtol=0, atol=1e-12)


def test_sensitivity_command_analyses_its_store_for_another_output_without_running_again(tmp_path, short):
    store = tmp_path / "s.zarr"
    args = ["sensitivity", str(short), "--n", "32", "--parameters", "k_TNFM,x_ache", "--out", str(store)]
    first = runner.invoke(app, [*args, "--output", "tnf_peak"], env=ENV)
    assert first.exit_code == 0, first.output
    records = {p.name: p.stat().st_mtime_ns for p in (store / "chunks_done").iterdir()}
    assert records
    second = runner.invoke(app, [*args, "--output", "lower_back_ppt_min"], env=ENV)
    assert second.exit_code == 0 and "Sobol indices of lower_back_ppt_min" in second.output, second.output
    assert {p.name: p.stat().st_mtime_ns for p in (store / "chunks_done").iterdir()} == records


def test_analyse_refuses_a_cohort_that_is_not_a_design(short):
    ds = ni.simulate_cohort(ni.Scenario.from_yaml(short), 8, execution={"chunk_size": 8})
    with pytest.raises(NeuroimmuneError, match="ds: must be a cohort run from a sensitivity design"):
        sensitivity.analyse(ds, "tnf_peak")
