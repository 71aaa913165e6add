"""Lexicographic CP-SAT search: minimize each term in turn, fixing each optimum, hinting the next stage.

Determinism: one search worker (SOLVER_WORKERS) and a fixed seed, so identical input gives an identical
solution unless the time limit cuts a stage short.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from solver.model.variables import Vars

SOLVER_WORKERS = 1
SOLVER_SEED = 7


@dataclass
class Solved:
    """The values of the last solution of a model, and whether every stage was proven optimal."""

    vars: Vars
    values: list[int]
    optimal: bool

    def value(self, var: cp_model.IntVar) -> int:
        return self.values[var.index]


def _parameters(seconds: float) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = SOLVER_WORKERS
    solver.parameters.random_seed = SOLVER_SEED
    solver.parameters.max_time_in_seconds = max(seconds, 0.001)
    return solver


def solve_model(v: Vars, objective: list[cp_model.LinearExprT], deadline: float) -> Solved | None:
    """Minimizes each expression in turn, fixing each optimum before the next; None when nothing was found."""
    m = v.model
    values: list[int] | None = None
    optimal = True
    for k, expr in enumerate(objective):
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            optimal = False
            break
        # A stage that cannot prove its optimum must leave time to the later ones: twice its fair share.
        left = len(objective) - k
        budget = remaining if left == 1 else min(remaining, 2 * remaining / left)
        m.minimize(expr)
        if values is not None:
            m.clear_hints()  # type: ignore[no-untyped-call]
            for i, val in enumerate(values):
                m.add_hint(m.get_int_var_from_proto_index(i), val)
        solver = _parameters(budget)
        status = solver.solve(m)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            optimal = False
            break
        values = list(solver.response_proto.solution)
        if status != cp_model.OPTIMAL:
            optimal = False
        m.add(expr <= round(solver.objective_value))
    if values is None:
        return None
    return Solved(v, values, optimal)
