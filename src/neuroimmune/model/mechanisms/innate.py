"""Innate response: monocyte activation and plasma cytokines with their cross-regulation.

The structure is that of the human endotoxemia models of Dobreva et al. (2021) and Windoloski et al. (2024);
this is our own implementation, refitted to the Janum 2016 cohort by ``neuroimmune calibrate``.

.. math::

    A &= f(E; x_{ME}, 1)\\,[k_M + k_{MTNF} f(TNF; x_{MTNF}, h_{MTNF})]\\, f_s(IL10; x_{M10}, h_{M10})\\, M_R \\\\
    \\dot M_R &= k_{MR} M_R (1 - M_R / M_{max}) - A, \\quad \\dot M_P = A - k_{tr} M_P, \\quad
    \\dot M_A = k_{tr} M_P - k_{MA} M_A \\\\
    \\dot{TNF} &= g_{TNF} k_{TNFM} f_s(IL6; x_{TNF6}, h_{TNF6}) f_s(IL10; x_{TNF10}, h_{TNF10}) M_A
                 - k_{TNF}(TNF - TNF_0) \\\\
    \\dot M_L &= k_{late} (M_A - M_L) \\\\
    \\dot{IL6} &= g_{6} [k_{6M} M_L + k_{6TNF} f(TNF; x_{6TNF}, h_{6TNF}) M_A] f_s(IL6; x_{66}, 1)
                 f_s(IL10; x_{610}, h_{610}) - k_6 (IL6 - IL6_0) \\\\
    \\dot{IL8} &= [k_{8M} + k_{8TNF} f(TNF; x_{8TNF}, 3)] f_s(IL10; x_{810}, 1.5) M_A - k_8 (IL8 - IL8_0) \\\\
    \\dot{IL10} &= [k_{10M} + k_{106} f(IL6; x_{106}, h_{106})] M_A - k_{10} (IL10 - IL10_0)

``M_P`` is a transit stage between recognition of endotoxin and cytokine release (the transcription and
translation lag of about an hour); it gives the sharp, delayed TNF rise without a steep feedback switch, so
that the response stays graded with dose. ``M_L`` follows ``M_A`` with a lag of ``1/k_late``: the
TNF-independent part of IL-6 comes from the secondary (NF-kB/C/EBP-dependent) programme of the same cells,
which starts later than the primary TNF transcription (Medzhitov & Horng 2009), so IL-6 peaks after TNF even
where TNF is too low to drive it (0.4 ng/kg, Grigoleit 2010). IL-10 and IL-6 brake TNF; TNF drives IL-6
and IL-8 and feeds back on activation; IL-6 drives IL-10.
``g_TNF`` and ``g_6`` are the host's production gains (sex, age, microbiome, fitness; see
:mod:`neuroimmune.model.host`). Monocytes sense every challenge through the same activation term: ``E`` plus the
endotoxin-equivalent patterns of a virus, bacterium or vaccine (:func:`neuroimmune.model.pathogen.pamp`).
Production is further scaled by sleep debt (Irwin 2006), adrenergic drive (Kox 2014) and ibuprofen's release of
the PGE2 brake on TNF (Spinas 1991); effector cells add TNF and infected epithelium adds IL-6 during infections.
"""

from __future__ import annotations

from typing import Any

from ..functions import hill_down, hill_up, pos
from ..state import State
from . import adaptive, pathogen, pharmacology

STATES = (
    State("MR", "cell", "resting monocytes", lambda p: p.M_max),
    State("MP", "cell", "monocytes committed to activation (transcription lag)", lambda p: 0.0),
    State("MA", "cell", "activated monocytes", lambda p: 0.0),
    State("ML", "cell", "activated monocytes in the late (secondary-response) programme", lambda p: 0.0),
    State("TNF", "pg/mL", "plasma tumour necrosis factor", lambda p: p.tnf_0),
    State("IL6", "pg/mL", "plasma interleukin-6", lambda p: p.il6_0),
    State("IL8", "pg/mL", "plasma interleukin-8", lambda p: p.il8_0),
    State("IL10", "pg/mL", "plasma interleukin-10", lambda p: p.il10_0),
)


def rates(s: Any, p: Any, u: Any) -> dict[str, Any]:
    """Right-hand sides of the monocyte and cytokine equations."""
    activation = (
        hill_up(s.E + pathogen.pamp(s, p), p.x_ME, 1.0)
        * (p.k_M + p.k_MTNF * hill_up(s.TNF, p.x_MTNF, p.h_MTNF))
        * hill_down(s.IL10, p.x_M10, p.h_M10)
        * s.MR
    )
    # modifiers of production: sleep debt raises it, adrenergic drive lowers it, ibuprofen lifts PGE2's TNF brake
    sleep = 1.0 + p.a_sleep_cyt * pos(s.SLEEP_DEBT)
    adrenergic = 1.0 - p.e_adr * s.ADR
    nsaid = 1.0 + p.a_nsaid_tnf * pharmacology.cox_peripheral(s, p)
    return {
        "MR": p.k_MR * s.MR * (1.0 - s.MR / p.M_max) - activation,
        "MP": activation - p.k_tr * s.MP,
        "MA": p.k_tr * s.MP - p.k_MA * s.MA,
        "ML": p.k_late * (s.MA - s.ML),
        "TNF": p.g_TNF * p.k_TNFM * hill_down(s.IL6, p.x_TNF6, p.h_TNF6) * hill_down(s.IL10, p.x_TNF10, p.h_TNF10)
        * s.MA * sleep * adrenergic * nsaid
        + adaptive.effector_tnf(s, p)
        - p.k_TNF * (s.TNF - p.tnf_0),
        "IL6": p.g_6 * (p.k_6M * s.ML + p.k_6TNF * hill_up(s.TNF, p.x_6TNF, p.h_6TNF) * s.MA)
        * hill_down(s.IL6, p.x_66, 1.0)
        * hill_down(s.IL10, p.x_610, p.h_610) * sleep * adrenergic
        + pathogen.epithelial_il6(s, p)
        - p.k_6 * (s.IL6 - p.il6_0),
        "IL8": (p.k_8M + p.k_8TNF * hill_up(s.TNF, p.x_8TNF, 3.0)) * hill_down(s.IL10, p.x_810, 1.5) * s.MA * adrenergic
        - p.k_8 * (s.IL8 - p.il8_0),
        "IL10": (p.k_10M + p.k_106 * hill_up(s.IL6, p.x_106, p.h_106)) * s.MA * (1.0 + p.a_adr_10 * s.ADR)
        - p.k_10 * (s.IL10 - p.il10_0),
    }
