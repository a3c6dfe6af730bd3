"""Benson et al. 2012, Pain 153:794-799: 0.4 ng/kg E. coli endotoxin against saline in 11 men (crossover): 2 h
after the injection both the sensory and the pain thresholds to rectal distension (barostat) were lower (both
P < 0.05), and the distensions felt more unpleasant.

Visceral hyperalgesia at a low dose. The model's body map has no visceral region (its regions are deep somatic
tissue), so both rows keep the finding (a lowered threshold, 1) with the model NaN; the magnitudes in mmHg were not
in the abstract.
"""

from __future__ import annotations

from collections.abc import Mapping

from ._base import Row, Study
from ._compare import missing_row

STUDY = Study(
    id="benson2012",
    citation="Benson S, Kattoor J, Wegner A, Hammes F, Reidick D, Grigoleit JS, Engler H, Oberbeck R, Schedlowski M, "
             "Elsenbruch S. Acute experimental endotoxemia induces visceral hypersensitivity and altered pain "
             "evaluation in healthy humans. Pain 2012;153:794-799.",
    doi="10.1016/j.pain.2011.12.001",
    how_read="abstract (PubMed mirror): directions and P values only",
    cluster="visceral pain",
)
N = 11
MEASURES = "0.4 ng/kg: rectal sensory and pain thresholds lowered at 2 h"
TOLERANCE = "exact (lowered: 1); no visceral region in the model"

# "significantly decreased visceral sensory and pain thresholds (both P<.05) compared to saline control"
THRESHOLDS = ("sensory", "pain")


def rows(values: Mapping[str, float]) -> list[Row]:
    return [missing_row(STUDY.id, "visceral_threshold", f"rectal {kind} threshold lowered 2 h after 0.4 ng/kg (1/0)",
                        1.0, 1.0, 1.0, "significantly lower than after saline (P < 0.05); the body map has no "
                        "visceral region") for kind in THRESHOLDS]
