"""The batched integrator: a template appended to the generated ``rhs`` and ``obs`` (see :mod:`.codegen`).

This file is read as text, not imported. Each member is integrated on its own with the explicit Dormand-Prince
5(4) pair (adaptive steps, error per member, FSAL) and its fourth-order continuous extension for the output
grid. The model is only mildly stiff (largest Jacobian eigenvalue about 9 /h along the default 48 h run, see
``benchmarks/README.md``), so an explicit method with step-size control is cheaper per member than an implicit
one, and a member whose stiffness grows beyond that is caught by the step limit and reported by status.

Members are independent and every member runs the same arithmetic in the same order whatever block, chunk or
worker it lands in, so results are bit-for-bit identical across chunkings and schedulers.

Status codes: 0 ok, 1 step limit reached, 2 non-finite state, 3 step size underflow.
"""
# ruff: noqa: F821
# ---- template ----
import numba
import numpy as _np

_A21 = 1.0 / 5.0
_A31, _A32 = 3.0 / 40.0, 9.0 / 40.0
_A41, _A42, _A43 = 44.0 / 45.0, -56.0 / 15.0, 32.0 / 9.0
_A51, _A52, _A53, _A54 = 19372.0 / 6561.0, -25360.0 / 2187.0, 64448.0 / 6561.0, -212.0 / 729.0
_A61, _A62, _A63, _A64, _A65 = 9017.0 / 3168.0, -355.0 / 33.0, 46732.0 / 5247.0, 49.0 / 176.0, -5103.0 / 18656.0
_B1, _B3, _B4, _B5, _B6 = 35.0 / 384.0, 500.0 / 1113.0, 125.0 / 192.0, -2187.0 / 6784.0, 11.0 / 84.0
_E1, _E3, _E4 = 71.0 / 57600.0, -71.0 / 16695.0, 71.0 / 1920.0
_E5, _E6, _E7 = -17253.0 / 339200.0, 22.0 / 525.0, -1.0 / 40.0
# Continuous extension (Shampine 1986): y(t + th) = y + h sum_i k_i (P_i1 th + P_i2 th^2 + P_i3 th^3 + P_i4 th^4)
_P = _np.array([
    [1.0, -8048581381.0 / 2820520608.0, 8663915743.0 / 2820520608.0, -12715105075.0 / 11282082432.0],
    [0.0, 0.0, 0.0, 0.0],
    [0.0, 131558114200.0 / 32700410799.0, -68118460800.0 / 10900136933.0, 87487479700.0 / 32700410799.0],
    [0.0, -1754552775.0 / 470086768.0, 14199869525.0 / 1410260304.0, -10690763975.0 / 1880347072.0],
    [0.0, 127303824393.0 / 49829197408.0, -318862633887.0 / 49829197408.0, 701980252875.0 / 199316789632.0],
    [0.0, -282668133.0 / 205662961.0, 2019193451.0 / 616988883.0, -1453857185.0 / 822651844.0],
    [0.0, 40617522.0 / 29380423.0, -110615467.0 / 29380423.0, 69997945.0 / 29380423.0],
])


@numba.njit(cache=True, inline='always')
def _record(j, yv, pm, o, base, dev_best, peak, peak_t, auc, prev, t_out, day_obs, day_thr, day_len, dayflag,
            last_t, m, row, stride, traj):
    obs(yv, pm, o)
    tj = t_out[j]
    for f in range(o.shape[0]):
        dev = o[f] - base[f]
        if abs(dev) > dev_best[f]:
            dev_best[f] = abs(dev)
            peak[m, f] = o[f]
            peak_t[m, f] = tj
        if j > 0:
            auc[m, f] += 0.5 * (dev + prev[f]) * (tj - t_out[j - 1])
        prev[f] = dev
    for k in range(day_obs.shape[0]):
        if o[day_obs[k]] >= day_thr[k]:
            dayflag[k, int(tj // day_len)] = True
            last_t[m, k] = tj
    if row >= 0 and j % stride == 0:
        for f in range(o.shape[0]):
            traj[row, f, j // stride] = o[f]


@numba.njit(cache=True, parallel=True)
def run_batch(y0, P, seg_t, jumps, U, t_out, rtol, atol, max_steps, day_obs, day_thr, day_len, n_days,
              traj_row, stride, traj, peak, peak_t, auc, days, last_t, status, nrhs):
    n, S = y0.shape
    nF = peak.shape[1]
    nseg = seg_t.shape[0] - 1
    nt = t_out.shape[0]
    block = 64
    nblocks = (n + block - 1) // block
    for b in numba.prange(nblocks):
        y = _np.empty(S)
        yn = _np.empty(S)
        yd = _np.empty(S)
        q4 = _np.empty((S, 4))
        tmp = _np.empty(S)
        k1 = _np.empty(S)
        k2 = _np.empty(S)
        k3 = _np.empty(S)
        k4 = _np.empty(S)
        k5 = _np.empty(S)
        k6 = _np.empty(S)
        k7 = _np.empty(S)
        o = _np.empty(nF)
        base = _np.empty(nF)
        prev = _np.empty(nF)
        dev_best = _np.empty(nF)
        dayflag = _np.zeros((day_obs.shape[0], n_days), dtype=_np.bool_)
        for m in range(b * block, min(n, (b + 1) * block)):
            pm = P[m]
            row = traj_row[m]
            for i in range(S):
                y[i] = y0[m, i]
            obs(y, pm, base)
            for f in range(nF):
                dev_best[f] = 0.0
                peak[m, f] = base[f]
                peak_t[m, f] = 0.0
                auc[m, f] = 0.0
                prev[f] = 0.0
            dayflag[:, :] = False
            for k in range(day_obs.shape[0]):
                last_t[m, k] = -1.0
            st = 0
            nf = 0
            steps = 0
            j = 0
            for s in range(nseg):
                t = seg_t[s]
                tend = seg_t[s + 1]
                last_seg = s == nseg - 1
                for i in range(S):
                    y[i] += jumps[m, s, i]
                u = U[m, s]
                while j < nt and t_out[j] == t:
                    _record(j, y, pm, o, base, dev_best, peak, peak_t, auc, prev, t_out, day_obs, day_thr,
                            day_len, dayflag, last_t, m, row, stride, traj)
                    j += 1
                rhs(y, pm, u, k1)
                nf += 1
                h = min(0.01, tend - t)
                while t < tend:
                    final = False
                    if t + h >= tend or t + 1.01 * h >= tend:
                        h = tend - t
                        final = True
                    for i in range(S):
                        tmp[i] = y[i] + h * _A21 * k1[i]
                    rhs(tmp, pm, u, k2)
                    for i in range(S):
                        tmp[i] = y[i] + h * (_A31 * k1[i] + _A32 * k2[i])
                    rhs(tmp, pm, u, k3)
                    for i in range(S):
                        tmp[i] = y[i] + h * (_A41 * k1[i] + _A42 * k2[i] + _A43 * k3[i])
                    rhs(tmp, pm, u, k4)
                    for i in range(S):
                        tmp[i] = y[i] + h * (_A51 * k1[i] + _A52 * k2[i] + _A53 * k3[i] + _A54 * k4[i])
                    rhs(tmp, pm, u, k5)
                    for i in range(S):
                        tmp[i] = y[i] + h * (_A61 * k1[i] + _A62 * k2[i] + _A63 * k3[i] + _A64 * k4[i]
                                             + _A65 * k5[i])
                    rhs(tmp, pm, u, k6)
                    for i in range(S):
                        yn[i] = y[i] + h * (_B1 * k1[i] + _B3 * k3[i] + _B4 * k4[i] + _B5 * k5[i] + _B6 * k6[i])
                    rhs(yn, pm, u, k7)
                    nf += 6
                    steps += 1
                    err = 0.0
                    for i in range(S):
                        e = h * (_E1 * k1[i] + _E3 * k3[i] + _E4 * k4[i] + _E5 * k5[i] + _E6 * k6[i] + _E7 * k7[i])
                        sc = atol + rtol * max(abs(y[i]), abs(yn[i]))
                        err += (e / sc) ** 2
                    err = (err / S) ** 0.5
                    if not err == err or not abs(err) < _np.inf:
                        st = 2
                        break
                    if err <= 1.0:
                        tn = tend if final else t + h
                        have_q = False
                        while j < nt and (t_out[j] < tn or (last_seg and t_out[j] == tn)):
                            if t_out[j] == tn:
                                _record(j, yn, pm, o, base, dev_best, peak, peak_t, auc, prev, t_out, day_obs,
                                        day_thr, day_len, dayflag, last_t, m, row, stride, traj)
                            else:
                                if not have_q:  # the interpolant's coefficients, once per step
                                    for i in range(S):
                                        for c in range(4):
                                            q4[i, c] = (k1[i] * _P[0, c] + k3[i] * _P[2, c] + k4[i] * _P[3, c]
                                                        + k5[i] * _P[4, c] + k6[i] * _P[5, c] + k7[i] * _P[6, c])
                                    have_q = True
                                th = (t_out[j] - t) / h
                                for i in range(S):
                                    yd[i] = y[i] + h * th * (q4[i, 0] + th * (q4[i, 1] + th * (q4[i, 2]
                                                                                              + th * q4[i, 3])))
                                _record(j, yd, pm, o, base, dev_best, peak, peak_t, auc, prev, t_out, day_obs,
                                        day_thr, day_len, dayflag, last_t, m, row, stride, traj)
                            j += 1
                        for i in range(S):
                            y[i] = yn[i]
                            k1[i] = k7[i]
                        t = tn
                        fac = 10.0 if err == 0.0 else min(10.0, max(0.2, 0.9 * err ** -0.2))
                    else:
                        fac = min(1.0, max(0.2, 0.9 * err ** -0.2))
                    h = h * fac
                    if steps >= max_steps:
                        st = 1
                        break
                    if t < tend and h < 1e-12 * max(1.0, abs(t)):
                        st = 3
                        break
                if st != 0:
                    break
            status[m] = st
            nrhs[m] = nf
            if st != 0:
                for f in range(nF):
                    peak[m, f] = _np.nan
                    peak_t[m, f] = _np.nan
                    auc[m, f] = _np.nan
                for k in range(day_obs.shape[0]):
                    days[m, k] = -1
                    last_t[m, k] = _np.nan
            else:
                for k in range(day_obs.shape[0]):
                    c = 0
                    for d in range(n_days):
                        if dayflag[k, d]:
                            c += 1
                    days[m, k] = c
