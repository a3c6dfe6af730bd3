"""Challenges: what makes the host sick. Each kind is a pydantic model registered in :data:`CHALLENGES`."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .events import Jump, Rate
from .host import DEFAULT_PLATFORM, Exposure
from .quantities import DosePerWeight, Hours, InfectiousDose, RatePerWeight
from .registry import Registry

#: Challenge kinds available in this version, by the name used in ``challenge.kind``.
CHALLENGES = Registry()


class Infusion(BaseModel):
    """A constant-rate intravenous infusion."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rate: RatePerWeight = Field(gt=0.0, le=100.0, description="infusion rate in ng/kg/h")
    duration: Hours = Field(gt=0.0, le=240.0, description="how long the infusion runs, in hours")
    start: Hours = Field(0.0, ge=0.0, description="start time in hours after the scenario starts")


class Repeat(BaseModel):
    """The same bolus given ``count`` times in all, ``every`` hours apart (repeated-exposure studies)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    every: Hours = Field(gt=0.0, le=24.0 * 60, description="hours between boluses")
    count: int = Field(2, ge=2, le=30, description="number of boluses in all, the first included")


@CHALLENGES.register
class Endotoxin(BaseModel):
    """Intravenous E. coli endotoxin (LPS): a bolus ``dose`` at ``time``, an ``infusion``, or both.

    Doses are per kg body weight, as in the human studies (2 ng/kg is the common experimental dose).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["endotoxin"] = "endotoxin"
    dose: DosePerWeight | None = Field(None, gt=0.0, le=100.0, description="bolus dose in ng/kg")
    time: Hours = Field(0.0, ge=0.0, description="time of the bolus in hours")
    infusion: Infusion | None = None
    repeat: Repeat | None = Field(None, description="give the bolus again: {every: 24 h, count: 5}")

    @model_validator(mode="after")
    def _needs_a_dose(self) -> Endotoxin:
        if self.repeat is not None and self.dose is None:
            raise ValueError("repeat: repeats a bolus, so it needs a bolus dose (such as '2 ng/kg')")
        if self.dose is None and self.infusion is None:
            raise ValueError(
                "dose: an endotoxin challenge needs a bolus dose (such as '2 ng/kg') or an infusion "
                "(such as {rate: '0.5 ng/kg/h', duration: '4 h'})"
            )
        return self

    def events(self, p: Any, scenario: Any) -> list[Any]:
        """The bolus as a jump in plasma endotoxin, the infusion as an input rate; both scaled by the host's
        endotoxin exposure per volume of blood (``p.lps_exposure``)."""
        out: list[Any] = []
        if self.dose is not None:
            count, every = (self.repeat.count, self.repeat.every) if self.repeat else (1, 0.0)
            out += [Jump(self.time + k * every, "E", self.dose * p.lps_exposure) for k in range(count)]
        if self.infusion is not None:
            inf = self.infusion
            out.append(Rate(inf.start, inf.start + inf.duration, "lps_rate", inf.rate * p.lps_exposure))
        return out

    def total_dose(self) -> float:
        """Total endotoxin given, ng/kg."""
        infused = self.infusion.rate * self.infusion.duration if self.infusion else 0.0
        return (self.dose or 0.0) * (self.repeat.count if self.repeat else 1) + infused


class _Virus(BaseModel):
    """A respiratory virus given at ``time``, in one of two settings.

    ``challenge``: a human challenge study, drops of a known inoculum placed in the nose of a screened,
    seronegative volunteer; the virus infects the upper airway. ``community``: an infection caught at home or at
    work by inhaling virus, which also reaches the lower airway (more target cells, more interferon and tissue
    damage per inoculum; ``{kind}_tc_lower`` in parameters.yaml). Inhaled influenza gives typical febrile influenza
    at a few TCID50 where nasal drops mostly give mild or afebrile illness (Henle 1946, Alford 1966), and natural
    influenza involves the small airways and lasts longer than experimental influenza of the same strains
    (Little 1979). Each kind documents its default inoculum per setting (``DEFAULT_INOCULUM``).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    #: Prefix of this virus's parameters in parameters.yaml (``flu_beta``, ...).
    virus_prefix: ClassVar[str]
    #: Unit of the ``viral_load`` observable.
    viral_load_unit: ClassVar[str]
    #: Inoculum (TCID50) used when none is given, by setting.
    DEFAULT_INOCULUM: ClassVar[dict[str, float]]
    setting: Literal["challenge", "community"] = Field(
        "challenge", description="challenge: intranasal drops in a challenge study; community: a natural, inhaled "
        "infection that also reaches the lower airway")
    inoculum: InfectiousDose | None = Field(None, gt=0.0, le=1e9, description="inoculum in TCID50 (default: the "
                                            "setting's, see the kind's description)")
    time: Hours = Field(0.0, ge=0.0, description="time of inoculation in hours")

    @model_validator(mode="after")
    def _setting_inoculum(self) -> _Virus:
        if self.inoculum is None:
            object.__setattr__(self, "inoculum", self.DEFAULT_INOCULUM[self.setting])
        return self

    @property
    def antigen(self) -> str:
        """The antigen remembered after this infection."""
        return str(self.kind)  # type: ignore[attr-defined]

    def events(self, p: Any, scenario: Any) -> list[Any]:
        """The inoculum as a jump in free virus."""
        return [Jump(self.time, "V", float(self.inoculum) * p.v0_per_inoculum)]  # type: ignore[arg-type]


@CHALLENGES.register
class Influenza(_Virus):
    """Influenza A. Challenge: the Baccam 2006 volunteers' intranasal inoculum, 10^4.2 TCID50. Community: an
    inhaled dose of 10 TCID50 (the human infectious dose by small-particle aerosol is about 3 TCID50, Alford 1966),
    which gives illness from about 1.5 days, the median incubation period of natural influenza A (1.4 days,
    Lessler 2009). Viral load is in log10 TCID50/mL of nasal wash."""

    virus_prefix: ClassVar[str] = "flu"
    viral_load_unit: ClassVar[str] = "log10(TCID50/mL)"
    DEFAULT_INOCULUM: ClassVar[dict[str, float]] = {"challenge": 10**4.2, "community": 10.0}
    kind: Literal["influenza"] = "influenza"


@CHALLENGES.register
class SarsCov2(_Virus):
    """SARS-CoV-2. Challenge: the Killingley 2022 intranasal inoculum, 10 TCID50. Community: one inhaled infectious
    unit; illness then starts on about day 3, earlier than the median incubation period of the ancestral strain
    (5.1 days, Lauer 2020), because the model's within-host growth is fast (a gap noted in the examples). Viral
    load is in log10 RNA copies/mL (nose)."""

    virus_prefix: ClassVar[str] = "cov"
    viral_load_unit: ClassVar[str] = "log10(copies/mL)"
    DEFAULT_INOCULUM: ClassVar[dict[str, float]] = {"challenge": 10.0, "community": 1.0}
    kind: Literal["sars_cov_2"] = "sars_cov_2"


@CHALLENGES.register
class Bacterial(BaseModel):
    """A bacterial tissue infection starting from ``load`` (10^6 colony-forming units per mL of tissue) at
    ``time``; it is cleared or not depending on the host's defences and on an antibiotic."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["bacterial"] = "bacterial"
    load: float = Field(1.0, gt=0.0, le=20.0, description="initial bacterial load, 10^6 CFU per mL of tissue")
    time: Hours = Field(0.0, ge=0.0, description="time of infection in hours")
    antigen: ClassVar[str] = "bacterial"

    def events(self, p: Any, scenario: Any) -> list[Any]:
        """The inoculum as a jump in bacterial load."""
        return [Jump(self.time, "B", self.load)]


#: Interval assumed between doses when only ``dose_number`` is given, by platform: the BNT162b2 primary series
#: (21 days), the Ad26.COV2.S two-dose schedule (56 days, Sadoff 2021; ChAdOx1 was given 4-12 weeks apart), a
#: yearly influenza vaccine, and the recombinant zoster vaccine (2 months).
DOSE_INTERVAL_H = {"mrna": 21 * 24.0, "viral_vector": 56 * 24.0, "inactivated": 365 * 24.0,
                   "adjuvanted": 365 * 24.0, "recombinant_adjuvanted": 61 * 24.0}


@CHALLENGES.register
class Vaccine(BaseModel):
    """An intramuscular vaccine dose at ``time``: an antigen depot with adjuvant, of one ``platform``.

    Platforms differ in how much they stimulate innate immunity and in what a later dose does
    (``{platform}_*`` in parameters.yaml): ``mrna`` (BNT162b2, mRNA-1273: the second dose is much more
    reactogenic than the first), ``viral_vector`` (ChAdOx1, Ad26.COV2.S: the first dose is the more reactogenic;
    antibody against the vector from it neutralises part of the next), ``inactivated`` (split-virion influenza
    vaccine: systemic reactions no more frequent than after placebo), ``adjuvanted`` (MF59 influenza vaccine:
    a little more myalgia and malaise) and ``recombinant_adjuvanted`` (AS01B zoster vaccine: frequent myalgia).
    The default platform follows the antigen (mrna for sars_cov_2, inactivated for influenza,
    recombinant_adjuvanted for varicella_zoster).

    Earlier doses come either from ``host.history`` or from ``dose_number`` (which dose of a series this is;
    earlier doses of the same platform are then assumed at the platform's usual interval, :data:`DOSE_INTERVAL_H`),
    not both.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["vaccine"] = "vaccine"
    antigen: Literal["sars_cov_2", "influenza", "varicella_zoster"] = "sars_cov_2"
    platform: Literal["mrna", "viral_vector", "inactivated", "adjuvanted", "recombinant_adjuvanted"] | None = Field(
        None, description="vaccine platform (default by antigen: mrna for sars_cov_2, inactivated for influenza, "
        "recombinant_adjuvanted for varicella_zoster)")
    dose_number: int | None = Field(None, ge=1, le=10, description="1 for a first dose, 2 for the second, ... "
                                    "(default: one more than the doses in host.history)")
    amount: float = Field(1.0, gt=0.0, le=2.0, description="fraction of a full dose")
    time: Hours = Field(0.0, ge=0.0, description="time of the injection in hours")

    @model_validator(mode="after")
    def _default_platform(self) -> Vaccine:
        if self.platform is None:
            object.__setattr__(self, "platform", DEFAULT_PLATFORM[self.antigen])
        return self

    def implied_history(self) -> list[Exposure]:
        """Earlier doses implied by ``dose_number`` when it is given (the scenario checks that the host's history
        then lists none for this antigen)."""
        n = self.dose_number or 1
        gap = DOSE_INTERVAL_H[str(self.platform)]
        return [Exposure(kind="vaccine", antigen=self.antigen, platform=self.platform, time=-(n - k) * gap)
                for k in range(1, n)]

    def events(self, p: Any, scenario: Any) -> list[Any]:
        """The injection as a jump in the depot: the fraction of the dose that reaches cells (``p.dose_delivered``,
        less than 1 for a viral vector met by antibody against the vector)."""
        return [Jump(self.time, "DEPOT", self.amount * p.dose_delivered)]


#: The tagged union of every registered challenge kind (the type of ``Scenario.challenge``).
Challenge = CHALLENGES.union()
