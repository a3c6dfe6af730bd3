"""Published human datasets carried inside the package (copies of the project's shared data, each file with
its provenance header), and a loader that keeps the header with the numbers."""

from __future__ import annotations

import dataclasses
import io
from importlib import resources

import pandas as pd

from ..errors import UnknownNameError


@dataclasses.dataclass(frozen=True)
class Dataset:
    """A table and the ``#`` provenance lines that came with it."""

    name: str
    provenance: tuple[str, ...]
    table: pd.DataFrame


#: Folders of packaged datasets, one per kind of study.
def available() -> list[str]:
    """Names of the packaged datasets, such as ``endotoxemia/janum2016_2ngkg_TNF``."""
    root = resources.files(__package__)
    names = []
    for folder in (d for d in root.iterdir() if d.is_dir() and not d.name.startswith("_")):
        names += [f"{folder.name}/{f.name.removesuffix('.csv')}" for f in folder.iterdir() if f.name.endswith(".csv")]
    return sorted(names)


def load(name: str) -> Dataset:
    """Load a packaged dataset by name; comment lines anywhere in the file are kept as provenance."""
    if name not in available():
        raise UnknownNameError("dataset", name, available())
    text = resources.files(__package__).joinpath(f"{name}.csv").read_text(encoding="utf-8")
    lines = text.splitlines()
    provenance = tuple(line.lstrip("# ").rstrip() for line in lines if line.startswith("#"))
    body = "\n".join(line for line in lines if line.strip() and not line.startswith("#"))
    return Dataset(name=name, provenance=provenance, table=pd.read_csv(io.StringIO(body)))
