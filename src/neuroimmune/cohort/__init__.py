"""Virtual cohorts: one scenario over many sampled people, on a batched compiled engine, in-process or on Dask,
with results in Zarr that survive interruption; sensitivity analysis on top.

Public entry point: :func:`simulate_cohort`.
"""

from ..engine.batch.engine import ENGINES, STATUS, compile_notice
from .run import Execution, Keep, Tolerances, simulate_cohort, simulate_members
from .store import open_cohort
from .variability import Variability

__all__ = ["ENGINES", "STATUS", "Execution", "Keep", "Tolerances", "Variability", "compile_notice", "open_cohort",
           "simulate_cohort", "simulate_members"]
