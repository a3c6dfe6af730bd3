"""The person being simulated."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .quantities import Kilograms, Years


class Host(BaseModel):
    """Sex, age and body weight; defaults are the calibration cohort's (a 25-year-old, 75 kg man)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    sex: Literal["male", "female"] = "male"
    age: Years = Field(25.0, ge=18.0, le=100.0, description="age in years; the model is calibrated on adults")
    weight: Kilograms = Field(75.0, ge=30.0, le=250.0, description="body weight in kg")
