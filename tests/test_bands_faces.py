"""The faces of the bands: ``neuroimmune run --bands`` (table, figure, file) and ``POST /api/bands`` (answers, bad
input, the parameter band only with a posterior, the engine prepared in the background)."""

import numpy as np
import pytest
import xarray as xr

import neuroimmune as ni
from neuroimmune.analysis import uncertainty as unc
from neuroimmune.cohort import Variability

#: Every variability parameter with no spread: members differ only as the posterior says.
NO_SPREAD = {name: 0.0 for name in Variability.default().parameters}


def test_run_bands_prints_the_peak_of_each_quantile_curve_and_writes_the_bands(tmp_path):
    from typer.testing import CliRunner

    from neuroimmune.analysis.summary import summarize_bands
    from neuroimmune.cli import BAND_QUANTILES, app

    res = CliRunner().invoke(app, ["run", "--bands", "people", "--members", "32", "--out", str(tmp_path / "b.nc"),
                                   "--plot", str(tmp_path / "b.png")], env={"COLUMNS": "150"})
    assert res.exit_code == 0, res.output
    assert "the peak of each quantile curve" in res.output and "People like me" in res.output
    band = xr.open_dataset(tmp_path / "b.nc")
    assert list(band["quantile"].values) == list(BAND_QUANTILES) and band.attrs["members"] == 32
    expected = ni.predict(members=32, quantiles=BAND_QUANTILES)
    np.testing.assert_array_equal(band["temperature"].values, expected["temperature"].values)
    temperature = next(r for r in summarize_bands(expected) if r.quantity == "temperature peak")
    assert f"{temperature.values[2]:.4g}" in res.output  # the median curve's peak, as printed
    assert (tmp_path / "b.png").stat().st_size > 10_000


def test_the_band_table_of_identical_members_is_the_single_runs_peaks(one_draw_posterior, default_result):
    from neuroimmune.analysis.summary import summarize, summarize_bands

    band = ni.predict(uncertainty="both", members=4, posterior=one_draw_posterior,
                      variability={"parameters": NO_SPREAD})
    single = {r.quantity: r for r in summarize(default_result)}
    for row in summarize_bands(band):
        if row.quantity in single:
            ref = single[row.quantity]
            np.testing.assert_allclose(row.values, ref.value, rtol=2e-3, err_msg=row.quantity)
            assert abs(row.time - ref.time) <= 0.1, row.quantity  # one output step


def test_run_bands_without_a_posterior_exits_2_and_writes_nothing(monkeypatch, tmp_path):
    from typer.testing import CliRunner

    from neuroimmune.cli import app

    monkeypatch.setattr(unc, "packaged_posterior", lambda: None)
    res = CliRunner().invoke(app, ["run", "--bands", "parameter", "--out", str(tmp_path / "b.nc")],
                             env={"COLUMNS": "200"})
    assert res.exit_code == 2 and "uncertainty: 'parameter' needs the posterior sample" in res.output
    assert not list(tmp_path.iterdir())
    res = CliRunner().invoke(app, ["run", "--bands", "everyone"])
    assert res.exit_code == 2 and "everyone" in res.output


@pytest.fixture(scope="module")
def client():
    from fastapi.testclient import TestClient

    from neuroimmune.web import create_app

    with TestClient(create_app()) as c:
        yield c


def test_the_bands_endpoint_answers_predicts_quantiles_and_says_what_they_mean(client, post_when_prepared):
    from neuroimmune.web.results import WEB_QUANTILES

    scenario = {"challenge": {"kind": "endotoxin", "dose": 1.5}, "duration": 12}
    res = post_when_prepared(client, "/api/bands", {"scenario": scenario})
    assert res.status_code == 200, res.text
    body = res.json()
    expected = ni.predict(scenario, quantiles=WEB_QUANTILES)
    assert body["uncertainty"] == "people" and body["label"] == "people like me"
    assert body["meaning"] == expected.attrs["band"] and body["members"] == unc.MEMBERS
    assert body["quantiles"] == list(WEB_QUANTILES)
    temperature = body["observables"]["temperature"]
    assert temperature["dims"] == ["quantile", "time"] and temperature["units"] == "degC"
    np.testing.assert_allclose(temperature["values"], expected["temperature"].values, rtol=1e-4)  # 5 digits
    assert body["observables"]["ppt_change"]["dims"] == ["quantile", "region", "time"]
    res = post_when_prepared(client, "/api/bands", {"scenario": scenario, "observables": ["tnf", "back_pain"]})
    assert set(res.json()["observables"]) == {"tnf", "back_pain"}  # only what was asked for
    np.testing.assert_allclose(res.json()["observables"]["tnf"]["values"], expected["tnf"].values, rtol=1e-4)
    kinds = client.get("/api/kinds").json()["bands"]
    assert kinds["uncertainties"] == list(unc.UNCERTAINTIES) and kinds["default"] == "people"


@pytest.mark.parametrize("body, field", [
    ({"scenario": {}, "uncertainty": "everyone"}, "uncertainty"),
    ({"scenario": {"challenge": {"kind": "endotoxin", "dose": -1}}}, "scenario.challenge.dose"),
    ({"scenario": {}, "members": 3}, "members"),
    ({"uncertainty": "people"}, "scenario"),
    ({"scenario": "a scenario"}, "scenario"),
    ({"scenario": {}, "observables": ["tnf", "pain"]}, "observables.1"),
    ({"scenario": {}, "observables": "tnf"}, "observables"),
    ({"scenario": {}, "observables": []}, "observables"),
    ({"scenario": {"duration": 240, "output_step": 0.1}}, "scenario.output_step"),  # 2,400 points: too many
])
def test_bad_band_requests_get_422_naming_the_field(client, body, field):
    res = client.post("/api/bands", json=body)
    assert res.status_code == 422, res.text
    assert field in [p["field"] for p in res.json()["detail"]], res.json()


def test_the_parameter_band_is_offered_only_with_a_posterior(client, monkeypatch, spread_posterior, post_when_prepared):
    monkeypatch.setattr(unc, "packaged_posterior", lambda: None)
    res = client.post("/api/bands", json={"scenario": {}, "uncertainty": "parameter"})
    assert res.status_code == 422 and res.json()["detail"][0]["field"] == "uncertainty"
    assert client.get("/api/kinds").json()["bands"]["available"] == ["people"]
    monkeypatch.setattr(unc, "packaged_posterior", lambda: spread_posterior)
    assert client.get("/api/kinds").json()["bands"]["available"] == list(unc.UNCERTAINTIES)
    res = post_when_prepared(client, "/api/bands", {"scenario": {"duration": 10}, "uncertainty": "both"})
    assert res.status_code == 200 and res.json()["label"] == "both"



def test_a_band_whose_engine_needs_compiling_answers_503_at_once_and_is_prepared_behind(client, monkeypatch,
                                                                                        post_when_prepared):
    from neuroimmune.web import app as web_app
    from neuroimmune.web.results import NotPrepared

    refused = []

    def refuse_once(fn, *args):  # as when the kernel for this kind of scenario is not compiled yet
        if not refused:
            refused.append(args)
            raise NotPrepared("needs compiling")
        return fn(*args)

    monkeypatch.setattr(web_app, "without_compiling", refuse_once)
    body = {"scenario": {"challenge": {"kind": "endotoxin", "dose": 2.2}, "duration": 9}}
    res = client.post("/api/bands", json=body)
    assert res.status_code == 503 and res.headers["Retry-After"] == str(web_app.PREPARE_RETRY_S)
    assert res.json()["detail"].startswith("preparing:")
    res = post_when_prepared(client, "/api/bands", body)  # the preparer computed it in the background
    assert res.status_code == 200 and len(refused) == 1
