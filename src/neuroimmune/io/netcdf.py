"""Self-describing NetCDF output, written atomically (:mod:`neuroimmune.io.atomic`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .atomic import write_with

if TYPE_CHECKING:
    import xarray as xr


def write_netcdf(ds: xr.Dataset, path: str | Path) -> Path:
    """Write ``ds`` to ``path`` as NetCDF-4; the target is never left half-written."""
    return write_with(lambda tmp: ds.to_netcdf(tmp, engine="netcdf4"), path)
