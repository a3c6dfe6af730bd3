"""The batched integrator: a template appended to the generated ``rhs_lanes`` and ``obs_lanes`` (see
:mod:`.codegen`).

This file is read as text, not imported. Members are integrated in groups of ``LANES``, one per SIMD lane, in
lock step: every lane takes its own trial step (its own step size, error estimate and accept/reject, with the
explicit Dormand-Prince 5(4) pair, FSAL), but all lanes evaluate the right-hand side together, so the
arithmetic runs in vector instructions. A lane that has reached the end of the current segment (or failed)
keeps computing a zero-length step whose result is discarded, until the whole group has reached it. Output
times passed by a step are recorded from the fourth-order continuous extension, again all lanes together.

The model is only mildly stiff (largest Jacobian eigenvalue about 7 /h along the default 48 h run, the PGE2
turnover; see ``benchmarks/README.md``), so an explicit method with step-size control is cheaper per member
than an implicit one over the illness. ``method`` 1 is the Rosenbrock-W method ROS34PW2 with the Jacobian's
diagonal as W (cubic Hermite output): the engine uses it for a member that runs out of explicit steps.

``method`` 2 is for long runs, where after the illness the explicit method is held back by stability alone:
the additive pair ARK4(3)6L[2]SA with the decays on the Jacobian's diagonal (d y) as its implicit part, so a
stage is a division rather than a linear solve. Each lane steps explicitly (d = 0) until its error control asks
for steps near the explicit stability limit, then with d y implicit until the steps that accuracy allows fall
well below that limit (``_switch``); a group whose lanes all step explicitly takes the cheaper explicit step,
which gives the same numbers to the last bit. Cubic Hermite output, as for method 1.

Every lane runs the same arithmetic in the same order whatever lane, group, chunk or worker its member lands
in (the operations are lane-wise, with no sums across lanes), so results are bit-for-bit identical across
chunkings and schedulers. No fast-math flags: with fused multiply-add a fresh compile and numba's cached
kernel differed in the last bit.

Status codes: 0 ok, 1 step limit reached, 2 non-finite state, 3 step size underflow.
"""
# ruff: noqa: F821, E741 (names come from the generated code around it; l is the lane)
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
# The coefficients of every method (_DA.., _WG.., _XA.. and so on) are written above from .tableaus; the
# Runge-Kutta steps _dp5_step, _ark_step and _erk_step are generated from them below (codegen._rk_steps).
JAC_EVERY = 64  # steps between refreshes of the W matrix (a W-method keeps its order with a stale one)
SWITCH_UP, SWITCH_DOWN, SWITCH_PATIENCE, SWITCH_BACKOFF = 0.9, 0.6, 10, 8  # method 2's choice, see _switch
_SL = S * LANES
_G3, _G4, _G5 = O_YN, O_K7, O_ERR  # d Y_3..d Y_5 of the additive method, in slots free during its stages
_ACTIVE = _np.array(ACTIVE, dtype=_np.int64)


@numba.njit(cache=True, inline='always', error_model='numpy')
def _rates(w, k):
    """Right-hand side at the Y slot, into stage slot ``k``."""
    rhs_lanes(w)
    for q in range(_SL):
        w[k + q] = w[O_DY + q]


@numba.njit(cache=True, inline='always', error_model='numpy')
def _error(w, rtol, atol, q, e):
    """Squared scaled error of entry ``q`` into the ERR slot."""
    r = e / (atol + rtol * max(abs(w[O_YC + q]), abs(w[O_YN + q])))
    w[O_ERR + q] = r * r


@numba.njit(cache=True, inline='always', error_model='numpy')
def _w_step(w, rtol, atol):
    """One ROS34PW2 step of size HQ from YC (f(YC) in K1, the Jacobian's diagonal in JD): the increments
    k_1..k_4 in K2..K5, with (1 - h gamma d) k_i = h f(Y_i) + h d sum_j gamma_ij k_j; YN; f(YN) in K7;
    errors in ERR."""
    for q in range(_SL):
        w[O_K6 + q] = 1.0 / (1.0 - w[O_HQ + q] * _WG * w[O_JD + q])
        w[O_K2 + q] = w[O_HQ + q] * w[O_K1 + q] * w[O_K6 + q]
        w[O_Y + q] = w[O_YC + q] + _WA21 * w[O_K2 + q]
    rhs_lanes(w)
    for q in range(_SL):
        w[O_K3 + q] = w[O_HQ + q] * (w[O_DY + q] + w[O_JD + q] * (_WG21 * w[O_K2 + q])) * w[O_K6 + q]
        w[O_Y + q] = w[O_YC + q] + _WA31 * w[O_K2 + q] + _WA32 * w[O_K3 + q]
    rhs_lanes(w)
    for q in range(_SL):
        w[O_K4 + q] = w[O_HQ + q] * (w[O_DY + q] + w[O_JD + q] * (_WG31 * w[O_K2 + q] + _WG32 * w[O_K3 + q])) \
            * w[O_K6 + q]
        w[O_Y + q] = w[O_YC + q] + w[O_K4 + q]  # a41 = a42 = 0, a43 = 1
    rhs_lanes(w)
    for q in range(_SL):
        w[O_K5 + q] = w[O_HQ + q] * (w[O_DY + q] + w[O_JD + q] * (
            _WG41 * w[O_K2 + q] + _WG42 * w[O_K3 + q] + _WG43 * w[O_K4 + q])) * w[O_K6 + q]
        w[O_YN + q] = w[O_YC + q] + (_WM1 * w[O_K2 + q] + _WM2 * w[O_K3 + q] + _WM3 * w[O_K4 + q]
                                     + _WM4 * w[O_K5 + q])
        w[O_Y + q] = w[O_YN + q]
    _rates(w, O_K7)
    for q in range(_SL):
        _error(w, rtol, atol, q, (_WM1 - _WE1) * w[O_K2 + q] + (_WM2 - _WE2) * w[O_K3 + q]
               + (_WM3 - _WE3) * w[O_K4 + q] + (_WM4 - _WE4) * w[O_K5 + q])


@numba.njit(cache=True, error_model='numpy')
def _diagonal_jacobian(w):
    """The diagonal of the Jacobian at the Y slot (f there in K1) by forward differences, one state at a time,
    capped at 0 (only decaying modes are treated implicitly): the W matrix of ROS34PW2. A W-method keeps its
    order with any matrix; this one takes the stiffness of the model's fast turnovers (PGE2 7.3 /h, the
    adrenergic drive 4 /h, paracetamol absorption 3 /h, monocytes 2.6 /h: the largest eigenvalues along a run,
    each equal to its diagonal entry), and is refreshed every JAC_EVERY steps."""
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


@numba.njit(cache=True, inline='always', error_model='numpy')
def _dp5_weights(w, th):
    """Weights of the Dormand-Prince continuous extension at each lane's th (K1, K3, K4, K5, K6, K7)."""
    for l in range(LANES):
        x = th[l]
        w[O_B + l] = x * (_P00 + x * (_P01 + x * (_P02 + x * _P03)))
        w[O_B + LANES + l] = x * x * (_P21 + x * (_P22 + x * _P23))
        w[O_B + 2 * LANES + l] = x * x * (_P31 + x * (_P32 + x * _P33))
        w[O_B + 3 * LANES + l] = x * x * (_P41 + x * (_P42 + x * _P43))
        w[O_B + 4 * LANES + l] = x * x * (_P51 + x * (_P52 + x * _P53))
        w[O_B + 5 * LANES + l] = x * x * (_P61 + x * (_P62 + x * _P63))


@numba.njit(cache=True, inline='always', error_model='numpy')
def _hermite_weights(w, th):
    """Cubic Hermite interpolation for the W-method: y = y0 + h (th (th - 1)^2 f0 + th^2 (3 - 2 th) (y1 - y0) / h
    + th^2 (th - 1) f1), with f0 in K1, (y1 - y0) / h in K3 and f1 in K7 (third order, as the method)."""
    for l in range(LANES):
        x = th[l]
        w[O_B + l] = x * (x - 1.0) * (x - 1.0)
        w[O_B + LANES + l] = x * x * (3.0 - 2.0 * x)
        w[O_B + 2 * LANES + l] = 0.0
        w[O_B + 3 * LANES + l] = 0.0
        w[O_B + 4 * LANES + l] = 0.0
        w[O_B + 5 * LANES + l] = x * x * (x - 1.0)


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
def _switch(l, accepted, h, hstab, imex, wait, back, ims):
    """Lane ``l`` of method 2 chooses how to take its next step, from the step size its error control asks for
    (in ``h``). Explicitly, until that step reaches SWITCH_UP of the stability limit, as when the explicit
    method is held back by a fast decay (PGE2) while nothing else moves; then with d y implicit, until the
    error control asks for less than SWITCH_DOWN of the limit, the implicit part's accuracy no longer paying
    (its stages are only second-order accurate for a fast component that is forced). A lane that comes back
    within SWITCH_PATIENCE steps waits SWITCH_BACKOFF steps before trying again, twice as long each time, so
    that it does not alternate while the forcing lasts."""
    wait[l] -= 1
    if imex[l] == 0.0:
        if accepted and h[l] >= SWITCH_UP * hstab[l] and wait[l] <= 0:
            imex[l] = 1.0
            ims[l] = 0
    else:
        if accepted:
            ims[l] += 1
        if h[l] < SWITCH_DOWN * hstab[l]:
            imex[l] = 0.0
            if ims[l] < SWITCH_PATIENCE:
                wait[l] = back[l]
                back[l] = min(2 * back[l], 1 << 20)
            else:
                back[l] = SWITCH_BACKOFF


@numba.njit(cache=True, error_model='numpy')
def _record(w, pend, j, t_out, day_out, rows, stride, traj):
    """Observables at the Y slot, recorded as output ``j[l]`` for each lane with ``pend[l]``: the running peak
    (of each observable's kind), its time, the trapezoid area and the symptom days (``day_out``: the day of each
    output time), branch-free over lanes (a lane without an output keeps its values), then trajectories lane by
    lane."""
    obs_lanes(w)
    for l in range(LANES):
        jl = j[l]
        w[O_PEND + l] = 1.0 if pend[l] else 0.0
        w[O_TJ + l] = t_out[jl] if pend[l] else 0.0
        w[O_DT + l] = t_out[jl] - t_out[jl - 1] if pend[l] and jl > 0 else 0.0
        w[O_DAYV + l] = day_out[jl] if pend[l] else -1.0
        w[O_JIDX + l] = float(jl)
    record_lanes(w)
    for l in range(LANES):
        if pend[l]:
            jl = j[l]
            if rows[l] >= 0 and jl % stride == 0:
                for f in range(NF):
                    traj[rows[l], f, jl // stride] = w[O_O + f * LANES + l]
            j[l] = jl + 1


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
    nt = t_out.shape[0]
    nk = days.shape[1]
    expo = -0.2 if METHOD == 0 else (-1.0 / 3.0 if METHOD == 1 else -0.25)  # -1 / (embedded order + 1)
    w = _np.zeros(NW)
    mem = _np.empty(LANES, dtype=_np.int64)
    rows = _np.empty(LANES, dtype=_np.int64)
    _load(w, y0, P, g * LANES)
    for q in range(_SL):
        w[O_YC + q] = w[O_Y + q]
    for l in range(LANES):
        m = min(g * LANES + l, n - 1)
        mem[l] = m
        rows[l] = traj_row[m] if g * LANES + l < n else -1
    t = _np.zeros(LANES)
    h = _np.zeros(LANES)
    hs = _np.zeros(LANES)
    tn = _np.zeros(LANES)
    th = _np.zeros(LANES)
    err = _np.zeros(LANES)
    final = _np.zeros(LANES, dtype=_np.bool_)
    act = _np.zeros(LANES, dtype=_np.bool_)
    acc = _np.zeros(LANES, dtype=_np.bool_)
    pend = _np.zeros(LANES, dtype=_np.bool_)
    exact = _np.zeros(LANES, dtype=_np.bool_)
    st = _np.zeros(LANES, dtype=_np.int64)
    steps = _np.zeros(LANES, dtype=_np.int64)
    nf = _np.zeros(LANES, dtype=_np.int64)
    j = _np.zeros(LANES, dtype=_np.int64)
    imex = _np.zeros(LANES)  # method 2: 1.0 while the lane treats d y implicitly
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
        last_seg = s == nseg - 1
        for l in range(LANES):
            m = mem[l]
            for i in range(S):
                w[O_YC + i * LANES + l] += jumps[m, s, _ACTIVE[i]]
            for i in range(NU):
                w[O_U + i * LANES + l] = U[m, s, i]
            t[l] = t0
            act[l] = st[l] == 0
            h[l] = min(0.01, tend - t0)
        for q in range(_SL):
            w[O_Y + q] = w[O_YC + q]
        while True:  # outputs at the segment's start (every running lane is at the same output index)
            anyp = False
            for l in range(LANES):
                pend[l] = act[l] and j[l] < nt and t_out[j[l]] == t0
                anyp = anyp or pend[l]
            if not anyp:
                break
            _record(w, pend, j, t_out, day_out, rows, stride, traj)
        _rates(w, O_K1)
        for l in range(LANES):
            nf[l] += 1
        if METHOD == 1 or (METHOD == 2 and s == 0):  # the W-method's W is fresh for each segment; the
            _diagonal_jacobian(w)                      # additive pair's split only needs refreshing now and then
            for l in range(LANES):
                nf[l] += S
            if METHOD == 2:
                _stability_limits(w, hstab)
            since_jac = 0
        if METHOD == 2:
            for l in range(LANES):
                imex[l] = 0.0  # each segment (after a dose or a change of inputs) starts explicitly, at h 0.01
                wait[l] = 0
                back[l] = SWITCH_BACKOFF
        while True:
            anya = False
            for l in range(LANES):
                if act[l]:
                    anya = True
                    final[l] = t[l] + h[l] >= tend or t[l] + 1.01 * h[l] >= tend
                    if final[l]:
                        h[l] = tend - t[l]
                    hs[l] = h[l]
                else:
                    hs[l] = 0.0  # a finished or failed lane takes a zero step, discarded
            if not anya:
                break
            if METHOD >= 1 and since_jac == JAC_EVERY:
                for q in range(_SL):
                    w[O_Y + q] = w[O_YC + q]
                _diagonal_jacobian(w)
                for l in range(LANES):
                    nf[l] += S if act[l] else 0
                if METHOD == 2:
                    _stability_limits(w, hstab)
                since_jac = 0
            since_jac += 1
            for i in range(S):
                for l in range(LANES):
                    w[O_HQ + i * LANES + l] = hs[l]
            if METHOD == 0:
                _dp5_step(w, rtol, atol)
            elif METHOD == 1:
                _w_step(w, rtol, atol)
            else:
                anyi = False
                for l in range(LANES):
                    anyi = anyi or imex[l] == 1.0
                if anyi:
                    for i in range(S):
                        for l in range(LANES):
                            w[O_JE + i * LANES + l] = w[O_JD + i * LANES + l] * imex[l]
                    _ark_step(w, rtol, atol)
                else:
                    _erk_step(w, rtol, atol)
            for l in range(LANES):
                err[l] = 0.0
            for i in range(S):
                for l in range(LANES):
                    err[l] += w[O_ERR + i * LANES + l]
            for l in range(LANES):
                acc[l] = False
                if not act[l]:
                    continue
                nf[l] += 4 if METHOD == 1 else 6
                steps[l] += 1
                el = (err[l] / S_ALL) ** 0.5  # RMS over all states: an idle state's error is exactly 0
                if not el == el or not abs(el) < _np.inf:
                    st[l] = 2
                    act[l] = False
                    continue
                if el <= 1.0:
                    acc[l] = True
                    tn[l] = tend if final[l] else t[l] + h[l]
                    fac = 10.0 if el == 0.0 else min(10.0, max(0.2, 0.9 * el ** expo))
                else:
                    fac = min(1.0, max(0.2, 0.9 * el ** expo))
                h[l] = h[l] * fac
                if METHOD == 2:
                    _switch(l, acc[l], h, hstab, imex, wait, back, ims)
                if steps[l] >= max_steps:
                    st[l] = 1
                    act[l] = False
                elif not (acc[l] and final[l]) and h[l] < 1e-12 * max(1.0, abs(tn[l] if acc[l] else t[l])):
                    st[l] = 3
                    act[l] = False
            first_round = True
            while True:  # outputs passed by the accepted steps, one per lane at a time
                anyp = False
                for l in range(LANES):
                    p = False
                    if acc[l] and j[l] < nt:
                        tj = t_out[j[l]]
                        p = tj < tn[l] or (last_seg and tj == tn[l])
                        exact[l] = tj == tn[l]
                        th[l] = (tj - t[l]) / hs[l]
                    pend[l] = p
                    anyp = anyp or p
                if not anyp:
                    break
                if METHOD == 0:
                    _dp5_weights(w, th)
                else:
                    if first_round:  # cubic Hermite: (y1 - y0) / h in the K3 slot
                        for q in range(_SL):
                            w[O_K3 + q] = (w[O_YN + q] - w[O_YC + q]) / w[O_HQ + q]
                    _hermite_weights(w, th)
                first_round = False
                for l in range(LANES):
                    w[O_B + 6 * LANES + l] = 1.0 if exact[l] else 0.0
                interp_lanes(w)  # the states that the observables read
                _record(w, pend, j, t_out, day_out, rows, stride, traj)
            for i in range(S):
                for l in range(LANES):
                    q = i * LANES + l
                    if acc[l]:
                        w[O_YC + q] = w[O_YN + q]
                        w[O_K1 + q] = w[O_K7 + q]
            for l in range(LANES):
                if acc[l]:
                    t[l] = tn[l]
                    if final[l]:
                        act[l] = False
    for l in range(LANES):
        m = g * LANES + l
        if m >= n:
            break
        status[m] = st[l]
        nrhs[m] = nf[l]
        if st[l] != 0:
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
