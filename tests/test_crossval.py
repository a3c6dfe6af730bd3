"""Cross-validation mechanics on a reduced run (one fitted group left out, one start, a few evaluations): the
left-out study's residuals are not in the refit problem, and its out-of-sample rows are computed with the refit
values; studies that are never fitted keep their in-sample rows."""

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from neuroimmune import studies
from neuroimmune.calibration import crossval
from neuroimmune.calibration.problem import joint_problem
from neuroimmune.cli import app
from neuroimmune.model.parameters import base_parameters, default_parameters


@pytest.fixture(scope="module")
def result():
    return crossval.cross_validate(["coyle2006", "carrat2008"], n_starts=1, max_nfev=3)


def test_the_left_out_study_is_not_in_the_refit_problem(result):
    refit = result.refits["coyle2006"]
    assert refit.left_out == ("coyle2006",)
    assert "coyle2006" not in refit.problem_studies
    assert set(refit.problem_studies) == set(studies.fitted()) - {"coyle2006"}
    full = default_parameters().values()
    problem = joint_problem(base_parameters(), exclude=["coyle2006"])
    n_coyle = len(studies.modules()["coyle2006"].residuals(full))
    assert problem.n_residuals == joint_problem(base_parameters()).n_residuals - n_coyle
    # the refit started from the base values and moved (a few evaluations, so far from the full fit)
    assert refit.cost < 0.5 * np.sum(problem.residuals(problem.start) ** 2)
    full_x = np.log([full[name] for name in problem.names])
    assert refit.full_fit_cost == pytest.approx(0.5 * np.sum(problem.residuals(full_x) ** 2))  # data and prior


def test_out_of_sample_rows_come_from_the_refit_values(result):
    refit = result.refits["coyle2006"]
    full = default_parameters().values()
    assert any(refit.values[name] != full[name] for name in refit.values)
    coyle_out = [r for r in result.out_of_sample if r.study == "coyle2006"]
    coyle_in = [r for r in result.in_sample if r.study == "coyle2006"]
    assert coyle_out == studies.validate(["coyle2006"], refit.values)
    assert coyle_in == studies.validate(["coyle2006"], full)
    assert coyle_out[0].model != pytest.approx(coyle_in[0].model, rel=1e-3)


def test_a_never_fitted_study_is_evaluated_with_the_full_fit(result):
    assert "carrat2008" not in result.refits
    carrat_in = [r for r in result.in_sample if r.study == "carrat2008"]
    carrat_out = [r for r in result.out_of_sample if r.study == "carrat2008"]
    assert carrat_in and carrat_out == carrat_in
    by_study = {s.study: s for s in result.by_study()}
    assert by_study["carrat2008"].refit is False and by_study["coyle2006"].refit is True
    t = result.totals()
    assert t["rows"] == len(result.in_sample) == len(result.out_of_sample)
    assert t["passed_out_of_sample"] == sum(r.passed for r in result.out_of_sample)


def test_refits_in_processes_equal_the_serial_ones():
    """Each refit is one process's serial optimisation, so running two at once in forked processes gives the same
    values, costs and rows as running them one after the other."""
    names = ["coyle2006", "krabbe2005"]
    done: list[str] = []
    serial = crossval.cross_validate(names, n_starts=1, max_nfev=2)
    forked = crossval.cross_validate(names, n_starts=1, max_nfev=2, processes=2,
                                     finished=lambda refit: done.append(refit.group))
    assert sorted(done) == sorted(names)
    assert set(forked.refits) == set(serial.refits) == set(names)
    for group in names:
        assert forked.refits[group].values == serial.refits[group].values
        assert forked.refits[group].cost == serial.refits[group].cost
    assert forked.out_of_sample == serial.out_of_sample


def test_processes_below_one_is_refused():
    with pytest.raises(crossval.NeuroimmuneError, match="processes: must be at least 1"):
        crossval.cross_validate(["coyle2006", "krabbe2005"], n_starts=1, max_nfev=1, processes=0)


def test_the_command_prints_both_sides_and_writes_its_record(tmp_path):
    out = tmp_path / "cv.yaml"
    res = CliRunner().invoke(app, ["validate", "--cross-validate", "--study", "coyle2006", "--starts", "1",
                                   "--max-nfev", "2", "--processes", "2", "--out", str(out)], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert "in sample: 1/1 rows pass" in res.output and "out of sample:" in res.output
    assert "without coyle2006: refit done" in res.output
    record = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert "--cross-validate --starts 1 --seed 0 --max-nfev 2" in record["provenance"]["command"]
    assert record["refits"]["coyle2006"]["studies_fitted"] == [s for s in studies.fitted() if s != "coyle2006"]
    assert record["totals"]["rows"] == 1
    assert len(record["provenance"]["full_fit"]["fingerprint"]) == 16


def test_the_packaged_record_is_a_full_run_with_the_committed_fit():
    """The committed record covers every study it lists (no --study subset), with a refit for each group that
    holds a fitted study, and was made with the committed fit (else its numbers are stale: rerun it)."""
    from neuroimmune.calibration.store import fit_record

    record = yaml.safe_load(crossval.record_path().read_text(encoding="utf-8"))
    listed = {s["study"] for s in record["studies"]}
    assert listed <= set(studies.modules())
    groups = studies.groups()
    assert set(record["refits"]) == {g for g, members in groups.items() if set(members) & set(studies.fitted())}
    for group in record["refits"]:
        assert set(groups[group]) <= listed
    assert record["totals"]["rows"] == sum(s["rows"] for s in record["studies"])
    assert "--study" not in record["provenance"]["command"]
    # made with the committed fit: its free values, and the fixed values the fitted studies read, through each
    # fitted study's cost at the fit (as for the posterior; the hash of every parameter value, kept in the
    # provenance, also moves with a parameter no row reads, such as a zoster vaccine's, which must not make the
    # record stale) ...
    problem = joint_problem(base_parameters())
    fitted = default_parameters()
    now = fit_record(problem, {n: fitted[n].value for n in problem.names})
    stored = record["provenance"]["full_fit"]["fingerprints"]
    assert stored["fit"] == now["fit"]
    assert now["cost_by_study_at_fit"] == pytest.approx(stored["cost_by_study_at_fit"], rel=1e-6, abs=1e-9)
    # ... and every study's rows pass in sample as they do now (a held-out row that a changed parameter moved
    # across its band makes the record stale: rerun it)
    rows = studies.validate(sorted(listed))
    for s in record["studies"]:
        assert s["passed_in_sample"] == sum(r.passed for r in rows if r.study == s["study"]), s["study"]
