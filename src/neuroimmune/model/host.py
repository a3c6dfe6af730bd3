"""Host: how sex, age and body weight change the model's effective parameters.

* Sex: women's monocytes make more TNF and IL-6 (about +44 %), while their fever is smaller (Coyle 2006); the
  model puts the difference in cytokine production (``female_cytokine_gain``) and in cytokine-to-brain
  transduction (``female_central_gain``), so central effects need not scale with plasma cytokines.
* Age: above the calibration cohort's age, TNF production rises and PGE2 turnover slows, which prolongs fever
  (Krabbe 2001).
* Weight: doses are per kg, but blood volume grows less than in proportion to weight (about weight^0.75), so
  heavier people see more endotoxin per volume of blood (``blood_volume_exponent``).
"""

from __future__ import annotations

from typing import Any


def effective(p: dict[str, float], *, sex: str, age: float, weight: float) -> dict[str, float]:
    """Add the host-dependent effective parameters to a copy of ``p``.

    Parameters
    ----------
    p
        Parameter values by name.
    sex
        ``"male"`` or ``"female"``.
    age, weight
        Years and kilograms.
    """
    q = dict(p)
    female = sex == "female"
    older = max(age - p["age_ref"], 0.0)
    q["g_TNF"] = (p["female_cytokine_gain"] if female else 1.0) * (1.0 + p["age_tnf_gain"] * older)
    q["g_6"] = p["female_cytokine_gain"] if female else 1.0
    q["g_central"] = p["female_central_gain"] if female else 1.0
    q["k_pge_eff"] = p["k_pge"] / (1.0 + p["age_pge_slowing"] * older)
    q["lps_exposure"] = (weight / p["weight_ref"]) ** (1.0 - p["blood_volume_exponent"])
    return q


def describe(q: dict[str, Any]) -> dict[str, Any]:
    """The effective host parameters, for result metadata."""
    return {k: q[k] for k in ("g_TNF", "g_6", "g_central", "k_pge_eff", "lps_exposure")}
