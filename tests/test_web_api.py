"""The HTTP API with FastAPI's TestClient: answers, limits and error reports."""

import json
from typing import Literal

import numpy as np
import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field

import neuroimmune as ni
from neuroimmune.scenarios import CHALLENGES, INTERVENTIONS
from neuroimmune.web import app as web_app
from neuroimmune.web import create_app

HEAT = {"kind": "heat", "region": "lower_back", "start": "0 h", "hours_per_day": 8}


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app()) as c:
        yield c


def problems(res):
    return {p["field"]: p for p in res.json()["detail"]}


def test_health_and_kinds(client):
    assert client.get("/api/health").json()["status"] == "ok"
    kinds = client.get("/api/kinds").json()
    endotoxin = next(c for c in kinds["challenges"] if c["kind"] == "endotoxin")
    assert endotoxin["units"]["dose"] == "ng/kg" and endotoxin["example"]["dose"] == 2.0
    assert endotoxin["schema"]["properties"]["dose"]
    assert [c["kind"] for c in kinds["challenges"]] == list(CHALLENGES)
    assert [i["kind"] for i in kinds["interventions"]] == list(INTERVENTIONS)
    assert kinds["regions"][0] == "lower_back"
    assert kinds["host"]["units"]["age"] == "year"
    assert {o["name"] for o in kinds["observables"]} >= {"temperature", "back_pain", "ppt_change", "mood"}
    assert kinds["advice"]["verdicts"]["red_flag"] == "a red flag: seek care now"
    assert all(q["sources"] for q in kinds["advice"]["questions"])


def test_simulate_returns_the_python_api_result(client):
    scenario = {"challenge": {"kind": "endotoxin", "dose": "2 ng/kg"}, "duration": "12 h", "output_step": "0.5 h"}
    res = client.post("/api/simulate", json=scenario)
    assert res.status_code == 200
    body = res.json()
    ds = ni.simulate(scenario)
    assert body["time"] == ds["time"].to_numpy().tolist()
    assert body["observables"]["temperature"]["units"] == "degC"
    np.testing.assert_allclose(body["observables"]["il6"]["values"], ds["il6"].to_numpy(), rtol=1e-4, atol=1e-6)
    lower = body["regions"].index("lower_back")
    np.testing.assert_allclose(body["observables"]["ppt_change"]["values"][lower],
                               ds["ppt_change"].sel(region="lower_back").to_numpy(), rtol=1e-4, atol=1e-6)
    assert body["summary"]["peak_back_pain"] == pytest.approx(float(ds["back_pain"].max()), rel=1e-3)
    assert body["scenario"]["challenge"]["dose"] == 2.0


@pytest.mark.parametrize("scenario, field, rule", [
    ({"challenge": {"kind": "endotoxin", "dose": "-2 ng/kg"}}, "challenge.dose", "greater than 0"),
    ({"challenge": {"kind": "endotoxin", "dose": "2 kg/ng"}}, "challenge.dose", "ng/kg"),
    ({"challenge": {"kind": "smallpox"}}, "challenge", "kind must be one of"),
    ({"duration": "-1 h"}, "duration", "greater than 0"),
    ({"colour": "red"}, "colour", "unknown field"),
    ({"duration": "30 days", "output_step": "1 min"}, "output_step", "at most 20000 output points"),
    ({"host": {"age": "nan years"}}, "host.age", "must be a finite number"),  # NaN reported, not a 500
    ({"challenge": {"kind": "endotoxin", "dose": 2, "time": "nan h"}}, "challenge.time", "must be a finite number"),
])
def test_bad_scenarios_get_422_naming_field_rule_and_value(client, scenario, field, rule):
    res = client.post("/api/simulate", json=scenario)
    assert res.status_code == 422
    found = problems(res)
    assert field in found, found
    assert rule in found[field]["rule"]
    assert found[field]["value"] is not None


def test_malformed_json_and_oversized_bodies(client):
    res = client.post("/api/simulate", content=b"{bad", headers={"content-type": "application/json"})
    assert res.status_code == 422 and "valid JSON" in problems(res)["body"]["rule"]
    big = json.dumps({"name": "x" * 70_000}).encode()
    res = client.post("/api/simulate", content=big, headers={"content-type": "application/json"})
    assert res.status_code == 413 and "at most 65536 bytes" in problems(res)["body"]["rule"]

    def chunks():  # no content-length: the limit applies while the body streams in
        for _ in range(20):
            yield b" " * 8192

    res = client.post("/api/simulate", content=chunks(), headers={"content-type": "application/json"})
    assert res.status_code == 413


def test_a_body_that_is_not_utf8_gets_400_in_the_shape_of_every_bad_input(client):
    for body in (b'{"name": "\xff"}', b"\x80abc"):
        res = client.post("/api/simulate", content=body, headers={"content-type": "application/json"})
        assert res.status_code == 400
        assert problems(res)["body"]["rule"].startswith("must be JSON encoded as UTF-8")


@pytest.mark.parametrize("scenario, field", [
    ({"challenge": {"kind": {}}}, "challenge"),
    ({"interventions": [{"kind": {}, "start": 0}]}, "interventions"),
    ({"interventions": [{"kind": ["heat"]}]}, "interventions"),
])
def test_a_kind_that_is_not_a_string_gets_422_not_500(client, scenario, field):
    res = client.post("/api/simulate", json=scenario)
    assert res.status_code == 422 and "must be one of" in problems(res)[field]["rule"]


def test_a_summary_that_is_not_a_number_is_null_in_json():
    """JSON has no NaN: a run whose values are not finite (a duration below the solver's resolution gives one)
    must still answer valid JSON."""
    import xarray as xr

    from neuroimmune.web.results import burden

    t = np.array([0.0])
    ds = xr.Dataset({"back_pain": ("time", [np.nan]), "temperature": ("time", [np.nan])}, coords={"time": t})
    summary = burden(ds)
    assert summary["peak_back_pain"] is None and summary["peak_temperature"] is None
    json.dumps(summary, allow_nan=False)


def test_the_app_can_be_started_again_after_a_shutdown():
    app = create_app()
    for _ in range(2):
        with TestClient(app) as c:
            assert c.post("/api/simulate", json={"duration": 2, "output_step": 1}).status_code == 200


def test_a_computation_over_the_time_limit_answers_503_not_500(client, monkeypatch):
    monkeypatch.setattr(web_app, "COMPUTE_TIMEOUT_S", 1e-6)
    res = client.post("/api/simulate", json={"challenge": {"kind": "endotoxin", "dose": 3.21}, "duration": 80})
    assert res.status_code == 503 and "longer than" in res.json()["detail"]


def test_compare_reports_differences_from_the_first(client):
    low, high = ({"challenge": {"kind": "endotoxin", "dose": d}} for d in (0.5, 2.0))
    res = client.post("/api/compare", json={"scenarios": [low, high]})
    assert res.status_code == 200
    first, second = res.json()["results"]
    assert first["difference"]["peak_temperature"] == 0
    assert second["difference"]["peak_temperature"] > 0.5
    assert second["summary"]["days_with_back_pain"] > 0
    assert client.post("/api/compare", json={"scenarios": []}).status_code == 422
    res = client.post("/api/compare", json={"scenarios": [low, {"challenge": {"kind": "endotoxin", "dose": -1}}]})
    assert res.status_code == 422 and "scenarios.1.challenge.dose" in problems(res)



def test_diary_check_endpoint(client, post_when_prepared):
    days = [{"day": d, "back_pain": 9, "temperature": 39.2} for d in range(1, 11)]
    res = post_when_prepared(client, "/api/diary-check", {"illness": "endotoxin", "days": days})
    assert res.status_code == 200
    assert res.json()["verdict"] == "more than typical, consider seeing a doctor"
    assert res.json()["band"]["uncertainty"] == "people"  # the band the days were compared with
    assert "above the" in res.json()["reason"]
    res = client.post("/api/diary-check", json={"illness": "endotoxin", "host": {"sex": "female"},
                                                "days": [{"day": 1, "temperature": 40.5}]})
    assert res.json()["verdict"] == "a red flag: seek care now"
    res = client.post("/api/diary-check", json={"illness": "endotoxin", "days": [{"day": 1, "back_pain": 12}]})
    assert res.status_code == 422 and problems(res)["days.0.back_pain"]["value"] == 12


def test_diary_check_endpoint_for_influenza(client, post_when_prepared):
    days = [{"day": d, "back_pain": 9, "temperature": 39.2} for d in range(1, 11)]
    res = post_when_prepared(client, "/api/diary-check", {"illness": "influenza", "days": days})
    assert res.status_code == 200 and res.json()["verdict"] == "more than typical, consider seeing a doctor"


def test_heat_on_the_lower_back_lowers_its_threshold_change(client):
    base = {"challenge": {"kind": "endotoxin", "dose": 2}}
    res = client.post("/api/compare", json={"scenarios": [base, {**base, "interventions": [HEAT]}]})
    assert res.status_code == 200
    assert res.json()["results"][1]["difference"]["lower_back_ppt_min"] > 0  # less negative


def test_when_to_worry_endpoint(client):
    res = client.post("/api/when-to-worry", json={"answers": {"confusion": True}})
    assert res.json()["verdict"] == "a red flag: seek care now"
    res = client.post("/api/when-to-worry", json={"answers": {"dizzy": True}})
    assert res.status_code == 422 and "answers.dizzy" in problems(res)


def test_page_docs_and_vendored_assets_are_served_locally(client):
    page = client.get("/")
    assert page.status_code == 200 and "not medical advice" in page.text
    docs = client.get("/docs").text
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in docs and "cdn" not in docs.lower()
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200
    assert client.get("/openapi.json").json()["paths"].keys() >= {"/api/simulate", "/api/kinds", "/api/compare",
                                                                  "/api/diary-check", "/api/health"}
    uplot = client.get("/static/vendor/uplot/uPlot.iife.min.js")
    assert uplot.status_code == 200 and "uPlot" in uplot.text
    assert "MIT" in client.get("/static/vendor/uplot/LICENSE").text


def test_new_kinds_appear_in_kinds_without_code_changes(client, monkeypatch):
    from neuroimmune.scenarios.quantities import Hours

    class Warmth(BaseModel):
        """A stand-in intervention, to show that kinds are read from the registry."""

        kind: Literal["warmth"] = "warmth"
        region: Literal["lower_back", "neck"] = "lower_back"
        start: Hours = Field(0.0, ge=0.0)

    monkeypatch.setitem(INTERVENTIONS, "warmth", Warmth)
    kinds = client.get("/api/kinds").json()
    warmth = next(i for i in kinds["interventions"] if i["kind"] == "warmth")
    assert warmth["units"] == {"start": "h"}
    # a kind without an entry in evidence.yaml says so rather than inventing a grade
    assert warmth["evidence"]["grade"] is None and warmth["evidence"]["sources"] == []
    heat = next(i for i in kinds["interventions"] if i["kind"] == "heat")
    assert heat["evidence"]["grade"] == "moderate" and "nadler2002" in heat["evidence"]["sources"]
    assert warmth["schema"]["properties"]["region"]["enum"] == ["lower_back", "neck"]
    assert warmth["example"] == {"kind": "warmth"}


def test_cli_serve_prints_its_loopback_address_and_answers():
    import os
    import subprocess
    import sys

    import httpx

    proc = subprocess.Popen([sys.executable, "-m", "neuroimmune", "serve", "--port", "0"], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, encoding="utf-8", env={**os.environ, "COLUMNS": "200"})
    try:
        line = proc.stdout.readline()
        assert line.startswith("neuroimmune explorer on http://127.0.0.1:"), line
        url = line.split(" on ", 1)[1].split()[0]
        assert httpx.get(url + "api/health", timeout=10).json()["status"] == "ok"
        assert "not medical advice" in httpx.get(url, timeout=10).text
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_kinds_carry_the_body_map_scale_and_readable_references(client):
    from neuroimmune.model.citation import bibliography
    from neuroimmune.plotting.colours import bodymap_scale
    from neuroimmune.web.references import references

    kinds = client.get("/api/kinds").json()
    assert kinds["bodymap"] == bodymap_scale()
    cited = {k for i in kinds["interventions"] for k in i["evidence"]["sources"]}
    assert cited and set(kinds["references"]) == cited
    assert kinds["references"]["nadler2002"].startswith("Nadler SF et al. (2002). Continuous low-level heat wrap")
    # every entry reads as a line of plain text, accents decoded
    for key in bibliography():
        line = references()[key]
        assert "\\" not in line and "{" not in line and key not in line, (key, line)
    assert references()["janum2016"].startswith("Janum S et al. (2016).")
    assert "Fernández-de-las-Peñas C" in " ".join(references().values())
