"""Reading input and writing results: the safe YAML/JSON reader, the atomic writer, NetCDF and the cache folder."""

from .atomic import atomic_folder, atomic_path, check_target, together, write_bytes, write_text, write_with
from .cache import cache_dir
from .netcdf import write_netcdf
from .safe_yaml import load_json, load_yaml, read_yaml

__all__ = [
    "atomic_folder",
    "atomic_path",
    "cache_dir",
    "check_target",
    "load_json",
    "load_yaml",
    "read_yaml",
    "together",
    "write_bytes",
    "write_netcdf",
    "write_text",
    "write_with",
]
