"""Export a scenario's model to exchange formats: ``export(scenario, fmt, path)``.

Each format is a small :class:`Exporter` registered by name in :data:`FORMATS` (STYLE habits 2 and 10); an
unknown name raises :class:`~neuroimmune.errors.UnknownNameError` listing the choices. Files are written
atomically: to a temporary file beside the target, then renamed into place, so a failed export never leaves a
half-written file.

Formats
-------
``sbml``
    SBML Level 3 Version 1 (:mod:`neuroimmune.export.sbml`): the equations, the scenario's parameter values
    with units and provenance, and its events; loads in libRoadRunner, COPASI and other SBML tools.

``neuroimmune.export`` is this function; import the formats' modules by their full name
(``from neuroimmune.export.sbml import to_sbml``).

Examples
--------
>>> import neuroimmune as ni
>>> ni.export("examples/endotoxin_2ngkg.yaml", "sbml", "model.xml")   # doctest: +SKIP
PosixPath('model.xml')
"""

from __future__ import annotations

import abc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import UnknownNameError
from ..io.atomic import write_text
from ..model.parameters import ParameterSet
from ..scenarios import Scenario


class Exporter(abc.ABC):
    """Base class of a format: implement :meth:`render`, returning the file's text for one scenario."""

    #: Usual file suffix, for messages and default names.
    suffix: str = ""

    @abc.abstractmethod
    def render(self, scenario: Scenario, *, parameters: ParameterSet | dict[str, float] | None = None) -> str:
        """The exported text of ``scenario`` with ``parameters`` (as :func:`neuroimmune.simulate` takes them)."""


def _sbml() -> Exporter:
    from .sbml import SbmlExporter  # libsbml is imported only when SBML is asked for

    return SbmlExporter()


#: Exporter factories by format name.
FORMATS: dict[str, Callable[[], Exporter]] = {"sbml": _sbml}


def get_exporter(fmt: str) -> Exporter:
    """The exporter registered as ``fmt`` in :data:`FORMATS`."""
    try:
        factory = FORMATS[fmt]
    except (KeyError, TypeError):
        raise UnknownNameError("format", fmt, list(FORMATS)) from None
    return factory()


def export(
    scenario: Scenario | dict[str, Any] | str | Path | None,
    fmt: str,
    path: str | Path,
    *,
    parameters: ParameterSet | dict[str, float] | None = None,
) -> Path:
    """Write the model of ``scenario`` in format ``fmt`` to ``path``.

    Parameters
    ----------
    scenario
        A :class:`~neuroimmune.Scenario`, a dict that validates as one, a path to a YAML/JSON scenario, or None
        for the packaged default (2 ng/kg LPS bolus, 25-year-old man, 24 h).
    fmt
        A name in :data:`FORMATS` (``"sbml"``).
    path
        The file to write; parent folders are created.
    parameters
        Parameter values to use instead of the calibrated defaults, as in :func:`neuroimmune.simulate`.

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    UnknownNameError
        If ``fmt`` is not a registered format or ``parameters`` names an unknown parameter.
    ScenarioError
        If ``scenario`` does not validate.
    """
    exporter = get_exporter(fmt)
    text = exporter.render(Scenario.coerce(scenario), parameters=parameters)
    return write_text(text, path)




__all__ = ["FORMATS", "Exporter", "export", "get_exporter"]
