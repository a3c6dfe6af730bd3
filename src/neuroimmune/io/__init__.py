"""Reading and writing results."""

from .netcdf import write_netcdf

__all__ = ["write_netcdf"]
