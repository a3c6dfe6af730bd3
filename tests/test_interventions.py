"""Issue 3: each self-care measure acts on its mechanism, and where the evidence says there is no benefit the
model adds none."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import neuroimmune as ni
from neuroimmune.cli import app
from neuroimmune.engine import resolve_parameters
from neuroimmune.outcomes import course, days_with, recovery_day
from neuroimmune.scenarios import INTERVENTIONS, evidence

LPS = {"challenge": {"kind": "endotoxin", "dose": "2 ng/kg", "time": "2 h"}, "duration": "24 h",
       "output_step": "0.1 h"}
FLU = {"challenge": {"kind": "influenza"}, "duration": "10 days", "output_step": "1 h"}
ROOT = Path(__file__).resolve().parents[1]


def run(base, *interventions, **host):
    scenario = {**base, "interventions": list(interventions)}
    if host:
        scenario["host"] = host
    return ni.simulate(scenario)


def rise(ds, name="temperature"):
    return float(ds[name].max() - ds[name][0])


def test_ibuprofen_lowers_fever_and_back_ache_but_raises_tnf():
    base, ibu = run(LPS), run(LPS, {"kind": "ibuprofen", "dose": "400 mg", "start": "1 h"})
    assert rise(ibu) < 0.5 * rise(base)
    assert float(ibu["back_pain"].max()) < float(base["back_pain"].max())
    assert float(ibu["tnf"].max()) > float(base["tnf"].max())  # Martich 1991, Spinas 1991


def test_ibuprofen_lowers_influenza_fever():
    base = run(FLU)
    ibu = run(FLU, {"kind": "ibuprofen", "start": "24 h"})
    assert float(ibu["temperature"].max()) < float(base["temperature"].max()) - 0.2


def test_paracetamol_lowers_temperature_only():
    base = run(FLU)
    para = run(FLU, {"kind": "paracetamol", "start": "24 h"})
    assert float(para["temperature"].max()) < float(base["temperature"].max())
    # equal up to the solver's tolerance (the dose times add segment boundaries, so the steps differ)
    np.testing.assert_allclose(para["back_pain"], base["back_pain"], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(para["fatigue"], base["fatigue"], rtol=1e-5, atol=1e-6)


def test_heat_on_the_lower_back_relieves_the_lower_back_and_not_the_neck():
    base = run(LPS)
    heat = run(LPS, {"kind": "heat", "region": "lower_back", "start": "0 h", "hours_per_day": "8 h"})
    at = dict(time=4.0)
    assert float(heat["ppt_change"].sel(region="lower_back", **at)) > float(
        base["ppt_change"].sel(region="lower_back", **at)) + 2.0
    assert float(heat["back_pain"].max()) < float(base["back_pain"].max())
    np.testing.assert_allclose(heat["ppt_change"].sel(region="neck"), base["ppt_change"].sel(region="neck"),
                               atol=1e-6)


def test_heat_follows_its_daily_schedule():
    scenario = ni.Scenario.from_dict({**FLU, "interventions": [{"kind": "heat", "region": "neck",
                                                                "hours_per_day": "8 h", "start": "6 h"}]})
    p = resolve_parameters(scenario, None)
    rates = scenario.interventions[0].events(p, scenario)
    assert [(r.start, r.stop) for r in rates[:3]] == [(6.0, 14.0), (30.0, 38.0), (54.0, 62.0)]
    assert len(rates) == 10  # one a day over 10 days


def test_sleeping_more_helps_a_short_sleeper_and_not_someone_who_already_sleeps_enough():
    short = run(LPS, sleep="4 h")
    short_slept = run(LPS, {"kind": "sleep", "hours": "8 h"}, sleep="4 h")
    normal = run(LPS)
    normal_slept = run(LPS, {"kind": "sleep", "hours": "9 h"})
    assert float(short["il6"].max()) > float(normal["il6"].max())  # Irwin 2006
    assert float(short_slept["back_pain"].max()) < float(short["back_pain"].max())
    np.testing.assert_allclose(normal_slept["back_pain"], normal["back_pain"], atol=1e-9)


def test_hydration_lowers_temperature_only_in_a_dehydrated_host():
    dry = run(LPS, fluid_deficit=3.0)
    drinking = run(LPS, {"kind": "hydration"}, fluid_deficit=3.0)
    assert float(drinking["temperature"].max()) < float(dry["temperature"].max())
    assert float(drinking["heart_rate"][-1]) < float(dry["heart_rate"][-1])
    np.testing.assert_allclose(run(LPS, {"kind": "hydration"})["temperature"], run(LPS)["temperature"], atol=1e-9)


def test_breathing_exercise_lowers_tnf_and_raises_il10_while_cold_alone_does_little():
    base = run(LPS)
    breathe = run(LPS, {"kind": "breathing", "hours_per_day": "8 h", "start": "1.5 h"})
    cold = run(LPS, {"kind": "cold_exposure", "start": "1.5 h"})
    assert float(breathe["tnf"].max()) < 0.7 * float(base["tnf"].max())
    assert float(breathe["il10"].max()) > float(base["il10"].max())
    assert float(cold["tnf"].max()) > 0.95 * float(base["tnf"].max())


def test_expectation_and_meditation_lower_back_ache_but_not_fever():
    base = run(LPS)
    for item in ({"kind": "expectation"}, {"kind": "meditation", "hours_per_day": "4 h"}):
        ds = run(LPS, item)
        assert float(ds["back_pain"].max()) < float(base["back_pain"].max()), item
        np.testing.assert_allclose(ds["temperature"], base["temperature"], atol=1e-9)


def test_chicken_soup_adds_no_anti_inflammatory_benefit():
    np.testing.assert_allclose(run(LPS, {"kind": "chicken_soup"})["back_pain"], run(LPS)["back_pain"], atol=1e-9)


def test_every_kind_has_evidence_with_a_grade_and_known_sources():
    bib = (ROOT / "src/neuroimmune/model/references.bib").read_text(encoding="utf-8")
    keys = set(re.findall(r"@\w+\{(\w+),", bib))
    ev = evidence()
    assert set(ev) == set(INTERVENTIONS)
    for kind, e in ev.items():
        assert e["grade"].split()[0] in {"high", "moderate", "low", "very"}, kind
        assert e["sources"] and set(e["sources"]) <= keys, kind
        assert e["mechanism"] and e["effect"] and e["model_effect"], kind


def test_days_with_and_recovery_day_on_a_known_course():
    t = np.arange(0.0, 24.0 * 5 + 1, 1.0)  # 5 days, hourly
    temperature = np.where((t >= 30) & (t < 60), 38.5, 37.0)  # fever on days 1 and 2
    back = np.where((t >= 20) & (t < 80), 3.0, 0.0)  # back pain on days 0-3
    fatigue = np.zeros_like(t)
    assert days_with(t, temperature >= 38.0) == 2
    assert days_with(t, back >= 2.0) == 4
    assert recovery_day(t, temperature, back, fatigue) == pytest.approx(80 / 24.0)
    assert np.isnan(recovery_day(t, np.full_like(t, 39.0), back, fatigue))
    assert recovery_day(t, np.full_like(t, 37.0), 0 * back, fatigue) == 0.0


def test_course_summary_of_a_flu():
    c = course(run(FLU))
    assert c["days_with_fever"] >= 1 and c["days_with_back_pain"] >= 1
    assert 2.0 < c["recovery_day"] < 10.0


runner = CliRunner()


def test_interventions_command_lists_every_kind():
    res = runner.invoke(app, ["interventions"], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    for kind in INTERVENTIONS:
        assert kind in res.output


def test_compare_command_prints_differences_and_writes_a_figure(tmp_path):
    scenario = tmp_path / "flu.yaml"
    scenario.write_text("challenge: {kind: influenza}\nduration: 10 days\noutput_step: 1 h\n")
    fig = tmp_path / "cmp.png"
    res = runner.invoke(app, ["compare", str(scenario), "--with", "heat", "--with", "ibuprofen:start=24 h",
                              "--plot", str(fig)], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert "baseline" in res.output and "heat" in res.output and "ibuprofen" in res.output
    assert fig.stat().st_size > 10_000


def test_compare_rejects_a_measure_without_its_required_field(tmp_path):
    res = runner.invoke(app, ["compare", "--with", "heat:hours_per_day=4 h,region="])
    assert res.exit_code == 2
    assert "region" in res.output
