"""The batched integrator: a template appended to the generated lane functions (see :mod:`.codegen`).

This file is read as text, not imported. Members are integrated in groups of ``LANES``, one per SIMD lane, in
lock step: every lane takes its own trial step (its own step size, error estimate and accept/reject), but all
lanes evaluate the right-hand side together, so the arithmetic runs in vector instructions. Everything done per
state or per observable (the stages, the error norm and step-size control, accepting a step, the dense output,
the observables and the running summaries) is generated as straight-line code in one loop over the lanes, with
choices as selects, and the per-lane values it needs (time, step size, status, ...) kept in the work vector
beside the states. What is left here is the order of things: segments, steps, output times, and which lanes
are running. A lane that has reached the end of the current segment (or failed) computes a zero-length step
whose result is discarded, until the whole group has reached it.

``method`` 0 is the explicit Dormand-Prince 5(4) pair (FSAL) with its continuous extension. The model is only
mildly stiff over an illness (largest Jacobian eigenvalue about 7 /h along the default 48 h run, the PGE2
turnover; see ``benchmarks/README.md``), so an explicit method with step-size control is cheaper per member than
an implicit one there. ``method`` 1 is the Rosenbrock-W method ROS34PW2 with the Jacobian's diagonal as W (cubic
Hermite output): the engine uses it for a member that runs out of explicit steps.

``method`` 2 is for long runs, where after the illness the explicit method is held back by stability alone:
the additive pair ARK4(3)6L[2]SA with the decays on the Jacobian's diagonal (d y) as its implicit part, so a
stage is a division rather than a linear solve. Each lane steps explicitly (d = 0) until its error control asks
for steps near the explicit stability limit, then with d y implicit until the steps that accuracy allows fall
well below that limit (``_switch``); a group whose lanes all step explicitly takes the cheaper explicit step,
which gives the same numbers to the last bit. Cubic Hermite output, as for method 1.

Every lane runs the same arithmetic in the same order whatever lane, group, chunk or worker its member lands
in (the operations are lane-wise, with no sums across lanes), so results are bit-for-bit identical across
chunkings and schedulers. No fast-math flags: with contraction left to LLVM, a fresh compile and numba's cached
kernel differed in the last bit.

Status codes: 0 ok, 1 step limit reached, 2 non-finite state, 3 step size underflow.
"""
# ruff: noqa: F821, E741 (names come from the generated code around it; l is the lane)
# mypy: ignore-errors
# ---- template ----
import numpy as _np

# Continuous extension (Shampine 1986): y(t + th h) = y + h sum_i b_i(th) k_i,
# b_i(th) = th (P_i0 + P_i1 th + P_i2 th^2 + P_i3 th^3), with P_i0 = 0 except P_10 = 1
_P00, _P01, _P02, _P03 = 1.0, -8048581381.0 / 2820520608.0, 8663915743.0 / 2820520608.0, -12715105075.0 / 11282082432.0
_P21, _P22, _P23 = 131558114200.0 / 32700410799.0, -68118460800.0 / 10900136933.0, 87487479700.0 / 32700410799.0
_P31, _P32, _P33 = -1754552775.0 / 470086768.0, 14199869525.0 / 1410260304.0, -10690763975.0 / 1880347072.0
_P41, _P42, _P43 = 127303824393.0 / 49829197408.0, -318862633887.0 / 49829197408.0, 701980252875.0 / 199316789632.0
_P51, _P52, _P53 = -282668133.0 / 205662961.0, 2019193451.0 / 616988883.0, -1453857185.0 / 822651844.0
_P61, _P62, _P63 = 40617522.0 / 29380423.0, -110615467.0 / 29380423.0, 69997945.0 / 29380423.0
# The steps are generated as lane code from the coefficients in .tableaus (codegen._steps).
JAC_EVERY = 64  # steps between refreshes of the Jacobian's diagonal (a W-method keeps its order with a stale one)
SWITCH_UP, SWITCH_DOWN, SWITCH_PATIENCE, SWITCH_BACKOFF = 0.9, 0.6, 10, 8  # method 2's choice, see _switch
_SL = S * LANES
_ACTIVE = _np.array(ACTIVE, dtype=_np.int64)


@numba.njit(cache=True, error_model='numpy')
def _diagonal_jacobian(w):
    """The diagonal of the Jacobian at the Y slot (f there in K1) by forward differences, one state at a time,
    capped at 0 (only decaying modes are treated implicitly): the W matrix of ROS34PW2 and the implicit part of
    the additive pair. A W-method keeps its order with any matrix; this one takes the stiffness of the model's
    fast turnovers (PGE2 7.3 /h, the adrenergic drive 4 /h, paracetamol absorption 3 /h, monocytes 2.6 /h: the
    largest eigenvalues along a run, each equal to its diagonal entry), and is refreshed every JAC_EVERY
    steps. K6 is the scratch for the increments."""
    for i in range(S):
        for l in range(LANES):
            q = i * LANES + l
            w[O_K6 + q] = 1e-7 * max(abs(w[O_Y + q]), 1e-6)
            w[O_Y + q] += w[O_K6 + q]
        rhs_lanes(w)
        for l in range(LANES):
            q = i * LANES + l
            w[O_Y + q] -= w[O_K6 + q]
            w[O_JD + q] = min(0.0, (w[O_DY + q] - w[O_K1 + q]) / w[O_K6 + q])


@numba.njit(cache=True, error_model='numpy')
def _stability_limits(w, hstab):
    """Per lane, the largest step the explicit tableau of ARK4(3)6L[2]SA takes stably for the fastest decay on
    the Jacobian's diagonal (in JD): its real stability interval over that rate."""
    for l in range(LANES):
        fastest = 1e-12
        for i in range(S):
            fastest = max(fastest, -w[O_JD + i * LANES + l])
        hstab[l] = _XSTAB / fastest


@numba.njit(cache=True, inline='always', error_model='numpy')
def _switch(w, l, hstab, wait, back, ims):
    """Lane ``l`` of method 2 chooses how to take its next step, from the step size its error control asks for
    (in H). Explicitly, until that step reaches SWITCH_UP of the stability limit, as when the explicit
    method is held back by a fast decay (PGE2) while nothing else moves; then with d y implicit, until the
    error control asks for less than SWITCH_DOWN of the limit, the implicit part's accuracy no longer paying
    (its stages are only second-order accurate for a fast component that is forced). A lane that comes back
    within SWITCH_PATIENCE steps waits SWITCH_BACKOFF steps before trying again, twice as long each time, so
    that it does not alternate while the forcing lasts."""
    accepted = w[O_ACC + l] != 0.0
    h = w[O_H + l]
    wait[l] -= 1
    if w[O_IMEX + l] == 0.0:
        if accepted and h >= SWITCH_UP * hstab[l] and wait[l] <= 0:
            w[O_IMEX + l] = 1.0
            ims[l] = 0
    else:
        if accepted:
            ims[l] += 1
        if h < SWITCH_DOWN * hstab[l]:
            w[O_IMEX + l] = 0.0
            if ims[l] < SWITCH_PATIENCE:
                wait[l] = back[l]
                back[l] = min(2 * back[l], 1 << 20)
            else:
                back[l] = SWITCH_BACKOFF


@numba.njit(cache=True, inline='always', error_model='numpy')
def _pending(w, l, due, t0, j, t_out, day_out, last_seg):
    """Whether lane ``l`` has an output to record now, with its time, day, index, and where it falls in the
    step (TH, EXACT): with ``due`` 0 (a segment's start) the lane's next output ``j[l]`` is due if it is at the
    segment's start ``t0`` and the lane runs; with ``due`` 1 (after a step) if the lane's accepted step passed
    it (before its end TN, or at it in the last segment). Without branches: taken or not, a lane's output is
    hard to predict."""
    nt = t_out.shape[0]
    jl = j[l]
    jc = min(jl, nt - 1)
    tj = t_out[jc]
    tn = w[O_TN + l]
    if due == 0:
        p = (jl < nt) & (w[O_ACT + l] != 0.0) & (tj == t0)
    else:
        p = (jl < nt) & (w[O_ACC + l] != 0.0) & ((tj < tn) | (last_seg & (tj == tn)))
        w[O_EXACT + l] = 1.0 if tj == tn else 0.0
        w[O_TH + l] = (tj - w[O_T + l]) / w[O_HS + l]
    w[O_TJ + l] = tj
    w[O_DT + l] = tj - t_out[max(jc - 1, 0)]
    w[O_DAYV + l] = day_out[jc]
    w[O_JIDX + l] = float(jc)
    w[O_PEND + l] = 1.0 if p else 0.0
    return p


@numba.njit(cache=True, error_model='numpy')
def _outputs(w, due, t0, hermite, j, t_out, day_out, last_seg, rows, stride, traj):
    """Every output time due in the group, in rounds of one output per lane: the observables at those times and
    their running summaries, all lanes at once (a lane without an output keeps its values), then trajectories
    for the members that keep them."""
    anyp = False
    for l in range(LANES):
        anyp |= _pending(w, l, due, t0, j, t_out, day_out, last_seg)
    while anyp:
        if hermite:
            output_hermite_lanes(w)
        else:
            output_dp5_lanes(w)
        anyp = False
        for l in range(LANES):
            p = w[O_PEND + l] != 0.0
            if rows[l] >= 0 and p and j[l] % stride == 0:
                for f in range(NF):
                    traj[rows[l], f, j[l] // stride] = w[O_O + f * LANES + l]
            j[l] += 1 if p else 0
            anyp |= _pending(w, l, due, t0, j, t_out, day_out, last_seg)


@numba.njit(cache=True, error_model='numpy')
def _load(w, Y, P, first):
    """States (rows of ``Y``, all states; the integrated ones are taken) and parameters (rows of ``P``) of the
    members ``first`` ... into the Y and P slots, one per lane; lanes past the last member repeat it."""
    n = Y.shape[0]
    for l in range(LANES):
        m = min(first + l, n - 1)
        for i in range(S):
            w[O_Y + i * LANES + l] = Y[m, _ACTIVE[i]]
        for i in range(NP):
            w[O_P + i * LANES + l] = P[m, i]


# The code generator writes what follows out once per integration method, the name METHOD replaced by 0, 1 or 2:
# each method compiles (on first use) to its own kernel without the other methods' steps, which keeps
# compilation short.
# ---- per method ----
@numba.njit(cache=True, error_model='numpy')
def _group_METHOD(g, y0, P, seg_t, jumps, U, t_out, rtol, atol, max_steps, day_out,
           traj_row, stride, traj, peak, peak_t, auc_out, days, last_ill, status, nrhs):
    """Integrate members ``g * LANES`` ... (the last group padded with copies of the last member)."""
    n = y0.shape[0]
    nseg = seg_t.shape[0] - 1
    nk = days.shape[1]
    hermite = METHOD != 0
    w = _np.zeros(NW)
    w[O_RTOL] = rtol
    w[O_ATOL] = atol
    w[O_MAXS] = max_steps
    w[O_EXPO] = -0.2 if METHOD == 0 else (-1.0 / 3.0 if METHOD == 1 else -0.25)  # -1 / (embedded order + 1)
    mem = _np.empty(LANES, dtype=_np.int64)
    rows = _np.empty(LANES, dtype=_np.int64)
    _load(w, y0, P, g * LANES)
    for q in range(_SL):
        w[O_YC + q] = w[O_Y + q]
    for l in range(LANES):
        m = min(g * LANES + l, n - 1)
        mem[l] = m
        rows[l] = traj_row[m] if g * LANES + l < n else -1
    j = _np.zeros(LANES, dtype=_np.int64)
    hstab = _np.zeros(LANES)  # method 2: the explicit tableau's stability limit on h, from the diagonal
    wait = _np.zeros(LANES, dtype=_np.int64)
    back = _np.zeros(LANES, dtype=_np.int64)
    ims = _np.zeros(LANES, dtype=_np.int64)
    for q in range(NSYM * LANES):
        w[O_SLAST + q] = -1.0  # no day counted yet
    for l in range(LANES):
        w[O_LILL + l] = -1.0  # never ill yet
    obs_lanes(w)  # the pre-challenge baseline
    peak_start_lanes(w)
    since_jac = 0  # steps since the Jacobian's diagonal was last computed
    for s in range(nseg):
        t0 = seg_t[s]
        tend = seg_t[s + 1]
        w[O_TEND] = tend
        last_seg = s == nseg - 1
        for l in range(LANES):
            m = mem[l]
            for i in range(S):
                w[O_YC + i * LANES + l] += jumps[m, s, _ACTIVE[i]]
            for i in range(NU):
                w[O_U + i * LANES + l] = U[m, s, i]
            w[O_ACT + l] = 1.0 if w[O_ST + l] == 0.0 else 0.0
            w[O_T + l] = t0
            w[O_H + l] = min(0.01, tend - t0)
            w[O_EXACT + l] = 1.0
        for q in range(_SL):
            w[O_Y + q] = w[O_YC + q]
            w[O_YN + q] = w[O_YC + q]  # outputs at the segment's start are its state (EXACT)
        _outputs(w, 0, t0, hermite, j, t_out, day_out, last_seg, rows, stride, traj)  # at the segment's start
        rhs_lanes(w)
        for q in range(_SL):
            w[O_K1 + q] = w[O_DY + q]
        for l in range(LANES):
            w[O_NFE + l] += 1.0
        if METHOD == 1 or (METHOD == 2 and s == 0):  # the W-method's W is fresh for each segment; the
            _diagonal_jacobian(w)                      # additive pair's split only needs refreshing now and then
            for l in range(LANES):
                w[O_NFE + l] += S
            if METHOD == 2:
                _stability_limits(w, hstab)
            since_jac = 0
        if METHOD == 2:
            for l in range(LANES):
                w[O_IMEX + l] = 0.0  # each segment (after a dose or a change of inputs) starts explicitly
                wait[l] = 0
                back[l] = SWITCH_BACKOFF
        while True:
            anya = False
            for l in range(LANES):
                anya = anya or w[O_ACT + l] != 0.0
            if not anya:
                break
            if METHOD >= 1 and since_jac == JAC_EVERY:
                for q in range(_SL):
                    w[O_Y + q] = w[O_YC + q]
                _diagonal_jacobian(w)
                for l in range(LANES):
                    w[O_NFE + l] += S if w[O_ACT + l] != 0.0 else 0
                if METHOD == 2:
                    _stability_limits(w, hstab)
                since_jac = 0
            since_jac += 1
            if METHOD == 0:
                _dp5_step(w)
            elif METHOD == 1:
                _w_step(w)
            else:
                anyi = False
                for l in range(LANES):
                    anyi = anyi or w[O_IMEX + l] == 1.0
                if anyi:
                    implicit_part_lanes(w)
                    _ark_step(w)
                else:
                    _erk_step(w)
                for l in range(LANES):
                    if w[O_HS + l] != 0.0:  # the lanes that were running
                        _switch(w, l, hstab, wait, back, ims)
            anyacc = False
            for l in range(LANES):
                anyacc = anyacc or w[O_ACC + l] != 0.0
            if anyacc:
                if hermite:  # cubic Hermite: (y1 - y0) / h in the K3 slot
                    hermite_prep_lanes(w)
                _outputs(w, 1, t0, hermite, j, t_out, day_out, last_seg, rows, stride, traj)  # passed by the steps
                accept_lanes(w)
    for l in range(LANES):
        m = g * LANES + l
        if m >= n:
            break
        st = int(w[O_ST + l])
        status[m] = st
        nrhs[m] = int(w[O_NFE + l])
        if st != 0:
            for f in range(NF):
                peak[m, f] = _np.nan
                peak_t[m, f] = _np.nan
                auc_out[m, f] = _np.nan
            for k in range(nk):
                days[m, k] = -1
            last_ill[m] = _np.nan
        else:
            for f in range(NF):
                peak[m, f] = w[O_PK + f * LANES + l]
                peak_t[m, f] = w[O_PKT + f * LANES + l]
                auc_out[m, f] = w[O_AUC + f * LANES + l]
            for k in range(nk):
                days[m, k] = int(w[O_SDAYS + k * LANES + l])
            last_ill[m] = w[O_LILL + l]


@numba.njit(cache=True, parallel=True)
def run_batch_METHOD(y0, P, seg_t, jumps, U, t_out, rtol, atol, max_steps, day_out,
                     traj_row, stride, traj, peak, peak_t, auc, days, last_ill, status, nrhs):
    """Integrate every member (rows of ``y0``, ``P``, ``jumps``, ``U``) with method METHOD and write its
    summaries."""
    n = y0.shape[0]
    for g in numba.prange((n + LANES - 1) // LANES):
        _group_METHOD(g, y0, P, seg_t, jumps, U, t_out, rtol, atol, max_steps, day_out,
               traj_row, stride, traj, peak, peak_t, auc, days, last_ill, status, nrhs)
# ---- end per method ----


def run_batch(method, *args):
    """Integrate every member with ``method`` (0 Dormand-Prince 5(4), 1 the Rosenbrock-W method ROS34PW2, 2 the
    additive pair ARK4(3)6L[2]SA, switching per lane): ``run_batch_<method>`` takes the arguments."""
    (run_batch_0, run_batch_1, run_batch_2)[method](*args)


@numba.njit(cache=True, error_model='numpy')
def rhs_block(Y, P, U, DY):
    """Rates for members as rows (``Y`` all states, ``P`` parameters, ``U`` inputs), into ``DY`` (0 for idle
    states, whose values in ``Y`` are not read): a check of the generated code against the model."""
    n = Y.shape[0]
    w = _np.zeros(NW)
    for g in range(0, n, LANES):
        _load(w, Y, P, g)
        for l in range(LANES):
            for i in range(NU):
                w[O_U + i * LANES + l] = U[min(g + l, n - 1), i]
        rhs_lanes(w)
        for l in range(min(LANES, n - g)):
            for i in range(S_ALL):
                DY[g + l, i] = 0.0  # an idle state's rate
            for i in range(S):
                DY[g + l, _ACTIVE[i]] = w[O_DY + i * LANES + l]


@numba.njit(cache=True, error_model='numpy')
def obs_block(Y, P, O):
    """Observables for members as rows, into ``O`` (see :func:`rhs_block`)."""
    n = Y.shape[0]
    w = _np.zeros(NW)
    for g in range(0, n, LANES):
        _load(w, Y, P, g)
        obs_lanes(w)
        for l in range(min(LANES, n - g)):
            for f in range(NF):
                O[g + l, f] = w[O_O + f * LANES + l]
