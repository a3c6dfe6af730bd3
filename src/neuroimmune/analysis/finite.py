"""A guard for numbers that validate but cannot be simulated or sent as JSON: NaN and infinity.

``Scenario`` accepts quantities such as ``"nan h"`` (pint reads them, and a NaN passes bound checks); the HTTP API
and the diary check refuse them with the field, the rule and the value, instead of failing later.
"""

from __future__ import annotations

import math
from typing import Any


def nonfinite_fields(data: Any, prefix: str = "") -> list[tuple[str, str, object]]:
    """``(field, rule, value)`` for every NaN or infinite float in a nested mapping/list of plain values."""
    problems: list[tuple[str, str, object]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            problems += nonfinite_fields(value, f"{prefix}{key}.")
    elif isinstance(data, list | tuple):
        for i, value in enumerate(data):
            problems += nonfinite_fields(value, f"{prefix}{i}.")
    elif isinstance(data, float) and not math.isfinite(data):
        problems.append((prefix.rstrip("."), "must be a finite number", str(data)))
    return problems
