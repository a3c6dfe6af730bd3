"""Engines: single-scenario simulation and the solver registry."""

from .simulate import resolve_parameters, simulate
from .solvers import SOLVERS, Solver, get_solver

__all__ = ["SOLVERS", "Solver", "get_solver", "resolve_parameters", "simulate"]
