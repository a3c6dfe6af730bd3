"""The diary forecast: "when will my back stop aching?".

A library of simulated courses of one illness per host group (:mod:`.library`, built with the cohort engine and
kept in the cache folder as Zarr) is conditioned on a person's diary by importance weighting under a stated
measurement model (:mod:`.measurement`, :mod:`.condition`); :mod:`.evaluate` measures the forecast on people the
library has not seen. The answer a person reads (bands per coming day, the recovery day in words, when to see a
doctor) is made in :mod:`neuroimmune.advice.forecast`.
"""

from .library import (
    ADULTS,
    DEFAULT_MEMBERS,
    HostGroup,
    Library,
    LibraryError,
    LibrarySpec,
    StaleLibraryError,
    build_library,
    host_group,
    library_path,
    load_library,
)

__all__ = ["ADULTS", "DEFAULT_MEMBERS", "HostGroup", "Library", "LibraryError", "LibrarySpec", "StaleLibraryError",
           "build_library", "host_group", "library_path", "load_library"]
