"""Does the "people like me" band hold the people it claims to? The 90 % band (5th to 95th percentile) of the
volunteers' challenge against the 20 individual volunteers of Windoloski 2024 (target: 80-95 % of their points
inside).

The band is the ``people`` band (:func:`neuroimmune.predict`'s members) of the study's scenario (2 ng/kg endotoxin
bolus, 6 h, every sampling time on the output grid): simulated people of the scenario's person (the model's default
volunteer) who differ by the cohort's calibrated between-person variability, each member's course read as the
volunteers' assay reads it (its rise above rest on a resting reading drawn from the volunteers' pre-challenge
values; ``--plasma`` compares the plasma concentrations instead, as :func:`neuroimmune.predict` draws them). Each
volunteer's measured TNF, IL-6, IL-8 and IL-10 at each sampling time
(``data/endotoxemia/windoloski2024_bolus2ngkg_*_individual.csv``, read by
:mod:`neuroimmune.studies.windoloski2024_individuals`) is a point; a point is covered when it lies within the band at
its time. TNF, IL-6 and IL-10 are the fitted targets of the variability's coefficients of variation (the spread of
their readings at every sampling time after the challenge and of their peaks, in sample); IL-8 is held out. The
pre-challenge sample (t = 0) is counted apart: it is where the resting readings are drawn from.

Run: ``python benchmarks/bands_coverage.py [--members 2000] [--seed 0] [--host scenario] [--uncertainty people]
[--plasma]``; prints Markdown tables (by cytokine, by sampling time, and in all).
"""

from __future__ import annotations

import argparse
import platform
import time

import numpy as np

from neuroimmune.analysis.uncertainty import coverage

TARGET = (0.80, 0.95)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--uncertainty", default="people", choices=["people", "parameter", "both"],
                        help="the band: people (the target's), or the calibration's posterior alone or combined")
    parser.add_argument("--plasma", action="store_true", help="the band of plasma concentrations, not of readings")
    parser.add_argument("--host", default="scenario", help="who the members are: scenario (people like the "
                        "scenario's person), volunteers or adults")
    args = parser.parse_args()
    t0 = time.perf_counter()
    table = coverage(members=args.members, seed=args.seed, variability=args.host, uncertainty=args.uncertainty,
                     measured=not args.plasma)
    seconds = time.perf_counter() - t0
    after = table[table["time"] > 0]
    print(f"{args.uncertainty} band of {'plasma concentrations' if args.plasma else 'assay readings'}, 5th-95th "
          f"percentile, {args.members} members, seed {args.seed}, host {args.host!r} ({seconds:.1f} s)\n")
    print("| cytokine | role | points (t > 0) | inside | below | above | at t = 0 inside |")
    print("|---|---|---|---|---|---|---|")
    for name, part in table.groupby("observable", sort=False):
        late, first = part[part["time"] > 0], part[part["time"] == 0]
        print(f"| {name} | {part['role'].iloc[0]} | {len(late)} | {late['inside'].mean():.0%} | "
              f"{late['below'].mean():.0%} | {late['above'].mean():.0%} | {first['inside'].mean():.0%} |")
    print(f"| **all** | | {len(after)} | **{after['inside'].mean():.1%}** | {after['below'].mean():.0%} | "
          f"{after['above'].mean():.0%} | {table[table['time'] == 0]['inside'].mean():.0%} |")
    fitted = after[after["role"] == "fitted"]
    held = after[after["role"] == "held out"]
    print(f"\nfitted cytokines (TNF, IL-6, IL-10): {fitted['inside'].mean():.1%} of {len(fitted)}; held out (IL-8): "
          f"{held['inside'].mean():.1%} of {len(held)}; every point including t = 0: "
          f"{table['inside'].mean():.1%} of {len(table)}; target {TARGET[0]:.0%}-{TARGET[1]:.0%} of the points "
          "after the challenge")
    print("\n| sampling time (h) | points | inside |")
    print("|---|---|---|")
    for t, part in table.groupby("time"):
        print(f"| {t:g} | {len(part)} | {part['inside'].mean():.0%} |")
    inside = float(np.mean(after["inside"]))
    print(f"\nverdict: {inside:.1%} inside, target {TARGET[0]:.0%}-{TARGET[1]:.0%}: "
          f"{'met' if TARGET[0] <= inside <= TARGET[1] else 'missed'}")
    print(f"machine: {platform.machine()}, Python {platform.python_version()}")


if __name__ == "__main__":
    main()
