"""The mechanisms of the model, one module each, in causal order.

challenge (endotoxin, vaccine antigen) and pathogen (virus, bacteria) -> innate immunity (monocytes, cytokines), the
liver's acute-phase response to them (CRP) and adaptive immunity (antibodies, memory) -> humoral signalling to the
brain and spinal cord (COX-2, prostaglandin E2, central IL-6) with pharmacology (drugs) and behaviour (sleep,
fluids, heat) acting on it -> pain (peripheral and central sensitisation by body region) -> sickness (temperature,
heart rate, fatigue, appetite, mood).

Each module declares all of its states (``STATES``), the inputs it reads (``INPUTS``), its rates
(``rates(s, p, u)``) and, where it has them, its observables (``OBSERVABLES``, ``observables(s, p)``).
"""

from . import adaptive, behaviour, challenge, hepatic, humoral, innate, pain, pathogen, pharmacology, sickness

#: The modules in causal order (the order their states take in the state vector).
MODULES = (challenge, pathogen, innate, hepatic, adaptive, humoral, pharmacology, behaviour, pain, sickness)

__all__ = ["MODULES", "adaptive", "behaviour", "challenge", "hepatic", "humoral", "innate", "pain", "pathogen",
           "pharmacology", "sickness"]
