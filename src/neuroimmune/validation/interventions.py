"""What measures do, against the human studies that measured them: ibuprofen and paracetamol in endotoxemia
(Martich 1991, Michie 1988, Pernerstorfer 1999), the breathing exercise and cold training (Kox 2014, Zwaag
2022), and paracetamol in influenza (Jefferies 2016). All held out: none of these set a parameter except where
the row says so."""

from __future__ import annotations

from ..engine.simulate import simulate
from ..outcomes import course
from ._course import auc
from .table import Row, within


def _lps(dose: float, interventions: list[dict], at: float = 2.0) -> dict:
    return {"challenge": {"kind": "endotoxin", "dose": f"{dose} ng/kg", "time": f"{at} h"},
            "interventions": interventions, "duration": "14 h", "output_step": "0.05 h"}


def rows() -> list[Row]:
    out: list[Row] = []
    base4 = simulate(_lps(4.0, []))
    t0 = float(base4["temperature"][0])
    # ibuprofen 800 mg 1.5 h before 4 ng/kg LPS (the studies pre-treated; the exact regimen varied)
    ibu = simulate(_lps(4.0, [{"kind": "ibuprofen", "dose": "800 mg", "start": "0.5 h"}]))
    fever_ratio = (float(ibu["temperature"].max()) - t0) / (float(base4["temperature"].max()) - t0)
    out.append(Row("michie1988", "temperature", "fever rise with / without ibuprofen", fever_ratio, 0.0, 0.0, 0.5,
                   "<= 0.5", "ibuprofen abolished the febrile response to 4 ng/kg LPS", False))
    tnf0 = float(base4["tnf"][0])
    ratio = auc(ibu["tnf"], tnf0) / auc(base4["tnf"], tnf0)
    out.append(Row("martich1991", "tnf", "TNF area with / without ibuprofen", ratio, 4.2, 1.5, 8.4, "1.5-8.4 x",
                   "TNF area 4.2 times larger with ibuprofen; the direction is the finding, the size half to double",
                   True))
    para = simulate(_lps(4.0, [{"kind": "paracetamol", "dose": "1 g", "start": "1 h"}]))
    out.append(within("pernerstorfer1999", "temperature", "peak temperature change with paracetamol 1 g",
                      float(para["temperature"].max() - base4["temperature"].max()), -0.9, 0.4,
                      "38.5 vs 37.6 degC peaks; about 2 SEM of a small crossover trial", True, " degC"))
    out.append(within("pernerstorfer1999", "tnf", "TNF peak ratio with / without paracetamol",
                      float(para["tnf"].max() / base4["tnf"].max()), 1.0, 0.1, "cytokines were unchanged", False))
    base2 = simulate(_lps(2.0, []))
    breathe = simulate(_lps(2.0, [{"kind": "breathing", "hours_per_day": "8 h", "start": "1.5 h"}]))
    out.append(within("kox2014", "tnf", "TNF peak ratio, breathing exercise / control",
                      float(breathe["tnf"].max() / base2["tnf"].max()), 0.47, 0.2,
                      "about half in trained volunteers (12 vs 12)", True))
    out.append(Row("kox2014", "il10", "IL-10 peak ratio, breathing exercise / control",
                   float(breathe["il10"].max() / base2["il10"].max()), 2.9, 1.5, 4.5, "1.5-4.5 x",
                   "IL-10 rose earlier and about threefold higher", True))
    cold = simulate(_lps(2.0, [{"kind": "cold_exposure", "hours_per_day": "0.5 h", "start": "1.5 h"}]))
    out.append(Row("zwaag2022", "tnf", "TNF peak ratio, cold training alone / control",
                   float(cold["tnf"].max() / base2["tnf"].max()), 1.0, 0.85, 1.0, "0.85-1.0",
                   "cold training alone did not change the cytokine response (p = 0.77)", True))
    flu = {"challenge": {"kind": "influenza"}, "duration": "14 days", "output_step": "1 h"}
    flu_para = {**flu, "interventions": [{"kind": "paracetamol", "dose": "1 g", "every": "6 h", "start": "24 h",
                                          "stop": "144 h"}]}
    c0, c1 = course(simulate(flu)), course(simulate(flu_para))
    out.append(within("jefferies2016", "back_pain", "days with back pain, paracetamol - placebo",
                      c1["days_with_back_pain"] - c0["days_with_back_pain"], 0.0, 0.5,
                      "no difference in symptoms or time to recovery", False, " d"))
    return out
