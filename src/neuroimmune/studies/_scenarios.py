"""Scenario builders that several studies share (an endotoxin bolus on a fine grid, an influenza challenge, a
vaccine dose, ...)."""

from __future__ import annotations

from typing import Any, Literal

from ..scenarios import Bacterial, Endotoxin, Exposure, Host, Influenza, Infusion, SarsCov2, Scenario, Vaccine

#: Any region with regional gain 1 stands for a generic algometry site (forearm, thigh).
REFERENCE_REGION = "thigh"

#: Detection limit of the influenza titre assays, log10 TCID50/mL (Hayden 1996 data header; Baccam 2006 records
#: titres at or below 0.5 log10 as 0).
INFLUENZA_LOD = 0.5


def bolus(dose: float = 2.0, sex: str = "male", duration: float = 8.0, age: float | None = None) -> Scenario:
    """An intravenous endotoxin bolus (ng/kg) on a 3-minute output grid."""
    host = Host(sex=sex) if age is None else Host(sex=sex, age=age)
    return Scenario(challenge=Endotoxin(dose=dose), host=host, duration=duration, output_step=0.05)


def bolus_id(dose: float = 2.0, sex: str = "male") -> str:
    """The condition id of a :func:`bolus` arm (``lps_2ngkg_male``, ``lps_0p4ngkg_male``): a PEtab id, so
    letters, digits and underscores only."""
    return f"lps_{dose:g}ngkg_{sex}".replace(".", "p")


def pretreated_bolus(dose: float, interventions: list[dict[str, Any]]) -> dict[str, Any]:
    """An endotoxin bolus (ng/kg) at 2 h, after ``interventions`` started earlier (pre-treatment trials), 14 h on
    a 3-minute grid."""
    return {"challenge": {"kind": "endotoxin", "dose": f"{dose} ng/kg", "time": "2.0 h"},
            "interventions": interventions, "duration": "14 h", "output_step": "0.05 h"}


#: Ibuprofen 800 mg 1.5 h before the endotoxin of :func:`pretreated_bolus` (the trials pre-treated; the exact
#: regimen varied between them).
IBUPROFEN_PRETREATMENT = {"kind": "ibuprofen", "dose": "800 mg", "start": "0.5 h"}


def influenza(duration: str = "10 days", **extra: Any) -> dict[str, Any]:
    """An influenza A challenge on an hourly grid."""
    return {"challenge": {"kind": "influenza"}, "duration": duration, "output_step": "1 h", **extra}


def vaccine_dose(number: int) -> dict[str, Any]:
    """Dose ``number`` of an mRNA vaccine, 7 days on a half-hour grid."""
    return {"challenge": {"kind": "vaccine", "dose_number": number}, "duration": "7 days", "output_step": "0.5 h"}


def infused(total: float, hours: float, duration: float = 10.0, bolus: float | None = None) -> Scenario:
    """``total`` ng/kg of endotoxin infused at a constant rate over ``hours`` (after an optional ``bolus``)."""
    return Scenario(challenge=Endotoxin(dose=bolus, infusion=Infusion(rate=total / hours, duration=hours)),
                    duration=duration, output_step=0.05)


def infection(kind: str, days: float = 21.0, history: tuple[Exposure, ...] = (), age: float | None = None,
              step: float = 1.0, treatments: tuple[dict, ...] = (),
              setting: Literal["challenge", "community"] = "challenge") -> Scenario:
    """A respiratory virus (``influenza`` or ``sars_cov_2``) with the default inoculum of its ``setting`` (intranasal
    drops in a challenge study; inhaled virus reaching the lower airway in the community), followed ``days`` days,
    with optional ``treatments`` (intervention mappings)."""
    challenge = Influenza(setting=setting) if kind == "influenza" else SarsCov2(setting=setting)
    host = Host(history=list(history)) if age is None else Host(history=list(history), age=age)
    return Scenario(challenge=challenge, host=host, interventions=list(treatments), duration=24.0 * days,
                    output_step=step)


def vaccination(antigen: str = "sars_cov_2", dose_number: int = 1, interval_days: float = 21.0, age: float = 25.0,
                sex: str = "male", platform: str | None = None) -> Scenario:
    """Dose ``dose_number`` of a vaccine series of ``platform`` (default: the antigen's usual one), earlier doses
    ``interval_days`` apart, followed 7 days."""
    kw = {} if platform is None else {"platform": platform}
    earlier = [Exposure(kind="vaccine", antigen=antigen, time=-24.0 * interval_days * (dose_number - k), **kw)
               for k in range(1, dose_number)]
    return Scenario(challenge=Vaccine(antigen=antigen, **kw), host=Host(age=age, sex=sex, history=earlier),
                    duration=7 * 24.0, output_step=0.5)


#: A bacterial tissue infection that the host does not clear alone within two days (10^6 CFU/mL times 5;
#: untreated, the model's fever lasts about two days), treated from 24 h: patients in the clinical studies had
#: been febrile for about a day when the antibiotic started.
BACTERIAL_LOAD = 5.0
ANTIBIOTIC_AT = 24.0
#: Days of the treated bacterial arm that the fitted and the CRP studies share (one simulation, cached): fever and
#: CRP have settled well before.
TREATED_DAYS = 7.0


def treated_bacterial(days: float = 28.0, age: float = 25.0) -> Scenario:
    """The bacterial infection above with a susceptible antibiotic from :data:`ANTIBIOTIC_AT`, hourly output."""
    return Scenario(challenge=Bacterial(load=BACTERIAL_LOAD), host=Host(age=age),
                    interventions=[{"kind": "antibiotic", "start": ANTIBIOTIC_AT}], duration=24.0 * days,
                    output_step=1.0)


def sleep_restricted(hours: float, nights: float, habitual: float = 8.0, recovery_nights: float = 0.0) -> Scenario:
    """No challenge: ``nights`` nights of ``hours`` sleep in a host who habitually sleeps ``habitual`` hours (the
    studies' 8-h control), then ``recovery_nights`` back at the habit; hourly output."""
    restriction = {"kind": "sleep", "hours": hours, "start": 0.0, "stop": 24.0 * nights}
    return Scenario(host=Host(sleep=habitual), interventions=[restriction],
                    duration=24.0 * (nights + recovery_nights), output_step=1.0)
