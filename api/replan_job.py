"""The task a caseload re-plan runs for each household, on a solver worker (a process of the pool or a Dask
worker): plan the stored plan's question again under the run's rules and say what changed.

Module level and importing only the solver, so any worker with permitpath installed can run it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from solver import domain
from solver.impact import Impact, impact
from solver.solve import plan as solve_plan


@dataclass(frozen=True)
class ReplanTask:
    """One household of a run: its stored plan (the question and the answer) and the run's rules and day."""

    household_id: int
    stored_plan_id: int
    scenario: domain.Scenario
    # The stored plan's options with the run's `rules_as_of`.
    options: domain.PlanOptions
    before: domain.Plan
    today: dt.date


@dataclass(frozen=True)
class ReplanOutcome:
    """The household's new plan and its impact report against the stored plan."""

    household_id: int
    stored_plan_id: int
    plan: domain.Plan
    impact: Impact


def replan_job(task: ReplanTask, _emit: Any = None) -> ReplanOutcome:
    """Plans the household again and compares (the runner's job signature: a bulk task emits nothing)."""
    after = solve_plan(task.scenario, task.options)
    return ReplanOutcome(task.household_id, task.stored_plan_id, after, impact(task.before, after, task.today))
