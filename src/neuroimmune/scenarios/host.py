"""The person being simulated: traits, habits and immune history."""

from __future__ import annotations

import datetime as _dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .quantities import Hours, Kilograms, Years

#: Antigens the immune memory distinguishes (one per pathogen kind the model has, and vaccine-only antigens).
ANTIGENS = ("influenza", "sars_cov_2", "bacterial", "varicella_zoster")

#: Vaccine platforms (how the antigen is delivered and what adjuvant comes with it).
PLATFORMS = ("mrna", "viral_vector", "inactivated", "adjuvanted", "recombinant_adjuvanted")

#: The platform assumed for a vaccine dose that does not name one, by antigen: the mRNA COVID-19 vaccines, the
#: inactivated (split-virion) influenza vaccine and the adjuvanted recombinant zoster vaccine.
DEFAULT_PLATFORM = {"sars_cov_2": "mrna", "influenza": "inactivated", "varicella_zoster": "recombinant_adjuvanted",
                    "bacterial": "inactivated"}


class Exposure(BaseModel):
    """An earlier infection or vaccine dose: ``time`` before the scenario starts (negative, e.g. ``-180 days``) or
    a calendar ``date`` before the scenario's ``start_date``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["influenza", "sars_cov_2", "bacterial", "vaccine"]
    antigen: Literal["influenza", "sars_cov_2", "bacterial", "varicella_zoster"] | None = Field(
        None, description="for a vaccine: the antigen it carries (default sars_cov_2); infections imply their own"
    )
    platform: Literal["mrna", "viral_vector", "inactivated", "adjuvanted", "recombinant_adjuvanted"] | None = Field(
        None, description="for a vaccine: its platform (default by antigen: mrna for sars_cov_2, inactivated for "
        "influenza, recombinant_adjuvanted for varicella_zoster)"
    )
    time: Hours | None = Field(None, lt=0.0, description="when, relative to the scenario start (negative)")
    date: _dt.date | None = Field(None, description="when, as a calendar date before the scenario's start_date")

    @model_validator(mode="after")
    def _one_when(self) -> Exposure:
        if (self.time is None) == (self.date is None):
            raise ValueError("give exactly one of time (such as '-180 days') or date (such as 2026-03-01)")
        if self.kind != "vaccine" and self.antigen not in (None, self.kind):
            raise ValueError(f"antigen of a {self.kind} infection is {self.kind} (got {self.antigen!r})")
        if self.kind != "vaccine" and self.platform is not None:
            raise ValueError(f"platform: only a vaccine dose has one, not a {self.kind} infection "
                             f"(got {self.platform!r})")
        if self.antigen is None:
            object.__setattr__(self, "antigen", "sars_cov_2" if self.kind == "vaccine" else self.kind)
        if self.kind == "vaccine" and self.platform is None and self.antigen is not None:
            object.__setattr__(self, "platform", DEFAULT_PLATFORM[self.antigen])
        return self


class Host(BaseModel):
    """Sex, age, body weight, habits, chronic pain history and immune history.

    Defaults are the calibration cohort's: a healthy 25-year-old, 75 kg man sleeping 7 h, well hydrated, with a
    typical microbiome, average fitness, no chronic pain and no remembered exposure to the challenge.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    sex: Literal["male", "female"] = "male"
    age: Years = Field(25.0, ge=18.0, le=100.0, description="age in years; the model is calibrated on adults")
    weight: Kilograms = Field(75.0, ge=30.0, le=250.0, description="body weight in kg")
    sleep: Hours = Field(7.0, ge=0.0, le=14.0, description="habitual sleep per night, in hours")
    fluid_deficit: float = Field(0.0, ge=0.0, le=10.0,
                                 description="fluid deficit, % of body mass (0 well hydrated, 2 mild, 5 marked)")
    microbiome_diversity: float = Field(1.0, ge=0.0, le=1.5,
                                        description="gut microbiome diversity relative to a typical healthy adult (1)")
    fitness: Literal["low", "average", "high"] = "average"
    chronic_pain: float = Field(0.0, ge=0.0, le=1.0,
                                description="chronic pain history: 0 none, 1 long-standing chronic (low back) pain")
    history: list[Exposure] = Field(default_factory=list,
                                    description="earlier infections and vaccine doses (immune memory)")
