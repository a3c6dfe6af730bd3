"""SBML Level 3 Version 1 export of one scenario: equations, values with units and provenance, and events.

The document is built from the model code itself (:func:`neuroimmune.model.symbolic.symbolic_model`) and from
the scenario's events (:func:`neuroimmune.engine.schedule.events`), so new states, inputs, challenges and
interventions are exported without change here. What it contains, and why in that form:

* **States** are global parameters (``constant="false"``) with a *rate rule* each. The model has no reactions:
  its states are cell counts, plasma concentrations, a temperature and dimensionless indices, not amounts in a
  compartment, so SBML species would add volume semantics (amount versus concentration, rescaling on events)
  that mean nothing here. Rate-rule parameters are SBML's form for plain ODE models; libRoadRunner and COPASI
  integrate them directly. Ids are the state names (``E``, ``TNF``, ...); an initial assignment keeps a state's
  initial value tied to its parameter (``MR = M_max``) where the model defines it so.
* **Observables** are parameters with *assignment rules*, with ids equal to their names (``tnf``, ``il6``,
  ``temperature``, ``back_pain``, ...); observables over a dimension get one per coordinate
  (``ppt_change_lower_back``, ...).
* **Parameters** hold the values effective for this scenario
  (:func:`neuroimmune.engine.simulate.resolve_parameters`: calibrated values plus the host-dependent derived
  ones such as ``g_TNF``), ``constant="true"``, with SBML units where pint and SBML can express them
  (:mod:`neuroimmune.export.sbml_units`; otherwise a note says why). Each carries its provenance twice: an XHTML
  ``<notes>`` block for people, and an annotation for programs, ``<neuroimmune:parameter>`` in the namespace
  :data:`NAMESPACE`, with attributes ``source`` (key into the package's ``references.bib``), ``evidence``,
  ``rationale``, ``unit``, ``lower``, ``upper``, ``fitted``, ``module`` (``evidence="derived"``,
  ``derivation`` and ``depends_on``, the base parameters it depends on for this host, for the host-derived
  values). Sources with a DOI also get a MIRIAM ``bqmodel:isDescribedBy``
  link.
* **Events.** Every time at which the scenario adds to a state (a :class:`~neuroimmune.engine.schedule.Jump`:
  a bolus, a dose) or changes an input (a :class:`~neuroimmune.engine.schedule.Rate`: an infusion) becomes one
  SBML event with trigger ``time >= t``, ``initialValue="false"`` (so the trigger counts as false before the
  start and an event at t = 0 fires at the start of a simulation), ``persistent="true"``, and assignments
  ``state = state + amount`` and ``input = value``. Inputs are parameters (``constant="false"``, 0 until an
  event sets them) switched by events rather than piecewise assignment rules: an event stops and restarts the
  integrator at the switch, as the simulator's own segments do, while a ``piecewise`` rule leaves the solver to
  step across the jump in the right-hand side (libRoadRunner then loses accuracy or shortens its steps around
  it). All changes at one time go in one event so that simultaneous events cannot overwrite each other.

Time is in hours (the model's ``timeUnits``). Loading the file in libRoadRunner::

    import roadrunner
    rr = roadrunner.RoadRunner("model.xml")
    result = rr.simulate(0, 24, 241, selections=["time", "tnf", "temperature", "ppt_change_lower_back"])

The document is checked with libSBML's consistency checks before it is returned; an error (not a warning)
raises :class:`SbmlValidationError` with libSBML's messages.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import libsbml
import numpy as np
import sympy

from .. import __version__
from ..engine.schedule import Jump, Rate, events
from ..engine.simulate import resolve_parameters
from ..model import assembly, host
from ..model.parameters import Parameter, ParameterSet, default_parameters
from ..model.symbolic import TIME, SymbolicModel, symbolic_model
from ..scenarios import Scenario
from . import Exporter
from .sbml_math import to_ast
from .sbml_units import UnitTable

#: XML namespace of the provenance annotation on parameters.
NAMESPACE = "urn:neuroimmune:sbml:provenance:1"
_PREFIX = "neuroimmune"
LEVEL, VERSION = 3, 1


class SbmlValidationError(RuntimeError):
    """libSBML found errors in the exported document; the message lists them."""


class SbmlExporter(Exporter):
    """The ``sbml`` format of :func:`neuroimmune.export.export`."""

    suffix = ".xml"

    def render(self, scenario: Scenario, *, parameters: ParameterSet | dict[str, float] | None = None) -> str:
        """The SBML text of ``scenario``."""
        return libsbml.writeSBMLToString(to_document(scenario, parameters=parameters))


def to_sbml(scenario: Scenario, *, parameters: ParameterSet | dict[str, float] | None = None) -> str:
    """The SBML document of ``scenario`` as a string (what ``export(scenario, "sbml", path)`` writes)."""
    return SbmlExporter().render(scenario, parameters=parameters)


def to_document(
    scenario: Scenario, *, parameters: ParameterSet | dict[str, float] | None = None
) -> libsbml.SBMLDocument:
    """The checked :class:`libsbml.SBMLDocument` of ``scenario``."""
    p = resolve_parameters(scenario, parameters)
    records = parameters if isinstance(parameters, ParameterSet) else default_parameters()
    overridden = set(parameters or {}) if not isinstance(parameters, ParameterSet) else set()
    m = symbolic_model()
    _check_ids(m, p)

    doc = libsbml.SBMLDocument(LEVEL, VERSION)
    model = doc.createModel()
    _ok(model.setId("neuroimmune"), "model id")
    _ok(model.setName(f"neuroimmune {__version__}: {scenario.name or 'unnamed scenario'}"), "model name")
    units = UnitTable(model)
    hour = units.unit_id("h")
    _ok(model.setTimeUnits(hour), "time units")

    _add_states(model, m, p, units)
    _add_inputs(model, m, units)
    _add_parameters(model, m, p, records, overridden, scenario, units)
    _add_observables(model, m, units)
    _add_events(model, scenario, p)
    _notes(model, _model_notes(scenario, records, units))
    check(doc)
    return doc


def check(doc: libsbml.SBMLDocument) -> None:
    """Run libSBML's consistency checks; raise :class:`SbmlValidationError` if any error (not warning) is found.

    Unit warnings are expected and ignored: Hill functions raise concentrations to fitted powers, which no unit
    system can type.
    """
    doc.checkConsistency()
    errors = [doc.getError(i) for i in range(doc.getNumErrors())
              if doc.getError(i).getSeverity() >= libsbml.LIBSBML_SEV_ERROR]
    if errors:
        lines = [f"line {e.getLine()}: [{e.getErrorId()}] {e.getMessage().strip()}" for e in errors[:20]]
        raise SbmlValidationError(f"the SBML document has {len(errors)} errors:\n  " + "\n  ".join(lines))


# -- sections of the model ----------------------------------------------------------------------------------------

def _add_states(model: libsbml.Model, m: SymbolicModel, p: SimpleNamespace, units: UnitTable) -> None:
    values = assembly.initial_state(p)
    for name, value in zip(m.states, values, strict=True):
        par = _parameter(model, name, float(value), constant=False, unit=m.units[name], units=units)
        _notes(par, [f"State variable: {m.long_names[name]} ({m.units[name]}); integrated by the rate rule d{name}/dt."]
               + _unit_note(m.units[name], units))
        rule = model.createRateRule()
        _ok(rule.setVariable(name), name)
        _ok(rule.setMath(to_ast(m.rhs[name])), name)
        init = m.initial[name]
        if init.free_symbols:
            ia = model.createInitialAssignment()
            _ok(ia.setSymbol(name), name)
            _ok(ia.setMath(to_ast(init)), name)


def _add_inputs(model: libsbml.Model, m: SymbolicModel, units: UnitTable) -> None:
    for name in m.inputs:
        unit = _input_unit(m, name)
        par = _parameter(model, name, 0.0, constant=False, unit=unit, units=units)
        text = ("Input held piecewise constant by the scenario's events (0 until an event sets it); "
                f"unit {unit or 'not declared: it does not enter any rate additively'}.")
        _notes(par, [text])


def _add_parameters(
    model: libsbml.Model,
    m: SymbolicModel,
    p: SimpleNamespace,
    records: ParameterSet,
    overridden: set[str],
    scenario: Scenario,
    units: UnitTable,
) -> None:
    used = set(m.parameters)
    h = scenario.host
    host_text = f"{h.sex}, {h.age:g} years, {h.weight:g} kg"
    depends = _host_dependencies({n: float(v) for n, v in vars(p).items() if n in records}, h)
    for name, value in vars(p).items():
        rec = records[name] if name in records else None
        par = _parameter(model, name, float(value), constant=True, unit=rec.unit if rec else None, units=units)
        lines: list[str] = []
        if rec is not None:
            lines.append(rec.rationale)
            lines.append(f"Unit {rec.unit}; plausible range [{rec.lower:g}, {rec.upper:g}]; source {rec.source}; "
                         f"evidence {rec.evidence}; {'fitted by neuroimmune calibrate' if rec.free else 'not fitted'}"
                         f"; module {rec.module}.")
            lines += _unit_note(rec.unit, units)
            if name in overridden:
                lines.append(f"Value set by the user for this export (the record's value is {rec.value:g}).")
            _annotate_record(par, rec)
        else:
            inputs = ", ".join(depends.get(name, [])) or "none at this host (the reference value)"
            derivation = (f"Derived for this scenario's host ({host_text}) by neuroimmune.model.host.effective "
                          f"(sex, age and body-weight effects); base parameters it depends on here: {inputs}. "
                          "Unit not declared.")
            lines.append(derivation)
            _annotate(par, {"evidence": "derived", "derivation": derivation,
                            "depends_on": " ".join(depends.get(name, []))})
        if name not in used:
            lines.append("Not read by this document's equations: it acted when the file was written, through the "
                         "derived host parameters or the event amounts.")
        _notes(par, lines)


def _add_observables(model: libsbml.Model, m: SymbolicModel, units: UnitTable) -> None:
    for name, expr in m.observables.items():
        par = _parameter(model, name, None, constant=False, unit=m.units[name], units=units)
        _notes(par, [f"Observable: {m.long_names[name]} ({m.units[name]})."] + _unit_note(m.units[name], units))
        rule = model.createAssignmentRule()
        _ok(rule.setVariable(name), name)
        _ok(rule.setMath(to_ast(expr)), name)


def _add_events(model: libsbml.Model, scenario: Scenario, p: SimpleNamespace) -> None:
    """One event per time at which a state jumps or an input changes (see the module docstring)."""
    evs = events(scenario, p)
    rates = [e for e in evs if isinstance(e, Rate)]
    times = sorted({e.time for e in evs if isinstance(e, Jump)}
                   | {t for e in rates for t in (e.start, e.stop) if np.isfinite(t)})
    current = dict.fromkeys(assembly.INPUTS, 0.0)
    for i, t in enumerate(times, start=1):
        jumps: dict[str, float] = {}
        for e in evs:
            if isinstance(e, Jump) and e.time == t:
                jumps[e.state] = jumps.get(e.state, 0.0) + e.amount
        inputs = dict.fromkeys(assembly.INPUTS, 0.0)
        for e in rates:  # summed in event order, exactly as schedule.segments does
            if e.start <= t < e.stop:
                inputs[e.input] += e.value
        changed = {k: v for k, v in inputs.items() if v != current[k]}
        current = inputs
        if not jumps and not changed:
            continue
        ev = model.createEvent()
        _ok(ev.setId(f"event_{i}"), f"event_{i}")
        parts = [f"{s} += {a:g}" for s, a in jumps.items()] + [f"{k} = {v:g}" for k, v in changed.items()]
        _ok(ev.setName(f"t = {t:g} h: " + ", ".join(parts)), "event name")
        _ok(ev.setUseValuesFromTriggerTime(True), "event")
        trigger = ev.createTrigger()
        _ok(trigger.setInitialValue(False), "trigger")
        _ok(trigger.setPersistent(True), "trigger")
        _ok(trigger.setMath(to_ast(sympy.GreaterThan(TIME, sympy.Float(t), evaluate=False))), "trigger")
        for state, amount in jumps.items():
            _assign(ev, state, sympy.Add(sympy.Symbol(state), sympy.Float(amount), evaluate=False))
        for name, value in changed.items():
            _assign(ev, name, sympy.Float(value))


# -- helpers ------------------------------------------------------------------------------------------------------


def _assign(ev: libsbml.Event, variable: str, expr: sympy.Basic) -> None:
    ea = ev.createEventAssignment()
    _ok(ea.setVariable(variable), variable)
    _ok(ea.setMath(to_ast(expr)), variable)


def _parameter(
    model: libsbml.Model, sid: str, value: float | None, *, constant: bool, unit: str | None, units: UnitTable
) -> libsbml.Parameter:
    par = model.createParameter()
    _ok(par.setId(sid), sid)
    _ok(par.setConstant(constant), sid)
    if value is not None:
        _ok(par.setValue(value), sid)
    uid = units.unit_id(unit) if unit is not None else None
    if uid is not None:
        _ok(par.setUnits(uid), sid)
    return par


def _input_unit(m: SymbolicModel, name: str) -> str | None:
    """The unit of an input that enters some state's rate additively (``dX/dt = u + ...``): X's unit per hour."""
    sym = m.symbols[name]
    for state in m.states:
        if sympy.simplify(sympy.diff(m.rhs[state], sym) - 1) == 0:
            return f"{m.units[state]}/h"
    return None


def _unit_note(unit: str, units: UnitTable) -> list[str]:
    problem = units.problems.get(unit.strip())
    return [f"Unit {unit} is not declared in SBML: {problem}."] if problem else []


def _annotate_record(element: libsbml.SBase, rec: Parameter) -> None:
    attrs = {"source": rec.source, "evidence": rec.evidence, "rationale": rec.rationale, "unit": rec.unit,
             "lower": repr(rec.lower), "upper": repr(rec.upper), "fitted": str(rec.free).lower(),
             "module": rec.module}
    _annotate(element, attrs)
    doi = _dois().get(rec.source)
    if doi:
        _ok(element.setMetaId(f"meta_{element.getId()}"), element.getId())
        cv = libsbml.CVTerm(libsbml.MODEL_QUALIFIER)
        _ok(cv.setModelQualifierType(libsbml.BQM_IS_DESCRIBED_BY), rec.source)
        _ok(cv.addResource(f"https://identifiers.org/doi:{doi}"), rec.source)
        _ok(element.addCVTerm(cv), rec.source)


def _annotate(element: libsbml.SBase, attrs: dict[str, str]) -> None:
    text = " ".join(f"{k}={_quote(v)}" for k, v in attrs.items())
    _ok(element.setAnnotation(f'<{_PREFIX}:parameter xmlns:{_PREFIX}="{NAMESPACE}" {text}/>'), element.getId())


def _quote(value: str) -> str:
    return '"' + html.escape(str(value), quote=True) + '"'


def _notes(element: libsbml.SBase, lines: list[str]) -> None:
    body = "".join(f"<p>{html.escape(line, quote=False)}</p>" for line in lines)
    _ok(element.setNotes(f'<body xmlns="http://www.w3.org/1999/xhtml">{body}</body>'), element.getId())


def _model_notes(scenario: Scenario, records: ParameterSet, units: UnitTable) -> list[str]:
    lines = [
        f"Exported by neuroimmune {__version__} for the scenario {scenario.name or '(unnamed)'}; time in hours. "
        f"The scenario runs for {scenario.duration:g} h with outputs every {scenario.output_step:g} h.",
        "Scenario (canonical units): " + json.dumps(scenario.to_dict()),
        f"Parameter values: {_fit_name(records)}.",
        "States are parameters with rate rules, observables parameters with assignment rules, inputs parameters "
        "switched by events; each parameter's provenance is in its notes and in a <neuroimmune:parameter> "
        f"annotation (namespace {NAMESPACE}).",
    ]
    for unit, problem in units.problems.items():
        lines.append(f"Unit {unit} is not declared in SBML: {problem}.")
    return lines


def _fit_name(records: ParameterSet) -> str:
    """Where the fitted values came from, relative to the package (no local paths in the file)."""
    fitted = getattr(records, "fitted_from", None)
    if not fitted:
        return "base parameters (uncalibrated)"
    parts = Path(fitted).parts
    return "calibrated, " + "/".join(parts[parts.index("neuroimmune"):] if "neuroimmune" in parts else parts[-1:])


def _check_ids(m: SymbolicModel, p: SimpleNamespace) -> None:
    """Every SBML id must be unique and every parameter the equations read must have a value."""
    missing = [name for name in m.parameters if not hasattr(p, name)]
    if missing:
        raise SbmlValidationError(f"parameters: the equations read {missing}, which have no value")
    seen: dict[str, str] = {}
    groups: list[tuple[str, Any]] = [("state", m.states), ("input", m.inputs), ("parameter", vars(p)),
                                     ("observable", m.observables)]
    for kind, names in groups:
        for name in names:
            if name in seen:
                raise SbmlValidationError(f"SBML ids: {kind} {name!r} has the same id as a {seen[name]}")
            seen[name] = kind


def _host_dependencies(base: dict[str, float], h: Any) -> dict[str, list[str]]:
    """Which base parameters each derived host parameter depends on for this host, found by perturbing each."""
    def derived(values: dict[str, float]) -> dict[str, float]:
        q = host.effective(values, sex=h.sex, age=h.age, weight=h.weight)
        return {k: v for k, v in q.items() if k not in base}

    reference = derived(base)
    out: dict[str, list[str]] = {k: [] for k in reference}
    for name, value in base.items():
        moved = derived({**base, name: value * 1.01 + 1e-3})
        for k, v in moved.items():
            if v != reference[k]:
                out[k].append(name)
    return out


def _dois() -> dict[str, str]:
    from ..model.citation import bibliography

    out = {}
    for key, entry in bibliography().items():
        match = re.search(r"doi\s*=\s*\{([^}]+)\}", entry)
        if match:
            out[key] = match.group(1).strip()
    return out


def _ok(code: int, what: object) -> None:
    """Raise if a libSBML call failed (every return code is checked, as PySB's exporter does)."""
    if code != libsbml.LIBSBML_OPERATION_SUCCESS:
        raise SbmlValidationError(f"libSBML rejected {what!r}: {libsbml.OperationReturnValue_toString(code)}")
