"""sympy expressions to libSBML abstract syntax trees (MathML), built node by node.

Building the tree directly, rather than printing a formula and parsing it back, keeps every number at full
double precision and avoids the formula parser's reserved words (a state called ``e`` or ``pi`` stays a name).
Only what the model's arithmetic produces is supported: sums, products, powers, ``abs``, numbers and the smooth
positive part ``pos`` (a call of the function definition :func:`pos_definition`), plus ``exp``, ``log``, ``>=``
and the time symbol; anything else raises a ``TypeError`` naming the expression, so a
new kind of term in a mechanism module is caught at export rather than written wrongly.
"""

from __future__ import annotations

import libsbml
import sympy

from ..model.functions import POS_EPS, smooth_pos, symbolic_pos
from ..model.symbolic import TIME
from ._libsbml import ok

#: Id of the function definition of the smooth positive part (:func:`neuroimmune.model.functions.pos`).
POS_FUNCTION = "pos"


def pos_definition(model: libsbml.Model) -> libsbml.FunctionDefinition:
    """Add ``pos(x, eps)``, the model's smooth positive part, as a function definition of ``model``."""
    x, eps = sympy.Symbol("x"), sympy.Symbol("eps")
    with sympy.evaluate(False):
        body = smooth_pos(x, eps)
    node = libsbml.ASTNode(libsbml.AST_LAMBDA)
    for name in ("x", "eps"):
        bvar = libsbml.ASTNode(libsbml.AST_NAME)
        ok(bvar.setName(name), name)
        ok(node.addChild(bvar), name)
    ok(node.addChild(to_ast(body)), body)
    definition = model.createFunctionDefinition()
    ok(definition.setId(POS_FUNCTION), POS_FUNCTION)
    ok(definition.setName("smooth positive part"), POS_FUNCTION)
    ok(definition.setMath(node), POS_FUNCTION)
    return definition


def to_ast(expr: sympy.Basic) -> libsbml.ASTNode:
    """The libSBML AST of ``expr``."""
    if expr == TIME:
        node = libsbml.ASTNode(libsbml.AST_NAME_TIME)
        ok(node.setName("time"), "time")
        return node
    if isinstance(expr, sympy.Symbol):
        node = libsbml.ASTNode(libsbml.AST_NAME)
        ok(node.setName(expr.name), expr)
        return node
    if isinstance(expr, sympy.Integer):
        node = libsbml.ASTNode(libsbml.AST_INTEGER)
        ok(node.setValue(int(expr)), expr)
        return _signed(node)
    if isinstance(expr, sympy.Rational):
        return _binary(libsbml.AST_DIVIDE, _number(int(expr.p)), _number(int(expr.q)))
    if isinstance(expr, sympy.Float):
        return _signed(_real(float(expr)))
    if isinstance(expr, sympy.Add):
        return _nary(libsbml.AST_PLUS, expr.args)
    if isinstance(expr, sympy.Mul):
        return _product(expr)
    if isinstance(expr, sympy.Pow):
        base, exponent = expr.args
        if exponent == -1:
            return _binary(libsbml.AST_DIVIDE, _real(1.0), to_ast(base))
        return _binary(libsbml.AST_POWER, to_ast(base), to_ast(exponent))
    if isinstance(expr, sympy.GreaterThan):
        return _binary(libsbml.AST_RELATIONAL_GEQ, to_ast(expr.lhs), to_ast(expr.rhs))
    if isinstance(expr, sympy.exp | sympy.log) and len(expr.args) == 1:
        node = libsbml.ASTNode(libsbml.AST_FUNCTION_EXP if isinstance(expr, sympy.exp) else libsbml.AST_FUNCTION_LN)
        ok(node.addChild(to_ast(expr.args[0])), expr)
        return node
    if isinstance(expr, symbolic_pos()):
        node = libsbml.ASTNode(libsbml.AST_FUNCTION)
        ok(node.setName(POS_FUNCTION), expr)
        ok(node.addChild(to_ast(expr.args[0])), expr)
        ok(node.addChild(_real(POS_EPS)), expr)
        return node
    if isinstance(expr, sympy.Abs):
        node = libsbml.ASTNode(libsbml.AST_FUNCTION_ABS)
        ok(node.addChild(to_ast(expr.args[0])), expr)
        return node
    raise TypeError(f"expression: SBML export supports sums, products, powers, abs, pos, exp, log, >= and numbers "
                    f"(got {expr!r})")


def _product(expr: sympy.Mul) -> libsbml.ASTNode:
    """A product, with factors ``x**-1`` written as a division and a leading -1 as a unary minus."""
    numerator, denominator, sign = [], [], 1
    for factor in expr.args:
        if factor == -1:
            sign = -sign
        elif isinstance(factor, sympy.Pow) and factor.args[1] == -1:
            denominator.append(factor.args[0])
        else:
            numerator.append(factor)
    top = _nary(libsbml.AST_TIMES, numerator) if numerator else _real(1.0)
    node = _binary(libsbml.AST_DIVIDE, top, _nary(libsbml.AST_TIMES, denominator)) if denominator else top
    if sign < 0:
        minus = libsbml.ASTNode(libsbml.AST_MINUS)
        ok(minus.addChild(node), expr)
        return minus
    return node


def _nary(kind: int, args: tuple[sympy.Basic, ...] | list[sympy.Basic]) -> libsbml.ASTNode:
    if len(args) == 1:
        return to_ast(args[0])
    node = libsbml.ASTNode(kind)
    for arg in args:
        ok(node.addChild(to_ast(arg)), arg)
    return node


def _binary(kind: int, left: libsbml.ASTNode, right: libsbml.ASTNode) -> libsbml.ASTNode:
    node = libsbml.ASTNode(kind)
    ok(node.addChild(left), kind)
    ok(node.addChild(right), kind)
    return node


def _real(value: float) -> libsbml.ASTNode:
    node = libsbml.ASTNode(libsbml.AST_REAL)
    ok(node.setValue(abs(value)), value)
    if value < 0:
        minus = libsbml.ASTNode(libsbml.AST_MINUS)
        ok(minus.addChild(node), value)
        return minus
    return node


def _number(value: int) -> libsbml.ASTNode:
    node = libsbml.ASTNode(libsbml.AST_INTEGER)
    ok(node.setValue(value), value)
    return _signed(node)


def _signed(node: libsbml.ASTNode) -> libsbml.ASTNode:
    """Negative numbers as a unary minus of a positive one (what MathML readers expect)."""
    if node.isInteger() and node.getInteger() < 0:
        positive = libsbml.ASTNode(libsbml.AST_INTEGER)
        ok(positive.setValue(-node.getInteger()), node.getInteger())
        minus = libsbml.ASTNode(libsbml.AST_MINUS)
        ok(minus.addChild(positive), node.getInteger())
        return minus
    return node
