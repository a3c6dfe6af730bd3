"""Rate-law building blocks shared by the mechanism modules.

They use arithmetic only, so the same equations evaluate on floats (single simulation), NumPy arrays (time
courses and batches of people) and symbolic expressions (model export) without change.
"""

from __future__ import annotations

from typing import Any


def pos(x: Any) -> Any:
    """The positive part max(x, 0), written with ``abs`` so it works for floats, arrays and symbols alike."""
    return (x + abs(x)) * 0.5


def hill_up(v: Any, x: Any, h: Any) -> Any:
    """Increasing Hill function v^h / (v^h + x^h); 0 at v = 0, 1/2 at v = x.

    ``v`` is taken as its positive part: a state that decays to 0 can undershoot by round-off, and a negative
    base to a non-integer power is not a number.
    """
    vh = pos(v) ** h
    return vh / (vh + x**h)


def hill_down(v: Any, x: Any, h: Any) -> Any:
    """Decreasing Hill function x^h / (v^h + x^h); 1 at v = 0, 1/2 at v = x (``v`` as its positive part)."""
    xh = x**h
    return xh / (pos(v) ** h + xh)


def log10(x: Any) -> Any:
    """Base-10 logarithm of floats and arrays (NumPy) or of symbolic expressions (their own ``log``).

    Used only for observables (viral load), never inside the right-hand side.
    """
    if hasattr(x, "free_symbols"):  # a SymPy expression: keep it symbolic for model export
        import sympy

        return sympy.log(x) / sympy.log(10)
    import numpy as np

    return np.log10(x)
