"""Refit the exported PEtab problem with pyPESTO from the files alone, and print its optimum next to ours.

    python benchmarks/petab_refit.py [--starts 4] [--max-iter 200] [--folder DIR]

The problem is written with ``neuroimmune export petab`` into a temporary folder (or ``--folder``), read back with
``petab`` and handed to pyPESTO with libRoadRunner as simulator (AMICI, pyPESTO's usual simulator, has no wheel for
this Python 3.11 install: pip finds only amici <= 1.0.1). libRoadRunner gives no sensitivities, so the gradient is
pyPESTO's central finite difference and the optimizer L-BFGS-B; starts are the packaged fit's nominal values plus
uniform draws within the bounds on the log10 scale (seeded).

The PEtab problem holds only the residual terms PEtab v1 can state exactly (docs/PETAB.md); our fit minimised
those and the rest jointly, so the PEtab optimum need not be our fit. The table shows both parameter vectors and
the PEtab objective (negative log-posterior, constants included) at each. Needs the ``petab`` extra.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=4, help="optimizer starts (the first at the packaged fit)")
    parser.add_argument("--max-iter", type=int, default=200, help="L-BFGS-B iterations per start")
    parser.add_argument("--folder", type=Path, default=None, help="an exported PEtab folder (default: export now)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    import petab.v1 as petab
    import pypesto
    import pypesto.optimize
    import pypesto.petab
    from pypesto.objective.roadrunner import SolverOptions

    folder = args.folder
    if folder is None:
        import neuroimmune as ni

        folder = ni.export(None, "petab", Path(tempfile.mkdtemp()) / "petab")
    problem = petab.Problem.from_yaml(folder / "problem.yaml")
    petab.flatten_timepoint_specific_output_overrides(problem)  # libRoadRunner's objective takes no per-row noise
    importer = pypesto.petab.PetabImporter(problem, simulator_type="roadrunner")
    data_objective = importer.create_objective_creator("roadrunner", None).create_objective()
    data_objective.solver_options = SolverOptions(relative_tolerance=1e-8, absolute_tolerance=1e-12,
                                                  maximum_num_steps=100000)
    full = np.asarray(problem.x_nominal_scaled, dtype=float)
    free = np.asarray(problem.x_free_indices)
    lb, ub = np.asarray(problem.lb_scaled)[free], np.asarray(problem.ub_scaled)[free]
    rng = np.random.default_rng(args.seed)
    guesses = np.tile(full, (args.starts, 1))
    guesses[1:, free] = lb + rng.random((args.starts - 1, len(free))) * (ub - lb)
    pp = importer.create_problem(objective=pypesto.objective.FD(data_objective, method=pypesto.objective.FD.CENTRAL),
                                 x_guesses=guesses)
    nominal = full[free]

    t0 = time.perf_counter()
    result = pypesto.optimize.minimize(
        pp, optimizer=pypesto.optimize.ScipyOptimizer(method="L-BFGS-B", options={"maxiter": args.max_iter}),
        n_starts=args.starts, progress_bar=False, filename=None)
    seconds = time.perf_counter() - t0
    best = result.optimize_result.list[0]
    ours = float(pp.objective(nominal))  # the problem's objective takes the free parameters

    print(f"pyPESTO {pypesto.__version__}, petab {petab.__version__ if hasattr(petab, '__version__') else ''}, "
          f"libRoadRunner; {args.starts} starts of L-BFGS-B (max {args.max_iter} iterations), {seconds:.0f} s\n")
    print("| parameter | ours (packaged fit) | PEtab refit | log10 ratio |")
    print("|---|---|---|---|")
    for name, a, b in zip([pp.x_names[i] for i in free], nominal, best.x[free], strict=True):
        print(f"| {name} | {10**a:.4g} | {10**b:.4g} | {b - a:+.3f} |")
    print(f"| objective (PEtab negative log-posterior) | {ours:.4f} | {best.fval:.4f} | {best.fval - ours:+.4f} |")
    print("\nfinal objective of each start: " + ", ".join(f"{r.fval:.3f}" for r in result.optimize_result.list))


if __name__ == "__main__":
    main()
