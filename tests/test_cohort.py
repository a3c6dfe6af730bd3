"""The cohort engine: generated code, accuracy against the reference solver, determinism, variability, faults."""

from pathlib import Path

import numpy as np
import pytest

import neuroimmune as ni
from neuroimmune import outcomes
from neuroimmune.cohort.members import RunSpec, layout
from neuroimmune.cohort.variability import BLOCK, Variability
from neuroimmune.engine.batch import codegen
from neuroimmune.engine.batch.engine import COMPILE_SECONDS, STATUS, flat_observables
from neuroimmune.engine.simulate import resolve_parameters
from neuroimmune.errors import NeuroimmuneError, UnknownNameError
from neuroimmune.model import assembly

SCENARIO = {"challenge": {"kind": "endotoxin", "dose": 2.0}, "duration": 48}
SHORT = {"challenge": {"kind": "endotoxin", "dose": 2.0}, "duration": 8}
PEAKS = ("tnf_peak", "il6_peak", "il8_peak", "il10_peak", "temperature_peak", "heart_rate_peak", "back_pain_peak",
         "ppt_change_peak", "mood_peak")


def same(a, b):
    """Bit-for-bit equality of every variable of two cohort results."""
    assert set(a.data_vars) == set(b.data_vars)
    for name in a.data_vars:
        if name != "message":
            assert np.array_equal(a[name].values, b[name].values, equal_nan=True), name


@pytest.fixture(scope="module")
def cohort48():
    return ni.simulate_cohort(SCENARIO, 600, seed=3, execution={"chunk_size": 600}, keep={"trajectories": 4})


def _kernel_at_a_random_state(scenario, output_step, seed):
    """The generated kernel of ``scenario``'s model, its layout, parameters (namespace and the varying ones as an
    array), a random state (idle states at their initial values, which the generated code holds them at) and the
    indices of the idle states."""
    spec = RunSpec(scenario, 4, 0, Variability.default().to_dict(), {}, "compiled", 1e-6, 1e-8, 1000, 0, output_step,
                   4)
    lay = layout(spec.to_json())
    p = resolve_parameters(ni.Scenario.from_dict(scenario), None)
    P = np.array([getattr(p, k) for k in lay.varying])
    rng = np.random.default_rng(seed)
    y = assembly.initial_state(p) * (1 + rng.random(len(assembly.STATE_NAMES))) + rng.random(len(assembly.STATES))
    idle = [i for i in range(len(y)) if i not in lay.model.active]
    y[idle] = assembly.initial_state(p)[idle]
    return codegen.load(lay.model), lay, p, P, y, idle


def test_generated_rhs_and_observables_match_the_model():
    kernel, lay, p, P, y, idle = _kernel_at_a_random_state(SHORT, 0.1, seed=1)
    u = np.zeros(len(assembly.INPUTS))  # an endotoxin bolus sets no input
    dy = np.empty((1, len(y)))
    kernel.rhs_block(y[None, :], P[None, :], u[None, :], dy)
    from types import SimpleNamespace

    expected = assembly.make_rhs(p)(0.0, y, SimpleNamespace(**dict(zip(assembly.INPUTS, u, strict=True))))
    np.testing.assert_allclose(dy[0], expected, rtol=1e-12, atol=1e-12)
    assert len(idle) > 10 and np.all(np.asarray(expected)[idle] == 0.0)  # idle states have no rate
    o = np.empty((1, len(lay.model.observables)))
    kernel.obs_block(y[None, :], P[None, :], o)
    np.testing.assert_allclose(o[0], flat_observables(y[:, None], p)[:, 0], rtol=1e-12)


def test_idle_states_are_those_the_scenario_never_moves():
    def idle(scenario):
        spec = RunSpec(scenario, 4, 0, Variability.default().to_dict(), {}, "compiled", 1e-6, 1e-8, 1000, 0, 1.0, 4)
        model = layout(spec.to_json()).model
        return {assembly.STATE_NAMES[i] for i in range(len(assembly.STATE_NAMES)) if i not in model.active}

    endotoxin = idle(SHORT)
    assert {"V", "I1", "AG", "IBU", "PARA", "HEAT_lower_back"} <= endotoxin  # no virus, antigen, drug or heat
    assert not {"TNF", "IL6", "PGE2", "T", "S_P"} & endotoxin
    flu = idle({"challenge": {"kind": "influenza"}, "duration": 48,
                "interventions": [{"kind": "ibuprofen", "start": 12, "dose": 400, "every": 8}]})
    assert not {"V", "I1", "AG", "AD", "IBU_GUT", "IBU"} & flu and {"E", "PARA"} <= flu


def test_vector_exp_and_log_match_numpy():
    import numba

    from neuroimmune.engine.batch.vmath import vexp, vlog, vsqrt

    @numba.njit
    def run(x, a, b, c):
        for i in range(x.size):
            a[i], b[i], c[i] = vexp(x[i]), vlog(x[i]), vsqrt(x[i])

    rng = np.random.default_rng(0)
    x = np.concatenate([rng.uniform(-745, 710, 20_000), rng.uniform(-2, 2, 20_000),
                        np.exp(rng.uniform(-740, 709, 20_000)), [0.0, -0.0, -1.0, np.inf, -np.inf, np.nan, 5e-324,
                                                                1e-310, 1.0, 2.0, 0.5]])
    a, b, c = (np.empty_like(x) for _ in range(3))
    run(x, a, b, c)
    with np.errstate(all="ignore"):
        ea, eb, ec = np.exp(x), np.log(x), np.sqrt(x)
    normal = (ea > 2.3e-308) & np.isfinite(ea)
    np.testing.assert_allclose(a[normal], ea[normal], rtol=8e-16)  # a few units in the last place
    assert np.all(a[x < -745] == 0.0) and np.isnan(a[np.isnan(x)]).all() and a[x == np.inf][0] == np.inf
    finite = np.isfinite(eb)
    np.testing.assert_allclose(b[finite], eb[finite], rtol=6e-16, atol=6e-16)
    np.testing.assert_array_equal(b[~finite], eb[~finite])  # -inf at 0, NaN below 0 and for NaN, inf at inf
    np.testing.assert_array_equal(c, ec)


def test_vector_math_coefficients_are_the_minimax_fits():
    """The polynomials of exp and log are what the Remez exchange gives for their intervals and degrees (derived,
    not kept by hand), and their levelled relative errors are those the module states."""
    import mpmath

    from neuroimmune.engine.batch import vmath

    coef, err = vmath.minimax(mpmath.exp, vmath.EXP_INTERVAL, 10)
    assert coef == vmath.EXP_COEFFICIENTS and err < 2.2e-16
    coef, err = vmath.minimax(vmath.log_q, vmath.LOG_INTERVAL, 5)
    assert coef == vmath.LOG_COEFFICIENTS and err < 7e-14


def test_cohort_has_the_contracted_variables(cohort48):
    ds = cohort48
    for name in ("tnf_peak", "tnf_peak_time", "tnf_auc", "days_with_fever", "days_with_back_pain", "recovery_day",
                 "sex", "age", "weight", "param_k_TNFM", "status", "message"):
        assert name in ds and ds[name].dims[0] == "member", name
    assert ds["ppt_change_peak"].dims == ("member", "region")
    assert ds["tnf"].dims == ("traj_member", "time") and ds["tnf"].shape == (4, 481)
    assert ds["tnf_peak"].attrs["units"] == "pg/mL"
    assert (ds["status"] == 0).all() and (ds["message"] == "ok").all()
    # the default 2 ng/kg bolus gives fever and back pain on the challenge day only, over by day 1
    assert (ds["days_with_fever"] == 1).mean() > 0.9
    assert ((ds["recovery_day"] > 0.25) & (ds["recovery_day"] < 2)).mean() > 0.9
    assert (ds["ppt_change_peak"].sel(region="lower_back") < ds["ppt_change_peak"].sel(region="mid_back")).all()


def test_compiled_engine_matches_the_reference_solver_on_a_sample(cohort48):
    same(cohort48.isel(member=slice(0, 16)), ni.simulate_cohort(SCENARIO, 16, seed=3, execution={"chunk_size": 16},
                                                                keep={"trajectories": 4},
                                                                tolerances={"engine": "explicit"}))
    ref = ni.simulate_cohort(SCENARIO, 5, seed=3, execution={"chunk_size": 5}, tolerances={"engine": "reference"})
    for name in PEAKS:
        ours, theirs = cohort48[name].values[:5], ref[name].values
        np.testing.assert_allclose(ours, theirs, rtol=1e-4, err_msg=name)
    np.testing.assert_allclose(cohort48["tnf_peak_time"].values[:5], ref["tnf_peak_time"].values, atol=1e-9)
    np.testing.assert_allclose(cohort48["tnf_auc"].values[:5], ref["tnf_auc"].values, rtol=1e-4)


def test_compiled_engine_matches_the_reference_with_a_virus_drugs_and_heat():
    """Driven inputs (heat), doses into the gut (ibuprofen) and a virus: the states and inputs that the idle-state
    analysis must keep, through the lanes, against the reference solver."""
    scenario = {"challenge": {"kind": "influenza"}, "duration": 96, "output_step": 0.5,
                "interventions": [{"kind": "ibuprofen", "start": 48, "dose": 400, "every": 8},
                                  {"kind": "heat", "region": "lower_back", "start": 30, "hours_per_day": 8}]}
    ours = ni.simulate_cohort(scenario, 9, seed=1, execution={"chunk_size": 9})  # 8 lanes and a padded group
    ref = ni.simulate_cohort(scenario, 3, seed=1, execution={"chunk_size": 3}, tolerances={"engine": "reference"})
    assert (ours["status"] == 0).all()
    for name in ("tnf_peak", "il6_peak", "temperature_peak", "back_pain_peak", "viral_load_peak", "fatigue_auc"):
        np.testing.assert_allclose(ours[name].values[:3], ref[name].values, rtol=1e-4, err_msg=name)
    for name in ("days_with_fever", "days_with_back_pain", "recovery_day"):  # counted over several days
        np.testing.assert_array_equal(ours[name].values[:3], ref[name].values, err_msg=name)
    assert ours["days_with_fever"].values.max() >= 2
    lower_back = ours["ppt_change_peak"].sel(region="lower_back").values[:3]
    np.testing.assert_allclose(lower_back, ref["ppt_change_peak"].sel(region="lower_back").values, rtol=1e-4)


def test_a_member_made_stiff_is_solved_by_the_rosenbrock_w_method():
    """A PGE2 turnover 10,000 times the default (eigenvalue about 5,000 /h) exhausts the explicit method's step
    budget; the member goes again with ROS34PW2 and agrees with the reference solver."""
    names, values = ("k_pge",), np.array([[0.5], [5000.0]])
    ours = ni.cohort.simulate_members(SHORT, names, values, variability={"parameters": {}}, execution={"chunk_size": 2})
    explicit_only = ni.cohort.simulate_members(SHORT, names, values, variability={"parameters": {}},
                                               execution={"chunk_size": 2},
                                               tolerances={"max_steps": 5_000, "engine": "explicit"})
    ref = ni.cohort.simulate_members(SHORT, names, values, variability={"parameters": {}},
                                     execution={"chunk_size": 2}, tolerances={"engine": "reference"})
    assert list(explicit_only["status"].values) == [0, 1]
    assert list(ours["status"].values) == [0, 0] and ours["n_rhs"].values[1] > 5_000
    for name in ("temperature_peak", "back_pain_peak", "tnf_peak"):
        np.testing.assert_allclose(ours[name].values, ref[name].values, rtol=1e-4, err_msg=name)


def test_the_stiff_engine_matches_the_reference_solver(cohort48):
    ours = ni.simulate_cohort(SCENARIO, 5, seed=3, execution={"chunk_size": 5}, tolerances={"engine": "stiff"})
    ref = ni.simulate_cohort(SCENARIO, 5, seed=3, execution={"chunk_size": 5}, tolerances={"engine": "reference"})
    for name in PEAKS:
        np.testing.assert_allclose(ours[name].values, ref[name].values, rtol=1e-4, err_msg=name)
    np.testing.assert_allclose(ours[PEAKS[0]].values, cohort48[PEAKS[0]].values[:5], rtol=1e-4)


def test_the_w_method_keeps_order_three_with_any_matrix():
    """ROS34PW2's coefficients as used by the kernel: third order with the exact Jacobian, its diagonal, or zero
    (the W-method property), second order for the embedded solution, on a small nonlinear system."""
    from neuroimmune.engine.batch import tableaus as c

    def f(y):
        return np.array([-y[0] * y[1] + np.sin(y[1]), y[0] - 0.5 * y[1] ** 2 + 0.3, -2.0 * y[2] + y[0]])

    def step(y, h, J, b):
        k = []
        for i in range(4):
            Y = y + sum((c.ALPHA[i][j] * k[j] for j in range(i)), np.zeros(3))
            r = h * f(Y) + h * J @ sum((c.GAMMA[i][j] * k[j] for j in range(i)), np.zeros(3))
            k.append(np.linalg.solve(np.eye(3) - h * c.GAMMA_DIAG * J, r))
        return y + sum(b[i] * k[i] for i in range(4))

    from scipy.integrate import solve_ivp
    y0 = np.array([1.0, 0.5, 0.2])
    exact = solve_ivp(lambda t, y: f(y), (0, 1), y0, method="DOP853", rtol=1e-13, atol=1e-14).y[:, -1]
    jacobians = {"exact": lambda y: np.array([[-y[1], -y[0] + np.cos(y[1]), 0], [1, -y[1], 0], [1, 0, -2]]),
                 "diagonal": lambda y: np.diag([-y[1], -y[1], -2.0]), "zero": lambda y: np.zeros((3, 3))}
    for jac in jacobians.values():
        for b, order in ((c.B, 3), (c.B_EMBEDDED, 2)):
            errors = []
            for n in (20, 40, 80):
                y = y0.copy()
                for _ in range(n):
                    y = step(y, 1 / n, jac(y), b)
                errors.append(np.max(np.abs(y - exact)))
            assert abs(np.log2(errors[1] / errors[2]) - order) < 0.1


def test_the_transformed_rosenbrock_coefficients_give_the_same_step():
    """The kernel takes ROS34PW2 in the variables u_i = sum_j gamma_ij k_j (no product of the matrix with a
    vector): the same step as the method's own form, to round-off, with any matrix."""
    from neuroimmune.engine.batch import tableaus as c

    def f(y):
        return np.array([-y[0] * y[1] + np.sin(y[1]), y[0] - 0.5 * y[1] ** 2 + 0.3, -20.0 * y[2] + y[0] ** 2])

    y, h = np.array([1.0, 0.5, 0.2]), 0.1
    for J in (np.array([[-0.5, -0.1, 0], [1, -0.5, 0], [2, 0, -20]]), np.diag([-0.5, -0.5, -20.0])):
        M = np.eye(3) - h * c.GAMMA_DIAG * J
        k, u = [], []
        for i in range(4):
            Y = y + sum((c.ALPHA[i][j] * k[j] for j in range(i)), np.zeros(3))
            k.append(np.linalg.solve(M, h * f(Y) + h * J @ sum((c.GAMMA[i][j] * k[j] for j in range(i)), np.zeros(3))))
            Y = y + sum((c.ROS_A[i][j] * u[j] for j in range(i)), np.zeros(3))
            u.append(np.linalg.solve(M, h * c.GAMMA_DIAG * f(Y) + sum((c.ROS_C[i][j] * u[j] for j in range(i)),
                                                                      np.zeros(3))))
        for b, m in ((c.B, c.ROS_M), (c.B_EMBEDDED, c.ROS_M_EMBEDDED)):
            np.testing.assert_allclose(y + sum(m[i] * u[i] for i in range(4)), y + sum(b[i] * k[i] for i in range(4)),
                                       rtol=1e-13, atol=1e-15)


def test_the_sparse_factorisation_solves_like_numpy():
    """The straight-line LU of a sparse structure (minimum-degree order, no pivoting) solves as NumPy does."""
    from neuroimmune.engine.batch import sparse

    rng = np.random.default_rng(4)
    for n, density in ((27, 0.12), (10, 0.4), (4, 1.0), (1, 1.0)):
        pattern = {(i, j) for i in range(n) for j in range(n) if rng.random() < density}
        plan = sparse.plan(n, pattern)
        A = 4.0 * np.eye(n)
        for i, j in pattern:
            A[i, j] += rng.normal()
        b = rng.normal(size=n)
        entries = {(i, j): repr(float(A[i, j])) for i, j in (*pattern, *((i, i) for i in range(n)))}
        for fma in (False, True):
            code = sparse.factor_lines(plan, lambda i, j, e=entries: e.get((i, j), "0.0"), lambda k: f"LU[{k}]", fma)
            code += sparse.solve_lines(plan, lambda i: f"b[{i}]", lambda k: f"LU[{k}]", "x", fma)
            space = {"LU": np.zeros(plan.size), "b": b, "vfma": lambda a, x, y: a * x + y}
            exec("\n".join(code), space)  # noqa: S102 (our own generated code)
            np.testing.assert_allclose([space[f"x{i}"] for i in range(n)], np.linalg.solve(A, b), rtol=1e-12)
        assert len(plan.lower) + len(plan.upper) <= n * n - n


def test_the_generated_jacobian_matches_finite_differences():
    """The Jacobian that the Rosenbrock method uses, generated from the symbolic model (derivatives by sympy),
    against central differences of the generated right-hand side, for the states an influenza run integrates."""
    kernel, lay, _, P, y, _ = _kernel_at_a_random_state({"challenge": {"kind": "influenza"}, "duration": 48}, 1.0,
                                                        seed=2)
    u = np.zeros((1, len(assembly.INPUTS)))
    cells = kernel.JAC_CELLS
    jac = np.empty((1, len(cells)))
    kernel.jac_block(y[None, :], P[None, :], u, jac)
    active = list(lay.model.active)
    for (r, c), value in zip(cells, jac[0], strict=True):
        # the central-difference step that balances truncation and round-off, eps^(1/3) relative (Nocedal & Wright,
        # Numerical Optimization, 8.1); at 1e-6 the round-off of a large virus rate (d V-rate / d AB) alone was 1e-5
        h = np.finfo(float).eps ** (1 / 3) * max(abs(y[active[c]]), 1e-3)
        up, down = y.copy(), y.copy()
        up[active[c]] += h
        down[active[c]] -= h
        rates = np.empty((2, len(y)))
        kernel.rhs_block(np.stack([up, down]), np.stack([P, P]), np.concatenate([u, u]), rates)
        np.testing.assert_allclose(value, (rates[0, active[r]] - rates[1, active[r]]) / (2 * h), rtol=1e-5,
                                   atol=1e-7 * max(1.0, abs(value)), err_msg=f"d rate {r} / d state {c}")
    assert len(cells) > len(active)  # more than the diagonal


def test_real_stability_intervals_match_the_textbook_values():
    """Explicit Euler is stable for h |lambda| <= 2 and the classical Runge-Kutta method for 2.785 (Hairer and
    Wanner, Solving ODEs II, IV.2); Dormand-Prince 5(4) reaches 3.31 (the limit that holds its steps at 0.45 h
    after an influenza illness, where the hybrid engine turns to the Rosenbrock method)."""
    from neuroimmune.engine.batch.tableaus import DOPRI5_A, DOPRI5_B, real_stability_interval

    assert real_stability_interval(((),), (1.0,)) == pytest.approx(2.0, abs=1e-9)
    rk4 = ((), (0.5,), (0.0, 0.5), (0.0, 0.0, 1.0))
    assert real_stability_interval(rk4, (1 / 6, 1 / 3, 1 / 3, 1 / 6)) == pytest.approx(2.7853, abs=1e-4)
    assert real_stability_interval(DOPRI5_A, DOPRI5_B) == pytest.approx(3.3066, abs=1e-3)


@pytest.fixture(scope="module")
def flu3weeks():
    scenario = {"challenge": {"kind": "influenza"}, "duration": 504, "output_step": 1.0}
    return scenario, ni.simulate_cohort(scenario, 24, seed=5, execution={"chunk_size": 24})


def test_the_hybrid_engine_matches_the_reference_over_three_weeks_of_influenza(flu3weeks):
    """Three weeks, most of them after the illness: each member goes from Dormand-Prince to the Rosenbrock
    method when that takes longer steps, and agrees with the reference solver; a run this long takes the hybrid
    engine by default (and 48 h keeps Dormand-Prince)."""
    from neuroimmune.engine.batch.engine import method_for

    scenario, ours = flu3weeks
    ref = ni.simulate_cohort(scenario, 3, seed=5, execution={"chunk_size": 3}, tolerances={"engine": "reference"})
    assert (ours["status"] == 0).all()
    for name in ("tnf_peak", "il6_peak", "temperature_peak", "back_pain_peak", "viral_load_peak", "fatigue_peak",
                 "tnf_auc", "temperature_auc", "back_pain_auc"):
        np.testing.assert_allclose(ours[name].values[:3], ref[name].values, rtol=1e-4, err_msg=name)
    for name in ("days_with_fever", "days_with_back_pain", "recovery_day"):
        np.testing.assert_array_equal(ours[name].values[:3], ref[name].values, err_msg=name)
    assert method_for("compiled", 504.0) == 2 and method_for("compiled", 48.0) == 0
    same(ours.isel(member=slice(0, 8)), ni.simulate_cohort(scenario, 8, seed=5, execution={"chunk_size": 8},
                                                           tolerances={"engine": "hybrid"}))
    # fewer evaluations than Dormand-Prince alone needs (about 6,900 per member over these three weeks)
    assert float(ours["n_rhs"].mean()) < 4_000


def test_the_hybrid_engine_gives_the_same_bits_whatever_the_chunking(flu3weeks):
    """Lanes choose their method on their own, and a lane that sits out the other method's step keeps everything,
    so a member's numbers do not depend on its group."""
    scenario, ours = flu3weeks
    for chunk in (5, 13):
        same(ours, ni.simulate_cohort(scenario, 24, seed=5, execution={"chunk_size": chunk}))


def test_a_cohort_member_equals_simulate_with_its_parameters(cohort48):
    m = 2
    drawn = {str(k)[len("param_"):]: float(cohort48[k][m]) for k in cohort48.data_vars if str(k).startswith("param_")}
    assert {"k_TNFM", "k_6M", "k_MA", "k_6", "k_10M"} <= set(drawn)  # the parameters that differ between people
    ds = ni.simulate(SCENARIO, parameters=drawn, solver="reference")
    np.testing.assert_allclose(cohort48["tnf"].values[m], ds["tnf"].values, rtol=1e-4)
    from neuroimmune.outcomes import course

    single = course(ds)  # the same summary definitions as a single run
    for name in ("days_with_fever", "days_with_back_pain"):
        assert cohort48[name].values[m] == single[name], name
    # a threshold crossing: at the kernel's rtol (3e-5, matched to 1e-4 on peaks) the slowly falling fatigue may
    # cross its ill level a couple of 0.1-h outputs from the reference solver's crossing
    assert abs(cohort48["recovery_day"].values[m] - single["recovery_day"]) <= 3 * 0.1 / 24 + 1e-12


@pytest.mark.parametrize("scenario", [
    {"challenge": {"kind": "influenza"}, "duration": 96, "output_step": 0.5},  # ill across days 1-3
    {"challenge": {"kind": "endotoxin", "dose": 2.0, "time": 21.0}, "duration": 48, "output_step": 0.5},  # over 24 h
])
def test_the_kernel_and_a_single_run_agree_on_every_summary_across_day_boundaries(scenario):
    """On an output grid holding 24 h and 48 h, with fever and back ache that run over day boundaries, the kernel's
    summaries per member (generated from neuroimmune.outcomes) equal the single run's (outcomes applied to
    ``simulate`` with the member's parameters): days with fever and back pain, recovery day, and the peak of
    every observable of its kind (highest, lowest or furthest from baseline)."""
    from neuroimmune.outcomes import course, peak, peak_kind

    n = 4
    ours = ni.simulate_cohort(scenario, n, seed=12, execution={"chunk_size": n})
    assert {24.0, 48.0} <= set(np.arange(0, scenario["duration"] + 1e-9, scenario["output_step"]))
    assert (ours["days_with_fever"] >= 2).all()  # every fever spans a day boundary
    for m in range(n):
        params = {name.removeprefix("param_"): float(ours[name][m]) for name in ours.data_vars
                  if name.startswith("param_")}
        single = ni.simulate(scenario, parameters=params, solver="reference")
        t = single["time"].to_numpy()
        summary = course(single)
        for name in ("days_with_fever", "days_with_back_pain", "recovery_day"):
            np.testing.assert_array_equal(ours[name].values[m], summary[name], err_msg=name)
        p = resolve_parameters(ni.Scenario.from_dict(scenario), params)
        base = iter(flat_observables(assembly.initial_state(p)[:, None], p)[:, 0])  # before the challenge
        for o in assembly.OBSERVABLES:
            series = single[o.name].to_numpy().reshape(-1, t.size)
            kernel_peak = ours[f"{o.name}_peak"].values[m].reshape(-1)
            kernel_time = ours[f"{o.name}_peak_time"].values[m].reshape(-1)
            for r, values in enumerate(series):
                value, _ = peak(values, t, peak_kind(o.name), baseline=next(base))
                np.testing.assert_allclose(kernel_peak[r], value, rtol=1e-4, atol=1e-9, err_msg=o.name)
                # the kernel's peak time is a time where the single run has its peak (a flat top may tie)
                at = values[np.flatnonzero(t == kernel_time[r])[0]]
                np.testing.assert_allclose(at, value, rtol=1e-4, atol=1e-9, err_msg=o.name)


def test_a_fresh_compile_and_the_cached_kernel_give_the_same_bits(tmp_path):
    """Dask workers may compile the kernel while the client loads it from numba's cache: both must give the same
    numbers to the last bit (fused multiply-add, once tried, broke this), for Dormand-Prince and for the
    Rosenbrock method (its generated Jacobian and factorisation)."""
    import os
    import subprocess
    import sys

    code = ("import contextlib, sys, numpy as np, neuroimmune as ni; "
            "from neuroimmune.cohort import compile_notice; "
            "shown = []; "
            "notice = contextlib.contextmanager(lambda s: (yield shown.append(s))); "
            "ctx = compile_notice(notice); ctx.__enter__(); "
            f"ds = ni.simulate_cohort({SHORT!r}, 24, seed=2, execution={{'chunk_size': 24}}); "
            f"ws = ni.simulate_cohort({SHORT!r}, 24, seed=2, execution={{'chunk_size': 24}}, "
            "tolerances={'engine': 'stiff'}); "
            "np.save(sys.argv[1], np.stack([d[k].values for d in (ds, ws) for k in ('tnf_auc', 'il6_auc', "
            "'temperature_auc', 'back_pain_peak')])); print(shown)")
    env = {**os.environ, "NEUROIMMUNE_CACHE": str(tmp_path / "cache")}
    shown = {}
    for name in ("fresh", "cached"):
        run = subprocess.run([sys.executable, "-c", code, str(tmp_path / f"{name}.npy")], env=env, check=True,
                             capture_output=True, encoding="utf-8")
        shown[name] = run.stdout.strip().splitlines()[-1]
    assert np.array_equal(np.load(tmp_path / "fresh.npy"), np.load(tmp_path / "cached.npy"))
    # the user is told before the first compile (with its expected time), and not when the cache has the kernel
    assert shown == {"fresh": str([COMPILE_SECONDS[0], COMPILE_SECONDS[1]]), "cached": "[]"}


def test_same_seed_same_numbers_whatever_the_chunking(cohort48):
    for chunk in (128, 250):
        same(cohort48, ni.simulate_cohort(SCENARIO, 600, seed=3, execution={"chunk_size": chunk},
                                          keep={"trajectories": 4}))
    # a smaller cohort is a prefix of a larger one
    small = ni.simulate_cohort(SCENARIO, 100, seed=3, execution={"chunk_size": 64})
    np.testing.assert_array_equal(small["tnf_peak"].values, cohort48["tnf_peak"].values[:100])
    other = ni.simulate_cohort(SCENARIO, 100, seed=4, execution={"chunk_size": 64})
    assert not np.array_equal(other["tnf_peak"].values, small["tnf_peak"].values)


def test_sampled_parameters_follow_the_lognormal_spec():
    var = Variability({"k_TNFM": 0.5}, "scenario")
    base = {"k_TNFM": 2.0}
    _, values = var.sample(7, 0, 4 * BLOCK, ni.Scenario().host, base)
    x = np.log(values["k_TNFM"] / 2.0)
    assert abs(np.median(values["k_TNFM"]) / 2.0 - 1) < 0.05
    assert abs(x.std() - np.sqrt(np.log(1 + 0.25))) < 0.02
    # members are keyed by index, not by how the range is cut
    _, part = var.sample(7, BLOCK - 5, BLOCK + 5, ni.Scenario().host, base)
    np.testing.assert_array_equal(part["k_TNFM"], values["k_TNFM"][BLOCK - 5:BLOCK + 5])

    # each parameter has its own stream: adding a variable parameter leaves the others' draws and the hosts alone
    hosts, more = Variability({"k_TNFM": 0.5, "k_6M": 0.3}, "adults").sample(7, 0, 50, ni.Scenario().host,
                                                                            {**base, "k_6M": 1.0})
    hosts_alone, alone = Variability({"k_TNFM": 0.5}, "adults").sample(7, 0, 50, ni.Scenario().host, base)
    np.testing.assert_array_equal(more["k_TNFM"], alone["k_TNFM"])
    for key in ("female", "age", "weight"):
        np.testing.assert_array_equal(hosts[key], hosts_alone[key])
    assert not np.allclose(np.log(more["k_6M"]) / np.sqrt(np.log(1.09)), np.log(more["k_TNFM"] / 2.0)
                           / np.sqrt(np.log(1.25)))  # and the two streams differ


def test_host_distributions_have_their_documented_shape():
    ds = ni.simulate_cohort(SHORT, 2000, variability="adults", execution={"chunk_size": 2000})
    assert 0.46 < float(ds["sex"].mean()) < 0.56
    assert 18 <= float(ds["age"].min()) and float(ds["age"].max()) <= 80
    men, women = ds["weight"].where(ds["sex"] == 0), ds["weight"].where(ds["sex"] == 1)
    assert 86 < float(men.mean()) < 95 and 73 < float(women.mean()) < 82
    # women make more TNF in the model (Coyle 2006): their median peak is higher
    assert float(ds["tnf_peak"].where(ds["sex"] == 1).median()) > float(ds["tnf_peak"].where(ds["sex"] == 0).median())


def test_variability_reproduces_the_spread_of_the_individuals():
    from neuroimmune.model.parameters import default_parameters
    from neuroimmune.studies import windoloski2024_individuals

    rows = {(r.observable, r.metric): r for r in windoloski2024_individuals.rows(default_parameters().values())}
    for name in ("tnf", "il6", "il10"):
        row = rows[(name, "SD across people of log peak")]
        assert row.passed and row.fitted, row
        assert row.lower < row.data < row.upper


def test_the_committed_variability_is_what_its_fit_writes(tmp_path):
    """Rerunning the variability's fit (a few seconds: 2,000 members of a 6 h bolus per evaluation) gives the
    committed coefficients of variation, and the spreads it reaches are the data's to within the model's reach."""
    import yaml

    from neuroimmune.calibration.variability import fit_individual_variability
    from neuroimmune.cohort.variability import catalogue

    record = fit_individual_variability(out=tmp_path / "fit.yaml")
    catalogue.cache_clear()
    committed = yaml.safe_load((Path(ni.__file__).parent / "cohort" / "fitted" / "individual_variability.yaml")
                               .read_text(encoding="utf-8"))
    assert record["cv"].keys() == committed["cv"].keys() == {"k_TNFM", "k_6M", "k_MA", "k_6", "k_10M"}
    for name, cv in committed["cv"].items():
        assert record["cv"][name] == pytest.approx(cv, rel=1e-2), name
    target, achieved = (record["provenance"][k] for k in ("target_sd_log", "achieved_sd_log"))
    for cytokine in ("tnf", "il6", "il10"):  # each peak's spread within a third of the data's
        assert achieved[cytokine]["peak"] == pytest.approx(target[cytokine]["peak"], rel=0.25), cytokine


@pytest.mark.parametrize("n", [0, -5, 1.5, True, "many", 10**12])
def test_bad_n_is_refused(n):
    with pytest.raises(NeuroimmuneError, match="n: must be"):
        ni.simulate_cohort(SHORT, n)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [({"tolerances": {"engine": "gpu"}}, "tolerances.engine: must be one of"),
     ({"execution": {"chunk_size": 0}}, "execution.chunk_size: must be a positive"), ({"seed": -1}, "seed"),
     ({"variability": "martians"}, "variability.host"), ({"variability": {"parameters": {"nope": 0.1}}}, "nope"),
     ({"variability": {"parameters": {"k_TNFM": -1}}}, "coefficient of variation"),
     ({"keep": {"resolution": 0.25}}, "keep.resolution: must be a positive multiple"),
     ({"keep": {"trajectories": -1}}, "keep.trajectories: must be"),
     ({"keep": {"trajectory": 3}}, "keep: must be one of trajectories, resolution, out"),
     ({"tolerances": 1e-6}, "tolerances: must be a Tolerances or a mapping of its fields"),
     ({"parameters": {"nope": 1.0}}, "parameters: must be one of")],
)
def test_bad_options_name_field_rule_and_value(kwargs, match):
    with pytest.raises((NeuroimmuneError, UnknownNameError), match=match):
        ni.simulate_cohort(SHORT, 10, **kwargs)


def test_a_failing_member_gets_a_status_and_the_others_finish():
    names = ("k_TNFM", "x_ache")
    values = np.tile([1.56, 2.0], (6, 1))
    values[1, 0] = np.nan  # a non-finite parameter: the state turns NaN
    values[3, 0] = -1e3  # negative production: TNF goes negative, but Hill terms take the positive part: solvable
    values[4, 0] = 1e20  # an absurd TNF production: more steps than the budget of 100
    ds = ni.cohort.simulate_members(SHORT, names, values, variability={"parameters": {}},
                                    tolerances={"max_steps": 100, "rtol": 1e-6}, execution={"chunk_size": 6})
    status = ds["status"].values
    assert status[1] == 2 and status[4] == 1, status
    assert (status[[0, 2, 3, 5]] == 0).all()
    # finished, with the non-physical course its parameters ask for: TNF falls below its baseline, so its peak
    # (the highest value, as for a single run) is the first output, and the value furthest from baseline is not it
    single = ni.simulate(SHORT, parameters={"k_TNFM": -1e3, "x_ache": 2.0}, solver="reference")
    tnf, t = single["tnf"].to_numpy(), single["time"].to_numpy()
    assert ds["tnf_auc"].values[3] < 0 and tnf.min() < 0
    assert (ds["tnf_peak"].values[3], ds["tnf_peak_time"].values[3]) == pytest.approx(outcomes.peak(tnf, t, "max"))
    assert outcomes.peak(tnf, t, "extreme", baseline=tnf[0])[0] < 0
    assert ds["message"].values[1] == STATUS[2] and ds["message"].values[4] == STATUS[1]
    assert np.isnan(ds["tnf_peak"].values[1]) and np.isfinite(ds["tnf_peak"].values[0])
    assert ds["days_with_fever"].values[1] == -1
    np.testing.assert_array_equal(ds["tnf_peak"].values[[0, 2, 5]], ds["tnf_peak"].values[0])


def test_host_effects_go_member_by_member_when_they_branch_on_a_sampled_parameter():
    from neuroimmune.cohort.members import _host_takes_arrays
    from neuroimmune.model.parameters import default_parameters

    raw = default_parameters().values()
    scenario = ni.Scenario()
    assert _host_takes_arrays(raw, ["k_TNFM"], scenario)
    assert not _host_takes_arrays(raw, ["age_ref"], scenario)  # max(age - age_ref, 0) branches on it
