"""Export a scenario's model to exchange formats: ``export(scenario, fmt, path)``.

Each format is a small :class:`Exporter` registered by name in :data:`FORMATS` (STYLE habits 2 and 10); an
unknown name raises :class:`~neuroimmune.errors.UnknownNameError` listing the choices. Files are written
atomically: to a temporary file beside the target, then renamed into place, so a failed export never leaves a
half-written file.

Formats
-------
``sbml``
    SBML Level 3 Version 1 (:mod:`neuroimmune.export.sbml`): the equations, live parameters with units and
    provenance (doses and host as inputs), its events and annotations; loads in libRoadRunner, COPASI and
    other SBML tools.

``omex``
    A COMBINE archive (:mod:`neuroimmune.export.omex`): the SBML, a SED-ML simulation with KiSAO algorithm and
    tolerances, reports and plots, the matching packaged data mapped onto observables, and metadata. Needs the
    ``combine`` extra (python-libsedml, python-libcombine).

``petab``
    The calibration problem as a PEtab v1 folder (:mod:`neuroimmune.export.petab`): the SBML, conditions per
    study arm, observables with noise models, measurements, parameters with scales, bounds and priors, and
    ``problem.yaml``. It takes no scenario (pass None): the studies' arms are its conditions.

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

from ..errors import NeuroimmuneError, UnknownNameError, shorten
from ..io.atomic import check_target, together, write_bytes, write_text
from ..model.parameters import ParameterSet
from ..scenarios import Scenario


class Exporter(abc.ABC):
    """Base class of a format: implement :meth:`render`, returning the file's text for one scenario."""

    #: Usual file suffix, for messages and default names.
    suffix: str = ""
    #: The suffixes a target file may end in (checked before any work by the command line).
    suffixes: tuple[str, ...] = ()
    #: ``"file"``: :meth:`render` returns one file's content; ``"folder"``: a mapping of file name to text.
    kind: str = "file"
    #: False for a format of the packaged calibration problem, which exports no scenario.
    takes_scenario: bool = True

    @abc.abstractmethod
    def render(
        self, scenario: Scenario, *, parameters: ParameterSet | dict[str, float] | None = None
    ) -> str | bytes | dict[str, str]:
        """The exported text (or bytes, for a binary format; for a folder format, each file's text by name) of
        ``scenario`` with ``parameters`` (as :func:`neuroimmune.simulate` takes them)."""


def _sbml() -> Exporter:
    from .sbml import SbmlExporter  # libsbml is imported only when SBML is asked for

    return SbmlExporter()


def _omex(validate: bool = False) -> Exporter:
    from .omex import OmexExporter  # libsedml and libcombine are imported only when an archive is asked for

    return OmexExporter(validate=validate)


def _petab() -> Exporter:
    from .petab import PetabExporter

    return PetabExporter()


#: Exporter factories by format name (keyword options, such as ``validate`` for ``omex``, go to the factory).
FORMATS: dict[str, Callable[..., Exporter]] = {"sbml": _sbml, "omex": _omex, "petab": _petab}


def get_exporter(fmt: str, **options: Any) -> Exporter:
    """The exporter registered as ``fmt`` in :data:`FORMATS`, made with ``options``."""
    try:
        factory = FORMATS[fmt]
    except (KeyError, TypeError):
        raise UnknownNameError("format", fmt, list(FORMATS)) from None
    try:
        return factory(**options)
    except TypeError:
        raise NeuroimmuneError(f"options: format {fmt} takes no {', '.join(options)} (got {options})") from None


def export(
    scenario: Scenario | dict[str, Any] | str | Path | None,
    fmt: str,
    path: str | Path,
    *,
    parameters: ParameterSet | dict[str, float] | None = None,
    **options: Any,
) -> Path:
    """Write the model of ``scenario`` in format ``fmt`` to ``path``.

    Parameters
    ----------
    scenario
        A :class:`~neuroimmune.Scenario`, a dict that validates as one, a path to a YAML/JSON scenario, or None
        for the packaged default (2 ng/kg LPS bolus, 25-year-old man, 24 h); None for ``petab``, which exports
        the calibration problem.
    fmt
        A name in :data:`FORMATS` (``"sbml"``, ``"omex"``, ``"petab"``).
    path
        The file to write (the folder, for ``petab``: its files are written all or none, beside any others
        there); parent folders are created.
    parameters
        Parameter values to use instead of the calibrated defaults, as in :func:`neuroimmune.simulate`.
    options
        Options of the format: ``validate=True`` for ``omex`` adds the packaged studies' models and data.

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
    NeuroimmuneError
        If ``fmt`` takes no scenario and one is given, or ``path`` cannot be written as the format's kind.
    """
    exporter = get_exporter(fmt, **options)
    if not exporter.takes_scenario and scenario is not None:
        raise NeuroimmuneError(f"scenario: format {fmt} exports the packaged calibration problem, whose study arms "
                               f"are its conditions; pass None (got {shorten(str(scenario))})")
    if exporter.kind == "folder":
        check_target(path, "path", kind="folder")
    content = exporter.render(Scenario.coerce(scenario), parameters=parameters)
    if isinstance(content, dict):
        with together():
            for name, text in content.items():
                write_text(text, Path(path) / name)
        return Path(path)
    return write_text(content, path) if isinstance(content, str) else write_bytes(content, path)


__all__ = ["FORMATS", "Exporter", "export", "get_exporter"]
