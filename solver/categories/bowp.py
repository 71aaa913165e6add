"""A75, the bridging open work permit for a PR applicant whose work permit runs out while PR is processed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from solver.categories.base import Family, Issue
from solver.dates import add_days, add_months
from solver.domain import Person, PlannedPermit, Role
from solver.validate.context import PlanContext
from solver.validate.status import restorable

# --- the eligibility query -------------------------------------------------------------------------

# --- the planner -----------------------------------------------------------------------------------

# --- the independent validator ---------------------------------------------------------------------


def _issues(ctx: PlanContext, role: Role, p: PlannedPermit) -> Iterator[Issue]:
    a = p.apply_on
    submitted = ctx.pr_submission
    classes = tuple(ctx.param("A75.eligible_classes", "classes", a))
    if ctx.plan.pr_applicant is not role or submitted is None or a < submitted or ctx.plan.pr_program not in classes:
        yield "A75.eligible_classes", "only the principal applicant of a submitted CEC/PNP/... PR application"
        return
    t = ctx.timelines[role]
    i = t.index(a)
    if not 0 <= i < t.days or not t.in_canada[i]:
        yield "A75.status_at_application", "not in Canada on the application date"
    elif not t.any_work(i) and not restorable(ctx, role, a, worker=True):
        yield "A75.status_at_application", "no work permit, maintained worker status, or restorable worker status"


def _valid_from(ctx: PlanContext, processed: dt.date) -> dt.date:
    """Not before the PR application is found complete (A75.completeness, R10) after its submission."""
    submitted = ctx.pr_submission
    if submitted is None:
        return processed
    return max(processed, add_days(submitted, int(ctx.param("A75.completeness", "days_after_submission", submitted))))


def _valid_to(ctx: PlanContext, p: PlannedPermit) -> dt.date:
    return add_days(add_months(p.valid_from, int(ctx.param("A75.validity", "months", p.apply_on))), -1)


class Bowp(Family):
    name = "bowp"
    stage = 40

    def issues(self, ctx: PlanContext, role: Role, person: Person, p: PlannedPermit) -> Iterator[Issue]:
        return _issues(ctx, role, p)

    def valid_from(self, ctx: PlanContext, role: Role, p: PlannedPermit, processed: dt.date) -> dt.date:
        return _valid_from(ctx, processed)

    def valid_to(self, ctx: PlanContext, role: Role, person: Person, p: PlannedPermit) -> dt.date | None:
        return _valid_to(ctx, p)


FAMILY = Bowp()
