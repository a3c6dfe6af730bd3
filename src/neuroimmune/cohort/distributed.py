"""Schedulers: where the chunks of a cohort run.

* ``None``: in this process, chunk after chunk, numba using every core;
* ``"local"``: a Dask ``LocalCluster`` started for the run (one single-threaded worker process per core);
* ``"tcp://HOST:PORT"``: an existing Dask scheduler. The address is checked with a plain TCP connection first,
  so an unreachable scheduler is reported within seconds instead of hanging.

Each yields ``(chunk index, arrays)`` as chunks finish, in whatever order they finish; the caller writes them.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlparse

import numpy as np

from ..errors import NeuroimmuneError
from .chunks import compute_chunk
from .members import RunSpec


class SchedulerError(NeuroimmuneError):
    """A scheduler address that is malformed or cannot be reached."""


def check_address(address: str, timeout: float = 3.0) -> tuple[str, int]:
    """Host and port of ``tcp://HOST:PORT``, after checking that something listens there."""
    url = urlparse(address)
    if url.scheme != "tcp" or not url.hostname or not url.port:
        raise SchedulerError(f"--scheduler: must be 'local' or an address tcp://HOST:PORT (got {address!r})")
    try:
        with socket.create_connection((url.hostname, url.port), timeout=timeout):
            pass
    except OSError as exc:
        raise SchedulerError(f"--scheduler: no Dask scheduler reachable at {address} within {timeout:g} s "
                             f"({exc.strerror or exc}); start one (dask scheduler) or omit --scheduler") from None
    return url.hostname, url.port


def run_chunks(spec: RunSpec, chunks: list[int], design: np.ndarray | None, scheduler: str | None,
               workers: int | None = None) -> Iterator[tuple[int, dict[str, np.ndarray]]]:
    """Compute ``chunks`` of the run and yield them as they finish."""
    text = spec.to_json()

    def rows(i: int) -> np.ndarray | None:
        a, b = spec.chunk(i)
        return None if design is None else design[a:b]

    if scheduler is None:
        for i in chunks:
            yield i, compute_chunk(text, *spec.chunk(i), rows(i))
        return
    from dask.distributed import Client, LocalCluster, as_completed

    cluster: Any = None
    if scheduler == "local":
        cluster = LocalCluster(n_workers=workers or os.cpu_count() or 2, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    else:
        check_address(scheduler)
        client = Client(scheduler, timeout="10s")
    try:
        submit: Callable[..., Any] = client.submit
        futures = {submit(compute_chunk, text, *spec.chunk(i), rows(i), 1, key=f"cohort-{spec.fingerprint()[:12]}-{i}",
                          pure=False): i for i in chunks}
        for future in as_completed(futures):
            yield futures[future], future.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
