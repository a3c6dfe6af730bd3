"""Benson et al. 2015, Brain Behav Immun 48:222-231: 0.4 ng/kg E. coli endotoxin (14 men) against placebo (12),
between subjects, with fMRI: rectal pain thresholds fell only as a trend at 2 h, while pain-evoked activity in the
posterior insula, dorsolateral prefrontal, anterior midcingulate and somatosensory cortices was up-regulated; no
effect on responses to non-painful distension or to somatic punctate mechanical stimuli.

Central amplification of visceral pain. The model has a visceral region (abdomen) but no brain pain-processing
observable, and this module no significance test for the between-subject design: the threshold row keeps the
finding (a fall, not significant: 0 on a significant-fall 1/0) with the model NaN.
"""

from __future__ import annotations

from collections.abc import Mapping

from ._base import Row, Study
from ._compare import missing_row

STUDY = Study(
    id="benson2015",
    citation="Benson S, et al. Neural circuitry mediating inflammation-induced central pain amplification in human "
             "experimental endotoxemia. Brain Behav Immun 2015;48:222-231.",
    doi="10.1016/j.bbi.2015.03.017",
    how_read="abstract (PubMed; author list not shown there, first author from the Essen series)",
    cluster="visceral pain",
)
N = 26
MEASURES = "0.4 ng/kg between subjects: rectal pain threshold (trend only)"
TOLERANCE = "exact (not significant: 0); no significance test in the module"

# "In response to LPS, rectal pain thresholds decreased in trend"


def rows(values: Mapping[str, float]) -> list[Row]:
    return [missing_row(STUDY.id, "visceral_threshold", "rectal pain threshold significantly lowered 2 h after "
                        "0.4 ng/kg, between subjects (1/0)", 0.0, 0.0, 0.0,
                        "a trend only in 14 against 12 men; no significance test in this module")]
