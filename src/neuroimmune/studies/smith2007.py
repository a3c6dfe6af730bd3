"""Smith et al. 2007, Sleep 30:494-505: 32 healthy women; three nights with total sleep time halved (delayed
bedtime, 10 women), then 36 h of total sleep deprivation: mechanical pain thresholds did not change (sleep
fragmentation instead removed pain inhibition and raised spontaneous pain).

Model: 8-h sleepers, three nights of 4 h then 36 h awake; the pressure pain threshold at a reference site (gain 1)
after the restricted nights and after the 36 h, against no change. Band: 2 SEM of a mean threshold change in 10
people with the SD of paired threshold changes under endotoxin (about 26 points: SEM 5 in 27 men, de Goeij 2013).
"""

from __future__ import annotations

from collections.abc import Mapping

from ..scenarios import Host, Scenario
from ._base import Row, Study, at, simulate_arm, within
from ._compare import sem2
from ._scenarios import REFERENCE_REGION

STUDY = Study(
    id="smith2007",
    citation="Smith MT, Edwards RR, McCann UD, Haythornthwaite JA. The effects of sleep deprivation on pain "
             "inhibition and spontaneous pain in women. Sleep 2007;30:494-505.",
    doi="10.1093/sleep/30.4.494",
    how_read="abstract (painscience.com bibliography)",
    cluster="sleep loss",
)
N = 10
MEASURES = "3 nights of half sleep, then 36 h awake: mechanical pain threshold unchanged"
TOLERANCE = "2 SEM (paired-change SD from de Goeij 2013)"

# "While sleep deprivation had no effect on pain thresholds"
THRESHOLD_SD = 26.0  # points: de Goeij 2013, SEM 5 of a paired change in 27 men
PARTIAL_END, TOTAL_END = 72.0, 108.0  # h: after three short nights; after 36 h awake


def deprivation() -> Scenario:
    """Three nights of 4 h in an 8-h sleeper, then no sleep for 36 h."""
    return Scenario(host=Host(sex="female", sleep=8.0),
                    interventions=[{"kind": "sleep", "hours": 4.0, "start": 0.0, "stop": PARTIAL_END},
                                   {"kind": "sleep", "hours": 0.0, "start": PARTIAL_END, "stop": TOTAL_END}],
                    duration=TOTAL_END, output_step=1.0)


def rows(values: Mapping[str, float]) -> list[Row]:
    obs = simulate_arm(deprivation(), values)
    band = sem2(THRESHOLD_SD, N)
    return [within(STUDY.id, "ppt_change", f"pressure pain threshold {label} (% from baseline)",
                   at(obs, "ppt_change", [time], REFERENCE_REGION)[0], 0.0, band,
                   "no effect in 10 women: 2 SEM of a paired threshold change (SD 26 points, de Goeij 2013)", False,
                   " points")
            for label, time in (("after three nights of 4 h", PARTIAL_END), ("after 36 h awake", TOTAL_END))]
