"""Innate response: monocyte activation and plasma cytokines with their cross-regulation.

The structure is that of the human endotoxemia models of Dobreva et al. (2021) and Windoloski et al. (2024);
this is our own implementation, refitted to the Janum 2016 cohort by ``neuroimmune calibrate``.

.. math::

    A &= \\{f(E; x_{ME}, h_{ME}) [k_M + k_{MTNF} f(TNF)] + f(\\Pi; x_{pamp}, 1) [k_{M,\\Pi} + k_{MTNF,\\Pi} f(TNF)]\\}
         \\, f_s(IL10; x_{M10}, h_{M10})\\, M_R, \\quad f(TNF) = f(TNF; x_{MTNF}, h_{MTNF}) \\\\
    \\dot \\Theta_I &= k_{tol,ind} (f(E; x_{ME}, h_{ME}) - \\Theta_I), \\quad
    \\dot \\Theta = a_{tol} \\Theta_I (1 - \\Theta) - k_{tol,off} \\Theta \\\\
    \\dot M_R &= k_{MR} M_R (1 - M_R / M_{max}) - A, \\quad \\dot M_P = A - k_{tr} M_P, \\quad
    \\dot M_A = k_{tr} M_P - k_{MA} M_A \\\\
    \\dot{TNF} &= g_{TNF} k_{TNFM} f_s(IL6; x_{TNF6}, h_{TNF6}) f_s(IL10; x_{TNF10}, h_{TNF10}) M_A (1 - \\Theta)
                 - k_{TNF}(TNF - TNF_0) \\\\
    \\dot M_L &= k_{late} (M_A - M_L) \\\\
    \\dot{IL6} &= g_{6} [k_{6M} M_L + k_{6TNF} f(TNF; x_{6TNF}, h_{6TNF}) M_A] f_s(IL6; x_{66}, 1)
                 f_s(IL10; x_{610}, h_{610}) (1 - f_{tol,6} \\Theta) - k_6 (IL6 - IL6_0 - i_S D_S^+) \\\\
    \\dot{IL8} &= [k_{8M} + k_{8TNF} f(TNF; x_{8TNF}, 3)] f_s(IL10; x_{810}, 1.5) M_A - k_8 (IL8 - IL8_0) \\\\
    \\dot{IL10} &= [k_{10M} + k_{106} f(IL6; x_{106}, h_{106})] M_A - k_{10} (IL10 - IL10_0)

Endotoxin (TLR4, with LBP and CD14) is sensed with a threshold (Hill coefficient ``h_ME`` > 1): in humans 0.2
ng/kg raises TNF and IL-6 without fever (Krabbe 2005) and the response grows steeply between 0.4 and 2 ng/kg
(Grigoleit 2010, Janum 2016), which a saturating (``h_ME`` = 1) sensor cannot give. Pathogen patterns ``Pi``
(:func:`neuroimmune.model.mechanisms.pathogen.pamp`) act through other receptors (TLR7/8, TLR2, RIG-I) and add as
an independent route with its own rates, so that the endotoxin dose studies set the endotoxin route without moving
the infections.

``Theta`` is endotoxin tolerance: monocytes that have been activated are reprogrammed for days, making less TNF
and IL-6 while IL-10 is spared (Biswas & Lopez-Collazo 2009). The reprogramming needs new proteins, so it is
induced through a programme ``Theta_I`` that follows endotoxin (TLR4) signalling with a lag of hours (ex vivo
hyporesponsiveness is greatest about 6 h after LPS, Dillingh 2014) and leaves the first response to run its
course; the tolerant fraction relaxes with ``k_tol_off``; it scales TNF production by ``1 - Theta``, so
that a second dose a day later gives a smaller response and daily doses almost none by day 5 (Draisma 2009: TNF
response 97 % smaller), a week later still 60 % smaller (Leentjens 2012), and five weeks later none measurable
(Rittig 2015). Tolerance is gene-specific: in tolerant macrophages the promoters of "tolerisable" genes (TNF)
are silenced while others stay open (Foster 2007), and in humans the IL-6 response fell less than TNF's over five
daily doses (88 % against 97 %, Draisma 2009). IL-6 production is therefore scaled by ``1 - f_tol,6 Theta``, with
the silenced share ``f_tol,6`` fitted.

``M_P`` is a transit stage between recognition of endotoxin and cytokine release (the transcription and
translation lag of about an hour); it gives the sharp, delayed TNF rise without a steep feedback switch, so
that the response stays graded with dose. ``M_L`` follows ``M_A`` with a lag of ``1/k_late``: the
TNF-independent part of IL-6 comes from the secondary (NF-kB/C/EBP-dependent) programme of the same cells,
which starts later than the primary TNF transcription (Medzhitov & Horng 2009), so IL-6 peaks after TNF even
where TNF is too low to drive it (0.4 ng/kg, Grigoleit 2010). IL-10 and IL-6 brake TNF; TNF drives IL-6
and IL-8 and feeds back on activation; IL-6 drives IL-10. Nightly sleep debt ``D_S`` keeps resting IL-6 higher
(+0.8 pg/mL for a week of 6 h nights, Vgontzas 2004): ``IL6`` relaxes to ``IL6_0 + i_S D_S^+``.
``g_TNF`` and ``g_6`` are the host's production gains (sex, age, microbiome, fitness; see
:mod:`neuroimmune.model.host`). Monocytes sense every challenge through the same activation term: ``E`` plus the
endotoxin-equivalent patterns of a virus, bacterium or vaccine (:func:`neuroimmune.model.pathogen.pamp`).
Production is further scaled by sleep debt (Irwin 2006), adrenergic drive (Kox 2014) and ibuprofen's release of
the PGE2 brake on TNF (Spinas 1991); effector cells add TNF and infected epithelium adds IL-6 during infections.
"""

from __future__ import annotations

from typing import Any

from ..functions import hill_down, hill_up, pos
from ..state import Observable, State
from . import adaptive, pathogen, pharmacology

STATES = (
    State("MR", "cell", "resting monocytes", lambda p: p.M_max),
    State("MP", "cell", "monocytes committed to activation (transcription lag)", lambda p: 0.0),
    State("MA", "cell", "activated monocytes", lambda p: 0.0),
    State("ML", "cell", "activated monocytes in the late (secondary-response) programme", lambda p: 0.0),
    State("TNF", "pg/mL", "plasma tumour necrosis factor", lambda p: p.tnf_0),
    State("IL6", "pg/mL", "plasma interleukin-6", lambda p: il6_rest(p)),
    State("IL8", "pg/mL", "plasma interleukin-8", lambda p: p.il8_0),
    State("IL10", "pg/mL", "plasma interleukin-10", lambda p: p.il10_0),
    State("TOL_IND", "1", "tolerance-inducing programme of endotoxin (TLR4) signalling, fraction of maximum",
          lambda p: 0.0),
    State("TOL", "1", "endotoxin tolerance of the monocyte pool, fraction of maximum", lambda p: 0.0),
)

#: Plasma cytokines as observables, read straight from their states.
STATE_OBSERVABLES = (
    Observable("tnf", "pg/mL", "plasma tumour necrosis factor (TNF)", state="TNF", group="cytokine"),
    Observable("il6", "pg/mL", "plasma interleukin-6", state="IL6", group="cytokine"),
    Observable("il8", "pg/mL", "plasma interleukin-8", state="IL8", group="cytokine"),
    Observable("il10", "pg/mL", "plasma interleukin-10", state="IL10", group="cytokine"),
)


def il6_rest(p: Any) -> Any:
    """Resting plasma IL-6: the baseline plus the rise that a habitual nightly sleep shortfall sustains
    (Vgontzas 2004)."""
    return p.il6_0 + p.il6_per_sleep_debt * pos(p.sleep_loss_0)


def activation_rate(s: Any, p: Any) -> Any:
    """Rate (1/h) at which a resting monocyte is activated, before the IL-10 brake: endotoxin sensed with a
    threshold through TLR4, and pathogen patterns through their own receptors, each route with its own
    endotoxin-independent and TNF-amplified rates."""
    tnf = hill_up(s.TNF, p.x_MTNF, p.h_MTNF)
    lps = hill_up(s.E, p.x_ME, p.h_ME) * (p.k_M + p.k_MTNF * tnf)
    other = hill_up(pathogen.pamp(s, p), p.x_pamp, 1.0) * (p.k_M_pamp + p.k_MTNF_pamp * tnf)
    return lps + other


def rates(s: Any, p: Any, u: Any) -> dict[str, Any]:
    """Right-hand sides of the monocyte and cytokine equations."""
    activation = activation_rate(s, p) * hill_down(s.IL10, p.x_M10, p.h_M10) * s.MR
    # modifiers of production: sleep debt raises it, adrenergic drive lowers it, ibuprofen lifts PGE2's TNF brake
    sleep = 1.0 + p.a_sleep_cyt * pos(s.SLEEP_DEBT)
    adrenergic = 1.0 - p.e_adr * s.ADR
    nsaid = 1.0 + p.a_nsaid_tnf * pharmacology.cox_peripheral(s, p)
    tolerant = 1.0 - s.TOL  # reprogrammed monocytes make less TNF and IL-6; IL-10 is spared
    tolerant_6 = 1.0 - p.f_tol_6 * s.TOL  # the IL-6 gene is only partly silenced (gene-specific tolerance)
    return {
        "MR": p.k_MR * s.MR * (1.0 - s.MR / p.M_max) - activation,
        "MP": activation - p.k_tr * s.MP,
        "MA": p.k_tr * s.MP - p.k_MA * s.MA,
        "ML": p.k_late * (s.MA - s.ML),
        "TNF": p.g_TNF * p.k_TNFM * hill_down(s.IL6, p.x_TNF6, p.h_TNF6) * hill_down(s.IL10, p.x_TNF10, p.h_TNF10)
        * s.MA * sleep * adrenergic * nsaid * tolerant
        + adaptive.effector_tnf(s, p)
        - p.k_TNF * (s.TNF - p.tnf_0),
        "IL6": p.g_6 * (p.k_6M * s.ML + p.k_6TNF * hill_up(s.TNF, p.x_6TNF, p.h_6TNF) * s.MA)
        * hill_down(s.IL6, p.x_66, 1.0)
        * hill_down(s.IL10, p.x_610, p.h_610) * sleep * adrenergic * tolerant_6
        + pathogen.epithelial_il6(s, p)
        - p.k_6 * (s.IL6 - p.il6_0 - p.il6_per_sleep_debt * pos(s.SLEEP_DEBT)),
        "IL8": (p.k_8M + p.k_8TNF * hill_up(s.TNF, p.x_8TNF, 3.0)) * hill_down(s.IL10, p.x_810, 1.5) * s.MA * adrenergic
        - p.k_8 * (s.IL8 - p.il8_0),
        "IL10": (p.k_10M + p.k_106 * hill_up(s.IL6, p.x_106, p.h_106)) * s.MA * (1.0 + p.a_adr_10 * s.ADR)
        - p.k_10 * (s.IL10 - p.il10_0),
        "TOL_IND": p.k_tol_ind * (hill_up(s.E, p.x_ME, p.h_ME) - s.TOL_IND),
        "TOL": p.a_tol * s.TOL_IND * (1.0 - s.TOL) - p.k_tol_off * s.TOL,
    }
