"""Rate-law building blocks shared by the mechanism modules.

They use arithmetic only, so the same equations evaluate on floats (single simulation), NumPy arrays (time
courses and batches of people) and symbolic expressions (model export) without change.

The positive part is smooth
---------------------------
:func:`pos` is a twice continuously differentiable positive part, not ``max(x, 0)``. The model takes positive
parts of differences whose equilibrium is exactly at the kink: the rise of TNF and IL-6 above baseline
(``pos(TNF - tnf_0)``) is 0 at rest and again after every illness, when the cytokines have returned to
baseline. With the exact ``max`` (it was ``(x + abs(x)) / 2``), a solver's own error in TNF (its relative
tolerance times about 1 pg/mL) is rectified at the kink into a one-sided drive for PGE2 and nociceptor
sensitisation, states that sit near 0 where only the absolute tolerance (1e-12) controls them, and the error
test fails step after step. In libRoadRunner 2.10 (CVODE, atol 1e-12) ``examples/influenza_selfcare.yaml``
took 24,745 steps at rtol 1e-6, 20,000 of them on the last three quiet days, against 594 for the same
influenza without self-care (the daily heat and tablet events restart the integrator in that state), and
218,273 at rtol 1e-8. With the smooth form it takes 5,078 and 10,653, and its last days cost no more than
the others.

The form is ``pos(x) = p^3 / (p^2 + eps^2)`` with ``p = max(x, 0)``: exactly 0 for ``x <= 0`` (baselines stay
exact: a person at rest has no PGE2 drive at all, and a state far below a threshold drives nothing), never
negative (a Hill function's fractional power of it is always a number), with a continuous first and second
derivative at 0, and ``x - eps^2 x / (x^2 + eps^2)`` above 0, so it differs from ``x`` by less than ``eps / 2``
and by about ``eps^2 / x`` once ``x >> eps``. :data:`POS_EPS` is 1e-6 in the unit of the argument (pg/mL for a
cytokine rise, hours of sleep debt, % of body mass of fluid deficit); in the Hill functions the argument is the
ratio to the half-saturating value, so there it is 1e-6 of that value. It is a numerical device, not a
parameter of the biology: it moved every ``neuroimmune validate`` number by less than 3e-6 of its value and no
row's verdict. The width was measured on the same example: 1e-6 keeps the step count near 5,000 at rtol 1e-6
(3,202 at rtol 1e-4, 21,450 at 1e-10), 1e-4 gives 5,216, while 1e-9 gives 218,045, because a solver's
finite-difference Jacobian perturbs TNF by about 1e-8 of its value and must see a smooth function at that
scale.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

#: Width of the smooth positive part :func:`pos`, in the unit of its argument (see the module docstring).
POS_EPS = 1e-6


def pos(x: Any) -> Any:
    """Smooth positive part of ``x``: 0 for ``x <= 0``, ``x`` for ``x >> POS_EPS`` (see the module docstring).

    On a symbolic expression it returns the unevaluated function :func:`symbolic_pos` of it, so that exported
    equations state it once (the SBML export names each distinct positive part as a parameter with an
    assignment rule) instead of repeating its argument six times.
    """
    if hasattr(x, "free_symbols"):
        return symbolic_pos()(x)
    return smooth_pos(x)


def smooth_pos(x: Any, eps: Any = POS_EPS) -> Any:
    """The arithmetic of :func:`pos` with width ``eps`` (floats, arrays, traced values and symbolic expressions)."""
    p = (x + abs(x)) * 0.5
    p2 = p * p
    return p2 * p / (p2 + eps * eps)


@lru_cache(maxsize=1)
def symbolic_pos() -> Any:
    """The SymPy function ``pos``: :func:`smooth_pos` kept as one call, expanded when printed as code.

    Code printers (Python, NumPy) write out its arithmetic, so generated code and ``lambdify`` need nothing
    extra; its derivative is that of the arithmetic.
    """
    import sympy

    class pos(sympy.Function):  # noqa: N801 - printed as the model's own name
        nargs = 1

        def arithmetic(self) -> sympy.Expr:
            with sympy.evaluate(False):  # the grouping written in smooth_pos, as the float code runs it
                return smooth_pos(self.args[0])

        def fdiff(self, argindex: int = 1) -> sympy.Expr:
            d = sympy.Dummy("x", real=True)  # real: d|x|/dx is sign(x), not re(x) re'(x) + im(x) im'(x) over |x|
            return sympy.diff(smooth_pos(d), d).subs(d, self.args[0])

        def _pythoncode(self, printer: Any) -> str:
            return f"({printer._print(self.arithmetic())})"

        _numpycode = _lambdacode = _pythoncode

    return pos


def expand_pos(expr: Any) -> Any:
    """``expr`` with every symbolic :func:`pos` call written out as its arithmetic (for code generation, where
    common-subexpression elimination can then share the argument's terms)."""
    import sympy

    cls = symbolic_pos()
    with sympy.evaluate(False):  # keep the grouping of the model code (see neuroimmune.model.symbolic)
        return expr.replace(lambda e: isinstance(e, cls), lambda e: e.arithmetic())


def hill_up(v: Any, x: Any, h: Any) -> Any:
    """Increasing Hill function r^h / (1 + r^h) with r = v / x; 0 at v = 0, 1/2 at v = x.

    ``r`` is taken as its (smooth) positive part: a state that decays to 0 can undershoot by round-off, and a
    negative base to a non-integer power is not a number. Written in the ratio ``v / x`` so that the power acts
    on a dimensionless number (the SBML export's unit checks need that).
    """
    rh = pos(v / x) ** h
    return rh / (1.0 + rh)


def hill_down(v: Any, x: Any, h: Any) -> Any:
    """Decreasing Hill function 1 / (1 + r^h) with r = v / x; 1 at v = 0, 1/2 at v = x (r as its positive part)."""
    return 1.0 / (1.0 + pos(v / x) ** h)


def log10(x: Any) -> Any:
    """Base-10 logarithm of floats and arrays (NumPy) or of symbolic expressions (their own ``log``).

    Used only for observables (viral load), never inside the right-hand side.
    """
    if hasattr(x, "free_symbols"):  # a SymPy expression: keep it symbolic for model export
        import sympy

        return sympy.log(x) / sympy.log(10)
    import numpy as np

    return np.log10(x)
