"""Profiles and identifiability on problems whose answer is known: a parameter the data pin down (its profile
is exactly quadratic, so its 95 % interval is the optimum +/- 1.96 sd), two whose product alone is observed
(structurally non-identifiable), and one seen through a saturating response (practically non-identifiable)."""

from __future__ import annotations

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from neuroimmune.calibration import profiles as prof
from neuroimmune.cli import app
from neuroimmune.plotting.profiles import figure

SD = 0.2  # the identifiable parameter's noise scale: its profile interval is 1 +/- 1.96 * SD


def logistic(x: float) -> float:
    return float(1.0 / (1.0 + np.exp(-x)))


def residuals(x: np.ndarray) -> np.ndarray:
    """x0 seen directly; only x1 + x2 (the log of a product a * b) seen; x3 through a response that saturates at
    1 above the observed 0.95, so raising it costs at most one unit of chi^2."""
    return np.array([(x[0] - 1.0) / SD, (x[1] + x[2] - 0.5) / 0.2, (logistic(x[3]) - 0.95) / 0.05])


LOWER = np.array([-3.0, -3.0, -8.0, -2.0])
UPPER = np.array([3.0, 3.0, 8.0, 8.0])
NAMES = ("seen", "a", "b", "saturating")


@pytest.fixture(scope="module")
def run():
    problem = prof.pypesto_problem(residuals, LOWER, UPPER, NAMES)
    result = prof.optimum(problem, np.array([0.5, 0.0, 0.0, 1.0]))
    profiles = prof.profiles(problem, result, [0, 1, 3])
    return profiles, [prof.classify(p) for p in profiles]


def test_the_optimum_is_found(run):
    profiles, _ = run
    assert profiles[0].optimum == pytest.approx(1.0, abs=1e-3)
    assert profiles[2].optimum == pytest.approx(np.log(0.95 / 0.05), abs=0.05)


def test_a_parameter_the_data_pin_down_is_identifiable_with_the_exact_interval(run):
    _, table = run
    seen = table[0]
    assert seen.kind == "identifiable" and not (seen.low_open or seen.high_open)
    half = np.sqrt(prof.THRESHOLD) * SD  # 1.96 sd
    assert seen.low == pytest.approx(1.0 - half, abs=0.01) and seen.high == pytest.approx(1.0 + half, abs=0.01)


def test_a_parameter_seen_only_in_a_product_is_structurally_non_identifiable(run):
    profiles, table = run
    assert table[1].kind == "structurally non-identifiable" and table[1].low_open and table[1].high_open
    assert profiles[1].x.min() == pytest.approx(LOWER[1]) and profiles[1].x.max() == pytest.approx(UPPER[1])
    assert table[1].max_rise < prof.FLAT


def test_a_saturating_parameter_is_practically_non_identifiable(run):
    _, table = run
    sat = table[2]
    assert sat.kind == "practically non-identifiable"
    assert not sat.low_open and sat.high_open and sat.high == pytest.approx(UPPER[3])
    # below the optimum the response falls: the crossing is where (logistic(x) - 0.95) / 0.05 = 1.96
    assert sat.low == pytest.approx(np.log(0.852 / 0.148), abs=0.05)


def test_classes_of_hand_made_profiles():
    x = np.linspace(-1, 1, 21)
    assert prof.classify(prof.Profile("q", x, 10 * x**2, 0.0, -1, 1)).kind == "identifiable"
    assert prof.classify(prof.Profile("h", x, np.where(x > 0, 10 * x**2, 0.0), 0.0, -1, 1)).kind == \
        "practically non-identifiable"
    assert prof.classify(prof.Profile("r", x, 0.5 * x**2, 0.0, -1, 1)).kind == "practically non-identifiable"
    assert prof.classify(prof.Profile("f", x, 0.01 * x**2, 0.0, -1, 1)).kind == "structurally non-identifiable"


def test_interval_ends_by_refits_match_the_profile(run):
    cov = np.diag([SD**2, 1.0, 1.0, 0.1])
    x_opt = np.array([1.0, 0.25, 0.25, np.log(19.0)])
    half = np.sqrt(prof.THRESHOLD) * SD
    high, open_, _ = prof.interval_end(residuals, x_opt, 0, +1, LOWER, UPPER, cov)
    low, _, _ = prof.interval_end(residuals, x_opt, 0, -1, LOWER, UPPER, cov)
    assert not open_ and high == pytest.approx(1 + half, abs=0.02) and low == pytest.approx(1 - half, abs=0.02)
    end, open_, _ = prof.interval_end(residuals, x_opt, 3, +1, LOWER, UPPER, cov)
    assert open_ and end == UPPER[3]
    end, open_, _ = prof.interval_end(residuals, x_opt, 3, -1, LOWER, UPPER, cov)
    assert not open_ and end == pytest.approx(np.log(0.852 / 0.148), abs=0.05)


def test_the_table_and_figure_are_written(run, tmp_path):
    profiles, table = run
    rec = prof.ProfileRun(profiles, table, {"command": "test"}, {"seen": 1.0, "a": 1.0, "saturating": 19.0})
    paths = prof.write(rec, tmp_path)
    png = figure(profiles, table, rec.fit, tmp_path / "profiles.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    header, *rows = (tmp_path / "identifiability.csv").read_text(encoding="utf-8").splitlines()
    assert header.startswith("parameter,class,low,high") and rows[1].startswith("a,structurally")
    tree = yaml.safe_load(paths[1].read_text(encoding="utf-8"))
    assert tree["table"][0]["class"] == "identifiable" and len(tree["profiles"]["seen"]["delta_chi2"]) > 3


@pytest.mark.parametrize(("args", "message"), [
    (["--profiles", "--posterior"], "--posterior, --profiles: give one of the two (got both)"),
    (["--profiles", "--exclude", "coyle2006"], "--exclude: works only for a fit"),
])
def test_bad_profile_options_are_refused(args, message):
    res = CliRunner().invoke(app, ["calibrate", *args], env={"COLUMNS": "200"})
    assert res.exit_code == 2 and message in res.output and "Traceback" not in res.output


def test_an_output_folder_that_is_a_file_is_refused(tmp_path):
    target = tmp_path / "file.txt"
    target.write_text("x")
    res = CliRunner().invoke(app, ["calibrate", "--profiles", "--out", str(target)], env={"COLUMNS": "200"})
    assert res.exit_code == 2 and "--out: must be a folder" in res.output


def test_the_committed_profiles_belong_to_the_packaged_fit_and_the_readme_shows_them():
    """docs/profiles was written by `neuroimmune calibrate --profiles --out docs/profiles` with the packaged fit
    and parameter values, and the model still gives the cost it recorded at the fit; the README's table is its
    table. If this fails, rerun that command (about 7 minutes)."""
    from pathlib import Path

    from neuroimmune.calibration.problem import joint_problem
    from neuroimmune.calibration.store import fit_record
    from neuroimmune.model.parameters import base_parameters, default_parameters

    root = Path(__file__).resolve().parents[1]
    tree = yaml.safe_load((root / "docs/profiles/identifiability.yaml").read_text(encoding="utf-8"))
    problem = joint_problem(base_parameters())
    fitted = default_parameters()
    now = fit_record(problem, {n: fitted[n].value for n in problem.names})
    stored = tree["provenance"]["fingerprints"]
    assert stored["fit"] == now["fit"]
    # the fixed parameters the fitted studies read: their cost at the fit (the hash of every parameter value, kept
    # in the provenance, also moves with parameters no fitted study reads; see test_posterior)
    assert now["cost_by_study_at_fit"] == pytest.approx(stored["cost_by_study_at_fit"], rel=1e-6, abs=1e-9)
    assert tree["provenance"]["command"].startswith("neuroimmune calibrate --profiles")
    assert [row["parameter"] for row in tree["table"]] == list(problem.names)
    assert (root / "docs/profiles/profiles.png").read_bytes()[:4] == b"\x89PNG"
    readme = (root / "README.md").read_text(encoding="utf-8")
    for row in tree["table"]:
        assert f"| `{row['parameter']}` | {row['class']} |" in readme
