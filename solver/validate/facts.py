"""What several categories' checks read of a plan and its rules: parameters an older rule version may lack,
language tests, and the work permit and job a person holds on a day."""

from __future__ import annotations

import datetime as dt
from typing import Any

from solver.dates import add_days, add_months
from solver.domain import Person, PlannedJob, Role, StatusKind
from solver.validate.context import PlanContext


def optional_param(ctx: PlanContext, rule_id: str, name: str, trigger: dt.date, default: Any) -> Any:
    """A parameter that an older version of a rule may lack: `default` when it is absent or not in force."""
    rule = ctx.rules.rules.get(rule_id)
    version = rule.at(ctx.on(trigger)) if rule is not None else None
    if version is None or name not in version.params:
        return default
    return version.params[name]


def in_force(ctx: PlanContext, rule_id: str, trigger: dt.date) -> bool:
    """True when the registry has `rule_id` and a version of it applies to something triggered on `trigger`."""
    return rule_id in ctx.rules and ctx.rules.in_force(rule_id, ctx.on(trigger))


def language_ok(person: Person, on: dt.date, min_clb: int, max_age_months: int) -> bool:
    """True when a test taken on or before `on`, under `max_age_months` old on `on`, has every ability >= min_clb."""
    return any(
        t.taken <= on < add_months(t.taken, max_age_months) and t.lowest >= min_clb for t in person.language_tests
    )


def covering_work_permit_end(ctx: PlanContext, role: Role, on: dt.date) -> dt.date | None:
    """The latest valid_to of a work permit (planned, or held on as_of) that `role` holds on `on`."""
    ends = [q.valid_to for q in ctx.permits_of(role) if q.valid_from <= on <= q.valid_to]
    person = ctx.scenario.person(role)
    status = person.status if person is not None else None
    # The status held on as_of also grounds a filing made before as_of (the file reports it, not its start).
    if status is not None and status.kind is StatusKind.WORKER and on <= status.valid_to:
        ends.append(status.valid_to)
    return max(ends, default=None)


def job_on(ctx: PlanContext, role: Role, on: dt.date) -> PlannedJob | None:
    """The planned job `role` works on `on` (an open end runs to the horizon's last day), if any."""
    for job in ctx.jobs_of(role):
        end = job.end or add_days(ctx.horizon_end, -1)
        if job.start <= on <= end:
            return job
    return None
