"""Applications the client filed before as_of: the plan must keep each one as filed, and add none beside it.

A pending application is a fact, never a decision the plan remakes (issue 12): it is in the plan once, as a
permit applied for on its real day (before as_of) with fee 0 (paid when filed); the plan neither drops it, files
it again, nor adds a second application of that code for that person while it is pending. Its decision comes
after the category's processing days as on the filing day (PROCESSING.*), never before as_of. Read from the
scenario and the plan alone, like every validator check.

The file's other facts the plan starts from are checked here too: a Canadian partner holds no permit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from solver.dates import add_days
from solver.domain import PendingApplication, PlannedPermit, Role
from solver.validate.context import PlanContext, Violation, category_family


def filing_of(ctx: PlanContext, role: Role, p: PlannedPermit) -> PendingApplication | None:
    """The pending application of the file that `p` is (same person, code, filing day and offer), if any."""
    person = ctx.scenario.person(role)
    if person is None:
        return None
    for app in person.pending_applications:
        if app.code == p.code and app.applied_on == p.apply_on and app.offer_ref == p.offer_ref:
            return app
    return None


def decided_on(ctx: PlanContext, app: PendingApplication, processing: int) -> dt.date:
    """The expected decision of a filing: its day plus `processing` days, never before as_of."""
    return max(add_days(app.applied_on, processing), ctx.scenario.as_of)


def canadian_issues(ctx: PlanContext, role: Role) -> Iterator[Violation]:
    """A Canadian partner (citizen or permanent resident) holds no permit of the plan and is no PR applicant."""
    person = ctx.scenario.person(role)
    if person is None or person.canadian_status is None:
        return
    for p in ctx.permits_of(role):
        yield Violation("PLAN.canadian", role, p.apply_on, f"{p.code}: a Canadian partner needs no work permit")
    if ctx.plan.pr_applicant is role:
        yield Violation("PLAN.canadian", role, ctx.plan.pr_ready_date, "a Canadian partner is no PR applicant")


def pending_issues(ctx: PlanContext, role: Role) -> Iterator[Violation]:
    """Each filing of `role` kept exactly once, and no second application of its code while it is pending."""
    person = ctx.scenario.person(role)
    if person is None:
        return
    permits = ctx.permits_of(role)
    for app in person.pending_applications:
        kept = [p for p in permits if filing_of(ctx, role, p) == app]
        if not kept and category_family(app.code) is None:
            continue  # no category of the catalog: nothing the plan could hold
        if not kept:
            message = f"{app.code} filed on {app.applied_on} is pending: the plan must keep it as filed"
            yield Violation("PLAN.pending", role, app.applied_on, message)
            continue
        if len(kept) > 1:
            yield Violation("PLAN.pending", role, app.applied_on, f"{app.code} filed on {app.applied_on} twice")
        decided = kept[0].valid_from
        for p in permits:
            if p.code == app.code and p not in kept and p.apply_on < decided:
                message = f"{p.code} applied for on {p.apply_on} while the one filed on {app.applied_on} is pending"
                yield Violation("PLAN.pending", role, p.apply_on, message)
