"""What every check shares: Violation, the family that checks a category, and the plan read with its rules."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from solver.categories import Family, UnknownCategory, family_of
from solver.dates import add_days, add_months
from solver.domain import Offer, Plan, PlannedJob, PlannedPermit, PlanOptions, Role, Scenario
from solver.rules.registry import RuleSet
from solver.validate.timeline import Timeline

PR_PROGRAMS = frozenset({"CEC", "PNP"})


@dataclass(frozen=True)
class Violation:
    """One way a plan breaks a rule: the rule id, whose plan, the date it happens and what is wrong."""

    rule_id: str
    person: Role | None
    date: dt.date | None
    message: str


def category_family(code: str) -> Family | None:
    """The family whose validator section checks the category `code`; None when no catalog entry names it."""
    try:
        return family_of(code)
    except UnknownCategory:
        return None


# --- the context shared by the checks ------------------------------------------------------------


@dataclass
class PlanContext:
    scenario: Scenario
    plan: Plan
    options: PlanOptions
    rules: RuleSet
    horizon_end: dt.date
    timelines: dict[Role, Timeline] = field(default_factory=dict)

    def on(self, trigger: dt.date) -> dt.date:
        """The date whose rules apply to something triggered on `trigger`."""
        return self.options.rules_as_of or trigger

    def param(self, rule_id: str, name: str, trigger: dt.date) -> Any:
        return self.rules.param(rule_id, name, self.on(trigger))

    def permits_of(self, role: Role) -> list[PlannedPermit]:
        return sorted((p for p in self.plan.permits if p.person is role), key=lambda p: (p.apply_on, p.code))

    def jobs_of(self, role: Role) -> list[PlannedJob]:
        return sorted((j for j in self.plan.jobs if j.person is role), key=lambda j: j.start)

    def offer(self, ref: str | None) -> Offer | None:
        return next((o for o in self.scenario.offers if o.ref == ref), None)

    @property
    def pr_submission(self) -> dt.date | None:
        if self.plan.pr_ready_date is None:
            return None
        return add_days(self.plan.pr_ready_date, self.options.ita_wait_days)

    @property
    def pr_approval(self) -> dt.date | None:
        submitted = self.pr_submission
        if submitted is None or self.plan.pr_program not in PR_PROGRAMS:
            return None
        name = "cec_months" if self.plan.pr_program == "CEC" else "pnp_ee_months"
        return add_months(submitted, int(self.param("PR.processing", name, submitted)))
