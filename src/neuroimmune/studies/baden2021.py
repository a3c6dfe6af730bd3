"""Baden et al. 2021, N Engl J Med 384:403-416 (COVE): mRNA-1273, two doses 28 days apart. Fever within 7 days
rose from 0.9 % after dose 1 to 17.4 % after dose 2 at age 18-64, and reached 10.0 % after dose 2 at 65 or older;
fatigue 38.4 % and 67.6 % at 18-64.

Shares of people against a virtual cohort of adults (``adults`` host distribution, calibrated between-person
variability, 200 members, fixed seed) given the model's SARS-CoV-2 vaccine, split at 65 years: fever is a peak
temperature of 38.0 degC or more (:data:`neuroimmune.outcomes.FEVER_C`, the trials' definition), fatigue a peak at
or above its ill threshold (:data:`neuroimmune.outcomes.ILL_AT`). Bands: Wilson intervals with the effective size
of the two samples (:func:`~neuroimmune.studies._compare.share_row`). The table gives no denominators; the trial's
vaccine arm (about 15,000) split by its age strata is used (about 11,400 under 65 and 3,700 at 65 or older;
approximate, not read), which leaves the cohort's members as the main sampling error.

In-sample: the mRNA platform's interferon signal and antigen (``mrna_w_ifn_D``, ``mrna_x_ag_D``) and the spread of
people's interferon responsiveness (``g_ifn`` in ``cohort/variability.yaml``) were chosen on this trial; BNT162b2's
trials (polack2020, vaccine_hcw, vaccine_timing) are held out.
"""

from __future__ import annotations

from collections.abc import Mapping

from ._base import Row, Study
from ._compare import reactogenicity_rows

STUDY = Study(
    id="baden2021",
    citation="Baden LR, El Sahly HM, Essink B, et al; COVE Study Group. Efficacy and safety of the mRNA-1273 "
             "SARS-CoV-2 vaccine. N Engl J Med 2021;384:403-416.",
    doi="10.1056/NEJMoa2035389",
    how_read="table of solicited reactions by age and dose, second-hand (McMaster Textbook table adapted from the "
             "paper and the product monograph; see the data file's header)",
    data=("vaccine/baden2021_mrna1273_reactogenicity",),
    cluster="vaccine platforms",
)
N = 15_000
MEASURES = "mRNA-1273 doses 1 and 2: fever and fatigue shares by age"
TOLERANCE = "Wilson 95 % interval, study n and 200 cohort members"

INTERVAL_DAYS = 28.0
#: Vaccine recipients by age group (approximate, see the module docstring).
GROUP_N = {"18-64": 11_400, "65+": 3_700}
COMPARED = (("18-64", "fever", 1), ("18-64", "fever", 2), ("65+", "fever", 2), ("18-64", "fatigue", 1),
            ("18-64", "fatigue", 2))


def rows(values: Mapping[str, float]) -> list[Row]:
    return reactogenicity_rows(STUDY.id, STUDY.data[0], "mrna", INTERVAL_DAYS, COMPARED, GROUP_N, values,
                               "mRNA-1273", fitted=True)
