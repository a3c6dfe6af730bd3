"""Forked worker processes: the one home of the calibration's parallel work (the posterior's walkers and the
cross-validation's leave-out refits).

The children are forked, not spawned, so they inherit the imported model and its compiled right-hand side; a
spawned child would import and compile it again before its first evaluation. Fork is what the platforms this
project runs on (Linux, and the CI machine) provide by default for multiprocessing.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.pool
from collections.abc import Callable, Iterable, Iterator
from typing import Any


@contextlib.contextmanager
def forked_pool(processes: int) -> Iterator[multiprocessing.pool.Pool | None]:
    """A pool of ``processes`` forked workers, or None for one process (the caller then works in its own)."""
    if processes <= 1:
        yield None
        return
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        yield pool


def ordered_map(func: Callable[[Any], Any], items: Iterable[Any], pool: multiprocessing.pool.Pool | None,
                serial: Callable[[Any], Any] | None = None) -> Iterator[Any]:
    """``func`` over ``items`` in order, each result as soon as it and those before it are done: in the pool's
    workers, or one after another in this process with ``serial`` (default ``func``; it may report progress,
    which a worker cannot)."""
    if pool is None:
        return map(serial or func, items)
    return pool.imap(func, items)
