"""PEtab v1 export of the calibration problem: ``export(None, "petab", folder)``.

PEtab (https://petab.readthedocs.io) states a parameter estimation problem as an SBML model and five tables. The
folder written here holds

``model.xml``
    the live-parameter SBML of the 2 ng/kg endotoxin bolus (:mod:`neuroimmune.export.sbml`) with the packaged fit's
    values: doses and host traits are condition inputs, so the one file serves every endotoxin bolus arm;
``conditions.tsv``
    one condition per study arm (``lps_2ngkg_male``), setting every condition input of the model (``dose``,
    ``sex_female``, ``age``, ``weight``, ...) to the arm's value;
``observables.tsv``
    one observable per model output that a study measures (``obs_tnf`` reads the SBML's ``tnf``), each with a
    normal noise model whose standard deviation the measurement table gives per row (``noiseParameter1_<id>``);
    ``observableTransformation`` is ``log`` where the study's residual is on the log scale, so that PEtab's
    residual ``(log model - log value) / sigma`` is the study's;
``measurements.tsv``
    the values of the studies that PEtab can state exactly, from each study module's ``measurements()`` (the same
    records its ``residuals()`` reads), with the study id as ``datasetId``;
``parameters.tsv``
    every free parameter (``estimate`` 1) on ``log10`` scale within its bounds from ``parameters.yaml``, nominal
    value the packaged fit, and the calibration's weak prior as ``parameterScaleNormal`` (mean the documented
    value, standard deviation the bounds' width over
    :data:`~neuroimmune.calibration.problem.PRIOR_WIDTH_SIGMAS`: in log10 units the same term as the calibration's
    prior in natural-log units); every other base parameter in the model at its value with ``estimate`` 0;
``problem.yaml``
    the PEtab v1 problem file naming the five.

Which of the calibration's residual terms are exported, and why the others are not (:data:`NOT_STATED`), is in
``docs/PETAB.md``. Written with pandas and PyYAML rather than ``petab``'s writers, so that the export needs only
the core install; the ``petab`` extra's ``petablint`` checks the folder (the tests run its lint).
"""

from __future__ import annotations

import io
from typing import Any

import numpy as np

from ..errors import NeuroimmuneError
from ..model.parameters import ParameterSet, base_parameters, default_parameters
from ..scenarios import Scenario
from . import Exporter

#: PEtab v1 format version written in ``problem.yaml``.
FORMAT_VERSION = 1
#: File names in the folder.
FILES = {"model": "model.xml", "conditions": "conditions.tsv", "observables": "observables.tsv",
         "measurements": "measurements.tsv", "parameters": "parameters.tsv", "problem": "problem.yaml"}

#: Fitted studies whose residual terms PEtab v1 cannot state as written, with the reason (docs/PETAB.md).
NOT_STATED: dict[str, str] = {
    "behr1996": "the time fever last falls below 38 degC after the antibiotic (an event time, not a value at a time)",
    "coyle2006": "a ratio of two conditions' peak temperature rises (women over men)",
    "dillingh2014": "a geometric mean over 0-6 h relative to baseline (a time integral)",
    "draisma2009": "a ratio of the last bolus's rise to the first's (two time points of one course)",
    "ferguson2013": "the CRP peak of a cohort mixing a man's and a woman's course (a weighted peak of two conditions)",
    "grigoleit2010": "the log peak rise above baseline at the model's own peak time (the data give no peak time)",
    "halm1998": "the time temperature last falls below 37.2 degC after the antibiotic (an event time)",
    "krabbe2005": "the log peak fold rise over baseline at the model's own peak time (the data give no peak time)",
    "leentjens2012": "a ratio of the last bolus's rise to the first's (two time points of one course)",
    "suffredini1999": "an ordinal penalty (peaks must not fall with dose)",
    "wegner2014": "an ordinal penalty (the threshold fall largest at 3 h after 0.8 ng/kg)",
}


class PetabExporter(Exporter):
    """The ``petab`` format of :func:`neuroimmune.export.export`: a folder, for the packaged calibration problem
    (so it takes no scenario)."""

    suffix = ""
    kind = "folder"
    takes_scenario = False

    def render(
        self, scenario: Scenario, *, parameters: ParameterSet | dict[str, float] | None = None
    ) -> dict[str, str]:
        """The folder's files by name (see the module docstring); ``parameters`` replace the packaged fit as the
        model's values and the free parameters' nominal values."""
        return problem_files(parameters)


def exported_measurements() -> list[Any]:
    """The measurement records of every fitted study that states its residuals as measurements, in study order."""
    from .. import studies

    out = []
    for name in studies.fitted():
        module = studies.modules()[name]
        if hasattr(module, "measurements"):
            out += module.measurements()
        elif name not in NOT_STATED:
            raise NeuroimmuneError(f"petab: fitted study {name} has neither measurements() nor a reason in "
                                   "neuroimmune.export.petab.NOT_STATED; add one of the two")
    return out


def problem_files(parameters: ParameterSet | dict[str, float] | None = None) -> dict[str, str]:
    """The PEtab problem's files by name, as text."""
    import libsbml
    import pandas as pd

    from ..calibration.problem import PRIOR_WIDTH_SIGMAS
    from ..engine.simulate import resolve_parameters
    from .sbml import to_document
    from .sbml_conditions import conditions

    records = parameters if isinstance(parameters, ParameterSet) else default_parameters()
    values = records.values()
    if parameters is not None and not isinstance(parameters, ParameterSet):
        values.update({k: float(v) for k, v in parameters.items()})
    measurements = exported_measurements()
    arms = {m.condition: m.scenario for m in measurements}
    model_scenario = next(iter(arms.values()))
    doc = to_document(model_scenario, parameters=values)
    model = doc.getModel()
    sbml_ids = {p.getId() for p in model.getListOfParameters()}

    # conditions: every condition input of the model, at each arm's value
    rows: list[dict[str, Any]] = []
    inputs: list[str] | None = None
    for cid, scenario in arms.items():
        p = resolve_parameters(scenario, values)
        c = conditions(scenario, p, {name: float(getattr(p, name)) for name in records if hasattr(p, name)})
        live = [name for name in c.inputs if name in sbml_ids]
        if inputs is None:
            inputs = live
        elif live != inputs:
            raise NeuroimmuneError(f"petab: arm {cid} has condition inputs {live}, but the model's are {inputs}: "
                                   "it needs a model of another structure")
        rows.append({"conditionId": cid, "conditionName": scenario.name or cid,
                     **{name: c.inputs[name].value for name in live}})
    condition_df = pd.DataFrame(rows)

    # observables: one per (model output, scale)
    scales: dict[str, str] = {}
    for m in measurements:
        if scales.setdefault(m.observable, m.scale) != m.scale:
            raise NeuroimmuneError(f"petab: observable {m.observable} is measured on both the lin and log scale")
        if m.observable not in sbml_ids:
            raise NeuroimmuneError(f"petab: observable {m.observable} is not an output of the model")
    observable_df = pd.DataFrame([
        {"observableId": f"obs_{name}", "observableName": name, "observableFormula": name,
         "observableTransformation": scale, "noiseFormula": f"noiseParameter1_obs_{name}",
         "noiseDistribution": "normal"} for name, scale in scales.items()])
    measurement_df = pd.DataFrame([
        {"observableId": f"obs_{m.observable}", "simulationConditionId": m.condition, "time": m.time,
         "measurement": m.value, "noiseParameters": m.sigma, "datasetId": m.study} for m in measurements])

    # parameters: the free ones estimated with the calibration's prior, every other base parameter fixed
    base = base_parameters()
    taken = set(inputs or ())
    prows = []
    for name, rec in records.items():
        if name not in sbml_ids or name in taken:
            continue
        row: dict[str, Any] = {"parameterId": name, "parameterName": name, "lowerBound": rec.lower,
                               "upperBound": rec.upper, "nominalValue": values[name]}
        if rec.free:
            mean = float(np.log10(base[name].value))
            sd = float((np.log10(rec.upper) - np.log10(rec.lower)) / PRIOR_WIDTH_SIGMAS)
            row.update(parameterScale="log10", estimate=1, objectivePriorType="parameterScaleNormal",
                       objectivePriorParameters=f"{mean!r};{sd!r}")
        else:
            row.update(parameterScale="lin", estimate=0, objectivePriorType="", objectivePriorParameters="")
        prows.append(row)
    parameter_df = pd.DataFrame(prows)

    problem = (f"format_version: {FORMAT_VERSION}\nparameter_file: {FILES['parameters']}\nproblems:\n"
               f"- sbml_files: [{FILES['model']}]\n  condition_files: [{FILES['conditions']}]\n"
               f"  measurement_files: [{FILES['measurements']}]\n  observable_files: [{FILES['observables']}]\n")
    return {FILES["model"]: libsbml.writeSBMLToString(doc), FILES["conditions"]: _tsv(condition_df),
            FILES["observables"]: _tsv(observable_df), FILES["measurements"]: _tsv(measurement_df),
            FILES["parameters"]: _tsv(parameter_df), FILES["problem"]: problem}


def _tsv(df: Any) -> str:
    buf = io.StringIO()
    df.to_csv(buf, sep="\t", index=False, lineterminator="\n")
    return buf.getvalue()


__all__ = ["FILES", "NOT_STATED", "PetabExporter", "exported_measurements", "problem_files"]
