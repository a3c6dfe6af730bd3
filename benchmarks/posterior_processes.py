"""The posterior's MCMC run in one process against several: the same sample, how much faster.

Runs ``neuroimmune.calibration.posterior.posterior`` twice over the same short chain (24 walkers, ``--steps``
steps, seed 0), once in one process and once with ``--processes`` forked workers evaluating the densities
(emcee's ``pool``), checks that the two samples are identical, and prints the wall times and their ratio. The
times include the run's fixed start (the error scale, the Laplace covariance and the fit's fingerprints, about 20
densities in this process), so a long run gains a little more than the ratio printed.

Run: ``python benchmarks/posterior_processes.py [--steps 30] [--processes 2]``.
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from pathlib import Path

import numpy as np

from neuroimmune.calibration import posterior as post
from neuroimmune.model.fits import load_posterior


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=30)
    ap.add_argument("--processes", type=int, default=2)
    args = ap.parse_args()
    load = os.getloadavg()
    seconds, draws = {}, {}
    with tempfile.TemporaryDirectory() as folder:
        for n in (1, args.processes):
            out = Path(folder) / f"p{n}.nc"
            began = time.perf_counter()
            post.posterior(walkers=post.WALKERS, steps=args.steps, burn=args.steps // 6, thin=1, seed=0, out=out,
                           processes=n)
            seconds[n] = time.perf_counter() - began
            sample = load_posterior("endotoxemia", out)
            assert sample is not None
            draws[n] = sample.draws
    same = bool(np.array_equal(draws[1], draws[args.processes]))
    print("| processes | wall (s) | densities | speed-up | same sample |")
    print("|---|---|---|---|---|")
    for n in (1, args.processes):
        print(f"| {n} | {seconds[n]:.1f} | {post.WALKERS * (args.steps + 1)} | {seconds[1] / seconds[n]:.2f}x | "
              f"{'yes' if same or n == 1 else 'NO'} |")
    print(f"\nload average at the start: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; {os.cpu_count()} cores, "
          f"{platform.machine()}, Python {platform.python_version()}")


if __name__ == "__main__":
    main()
