"""``exp``, ``log`` and ``sqrt`` that numba can vectorise across the SIMD lanes of the cohort kernel.

Why written here: numba lowers ``math.exp`` and ``math.log`` to calls into the C library, one value at a
time, and LLVM vectorises such a call only through a vector math library (Intel SVML), which the llvmlite
wheels no longer carry; ``math.sqrt`` lowers to a call that checks its argument. A single call in the loop over
lanes stops LLVM from vectorising the whole right-hand side (measured: 142 ns per member and right-hand side
with the calls, 45 ns without them, 8 lanes). The functions below are plain arithmetic and bit moves, which
LLVM turns into vector instructions, and are exact to about one unit in the last place
(``tests/test_cohort.py`` checks them against NumPy over the double range, including 0, subnormals, infinities
and NaN).

* ``vexp``: Cody-Waite reduction ``x = k ln 2 + r`` with ``|r| <= ln 2 / 2``, Taylor polynomial of degree 13
  for ``e^r`` (truncation below 1e-17), scaling by ``2^k`` built in the exponent bits.
* ``vlog``: ``x = 2^e m`` with ``m`` in ``[sqrt(1/2), sqrt(2))`` from the bits, then
  ``log m = 2 atanh(s)``, ``s = (m - 1) / (m + 1)``, ``|s| <= 0.172``, odd series to ``s^21``.
* ``vsqrt``: LLVM's ``llvm.sqrt`` intrinsic (a vector square-root instruction), NaN for negative input.
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


@numba.njit(cache=True, inline="always", error_model="numpy")
def vexp(x):
    """e^x."""
    z = x * _LOG2E + _ROUND
    kf = z - _ROUND
    r = (x - kf * _LN2_HI) - kf * _LN2_LO
    p = 1.0 / 6227020800.0
    p = _madd(p, r, 1.0 / 479001600.0)
    p = _madd(p, r, 1.0 / 39916800.0)
    p = _madd(p, r, 1.0 / 3628800.0)
    p = _madd(p, r, 1.0 / 362880.0)
    p = _madd(p, r, 1.0 / 40320.0)
    p = _madd(p, r, 1.0 / 5040.0)
    p = _madd(p, r, 1.0 / 720.0)
    p = _madd(p, r, 1.0 / 120.0)
    p = _madd(p, r, 1.0 / 24.0)
    p = _madd(p, r, 1.0 / 6.0)
    p = _madd(p, r, 0.5)
    p = _madd(p, r, 1.0)
    p = _madd(p, r, 1.0)
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
    q = 2.0 / 21.0
    q = _madd(q, z, 2.0 / 19.0)
    q = _madd(q, z, 2.0 / 17.0)
    q = _madd(q, z, 2.0 / 15.0)
    q = _madd(q, z, 2.0 / 13.0)
    q = _madd(q, z, 2.0 / 11.0)
    q = _madd(q, z, 2.0 / 9.0)
    q = _madd(q, z, 2.0 / 7.0)
    q = _madd(q, z, 2.0 / 5.0)
    q = _madd(q, z, 2.0 / 3.0)
    ef = float(e)
    res = (ef * _LN2_HI + (s * (z * q) + ef * _LN2_LO)) + 2.0 * s
    res = -math.inf if x == 0.0 else res
    res = math.nan if x < 0.0 else res
    res = x if x == math.inf or x != x else res
    return res
