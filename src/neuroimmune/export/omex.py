"""A COMBINE archive (OMEX) of one scenario: the SBML model, a SED-ML simulation, the matching data, metadata.

The archive holds

* ``model.xml``: the scenario's SBML (:mod:`neuroimmune.export.sbml`);
* ``simulation.sedml``: SED-ML Level 1 Version 3 (python-libsedml) with a uniform time course over the
  scenario's duration and output grid, the algorithm CVODE (``KISAO:0000019``) with relative tolerance
  (``KISAO:0000209``) 1e-10, absolute tolerance (``KISAO:0000211``) 1e-12 and at most 10^6 steps
  (``KISAO:0000415``), one report with time and every observable, and plots of the cytokines, fever, pain and
  sickness behaviour;
* ``data/<dataset>.csv`` and ``data.sedml``, for a scenario that is one of the packaged studies' conditions
  (:data:`TIME_COURSES`): the study's time-course data (the packaged files without their provenance comments,
  which go to the metadata) and a second SED-ML document that maps each data column onto the observable it
  measures (SED-ML data descriptions) and plots the two together;
* ``metadata.rdf``: OMEX metadata (the archive's title, creators, creation date, licence, the reference
  citation and each data file's source) and ``manifest.xml`` (python-libcombine).

``neuroimmune export omex SCENARIO --out model.omex`` writes it; the test suite runs ``simulation.sedml`` in
tellurium (libRoadRunner) and in COPASI (through basico) and compares each tool's report with ``simulate``.

python-libsedml is imported only here, when an archive is written: once it is imported, python-libsbml's
``ASTNode.getType`` returns an opaque SWIG object instead of an int in the same process (the two bindings
register the same enum type); nothing in the export calls it.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import io
import os
import tempfile
from collections.abc import Callable
from typing import Any

from .. import data as datasets
from ..model.parameters import ParameterSet
from ..model.symbolic import symbolic_model
from ..scenarios import Scenario
from . import Exporter
from .sbml import to_sbml
from .sbml_annotations import REFERENCE

#: KiSAO terms of the simulation: CVODE and its relative and absolute tolerances and maximum number of steps.
ALGORITHM = "KISAO:0000019"
ALGORITHM_PARAMETERS = {"KISAO:0000209": 1e-10, "KISAO:0000211": 1e-12, "KISAO:0000415": 1e6}

#: Plots of the simulation document: title and the observables drawn.
PLOTS = {
    "cytokines": ("Plasma cytokines (pg/mL)", ("tnf", "il6", "il8", "il10")),
    "fever": ("Temperature (degC) and heart rate (1/min)", ("temperature", "heart_rate")),
    "pain": ("Back ache (0-10) and lower-back threshold change (%)", ("back_pain", "ppt_change_lower_back")),
    "sickness": ("Fatigue, appetite and mood (0-1)", ("fatigue", "appetite", "mood")),
}


@dataclasses.dataclass(frozen=True)
class TimeCourse:
    """A packaged dataset's column measured over time in a study whose condition a scenario can be."""

    dataset: str
    column: str
    observable: str


def _endotoxin_bolus_2ngkg(s: Scenario) -> bool:
    ch = s.challenge
    return (ch is not None and ch.kind == "endotoxin" and ch.dose == 2.0 and ch.time == 0.0 and ch.infusion is None
            and not s.interventions and s.host.sex == "male")


def _endotoxin_infusion_2ngkg_4h(s: Scenario) -> bool:
    ch = s.challenge
    return (ch is not None and ch.kind == "endotoxin" and ch.dose is None and ch.infusion is not None
            and ch.infusion.rate == 0.5 and ch.infusion.duration == 4.0 and ch.infusion.start == 0.0
            and not s.interventions)


def _influenza_challenge(s: Scenario) -> bool:
    ch = s.challenge
    return ch is not None and ch.kind == "influenza" and ch.time == 0.0 and abs(ch.inoculum - 10**4.2) < 1e-6


_CYTOKINES = {"TNF": "tnf", "IL6": "il6", "IL8": "il8", "IL10": "il10"}

#: Studies' time-course data by the condition they were measured in (a test on the scenario).
TIME_COURSES: tuple[tuple[Callable[[Scenario], bool], tuple[TimeCourse, ...]], ...] = (
    (_endotoxin_bolus_2ngkg, (
        *(TimeCourse(f"endotoxemia/janum2016_2ngkg_{tag}", "mean", obs) for tag, obs in _CYTOKINES.items()),
        TimeCourse("endotoxemia/janum2016_2ngkg_TEMP", "mean", "temperature"),
        TimeCourse("endotoxemia/janum2016_2ngkg_HR", "mean", "heart_rate"),
        *(TimeCourse(f"endotoxemia/windoloski2024_bolus2ngkg_{tag}_mean", "mean_no_outliers", obs)
          for tag, obs in _CYTOKINES.items()),
    )),
    (_endotoxin_infusion_2ngkg_4h, tuple(
        TimeCourse(f"endotoxemia/windoloski2024_continuous2ngkg_over4h_{tag}_mean", "mean", obs)
        for tag, obs in _CYTOKINES.items())),
)


#: The packaged studies' conditions with time-course data, as scenarios (for ``--validate``): the 2 ng/kg bolus of
#: Janum 2016 and Windoloski 2024 (8 h, 3-minute grid, as the validation samples it) and Windoloski 2024's
#: 4-hour infusion of the same total dose (10 h).
STUDY_SCENARIOS: dict[str, Callable[[], Scenario]] = {
    "bolus_2ngkg": lambda: Scenario.from_dict({"name": "endotoxin 2 ng/kg bolus (Janum 2016, Windoloski 2024)",
                                               "challenge": {"kind": "endotoxin", "dose": 2.0}, "duration": 8.0,
                                               "output_step": 0.05}),
    "infusion_2ngkg_4h": lambda: Scenario.from_dict({
        "name": "endotoxin 2 ng/kg over 4 h (Windoloski 2024)",
        "challenge": {"kind": "endotoxin", "infusion": {"rate": 0.5, "duration": 4.0}}, "duration": 10.0}),
}


def time_courses(scenario: Scenario) -> list[TimeCourse]:
    """The packaged time-course data measured in the condition that ``scenario`` is, if any."""
    return [tc for test, courses in TIME_COURSES if test(scenario) for tc in courses]


class OmexExporter(Exporter):
    """The ``omex`` format of :func:`neuroimmune.export.export` (a binary file); ``validate`` adds the studies."""

    suffix = ".omex"
    suffixes = (".omex",)

    def __init__(self, validate: bool = False):
        self.validate = validate

    def render(self, scenario: Scenario, *, parameters: ParameterSet | dict[str, float] | None = None) -> bytes:
        """The COMBINE archive of ``scenario`` as bytes."""
        return to_omex(scenario, parameters=parameters, validate=self.validate)


def to_omex(scenario: Scenario, *, parameters: ParameterSet | dict[str, float] | None = None,
            validate: bool = False) -> bytes:
    """The COMBINE archive of ``scenario`` (see the module docstring) as bytes.

    With ``validate``, the archive also holds, for each of :data:`STUDY_SCENARIOS`, the study's model
    (``model_<study>.xml``) and a data document (``data_<study>.sedml``) that maps the study's time-course data
    onto the observables: the validation's data-to-model mapping where SED-ML can state it (the validation's
    summary metrics, such as a peak or an RMSE over a window, are computed by ``neuroimmune validate``).
    """
    import libcombine

    files: dict[str, str] = {"model.xml": to_sbml(scenario, parameters=parameters),
                             "simulation.sedml": simulation_sedml(scenario)}
    courses = time_courses(scenario)
    if courses:
        files["data.sedml"] = data_sedml(scenario, courses)
    if validate:
        for study, factory in STUDY_SCENARIOS.items():
            study_scenario = factory()
            files[f"model_{study}.xml"] = to_sbml(study_scenario, parameters=parameters)
            files[f"data_{study}.sedml"] = data_sedml(study_scenario, time_courses(study_scenario),
                                                      model=f"model_{study}.xml")
            courses += time_courses(study_scenario)
    provenance = {}
    for name in sorted({tc.dataset for tc in courses}):
        table = datasets.load(name)
        files[f"data/{_stem(name)}.csv"] = table.table.to_csv(index=False)
        provenance[f"data/{_stem(name)}.csv"] = " ".join(table.provenance)
    with tempfile.TemporaryDirectory() as tmp:
        archive = libcombine.CombineArchive()
        formats = {".xml": "http://identifiers.org/combine.specifications/sbml.level-3.version-1",
                   ".sedml": "http://identifiers.org/combine.specifications/sed-ml.level-1.version-3",
                   ".csv": "http://purl.org/NET/mediatypes/text/csv"}
        for location, text in files.items():
            path = os.path.join(tmp, location.replace("/", "_"))
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(text)
            master = location == "simulation.sedml"
            if not archive.addFile(path, f"./{location}", formats[os.path.splitext(location)[1]], master):
                raise OSError(f"libcombine could not add {location} to the archive")
        metadata = os.path.join(tmp, "metadata.rdf")
        with open(metadata, "w", encoding="utf-8") as fh:
            fh.write(_metadata(scenario, provenance))
        if not archive.addFile(metadata, "./metadata.rdf", "http://identifiers.org/combine.specifications/omex-metadata",
                               False):
            raise OSError("libcombine could not add metadata.rdf to the archive")
        out = os.path.join(tmp, "archive.omex")
        if not archive.writeToFile(out):
            raise OSError("libcombine could not write the archive")
        archive.cleanUp()
        with open(out, "rb") as fh:
            return fh.read()


def _stem(dataset: str) -> str:
    return dataset.split("/")[-1]


def _new_document(source: str = "model.xml") -> Any:
    import libsedml

    doc = libsedml.SedDocument(1, 3)
    model = doc.createModel()
    _ok(model.setId("model"))
    _ok(model.setSource(source))
    _ok(model.setLanguage("urn:sedml:language:sbml.level-3.version-1"))
    return doc


def _time_course(doc: Any, scenario: Scenario) -> None:
    sim = doc.createUniformTimeCourse()
    _ok(sim.setId("time_course"))
    _ok(sim.setInitialTime(0.0))
    _ok(sim.setOutputStartTime(0.0))
    _ok(sim.setOutputEndTime(scenario.duration))
    _ok(sim.setNumberOfPoints(int(round(scenario.duration / scenario.output_step))))
    algorithm = sim.createAlgorithm()
    _ok(algorithm.setKisaoID(ALGORITHM))
    for kisao, value in ALGORITHM_PARAMETERS.items():
        parameter = algorithm.createAlgorithmParameter()
        _ok(parameter.setKisaoID(kisao))
        _ok(parameter.setValue(f"{value:g}" if kisao != "KISAO:0000415" else str(int(value))))
    task = doc.createTask()
    _ok(task.setId("task"))
    _ok(task.setModelReference("model"))
    _ok(task.setSimulationReference("time_course"))


def _model_generator(doc: Any, name: str) -> str:
    """A data generator of one observable (or time) of the task; returns its id."""
    import libsedml

    gid = f"dg_{name}"
    if doc.getDataGenerator(gid) is not None:
        return gid
    generator = doc.createDataGenerator()
    _ok(generator.setId(gid))
    _ok(generator.setName(name))
    variable = generator.createVariable()
    _ok(variable.setId(f"v_{name}"))
    _ok(variable.setTaskReference("task"))
    if name == "time":
        _ok(variable.setSymbol("urn:sedml:symbol:time"))
    else:
        _ok(variable.setTarget(f"/sbml:sbml/sbml:model/sbml:listOfParameters/sbml:parameter[@id='{name}']"))
    _ok(generator.setMath(libsedml.parseL3Formula(f"v_{name}")))
    return gid


def observable_ids() -> list[str]:
    """The SBML ids of every observable (one per coordinate for ``ppt_change``)."""
    return list(symbolic_model().observables)


def simulation_sedml(scenario: Scenario) -> str:
    """The simulation document: the time course, a report of every observable and the plots."""
    import libsedml

    doc = _new_document()
    _time_course(doc, scenario)
    names = ["time", *observable_ids()]
    report = doc.createReport()
    _ok(report.setId("report"))
    _ok(report.setName("time and every observable"))
    for name in names:
        dataset = report.createDataSet()
        _ok(dataset.setId(f"col_{name}"))
        _ok(dataset.setLabel(name))
        _ok(dataset.setDataReference(_model_generator(doc, name)))
    plots = dict(PLOTS)
    if getattr(scenario.challenge, "virus_prefix", None):
        plots["virus"] = ("Viral load (log10 per mL)", ("viral_load",))
    for pid, (title, observables) in plots.items():
        plot = doc.createPlot2D()
        _ok(plot.setId(f"plot_{pid}"))
        _ok(plot.setName(title))
        for name in observables:
            curve = plot.createCurve()
            _ok(curve.setId(f"curve_{pid}_{name}"))
            _ok(curve.setName(name))
            _ok(curve.setLogX(False))
            _ok(curve.setLogY(False))
            _ok(curve.setXDataReference("dg_time"))
            _ok(curve.setYDataReference(_model_generator(doc, name)))
    return libsedml.writeSedMLToString(doc)


def data_sedml(scenario: Scenario, courses: list[TimeCourse], model: str = "model.xml") -> str:
    """The data document: each study column as a SED-ML data description mapped onto its observable, and a plot
    of model and data together per observable."""
    import libsedml

    doc = _new_document(model)
    _time_course(doc, scenario)
    for tc in courses:
        stem = _stem(tc.dataset)
        description = doc.getDataDescription(f"data_{stem}")
        if description is None:
            description = doc.createDataDescription()
            _ok(description.setId(f"data_{stem}"))
            _ok(description.setName(" ".join(datasets.load(tc.dataset).provenance)[:200]))
            _ok(description.setSource(f"data/{stem}.csv"))
            _ok(description.setFormat("urn:sedml:format:csv"))
            for column in ("time_h", tc.column):
                source = description.createDataSource()
                _ok(source.setId(f"src_{stem}_{column}"))
                cut = source.createSlice()  # a CSV column, by its header
                _ok(cut.setReference("ColumnIds"))
                _ok(cut.setValue(column))
        for column, gid in (("time_h", f"dg_{stem}_time"), (tc.column, f"dg_{stem}_{tc.column}")):
            if doc.getDataGenerator(gid) is None:
                generator = doc.createDataGenerator()
                _ok(generator.setId(gid))
                variable = generator.createVariable()
                _ok(variable.setId(f"v_{gid}"))
                _ok(variable.setTarget(f"#src_{stem}_{column}"))
                _ok(generator.setMath(libsedml.parseL3Formula(f"v_{gid}")))
        plot = doc.getOutput(f"plot_{tc.observable}")
        if plot is None:
            plot = doc.createPlot2D()
            _ok(plot.setId(f"plot_{tc.observable}"))
            _ok(plot.setName(f"{tc.observable}: model and data"))
            curve = plot.createCurve()
            _ok(curve.setId(f"curve_model_{tc.observable}"))
            _ok(curve.setLogX(False))
            _ok(curve.setLogY(False))
            _ok(curve.setXDataReference(_model_generator(doc, "time")))
            _ok(curve.setYDataReference(_model_generator(doc, tc.observable)))
        curve = plot.createCurve()
        _ok(curve.setId(f"curve_{stem}"))
        _ok(curve.setName(f"{stem} ({tc.column}) -> {tc.observable}"))
        _ok(curve.setLogX(False))
        _ok(curve.setLogY(False))
        _ok(curve.setXDataReference(f"dg_{stem}_time"))
        _ok(curve.setYDataReference(f"dg_{stem}_{tc.column}"))
    return libsedml.writeSedMLToString(doc)


def _metadata(scenario: Scenario, provenance: dict[str, str]) -> str:
    """OMEX metadata (RDF/XML) of the archive and its data files."""
    from xml.sax.saxutils import escape

    created = f"{REFERENCE['date-released']}T00:00:00Z"
    today = _dt.date.today().isoformat()
    creators = "".join(f"<dcterms:creator><rdf:Description><foaf:name>{escape(a)}</foaf:name></rdf:Description>"
                       f"</dcterms:creator>" for a in REFERENCE["authors"])
    sources = "".join(
        f'<rdf:Description rdf:about="http://omex-library.org/archive.omex/{escape(path)}">'
        f"<dcterms:source>{escape(text)}</dcterms:source></rdf:Description>" for path, text in provenance.items())
    title = f"neuroimmune {REFERENCE['version']}: {scenario.name or 'unnamed scenario'}"
    citation = (f"{', '.join(REFERENCE['authors'])}. {REFERENCE['title']}, version {REFERENCE['version']} "
                f"({REFERENCE['date-released']}).")
    buf = io.StringIO()
    buf.write('<?xml version="1.0" encoding="UTF-8"?>\n'
              '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
              'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:foaf="http://xmlns.com/foaf/0.1/">'
              '<rdf:Description rdf:about="http://omex-library.org/archive.omex">'
              f"<dcterms:title>{escape(title)}</dcterms:title>{creators}"
              f"<dcterms:created><dcterms:W3CDTF>{created}</dcterms:W3CDTF></dcterms:created>"
              f"<dcterms:modified><dcterms:W3CDTF>{today}</dcterms:W3CDTF></dcterms:modified>"
              f'<dcterms:license rdf:resource="https://spdx.org/licenses/{REFERENCE["license"]}.html"/>'
              f"<dcterms:bibliographicCitation>{escape(citation)}</dcterms:bibliographicCitation>"
              "</rdf:Description>" + sources + "</rdf:RDF>\n")
    return buf.getvalue()


def _ok(code: int) -> None:
    import libsedml

    if code != libsedml.LIBSEDML_OPERATION_SUCCESS:
        raise RuntimeError(f"libSEDML rejected a value: {libsedml.OperationReturnValue_toString(code)}")
