"""build_options: a scenario's depots, jobs and candidate permits, in dependency order."""

from __future__ import annotations

from solver.categories import families
from solver.deadline import NEVER, Deadline
from solver.domain import PlanOptions, Scenario
from solver.options.filings import filed_candidates
from solver.options.household import _depot, _jobs
from solver.options.options import Options
from solver.options.records import Calendar
from solver.rules.registry import RuleSet


def build_options(
    scenario: Scenario,
    plan_options: PlanOptions,
    rules: RuleSet,
    grid_days: int = 1,
    deadline: Deadline = NEVER,
    *,
    slow: bool = False,
) -> Options:
    """The static facts and candidate permits of `scenario` (OutOfTime when `deadline` passes between parts),
    with processing at the slow figure (p90) when `slow` (solver/robustness.py).

    Each family of solver/categories adds its candidates: first every member's own, then those that rest on
    the partner's (spousal permits). The applications pending on as_of come after their family's candidates,
    so a spousal permit may rest on a partner's filed one (issued first, addendum §3) and a filed spousal
    permit on whatever the partner holds.
    """
    # A what-if reads every rule as on rules_as_of, and the facts on each step's own day (RuleSet.pinned).
    pinned = rules.pinned(plan_options.rules_as_of)
    opts = Options(scenario, plan_options, pinned, Calendar.of(scenario), max(1, grid_days), slow=slow)
    for role, person in scenario.members:
        opts.depots[role] = _depot(opts, role, person)
    for role, person in scenario.members:
        opts.jobs.extend(_jobs(opts, role, person))
    deadline.check()
    own = [f for f in families() if not f.after_partners]
    # A Canadian partner holds no permit of the plan: only the other member is planned.
    foreign = [(role, person) for role, person in scenario.members if person.canadian_status is None]
    for role, person in foreign:
        for family in own:
            opts.candidates.extend(family.candidates(opts, role, person))
        deadline.check()
    # What the client already filed: each pending application is a permit of the plan, fixed to its filing.
    for role, person in foreign:
        opts.candidates.extend(filed_candidates(opts, role, person, after_partners=False))
    for role, person in foreign:
        for family in families():
            if family.after_partners:
                opts.candidates.extend(family.candidates(opts, role, person))
    for role, person in foreign:
        opts.candidates.extend(filed_candidates(opts, role, person, after_partners=True))
    return opts


class Figures:
    """`build_options` of one question at each processing figure, each built once: a plan, the replay of its
    applications at the other figure and its plan again at p90 (solver/solve.py, solver/robustness.py) read the
    same facts. The options are shared: a caller that narrows them copies them first (dataclasses.replace)."""

    def __init__(self, scenario: Scenario, plan_options: PlanOptions, rules: RuleSet, grid_days: int = 1) -> None:
        self.scenario = scenario
        self.plan_options = plan_options
        self.rules = rules
        self.grid_days = grid_days
        self._built: dict[bool, Options] = {}

    def at(self, *, slow: bool, deadline: Deadline = NEVER) -> Options:
        """The options at the expected (or `slow`) figure (OutOfTime when `deadline` passes while building)."""
        if slow not in self._built:
            self._built[slow] = build_options(
                self.scenario, self.plan_options, self.rules, self.grid_days, deadline, slow=slow
            )
        return self._built[slow]
