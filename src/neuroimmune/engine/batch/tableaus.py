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


def _rosenbrock_transformed() -> tuple[tuple, tuple, tuple, tuple]:
    """ROS34PW2 in the variables u_i = sum_j gamma_ij k_j (Hairer and Wanner, Solving ODEs II, IV.7, (7.25)),
    which need no product of the matrix with a vector: with M = I - h gamma J,

        M u_i = h gamma f(y + sum_j A_ij u_j) + sum_j C_ij u_j,   y1 = y + sum_j m_j u_j,

    A = alpha Gamma^-1, C = -gamma Gamma^-1 below the diagonal, m = b Gamma^-1 (and the embedded weights)."""
    g = np.diag([GAMMA_DIAG] * 4)
    al = np.zeros((4, 4))
    for i in range(4):
        for j in range(i):
            g[i, j], al[i, j] = GAMMA[i][j], ALPHA[i][j]
    gi = np.linalg.inv(g)
    a, c = al @ gi, -GAMMA_DIAG * gi
    rows = tuple(tuple(float(a[i, j]) for j in range(i)) for i in range(4))
    coupling = tuple(tuple(float(c[i, j]) for j in range(i)) for i in range(4))
    return rows, coupling, tuple(float(x) for x in np.array(B) @ gi), tuple(float(x) for x in np.array(B_EMBEDDED) @ gi)


ROS_A, ROS_C, ROS_M, ROS_M_EMBEDDED = _rosenbrock_transformed()

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
    ``_DE{j}``); ROS34PW2 (``_WG``, ``_WA21`` ... ``_WE4``)."""
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
    return lines
