"""A sparse LU factorisation without pivoting, planned once from a matrix's structure and written out as
straight-line code (for the Rosenbrock method of the cohort kernel, whose matrix ``I - h gamma J`` has the model
Jacobian's structure).

Why written here: the kernel solves one small system (20-30 unknowns, about 90 structural nonzeros) per stage
for 8 members at once in SIMD lanes, and a library factorisation (LAPACK, SuperLU, KLU) works on one matrix at
a time through calls that numba cannot vectorise across lanes. With the structure known when the kernel is
generated, the factorisation is a fixed sequence of multiply-adds over the nonzeros and their fill, which the
code generator writes out like the right-hand side. The pivots are taken on the diagonal in a fixed order:
``I - h gamma J`` is the identity for small steps, and its diagonal grows with the step where the model's
rates decay (every diagonal entry of the Jacobian is a turnover); the order is the minimum-degree ordering of
the symmetric structure (Tinney and Walker 1967; George and Liu 1989, Computer Solution of Sparse Positive
Definite Systems), which keeps the fill small (influenza: 91 nonzeros, 108 after fill, 98 multiply-adds).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable


@dataclasses.dataclass(frozen=True)
class Plan:
    """How to factor and solve an ``n`` x ``n`` system with nonzeros at ``pattern`` (row, column) and the full
    diagonal: the pivot ``order`` (rows/columns by original index) and, in that order's positions, the entries
    of L (below the diagonal) and U (above it) after fill. ``slots`` numbers the stored factors: each entry of L
    and U, then the inverse of each pivot."""

    n: int
    order: tuple[int, ...]
    lower: tuple[tuple[int, int], ...]  # (i, k), i > k, in positions
    upper: tuple[tuple[int, int], ...]  # (k, j), j > k, in positions

    @property
    def slots(self) -> dict[tuple[int, int], int]:
        out = {e: k for k, e in enumerate((*self.lower, *self.upper))}
        for i in range(self.n):
            out[(i, i)] = len(self.lower) + len(self.upper) + i
        return out

    @property
    def size(self) -> int:
        return len(self.lower) + len(self.upper) + self.n

    @property
    def multiply_adds(self) -> int:
        """Multiply-adds of the factorisation (the updates of the trailing entries)."""
        rows = {k: [i for i, kk in self.lower if kk == k] for k in range(self.n)}
        cols = {k: [j for kk, j in self.upper if kk == k] for k in range(self.n)}
        return sum(len(rows[k]) * len(cols[k]) for k in range(self.n))


def plan(n: int, pattern: Iterable[tuple[int, int]]) -> Plan:
    """The factorisation plan for the structure ``pattern`` (pairs of original indices; the diagonal is
    always included): minimum-degree order on the symmetric structure, ties broken by the lowest index so that
    the plan, and the code written from it, depend only on the structure."""
    nonzero = {(i, j) for i, j in pattern if i != j}
    adjacent: dict[int, set[int]] = {i: set() for i in range(n)}
    for i, j in nonzero:
        adjacent[i].add(j)
        adjacent[j].add(i)
    order: list[int] = []
    left = set(range(n))
    graph = {i: set(adjacent[i]) for i in range(n)}
    while left:
        pivot = min(left, key=lambda i: (len(graph[i] & left), i))
        order.append(pivot)
        left.remove(pivot)
        near = graph[pivot] & left
        for a in near:  # eliminating the pivot joins its neighbours (the fill)
            graph[a] |= near - {a}
    position = {v: k for k, v in enumerate(order)}
    filled = {(position[i], position[j]) for i, j in nonzero}
    for k in range(n):  # symbolic elimination in the chosen order
        rows = [i for i in range(k + 1, n) if (i, k) in filled]
        cols = [j for j in range(k + 1, n) if (k, j) in filled]
        filled |= {(i, j) for i in rows for j in cols if i != j}
    lower = tuple(sorted((i, j) for i, j in filled if i > j))
    upper = tuple(sorted((i, j) for i, j in filled if i < j))
    return Plan(n, tuple(order), lower, upper)


def factor_lines(p: Plan, entry: Callable[[int, int], str], store: Callable[[int], str],
                 fma: bool = False) -> list[str]:
    """Straight-line code that factors the matrix whose entry (row, column) (original indices, for every
    position of the plan, the diagonal included) is the expression ``entry(row, column)`` (``"0.0"`` for a fill
    position) and stores the factors, ``store(slot)`` being the place of slot ``slot`` of :attr:`Plan.slots`."""
    o = p.order
    ent = set(p.lower) | set(p.upper) | {(i, i) for i in range(p.n)}
    lines = [f"a{i}_{j} = {entry(o[i], o[j])}" for i, j in sorted(ent)]
    for k in range(p.n):
        lines.append(f"d{k} = 1.0 / a{k}_{k}")
        rows = [i for i, kk in p.lower if kk == k]
        cols = [j for kk, j in p.upper if kk == k]
        for i in rows:
            lines.append(f"a{i}_{k} = a{i}_{k} * d{k}")  # the multiplier, L's entry
            for j in cols:
                lines.append(f"a{i}_{j} = vfma(-a{i}_{k}, a{k}_{j}, a{i}_{j})" if fma
                             else f"a{i}_{j} = a{i}_{j} - a{i}_{k} * a{k}_{j}")
    slots = p.slots
    lines += [f"{store(slots[e])} = a{e[0]}_{e[1]}" for e in (*p.lower, *p.upper)]
    lines += [f"{store(slots[(i, i)])} = d{i}" for i in range(p.n)]
    return lines


def solve_lines(p: Plan, rhs: Callable[[int], str], load: Callable[[int], str], out: str,
                fma: bool = False) -> list[str]:
    """Straight-line code that solves L U x = b with the stored factors (``load(slot)``), ``rhs(row)`` giving
    b (original indices) and leaving x in locals named ``{out}<row>`` (original indices)."""
    o = p.order
    slots = p.slots
    lines = []
    for i in range(p.n):  # forward: L z = b, unit diagonal
        acc = f"({rhs(o[i])})"
        for i2, k in p.lower:
            if i2 == i:
                acc = f"vfma(-{load(slots[(i, k)])}, lz{k}, {acc})" if fma else f"{acc} - {load(slots[(i, k)])} * lz{k}"
        lines.append(f"lz{i} = {acc}")
    for i in reversed(range(p.n)):  # back: U x = z
        acc = f"lz{i}"
        for k, j in p.upper:
            if k == i:
                acc = f"vfma(-{load(slots[(i, j)])}, lx{j}, {acc})" if fma else f"{acc} - {load(slots[(i, j)])} * lx{j}"
        lines.append(f"lx{i} = ({acc}) * {load(slots[(i, i)])}")
    lines += [f"{out}{o[i]} = lx{i}" for i in range(p.n)]
    return lines
