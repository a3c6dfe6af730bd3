"""The batch integrator: many members of one scenario at once, each reduced to its summaries as it goes.

A numba kernel generated from the model (:mod:`.codegen`, the template ``_kernel.py``, the coefficients in
:mod:`.tableaus`, vectorisable ``exp``/``log`` in :mod:`.vmath`), 8 members at a time in SIMD lanes, and the
engines that drive it or loop the single-scenario integrator instead (:mod:`.engine`). Virtual cohorts
(:mod:`neuroimmune.cohort`) sample the members and call these engines.
"""
