"""The one rule for where neuroimmune keeps generated code (the compiled right-hand side, the cohort kernels and
numba's cache beside them)."""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    """``$NEUROIMMUNE_CACHE`` if set (used as given), else ``$XDG_CACHE_HOME/neuroimmune``, else
    ``~/.cache/neuroimmune``. Nothing is created here; writers create the folders they use."""
    root = os.environ.get("NEUROIMMUNE_CACHE")
    if root:
        return Path(root).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg).expanduser() if xdg else Path.home() / ".cache") / "neuroimmune"
