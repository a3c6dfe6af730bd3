"""neuroimmune: a mechanistic simulator of the link between immunity and pain.

One entry point, :func:`simulate`, turns a :class:`Scenario` into an ``xarray.Dataset``; :func:`export` writes
a scenario's model in an exchange format (SBML); :func:`validate` compares the model with the published
studies it covers (one row per comparison).
"""

__version__ = "0.1.0"

from .cohort import simulate_cohort  # noqa: E402
from .engine import simulate  # noqa: E402
from .export import export  # noqa: E402  # the function shadows the subpackage name on purpose
from .scenarios import Scenario  # noqa: E402
from .studies import validate  # noqa: E402

__all__ = ["Scenario", "__version__", "export", "simulate", "simulate_cohort", "validate"]
