"""SBML Level 3 Version 1 export of one scenario: equations, live parameters with units and provenance, events.

The document is built from the model code itself (:func:`neuroimmune.model.symbolic.symbolic_model`) and from
the scenario (:mod:`neuroimmune.export.sbml_conditions`), so new states, inputs, challenges and interventions
are exported without change here. What it contains, and why in that form:

* **States** are global parameters (``constant="false"``) with a *rate rule* each. The model has no reactions:
  its states are cell counts, plasma concentrations, a temperature and dimensionless indices, not amounts in a
  compartment, so SBML species would add volume semantics (amount versus concentration, rescaling on events)
  that mean nothing here. Rate-rule parameters are SBML's form for plain ODE models; libRoadRunner, COPASI and
  AMICI integrate them directly. Ids are the state names (``E``, ``TNF``, ...); an initial assignment keeps a
  state's initial value tied to the parameters (``MR = M_max``), and a dose given at time 0 is part of it
  (``E = dose * lps_exposure``), so that no event fires at the start.
* **Observables** are parameters with *assignment rules*, with ids equal to their names (``tnf``, ``il6``,
  ``temperature``, ``back_pain``, ...); observables over a dimension get one per coordinate
  (``ppt_change_lower_back``, ...).
* **Positive parts**: each distinct smooth positive part :func:`neuroimmune.model.functions.pos` of the
  equations is a parameter with an assignment rule, named after its argument where that is short
  (``pos_TNF_minus_tnf_0``, ``pos_IL10_over_x_M10``) and numbered otherwise (``pos_17``); its ``name`` is the
  call (``pos(TNF - tnf_0)``). Written out in place, a Hill function of a positive part would repeat its
  argument dozens of times, and libSBML's unit checks cannot follow a function definition called with
  arguments of different units (see :func:`_positive_parts`).
* **Parameters** are live: every constant parameter in the file is read by some rule, initial assignment or
  event, and the file holds no other. There are three kinds (:mod:`neuroimmune.export.sbml_conditions`):
  base parameters (the records of ``parameters.yaml`` with their calibrated or user-given values), condition
  inputs (the host's traits, the challenge's dose, the interventions' amounts: ``sex_female``, ``age``,
  ``weight``, ``dose``, ``ibuprofen_dose``, ...) and derived values (the host's effective parameters such as
  ``g_TNF`` or ``lps_exposure``), which are initial assignments from the other two. Changing ``dose`` or
  ``sex_female`` in any SBML tool (and resetting, so that initial assignments are evaluated again) gives the
  model at that dose or for that host: one file serves every condition of the scenario's structure. Which
  challenge and interventions there are, and when tablets and heat are taken, stay structure.
* **Units** are declared on every parameter and every literal number (:mod:`neuroimmune.export.sbml_units`), so
  libSBML checks the units of every equation; the document passes libSBML's consistency checks in every
  category without a warning.
* **Provenance**: each parameter carries an XHTML ``<notes>`` block for people and an annotation for programs,
  ``<neuroimmune:parameter>`` (base), ``<neuroimmune:derived>``, ``<neuroimmune:condition>``,
  ``<neuroimmune:state>``, ``<neuroimmune:input>`` or ``<neuroimmune:observable>`` in the namespace
  :data:`NAMESPACE`, so every SBML parameter says which role it plays
  (:mod:`neuroimmune.export.sbml_provenance`); sources with a DOI also get a MIRIAM ``bqmodel:isDescribedBy``.
* **Events.** Every later time at which the scenario adds to a state (a bolus, a tablet) or changes an input
  (an infusion, a heat pack) becomes one SBML event with trigger ``time >= t``, ``persistent="true"`` and
  assignments ``state = state + amount`` and ``input = value`` (the sum of the amounts active from then on).
  Inputs are parameters (``constant="false"``, 0 until an event or their initial assignment sets them)
  switched by events rather than by ``piecewise`` assignment rules: both forms matched ``simulate`` equally
  well in libRoadRunner 2.10 on the 4-hour infusion, and events state the discontinuity explicitly, so every
  SBML tool stops and restarts its integrator there, as the simulator's own segments do. All changes at one
  time go in one event, so that simultaneous events cannot overwrite each other. Every event time is after
  0 (changes at 0 are initial values), so ``initialValue`` does not matter; it is ``true``, the Level 2
  meaning, and the file converts to SBML Level 2 Version 4 with libSBML (:func:`to_level2`). The file holds
  all of the scenario's events, also any after its duration: the file does not end the simulation.

Time is in hours (the model's ``timeUnits``). Loading the file in libRoadRunner::

    import roadrunner
    rr = roadrunner.RoadRunner("model.xml")
    rr.integrator.relative_tolerance = 1e-10
    result = rr.simulate(0, 24, 241, selections=["time", "tnf", "temperature", "ppt_change_lower_back"])

The document is checked with libSBML's consistency checks before it is returned; an error (not a warning)
raises :class:`SbmlValidationError` with libSBML's messages. A unit that does not fit an equation raises
:class:`~neuroimmune.export.sbml_units.SbmlUnitError`.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

import libsbml
import pint
import sympy

from .. import __version__
from ..engine.simulate import resolve_parameters
from ..model import assembly
from ..model.functions import POS_EPS, smooth_pos, symbolic_pos
from ..model.parameters import ParameterSet, default_parameters
from ..model.symbolic import TIME, SymbolicModel, symbolic_model
from ..scenarios import Scenario
from . import Exporter
from ._libsbml import SbmlValidationError, ok
from .sbml_annotations import (
    RULE_TERMS,
    SBO_BY_KIND,
    SBO_EVENT,
    SBO_MATH,
    SBO_PARAMETER,
    STATE_TERMS,
    VIRUS_TAXA,
    add_terms,
    annotate_model,
    citation_attributes,
    citation_text,
    parameter_sbo,
    set_sbo,
    state_kind,
)
from .sbml_conditions import INTERMEDIATE, Change, Conditions, conditions, sym
from .sbml_math import MathWriter
from .sbml_provenance import NAMESPACE, annotate, annotate_record, fit_name, host_text, set_notes
from .sbml_units import CELSIUS, SbmlUnitError, UnitInference, UnitTable, describe, quantity

LEVEL, VERSION = 3, 1

#: Declared observable units that are not units (a logarithm of a count per mL): exported as dimensionless.
LOG_UNITS = ("log10(1/mL)",)


class SbmlExporter(Exporter):
    """The ``sbml`` format of :func:`neuroimmune.export.export`."""

    suffix = ".xml"
    suffixes = (".xml", ".sbml")

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
    doc = _Builder(scenario, parameters).document()
    check(doc)
    return doc


def to_level2(doc: libsbml.SBMLDocument) -> libsbml.SBMLDocument:
    """A copy of ``doc`` converted to SBML Level 2 Version 4 with libSBML's strict converter (for older tools).

    Level 2 has no ``sbml:units`` on numbers (the converter drops them) and no ``initialValue`` or ``persistent``
    on triggers; the exported file needs neither, as every event is after time 0 and its trigger stays true.
    """
    copy = doc.clone()
    if not copy.setLevelAndVersion(2, 4, True):
        messages = [copy.getError(i).getMessage().strip() for i in range(copy.getNumErrors())]
        raise SbmlValidationError("conversion to SBML Level 2 Version 4 failed: " + "; ".join(messages[:5]))
    # libSBML 5.21 writes a Level 2 model history's creators as <dc:creator> without declaring the dc prefix,
    # so the file would not read back; declare it on the RDF elements that use it
    text = libsbml.writeSBMLToString(copy)
    if "<dc:" in text and "xmlns:dc=" not in text:
        rdf = '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        text = text.replace(rdf, f'{rdf} xmlns:dc="http://purl.org/dc/elements/1.1/"')
    out = libsbml.readSBMLFromString(text)
    if out.getNumErrors(libsbml.LIBSBML_SEV_ERROR) or out.getNumErrors(libsbml.LIBSBML_SEV_FATAL):
        raise SbmlValidationError("the SBML Level 2 Version 4 document does not read back: "
                                  f"{out.getError(0).getMessage().strip()}")
    return out


def check(doc: libsbml.SBMLDocument) -> None:
    """Run libSBML's consistency checks; raise :class:`SbmlValidationError` if any error (not warning) is found.

    The exported documents have no warnings either (the test suite checks every example); a warning here is
    left for those checks to report rather than refusing the export.
    """
    doc.checkConsistency()
    errors = [doc.getError(i) for i in range(doc.getNumErrors())
              if doc.getError(i).getSeverity() >= libsbml.LIBSBML_SEV_ERROR]
    if errors:
        lines = [f"line {e.getLine()}: [{e.getErrorId()}] {e.getMessage().strip()}" for e in errors[:20]]
        raise SbmlValidationError(f"the SBML document has {len(errors)} errors:\n  " + "\n  ".join(lines))


class _Builder:
    """Builds the document of one scenario (see the module docstring)."""

    def __init__(self, scenario: Scenario, parameters: ParameterSet | dict[str, float] | None):
        self.scenario = scenario
        self.p = resolve_parameters(scenario, parameters)
        self.records = parameters if isinstance(parameters, ParameterSet) else default_parameters()
        self.given = dict(parameters or {}) if not isinstance(parameters, ParameterSet) else {}
        self.m = symbolic_model()
        self.rhs, self.observables, self.model_initial, self.positive = _positive_parts(self.m)
        self.base = {name: float(getattr(self.p, name)) for name in self.records if hasattr(self.p, name)}
        self.c: Conditions = conditions(scenario, self.p, self.base)
        self.initial = self._initial_values()
        self.input_initial, self.changes = self._event_plan()
        self.live = self._live()
        _check_ids(self.m, self.live, self.c, self.base, self.positive)

    # -- what the file holds ----------------------------------------------------------------------------------

    def _initial_values(self) -> dict[str, sympy.Expr]:
        """Each state's initial value: the model's, plus the doses given at time 0."""
        out = {}
        for name in self.m.states:
            jumps = [c.amount for c in self.c.jumps if c.time == 0.0 and c.target == name]
            init = self.model_initial[name]
            if jumps:
                with sympy.evaluate(False):
                    init = sympy.Add(*jumps) if init.is_zero else sympy.Add(init, *jumps)
            out[name] = init
        return out

    def _active(self, t: float) -> dict[str, sympy.Expr]:
        """Each input's value from time ``t`` on: the sum of the rates active then (summed in event order)."""
        out: dict[str, sympy.Expr] = {}
        for c in self.c.rates:
            if c.time <= t < c.stop:
                with sympy.evaluate(False):
                    out[c.target] = c.amount if c.target not in out else sympy.Add(out[c.target], c.amount)
        return out

    def _event_plan(self) -> tuple[dict[str, sympy.Expr], list[tuple[float, list[Change], dict[str, sympy.Expr]]]]:
        """Inputs at time 0, and for each later time the jumps and the inputs that change then."""
        times = sorted({c.time for c in self.c.jumps if c.time > 0.0}
                       | {t for c in self.c.rates for t in (c.time, c.stop) if math.isfinite(t) and t > 0.0})
        current = self._active(0.0)
        plan = []
        for t in times:
            jumps = [c for c in self.c.jumps if c.time == t]
            now = self._active(t)
            changed = {k: now.get(k, sympy.Float(0.0)) for k in set(now) | set(current) if now.get(k) != current.get(k)}
            current = now
            if jumps or changed:
                plan.append((t, jumps, dict(sorted(changed.items(), key=lambda kv: assembly.INPUTS.index(kv[0])))))
        return self._active(0.0), plan

    def _live(self) -> set[str]:
        """Names that some rule, initial assignment or event reads (derived values followed to what they read)."""
        exprs = [*self.rhs.values(), *self.observables.values(), *self.positive.values(), *self.initial.values(),
                 *self.input_initial.values()]
        for _, jumps, changed in self.changes:
            exprs += [c.amount for c in jumps] + list(changed.values())
        read = {s.name for e in exprs for s in e.free_symbols} - {TIME.name}
        todo = [n for n in read if n in self.c.derived]
        while todo:
            new = {s.name for s in self.c.derived[todo.pop()].free_symbols} - read
            read |= new
            todo += [n for n in new if n in self.c.derived]
        return read

    # -- units ----------------------------------------------------------------------------------------------

    def _inference(self) -> UnitInference:
        declared: dict[str, pint.Quantity] = {}
        for name in self.m.states:
            declared[name] = quantity(self.m.units[name])
        for name in self.base:
            declared[name] = quantity(self.records[name].unit)
        for name, c in self.c.inputs.items():
            declared[name] = quantity(c.unit)
        inference = UnitInference(declared, open_symbols=set(assembly.INPUTS))
        for name, expr in self.c.derived.items():
            if name not in self.live:
                continue
            unit = inference.unit_of(expr)
            if unit is None:
                inference.open_symbols.add(name)  # a number: its unit comes from where it is read
            else:
                declared[name] = unit
        for name, rule in self.positive.items():  # inner ones first: each reads only earlier ones
            unit = inference.unit_of(rule.args[0])
            if unit is None:
                inference.open_symbols.add(name)  # a literal in its argument: its unit comes from where it is read
            else:
                declared[name] = unit
        return inference

    def _math(self) -> list[tuple[str, sympy.Basic, pint.Quantity]]:
        """Every piece of math in the file with the unit it must have, for the unit inference."""
        hour = quantity("h")
        out = [(f"d{name}/dt", self.rhs[name], quantity(self.m.units[name]) / hour) for name in self.m.states]
        out += [(name, expr, quantity(_observable_unit(self.m.units[name]))) for name, expr in self.observables.items()]
        return out

    # -- the document ---------------------------------------------------------------------------------------

    def document(self) -> libsbml.SBMLDocument:
        doc = libsbml.SBMLDocument(LEVEL, VERSION)
        model = doc.createModel()
        ok(model.setId("neuroimmune"), "model id")
        ok(model.setName(f"neuroimmune {__version__}: {self.scenario.name or 'unnamed scenario'}"), "model name")
        self.model = model
        self.table = UnitTable(model)
        ok(model.setTimeUnits(self.table.unit_id("h")), "time units")
        self.inference = self._inference()
        for _, expr, want in self._math():  # first pass: the inputs' units, from the places they appear
            self.inference.require(expr, want)
        for name, expr in self.initial.items():
            self.inference.require(expr, quantity(self.m.units[name]))
        for name, call in reversed(self.positive.items()):  # outer ones first: they give units to inner ones
            with sympy.evaluate(False):
                self.inference.require(smooth_pos(call.args[0]), self._unit_of(name))
        for name in [*self.c.derived, *self.positive]:
            if name in self.live and name in self.inference.open_symbols and name not in self.inference.found:
                raise SbmlUnitError(f"units: {name} is read nowhere that gives it a unit")
        self.writer = MathWriter(self.inference, self.table)

        self._add_states()
        self._add_inputs()
        self._add_base_parameters()
        self._add_conditions()
        self._add_derived()
        self._add_positive_parts()
        self._add_observables()
        self._add_events()
        set_notes(model, self._model_lines())
        annotate(model, citation_attributes(), role="citation")  # before the RDF, which setAnnotation replaces
        annotate_model(model)
        return doc

    def _unit_of(self, name: str) -> pint.Quantity:
        unit = self.inference.symbol_unit(name)
        if unit is None:
            raise SbmlUnitError(f"units: no unit found for {name}")
        return unit

    def _parameter(
        self, sid: str, value: float | None, *, constant: bool, unit: str | pint.Quantity, sbo: int = SBO_PARAMETER
    ) -> libsbml.Parameter:
        par = self.model.createParameter()
        ok(par.setId(sid), sid)
        set_sbo(par, sbo)
        ok(par.setConstant(constant), sid)
        if value is not None:
            ok(par.setValue(value), sid)
        ok(par.setUnits(self.table.unit_id(unit)), sid)
        return par

    def _assignment(self, symbol: str, expr: sympy.Basic, want: pint.Quantity) -> None:
        ia = self.model.createInitialAssignment()
        ok(ia.setSymbol(symbol), symbol)
        set_sbo(ia, SBO_MATH)
        ok(ia.setMath(self.writer.ast(expr, want)), symbol)

    def _add_states(self) -> None:
        values = assembly.initial_state(self.p)
        for name, value in zip(self.m.states, values, strict=True):
            unit = self.m.units[name]
            init = self.initial[name]
            start = float(value) if not init.free_symbols else _evaluate(init, self._values())
            kind, sentence = state_kind(name)
            par = self._parameter(name, start, constant=False, unit=unit, sbo=SBO_BY_KIND.get(kind, SBO_PARAMETER))
            text = f"State variable: {self.m.long_names[name]} ({unit}); integrated by the rate rule d{name}/dt."
            lines = [text, f"What it is: {sentence}.", *_celsius_note(unit)]
            doses = [c for c in self.c.jumps if c.time == 0.0 and c.target == name]
            if doses:
                lines.append("Its initial value includes the dose given at time 0 (initial assignment).")
            set_notes(par, lines)
            annotate(par, {"unit": unit, "long_name": self.m.long_names[name], "kind": kind}, role="state")
            terms = list(STATE_TERMS.get(name, ()))
            if name == "V" and self.scenario.challenge is not None and self.scenario.challenge.kind in VIRUS_TAXA:
                terms.append(VIRUS_TAXA[self.scenario.challenge.kind])
            add_terms(par, terms, f"meta_{name}")
            rule = self.model.createRateRule()
            ok(rule.setVariable(name), name)
            set_sbo(rule, SBO_MATH)
            add_terms(rule, RULE_TERMS.get(name, ()), f"meta_rate_{name}")
            ok(rule.setMath(self.writer.ast(self.rhs[name], quantity(unit) / quantity("h"))), name)
            if init.free_symbols:
                self._assignment(name, init, quantity(unit))

    def _add_inputs(self) -> None:
        for name in self.m.inputs:
            unit = self._unit_of(name)
            init = self.input_initial.get(name)
            value = _evaluate(init, self._values()) if init is not None else 0.0
            par = self._parameter(name, value, constant=False, unit=unit)
            set_notes(par, [f"Input held piecewise constant by the scenario's events (its value from time 0 is "
                            f"its initial assignment, else 0); unit {describe(unit)}."])
            annotate(par, {"unit": describe(unit), "long_name": "input set by the scenario's events"}, role="input")
            if init is not None:
                self._assignment(name, init, unit)

    def _add_base_parameters(self) -> None:
        for name, value in self.base.items():
            if name not in self.live:
                continue
            rec = self.records[name]
            par = self._parameter(name, value, constant=True, unit=rec.unit, sbo=parameter_sbo(name, rec.unit))
            lines = [rec.rationale,
                     f"Unit {rec.unit}; plausible range [{rec.lower:g}, {rec.upper:g}]; source {rec.source}; "
                     f"evidence {rec.evidence}; {'fitted by neuroimmune calibrate' if rec.free else 'not fitted'}; "
                     f"module {rec.module}.", *_celsius_note(rec.unit)]
            if name in self.given:
                lines.append(f"Value set by the user for this export (the record's value is {rec.value:g}).")
            set_notes(par, lines)
            annotate_record(par, rec)

    def _add_conditions(self) -> None:
        for name, c in self.c.inputs.items():
            if name not in self.live:
                continue
            par = self._parameter(name, c.value, constant=True, unit=c.unit)
            set_notes(par, [f"Condition input: {c.text}; unit {c.unit}; this scenario's value {c.value:g}. Change "
                            "it (and reset, so that initial assignments are evaluated again) for another condition."])
            annotate(par, {"unit": c.unit, "field": c.field, "description": c.text}, role="condition")

    def _add_derived(self) -> None:
        values = self._values()
        for name, expr in self.c.derived.items():
            if name not in self.live:
                continue
            unit = self._unit_of(name)
            par = self._parameter(name, float(self.c.values[sym(name)]), constant=True, unit=unit)
            depends = sorted(s.name for s in expr.free_symbols)
            source = ("neuroimmune.model.host.effective" if name not in INTERMEDIATE
                      else "an intermediate value of neuroimmune.model.host.effective")
            if name in self.c.frozen:
                derivation = (f"Derived for this scenario's host ({host_text(self.scenario)}) by {source}; the "
                              "export has no formula for it, so it is the number for this host.")
            elif not depends:
                derivation = (f"Derived by {source}: {name} = {_text(expr)} for this scenario's structure (its "
                              "challenge and remembered exposures), which no condition input changes.")
            else:
                formula = libsbml.formulaToL3String(self.writer.ast(expr, unit))
                derivation = (f"Host-derived value ({source}): {name} = {formula}, an initial assignment from "
                              f"{', '.join(depends)}. This scenario's value {_evaluate(expr, values):.6g}.")
                self._assignment(name, expr, unit)
            set_notes(par, [derivation])
            attrs = {"unit": describe(unit), "derivation": derivation}
            if depends:
                attrs["depends_on"] = " ".join(depends)
            annotate(par, attrs, role="derived")

    def _add_positive_parts(self) -> None:
        for name, call in self.positive.items():
            arg = call.args[0]
            unit = self._unit_of(name)
            par = self._parameter(name, None, constant=False, unit=unit)
            ok(par.setName(f"pos({arg})"), name)
            set_notes(par, [f"Smooth positive part of {arg} (neuroimmune.model.functions.pos: p^3 / (p^2 + eps^2) "
                            f"with p = max(x, 0) and eps = {POS_EPS:g} in the unit of its argument, "
                            f"{describe(unit)}); an assignment rule, shared by every equation that reads it."])
            annotate(par, {"unit": describe(unit), "expression": f"pos({arg})"}, role="intermediate")
            rule = self.model.createAssignmentRule()
            ok(rule.setVariable(name), name)
            set_sbo(rule, SBO_MATH)
            with sympy.evaluate(False):
                body = smooth_pos(arg)
            ok(rule.setMath(self.writer.ast(body, unit)), name)

    def _add_observables(self) -> None:
        for name, expr in self.observables.items():
            declared = self.m.units[name]
            unit = _observable_unit(declared)
            par = self._parameter(name, None, constant=False, unit=unit)
            lines = [f"Observable: {self.m.long_names[name]} ({declared}).", *_celsius_note(declared)]
            if declared in LOG_UNITS:
                lines.append("A logarithm of a count per mL: declared dimensionless (the count is taken in "
                             f"{declared[6:-1]}).")
            set_notes(par, lines)
            annotate(par, {"unit": declared, "long_name": self.m.long_names[name],
                           **self.m.coordinates.get(name, {})}, role="observable")
            rule = self.model.createAssignmentRule()
            ok(rule.setVariable(name), name)
            set_sbo(rule, SBO_MATH)
            coordinate = self.m.coordinates.get(name, {}).get("observable", name)
            add_terms(rule, RULE_TERMS.get("back_pain" if coordinate == "ppt_change" else name, ()),
                      f"meta_rule_{name}")
            ok(rule.setMath(self.writer.ast(expr, quantity(unit))), name)

    def _add_events(self) -> None:
        for i, (t, jumps, changed) in enumerate(self.changes, start=1):
            ev = self.model.createEvent()
            ok(ev.setId(f"event_{i}"), f"event_{i}")
            set_sbo(ev, SBO_EVENT)
            summed: dict[str, list[sympy.Expr]] = {}
            for c in jumps:
                summed.setdefault(c.target, []).append(c.amount)
            parts = [f"{s} += {' + '.join(_text(a) for a in amounts)}" for s, amounts in summed.items()]
            parts += [f"{k} = {_text(v)}" for k, v in changed.items()]
            ok(ev.setName(f"t = {t:g} h: " + ", ".join(parts)), "event name")
            ok(ev.setUseValuesFromTriggerTime(True), "event")
            trigger = ev.createTrigger()
            ok(trigger.setInitialValue(True), "trigger")
            ok(trigger.setPersistent(True), "trigger")
            condition = sympy.GreaterThan(TIME, sympy.Float(t), evaluate=False)
            ok(trigger.setMath(self.writer.ast(condition, quantity("1"))), "trigger")
            for state, amounts in summed.items():
                with sympy.evaluate(False):
                    expr = sympy.Add(sym(state), *amounts)
                self._event_assignment(ev, state, expr, quantity(self.m.units[state]))
            for name, value in changed.items():
                self._event_assignment(ev, name, value, self._unit_of(name))

    def _event_assignment(self, ev: libsbml.Event, variable: str, expr: sympy.Basic, unit: pint.Quantity) -> None:
        ea = ev.createEventAssignment()
        ok(ea.setVariable(variable), variable)
        set_sbo(ea, SBO_MATH)
        ok(ea.setMath(self.writer.ast(expr, unit)), variable)

    # -- helpers --------------------------------------------------------------------------------------------

    def _values(self) -> dict[sympy.Symbol, float]:
        """Numbers of the constant parameters, and of the positive parts that read only those (in order)."""
        values = {k: float(v) for k, v in self.c.values.items()}
        for name, call in self.positive.items():
            arg = call.args[0]
            if {s.name for s in arg.free_symbols} <= {s.name for s in values}:
                values[sym(name)] = float(smooth_pos(_evaluate(arg, values)))
        return values

    def _model_lines(self) -> list[str]:
        lines = [
            f"Exported by neuroimmune {__version__} for the scenario {self.scenario.name or '(unnamed)'}; time in "
            f"hours. The scenario runs for {self.scenario.duration:g} h with outputs every "
            f"{self.scenario.output_step:g} h.",
            "Scenario (canonical units): " + json.dumps(self.scenario.to_dict()),
            f"Parameter values: {fit_name(self.records)}.",
            "States are parameters with rate rules, observables parameters with assignment rules, inputs parameters "
            "switched by events. Constant parameters are base parameters (<neuroimmune:parameter>), condition "
            "inputs (<neuroimmune:condition>: change them for another host, dose or amount, then reset) and "
            "host-derived values (<neuroimmune:derived>, initial assignments); each parameter's provenance is in "
            f"its notes and annotation (namespace {NAMESPACE}).",
            citation_text(),
            "Temperatures (degC) are on the Celsius scale; SBML Level 3 has no offset units, so their unit is "
            "declared with the size of one degree (one kelvin), which is what the equations' differences need.",
        ]
        if self.c.frozen:
            lines.append("Exported as numbers for this scenario only (no formula in the export): "
                         + ", ".join(self.c.frozen) + ".")
        return lines


def _positive_parts(
    m: SymbolicModel,
) -> tuple[dict[str, sympy.Expr], dict[str, sympy.Expr], dict[str, sympy.Expr], dict[str, sympy.Expr]]:
    """The right-hand sides, observables and initial values with every smooth positive part ``pos(a)`` replaced
    by a name, and those names' calls, innermost first.

    The positive parts become assignment rules: written out where they are used, a Hill function of a positive
    part repeats its argument 72 times (1.2 MB of MathML for the model), and libSBML's unit checks cannot follow
    a function definition called with arguments of different units in one formula (libSBML 5.21 reports such
    formulas' units as indeterminable).
    """
    cls = symbolic_pos()
    calls: list[sympy.Expr] = []
    for expr in [*m.rhs.values(), *m.observables.values(), *m.initial.values()]:
        for node in sympy.postorder_traversal(expr):
            if isinstance(node, cls) and node not in calls:
                calls.append(node)  # postorder: a call's inner calls come before it
    names: dict[sympy.Expr, sympy.Symbol] = {}
    positive: dict[str, sympy.Expr] = {}
    taken = set(m.symbols) | set(m.observables)
    with sympy.evaluate(False):
        for i, call in enumerate(calls, start=1):
            name = _pos_id(call.args[0], i, taken)
            taken.add(name)
            positive[name] = cls(call.args[0].xreplace(names))
            names[call] = sym(name)
        rhs = {name: expr.xreplace(names) for name, expr in m.rhs.items()}
        observables = {name: expr.xreplace(names) for name, expr in m.observables.items()}
        initial = {name: expr.xreplace(names) for name, expr in m.initial.items()}
    return rhs, observables, initial, positive


def _pos_id(arg: sympy.Expr, n: int, taken: set[str]) -> str:
    """A readable id for ``pos(arg)``: ``pos_TNF_minus_tnf_0``, ``pos_IL10_over_x_M10``; else ``pos_<n>``."""
    text = str(arg).replace(" - ", "_minus_").replace(" + ", "_plus_").replace("/1.0", "").replace("/", "_over_")
    text = "pos_" + re.sub(r"[^A-Za-z0-9_]", "", text.replace("*", "_times_"))
    return text if len(text) <= 32 and text not in taken else f"pos_{n}"


def _text(expr: sympy.Basic) -> str:
    """An expression as short text (numbers without trailing zeros), for names and notes."""
    return sympy.sstr(expr, full_prec=False)


def _observable_unit(declared: str) -> str:
    return "1" if declared in LOG_UNITS else declared


def _celsius_note(unit: str) -> list[str]:
    if unit.strip() in CELSIUS:
        return ["The value is on the Celsius scale; its SBML unit has the size of one degree Celsius (one kelvin), "
                "since SBML Level 3 has no offset units."]
    return []


def _evaluate(expr: sympy.Basic, values: dict[sympy.Symbol, float]) -> float:
    return float(sympy.N(expr.xreplace({k: sympy.Float(v, 17) for k, v in values.items()}), 17))


def _check_ids(m: SymbolicModel, live: set[str], c: Conditions, base: dict[str, float],
               positive: dict[str, sympy.Expr]) -> None:
    """Every SBML id must be unique and every name the math reads must be something the file defines."""
    seen: dict[str, str] = {}
    groups: list[tuple[str, Any]] = [("state", m.states), ("input", m.inputs), ("observable", m.observables),
                                     ("parameter", base), ("condition input", c.inputs),
                                     ("derived value", c.derived), ("positive part", positive)]
    for kind, names in groups:
        for name in names:
            if name in seen:
                raise SbmlValidationError(f"SBML ids: {kind} {name!r} has the same id as a {seen[name]}")
            seen[name] = kind
    known = set(seen)
    missing = sorted(live - known)
    if missing:
        raise SbmlValidationError(f"parameters: the equations read {missing}, which the file does not define")


__all__ = ["SbmlExporter", "SbmlValidationError", "check", "to_document", "to_level2", "to_sbml"]
