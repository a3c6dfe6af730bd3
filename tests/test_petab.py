"""The PEtab export of the calibration problem: petablint accepts it, the command line writes it, and pyPESTO
(with libRoadRunner) evaluates its objective at the packaged fit equal to ours on the terms it states."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import petab.v1 as petab
import pytest
from typer.testing import CliRunner

import neuroimmune as ni
from neuroimmune import studies
from neuroimmune.calibration.problem import joint_problem
from neuroimmune.cli import app
from neuroimmune.errors import NeuroimmuneError
from neuroimmune.export.petab import FILES, NOT_STATED, exported_measurements
from neuroimmune.model.parameters import base_parameters, default_parameters


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return ni.export(None, "petab", tmp_path_factory.mktemp("petab") / "problem")


@pytest.fixture(scope="module")
def problem(folder):
    return petab.Problem.from_yaml(folder / FILES["problem"])


def test_petablint_accepts_the_problem(problem):
    assert petab.lint_problem(problem) is False  # False: no error found


def test_tables_hold_the_studies_data_and_free_parameters(problem):
    rows = exported_measurements()
    m = problem.measurement_df
    assert len(m) == len(rows) == 59  # janum2016 56 + degoeij2013 3
    assert set(m.datasetId) == {"janum2016", "degoeij2013"}
    np.testing.assert_array_equal(m.measurement.to_numpy(), [r.value for r in rows])
    np.testing.assert_array_equal(m.noiseParameters.astype(float).to_numpy(), [r.sigma for r in rows])
    obs = problem.observable_df
    assert obs.loc["obs_tnf", "observableTransformation"] == "log"
    assert obs.loc["obs_temperature", "observableTransformation"] == "lin"
    p = problem.parameter_df
    free = [rec.name for rec in default_parameters().free()]
    assert sorted(p.index[p.estimate == 1]) == sorted(free)
    assert set(p.loc[free, "parameterScale"]) == {"log10"}
    fit = default_parameters().values()
    np.testing.assert_allclose(p.loc[free, "nominalValue"].astype(float), [fit[n] for n in free], rtol=1e-15)
    # the prior's standard deviation in log10 units is the calibration's in natural-log units over ln 10
    prior_sd = joint_problem(base_parameters()).prior_sigma / np.log(10)
    sd = [float(s.split(";")[1]) for s in p.loc[free, "objectivePriorParameters"]]
    np.testing.assert_allclose(sd, prior_sd, rtol=1e-12)
    assert p.loc["k_E", "estimate"] == 0  # a fixed parameter of the model
    assert problem.condition_df.loc["lps_2ngkg_male", "dose"] == 2.0


def test_every_fitted_study_is_exported_or_says_why_not():
    exported = {r.study for r in exported_measurements()}
    assert exported | set(NOT_STATED) == set(studies.fitted())
    assert not exported & set(NOT_STATED)


def test_petab_takes_no_scenario_and_wants_a_folder(tmp_path):
    with pytest.raises(NeuroimmuneError, match="scenario: format petab"):
        ni.export("examples/endotoxin_2ngkg.yaml", "petab", tmp_path / "x")
    file = tmp_path / "file.txt"
    file.write_text("keep me")
    with pytest.raises(NeuroimmuneError, match="must be a folder, not an existing file"):
        ni.export(None, "petab", file)
    assert file.read_text() == "keep me"


def test_cli_export_petab(tmp_path):
    runner = CliRunner()
    target = tmp_path / "petab"
    result = runner.invoke(app, ["export", "petab", str(target)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in target.iterdir()) == sorted(FILES.values())
    assert len(pd.read_csv(target / FILES["measurements"], sep="\t")) == 59
    file = tmp_path / "a_file"
    file.write_text("")
    result = runner.invoke(app, ["export", "petab", str(file)])
    assert result.exit_code == 2
    assert "DIR: must be a folder, not an existing file" in result.output


#: pyPESTO's libRoadRunner objective takes no per-row noise values: PEtab's own flattening gives each noise value
#: its own observable (the same densities). Prints the data and prior parts at the nominal (packaged-fit) values.
_PYPESTO_RUN = """
import json
import sys

import numpy as np
import petab.v1 as petab
import pypesto.petab as pypesto_petab
from pypesto.objective.roadrunner import SolverOptions

flat = petab.Problem.from_yaml(sys.argv[1])
petab.flatten_timepoint_specific_output_overrides(flat)
pp = pypesto_petab.PetabImporter(flat, simulator_type="roadrunner").create_problem()
data_objective, prior_objective = pp.objective._objectives
data_objective.solver_options = SolverOptions(relative_tolerance=1e-8, absolute_tolerance=1e-12,
                                              maximum_num_steps=100000)
x = np.asarray(flat.x_nominal_scaled)
print(json.dumps([float(data_objective(x)), float(prior_objective(x))]))
"""


def test_pypesto_objective_at_the_fit_equals_ours(folder):
    """pyPESTO's negative log-posterior at the packaged fit, less the normalisation constants of PEtab's
    densities, is our cost on the same terms: 0.5 * sum of squared weighted residuals (janum2016, degoeij2013)
    plus the prior's.

    PEtab's normal noise adds 0.5 * log(2 pi sigma^2) per row, its log-normal noise (log transformation) also
    log(measurement), and its parameterScaleNormal prior 0.5 * log(2 pi sd^2) per free parameter. The tolerance,
    1e-3 in a cost of about 44, is the two solvers' agreement: libRoadRunner's CVODE at rtol 1e-8 against our
    LSODA at rtol 1e-7; a relative error e in a cytokine moves its residual by e / sigma (sigma about 0.1), and
    the cost by about sum |r| * 10 e, some 700 e for these 59 rows (measured difference -1.1e-4, the same at
    rtol 1e-10: docs/PETAB.md).
    """
    # pyPESTO runs in its own process: libSBML and libRoadRunner keep process-wide state that other tools of the
    # suite (python-libsedml, tellurium) change, after which a new RoadRunner has no ``load``
    out = subprocess.run([sys.executable, "-c", _PYPESTO_RUN, str(folder / FILES["problem"])], check=True,
                         capture_output=True, encoding="utf-8")
    data_nllh, prior_nllh = json.loads(out.stdout.strip().splitlines()[-1])

    rows = exported_measurements()
    fit = default_parameters().values()
    residuals = np.concatenate([studies.modules()[s].residuals(fit) for s in ("janum2016", "degoeij2013")])
    sigma = np.array([r.sigma for r in rows])
    constants = np.sum(0.5 * np.log(2 * np.pi * sigma**2)) + sum(np.log(r.value) for r in rows if r.scale == "log")
    assert data_nllh - constants == pytest.approx(0.5 * np.sum(residuals**2), abs=1e-3)

    jp = joint_problem(base_parameters())
    prior = jp.prior_residuals(np.log([fit[n] for n in jp.names]))
    prior_constants = np.sum(0.5 * np.log(2 * np.pi * (jp.prior_sigma / np.log(10)) ** 2))
    assert prior_nllh - prior_constants == pytest.approx(0.5 * np.sum(prior**2), rel=1e-12)
