"""Drugs taken by mouth: ibuprofen and paracetamol (acetaminophen), each a one-compartment model with first-order
absorption, and their inhibition of cyclo-oxygenase (COX).

.. math::

    \\dot G_d = -k_{a,d} G_d, \\qquad \\dot C_d = \\frac{F_d k_{a,d} G_d}{V_d} - k_{e,d} C_d

``G_d`` is the amount in the gut (mg; a tablet is a jump into it), ``C_d`` the plasma concentration (mg/L), ``V_d``
the apparent volume (L/kg times body weight, :func:`neuroimmune.model.host.effective`).

* Ibuprofen inhibits COX-1/2 everywhere (Emax model on plasma concentration, IC50 from human whole blood,
  :func:`cox_peripheral`, also applied to brain-endothelial COX-2 in :mod:`neuroimmune.model.humoral`):
  brain-endothelial PGE2 (fever, sickness), the prostaglandin share of nociceptor sensitisation (Cunha 1992) and,
  because monocyte PGE2 brakes TNF synthesis, it *raises* TNF: in human endotoxemia ibuprofen abolished fever
  and symptoms while plasma TNF and IL-6 rose higher (Spinas 1991; Michie 1988).
* Paracetamol acts on the hypothalamic set point only (:func:`setpoint_block`), with a smaller maximal effect,
  and has no peripheral anti-inflammatory action; in influenza it did not change temperature, symptoms or
  recovery (Jefferies 2016).
"""

from __future__ import annotations

from typing import Any

from ..state import State

STATES = (
    State("IBU_GUT", "mg", "ibuprofen in the gut", lambda p: 0.0),
    State("IBU", "mg/L", "ibuprofen plasma concentration", lambda p: 0.0),
    State("PARA_GUT", "mg", "paracetamol in the gut", lambda p: 0.0),
    State("PARA", "mg/L", "paracetamol plasma concentration", lambda p: 0.0),
)


def cox_peripheral(s: Any, p: Any) -> Any:
    """Fraction of peripheral COX activity inhibited (ibuprofen only), 0-1."""
    return s.IBU / (s.IBU + p.ic50_ibu)


def setpoint_block(s: Any, p: Any) -> Any:
    """Fraction of the PGE2 signal kept from the hypothalamic set point by paracetamol, 0-emax_para.

    Paracetamol's antipyretic action is in the preoptic area; it leaves the brain-endothelial PGE2 that drives
    sickness behaviour and central sensitisation alone, so it lowers the temperature only.
    """
    return p.emax_para * s.PARA / (s.PARA + p.ic50_para)


def rates(s: Any, p: Any, u: Any) -> dict[str, Any]:
    """Absorption and elimination of both drugs."""
    return {
        "IBU_GUT": -p.ka_ibu * s.IBU_GUT,
        "IBU": p.F_ibu * p.ka_ibu * s.IBU_GUT / p.V_ibu_eff - p.ke_ibu * s.IBU,
        "PARA_GUT": -p.ka_para * s.PARA_GUT,
        "PARA": p.F_para * p.ka_para * s.PARA_GUT / p.V_para_eff - p.ke_para * s.PARA,
    }
