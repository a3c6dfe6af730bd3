"""Forked worker processes: the one home of the calibration's parallel work (the posterior's walkers, the
cross-validation's leave-out refits, the interval-coverage benchmark's synthetic sets).

The children are forked, not spawned, so they inherit the imported model and its compiled right-hand side (a
spawned child would import and compile it again before its first evaluation), and the function they run: it is
set before the fork and never pickled, so a closure over a problem, its noise model and the like serves as well as
a module-level function.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.pool
from collections.abc import Callable, Iterable, Iterator
from typing import Any

_FUNC: Callable[[Any], Any] | None = None


def in_worker(item: Any) -> Any:
    """In a worker of ``forked_pool(processes, func)``: ``func(item)``. What a pool's ``map`` is given (emcee's
    too), since it is a module-level function and so can be sent to the workers."""
    assert _FUNC is not None, "the worker was not forked from forked_pool(processes, func)"
    return _FUNC(item)


@contextlib.contextmanager
def forked_pool(processes: int, func: Callable[[Any], Any] | None = None) -> Iterator[multiprocessing.pool.Pool | None]:
    """A pool of ``processes`` forked workers that run ``func`` (through :func:`in_worker`, as :func:`ordered_map`
    does), or None for one process (the caller then works in its own)."""
    global _FUNC
    if processes <= 1:
        yield None
        return
    _FUNC = func
    try:
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            yield pool
    finally:
        _FUNC = None


def ordered_map(func: Callable[[Any], Any], items: Iterable[Any], pool: multiprocessing.pool.Pool | None,
                serial: Callable[[Any], Any] | None = None) -> Iterator[Any]:
    """``func`` over ``items`` in order, each result as soon as it and those before it are done: in the workers of
    ``pool`` (made by ``forked_pool(processes, func)``), or one after another in this process with ``serial``
    (default ``func``; it may report progress, which a worker cannot)."""
    if pool is None:
        return map(serial or func, items)
    if _FUNC is not func:
        raise ValueError("ordered_map: the pool was forked for another function")
    return pool.imap(in_worker, items)
