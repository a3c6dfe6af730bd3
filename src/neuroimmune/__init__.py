"""neuroimmune: a mechanistic simulator of the link between immunity and pain.

The public API:

* :func:`simulate` turns a :class:`Scenario` (built from a dict, YAML, JSON or a file with
  :meth:`Scenario.coerce`) into an ``xarray.Dataset``; :func:`predict` gives the same with bands (quantiles over
  the calibration's posterior, over people like the scenario's person, or both); :func:`simulate_cohort` runs a
  virtual cohort;
* :func:`compare` runs a scenario with and without self-care measures;
* :func:`validate` compares the model with the published studies it covers (one row per comparison);
  :func:`calibrate` refits the free parameters to the studies that inform them;
* :func:`export` writes a scenario's model in an exchange format (SBML); :func:`citation` gives the BibTeX of
  what a scenario's result rests on.

Modules whose names start with an underscore are private.
"""

__version__ = "0.1.0"

from .analysis.citation import citation  # noqa: E402
from .analysis.compare import compare  # noqa: E402
from .analysis.uncertainty import predict  # noqa: E402
from .calibration.optimize import calibrate  # noqa: E402
from .cohort import simulate_cohort  # noqa: E402
from .engine.simulate import simulate  # noqa: E402  # the function, not the module of the same name
from .export import export  # noqa: E402  # the function shadows the subpackage name on purpose
from .scenarios import Scenario  # noqa: E402
from .studies import validate  # noqa: E402

__all__ = ["Scenario", "__version__", "calibrate", "citation", "compare", "export", "predict", "simulate",
           "simulate_cohort", "validate"]
