"""The diary forecast as a person reads it: "when will my back stop aching?".

The diary's days condition the library of the illness and the person's host group
(:mod:`neuroimmune.forecast`); the answer gives, for each day of illness, the median and the 50 % and 80 % bands of
the back ache and temperature the person will write down, the recovery day (:func:`neuroimmune.outcomes.
recovery_illness_day`) in plain words, how far the diary moved the forecast from the population (effective sample
size, and the population's recovery day beside the person's), and whether the diary lies outside what the model
explains. The when-to-worry rules (``rules.yaml``) override everything: a red flag withholds the forecast, and a
diary outside the model says so and recommends seeing a doctor. Every answer carries the rule book's
not-medical-advice line.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..errors import NeuroimmuneError
from ..forecast import condition, measurement
from ..forecast.library import Library, load_library
from ..scenarios import CHALLENGES
from .diary import diary_hits
from .rules import VERDICTS, AdviceError, Hit, check_answers, rule_book, worst

#: The longest diary, days.
MAX_DAYS = 60
#: Below this many effective members the answer says that the forecast rests on few simulated people.
FEW_MEMBERS = 20
#: Seed of the predictive draws (the same diary always gets the same answer).
SEED = 0
#: Temperatures a thermometer reading of a living, conscious person can have, degC.
TEMPERATURE_RANGE = (34.0, 43.0)
#: Band levels in words.
FIELD_WORDS = {"back_pain": "back ache", "temperature": "temperature", "fatigue": "fatigue"}


class ForecastDay(BaseModel):
    """One day of the diary: the day of illness (day 1 = the first day you felt ill), the day's worst back ache
    (0-10), highest temperature (degC) and, optionally, worst fatigue (0-10)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    day: int = Field(ge=1, le=MAX_DAYS, description="day of illness (1 = the first day you felt ill)")
    back_pain: float | None = Field(None, ge=0.0, le=10.0, description="worst back ache of the day, 0-10")
    temperature: float | None = Field(None, ge=TEMPERATURE_RANGE[0], le=TEMPERATURE_RANGE[1],
                                      description="highest temperature of the day, degC")
    fatigue: float | None = Field(None, ge=0.0, le=10.0, description="worst fatigue of the day, 0-10 (optional)")


class ForecastRequest(BaseModel):
    """What the forecast needs: the illness (a challenge kind), the person (optional, as a scenario's host), the
    diary (days in order, each once) and optional yes/no answers to the when-to-worry questions."""

    model_config = ConfigDict(extra="forbid")

    illness: str = Field(description="the illness: a challenge kind such as 'influenza' or 'sars_cov_2'")
    host: dict[str, Any] | None = Field(None, description="the person, as in a scenario's host")
    days: list[ForecastDay] = Field(min_length=1, max_length=MAX_DAYS, description="the diary, one entry per day")
    answers: dict[str, bool] | None = Field(None, description="question id -> true/false")

    @field_validator("illness")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in CHALLENGES:
            raise ValueError(f"must be one of {', '.join(CHALLENGES)}")
        return value


def _problems(request: ForecastRequest) -> list[tuple[str, str, object]]:
    """Rules across days that the field checks cannot state: in order, each day once, something entered."""
    problems: list[tuple[str, str, object]] = []
    for i, d in enumerate(request.days):
        if i and d.day == request.days[i - 1].day:
            problems.append((f"days.{i}.day", f"each day must appear once (day {d.day} is also entry {i - 1})",
                             d.day))
        elif i and d.day < request.days[i - 1].day:
            problems.append((f"days.{i}.day", f"days must be in order (day {d.day} comes after day "
                             f"{request.days[i - 1].day})", d.day))
        if d.back_pain is None and d.temperature is None and d.fatigue is None:
            problems.append((f"days.{i}", "must give back_pain, temperature or fatigue", d.model_dump()))
    return problems


def validate(data: dict[str, Any]) -> ForecastRequest:
    """A checked request, or :class:`AdviceError` naming each field, rule and value received."""
    if not isinstance(data, dict):
        raise AdviceError([("diary", "must be a mapping with illness and days", data)])
    try:
        request = ForecastRequest.model_validate(data)
    except ValidationError as exc:
        raise AdviceError([(".".join(map(str, e["loc"])) or "diary", _rule(e), e.get("input"))
                           for e in exc.errors()]) from None
    problems = _problems(request)
    if problems:
        raise AdviceError(problems)
    return request


def _rule(error: Any) -> str:
    if error["type"] == "too_short" and error["loc"] == ("days",):
        return "must hold at least one day (the diary is empty)"
    return str(error["msg"]).removeprefix("Value error, ")


def forecast(illness: str, days: list[dict[str, Any]], host: dict[str, Any] | None = None,
             answers: dict[str, Any] | None = None, *, library: Library | None = None) -> dict[str, Any]:
    """Forecast a person's coming days from their diary (see the module docstring).

    Parameters
    ----------
    illness
        A challenge kind (``influenza``, ``sars_cov_2``, ...): the library of that illness as a person at home has it.
    days
        ``[{"day": 1, "back_pain": 6, "temperature": 38.4, "fatigue": 5}, ...]`` in order, each day once; fields may
        be missing.
    host
        The person, as a scenario's ``host``; None: adults of any sex, age and weight.
    answers
        Optional ``{question id: true/false}`` for the when-to-worry questions.
    library
        A library to use instead of the one in the cache (it is built there at first use).
    """
    return forecast_request(validate({"illness": illness, "days": days, "host": host, "answers": answers}),
                            library=library)


def forecast_request(request: ForecastRequest, *, library: Library | None = None) -> dict[str, Any]:
    """:func:`forecast` for a request whose fields are validated (the rules across days are checked here)."""
    problems = _problems(request)
    if problems:
        raise AdviceError(problems)
    book = rule_book()
    given = check_answers(request.answers)
    hits = [Hit(q.id, q.level, q.reason, q.source_texts()) for q in book.questions if given.get(q.id)]
    hits += diary_hits(request.days)  # type: ignore[arg-type]  # the rules read day, back_pain, temperature
    if library is None:
        try:
            library = load_library(request.illness, request.host)
        except NeuroimmuneError as exc:
            found: list[tuple[str, str, object]] = list(getattr(exc, "problems", None) or [])
            if found:
                raise AdviceError([(f"host.{f.removeprefix('host.')}", r, v) for f, r, v in found]) from None
            raise
    reports = [condition.Report(d.day, f, float(getattr(d, f))) for d in request.days for f in
               ("back_pain", "temperature", "fatigue") if getattr(d, f) is not None]
    loglik = condition.log_likelihoods(library, reports)
    w = condition.weights(library, loglik.sum(axis=0))
    failed = condition.outside(condition.checks(library, reports, loglik)) if w.any() else []
    explained = bool(w.any()) and not failed
    base = condition.prior(library)
    level = worst([h.level for h in hits] + ([] if explained else ["see_doctor"]))
    reasons = [h.reason for h in sorted(hits, key=lambda h: h.level != "red_flag")]
    if not explained and level != "red_flag":  # a red flag overrides: seek care now, not "consider"
        reasons.append(_outside_words(request, library, failed))
    fit = {"explained": explained, "effective_members": round(condition.member_ess(w), 1),
           "effective_sample_size": round(condition.ess(w), 1),
           "library_members": int(library.valid.sum()), "onset_shifts": len(library.shifts),
           "surprising": [{"day": c.report.day, "field": c.report.field, "value": c.report.value, "p": c.p,
                           "kind": c.kind} for c in failed],
           "alpha": condition.ALPHA}
    answer: dict[str, Any] = {"illness": request.illness, "host_group": {"id": library.spec.group.id,
                                                                          "label": library.spec.group.label}}
    last = request.days[-1].day
    if level != "red_flag" and w.any():
        answer["forecast"] = _forecast(library, w, base, last, request)
        if explained:
            reasons.append(answer["forecast"]["recovery"]["words"])
        if explained and condition.member_ess(w) < FEW_MEMBERS:
            reasons.append(f"few simulated people had an illness like yours (about {condition.member_ess(w):.0f}), "
                           "so this forecast is less certain than its bands show")
    else:
        answer["forecast"] = None
        if level == "red_flag":
            reasons.append("no forecast is shown while a red flag applies: seek care now")
    if level == "typical" and explained:
        reasons.insert(0, f"your diary is within what the model expects for {_name(request.illness)}")
    answer.update({
        "verdict": VERDICTS[level], "level": level, "reason": "; ".join(reasons), "reasons": reasons,
        "hits": [dataclasses.asdict(h) for h in hits], "fit": fit,
        "entered": [d.model_dump(exclude_none=True) for d in request.days],
        "measurement": measurement.describe(),
        "library": {"fingerprint": library.fingerprint, "members": library.members,
                    "uncertainty": library.provenance.get("uncertainty", {}),
                    "built_by": library.provenance.get("built_by")},
        "rules_version": book.version, "disclaimer": book.disclaimer,
    })
    return answer


def _name(illness: str) -> str:
    return {"sars_cov_2": "COVID-19", "influenza": "flu", "bacterial": "a bacterial infection",
            "vaccine": "a vaccine reaction", "endotoxin": "an endotoxin challenge"}.get(illness, illness)


def _forecast(lib: Library, w: np.ndarray, base: np.ndarray, last: int, request: ForecastRequest) -> dict[str, Any]:
    pairs = condition.draw_pairs(w, seed=SEED)
    pop_pairs = condition.draw_pairs(base, seed=SEED)
    days = []
    per_field = {f: condition.bands(condition.predictive(lib, pairs, f, seed=SEED + 1))
                 for f in ("back_pain", "temperature")}
    for i, d in enumerate(lib.days.tolist()):
        entry: dict[str, Any] = {"day": d, "entered": any(x.day == d for x in request.days), "ahead": d > last}
        for f, b in per_field.items():
            band = b[i]
            entry[f] = None if band is None else {k: round(v, 2) for k, v in band.items()}
        if all(entry[f] is None for f in per_field):
            break
        days.append(entry)
    rec = condition.recovery_days(lib, pairs)
    pop = condition.recovery_days(lib, pop_pairs)
    return {"days": days, "recovery": _recovery(rec, last, len(lib.days), request.illness),
            "population_recovery": _recovery(pop, 0, len(lib.days), request.illness)}


def _recovery(days: np.ndarray, last: int, reach: int, illness: str) -> dict[str, Any]:
    """The recovery day of illness of the drawn courses in numbers and words."""
    done = days[~np.isnan(days)]
    share_not = 1.0 - done.size / days.size
    out: dict[str, Any] = {"share_not_recovered": round(share_not, 3), "by_day": reach}
    if done.size < 0.5 * days.size:
        out.update(median=None, low50=None, high50=None, low80=None, high80=None,
                   words=f"most people whose illness went like yours were still unwell on day {reach}, the last day "
                         "the model follows; an illness this long is not typical, consider seeing a doctor")
        return out
    q = [_quantile_with_missing(days, p) for p in (0.1, 0.25, 0.5, 0.75, 0.9)]
    lo80, lo50, med, hi50, hi80 = (None if np.isnan(v) else int(v) for v in q)
    out.update(median=med, low50=lo50, high50=hi50, low80=lo80, high80=hi80)
    span = f"day {lo50}" if lo50 == hi50 else f"day {lo50}-{hi50}"
    words = f"most people whose illness went like yours felt better by {span}"
    if lo80 is not None and hi80 is not None and (lo80, hi80) != (lo50, hi50):
        words += f" (8 in 10 between day {lo80} and day {hi80})"
    elif hi80 is None:
        words += f" (more than 1 in 10 were still unwell on day {reach}, the last day the model follows)"
    if share_not > 0.01 and hi80 is not None:
        words += f"; {100 * share_not:.0f} in 100 were still unwell on day {reach}"
    out["words"] = words
    return out


def _quantile_with_missing(days: np.ndarray, p: float) -> float:
    """Quantile of recovery days where NaN means later than every day followed (sorted last)."""
    ordered = np.sort(np.where(np.isnan(days), np.inf, days))
    v = ordered[min(int(np.ceil(p * len(ordered))) - 1, len(ordered) - 1)] if len(ordered) else np.inf
    return float("nan") if not np.isfinite(v) else float(v)


def _outside_words(request: ForecastRequest, lib: Library, failed: list[condition.Check]) -> str:
    """Why the diary lies outside what the model explains, in words."""
    name = _name(request.illness)
    if not failed:
        return (f"your diary is unlike every simulated course of {name} (none of {int(lib.valid.sum())} simulated "
                "people could have written it); this is outside what the model can explain: consider seeing a doctor")
    c = failed[0]
    what = FIELD_WORDS[c.report.field]
    unit = " °C" if c.report.field == "temperature" else "/10"
    value = f"{c.report.value:g}{unit}"
    if c.p == 0.0 and c.report.day > len(lib.days):
        how = f"day {c.report.day} is later than the {len(lib.days)} days of illness the model follows"
    elif c.kind == "a second rise":
        how = f"your {what} rose again on day {c.report.day} ({value}) after it had fallen"
    elif c.kind == "lasting longer":
        how = f"your {what} on day {c.report.day} ({value}) has lasted longer than the model expects"
    else:
        how = f"your {what} on day {c.report.day} ({value}) is more severe than the model expects"
    rare = "fewer than 1 in 10,000" if c.p < 1e-4 else f"about 1 in {round(1 / c.p):,}"
    return (f"{how}: {rare} simulated people with {name} would write that down, so this is outside what the model "
            "can explain; consider seeing a doctor")
