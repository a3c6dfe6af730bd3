"""ODE solvers behind one small interface, with a name registry (STYLE habit 2).

A solver integrates ``dy/dt = rhs(t, y)`` over one segment in which inputs are constant, and returns the
states at the requested times plus the end state. Discontinuities (a bolus, the start or end of an infusion)
always fall on segment boundaries, so no solver steps across one.
"""

from __future__ import annotations

import abc
from collections.abc import Callable

import numpy as np
from scipy.integrate import odeint, solve_ivp

from ..errors import SolverError, UnknownNameError

Rhs = Callable[[float, np.ndarray], list[float]]


class Solver(abc.ABC):
    """Base class: implement :meth:`segment`.

    Parameters
    ----------
    rtol, atol
        Relative and absolute tolerances.
    """

    def __init__(self, rtol: float = 1e-6, atol: float = 1e-9):
        self.rtol, self.atol = rtol, atol

    @abc.abstractmethod
    def segment(self, rhs: Rhs, t0: float, t1: float, y0: np.ndarray, t_eval: np.ndarray) -> np.ndarray:
        """States at ``t_eval`` (shape n_states x len(t_eval)) with t0 <= t_eval <= t1; the last column is t1.

        ``t_eval`` always ends with ``t1``.
        """


class Lsoda(Solver):
    """LSODA through ``scipy.integrate.odeint`` (ODEPACK): switches between Adams and BDF as stiffness
    changes; the Fortran loop makes it the fastest choice for a single scenario."""

    def segment(self, rhs: Rhs, t0: float, t1: float, y0: np.ndarray, t_eval: np.ndarray) -> np.ndarray:
        times = np.concatenate(([t0], t_eval)) if t_eval[0] > t0 else t_eval
        y, info = odeint(rhs, y0, times, rtol=self.rtol, atol=self.atol, tfirst=True, full_output=True,
                         mxstep=50_000)
        if info["message"] != "Integration successful.":
            raise SolverError(f"LSODA failed between t={t0} h and t={t1} h: {info['message']}")
        return y.T[:, -len(t_eval):]


class SolveIvp(Solver):
    """A method of ``scipy.integrate.solve_ivp`` (``Radau``, ``BDF``, ``LSODA``, ``DOP853``, ``RK45``)."""

    def __init__(self, method: str, rtol: float = 1e-6, atol: float = 1e-9):
        super().__init__(rtol, atol)
        self.method = method

    def segment(self, rhs: Rhs, t0: float, t1: float, y0: np.ndarray, t_eval: np.ndarray) -> np.ndarray:
        sol = solve_ivp(rhs, (t0, t1), y0, method=self.method, t_eval=t_eval, rtol=self.rtol, atol=self.atol)
        if sol.status != 0:
            raise SolverError(f"{self.method} failed between t={t0} h and t={t1} h: {sol.message}")
        return sol.y


#: Solver factories by name; ``reference`` is the tight-tolerance stiff solve used to check the others.
SOLVERS: dict[str, Callable[[], Solver]] = {
    "lsoda": lambda: Lsoda(rtol=1e-7, atol=1e-9),
    "radau": lambda: SolveIvp("Radau", rtol=1e-7, atol=1e-9),
    "bdf": lambda: SolveIvp("BDF", rtol=1e-7, atol=1e-9),
    "dop853": lambda: SolveIvp("DOP853", rtol=1e-7, atol=1e-9),
    "reference": lambda: SolveIvp("Radau", rtol=1e-11, atol=1e-13),
}


def get_solver(solver: str | Solver) -> Solver:
    """A solver instance from a name in :data:`SOLVERS` or an instance."""
    if isinstance(solver, Solver):
        return solver
    try:
        return SOLVERS[solver]()
    except KeyError:
        raise UnknownNameError("solver", solver, list(SOLVERS)) from None
