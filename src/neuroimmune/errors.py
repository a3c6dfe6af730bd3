"""Exceptions raised for bad input.

Every message names the field, states the rule and shows the value received, so a new user can fix the input
without reading the code (STYLE habit 8).
"""

from __future__ import annotations

import reprlib

#: Longest echo of a received value in an error message, characters.
ECHO_LIMIT = 80


def shorten(value: object, limit: int = ECHO_LIMIT) -> str:
    """A ``repr`` of ``value`` of at most about ``limit`` characters, so that a message never echoes a huge input
    such as an expanded YAML alias bomb (``reprlib`` bounds the work too: deep or long containers are elided)."""
    r = reprlib.Repr()
    r.maxlevel, r.maxstring, r.maxother = 3, limit, limit
    r.maxlist = r.maxtuple = r.maxdict = r.maxset = 8
    text = r.repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


class NeuroimmuneError(ValueError):
    """Base class of every error raised for bad input to neuroimmune."""


def problem_line(field: str, rule: str, value: object) -> str:
    """One problem as every message states it: ``field: rule (got value)``."""
    return f"{field}: {rule} (got {shorten(value)})"


class ProblemsError(NeuroimmuneError):
    """An error carrying one ``(field, rule, value)`` triple per problem found."""

    def __init__(self, problems: list[tuple[str, str, object]]):
        self.problems = problems
        super().__init__(self.message([problem_line(*p) for p in problems]))

    @staticmethod
    def message(lines: list[str]) -> str:
        return "; ".join(lines)


class InputError(ProblemsError):
    """Input that cannot be read at all (a file that is not text, not YAML/JSON, too large or too deep)."""


class ScenarioError(ProblemsError):
    """A scenario (YAML, JSON or dict) that does not describe a valid simulation."""

    @staticmethod
    def message(lines: list[str]) -> str:
        noun = "problem" if len(lines) == 1 else "problems"
        return f"invalid scenario, {len(lines)} {noun}:\n  " + "\n  ".join(lines)


class UnknownNameError(NeuroimmuneError, KeyError):
    """A name (observable, region, solver, dataset, parameter) that is not one of the known choices."""

    def __init__(self, field: str, value: object, choices: list[str] | tuple[str, ...]):
        self.field, self.value, self.choices = field, value, list(choices)
        super().__init__(f"{field}: must be one of {', '.join(map(str, choices))} (got {shorten(value)})")

    def __str__(self) -> str:  # KeyError would otherwise quote the whole message
        return str(self.args[0])


class SolverError(RuntimeError):
    """The ODE solver failed; carries the solver's own message and the time reached."""
