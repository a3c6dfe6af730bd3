"""Arrays that the cohort kernel passes between its functions without counting references.

Why written here: numba counts references to every array it passes to a function that is not inlined, with an
atomic increment and decrement of the array's memory record around each call. The kernel calls a dozen lane
functions per step with its work vector, thousands of times per member, and those atomic operations took a
tenth of a Rosenbrock run's time (a third with the per-lane method choice) in a profile of the
kernel (``benchmarks/README.md``). :func:`borrow` gives a view of an array with no memory record: numba then
skips the counting (the record is checked for NULL first). The caller keeps the array itself alive for as long
as the view is used.
"""

from __future__ import annotations

from numba import types
from numba.core import cgutils
from numba.extending import intrinsic


@intrinsic
def borrow(typingctx, arr):  # noqa: ARG001 (numba's signature)
    """A view of the array ``arr`` (same data, shape and strides) without a memory record."""
    if not isinstance(arr, types.Array):
        return None

    def codegen(context, builder, sig, args):  # noqa: ARG001
        src = context.make_array(sig.args[0])(context, builder, value=args[0])
        out = context.make_array(sig.return_type)(context, builder)
        for name in ("nitems", "itemsize", "data", "shape", "strides"):
            setattr(out, name, getattr(src, name))
        out.meminfo = cgutils.get_null_value(out.meminfo.type)
        out.parent = cgutils.get_null_value(out.parent.type)
        return out._getvalue()

    return arr(arr), codegen

