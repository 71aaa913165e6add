"""What every check shares: Violation, the family that checks a category, and the plan read with its rules."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from solver.categories import Family, UnknownCategory, family_of
from solver.dates import add_days, add_months
from solver.domain import Offer, Plan, PlannedJob, PlannedPermit, PlanOptions, PrApplication, Role, Scenario
from solver.rules.registry import RuleSet
from solver.validate.timeline import Timeline

PR_PROGRAMS = frozenset({"CEC", "PNP"})
# PR.processing months of each program (a submitted application may be under any of them).
_PROCESSING_MONTHS = {"CEC": "cec_months", "FSW": "fsw_months", "FST": "fsw_months", "PNP": "pnp_ee_months"}


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
        """The date whose rules apply to something triggered on `trigger` (for rules only: facts are read on
        `trigger` itself; `rules` is pinned to rules_as_of when set)."""
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
    def submitted_pr(self) -> tuple[Role, PrApplication] | None:
        """The PR application a member (not a Canadian partner) already submitted, the earliest: a fact."""
        apps = [
            (p.pr_application.submitted_on, role.value, role, p.pr_application)
            for role, p in self.scenario.members
            if p.pr_application is not None and p.canadian_status is None
        ]
        return (min(apps)[2], min(apps)[3]) if apps else None

    @property
    def pr_submission(self) -> dt.date | None:
        submitted = self.submitted_pr
        if submitted is not None:
            return submitted[1].submitted_on
        if self.plan.pr_ready_date is None:
            return None
        return add_days(self.plan.pr_ready_date, self.options.ita_wait_days)

    @property
    def pr_approval(self) -> dt.date | None:
        submitted = self.pr_submission
        if submitted is None:
            return None
        name = _PROCESSING_MONTHS.get(self.plan.pr_program or "")
        if self.submitted_pr is None and self.plan.pr_program not in PR_PROGRAMS:
            return None
        if name is None:
            return None  # no processing time for the program in the rules: not approved within the plan
        return max(add_months(submitted, int(self.param("PR.processing", name, submitted))), self.scenario.as_of)
