"""The diary check: a person's own days of illness against the range the model predicts for that illness and
that person, plus the when-to-worry rules.

Day ``d`` of the diary is the ``d``-th day since falling ill: the 24 hours starting ``(d - 1) * 24`` h after
symptom onset in the nominal run (:func:`neuroimmune.outcomes.onset`: the first time temperature, back ache or
fatigue reaches the 'ill' level of :data:`neuroimmune.outcomes.ILL_AT`; the challenge's start if none does).
The predicted range of a day is the 5th-95th percentile of that day's highest back ache and highest temperature
over the "people like me" band (:func:`neuroimmune.analysis.uncertainty.member_trajectories`): simulated people of
the diary's sex, age and weight who differ as people given the same challenge differ (the cohort's calibrated
between-person variability). Each member's own highest value of the day is taken first, then the percentiles over
members. The answer names the band it used (``band``).
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .. import outcomes
from ..analysis.uncertainty import LABELS, meaning, member_trajectories
from ..engine import simulate
from ..errors import ScenarioError
from ..scenarios import CHALLENGES, Scenario
from ..scenarios.catalog import example_challenge
from .rules import VERDICTS, AdviceError, Hit, check_answers, rule_book, worst

#: A diary entry above the predicted range by more than this counts as more than typical (rating points, degC);
#: a margin for how differently people rate pain and for thermometers.
BACK_PAIN_MARGIN = 1.0
TEMPERATURE_MARGIN = 0.5
MAX_DAYS = 60
#: The band a diary is compared with: people like the diary's person, this many of them, drawn with this seed.
BAND = "people"
BAND_MEMBERS = 256
BAND_SEED = 0
PERCENTILES = (5, 95)


class DiaryDay(BaseModel):
    """One day of the diary: which day of the illness, the day's worst back ache and highest temperature."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    day: int = Field(ge=1, le=MAX_DAYS, description="day since falling ill (1 = the first day)")
    back_pain: float | None = Field(None, ge=0.0, le=10.0, description="worst back ache of the day, 0-10")
    temperature: float | None = Field(None, ge=30.0, le=45.0, description="highest temperature of the day, degC")


class DiaryRequest(BaseModel):
    """What the diary check needs: the illness (a challenge kind or a full challenge), the person (optional, as
    in a scenario), the diary, and optional yes/no answers to the when-to-worry questions."""

    model_config = ConfigDict(extra="forbid")

    illness: str | dict[str, Any] = Field(description="challenge kind such as 'influenza', or a challenge mapping")
    host: dict[str, Any] | None = Field(None, description="the person, as in a scenario's host")
    days: list[DiaryDay] = Field(min_length=1, max_length=MAX_DAYS)
    answers: dict[str, bool] | None = Field(None, description="question id -> true/false")


def _challenge(illness: str | dict[str, Any]) -> dict[str, Any]:
    if isinstance(illness, str):
        if illness not in CHALLENGES:
            raise AdviceError([("illness", f"must be one of {', '.join(CHALLENGES)}", illness)])
        return example_challenge(illness)
    return illness


def _scenario(request: DiaryRequest) -> Scenario:
    max_day = max(d.day for d in request.days)
    weeks = math.ceil(max_day / 7) + 1  # a spare week for the time from infection to symptoms
    data: dict[str, Any] = {"challenge": _challenge(request.illness), "duration": 24.0 * 7 * weeks,
                            "output_step": 0.5}
    if request.host is not None:
        data["host"] = request.host
    try:
        return Scenario.coerce(data)
    except ScenarioError as exc:
        raise AdviceError([(f"illness.{f.removeprefix('challenge.')}" if f.startswith("challenge") else f, rule, value)
                           for f, rule, value in exc.problems]) from None


def onset_time(scenario: Scenario) -> float:
    """Hours from the scenario start to symptom onset in the nominal run (see the module docstring)."""
    ds = simulate(scenario, observables=list(outcomes.ILL_AT))
    t = outcomes.onset(ds["time"].to_numpy(), {name: ds[name].to_numpy() for name in outcomes.ILL_AT})
    return 0.0 if np.isnan(t) else t


@dataclasses.dataclass(frozen=True)
class DayRange:
    """Predicted 5th-95th percentile of one day's highest back ache and temperature."""

    day: int
    back_pain: tuple[float, float]
    temperature: tuple[float, float]


def predicted_ranges(scenario: Scenario, onset: float, days: list[int]) -> list[DayRange]:
    """Each diary day's range of the highest back ache and temperature over the people-like-me band."""
    people = member_trajectories(scenario, uncertainty=BAND, members=BAND_MEMBERS, seed=BAND_SEED,
                                 observables=["back_pain", "temperature"])
    t = people["time"].to_numpy()
    ache_all, temp_all = people["back_pain"].to_numpy(), people["temperature"].to_numpy()
    out = []
    for d in days:
        window = (t >= onset + 24.0 * (d - 1)) & (t <= onset + 24.0 * d)
        out.append(DayRange(d, _range(ache_all[:, window].max(axis=1)), _range(temp_all[:, window].max(axis=1))))
    return out


def band_used() -> dict[str, Any]:
    """Which band the diary is compared with, and what it means (part of every answer)."""
    return {"uncertainty": BAND, "label": LABELS[BAND], "members": BAND_MEMBERS, "seed": BAND_SEED,
            "percentiles": list(PERCENTILES),
            "meaning": meaning(BAND, BAND_MEMBERS, PERCENTILES[0] / 100, PERCENTILES[1] / 100)
            + " Each day's range is of each simulated person's own highest value that day."}


def _range(values: np.ndarray) -> tuple[float, float]:
    lo, hi = np.percentile(values, PERCENTILES)
    return round(float(lo), 1), round(float(hi), 1)


def diary_hits(days: list[DiaryDay]) -> list[Hit]:
    hits = []
    for rule in rule_book().diary_rules:
        values = [(d.day, getattr(d, rule.field or "")) for d in days if getattr(d, rule.field or "") is not None]
        matching = [(day, v) for day, v in values if (rule.at_least is not None and v >= rule.at_least)
                    or (rule.below is not None and v < rule.below)]
        if len(matching) >= rule.min_days:
            where = f"day {matching[0][0]}" if len(matching) == 1 else f"{len(matching)} days"
            hits.append(Hit(rule.id, rule.level, f"{rule.reason} ({where}: {rule.when})", rule.source_texts()))
    return hits


def diary_check(illness: str | dict[str, Any], days: list[dict[str, Any]], host: dict[str, Any] | None = None,
                answers: dict[str, Any] | None = None) -> dict[str, Any]:
    """Compare a symptom diary with the range the model predicts, and apply the when-to-worry rules.

    Parameters
    ----------
    illness
        A challenge kind (``"influenza"``; its example settings are used) or a challenge mapping.
    days
        ``[{"day": 1, "back_pain": 6, "temperature": 38.4}, ...]``; either measurement may be missing.
    host
        The person, as a scenario's ``host`` (default: the model's default person).
    answers
        Optional ``{question id: true/false}`` for the questions of :func:`neuroimmune.advice.questions`.

    Returns
    -------
    dict
        ``verdict`` (one of "typical for this illness", "more than typical, consider seeing a doctor",
        "a red flag: seek care now"), ``level``, ``reason`` (one line), ``reasons``, ``hits`` (rules that
        fired, with sources), ``expected`` (predicted range of each diary day), ``onset_h``, ``band`` (the band
        the days are compared with: people like me, see :func:`band_used`), ``rules_version`` and ``disclaimer``.
    """
    try:
        request = DiaryRequest.model_validate({"illness": illness, "days": days, "host": host, "answers": answers})
    except ValidationError as exc:
        raise AdviceError([(".".join(map(str, e["loc"])), e["msg"], e.get("input")) for e in exc.errors()]) from None
    return check_request(request)


def check_request(request: DiaryRequest) -> dict[str, Any]:
    """:func:`diary_check` for an already validated :class:`DiaryRequest`."""
    book = rule_book()
    given = check_answers(request.answers)
    scenario = _scenario(request)
    kind = scenario.challenge.kind if scenario.challenge is not None else "none"
    entries = sorted(request.days, key=lambda d: d.day)
    onset = onset_time(scenario)
    ranges = {r.day: r for r in predicted_ranges(scenario, onset, [d.day for d in entries])}

    hits = [Hit(q.id, q.level, q.reason, q.source_texts()) for q in book.questions if given.get(q.id)]
    hits += diary_hits(entries)
    above, near = [], []
    # each measure: its name in words, unit, the margin above the range still read as typical, and why that margin
    measures = (("back_pain", "back ache", "/10", BACK_PAIN_MARGIN, "how differently people rate pain"),
                ("temperature", "temperature", " °C", TEMPERATURE_MARGIN, "thermometers"))
    for d in entries:
        r = ranges[d.day]
        for field, words, unit, margin, why in measures:
            value, (low, high) = getattr(d, field), getattr(r, field)
            if value is None or value <= high:
                continue
            text = (f"day {d.day}: {words} {value:g}{unit} is above the {low:g}-{high:g}{unit} the model predicts "
                    f"for people like you with {kind}")
            if value > high + margin:
                above.append(text)
            else:
                near.append(f"{text}, by no more than the {margin:g}{unit} allowed for {why}")
    level = worst([h.level for h in hits] + (["see_doctor"] if above else []))
    reasons = [h.reason for h in sorted(hits, key=lambda h: h.level != "red_flag")]
    if above:
        reasons.append(f"{len(above)} diary {'entry is' if len(above) == 1 else 'entries are'} above the "
                       f"predicted range; " + "; ".join(above[:3]) + ("; ..." if len(above) > 3 else ""))
    among = (f"the range of the middle {PERCENTILES[1] - PERCENTILES[0]} in 100 of {BAND_MEMBERS} simulated people "
             f"like you with {kind}")
    if level == "typical" and not near:
        reasons.append(f"every day you entered lies within {among}")
    elif level == "typical":
        reasons.append(f"every day you entered lies within {among} or within the margin above it: " + "; ".join(near))
    return {
        "verdict": VERDICTS[level],
        "level": level,
        "reason": reasons[0] if len(reasons) == 1 else "; ".join(reasons),
        "reasons": reasons,
        "hits": [dataclasses.asdict(h) for h in hits],
        "above_range": above,
        "within_margin": near,
        "expected": [dataclasses.asdict(ranges[d.day]) for d in entries],
        "illness": kind,
        "onset_h": onset,
        "band": band_used(),
        "rules_version": book.version,
        "disclaimer": book.disclaimer,
    }
