"""Coefficients of the cohort kernel's Rosenbrock-W method, as data: the generated kernel writes them in as
literals (so that its hash covers them) and ``tests/test_cohort.py`` checks their order.

ROS34PW2 (Rang and Angermann 2005, BIT Numerical Mathematics 45: 761-787, method ROS34PW2): four stages, order
3 for any matrix W in place of the Jacobian (a W-method), embedded order 2, L-stable, stiffly accurate. In the
form of Hairer and Wanner (Solving ODEs II, IV.7), for an autonomous system and the approximate Jacobian J,

    (I - h gamma J) k_i = h f(y + sum_j alpha_ij k_j) + h J sum_j gamma_ij k_j,   y1 = y + sum_i b_i k_i,

with the embedded solution from ``B_EMBEDDED``.
"""

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


def kernel_constants() -> list[str]:
    """The coefficients as assignments for the generated kernel (``_WG``, ``_WA21`` ... ``_WE4``)."""
    lines = [f"_WG = {GAMMA_DIAG!r}"]
    for i in range(1, 4):
        for j in range(i):
            lines.append(f"_WA{i + 1}{j + 1} = {ALPHA[i][j]!r}")
            lines.append(f"_WG{i + 1}{j + 1} = {GAMMA[i][j]!r}")
    lines += [f"_WM{i + 1} = {v!r}" for i, v in enumerate(B)]
    lines += [f"_WE{i + 1} = {v!r}" for i, v in enumerate(B_EMBEDDED)]
    return lines
