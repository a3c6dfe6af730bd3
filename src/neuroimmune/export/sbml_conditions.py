"""The scenario in the SBML document as live inputs: condition parameters, host-derived values and doses.

A scenario enters the model in three ways, each of which the file states as math rather than as numbers
computed at export, so that one file serves every value of the scenario's inputs (a PEtab condition table, a
dose-response in any SBML tool, a woman instead of a man):

* **condition inputs**: the host's traits (``sex_female`` 0 or 1, ``age``, ``weight``, ``sleep``,
  ``fluid_deficit``, ``microbiome_diversity``, ``fitness_step``, ``chronic_pain``), the challenge's amount
  (``dose`` and ``infusion_rate`` of endotoxin, a virus's ``inoculum``, a bacterial ``load``, a vaccine's
  ``amount``), the times of remembered exposures (``exposure_1_time``, ...) and the interventions' amounts
  (``ibuprofen_dose``, ``sleep_hours``, ...), each a constant parameter with its unit;
* **derived values**: the host's effective parameters of :func:`neuroimmune.model.host.effective` (``g_TNF``,
  ``k_pge_eff``, ``lps_exposure``, ``m_prec``, ...) as initial assignments from the base parameters and the
  condition inputs (thresholds such as ``max(age - age_ref, 0)`` as ``piecewise``);
* **doses**: every jump into a state and every input an event sets, as an expression (``dose * lps_exposure``).

What is structure stays structure: which challenge and interventions there are, the times at which tablets are
taken or heat is applied, which exposures the host remembers. Changing those needs a new file.

The formulas here restate :func:`~neuroimmune.model.host.effective`, :func:`~neuroimmune.model.host.memory` and
each challenge's and intervention's ``events``, which compute numbers. :func:`conditions` evaluates every formula
at the scenario's values and compares it with those numbers (relative 1e-12), so the two cannot drift apart
unnoticed: a disagreement raises :class:`~neuroimmune.export.SbmlValidationError`. A derived value or an event
source that has no formula here (a new host effect, challenge or intervention) is exported as its number, and
its notes say so.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import sympy

from ..model import host as host_module
from ..model.mechanisms import pathogen
from ..scenarios.events import Jump
from ._libsbml import SbmlValidationError


def sym(name: str) -> sympy.Symbol:
    """The symbol of a name, as the model's equations use it (real)."""
    return sympy.Symbol(name, real=True)


@dataclasses.dataclass(frozen=True)
class ConditionInput:
    """A scenario quantity as a parameter of the file: ``id``, ``value``, ``unit``, what it is and where from."""

    id: str
    value: float
    unit: str
    text: str
    field: str


@dataclasses.dataclass(frozen=True)
class Change:
    """A jump (``state += amount``) or an input's value from an event, as math; ``frozen`` if only a number."""

    time: float
    target: str
    amount: sympy.Expr
    is_jump: bool
    stop: float = math.inf


@dataclasses.dataclass
class Conditions:
    """The scenario as inputs, derived values and changes (see the module docstring).

    ``derived`` is in dependency order (a value reads only inputs, base parameters and earlier values);
    ``values`` holds every base parameter, input and derived value at this scenario.
    """

    inputs: dict[str, ConditionInput]
    derived: dict[str, sympy.Expr]
    jumps: list[Change]
    rates: list[Change]
    frozen: list[str]
    values: dict[sympy.Symbol, sympy.Float] = dataclasses.field(default_factory=dict)

    def symbols(self) -> set[str]:
        """Names that the derived values and the changes read."""
        exprs = [*self.derived.values(), *(c.amount for c in self.jumps + self.rates)]
        return {s.name for e in exprs for s in e.free_symbols}


# -- host -------------------------------------------------------------------------------------------------

#: Host fields as condition inputs: id, unit, description, and the value from a :class:`~neuroimmune.Host`.
HOST_INPUTS: tuple[tuple[str, str, str, Callable[[Any], float]], ...] = (
    ("sex_female", "1", "1 for a woman, 0 for a man (host.sex)", lambda h: 1.0 if h.sex == "female" else 0.0),
    ("age", "year", "age (host.age)", lambda h: h.age),
    ("weight", "kg", "body weight (host.weight)", lambda h: h.weight),
    ("sleep", "h", "habitual sleep per night (host.sleep)", lambda h: h.sleep),
    ("fluid_deficit", "percent", "fluid deficit, % of body mass (host.fluid_deficit)", lambda h: h.fluid_deficit),
    ("microbiome_diversity", "1", "gut microbiome diversity relative to a typical adult (host.microbiome_diversity)",
     lambda h: h.microbiome_diversity),
    ("fitness_step", "1", "fitness as steps from average: -1 low, 0 average, 1 high (host.fitness)",
     lambda h: host_module.FITNESS_STEPS[h.fitness]),
    ("chronic_pain", "1", "chronic pain history, 0 none to 1 long-standing (host.chronic_pain)",
     lambda h: h.chronic_pain),
)


def _above(x: sympy.Expr, floor: sympy.Expr) -> sympy.Expr:
    """``max(x, floor)`` as a piecewise (SBML Level 3 Version 1 has no max)."""
    return sympy.Piecewise((x, sympy.StrictGreaterThan(x, floor, evaluate=False)), (floor, True), evaluate=False)


def _below(x: sympy.Expr, ceiling: sympy.Expr) -> sympy.Expr:
    """``min(x, ceiling)`` as a piecewise."""
    return sympy.Piecewise((x, sympy.StrictLessThan(x, ceiling, evaluate=False)), (ceiling, True), evaluate=False)


def _if_female(value: sympy.Expr) -> sympy.Expr:
    return sympy.Piecewise((value, sympy.Eq(sym("sex_female"), 1, evaluate=False)), (sympy.Float(1.0), True),
                           evaluate=False)


#: Intermediate values of :func:`neuroimmune.model.host.effective` that the file names, so that no threshold is
#: nested inside another: years above the calibration cohort's age, and the lifestyle factor on cytokine gains.
INTERMEDIATE = ("age_above_ref", "lifestyle")


def host_formulas(scenario: Any) -> dict[str, sympy.Expr]:
    """:func:`neuroimmune.model.host.effective` as expressions of base parameters and condition inputs (and of
    the :data:`INTERMEDIATE` values, which come first)."""
    P = sym
    with sympy.evaluate(False):
        older = P("age_above_ref")
        out = {
            "age_above_ref": _above(P("age") - P("age_ref"), sympy.Float(0.0)),
            "lifestyle": (1.0 + P("a_microbiome") * (1.0 - P("microbiome_diversity")))
            * (1.0 - P("a_fitness") * P("fitness_step")),
            "g_TNF": _if_female(P("female_cytokine_gain")) * (1.0 + P("age_tnf_gain") * older) * P("lifestyle"),
            "g_6": _if_female(P("female_il6_gain")) * P("lifestyle"),
            "g_central": _if_female(P("female_central_gain")),
            "g_nociceptor": _if_female(P("female_nociceptor_gain")),
            "k_pge_eff": P("k_pge") / (1.0 + P("age_pge_slowing") * older),
            "lps_exposure": (P("weight") / P("weight_ref")) ** (1.0 - P("blood_volume_exponent")),
            "g_kill": _above(1.0 - P("age_kill_decline") * older, sympy.Float(0.2)),
            "V_ibu_eff": P("V_ibu") * P("weight"),
            "V_para_eff": P("V_para") * P("weight"),
            "sleep_loss_0": P("sleep_ref") - P("sleep"),
            "fluid_deficit_0": P("fluid_deficit"),
            "prime_0": P("prime_chronic") * P("chronic_pain"),
        }
        challenge = scenario.challenge
        prefix = getattr(challenge, "virus_prefix", None)
        for name in pathogen.VIRUS_PARAMETERS:
            out[name] = P(f"{prefix or 'flu'}_{name}")
        if prefix and getattr(challenge, "setting", None) == "community":
            out["tc_0"] = 1.0 + P(f"{prefix}_tc_lower")
        else:
            out["tc_0"] = sympy.Float(1.0 if prefix else 0.0)
        platform = getattr(challenge, "platform", None) or "mrna"
        for name in pathogen.PLATFORM_PARAMETERS:
            out[name] = P(f"{platform}_{name}")
        out.update(_memory_formulas(scenario))
        if getattr(challenge, "kind", None) == "vaccine":  # host.vaccine_host_effects
            del out["w_pamp_D"], out["w_ifn_D"]  # re-added after vaccine_gain, which they read
            out["vaccine_gain"] = _if_female(P("vax_female_gain")) * sympy.Float(0.5) ** (older / P("vax_age_halving"))
            out.update({"g_TNF": P("lifestyle"), "g_6": P("lifestyle"), "g_central": sympy.Float(1.0),
                        "g_nociceptor": sympy.Float(1.0), "k_pge_eff": P("k_pge"),
                        "w_pamp_D": P(f"{platform}_w_pamp_D") * P("vaccine_gain"),
                        "w_ifn_D": P(f"{platform}_w_ifn_D") * P("vaccine_gain")})
    return out


def exposures(scenario: Any) -> list[Any]:
    """The remembered exposures that :func:`host.memory` reads, in time order: those to the challenge's antigen
    and every earlier viral-vector dose (antibody against the vector)."""
    antigen = getattr(scenario.challenge, "antigen", None)
    implied: list[Any] = getattr(scenario.challenge, "implied_history", lambda: [])()
    return sorted((e for e in [*scenario.host.history, *implied]
                   if (antigen is not None and e.antigen == antigen) or getattr(e, "platform", None) == "viral_vector"),
                  key=lambda e: e.time)


def _memory_formulas(scenario: Any) -> dict[str, sympy.Expr]:
    """:func:`neuroimmune.model.host.memory` with each exposure's time a condition input."""
    P = sym
    antigen = getattr(scenario.challenge, "antigen", None)
    zero = sympy.Float(0.0)
    level: sympy.Expr = zero
    ad: sympy.Expr = zero
    ab: sympy.Expr = zero
    vector: sympy.Expr = zero
    with sympy.evaluate(False):
        for i, e in enumerate(exposures(scenario), start=1):
            age = -P(f"exposure_{i}_time")
            if getattr(e, "platform", None) == "viral_vector":
                vector = _accumulate(vector, P("ab_per_dose") * sympy.exp(-P("k_ab_off") * age))
            if antigen is None or e.antigen != antigen:
                continue
            dose = e.kind == "vaccine"
            gain = P("mem_per_dose") if dose else P("mem_per_infection")
            term = gain * sympy.Float(0.5) ** (age / P("memory_half_life"))
            level = term if level == zero else sympy.Add(level, term)
            ad = _accumulate(ad, P("ad_per_exposure") * sympy.exp(-P("k_ad_off") * age))
            left = (P("ab_per_dose") * sympy.exp(-P("k_ab_off") * age) if dose
                    else P("ab_per_infection") * sympy.exp(-P("k_ab_off_infection") * age))
            ab = _accumulate(ab, left)
        delivered = 1.0 / (1.0 + P("vector_block") * vector) if vector != zero else sympy.Float(1.0)
        return {"m_prec": P("m_naive") + P("m_per_memory") * level if level != zero else P("m_naive"),
                "ad_0": ad, "ab_0": ab, "memory_level": level, "dose_delivered": delivered}


def _accumulate(total: sympy.Expr, gain: sympy.Expr) -> sympy.Expr:
    """``total + (1 - total) * gain``: each exposure raises a level by ``gain`` of the way to its maximum."""
    if total == sympy.Float(0.0):
        return gain
    return total + (1.0 - total) * gain


# -- challenge and interventions ------------------------------------------------------------------------------

def _source_inputs(scenario: Any) -> list[tuple[Any, dict[str, tuple[str, float, str, str]]]]:
    """For each event source (challenge, then interventions), its amounts as condition inputs:
    ``{key: (id, value, unit, text)}``; ids of repeated intervention kinds are numbered."""
    out: list[tuple[Any, dict[str, tuple[str, float, str, str]]]] = []
    ch = scenario.challenge
    if ch is not None:
        fields: dict[str, tuple[str, float, str, str]] = {}
        if ch.kind == "endotoxin":
            if ch.dose is not None:
                fields["dose"] = ("dose", ch.dose, "ng/kg", "endotoxin bolus dose (challenge.dose)")
            if ch.infusion is not None:
                fields["infusion_rate"] = ("infusion_rate", ch.infusion.rate, "ng/kg/h",
                                           "endotoxin infusion rate (challenge.infusion.rate)")
        elif ch.kind in ("influenza", "sars_cov_2"):
            fields["inoculum"] = ("inoculum", ch.inoculum, "1",
                                  "intranasal inoculum, number of TCID50 (challenge.inoculum)")
        elif ch.kind == "bacterial":
            fields["load"] = ("load", ch.load, "1e6/mL", "initial bacterial load (challenge.load)")
        elif ch.kind == "vaccine":
            fields["amount"] = ("amount", ch.amount, "1", "fraction of a full vaccine dose (challenge.amount)")
        out.append((ch, fields))
    kinds = [iv.kind for iv in scenario.interventions]
    for i, iv in enumerate(scenario.interventions):
        stem = iv.kind if kinds.count(iv.kind) == 1 else f"{iv.kind}_{kinds[:i + 1].count(iv.kind)}"
        where = f"interventions.{i}"
        fields = {}
        if iv.kind in ("ibuprofen", "paracetamol"):
            fields["dose"] = (f"{stem}_dose", iv.dose, "mg", f"{iv.kind} dose per tablet ({where}.dose)")
        elif iv.kind == "sleep":
            fields["hours"] = (f"{stem}_hours", iv.hours, "h", f"hours of sleep a night ({where}.hours)")
        elif iv.kind == "chicken_soup":
            fields["bowls"] = (f"{stem}_bowls_per_day", iv.bowls_per_day, "1", f"bowls a day ({where}.bowls_per_day)")
        elif iv.kind == "expectation":
            fields["strength"] = (f"{stem}_strength", iv.strength, "1", f"expected relief, 0-1 ({where}.strength)")
        out.append((iv, fields))
    return out


def _amount(source: Any, target: str, ids: dict[str, str]) -> sympy.Expr | None:
    """The symbolic amount that ``source`` puts into ``target`` (a state or an input), or None if unknown."""
    P = sym
    kind = source.kind
    with sympy.evaluate(False):
        if kind == "endotoxin":
            return {"E": P(ids.get("dose", "dose")) * P("lps_exposure"),
                    "lps_rate": P(ids.get("infusion_rate", "infusion_rate")) * P("lps_exposure")}.get(target)
        if kind in ("influenza", "sars_cov_2") and target == "V":
            return P(ids["inoculum"]) * P("v0_per_inoculum")
        if kind == "bacterial" and target == "B":
            return P(ids["load"])
        if kind == "vaccine" and target == "DEPOT":
            return P(ids["amount"]) * P("dose_delivered")
        if kind == "antiviral":
            return P("eps_antiviral")
        if kind == "antibiotic":
            return P("k_abx")
        if kind in ("ibuprofen", "paracetamol"):
            return P(ids["dose"])
        if kind in ("heat", "breathing"):
            return sympy.Float(1.0)
        if kind == "cold_exposure":
            return P("adr_cold")
        if kind == "meditation":
            return P("desc_meditation")
        if kind == "sleep":
            return P("sleep") - P(ids["hours"])
        if kind == "hydration":
            return -P("fluid_deficit")
        if kind == "chicken_soup":
            return -_below(P("fluid_deficit"), P("soup_fluid") * P(ids["bowls"]))
        if kind == "expectation":
            return P(ids["strength"])
    return None


# -- all together -----------------------------------------------------------------------------------------

def conditions(scenario: Any, p: SimpleNamespace, base: dict[str, float]) -> Conditions:
    """The scenario's inputs, derived values and changes; checked against the numbers the model computes.

    Parameters
    ----------
    scenario
        The scenario.
    p
        Its effective parameters (:func:`neuroimmune.engine.simulate.resolve_parameters`).
    base
        The base parameter values (records and user overrides) that the derived values start from.
    """
    inputs: dict[str, ConditionInput] = {}
    for sid, unit, text, get in HOST_INPUTS:
        inputs[sid] = ConditionInput(sid, float(get(scenario.host)), unit, text, "host")
    for i, e in enumerate(exposures(scenario), start=1):
        inputs[f"exposure_{i}_time"] = ConditionInput(
            f"exposure_{i}_time", float(e.time), "h",
            f"time of remembered exposure {i} ({e.kind}, antigen {e.antigen}) before the start (negative)", "host")
    frozen: list[str] = []
    derived: dict[str, sympy.Expr] = {}
    formulas = host_formulas(scenario)
    derived.update({name: formulas[name] for name in INTERMEDIATE})
    for name in vars(p):
        if name in base:
            continue
        if name in formulas:
            derived[name] = formulas[name]
        else:  # a host effect without a formula here: its number, and a note
            derived[name] = sympy.Float(float(getattr(p, name)))
            frozen.append(name)

    jumps: list[Change] = []
    rates: list[Change] = []
    for source, fields in _source_inputs(scenario):
        ids = {key: sid for key, (sid, _, _, _) in fields.items()}
        for sid, value, unit, text in fields.values():
            inputs[sid] = ConditionInput(sid, float(value), unit, text, "challenge" if source is scenario.challenge
                                         else "interventions")
        for e in source.events(p, scenario):
            target = e.state if isinstance(e, Jump) else e.input
            amount = _amount(source, target, ids)
            if amount is None:
                amount = sympy.Float(e.amount if isinstance(e, Jump) else e.value)
                frozen.append(f"{source.kind} -> {target}")
            if isinstance(e, Jump):
                jumps.append(Change(e.time, target, amount, True))
            else:
                rates.append(Change(e.start, target, amount, False, e.stop))
    out = Conditions(inputs, _in_order(derived), jumps, rates, frozen)
    _check_numbers(out, scenario, p, base)
    return out


def _in_order(derived: dict[str, sympy.Expr]) -> dict[str, sympy.Expr]:
    """``derived`` with each value after the derived values it reads (the model's own order where it allows)."""
    out: dict[str, sympy.Expr] = {}

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in out:
            return
        if name in path:
            raise SbmlValidationError(f"derived values: {' -> '.join((*path, name))} is a cycle")
        for s in sorted(derived[name].free_symbols, key=lambda s: s.name):
            if s.name in derived:
                visit(s.name, (*path, name))
        out[name] = derived[name]

    for name in derived:
        visit(name, ())
    return out


def _check_numbers(c: Conditions, scenario: Any, p: SimpleNamespace, base: dict[str, float]) -> None:
    """Every formula, evaluated at this scenario, must give the number the model computes (fills ``c.values``)."""
    values = {sym(k): sympy.Float(v, 17) for k, v in base.items()}
    values.update({sym(k): sympy.Float(i.value, 17) for k, i in c.inputs.items()})
    for name, expr in c.derived.items():  # intermediate values first, then the effective parameters
        values[sym(name)] = sympy.Float(float(sympy.N(expr.xreplace(values), 17)), 17)
        if name not in INTERMEDIATE:
            _compare(f"derived value {name}", values[sym(name)], getattr(p, name))
    from ..engine.schedule import events

    numbers = events(scenario, p)
    mine = [*c.jumps, *c.rates]
    if len(numbers) != len(mine):
        raise SbmlValidationError(f"scenario events: {len(numbers)} in the model, {len(mine)} in the export")
    for e in numbers:
        if isinstance(e, Jump):
            match = [ch for ch in c.jumps if ch.time == e.time and ch.target == e.state]
            want = e.amount
        else:
            match = [ch for ch in c.rates if ch.time == e.start and ch.stop == e.stop and ch.target == e.input]
            want = e.value
        if not any(_close(ch.amount.xreplace(values), want) for ch in match):
            raise SbmlValidationError(f"scenario events: no exported formula gives {e} (the model's number)")
    c.values = values


def _close(expr: sympy.Expr, want: float) -> bool:
    got = float(sympy.N(expr, 17))
    return math.isclose(got, float(want), rel_tol=1e-12, abs_tol=1e-300)


def _compare(what: str, expr: sympy.Expr, want: float) -> None:
    if not _close(expr, want):
        raise SbmlValidationError(f"{what}: the exported formula gives {float(sympy.N(expr, 17))!r}, the model "
                                  f"{float(want)!r}")
