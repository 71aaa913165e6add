"""Model parts: piecewise day functions stay exact; merged objective stages keep the lexicographic order."""

from __future__ import annotations

import datetime as dt

from solver.cpsat import cp_model
from solver.dates import add_months
from solver.domain import DEFAULT_OBJECTIVE, ObjectiveTerm, PlanOptions
from solver.model.build import build
from solver.model.objective import MAX_MERGED_RANGE, stages, term_ranges
from solver.model.tables import add_function, affine_runs
from solver.options import build_options
from solver.rules.registry import load_rules
from tests.solver.planner_cases import graduate, household


def test_affine_runs_split_where_the_slope_changes() -> None:
    assert affine_runs(10, [5, 6, 7, 7, 7, 9]) == [(10, 12, 1, 5), (13, 14, 0, 7), (15, 15, 0, 9)]


def test_add_function_is_exact_on_month_ends_and_29_february() -> None:
    start = dt.date(2027, 12, 1)
    values = [(add_months(start + dt.timedelta(days=d), 26) - start).days for d in range(120)]
    for day in (0, 59, 60, 61, 89, 90, 119):  # 2028-01-30, 2028-01-31, 2028-02-29 ... 2028-03-30
        m = cp_model.CpModel()
        x = m.new_int_var(0, 200, "x")
        y = m.new_int_var(0, 5000, "y")
        add_function(m, x, 0, values, y, "f")
        m.add(x == day)
        solver = cp_model.CpSolver()
        assert solver.solve(m) == cp_model.OPTIMAL
        assert solver.value(y) == values[day]


def test_default_objective_merges_ready_status_and_work_into_one_stage() -> None:
    v = build(build_options(household(graduate(), months=36), PlanOptions(), load_rules()))
    ranges = term_ranges(v)
    assert (
        ranges[ObjectiveTerm.PR_READY] * ranges[ObjectiveTerm.STATUS_CONTINUITY] * ranges[ObjectiveTerm.WORK_CONTINUITY]
        <= MAX_MERGED_RANGE
    )
    assert len(stages(v, list(DEFAULT_OBJECTIVE))) == 2
    assert len(stages(v, [ObjectiveTerm.COST])) == 1
