"""Coefficients of the cohort kernel's methods, as data: the generated kernel writes them in as literals (so that
its hash covers them), its Runge-Kutta steps are generated from them (``codegen``), and ``tests/test_cohort.py``
checks their order and stability.

Dormand-Prince 5(4) (Dormand and Prince 1980, J. Comput. Appl. Math. 6: 19-26): six stages and a seventh, the
rates at the new state, shared with the next step (FSAL); ``DOPRI5_E`` = weights less the embedded weights, over
all seven.

ROS34PW2 (Rang and Angermann 2005, BIT Numerical Mathematics 45: 761-787, method ROS34PW2): four stages, order
3 for any matrix W in place of the Jacobian (a W-method), embedded order 2, L-stable, stiffly accurate. In the
form of Hairer and Wanner (Solving ODEs II, IV.7), for an autonomous system and the approximate Jacobian J,

    (I - h gamma J) k_i = h f(y + sum_j alpha_ij k_j) + h J sum_j gamma_ij k_j,   y1 = y + sum_i b_i k_i,

with the embedded solution from ``B_EMBEDDED``.
"""

import math
from fractions import Fraction

import numpy as np

DOPRI5_A = (
    (),
    (Fraction(1, 5),),
    (Fraction(3, 40), Fraction(9, 40)),
    (Fraction(44, 45), Fraction(-56, 15), Fraction(32, 9)),
    (Fraction(19372, 6561), Fraction(-25360, 2187), Fraction(64448, 6561), Fraction(-212, 729)),
    (Fraction(9017, 3168), Fraction(-355, 33), Fraction(46732, 5247), Fraction(49, 176), Fraction(-5103, 18656)),
)
DOPRI5_B = (Fraction(35, 384), Fraction(0), Fraction(500, 1113), Fraction(125, 192), Fraction(-2187, 6784),
            Fraction(11, 84))
DOPRI5_B_EMBEDDED = (Fraction(5179, 57600), Fraction(0), Fraction(7571, 16695), Fraction(393, 640),
                     Fraction(-92097, 339200), Fraction(187, 2100), Fraction(1, 40))
DOPRI5_E = tuple(b - e for b, e in zip((*DOPRI5_B, Fraction(0)), DOPRI5_B_EMBEDDED, strict=True))

GAMMA_DIAG = 0.435866521508459
ALPHA = (
    (),
    (0.87173304301691801,),
    (0.84457060015369423, -0.11299064236484185),
    (0.0, 0.0, 1.0),
)
GAMMA = (
    (),
    (-0.87173304301691801,),
    (-0.90338057013044082, 0.054180672388095326),
    (0.24212380706095346, -1.2232505839045147, 0.54526025533510214),
)
B = (0.24212380706095346, -1.2232505839045147, 1.5452602553351020, 0.435866521508459)
B_EMBEDDED = (0.37810903145819369, -0.096042292212423178, 0.5, 0.2179332607542295)

# ARK4(3)6L[2]SA (Kennedy and Carpenter 2003, Applied Numerical Mathematics 44: 139-181, the fourth-order
# additive pair): six stages, an explicit tableau (ARK_E) and an L-stable, stiffly accurate ESDIRK (ARK_I, diagonal
# ARK_GAMMA from the second stage on) sharing the weights ARK_B (order 4) and ARK_B_EMBEDDED (order 3). For
# y' = f_E(y) + f_I(y) the stage values are Y_i = y + h sum_j (a^E_ij f_E(Y_j) + a^I_ij f_I(Y_j)), implicit in
# f_I(Y_i) only. The kernel's split is f_I(y) = d * y with d the Jacobian's diagonal (decays only), so each stage
# is a division; with d = 0 the pair is an explicit Runge-Kutta pair whose real stability interval
# (real_stability_interval) is 4.23, against 3.31 for Dormand-Prince at the same six evaluations a step.
ARK_GAMMA = Fraction(1, 4)
ARK_E = (
    (),
    (Fraction(1, 2),),
    (Fraction(13861, 62500), Fraction(6889, 62500)),
    (Fraction(-116923316275, 2393684061468), Fraction(-2731218467317, 15368042101831),
     Fraction(9408046702089, 11113171139209)),
    (Fraction(-451086348788, 2902428689909), Fraction(-2682348792572, 7519795681897),
     Fraction(12662868775082, 11960479115383), Fraction(3355817975965, 11060851509271)),
    (Fraction(647845179188, 3216320057751), Fraction(73281519250, 8382639484533),
     Fraction(552539513391, 3454668386233), Fraction(3354512671639, 8306763924573), Fraction(4040, 17871)),
)
ARK_B = (Fraction(82889, 524892), Fraction(0), Fraction(15625, 83664), Fraction(69875, 102672),
         Fraction(-2260, 8211), Fraction(1, 4))
ARK_I = (
    (),
    (Fraction(1, 4),),
    (Fraction(8611, 62500), Fraction(-1743, 31250)),
    (Fraction(5012029, 34652500), Fraction(-654441, 2922500), Fraction(174375, 388108)),
    (Fraction(15267082809, 155376265600), Fraction(-71443401, 120774400), Fraction(730878875, 902184768),
     Fraction(2285395, 8070912)),
    ARK_B[:5],  # stiffly accurate
)
ARK_B_EMBEDDED = (Fraction(4586570599, 29645900160), Fraction(0), Fraction(178811875, 945068544),
                  Fraction(814220225, 1159782912), Fraction(-3700637, 11593932), Fraction(61727, 225920))


def real_stability_interval(a: tuple, b: tuple) -> float:
    """Where the stability function of the explicit tableau (a, b) first leaves the unit disc on the negative
    real axis: the largest h |lambda| it takes for a decaying mode. The stability function is the polynomial
    R(z) = 1 + sum_k (b^T A^(k-1) 1) z^k (A strictly lower triangular); the answer is the first positive root t
    of R(-t) = 1 or R(-t) = -1 beyond which |R(-t)| exceeds 1."""
    s = len(b)
    A = np.zeros((s, s))
    for i, row in enumerate(a):
        A[i, :len(row)] = [float(x) for x in row]
    bb = np.array([float(x) for x in b])
    coef, v = [1.0], np.ones(s)
    for _ in range(s):
        coef.append(float(bb @ v))
        v = A @ v
    r = np.polynomial.Polynomial([c * (-1.0) ** k for k, c in enumerate(coef)])  # R(-t)
    roots = np.concatenate([(r - 1.0).roots(), (r + 1.0).roots()])
    candidates = sorted(x.real for x in roots if abs(x.imag) < 1e-9 and x.real > 1e-9)
    for x in candidates:
        if abs(r(x * (1 + 1e-9))) > 1.0:
            return float(x)
    return math.inf


def kernel_constants() -> list[str]:
    """The coefficients as assignments for the generated kernel: Dormand-Prince (``_DA{i}{j}``, ``_DB{j}``,
    ``_DE{j}``); ROS34PW2 (``_WG``, ``_WA21`` ... ``_WE4``);
    ARK4(3)6L[2]SA as the kernel uses it, with f_E = f - d y and f_I = d y, so that a stage reads
    Y_i = (y + h sum_j (a^E_ij f(Y_j) + (a^I_ij - a^E_ij) d Y_j)) / (1 - h gamma d): ``_XA{i}{j}`` = a^E_ij,
    ``_XD{i}{j}`` = a^I_ij - a^E_ij, ``_XB{j}`` the weights, ``_XE{j}`` the weights less the embedded ones, ``_XG``
    gamma, ``_XSTAB`` the explicit tableau's real stability interval."""
    lines = [f"_DA{i + 1}{j + 1} = {float(v)!r}" for i, row in enumerate(DOPRI5_A) for j, v in enumerate(row)]
    lines += [f"_DB{j + 1} = {float(v)!r}" for j, v in enumerate(DOPRI5_B)]
    lines += [f"_DE{j + 1} = {float(v)!r}" for j, v in enumerate(DOPRI5_E)]
    lines.append(f"_WG = {GAMMA_DIAG!r}")
    for i in range(1, 4):
        for j in range(i):
            lines.append(f"_WA{i + 1}{j + 1} = {ALPHA[i][j]!r}")
            lines.append(f"_WG{i + 1}{j + 1} = {GAMMA[i][j]!r}")
    lines += [f"_WM{i + 1} = {v!r}" for i, v in enumerate(B)]
    lines += [f"_WE{i + 1} = {v!r}" for i, v in enumerate(B_EMBEDDED)]
    lines.append(f"_XG = {float(ARK_GAMMA)!r}")
    for i in range(1, 6):
        for j in range(i):
            lines.append(f"_XA{i + 1}{j + 1} = {float(ARK_E[i][j])!r}")
            lines.append(f"_XD{i + 1}{j + 1} = {float(ARK_I[i][j] - ARK_E[i][j])!r}")
    lines += [f"_XB{j + 1} = {float(v)!r}" for j, v in enumerate(ARK_B)]
    lines += [f"_XE{j + 1} = {float(v - e)!r}" for j, (v, e) in enumerate(zip(ARK_B, ARK_B_EMBEDDED, strict=True))]
    lines.append(f"_XSTAB = {real_stability_interval(ARK_E, ARK_B):.6f}")
    return lines
