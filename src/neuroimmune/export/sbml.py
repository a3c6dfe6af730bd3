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
  values). Sources with a DOI also get a MIRIAM ``bqmodel:isDescribedBy`` link. States, inputs and
  observables carry ``<neuroimmune:state>``, ``<neuroimmune:input>`` and ``<neuroimmune:observable>``
  annotations, so every SBML parameter says which role it plays (:mod:`neuroimmune.export.sbml_provenance`).
* **Events.** Every time at which the scenario adds to a state (a :class:`~neuroimmune.engine.schedule.Jump`:
  a bolus, a dose) or changes an input (a :class:`~neuroimmune.engine.schedule.Rate`: an infusion) becomes one
  SBML event with trigger ``time >= t``, ``initialValue="false"`` (so the trigger counts as false before the
  start and an event at t = 0 fires at the start of a simulation), ``persistent="true"``, and assignments
  ``state = state + amount`` and ``input = value``. Inputs are parameters (``constant="false"``, 0 until an
  event sets them) switched by events rather than by ``piecewise`` assignment rules. Both forms were measured
  on the 4-hour infusion in libRoadRunner 2.10 and matched ``simulate`` equally well (4.5e-9 relative at
  rtol 1e-10; libRoadRunner root-finds a piecewise condition as it does an event trigger); events were chosen
  because they state the discontinuity explicitly, so every SBML tool stops and restarts its integrator there
  (as the simulator's own segments do) instead of relying on the tool to find it inside a rule, and because
  boluses and inputs then share one mechanism and one list of times. All changes at one time go in one event,
  so that simultaneous events cannot overwrite each other. The file holds all of the scenario's events, also
  any after its duration: the file does not end the simulation.

Time is in hours (the model's ``timeUnits``). Loading the file in libRoadRunner::

    import roadrunner
    rr = roadrunner.RoadRunner("model.xml")
    rr.integrator.relative_tolerance = 1e-10
    result = rr.simulate(0, 24, 241, selections=["time", "tnf", "temperature", "ppt_change_lower_back"])

The document is checked with libSBML's consistency checks before it is returned; an error (not a warning)
raises :class:`SbmlValidationError` with libSBML's messages.
"""

from __future__ import annotations

import json
import numbers
from types import SimpleNamespace
from typing import Any

import libsbml
import numpy as np
import sympy

from .. import __version__
from ..engine.schedule import events
from ..engine.simulate import resolve_parameters
from ..model import assembly
from ..model.parameters import ParameterSet, default_parameters
from ..model.symbolic import TIME, SymbolicModel, symbolic_model
from ..scenarios import Scenario
from ..scenarios.events import Jump, Rate
from . import Exporter
from ._libsbml import SbmlValidationError, ok
from .sbml_math import to_ast
from .sbml_provenance import NAMESPACE, annotate, annotate_record, fit_name, host_dependencies, host_text, set_notes
from .sbml_units import UnitTable

LEVEL, VERSION = 3, 1


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
    given = dict(parameters or {}) if not isinstance(parameters, ParameterSet) else {}
    m = symbolic_model()
    _check_ids(m, p)

    doc = libsbml.SBMLDocument(LEVEL, VERSION)
    model = doc.createModel()
    ok(model.setId("neuroimmune"), "model id")
    ok(model.setName(f"neuroimmune {__version__}: {scenario.name or 'unnamed scenario'}"), "model name")
    units = UnitTable(model)
    hour = units.unit_id("h")
    ok(model.setTimeUnits(hour), "time units")

    _add_states(model, m, p, units)
    _add_inputs(model, m, units)
    _add_parameters(model, m, p, records, given, scenario, units)
    _add_observables(model, m, units)
    _add_events(model, scenario, p)
    set_notes(model, _model_lines(scenario, records, units))
    check(doc)
    return doc


def check(doc: libsbml.SBMLDocument) -> None:
    """Run libSBML's consistency checks; raise :class:`SbmlValidationError` if any error (not warning) is found.

    Unit warnings are expected and ignored: literal numbers carry no units, degC and the host-derived values
    have none (see the notes), and Hill functions raise concentrations to fitted powers, which no unit system can
    type. The 4 kinds seen today are all "no units declared" warnings (libSBML 99505, 99508, 20702, 80701).
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
        text = f"State variable: {m.long_names[name]} ({m.units[name]}); integrated by the rate rule d{name}/dt."
        set_notes(par, [text, *_unit_note(m.units[name], units)])
        annotate(par, {"unit": m.units[name], "long_name": m.long_names[name]}, role="state")
        rule = model.createRateRule()
        ok(rule.setVariable(name), name)
        ok(rule.setMath(to_ast(m.rhs[name])), name)
        init = m.initial[name]
        if init.free_symbols:
            ia = model.createInitialAssignment()
            ok(ia.setSymbol(name), name)
            ok(ia.setMath(to_ast(init)), name)


def _add_inputs(model: libsbml.Model, m: SymbolicModel, units: UnitTable) -> None:
    for name in m.inputs:
        unit = _input_unit(m, name)
        par = _parameter(model, name, 0.0, constant=False, unit=unit, units=units)
        text = ("Input held piecewise constant by the scenario's events (0 until an event sets it); "
                f"unit {unit or 'not declared: it does not enter any rate additively'}.")
        set_notes(par, [text])
        annotate(par, {"unit": unit or "", "long_name": "input set by the scenario's events"}, role="input")


def _add_parameters(
    model: libsbml.Model,
    m: SymbolicModel,
    p: SimpleNamespace,
    records: ParameterSet,
    given: dict[str, float],
    scenario: Scenario,
    units: UnitTable,
) -> None:
    used = set(m.parameters)
    depends = host_dependencies(scenario, p, records, given)
    for name, value in vars(p).items():
        if not isinstance(value, numbers.Real):  # not a number (no such value today): nothing SBML can hold
            continue
        rec = records[name] if name in records else None
        par = _parameter(model, name, float(value), constant=True, unit=rec.unit if rec else None, units=units)
        lines: list[str] = []
        if rec is not None:
            lines.append(rec.rationale)
            lines.append(f"Unit {rec.unit}; plausible range [{rec.lower:g}, {rec.upper:g}]; source {rec.source}; "
                         f"evidence {rec.evidence}; {'fitted by neuroimmune calibrate' if rec.free else 'not fitted'}"
                         f"; module {rec.module}.")
            lines += _unit_note(rec.unit, units)
            if name in given:
                lines.append(f"Value set by the user for this export (the record's value is {rec.value:g}).")
            annotate_record(par, rec)
        else:
            inputs = ", ".join(depends.get(name, [])) or "none at this host (the reference value)"
            derivation = (f"Derived for this scenario's host ({host_text(scenario)}) by "
                          "neuroimmune.model.host.effective (the host effects documented there); base parameters "
                          f"it depends on here: {inputs}. Unit not declared.")
            lines.append(derivation)
            annotate(par, {"evidence": "derived", "derivation": derivation,
                            "depends_on": " ".join(depends.get(name, []))})
        if name not in used:
            lines.append("Not read by this document's equations: it acted when the file was written, through the "
                         "derived host parameters or the event amounts.")
        set_notes(par, lines)


def _add_observables(model: libsbml.Model, m: SymbolicModel, units: UnitTable) -> None:
    for name, expr in m.observables.items():
        par = _parameter(model, name, None, constant=False, unit=m.units[name], units=units)
        set_notes(par, [f"Observable: {m.long_names[name]} ({m.units[name]}).", *_unit_note(m.units[name], units)])
        annotate(par, {"unit": m.units[name], "long_name": m.long_names[name], **m.coordinates.get(name, {})},
                 role="observable")
        rule = model.createAssignmentRule()
        ok(rule.setVariable(name), name)
        ok(rule.setMath(to_ast(expr)), name)


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
        ok(ev.setId(f"event_{i}"), f"event_{i}")
        parts = [f"{s} += {a:g}" for s, a in jumps.items()] + [f"{k} = {v:g}" for k, v in changed.items()]
        ok(ev.setName(f"t = {t:g} h: " + ", ".join(parts)), "event name")
        ok(ev.setUseValuesFromTriggerTime(True), "event")
        trigger = ev.createTrigger()
        ok(trigger.setInitialValue(False), "trigger")
        ok(trigger.setPersistent(True), "trigger")
        ok(trigger.setMath(to_ast(sympy.GreaterThan(TIME, sympy.Float(t), evaluate=False))), "trigger")
        for state, amount in jumps.items():
            _assign(ev, state, sympy.Add(sympy.Symbol(state), sympy.Float(amount), evaluate=False))
        for name, value in changed.items():
            _assign(ev, name, sympy.Float(value))


# -- helpers ------------------------------------------------------------------------------------------------------

def _assign(ev: libsbml.Event, variable: str, expr: sympy.Basic) -> None:
    ea = ev.createEventAssignment()
    ok(ea.setVariable(variable), variable)
    ok(ea.setMath(to_ast(expr)), variable)


def _parameter(
    model: libsbml.Model, sid: str, value: float | None, *, constant: bool, unit: str | None, units: UnitTable
) -> libsbml.Parameter:
    par = model.createParameter()
    ok(par.setId(sid), sid)
    ok(par.setConstant(constant), sid)
    if value is not None:
        ok(par.setValue(value), sid)
    uid = units.unit_id(unit) if unit is not None else None
    if uid is not None:
        ok(par.setUnits(uid), sid)
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


def _model_lines(scenario: Scenario, records: ParameterSet, units: UnitTable) -> list[str]:
    lines = [
        f"Exported by neuroimmune {__version__} for the scenario {scenario.name or '(unnamed)'}; time in hours. "
        f"The scenario runs for {scenario.duration:g} h with outputs every {scenario.output_step:g} h.",
        "Scenario (canonical units): " + json.dumps(scenario.to_dict()),
        f"Parameter values: {fit_name(records)}.",
        "States are parameters with rate rules, observables parameters with assignment rules, inputs parameters "
        "switched by events; each parameter's provenance is in its notes and in a <neuroimmune:parameter> "
        f"annotation (namespace {NAMESPACE}).",
    ]
    for unit, problem in units.problems.items():
        lines.append(f"Unit {unit} is not declared in SBML: {problem}.")
    return lines


def _check_ids(m: SymbolicModel, p: SimpleNamespace) -> None:
    """Every SBML id must be unique and every parameter the equations read must have a numeric value."""
    missing = [name for name in m.parameters if not isinstance(getattr(p, name, None), numbers.Real)]
    if missing:
        raise SbmlValidationError(f"parameters: the equations read {missing}, which have no numeric value")
    seen: dict[str, str] = {}
    groups: list[tuple[str, Any]] = [("state", m.states), ("input", m.inputs), ("parameter", vars(p)),
                                     ("observable", m.observables)]
    for kind, names in groups:
        for name in names:
            if name in seen:
                raise SbmlValidationError(f"SBML ids: {kind} {name!r} has the same id as a {seen[name]}")
            seen[name] = kind
