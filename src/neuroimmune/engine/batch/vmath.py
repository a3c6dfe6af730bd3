"""``exp``, ``log`` and ``sqrt`` that numba can vectorise across the SIMD lanes of the cohort kernel.

Why written here: numba lowers ``math.exp`` and ``math.log`` to calls into the C library, one value at a
time, and LLVM vectorises such a call only through a vector math library (Intel SVML), which the llvmlite
wheels no longer carry; ``math.sqrt`` lowers to a call that checks its argument. A single call in the loop over
lanes stops LLVM from vectorising the whole right-hand side (measured: 142 ns per member and right-hand side
with the calls, 45 ns without them, 8 lanes). The functions below are plain arithmetic and bit moves, which
LLVM turns into vector instructions, and are exact to about one unit in the last place
(``tests/test_cohort.py`` checks them against NumPy over the double range, including 0, subnormals, infinities
and NaN).

* ``vexp``: Cody-Waite reduction ``x = k ln 2 + r`` with ``|r| <= ln 2 / 2``, a polynomial of degree 10 for
  ``e^r`` (the minimax fit in relative error, 2.1e-16), scaling by ``2^k`` built in the exponent bits.
* ``vlog``: ``x = 2^e m`` with ``m`` in ``[sqrt(1/2), sqrt(2))`` from the bits, then
  ``log m = 2 atanh(s) = 2 s + s z Q(z)``, ``s = (m - 1) / (m + 1)``, ``z = s^2 <= 0.0295``, with ``Q`` of degree 5
  (the minimax fit, relative error 7e-14 in ``Q``, so about 1e-16 in ``log m``).
* ``vsqrt``: LLVM's ``llvm.sqrt`` intrinsic (a vector square-root instruction), NaN for negative input.

The polynomials are evaluated by Estrin's scheme (pairs of terms, then pairs of pairs with ``r^2``, ``r^4``,
``r^8``), not Horner's: a Horner chain of degree n is n fused multiply-adds each waiting on the last, and the
right-hand side, whose Hill terms are ``exp(c log x)``, was bound by that wait (measured on the endotoxin
kernel: 13.2 ns per member and evaluation with Taylor series of degree 13 and 21 by Horner's rule, 10.3 ns with
these, 4.1 ns with ``exp`` and ``log`` replaced by a multiply-add). Minimax fits in place of Taylor series give
the same accuracy with fewer terms. The coefficients are computed by :func:`minimax` (the Remez exchange
algorithm in 40-digit arithmetic, mpmath) and written here as literals; ``tests/test_cohort.py`` recomputes them.
"""

from __future__ import annotations

import math

import numba
from llvmlite import ir
from numba import types
from numba.extending import intrinsic


@intrinsic
def _bits(typingctx, x):  # noqa: ARG001 (numba's signature)
    """The IEEE 754 bits of a float64 as an int64."""

    def codegen(context, builder, sig, args):  # noqa: ARG001
        return builder.bitcast(args[0], ir.IntType(64))

    return types.int64(types.float64), codegen


@intrinsic
def _float(typingctx, b):  # noqa: ARG001
    """The float64 with the IEEE 754 bits ``b``."""

    def codegen(context, builder, sig, args):  # noqa: ARG001
        return builder.bitcast(args[0], ir.DoubleType())

    return types.float64(types.int64), codegen


@intrinsic
def vsqrt(typingctx, x):  # noqa: ARG001
    """Square root through ``llvm.sqrt`` (NaN for negative input)."""

    def codegen(context, builder, sig, args):  # noqa: ARG001
        fn = builder.module.declare_intrinsic("llvm.sqrt", [ir.DoubleType()])
        return builder.call(fn, args)

    return types.float64(types.float64), codegen


@intrinsic
def vfma(typingctx, a, b, c):  # noqa: ARG001
    """``a * b + c`` rounded once (fused multiply-add, ``llvm.fma``). Written out by the code generator where it
    wants one, so that every compile of a kernel does the same arithmetic: left to LLVM (fast-math contraction),
    where to fuse differed between a fresh compile and numba's cached kernel."""

    def codegen(context, builder, sig, args):  # noqa: ARG001
        d = ir.DoubleType()
        fn = builder.module.declare_intrinsic("llvm.fma", [d], ir.FunctionType(d, [d, d, d]))
        return builder.call(fn, args)

    return types.float64(types.float64, types.float64, types.float64), codegen


def host_has_fma() -> bool:
    """Whether this machine's processor has fused multiply-add instructions (without them ``llvm.fma`` is a
    slow library call, and the generated code multiplies and adds instead)."""
    from llvmlite import binding

    features = getattr(numba.config, "CPU_FEATURES", None) or binding.get_host_cpu_features().flatten()
    return "+fma" in features.split(",")


_FMA = host_has_fma()


@numba.njit(cache=True, inline="always", error_model="numpy")
def _madd(a, b, c):
    """``a * b + c``: fused where the processor can (a compile-time choice; numba's cache is per processor)."""
    return vfma(a, b, c) if _FMA else a * b + c


_LN2_HI = 6.93147180369123816490e-01  # ln 2 split so that k * _LN2_HI is exact for |k| < 2^11
_LN2_LO = 1.90821492927058770002e-10
_LOG2E = 1.44269504088896338700e00
_ROUND = 6755399441055744.0  # 1.5 * 2^52: adding and subtracting it rounds to the nearest integer
_SQRT2 = 1.4142135623730951
_TINY = 2.2250738585072014e-308  # the smallest normal double
_TWO54 = 18014398509481984.0
_LN_MAX = 709.782712893384  # ln of the largest double
_LN_MIN = -708.3964185322641  # ln of the smallest normal double
#: e^r on [-ln 2 / 2, ln 2 / 2]: ``minimax(mpmath.exp, EXP_INTERVAL, 10)`` (relative error 2.1e-16).
EXP_INTERVAL = (-0.34660, 0.34660)
_E0, _E1, _E2, _E3, _E4, _E5, _E6, _E7, _E8, _E9, _E10 = EXP_COEFFICIENTS = (
    1.0, 1.0000000000000064, 0.49999999999997286, 0.16666666666557675, 0.041666666668427055, 0.008333333384688951,
    0.0013888888498968343, 0.00019841171354550936, 2.4801917780754225e-05, 2.76397807037575e-06,
    2.7488435702021657e-07)
#: Q(z) = (2 atanh(s) - 2 s) / (s z), z = s^2, on [0, ((sqrt 2 - 1) / (sqrt 2 + 1))^2]: ``minimax(log_q,
#: LOG_INTERVAL, 5)`` (relative error 7e-14).
LOG_INTERVAL = (0.0, 0.029467)
_L0, _L1, _L2, _L3, _L4, _L5 = LOG_COEFFICIENTS = (
    0.6666666666666203, 0.4000000001129759, 0.2857142411093113, 0.2222286513604244, 0.181400732277346,
    0.16623587083804253)


@numba.njit(cache=True, inline="always", error_model="numpy")
def vexp(x):
    """e^x."""
    z = x * _LOG2E + _ROUND
    kf = z - _ROUND
    r = (x - kf * _LN2_HI) - kf * _LN2_LO
    r2 = r * r
    r4 = r2 * r2
    q03 = _madd(_madd(_E3, r, _E2), r2, _madd(_E1, r, _E0))
    q47 = _madd(_madd(_E7, r, _E6), r2, _madd(_E5, r, _E4))
    q810 = _madd(_E10, r2, _madd(_E9, r, _E8))
    p = _madd(q810, r4 * r4, _madd(q47, r4, q03))
    k = _bits(z) - _bits(_ROUND)  # the integer k sits in the low bits of z
    top = k > 1023  # 2^1024 is not a double: scale by 2^1023 and then by 2
    k = min(max(k - 1 if top else k, -1022), 1023)
    res = p * _float((k + 1023) << 52)
    res = 2.0 * res if top else res
    res = 0.0 if x < _LN_MIN else res  # below the normal range (the model never needs subnormal results)
    res = math.inf if x > _LN_MAX else res
    return res  # NaN in, NaN out: every step above propagates it


@numba.njit(cache=True, inline="always", error_model="numpy")
def vlog(x):
    """Natural logarithm; -inf at 0, NaN below 0."""
    tiny = x < _TINY
    b = _bits(x * _TWO54 if tiny else x)
    e = (b >> 52) - (1077 if tiny else 1023)
    m = _float((b & 0x000FFFFFFFFFFFFF) | 0x3FF0000000000000)
    big = m > _SQRT2
    m = 0.5 * m if big else m
    e = e + 1 if big else e
    s = (m - 1.0) / (m + 1.0)
    z = s * s
    z2 = z * z
    q = _madd(_madd(_L5, z, _L4), z2 * z2, _madd(_madd(_L3, z, _L2), z2, _madd(_L1, z, _L0)))
    ef = float(e)
    res = (ef * _LN2_HI + (s * (z * q) + ef * _LN2_LO)) + 2.0 * s
    res = -math.inf if x == 0.0 else res
    res = math.nan if x < 0.0 else res
    res = x if x == math.inf or x != x else res
    return res


def log_q(z):  # noqa: ANN001, ANN201 (an mpmath number in and out)
    """Q(z) = (2 atanh(s) - 2 s) / (s z) with s = sqrt(z) (2/3 at 0): what ``vlog``'s polynomial fits."""
    import mpmath

    if z == 0:
        return mpmath.mpf(2) / 3
    s = mpmath.sqrt(z)
    return (2 * mpmath.atanh(s) - 2 * s) / (s * z)


def minimax(f: object, interval: tuple[float, float], degree: int, iterations: int = 10,
            grid: int = 2000) -> tuple[tuple[float, ...], float]:
    """Coefficients (lowest first) of the polynomial of ``degree`` that minimises the largest relative error
    against ``f`` (an mpmath function) on ``interval``, by the Remez exchange algorithm in 40-digit arithmetic
    (extrema searched on a grid of ``grid`` + 1 points), and that error. Written here rather than taken from a
    library: SciPy and NumPy fit polynomials in double precision (least squares or Chebyshev interpolation),
    which cannot resolve an error of 1e-16."""
    import mpmath as mp

    with mp.workdps(40):
        a, b = mp.mpf(interval[0]), mp.mpf(interval[1])
        n = degree + 2  # points of alternation
        xs = [(a + b) / 2 - (b - a) / 2 * mp.cos(mp.pi * k / (n - 1)) for k in range(n)]
        points = [a + (b - a) * k / grid for k in range(grid + 1)]
        values = [f(x) for x in points]  # type: ignore[operator]
        coef: list = []
        err: list = []
        for _ in range(iterations):
            A, y = mp.matrix(n, n), mp.matrix(n, 1)
            for i, x in enumerate(xs):
                fx = f(x)  # type: ignore[operator]
                for j in range(degree + 1):
                    A[i, j] = x**j
                A[i, degree + 1] = (-1) ** i * abs(fx)  # the levelled error, alternating in sign
                y[i] = fx
            sol = mp.lu_solve(A, y)
            coef = [sol[j] for j in range(degree + 1)]
            err = [(mp.polyval(coef[::-1], x) - fx) / abs(fx) for x, fx in zip(points, values, strict=True)]
            turns = [k for k in range(1, grid) if (err[k] - err[k - 1]) * (err[k + 1] - err[k]) <= 0]
            picked: list[int] = []
            for k in [0, *turns, grid]:  # the largest error between changes of sign
                if picked and mp.sign(err[k]) == mp.sign(err[picked[-1]]):
                    if abs(err[k]) > abs(err[picked[-1]]):
                        picked[-1] = k
                else:
                    picked.append(k)
            while len(picked) > n:
                picked.pop(0 if abs(err[picked[0]]) < abs(err[picked[-1]]) else -1)
            xs = [points[k] for k in picked]
        return tuple(float(c) for c in coef), float(max(abs(e) for e in err))
