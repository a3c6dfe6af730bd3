"""The one error type of the SBML export and the check applied to every libSBML return code."""

from __future__ import annotations

import libsbml


class SbmlValidationError(RuntimeError):
    """libSBML rejected part of the document or found errors in it; the message says what and where."""


def ok(code: int, what: object) -> None:
    """Raise :class:`SbmlValidationError` unless a libSBML call succeeded (every return code is checked)."""
    if code != libsbml.LIBSBML_OPERATION_SUCCESS:
        raise SbmlValidationError(f"libSBML rejected {what!r}: {libsbml.OperationReturnValue_toString(code)}")
