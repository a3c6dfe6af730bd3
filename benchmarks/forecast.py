"""The diary forecast measured (issue 16): held-out coverage and CRPS, the 20 volunteers, and speed.

1. Held-out people (``--heldout``): for influenza and COVID-19 at home (adults of any sex, age and weight), a library
   of ``--members`` members and a held-out library of other members (another seed); ``--diaries`` synthetic diaries
   drawn from held-out members with the stated reporting error (``forecast/measurement.yaml``) and a random onset
   shift give their first two days; the coming days' reports are scored: coverage of the 50 % and 80 % bands, and
   the continuous ranked probability score (``scoringrules.crps_ensemble`` on the forecast's 4,000 draws) against
   the population forecast without a diary, per day ahead.
2. The 20 volunteers (``--volunteers``): Windoloski 2024's individual TNF, IL-6, IL-8 and IL-10 after a 2 ng/kg
   endotoxin bolus (``studies/windoloski2024_individuals``). A library of the bolus scenario (the cohort engine, the
   calibrated variability, as the study module simulates it) is weighted by each volunteer's values at 1, 1.5 and
   2 h (all four cytokines; log-normal assay error, sd 0.3 on the log scale, from replicate CVs of 18-44 % for a
   multiplex cytokine immunoassay, Cancer Res 2008;68(9 Suppl):3861), and the 80 % bands of 3-6 h are compared with
   the volunteer's values there. The population's bands (no conditioning) are shown beside them.
3. Speed (``--speed``): a 7-day influenza diary answered by ``neuroimmune.advice.forecast.forecast`` with the
   library loaded (``--repeats`` diaries drawn from held-out members; median and 95th percentile).

Run: ``python benchmarks/forecast.py [--members 5000] [--diaries 300]``; it prints Markdown rows for the README.
Libraries are built in a temporary cache folder (the cohort kernel is compiled once in the usual one).
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from pathlib import Path

import numpy as np

from neuroimmune.forecast import condition, evaluate, library
from neuroimmune.forecast.measurement import Noise

#: Log-scale sd of a cytokine measurement (replicate CVs 18-44 % of a multiplex immunoassay; CV 30 % -> 0.29).
ASSAY_SD_LOG = 0.3
CYTOKINES = {"tnf": "TNF", "il6": "IL6", "il8": "IL8", "il10": "IL10"}
KNOWN_H = (1.0, 1.5, 2.0)
LATER_H = (3.0, 4.0, 5.0, 6.0)


def heldout(members: int, diaries: int, folder: Path) -> None:
    print("| illness | diaries | 80 % band holds | 50 % band holds | CRPS skill, back ache, days +1..+7 | "
          "CRPS skill, temperature, days +1..+7 | skill over days +1..+3 (ache, temp) | ESS (median) | "
          "called outside |")
    print("|---|---|---|---|---|---|---|---|---|")
    for illness in ("influenza", "sars_cov_2"):
        lib = library.build_library(library.LibrarySpec(illness, library.ADULTS, members, 0),
                                    folder / f"{illness}.zarr")
        held = library.build_library(library.LibrarySpec(illness, library.ADULTS, max(500, members // 5), 1),
                                     folder / f"{illness}-held.zarr")
        s = evaluate.held_out(lib, held, known=2, horizon=7, diaries=diaries, seed=0)
        by = {f: " / ".join(f"{100 * v:.0f}" for v in s.skill_by_day[f]) for f in s.skill_by_day}
        three = evaluate.held_out(lib, held, known=2, horizon=3, diaries=diaries, seed=0)
        print(f"| {illness} | {diaries} | {100 * s.coverage80:.1f} % | {100 * s.coverage50:.1f} % "
              f"| {by['back_pain']} % | {by['temperature']} % | {100 * three.skill['back_pain']:.0f} %, "
              f"{100 * three.skill['temperature']:.0f} % | {s.ess_median:.0f} of {int(lib.valid.sum()) * 9:,} | "
              f"{100 * s.flagged_outside:.1f} % |")


def volunteers(members: int) -> None:
    from neuroimmune.cohort import simulate_cohort
    from neuroimmune.studies.windoloski2024_individuals import bolus_scenario, individuals

    ds = simulate_cohort(bolus_scenario(), members, seed=0, keep={"trajectories": members})
    noise = Noise("cytokine", "cytokine", ASSAY_SD_LOG, "log")
    t = ds["time"].to_numpy()
    data = {name: individuals(tag) for name, tag in CYTOKINES.items()}
    model = {name: np.log(np.maximum(ds[name].to_numpy(), 1e-12)) for name in CYTOKINES}
    ok = ds["status"].to_numpy() == 0
    idx = {h: int(np.argmin(np.abs(t - h))) for h in (*KNOWN_H, *LATER_H)}
    rng = np.random.default_rng(0)
    rows = {name: [0, 0, 0] for name in CYTOKINES}  # inside (conditioned), inside (population), total
    ess = []
    people = data["tnf"][1].shape[0]
    for person in range(people):
        loglik = np.zeros(members)
        for name, (times, values) in data.items():
            for h in KNOWN_H:
                j = int(np.flatnonzero(times == h)[0])
                loglik += noise.log_likelihood(float(np.log(values[person, j])), model[name][:, idx[h]])
        loglik = np.where(ok, loglik, -np.inf)
        w = np.exp(loglik - loglik.max())
        w /= w.sum()
        ess.append(condition.ess(w))
        draws = condition.draw_pairs(w[:, None], seed=person)
        base = condition.draw_pairs(np.where(ok, 1.0, 0.0)[:, None] / ok.sum(), seed=person)
        for name, (times, values) in data.items():
            for h in LATER_H:
                j = int(np.flatnonzero(times == h)[0])
                obs = np.log(values[person, j])
                for col, pick in ((0, draws), (1, base)):
                    sample = noise.draw(model[name][pick, idx[h]], rng)
                    lo, hi = np.quantile(sample, [0.1, 0.9])
                    rows[name][col] += bool(lo <= obs <= hi)
                rows[name][2] += 1
    print(f"Volunteers: {people}, conditioned on {', '.join(f'{h:g}' for h in KNOWN_H)} h, scored at "
          f"{', '.join(f'{h:g}' for h in LATER_H)} h; library {members:,} members; ESS median {np.median(ess):.0f}")
    print()
    print("| cytokine | 80 % band holds (after the first hours) | 80 % band holds (population) | points |")
    print("|---|---|---|---|")
    for name, (inside, pop, total) in rows.items():
        print(f"| {name} | {100 * inside / total:.0f} % | {100 * pop / total:.0f} % | {total} |")
    inside = sum(r[0] for r in rows.values())
    pop = sum(r[1] for r in rows.values())
    total = sum(r[2] for r in rows.values())
    print(f"| all | {100 * inside / total:.0f} % | {100 * pop / total:.0f} % | {total} |")


def speed(members: int, repeats: int, folder: Path) -> None:
    from neuroimmune.advice.forecast import forecast
    from neuroimmune.forecast.measurement import noises

    lib = library.build_library(library.LibrarySpec("influenza", library.ADULTS, members, 0), folder / "speed.zarr")
    held = library.build_library(library.LibrarySpec("influenza", library.ADULTS, 500, 1), folder / "speed-held.zarr")
    rng = np.random.default_rng(0)
    members_ok = np.flatnonzero(held.valid)
    forecast("influenza", [{"day": 1, "back_pain": 5, "temperature": 38.9}], library=lib)  # first call: imports
    times = []
    for _ in range(repeats):
        m, s = int(rng.choice(members_ok)), int(rng.integers(len(held.shifts)))
        days = []
        for d in range(1, 8):
            day = {"day": d}
            for f in ("back_pain", "temperature"):
                v = float(noises()[f].draw(np.array([held.worst[f][m, s, d - 1]], dtype=float), rng)[0])
                day[f] = round(min(max(v, 34.0), 43.0), 1) if f == "temperature" else round(v, 1)
            days.append(day)
        t0 = time.perf_counter()
        forecast("influenza", days, library=lib)
        times.append(time.perf_counter() - t0)
    ms = 1000 * np.array(times)
    print(f"| 7-day diary, library of {members:,} members x {len(lib.shifts)} onset shifts loaded | {repeats} | "
          f"{np.median(ms):.0f} | {np.percentile(ms, 95):.0f} | < 300 ms at the 95th percentile | "
          f"{os.getloadavg()[0]:.1f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--diaries", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=200)
    parser.add_argument("--heldout", action="store_true")
    parser.add_argument("--volunteers", action="store_true")
    parser.add_argument("--speed", action="store_true")
    args = parser.parse_args()
    every = not (args.heldout or args.volunteers or args.speed)
    print(f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if every or args.heldout:
            heldout(args.members, args.diaries, folder)
            print()
        if every or args.volunteers:
            volunteers(args.members)
            print()
        if every or args.speed:
            print("| case | diaries | median (ms) | 95th percentile (ms) | target | load |")
            print("|---|---|---|---|---|---|")
            speed(args.members, args.repeats, folder)


if __name__ == "__main__":
    main()
