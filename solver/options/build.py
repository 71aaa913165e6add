"""build_options: a scenario's depots, jobs and candidate permits, in dependency order."""

from __future__ import annotations

from solver.deadline import NEVER, Deadline
from solver.domain import PlanOptions, Scenario
from solver.options.household import _depot, _jobs
from solver.options.options import Options
from solver.options.permits import _bridging, _employer, _iec, _pgwp
from solver.options.records import Calendar
from solver.options.spousal import _spousal
from solver.rules.registry import RuleSet


def build_options(
    scenario: Scenario, plan_options: PlanOptions, rules: RuleSet, grid_days: int = 1, deadline: Deadline = NEVER
) -> Options:
    """The static facts and candidate permits of `scenario` (OutOfTime when `deadline` passes between parts)."""
    opts = Options(scenario, plan_options, rules, Calendar.of(scenario), max(1, grid_days))
    for role, person in scenario.members:
        opts.depots[role] = _depot(opts, role, person)
    for role, person in scenario.members:
        opts.jobs.extend(_jobs(opts, role, person))
    deadline.check()
    for role, person in scenario.members:
        opts.candidates.extend(_pgwp(opts, role, person))
        opts.candidates.extend(_employer(opts, role, person))
        opts.candidates.extend(_iec(opts, role, person))
        opts.candidates.extend(_bridging(opts, role, person))
        deadline.check()
    for role, person in scenario.members:
        opts.candidates.extend(_spousal(opts, role, person))
    return opts
