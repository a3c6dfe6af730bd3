"""The diary forecast (issue 16): day-of-illness summaries against brute force, importance weights against their
closed form, a library built by the cohort engine that knows when it is stale, bands that cover held-out people,
a diary outside the model called so, red flags first, and bad input named by field, rule and value in Python, the
command line (exit 2) and the API (422). Libraries here are small (a few hundred members); the full-size numbers
are measured by benchmarks/forecast.py."""

import json
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from neuroimmune import outcomes
from neuroimmune.advice import AdviceError
from neuroimmune.advice.forecast import forecast
from neuroimmune.cli import app
from neuroimmune.forecast import condition, evaluate, library
from neuroimmune.forecast.measurement import noises, onset_shifts
from neuroimmune.model import fits
from neuroimmune.model.parameters import default_parameters
from neuroimmune.web import create_app

MEMBERS = 300


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    """A cache folder for libraries only (the cohort kernel stays in the usual cache)."""
    return tmp_path_factory.mktemp("forecast-cache")


@pytest.fixture(autouse=True)
def _libraries_in(cache, monkeypatch):
    monkeypatch.setattr(library, "cache_dir", lambda: cache)
    library._LOADED.clear()


@pytest.fixture(scope="module")
def flu(cache):
    """Influenza at home, adults of any sex, age and weight: the library and a held-out one (another seed)."""
    lib = library.build_library(library.LibrarySpec("influenza", library.ADULTS, MEMBERS, 0),
                                cache / "forecast" / "influenza-adults.zarr")
    held = library.build_library(library.LibrarySpec("influenza", library.ADULTS, 150, 1), cache / "held.zarr")
    return lib, held


# ---- day-of-illness summaries (outcomes) ---------------------------------------------------------------------------
def test_worst_by_illness_day_is_the_brute_force_maximum_over_half_open_days():
    rng = np.random.default_rng(3)
    t = np.arange(0.0, 120.0 + 1e-9, 1.0)
    values = rng.normal(size=(4, t.size))
    day_one = np.array([0.0, 13.0, 24.0, 50.0])
    got = outcomes.worst_by_illness_day(t, values, day_one, 5)
    for i in range(4):
        for d in range(5):
            start = day_one[i] + 24 * d
            window = (t >= start) & (t < start + 24)
            expected = values[i, window].max() if start + 24 <= t[-1] else np.nan
            np.testing.assert_equal(got[i, d], expected)
    # an output exactly at the end of a day opens the next day: a spike at 24 h belongs to day 2 from day_one 0
    spike = np.zeros((1, t.size))
    spike[0, 24] = 5.0
    assert outcomes.worst_by_illness_day(t, spike, np.array([0.0]), 2).tolist() == [[0.0, 5.0]]


def test_recovery_day_of_illness_counts_from_the_persons_day_one():
    # recovered 2.5 days after the scenario start, day 1 starting at 36 h: 24 h into the illness is day 2
    assert outcomes.recovery_illness_day(np.array([2.5, np.nan]), 36.0)[0] == 2.0
    assert np.isnan(outcomes.recovery_illness_day(np.array([np.nan]), 36.0)[0])
    assert outcomes.illness_day(np.array([35.9, 36.0, 59.9, 60.0]), 36.0).tolist() == [0, 1, 1, 2]


# ---- importance weights in closed form -------------------------------------------------------------------------------
def toy_library(back_pain: list[float]) -> library.Library:
    """Members with a flat back ache (given) and temperature 37 on every day, one onset shift."""
    n, days = len(back_pain), 5
    worst = {"back_pain": np.repeat(np.array(back_pain, dtype=float)[:, None, None], days, axis=2),
             "temperature": np.full((n, 1, days), 37.0), "fatigue": np.zeros((n, 1, days))}
    spec = library.LibrarySpec("influenza", library.ADULTS, n)
    return library.Library(spec, "toy", {}, np.array([0.0]), np.arange(1, days + 1), worst,
                           np.full((n, 1), 3.0), np.zeros(n), np.ones(n, dtype=bool))


def test_weights_are_the_gaussian_likelihood_ratio_and_censoring_at_zero():
    lib = toy_library([2.0, 6.0])
    sd = noises()["back_pain"].sd
    loglik = condition.log_likelihoods(lib, [condition.Report(1, "back_pain", 6.0)])
    w = condition.weights(lib, loglik.sum(axis=0))[:, 0]
    assert w[0] / w[1] == pytest.approx(np.exp(-0.5 * (4.0 / sd) ** 2))
    assert condition.ess(np.array([0.5, 0.5])) == pytest.approx(2.0)
    assert condition.ess(np.array([1.0, 0.0])) == pytest.approx(1.0)
    # a report of 0 means "0 or less": its likelihood is the normal CDF at -model / sd
    zero = condition.log_likelihoods(lib, [condition.Report(1, "back_pain", 0.0)])[0, :, 0]
    from scipy.stats import norm

    assert np.exp(zero) == pytest.approx(norm.cdf(-np.array([2.0, 6.0]) / sd))


# ---- the library -------------------------------------------------------------------------------------------------
def test_a_library_holds_each_members_days_of_illness_from_the_cohort_engine(flu):
    lib, _ = flu
    assert lib.worst["back_pain"].shape == (MEMBERS, len(onset_shifts()), library.DAYS["influenza"])
    assert lib.valid.sum() > 0.8 * MEMBERS  # nearly everyone infected at home falls ill
    again = library.read_library(lib.path)
    assert again.fingerprint == lib.fingerprint
    np.testing.assert_array_equal(again.worst["temperature"], lib.worst["temperature"])
    course = lib.worst["temperature"][lib.valid][:, 4, :10]  # the zero shift, the first 10 days (all reached)
    peak_day = np.argmax(np.median(course, axis=0)) + 1
    assert peak_day <= 2  # fever is highest on the first days of illness (Monto 2000; examples/influenza_community)
    # the packaged posterior sample is in the members, and the library says so
    assert lib.provenance["uncertainty"]["parameter"] is True
    assert lib.provenance["uncertainty"]["posterior"] == "endotoxemia_posterior.nc"


def test_a_stale_library_is_detected_and_rebuilt(cache, monkeypatch):
    spec = library.LibrarySpec("vaccine", library.ADULTS, 64)
    built = library.build_library(spec)
    assert library.load_library("vaccine", None, build=False).fingerprint == built.fingerprint
    # a posterior sample appears (the calibration was sampled): the library no longer belongs to the model
    k = default_parameters().values()["k_TNFM"]
    fake = fits.Posterior(Path("endotoxemia_posterior.nc"), ("k_TNFM",), np.array([[0.8 * k], [1.25 * k]]),
                          {"sampler": "a two-draw stand-in for this test"})
    monkeypatch.setattr(fits, "load_posterior", lambda problem, path=None: fake)
    library._LOADED.clear()
    with pytest.raises(library.StaleLibraryError, match="stale"):
        library.load_library("vaccine", None, build=False)
    rebuilt = library.load_library("vaccine", None)
    assert rebuilt.fingerprint != built.fingerprint and rebuilt.members == 64
    assert rebuilt.provenance["uncertainty"]["parameter"] is True
    assert library.load_library("vaccine", None, build=False).fingerprint == rebuilt.fingerprint


# ---- forecasts measured on held-out people ---------------------------------------------------------------------------
def test_bands_cover_held_out_people_and_two_days_beat_the_population(flu):
    lib, held = flu
    s = evaluate.held_out(lib, held, known=2, horizon=3, diaries=60, seed=1)
    assert 0.7 <= s.coverage80 <= 0.9, s
    assert 0.35 <= s.coverage50 <= 0.65, s
    # the day after the diary (back ache and temperature together): two days narrow the forecast well beyond the
    # population's (full size: benchmarks/forecast.py)
    assert np.mean([v[0] for v in s.skill_by_day.values()]) >= 0.3, s
    assert s.flagged_outside <= 0.05, s  # the model's own people are rarely called outside it


# ---- answers -------------------------------------------------------------------------------------------------------
TYPICAL = [{"day": 1, "back_pain": 6, "temperature": 39.2}, {"day": 2, "back_pain": 5, "temperature": 38.8}]


def test_a_typical_diary_gets_bands_for_the_coming_days_and_the_recovery_day_in_words(flu):
    lib, _ = flu
    a = forecast("influenza", TYPICAL, library=lib)
    assert a["level"] == "typical" and a["fit"]["explained"]
    day3 = a["forecast"]["days"][2]
    assert day3["ahead"] and not day3["entered"]
    b = day3["back_pain"]
    assert b["low80"] <= b["low50"] <= b["median"] <= b["high50"] <= b["high80"]
    assert a["forecast"]["recovery"]["words"].startswith("most people whose illness went like yours felt better by day")
    assert 0 < a["fit"]["effective_members"] <= lib.valid.sum()
    assert a["disclaimer"] and "not medical advice" in a["disclaimer"]


@pytest.mark.parametrize(("days", "kind"), [
    ([{"day": 1, "back_pain": 6, "temperature": 39.2}, {"day": 2, "back_pain": 4, "temperature": 38.4},
      {"day": 3, "back_pain": 2, "temperature": 37.4}, {"day": 4, "back_pain": 8, "temperature": 39.6}],
     "rose again"),
    ([{"day": d, "back_pain": 6, "temperature": 38.9} for d in range(1, 9)], "lasted longer"),
    ([{"day": 5, "back_pain": 10, "temperature": 39.4}], "more severe"),
])
def test_a_diary_outside_the_model_says_so_and_recommends_a_doctor(flu, days, kind):
    lib, _ = flu
    a = forecast("influenza", days, library=lib)
    assert a["level"] == "see_doctor" and not a["fit"]["explained"]
    assert kind in a["reason"] and "outside what the model can explain" in a["reason"]


def test_a_red_flag_overrides_the_forecast(flu):
    lib, _ = flu
    a = forecast("influenza", TYPICAL, answers={"saddle_numbness": True}, library=lib)
    assert a["level"] == "red_flag" and a["forecast"] is None
    assert a["reasons"][0].startswith("numbness") or "seek care now" in a["reason"]


# ---- bad input ------------------------------------------------------------------------------------------------------
BAD = [
    ([{"day": 2, "back_pain": 3}, {"day": 1, "back_pain": 4}], "days.1.day", "in order", 1),
    ([{"day": 1, "back_pain": 3}, {"day": 1, "back_pain": 4}], "days.1.day", "once", 1),
    ([{"day": 1, "back_pain": 11}], "days.0.back_pain", "less than or equal to 10", 11),
    ([{"day": 1, "temperature": 43.5}], "days.0.temperature", "less than or equal to 43", 43.5),
    ([{"day": 1, "temperature": 33.0}], "days.0.temperature", "greater than or equal to 34", 33.0),
    ([], "days", "empty", []),
]


@pytest.mark.parametrize(("days", "field", "rule", "value"), BAD)
def test_bad_diaries_name_the_field_the_rule_and_the_value(days, field, rule, value):
    with pytest.raises(AdviceError) as exc:
        forecast("influenza", days)
    problems = {f: (r, v) for f, r, v in exc.value.problems}
    assert field in problems and rule in problems[field][0] and problems[field][1] == value


def test_an_unknown_illness_is_named():
    with pytest.raises(AdviceError) as exc:
        forecast("measles", TYPICAL)
    assert exc.value.problems[0][0] == "illness" and "influenza" in exc.value.problems[0][1]


def test_the_command_forecasts_plots_and_refuses_bad_diaries_with_exit_2(flu, tmp_path):
    diary = tmp_path / "diary.yaml"
    diary.write_text(json.dumps({"illness": "influenza", "days": TYPICAL}))
    runner = CliRunner()
    res = runner.invoke(app, ["forecast", str(diary), "--json", "--plot", str(tmp_path / "f.png")])
    assert res.exit_code == 0, res.output
    answer = json.loads(res.stdout)
    assert answer["level"] == "typical" and (tmp_path / "f.png").stat().st_size > 0
    diary.write_text(json.dumps({"illness": "influenza", "days": [{"day": 1, "back_pain": 12}]}))
    bad = runner.invoke(app, ["forecast", str(diary), "--plot", str(tmp_path / "g.png")])
    assert bad.exit_code == 2 and "days.0.back_pain" in bad.stderr and "12" in bad.stderr
    assert "Traceback" not in bad.output and not (tmp_path / "g.png").exists()


def test_the_api_forecasts_and_answers_422_naming_the_field(flu):
    with TestClient(create_app()) as client:
        ok = client.post("/api/forecast", json={"illness": "influenza", "days": TYPICAL})
        assert ok.status_code == 200 and ok.json()["forecast"]["days"]
        for body, field in (({"illness": "influenza", "days": [{"day": 3, "back_pain": 2}, {"day": 2}]}, "days.1.day"),
                            ({"illness": "flu", "days": TYPICAL}, "illness"),
                            ({"illness": "influenza", "days": []}, "days")):
            bad = client.post("/api/forecast", json=body)
            assert bad.status_code == 422, bad.text
            assert field in [d["field"] for d in bad.json()["detail"]]


def test_the_packaged_example_diary_is_a_valid_forecast_and_diary_check_request():
    from neuroimmune.advice.forecast import validate
    from neuroimmune.io.safe_yaml import load_yaml

    path = Path(__file__).parents[1] / "examples" / "diaries" / "influenza_day2.yaml"
    data = load_yaml(path.read_bytes(), field=str(path), what="diary")
    request = validate(data)
    assert request.illness == "influenza" and [d.day for d in request.days] == [1, 2]
    res = CliRunner().invoke(app, ["diary-check", str(path)], env={"COLUMNS": "160"})
    assert res.exit_code in (0, 3), res.output  # typical or see-a-doctor, never an input error (2)
