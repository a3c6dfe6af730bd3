"""Banzhoff et al. 2003, Gerontology 49:177-184: meta-analysis of 13 trials of MF59-adjuvanted inactivated
influenza vaccine against non-adjuvanted vaccines in people 65 or older: malaise within 3 days in 6 % against 4 %
(myalgia 8 % against 3 %), almost no difference left by day 3.

Two rows: the share with malaise (the model's ill state: any of :data:`neuroimmune.outcomes.ILL_AT`) after the
plain vaccine in a virtual cohort aged 72 (the model's influenza vaccine), against 4 % (Wilson interval; the
meta-analysis n was not read, so 1,000 stands for "thousands" and the cohort's members dominate the band); and the
extra malaise with the adjuvant, which a scenario cannot express (one influenza vaccine, no adjuvants): NaN.
The model has no myalgia observable (back ache is not general muscle ache).
"""

from __future__ import annotations

from collections.abc import Mapping

from ._base import Row, Study
from ._compare import cohort, ill_share, missing_row, share_row
from ._scenarios import vaccination

STUDY = Study(
    id="banzhoff2003",
    citation="Banzhoff A, Nacci P, Podda A. A new MF59-adjuvanted influenza vaccine enhances the immune response "
             "in the elderly with chronic diseases: results from an immunogenicity meta-analysis. Gerontology "
             "2003;49:177-184.",
    how_read="second-hand: the NACI statement's evidence table (Can Commun Dis Rep 2011;37 ACS-6, PMC6802457)",
    cluster="vaccine platforms",
)
N = 1_000  # "thousands" over 13 trials; not read
MEASURES = "MF59-adjuvanted vs plain influenza vaccine at 65+: malaise within 3 days"
TOLERANCE = "Wilson 95 % interval; adjuvant difference from its p-value"

# "Malaise (6% vs. 4%, p=0.003)"
ADJUVANTED, PLAIN = 0.06, 0.04
AGE = 72.0


def rows(values: Mapping[str, float]) -> list[Row]:
    members = cohort(vaccination(antigen="influenza", age=AGE), values)
    ill = ill_share(members)
    diff = 100 * (ADJUVANTED - PLAIN)
    return [
        share_row(STUDY.id, "illness", "malaise within 3 days of a plain influenza vaccine, age 72", float(ill.mean()),
                  ill.size, PLAIN, N, "non-adjuvanted comparator arm, people 65 or older"),
        missing_row(STUDY.id, "illness", "extra malaise with the MF59 adjuvant (points)", diff, 0.0, 2 * diff,
                    "p = 0.003: the 95 % interval of the 2-point difference lies within (0, 4); the scenario has "
                    "one influenza vaccine without adjuvants"),
    ]
