"""Challenges: what makes the host sick. Each kind is a pydantic model registered in :data:`CHALLENGES`."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .quantities import DosePerWeight, Hours, RatePerWeight


class Infusion(BaseModel):
    """A constant-rate intravenous infusion."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rate: RatePerWeight = Field(gt=0.0, le=100.0, description="infusion rate in ng/kg/h")
    duration: Hours = Field(gt=0.0, le=240.0, description="how long the infusion runs, in hours")
    start: Hours = Field(0.0, ge=0.0, description="start time in hours after the scenario starts")


class Endotoxin(BaseModel):
    """Intravenous E. coli endotoxin (LPS): a bolus ``dose`` at ``time``, an ``infusion``, or both.

    Doses are per kg body weight, as in the human studies (2 ng/kg is the common experimental dose).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["endotoxin"] = "endotoxin"
    dose: DosePerWeight | None = Field(None, gt=0.0, le=100.0, description="bolus dose in ng/kg")
    time: Hours = Field(0.0, ge=0.0, description="time of the bolus in hours")
    infusion: Infusion | None = None

    @model_validator(mode="after")
    def _needs_a_dose(self) -> Endotoxin:
        if self.dose is None and self.infusion is None:
            raise ValueError(
                "dose: an endotoxin challenge needs a bolus dose (such as '2 ng/kg') or an infusion "
                "(such as {rate: '0.5 ng/kg/h', duration: '4 h'})"
            )
        return self

    def events(self, p: Any, scenario: Any) -> list[Any]:
        """The bolus as a jump in plasma endotoxin, the infusion as an input rate; both scaled by the host's
        endotoxin exposure per volume of blood (``p.lps_exposure``)."""
        from ..engine.schedule import Jump, Rate

        out: list[Any] = []
        if self.dose is not None:
            out.append(Jump(self.time, "E", self.dose * p.lps_exposure))
        if self.infusion is not None:
            inf = self.infusion
            out.append(Rate(inf.start, inf.start + inf.duration, "lps_rate", inf.rate * p.lps_exposure))
        return out

    def total_dose(self) -> float:
        """Total endotoxin given, ng/kg."""
        infused = self.infusion.rate * self.infusion.duration if self.infusion else 0.0
        return (self.dose or 0.0) + infused


#: Challenge kinds available in this version, by the name used in ``challenge.kind``.
CHALLENGES: dict[str, type[BaseModel]] = {"endotoxin": Endotoxin}
