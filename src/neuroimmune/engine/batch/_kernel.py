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
an implicit one there.

``method`` 1 is the Rosenbrock method ROS34PW2 with the model's Jacobian (generated from the symbolic model,
evaluated every ROS_JAC_EVERY steps of a lane: a W-method keeps its order with a stale one) and a sparse LU
factorisation of I - h gamma J generated from its structure (:mod:`.sparse`), cubic Hermite output. After an
illness, when the explicit method is held at its stability limit, it takes steps of hours; the engine also uses
it for a member that runs out of explicit steps.

``method`` 2 is for long runs: each lane steps with Dormand-Prince while that is cheaper and with the Rosenbrock
method once its steps are longer (``_choose``). A group whose lanes use both takes both steps, each with the
other method's lanes sitting out (not running: they keep everything), so a lane's numbers do not depend on its
group.

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
# Steps between evaluations of the Jacobian for the Rosenbrock method: a W-method keeps its order with a stale one,
# and over three weeks of influenza one evaluation every 4 steps cost 12 % more steps than one every step, for a
# quarter of the evaluations (each about three right-hand sides).
ROS_JAC_EVERY = 4
# Method 2: the Rosenbrock steps' tolerance as a fraction of the run's (Dormand-Prince's), each method at the
# tolerance that keeps peaks within 1e-4 (engine.MATCHED_RTOL: 3e-5 and 1e-5), and the choice between them
# (see _choose).
ROS_RTOL_FACTOR = 1.0 / 3.0
TRY_FIRST, TRY_CAP, TRY_GAIN, TRY_JUDGE, TRY_PATIENCE = 16, 32, 1.2, 3, 10
_SL = S * LANES
# A loop over the lanes whose body is short is unrolled by LLVM when it knows the count, and the unrolled code is
# left scalar; with the count read from the work vector (O_NLANES, set to LANES) it is vectorised instead.
_ACTIVE = _np.array(ACTIVE, dtype=_np.int64)


@numba.njit(cache=True, inline='always', error_model='numpy')
def _choose(w, l, mode, wait, back, tried, hdp, nj, tros):
    """Lane ``l`` of method 2 chooses the method of its next step (``mode`` 0 Dormand-Prince, 1 the Rosenbrock
    method) after a step, from whether it was accepted (ACC) and the step size its error control asks for next
    (H). While an illness is forced, Dormand-Prince is cheaper: it is accurate at the steps that stability
    allows it, and a Rosenbrock step costs more (a Jacobian now and then, a factorisation, four solves). Once
    the fast components only follow slowly fading drives, the explicit method is held at its stability limit
    (the PGE2 turnover, 7.3 /h: steps of 0.45 h) while the Rosenbrock method's steps grow to hours. Neither the
    stability limit nor the end of the illness is known in advance, so the lane tries: after TRY_FIRST accepted
    Dormand-Prince steps it takes Rosenbrock steps from the same step size ``hdp``, and keeps them while, after
    TRY_JUDGE accepted ones, they are at least TRY_GAIN times that size; otherwise it goes back (at once after
    a rejected step below ``hdp``) and tries again after twice as many steps as last time (at most TRY_CAP), or
    after TRY_FIRST if it had kept them TRY_PATIENCE steps; ``tros`` keeps the time from which the lane has kept
    the Rosenbrock method. Lanes that try by themselves switch at different steps, and a group whose lanes use
    both methods takes both steps, so a cohort run does not try: one member does, in a pilot run, and the time
    from which it kept the Rosenbrock method becomes every member's switch time (``t_switch``)."""
    accepted = w[O_ACC + l] != 0.0
    h = w[O_H + l]
    if mode[l] == 0:
        if accepted:
            wait[l] -= 1
            if wait[l] <= 0:
                mode[l] = 1
                hdp[l] = h
                tried[l] = 0
                nj[l] = ROS_JAC_EVERY  # a Jacobian before the first Rosenbrock step
                tros[l] = w[O_T + l]
    else:
        if accepted:
            tried[l] += 1
        if (not accepted and h < hdp[l]) or (accepted and tried[l] >= TRY_JUDGE and h < TRY_GAIN * hdp[l]):
            mode[l] = 0
            back[l] = min(2 * back[l], TRY_CAP) if tried[l] < TRY_PATIENCE else TRY_FIRST
            wait[l] = back[l]
            tros[l] = _np.inf


@numba.njit(cache=True, error_model='numpy')
def _due(w, due, t0, last_seg, nt):
    """Which lanes have an output to record now (PEND), and where it falls in the step (TH, EXACT), in vector
    code from each lane's next output: its index J (nt once all are recorded) and time TJ. With ``due`` 0 (a
    segment's start) a lane's next output is due if it is at the segment's start ``t0`` and the lane runs; with
    ``due`` 1 (after a step) if the lane's accepted step passed it (before its end TN, or at it in the last
    segment). Returns whether any lane has one."""
    count = 0  # an integer sum, which LLVM vectorises (a floating-point maximum it would not, without fast-math)
    lanes = int(w[O_NLANES])  # LANES, read at run time (see O_NLANES)
    if due == 0:
        for l in range(lanes):
            p = (w[O_J + l] < nt) & (w[O_ACT + l] != 0.0) & (w[O_TJ + l] == t0)
            w[O_PEND + l] = 1.0 if p else 0.0
            count += 1 if p else 0
    else:
        for l in range(lanes):
            tj = w[O_TJ + l]
            tn = w[O_TN + l]
            p = (w[O_J + l] < nt) & (w[O_ACC + l] != 0.0) & ((tj < tn) | (last_seg & (tj == tn)))
            w[O_EXACT + l] = 1.0 if tj == tn else 0.0
            w[O_TH + l] = (tj - w[O_T + l]) / w[O_HS + l]
            w[O_PEND + l] = 1.0 if p else 0.0
            count += 1 if p else 0
    return count > 0


@numba.njit(cache=True, inline='always', error_model='numpy')
def _next_output(w, l, j, t_out, day_out):
    """Lane ``l``'s next output is ``j``: its index, time, the step from the output before it and its day."""
    nt = t_out.shape[0]
    jc = min(j, nt - 1)
    w[O_J + l] = float(j)
    w[O_JIDX + l] = float(jc)
    w[O_TJ + l] = t_out[jc]
    w[O_DT + l] = t_out[jc] - t_out[max(jc - 1, 0)]
    w[O_DAYV + l] = day_out[jc]


@numba.njit(cache=True, error_model='numpy')
def _outputs(w, due, t0, hermite, t_out, day_out, last_seg, rows, stride, traj, keep):
    """Every output time due in the group, in rounds of one output per lane: the observables at those times and
    their running summaries, all lanes at once (a lane without an output keeps its values), then trajectories
    for the members that keep them (``keep``: some lane does), and each lane that recorded one moves on to its
    next."""
    nt = float(t_out.shape[0])
    while _due(w, due, t0, last_seg, nt):
        if hermite:
            output_hermite_lanes(w)
        else:
            output_dp5_lanes(w)
        if keep:
            for l in range(LANES):
                j = int(w[O_J + l])
                if rows[l] >= 0 and w[O_PEND + l] != 0.0 and j % stride == 0:
                    for f in range(NF):
                        traj[rows[l], f, j // stride] = w[O_O + f * LANES + l]
        for l in range(int(w[O_NLANES])):
            _next_output(w, l, int(w[O_J + l]) + (1 if w[O_PEND + l] != 0.0 else 0), t_out, day_out)


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


@numba.njit(cache=True, error_model='numpy')
def _after_step(w, hermite, t0, t_out, day_out, last_seg, rows, stride, traj, keep):
    """After a step: the outputs it passed (dense output of Dormand-Prince, or cubic Hermite with (y1 - y0) / h
    in the K3 slot), then the accepted lanes move on."""
    anyacc = False
    for l in range(LANES):
        anyacc = anyacc or w[O_ACC + l] != 0.0
    if anyacc:
        if hermite:
            hermite_prep_lanes(w)
        _outputs(w, 1, t0, hermite, t_out, day_out, last_seg, rows, stride, traj, keep)
        accept_lanes(w)


@numba.njit(cache=True, error_model='numpy')
def _jacobians(w, nj, sels):
    """The Jacobian at the current state for the lanes stepping with the Rosenbrock method now (``sels`` 2) that
    have taken ROS_JAC_EVERY Rosenbrock steps
    since their last one (or are about to take their first: ``nj`` set to ROS_JAC_EVERY); the other lanes keep
    theirs (JDUE 0), so that when a lane's Jacobian is renewed depends only on its own steps."""
    due = False
    for l in range(LANES):
        d = sels[l] == 2 and nj[l] >= ROS_JAC_EVERY
        w[O_JDUE + l] = 1.0 if d else 0.0
        if d:
            nj[l] = 0
        due |= d
    if due:
        for q in range(_SL):
            w[O_Y + q] = w[O_YC + q]
        jac_lanes(w)
    for l in range(LANES):
        if sels[l] == 2:
            nj[l] += 1


# The code generator writes what follows out once per integration method, the name METHOD replaced by 0, 1 or 2:
# each method compiles (on first use) to its own kernel without the other methods' steps, which keeps
# compilation short.
# ---- per method ----
@numba.njit(cache=True, error_model='numpy')
def _group_METHOD(g, y0, P, seg_t, jumps, U, t_out, rtol, atol, max_steps, day_out,
           traj_row, stride, traj, peak, peak_t, auc_out, days, last_ill, status, nrhs, t_switch, t_ros):
    """Integrate members ``g * LANES`` ... (the last group padded with copies of the last member).

    Method 2: with ``t_switch`` a time, every lane steps with Dormand-Prince before it and with the Rosenbrock
    method from it on (the same time for every member of a run, so that the lanes of a group switch together);
    with ``t_switch`` NaN, each lane tries the Rosenbrock method by itself (``_choose``), and ``t_ros`` gets the
    time from which it kept it to the end (inf if it did not): a pilot run of one member chooses ``t_switch``
    for the others (``engine.Compiled``)."""
    n = y0.shape[0]
    tries = t_switch != t_switch  # NaN
    nseg = seg_t.shape[0] - 1
    nk = days.shape[1]
    hermite = METHOD != 0
    wbuf = _np.zeros(NW)  # kept alive to the end (below); the functions get a view without reference counts
    w = borrow(wbuf)
    t_out = borrow(t_out)
    day_out = borrow(day_out)
    traj = borrow(traj)
    w[O_NLANES] = LANES
    w[O_RTOL] = rtol
    w[O_ATOL] = atol
    w[O_MAXS] = max_steps
    w[O_EXPO] = -1.0 / 3.0 if METHOD == 1 else -0.2  # -1 / (embedded order + 1)
    mem = _np.empty(LANES, dtype=_np.int64)
    rowsbuf = _np.empty(LANES, dtype=_np.int64)
    rows = borrow(rowsbuf)
    _load(w, y0, P, g * LANES)
    for q in range(_SL):
        w[O_YC + q] = w[O_Y + q]
    for l in range(LANES):
        m = min(g * LANES + l, n - 1)
        mem[l] = m
        rows[l] = traj_row[m] if g * LANES + l < n else -1
    keep = False
    for l in range(LANES):
        _next_output(w, l, 0, t_out, day_out)
        keep |= rows[l] >= 0
    # per-lane integers (method 2: each lane's method, 0 Dormand-Prince or 1 Rosenbrock, its tries and the
    # Rosenbrock steps since its last Jacobian) and values, as views without reference counts
    ibuf = _np.zeros((6, LANES), dtype=_np.int64)
    fbuf = _np.zeros((3, LANES))
    mode = borrow(ibuf[0])
    wait = borrow(ibuf[1])
    back = borrow(ibuf[2])
    tried = borrow(ibuf[3])
    nj = borrow(ibuf[4])
    sels = borrow(ibuf[5])  # per lane: 1 the lane steps with Dormand-Prince now, 2 with the Rosenbrock method
    hdp = borrow(fbuf[0])
    run = borrow(fbuf[1])
    tros = borrow(fbuf[2])  # method 2, trying: the time from which each lane has kept the Rosenbrock method
    for l in range(LANES):
        tros[l] = _np.inf
    for q in range(NSYM * LANES):
        w[O_SLAST + q] = -1.0  # no day counted yet
    for l in range(LANES):
        w[O_LILL + l] = -1.0  # never ill yet
    obs_lanes(w)  # the pre-challenge baseline
    peak_start_lanes(w)
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
        _outputs(w, 0, t0, hermite, t_out, day_out, last_seg, rows, stride, traj, keep)  # at the segment's start
        rhs_lanes(w)
        for q in range(_SL):
            w[O_K1 + q] = w[O_DY + q]
        for l in range(LANES):
            w[O_NFE + l] += 1.0
        for l in range(LANES):
            nj[l] = ROS_JAC_EVERY  # a fresh Jacobian for each segment's first Rosenbrock step
            # method 2, trying: each segment (after a dose or a change of inputs) starts with Dormand-Prince
            mode[l] = 0 if tries or t0 < t_switch else 1
            wait[l] = TRY_FIRST
            back[l] = TRY_FIRST
            tros[l] = _np.inf if tries else tros[l]
        while True:
            anya = False
            for l in range(LANES):
                anya = anya or w[O_ACT + l] != 0.0
            if not anya:
                break
            if METHOD == 0:
                _dp5_step(w)
                _after_step(w, False, t0, t_out, day_out, last_seg, rows, stride, traj, keep)
            elif METHOD == 1:
                for l in range(LANES):
                    sels[l] = 2 if w[O_ACT + l] != 0.0 else 0
                _jacobians(w, nj, sels)
                _w_step(w)
                _after_step(w, True, t0, t_out, day_out, last_seg, rows, stride, traj, keep)
            else:  # each lane steps with its own method; the lanes of the other method sit out (not running)
                any0 = False
                any1 = False
                for l in range(LANES):
                    if not tries and mode[l] == 0 and w[O_T + l] >= t_switch:
                        mode[l] = 1  # from t_switch on, with a fresh Jacobian
                        nj[l] = ROS_JAC_EVERY
                    run[l] = w[O_ACT + l]
                    sels[l] = 0 if run[l] == 0.0 else 1 + mode[l]
                    any0 |= sels[l] == 1
                    any1 |= sels[l] == 2
                if any0:
                    for l in range(LANES):
                        w[O_ACT + l] = run[l] if sels[l] == 1 else 0.0
                    w[O_RTOL] = rtol
                    w[O_EXPO] = -0.2
                    _dp5_step(w)
                    _after_step(w, False, t0, t_out, day_out, last_seg, rows, stride, traj, keep)
                    for l in range(LANES):
                        if sels[l] == 1:
                            run[l] = w[O_ACT + l]
                            if tries:
                                _choose(w, l, mode, wait, back, tried, hdp, nj, tros)
                if any1:
                    for l in range(LANES):
                        w[O_ACT + l] = run[l] if sels[l] == 2 else 0.0
                    _jacobians(w, nj, sels)
                    w[O_RTOL] = rtol * ROS_RTOL_FACTOR
                    w[O_EXPO] = -1.0 / 3.0
                    _w_step(w)
                    _after_step(w, True, t0, t_out, day_out, last_seg, rows, stride, traj, keep)
                    for l in range(LANES):
                        if sels[l] == 2:
                            run[l] = w[O_ACT + l]
                            if tries:
                                _choose(w, l, mode, wait, back, tried, hdp, nj, tros)
                for l in range(LANES):
                    w[O_ACT + l] = run[l]
    for l in range(LANES):
        m = g * LANES + l
        if m >= n:
            break
        st = int(w[O_ST + l])
        status[m] = st
        nrhs[m] = int(w[O_NFE + l])
        t_ros[m] = tros[l] if METHOD == 2 and tries else _np.nan
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
                src = OBS_FROM[f]  # a shared or constant observable's summaries (codegen._sources)
                if src >= 0:
                    peak[m, f] = w[O_PK + src * LANES + l]
                    peak_t[m, f] = w[O_PKT + src * LANES + l]
                    auc_out[m, f] = w[O_AUC + src * LANES + l]
                else:
                    peak[m, f] = OBS_CONST[f]
                    peak_t[m, f] = t_out[0]
                    auc_out[m, f] = 0.0
            for k in range(nk):
                days[m, k] = int(w[O_SDAYS + k * LANES + l])
            last_ill[m] = w[O_LILL + l]
    wbuf[0] = rowsbuf[0] + ibuf[0, 0] + fbuf[0, 0]  # the arrays behind the views live to here


@numba.njit(cache=True, parallel=True)
def run_batch_METHOD(y0, P, seg_t, jumps, U, t_out, rtol, atol, max_steps, day_out,
                     traj_row, stride, traj, peak, peak_t, auc, days, last_ill, status, nrhs, t_switch, t_ros):
    """Integrate every member (rows of ``y0``, ``P``, ``jumps``, ``U``) with method METHOD and write its
    summaries (method 2: see ``_group_2`` for ``t_switch`` and ``t_ros``)."""
    n = y0.shape[0]
    for g in numba.prange((n + LANES - 1) // LANES):
        _group_METHOD(g, y0, P, seg_t, jumps, U, t_out, rtol, atol, max_steps, day_out,
               traj_row, stride, traj, peak, peak_t, auc, days, last_ill, status, nrhs, t_switch, t_ros)
# ---- end per method ----


def run_batch(method, *args):
    """Integrate every member with ``method`` (0 Dormand-Prince 5(4), 1 the Rosenbrock method ROS34PW2, 2 each
    lane with the one that is cheaper for it now): ``run_batch_<method>`` takes the arguments."""
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


@numba.njit(cache=True, error_model='numpy')
def jac_block(Y, P, U, J):
    """The Jacobian's structural nonzeros (at JAC_CELLS, positions among the integrated states) for members as
    rows, into ``J`` (see :func:`rhs_block`): a check of the generated derivatives against the model."""
    n = Y.shape[0]
    w = _np.zeros(NW)
    for g in range(0, n, LANES):
        _load(w, Y, P, g)
        for l in range(LANES):
            w[O_JDUE + l] = 1.0
            for i in range(NU):
                w[O_U + i * LANES + l] = U[min(g + l, n - 1), i]
        jac_lanes(w)
        for l in range(min(LANES, n - g)):
            for k in range(J.shape[1]):
                J[g + l, k] = w[O_JAC + k * LANES + l]
