"""sympy expressions to libSBML abstract syntax trees (MathML), built node by node, every number with its unit.

Building the tree directly, rather than printing a formula and parsing it back, keeps every number at full
double precision and avoids the formula parser's reserved words (a state called ``e`` or ``pi`` stays a name).
Only what the model's arithmetic produces is supported: sums, products, powers, ``abs`` and numbers, plus
``exp``, ``log``, ``piecewise`` (from ``sympy.Piecewise``, for the host's thresholds), comparisons and the time
symbol; anything else raises a ``TypeError`` naming the expression, so a new kind of term in a mechanism module
is caught at export rather than written wrongly.

Each literal number gets the ``sbml:units`` that :class:`~neuroimmune.export.sbml_units.UnitInference` finds
for its place, so that libSBML can check the units of every equation.
"""

from __future__ import annotations

import libsbml
import pint
import sympy

from ..model.symbolic import TIME
from ._libsbml import ok
from .sbml_units import UnitInference, UnitTable, dimensionless

_RELATIONS = {
    sympy.GreaterThan: libsbml.AST_RELATIONAL_GEQ,
    sympy.StrictGreaterThan: libsbml.AST_RELATIONAL_GT,
    sympy.LessThan: libsbml.AST_RELATIONAL_LEQ,
    sympy.StrictLessThan: libsbml.AST_RELATIONAL_LT,
    sympy.Eq: libsbml.AST_RELATIONAL_EQ,
}


class MathWriter:
    """Writes expressions as libSBML ASTs with the units of ``inference``, defined in ``table``."""

    def __init__(self, inference: UnitInference, table: UnitTable):
        self.inference, self.table = inference, table

    def ast(self, expr: sympy.Basic, want: pint.Quantity, *, log: bool = False) -> libsbml.ASTNode:
        """The AST of ``expr`` where the unit ``want`` is needed."""
        plan = self.inference.plan(expr, want, log=log)
        units = [(unit, arg_log) for _, unit, arg_log in plan.children]
        if expr == TIME:
            node = libsbml.ASTNode(libsbml.AST_NAME_TIME)
            ok(node.setName("time"), "time")
            return node
        if isinstance(expr, sympy.Symbol):
            node = libsbml.ASTNode(libsbml.AST_NAME)
            ok(node.setName(expr.name), expr)
            if plan.convert is not None:  # a dimensioned value inside a logarithm, taken in its declared unit
                return _binary(libsbml.AST_TIMES, node, self._real(1.0, plan.convert))
            return node
        if isinstance(expr, sympy.Integer):
            return self._integer(int(expr), want)
        if isinstance(expr, sympy.Rational):
            return _binary(libsbml.AST_DIVIDE, self._integer(int(expr.p), want), self._integer(int(expr.q), None))
        if isinstance(expr, sympy.Float):
            return self._real(float(expr), want)
        if isinstance(expr, sympy.Add):
            return self._nary(libsbml.AST_PLUS, [(arg, *u) for arg, u in zip(expr.args, units, strict=True)])
        if isinstance(expr, sympy.Mul):
            return self._product(expr, want, units)
        if isinstance(expr, sympy.Pow):
            base, exponent = expr.args
            (base_unit, base_log), _ = units
            if exponent == -1:
                return _binary(libsbml.AST_DIVIDE, self._real(1.0, want * base_unit),
                               self.ast(base, base_unit, log=base_log))
            return _binary(libsbml.AST_POWER, self.ast(base, base_unit, log=base_log),
                           self.ast(exponent, dimensionless()))
        if isinstance(expr, sympy.Rel) and type(expr) in _RELATIONS:
            (left, _), (right, _) = units
            return _binary(_RELATIONS[type(expr)], self.ast(expr.lhs, left), self.ast(expr.rhs, right))
        if isinstance(expr, sympy.exp | sympy.log) and len(expr.args) == 1:
            node = libsbml.ASTNode(libsbml.AST_FUNCTION_EXP if isinstance(expr, sympy.exp) else libsbml.AST_FUNCTION_LN)
            ok(node.addChild(self.ast(expr.args[0], units[0][0], log=units[0][1])), expr)
            return node
        if isinstance(expr, sympy.Abs):
            node = libsbml.ASTNode(libsbml.AST_FUNCTION_ABS)
            ok(node.addChild(self.ast(expr.args[0], units[0][0], log=units[0][1])), expr)
            return node
        if isinstance(expr, sympy.Piecewise):
            node = libsbml.ASTNode(libsbml.AST_FUNCTION_PIECEWISE)
            parts = iter(zip([arg for arg, _, _ in plan.children], units, strict=True))
            for value, condition in expr.args:
                _, (unit, value_log) = next(parts)
                ok(node.addChild(self.ast(value, unit, log=value_log)), expr)
                if condition is not sympy.true:
                    _, (condition_unit, _) = next(parts)
                    ok(node.addChild(self.ast(condition, condition_unit)), expr)
            return node
        raise TypeError(f"expression: SBML export supports sums, products, powers, abs, exp, log, piecewise, "
                        f"comparisons and numbers (got {expr!r})")

    def _product(
        self, expr: sympy.Mul, want: pint.Quantity, units: list[tuple[pint.Quantity, bool]]
    ) -> libsbml.ASTNode:
        """A product, with factors ``x**-1`` written as a division and a leading -1 as a unary minus."""
        numerator, denominator, sign = [], [], 1
        factors = iter(units)
        for factor in expr.args:
            if factor == -1:
                sign = -sign
                continue
            unit, factor_log = next(factors)
            if isinstance(factor, sympy.Pow) and factor.args[1] == -1:
                denominator.append((factor.args[0], unit ** -1.0, factor_log))
            else:
                numerator.append((factor, unit, factor_log))
        if numerator:
            top = self._nary(libsbml.AST_TIMES, numerator)
        else:  # 1 / (...): the 1 has the unit that the division needs
            below = dimensionless()
            for _, unit, _ in denominator:
                below = below * unit
            top = self._real(1.0, want * below)
        node = _binary(libsbml.AST_DIVIDE, top, self._nary(libsbml.AST_TIMES, denominator)) if denominator else top
        if sign < 0:
            minus = libsbml.ASTNode(libsbml.AST_MINUS)
            ok(minus.addChild(node), expr)
            return minus
        return node

    def _nary(self, kind: int, args: list[tuple[sympy.Basic, pint.Quantity, bool]]) -> libsbml.ASTNode:
        if len(args) == 1:
            arg, unit, arg_log = args[0]
            return self.ast(arg, unit, log=arg_log)
        node = libsbml.ASTNode(kind)
        for arg, unit, arg_log in args:
            ok(node.addChild(self.ast(arg, unit, log=arg_log)), arg)
        return node

    def _real(self, value: float, unit: pint.Quantity | None) -> libsbml.ASTNode:
        node = libsbml.ASTNode(libsbml.AST_REAL)
        ok(node.setValue(abs(value)), value)
        self._units(node, unit)
        if value < 0:
            minus = libsbml.ASTNode(libsbml.AST_MINUS)
            ok(minus.addChild(node), value)
            return minus
        return node

    def _integer(self, value: int, unit: pint.Quantity | None) -> libsbml.ASTNode:
        """Negative integers as a unary minus of a positive one (what MathML readers expect)."""
        node = libsbml.ASTNode(libsbml.AST_INTEGER)
        ok(node.setValue(abs(value)), value)
        self._units(node, unit)
        if value < 0:
            minus = libsbml.ASTNode(libsbml.AST_MINUS)
            ok(minus.addChild(node), value)
            return minus
        return node

    def _units(self, node: libsbml.ASTNode, unit: pint.Quantity | None) -> None:
        ok(node.setUnits(self.table.unit_id(unit if unit is not None else dimensionless())), node)


def _binary(kind: int, left: libsbml.ASTNode, right: libsbml.ASTNode) -> libsbml.ASTNode:
    node = libsbml.ASTNode(kind)
    ok(node.addChild(left), kind)
    ok(node.addChild(right), kind)
    return node
